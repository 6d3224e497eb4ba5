/* SPDX-License-Identifier: MIT */
/*
 * unix.c - UNIX-domain objects: the stream and datagram constructors, and
 * the bookkeeping that removes a filesystem path an object bound when that
 * object is closed.  Paths become addresses in addr.c (sk__addrs_for).
 */
#include "sockit_int.h"

#include <stdlib.h>

/* A system without AF_UNIX (Wine, Windows before 10 1803) refuses the
 * family: to the caller that is "UNIX-domain sockets unsupported". */
static int unix_new(sk_sock **out, int type)
{
    int r = sk__new(out, SK__AF_UNIX, type, 0);
    return r == SK_EFAMILY ? SK_EUNSUPPORTED : r;
}

SK_API int sk_unix(sk_sock **out)
{
    return unix_new(out, SK__STREAM);
}

SK_API int sk_unixdgram(sk_sock **out)
{
    return unix_new(out, SK__DGRAM);
}

int sk__unix_bind_begin(sk_sock *s, const char *host, char **keep)
{
    int r;
    *keep = NULL;
    if (s->family != SK__AF_UNIX)
        return 0;
    /* A path left from an earlier bind whose socket is gone (a bound
     * master whose connect failed starts over unbound): still ours. */
    sk__unix_close(s);
    if (host[0] == '@')
        return 0; /* abstract names vanish with their socket */
    /* Copied (and room made to keep it) before binding, so that a bind
     * that succeeds is never undone for want of memory. */
    r = sk__need_extra(s);
    return r != 0 ? r : sk__plat_unix_keep(host, keep);
}

void sk__unix_bind_end(sk_sock *s, char *keep, int r)
{
    if (r != 0) {
        sk__free(keep); /* the path is someone else's (or nobody's): keep off */
        return;
    }
    if (keep != NULL)
        s->extra->upath = keep; /* made by sk__unix_bind_begin */
}

void sk__unix_close(sk_sock *s)
{
    if (s->extra == NULL || s->extra->upath == NULL)
        return;
    sk__plat_unix_remove(s->extra->upath);
    sk__free(s->extra->upath);
    s->extra->upath = NULL;
}
