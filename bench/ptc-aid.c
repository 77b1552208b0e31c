/* ptc-aid: the loopback server, the source files and the cpu checksums of the C workloads, for
 * the peer runners in Python and Go (src/runner/aid.c). */
#include "runner/aid.h"

int main(int argc, char **argv) {
    return ptc_aid_main(argc, argv);
}
