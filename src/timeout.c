/* SPDX-License-Identifier: MIT */
/*
 * timeout.c - block and total deadlines on the monotonic clock.  A call
 * starts its clock with sk__tm_start; each wait asks sk__tm_left how long it
 * may take: the block timeout, cut short by what remains of the total.
 */
#include "sockit_int.h"

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

/* Seconds (negative: none) to whole milliseconds, rounded to nearest and
 * clamped to about 24 days, so int arithmetic in every backend is safe. */
int64_t sk__seconds_to_ms(double seconds)
{
    const double max_ms = 2147483.0 * 1000.0;
    double ms;
    if (!(seconds >= 0)) /* negative or NaN */
        return -1;
    ms = seconds * 1000.0 + 0.5;
    if (ms > max_ms)
        ms = max_ms;
    return (int64_t)ms; /* truncation of a positive value: rounds */
}
