/* SPDX-License-Identifier: MIT */
/*
 * time.c (POSIX) - the monotonic clock, the wall clock and sleeping.
 */
#include "posix_int.h"

#if SK_OS_POSIX
int64_t sk__plat_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t sk__plat_wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void sk__plat_sleep_us(int64_t us)
{
    struct timespec ts;
    ts.tv_sec = (time_t)(us / 1000000);
    ts.tv_nsec = (long)(us % 1000000) * 1000;
    (void)nanosleep(&ts, NULL); /* EINTR: the caller sleeps again */
}
#endif
