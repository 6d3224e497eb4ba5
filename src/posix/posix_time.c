/* SPDX-License-Identifier: MIT */
/*
 * time.c (POSIX) - the monotonic clock.
 */
#include "posix_int.h"

#if SK_OS_POSIX
int64_t sk__plat_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
#endif
