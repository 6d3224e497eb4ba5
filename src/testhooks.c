/* SPDX-License-Identifier: MIT */
/*
 * testhooks.c - the hooks of sockit's test build.  Compiled empty in the
 * library users get (plat.h maps sk__malloc and friends to the C library);
 * with SOCKIT_TEST_HOOKS (tests/CMakeLists.txt's sockit_hooked) it counts
 * allocations and fails the Nth on demand, the way SQLite's test builds
 * fail the Nth malloc, can run sk_conn's host lookups on the calling
 * thread, can tell sk_sendfile where its peer is, and can make the
 * io_uring backend's setup fail.  Its state is process-wide: that is why
 * it exists only in a test build.
 */
#include "plat.h"

#if defined(SOCKIT_TEST_HOOKS)

#include <stdlib.h>

static unsigned long alloc_fail_at; /* 0: not armed */
static unsigned long alloc_count;
static int alloc_failed;
static int lookup_inline;
static int sendfile_local = -1;
static int uring_refusal;
static unsigned uring_nbuf, uring_bsize;
static int uring_oneshot;

/* One more allocation: 1 when it is the one to fail. */
static int alloc_fails(void)
{
    if (alloc_fail_at == 0)
        return 0;
    alloc_count++;
    if (alloc_count != alloc_fail_at)
        return 0;
    alloc_failed = 1;
    return 1;
}

void sk__test_alloc_fail_at(unsigned long n)
{
    alloc_fail_at = n;
    alloc_count = 0;
    alloc_failed = 0;
}

unsigned long sk__test_alloc_count(void)
{
    return alloc_count;
}

int sk__test_alloc_failed(void)
{
    return alloc_failed;
}

void sk__test_lookup_inline(int on)
{
    lookup_inline = on;
}

int sk__test_lookup_inlined(void)
{
    return lookup_inline;
}

void sk__test_sendfile_local_set(int mode)
{
    sendfile_local = mode;
}

int sk__test_sendfile_local(void)
{
    return sendfile_local;
}

void sk__test_uring_refuse(int e)
{
    uring_refusal = e;
}

int sk__test_uring_refusal(void)
{
    return uring_refusal;
}

void sk__test_uring_bufs(unsigned count, unsigned size, int oneshot)
{
    uring_nbuf = count;
    uring_bsize = size;
    uring_oneshot = oneshot;
}

void sk__test_uring_bufs_get(unsigned *count, unsigned *size, int *oneshot)
{
    *count = uring_nbuf;
    *size = uring_bsize;
    *oneshot = uring_oneshot;
}

void *sk__malloc(size_t n)
{
    return alloc_fails() ? NULL : malloc(n);
}

void *sk__calloc(size_t count, size_t n)
{
    return alloc_fails() ? NULL : calloc(count, n);
}

void *sk__realloc(void *p, size_t n)
{
    if (n > 0 && alloc_fails())
        return NULL;
    return realloc(p, n);
}

void sk__free(void *p)
{
    free(p);
}

#endif /* SOCKIT_TEST_HOOKS */
