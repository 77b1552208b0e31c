/* ptc-aid: what the peer runners (scripts/python, peers/go) ask of the C library, so that their
 * work and its checks are the C workloads' own, byte for byte:
 *   serve --latency-ms MS   the net workload's loopback server (workload/net_server.h): prints
 *                           "ADDR PORT TOKEN\n" once it accepts connections, serves until its
 *                           standard input reaches EOF (the runner's pipe closes when the runner
 *                           ends, however it ends), then stops it
 *   files --dir DIR --tasks N --file-kib K --seed S
 *                           writes the file workload's sources DIR/s0 .. DIR/s<N-1>
 *                           (workload/file_source.h); on failure removes those written
 *   cpu-expected --seed S   reads one iteration count per task from standard input, prints the
 *                           checksum of each task's xorshift chain (workload/cpu_chain.h)
 *   capacity                ptc-run's parallel capacity probe, once (core/condition.h)
 *   judge OTHER STEAL MARGIN CAPACITY CPUS
 *                           ptc-run's rule for a disturbed run on a peer's figures
 * Exit status: 0 ok, 1 failed, 2 bad usage (one line on stderr). */
#ifndef PTC_RUNNER_AID_H
#define PTC_RUNNER_AID_H

int ptc_aid_main(int argc, char **argv);

#endif
