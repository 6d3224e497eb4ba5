/* SPDX-License-Identifier: MIT */
/*
 * udpeach.c - the batch calls of a backend without a batch system call
 * (Windows, the BSDs, macOS, the fuzz fake): one datagram per system call
 * through sk__plat_sendto / sk__plat_recvfrom, and after the first
 * receive only what sk__plat_dgram_ready says is there.  Below the
 * objects: it knows only plat.h.
 */
#include "plat.h"

/* A valid pointer for an empty datagram's NULL data (a receive takes
 * NULL with len 0: sk__plat_recvfrom). */
static const char each_none = 0;

int sk__udp_sendeach(sk_fd_t fd, const sk_dgram *d,
                     const sk__addr *const *to, size_t n, size_t *done,
                     int *sys)
{
    size_t i, sent = 0;
    int r = 0;
    for (i = 0; i < n; i++) {
        const void *buf = d[i].data != NULL ? d[i].data : &each_none;
        r = sk__plat_sendto(fd, buf, d[i].len, to[i], &sent, sys);
        if (r != 0)
            break;
    }
    *done = i;
    return i > 0 ? 0 : r;
}

int sk__udp_recveach(sk_fd_t fd, sk_dgram *d, sk__addr *from, size_t n,
                     int all, int wait, size_t *done, int *sys)
{
    size_t i;
    int r = 0;
    for (i = 0; i < n; i++) {
        size_t got = 0, size = 0;
        if ((i > 0 || !wait) && !sk__plat_dgram_ready(fd)) {
            r = SK_EWOULDBLOCK;
            break;
        }
        r = sk__plat_recvfrom(fd, d[i].data, d[i].len, &got, &size,
                              all || d[i].from != NULL ? &from[i] : NULL,
                              sys);
        if (r != 0 && r != SK_ETRUNCATED)
            break; /* (d[i] not touched) */
        d[i].got = got;
        d[i].size = size;
        d[i].status = r;
    }
    *done = i;
    return i > 0 ? 0 : r;
}
