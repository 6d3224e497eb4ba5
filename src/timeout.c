/* SPDX-License-Identifier: MIT */
/*
 * timeout.c - block and total deadlines on the monotonic clock.  A call
 * starts its clock with sk__tm_start; each wait asks sk__tm_left how long it
 * may take: the block timeout, cut short by what remains of the total.
 */
#include "sockit_int.h"

#include <float.h>

int64_t sk__tm_left(const sk__tm *tm)
{
    int64_t left_ms, elapsed_us;
    if (tm->total_ms < 0)
        return tm->block_ms;
    elapsed_us = sk__plat_now_us() - tm->start_us;
    if (elapsed_us >= tm->total_ms * 1000)
        return 0;
    /* Round up, so that a wait never ends a fraction of a millisecond
     * early and spins on a zero timeout. */
    left_ms = (tm->total_ms * 1000 - elapsed_us + 999) / 1000;
    if (tm->block_ms >= 0 && tm->block_ms < left_ms)
        return tm->block_ms;
    return left_ms;
}

int sk__tm_expired(const sk__tm *tm)
{
    if (tm->total_ms < 0)
        return 0;
    return sk__plat_now_us() - tm->start_us >= tm->total_ms * 1000;
}

/* The one timeout rule of the API (every call that takes a timeout uses
 * it): NaN and finite values above SK__TIMEOUT_MAX_S seconds are
 * SK_EINVAL; negative values and +inf mean no limit (*ms -1); anything
 * else is whole milliseconds, rounded to nearest, never capped. */
int sk__timeout_ms(double seconds, int64_t *ms)
{
    if (seconds != seconds) /* NaN */
        return SK_EINVAL;
    if (seconds < 0 || seconds > DBL_MAX) { /* negative, or +inf */
        *ms = -1;
        return 0;
    }
    if (seconds > SK__TIMEOUT_MAX_S)
        return SK_EINVAL;
    /* 1e12 ms at most: exact in a double, far inside int64_t. */
    *ms = (int64_t)(seconds * 1000.0 + 0.5);
    return 0;
}
