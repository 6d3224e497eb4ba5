/* SPDX-License-Identifier: MIT */
/*
 * poller.c (POSIX) - which readiness backends this build has (epoll on
 * Linux, kqueue on macOS and the BSDs, poll everywhere), best first, and
 * the millisecond conversion they share.
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
#if defined(SK_HAVE_KQUEUE)
    {"kqueue", sk__posix_kqueue_new},
#endif
    {"poll", sk__posix_poll_new}
};

int sk__plat_poller_new(const char *name, sk__poller **out, int *sys)
{
    size_t i, n = sizeof sk__posix_pollers / sizeof sk__posix_pollers[0];
    *out = NULL;
    for (i = 0; i < n; i++)
        if (name == NULL || strcmp(name, sk__posix_pollers[i].name) == 0)
            return sk__posix_pollers[i].make(out, sys);
    return SK_EUNSUPPORTED;
}

int sk__posix_wait_ms(int64_t ms)
{
    if (ms < 0)
        return -1;
    return ms > INT_MAX ? INT_MAX : (int)ms;
}
#endif
