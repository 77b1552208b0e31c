/* What machine a number was measured on: recorded in every CSV row ptcbench writes. */
#ifndef PTC_CORE_MACHINE_H
#define PTC_CORE_MACHINE_H

struct ptc_csv_writer;

struct ptc_machine {
    char host[256];
    char cpu_model[256]; /* /proc/cpuinfo "model name", or "unknown" */
    long cpus;           /* online CPUs */
    char kernel[128];    /* uname release */
    char compiler[128];  /* the compiler that built ptcbench, with its version */
    char git_rev[64];    /* revision ptcbench was built from, "-dirty" when modified */
};

/* Fills *m from the running system. Never fails: unknown fields read "unknown". */
void ptc_machine_read(struct ptc_machine *m);

/* The machine's column names, in the order ptc_machine_csv_fields writes them. */
extern const char *const ptc_machine_columns[];

/* Appends the machine's fields to the current row of w. */
void ptc_machine_csv_fields(struct ptc_csv_writer *w, const struct ptc_machine *m);

#endif
