/* SPDX-License-Identifier: MIT */
/*
 * clock.c - the public clocks and sleep (sk_gettime, sk_monotime,
 * sk_sleep), over the backends' sk__plat_wall_us, sk__plat_now_us and
 * sk__plat_sleep_us.
 */
#include "sockit_int.h"

SK_API double sk_gettime(void)
{
    return (double)sk__plat_wall_us() / 1e6;
}

SK_API double sk_monotime(void)
{
    return (double)sk__plat_now_us() / 1e6;
}

SK_API int sk_sleep(double seconds)
{
    int64_t end, left;
    if (seconds != seconds || seconds > 1e9) /* NaN, too long, +inf */
        return SK_EINVAL;
    if (seconds <= 0)
        return 0;
    end = sk__plat_now_us() + (int64_t)(seconds * 1e6);
    /* A deadline on the monotonic clock: an early return (a signal) sleeps
     * what is left; a day at most per call keeps each within the
     * backends' range. */
    while ((left = end - sk__plat_now_us()) > 0)
        sk__plat_sleep_us(left < (int64_t)86400000000 ? left
                                                       : (int64_t)86400000000);
    return 0;
}
