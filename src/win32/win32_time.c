/* SPDX-License-Identifier: MIT */
/*
 * time.c - the monotonic clock for timeouts: QueryPerformanceCounter in
 * microseconds (never the wall clock, which jumps when the time is set);
 * the wall clock for sk_gettime, and sleeping.
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

int64_t sk__plat_wall_us(void) {
    FILETIME ft;
    ULARGE_INTEGER t;
    /* 100 ns units since 1601-01-01; 11644473600 s later is 1970. */
    GetSystemTimeAsFileTime(&ft);
    t.LowPart = ft.dwLowDateTime;
    t.HighPart = ft.dwHighDateTime;
    return (int64_t)(t.QuadPart / 10) - (int64_t)11644473600 * 1000000;
}

void sk__plat_sleep_us(int64_t us) {
    /* Sleep counts milliseconds: round up, so that a sleep is never
     * shorter than asked (the caller checks the clock anyway). */
    Sleep((DWORD)((us + 999) / 1000));
}

#endif /* SK_OS_WIN32 */
