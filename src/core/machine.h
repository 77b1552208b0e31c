/* What machine a number was measured on: recorded in every CSV row ptcbench writes. */
#ifndef PTC_CORE_MACHINE_H
#define PTC_CORE_MACHINE_H

struct ptc_csv_writer;

struct ptc_machine {
    char host[256];
    char cpu_model[256];  /* /proc/cpuinfo "model name", or "unknown" */
    long cpus;            /* online CPUs */
    char kernel[128];     /* uname release */
    char compiler[128];   /* the compiler that built ptcbench, with its version */
    char git_rev[64];     /* revision ptcbench was built from, "-dirty" when modified */
    char governor[64];    /* cpufreq scaling governor of CPU 0, "none" without cpufreq */
    char idle_driver[64]; /* cpuidle driver ("haltpoll", "intel_idle"), "none" without one */
    char smt[16];         /* "on", "off", or "unknown" when the kernel does not say */
};

/* Fills *m from the running system. Never fails: unknown fields read "unknown". */
void ptc_machine_read(struct ptc_machine *m);

/* The machine's column names, in the order ptc_machine_csv_fields writes them. */
extern const char *const ptc_machine_columns[];

/* Appends the machine's fields to the current row of w. */
void ptc_machine_csv_fields(struct ptc_csv_writer *w, const struct ptc_machine *m);

/* The power and topology facts (governor, idle_driver, smt): kept out of ptc_machine_columns so
 * that those stay the same in every CSV; ptc-run's run rows append them at the end. */
extern const char *const ptc_machine_power_columns[];
void ptc_machine_power_fields(struct ptc_csv_writer *w, const struct ptc_machine *m);

#endif
