#include "report/chart.h"

#include <string.h>

static const struct ptc_chart *const charts[] = {
    &ptc_chart_speedup, &ptc_chart_tasks,  &ptc_chart_crossover, &ptc_chart_cost,
    &ptc_chart_memory,  &ptc_chart_claims, &ptc_chart_hyperfine, &ptc_chart_gantt,
};
#define N_CHARTS (sizeof charts / sizeof charts[0])

const struct ptc_chart *ptc_chart_find(const char *name) {
    for (size_t i = 0; i < N_CHARTS; i++)
        if (strcmp(charts[i]->name, name) == 0)
            return charts[i];
    return NULL;
}

void ptc_charts_help(FILE *fp) {
    for (size_t i = 0; i < N_CHARTS; i++)
        fprintf(fp, "  %-10s %s: %s\n", charts[i]->name, charts[i]->script, charts[i]->reads);
}
