/* SPDX-License-Identifier: MIT */
/*
 * poller.c (POSIX) - which readiness backends this build has (io_uring and
 * epoll on Linux, kqueue on macOS and the BSDs, poll everywhere), best
 * first, and the millisecond conversion they share.  The default is the
 * first one the system lets us make: epoll on Linux (io_uring, by name
 * only, is not faster for readiness: bench/RESULTS.md, "io_uring round
 * 2"), kqueue on macOS and the BSDs, else poll.
 */
#include "posix_int.h"

#if SK_OS_POSIX
#include <limits.h>
#include <string.h>

typedef int (*sk__posix_poller_make)(sk__poller **out, int *sys);

static const struct sk__posix_poller_entry {
    const char *name;
    sk__posix_poller_make make;
} sk__posix_pollers[] = {
#if defined(SK_HAVE_EPOLL)
    {"epoll", sk__posix_epoll_new},
#endif
#if defined(SK_HAVE_IO_URING)
    {"uring", sk__posix_uring_new}, /* by name (after epoll: never the
                                       default where epoll is there) */
#endif
#if defined(SK_HAVE_KQUEUE)
    {"kqueue", sk__posix_kqueue_new},
#endif
    {"poll", sk__posix_poll_new}
};

int sk__plat_poller_new(const char *name, sk__poller **out, int *sys)
{
    size_t i, n = sizeof sk__posix_pollers / sizeof sk__posix_pollers[0];
    *out = NULL;
    for (i = 0; i < n; i++) {
        int r;
        if (name != NULL && strcmp(name, sk__posix_pollers[i].name) != 0)
            continue;
        r = sk__posix_pollers[i].make(out, sys);
        /* The default passes over a backend the kernel refuses (io_uring
         * forbidden or too old) to the next one. */
        if (name == NULL && r == SK_EUNSUPPORTED && i + 1 < n)
            continue;
        return r;
    }
    return SK_EUNSUPPORTED;
}

int sk__posix_wait_ms(int64_t ms)
{
    if (ms < 0)
        return -1;
    return ms > INT_MAX ? INT_MAX : (int)ms;
}
#endif
