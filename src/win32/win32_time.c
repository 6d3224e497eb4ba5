/* SPDX-License-Identifier: MIT */
/*
 * time.c - the monotonic clock for timeouts: QueryPerformanceCounter in
 * microseconds.  Never the wall clock, which jumps when the time is set.
 */
#include "../plat.h"

#if SK_OS_WIN32

#include "win32_int.h"

int64_t sk__plat_now_us(void) {
    LARGE_INTEGER freq, count;
    int64_t f, c;
    /* Both calls always succeed on XP and later.  The frequency is fixed at
     * boot and costs next to nothing to read, so it is not cached (no
     * process-wide state). */
    QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&count);
    f = (int64_t)freq.QuadPart;
    c = (int64_t)count.QuadPart;
    if (f <= 0)
        return 0;
    /* count * 1000000 would overflow after a few days of uptime at a 10 MHz
     * frequency; whole seconds and the remainder separately do not. */
    return (c / f) * 1000000 + ((c % f) * 1000000) / f;
}

#endif /* SK_OS_WIN32 */
