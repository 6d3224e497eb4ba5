/* SPDX-License-Identifier: MIT */
/*
 * poller.c (POSIX) - which backends this build has (io_uring and epoll on
 * Linux, kqueue on macOS and the BSDs, poll everywhere), best first, and
 * the millisecond conversion they share.  A default is the first one the
 * system lets us make.  A loop's: io_uring on Linux where the kernel has
 * all its completions need (6.12: bench/RESULTS.md, "io_uring round 4"),
 * else epoll; kqueue on macOS and the BSDs; else poll.  Readiness alone
 * (sk_selector) takes epoll on Linux: io_uring is not faster at it
 * ("io_uring round 2").
 */
#include "posix_int.h"

#if SK_OS_POSIX
#include <limits.h>
#include <string.h>

typedef int (*sk__posix_poller_make)(sk__poller **out, int *sys);

/* Each backend: made by name with make; by the loop's default with loop
 * (NULL: never), by the default for readiness alone when ready. */
static const struct sk__posix_poller_entry {
    const char *name;
    sk__posix_poller_make make, loop;
    int ready;
} sk__posix_pollers[] = {
#if defined(SK_HAVE_IO_URING)
    {"uring", sk__posix_uring_new, sk__posix_uring_best, 0},
#endif
#if defined(SK_HAVE_EPOLL)
    {"epoll", sk__posix_epoll_new, sk__posix_epoll_new, 1},
#endif
#if defined(SK_HAVE_KQUEUE)
    {"kqueue", sk__posix_kqueue_new, sk__posix_kqueue_new, 1},
#endif
    {"poll", sk__posix_poll_new, sk__posix_poll_new, 1}
};

int sk__plat_poller_new(const char *name, int ready, sk__poller **out,
                        int *sys)
{
    size_t i, n = sizeof sk__posix_pollers / sizeof sk__posix_pollers[0];
    *out = NULL;
    for (i = 0; i < n; i++) {
        const struct sk__posix_poller_entry *e = &sk__posix_pollers[i];
        sk__posix_poller_make make = e->make;
        int r;
        if (name != NULL ? strcmp(name, e->name) != 0
                         : (make = ready ? (e->ready ? e->make : NULL)
                                         : e->loop) == NULL)
            continue;
        r = make(out, sys);
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
