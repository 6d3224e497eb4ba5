/* SPDX-License-Identifier: MIT */
/*
 * common.h - what every C benchmark program shares: arguments, the clock,
 * memory readings, the line-stream format and the output protocol that
 * bench/harness.py reads.
 *
 * Every implementation program is called as
 *     PROG server WORKLOAD [key=value...]
 *     PROG client WORKLOAD port=P [key=value...]
 * A server binds 127.0.0.1 port 0 and prints "PORT <n>" as its first line;
 * both sides end by printing one "RESULT key=value ..." line (the harness
 * merges the server's and the client's).  Loopback only, always.
 *
 * Linux only (the harness runs here): /proc is read for memory.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#define _GNU_SOURCE 1

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <malloc.h>
#include <sys/resource.h>

#define BENCH_MSG 64             /* pingpong / fanin message size */
#define BENCH_CHUNK 65536        /* bulk send and receive size */
#define BENCH_LINE_BUF 8192      /* the raw line reader's buffer */

/* ---- arguments: key=value pairs after role and workload ---------------- */
static inline long long bench_arg(int argc, char **argv, const char *key,
                           long long def)
{
    size_t k = strlen(key);
    int i;
    for (i = 3; i < argc; i++)
        if (strncmp(argv[i], key, k) == 0 && argv[i][k] == '=')
            return atoll(argv[i] + k + 1);
    return def;
}

/* The text of key=..., or def. */
static inline const char *bench_sarg(int argc, char **argv, const char *key,
                                     const char *def)
{
    size_t k = strlen(key);
    int i;
    for (i = 3; i < argc; i++)
        if (strncmp(argv[i], key, k) == 0 && argv[i][k] == '=')
            return argv[i] + k + 1;
    return def;
}

static inline void bench_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "bench: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (errno %d: %s)\n", errno, strerror(errno));
    va_end(ap);
    exit(2);
}

/* Raise the soft descriptor limit to the hard one (fan-in and idle hold
 * 10,000 sockets); returns the new soft limit. */
static inline long long bench_raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return -1;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &rl);
    }
    return (long long)rl.rlim_cur;
}

/* ---- the dispatch every implementation's main() makes --------------------- */
typedef void (*bench_side)(int argc, char **argv);
typedef struct {
    const char *name;  /* the WORKLOAD argument */
    bench_side server; /* NULL: no server side here */
    bench_side client; /* NULL: no client side here */
} bench_workload;

/* The side argv[1] (server|client) of workload argv[2] in w[0..n), after
 * raising the descriptor limit; dies with a usage message otherwise. */
static inline bench_side bench_pick(int argc, char **argv,
                                    const bench_workload *w, size_t n)
{
    size_t i;
    bench_raise_nofile();
    if (argc < 3)
        bench_die("usage: %s server|client WORKLOAD [key=value...]", argv[0]);
    for (i = 0; i < n; i++)
        if (strcmp(argv[2], w[i].name) == 0) {
            bench_side f =
                strcmp(argv[1], "server") == 0 ? w[i].server : w[i].client;
            if (f == NULL)
                bench_die("%s has no %s side here", argv[2], argv[1]);
            return f;
        }
    bench_die("unknown workload %s", argv[2]);
    return NULL;
}

/* ---- clock ------------------------------------------------------------- */
static inline int64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- memory: resident set and its peak, in bytes ----------------------- */
static inline long long bench_status_kb(const char *field)
{
    char line[256];
    long long kb = -1;
    size_t n = strlen(field);
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (strncmp(line, field, n) == 0 && line[n] == ':') {
            kb = atoll(line + n + 1);
            break;
        }
    fclose(f);
    return kb;
}
static inline long long bench_rss(void) { return bench_status_kb("VmRSS") * 1024; }
static inline long long bench_hwm(void) { return bench_status_kb("VmHWM") * 1024; }
/* Bytes the C heap has handed out (glibc mallinfo2: in use, not freed). */
static inline long long bench_heap(void)
{
    struct mallinfo2 mi = mallinfo2();
    return (long long)(mi.uordblks + mi.hblkhd);
}

/* ---- latency samples: every BENCH_LAT_EVERY-th round trip -------------- */
#define BENCH_LAT_EVERY 8
static inline int bench_cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}
/* Prints " lat_p50_us=.. lat_p99_us=.." (nothing when n is 0). */
static inline void bench_print_lat(int64_t *lat, size_t n)
{
    if (n == 0)
        return;
    qsort(lat, n, sizeof *lat, bench_cmp_i64);
    printf(" lat_p50_us=%.2f lat_p99_us=%.2f", (double)lat[n / 2] / 1e3,
           (double)lat[(n * 99) / 100] / 1e3);
}

/* ---- the lines workload's stream -------------------------------------- */
/* Line i is "line <i, 8 digits> " padded with a repeating alphabet to
 * 30 + i % 21 bytes, then LF: 31..51 bytes, 41 on average.  The reader
 * checks the count and the total length of the lines (without LF). */
static inline size_t bench_make_line(char *dst, unsigned long i)
{
    size_t len = 30 + i % 21, k;
    int n = snprintf(dst, 64, "line %08lu ", i % 100000000ul);
    for (k = (size_t)n; k < len; k++)
        dst[k] = (char)('a' + (k + i) % 26);
    dst[len] = '\n';
    return len + 1;
}
/* Sum of line lengths without LF for n lines. */
static inline unsigned long long bench_lines_bytes(unsigned long n)
{
    unsigned long long t = 0;
    unsigned long i;
    for (i = 0; i < n; i++)
        t += 30 + i % 21;
    return t;
}

#endif
