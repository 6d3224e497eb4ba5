/* SPDX-License-Identifier: MIT */
/*
 * tls.c - the TLS stream layer, shared by every provider: the public
 * sk_tls_* entry points (argument and role checks, then the provider of
 * tls_int.h), and the transfer loops that sit between the receive engine
 * (io.c's sk__recv_some and sk__send_all hand over when s->tls is set)
 * and the socket, waiting for what the provider needs within the
 * call's deadline.  Built without a provider, every public call answers
 * SK_EUNSUPPORTED and the internal ones are never reached.
 */
#include "tls_int.h"

#include <stdlib.h>
#include <string.h>

#if SK__HAVE_TLS

/* ---- the stream: what io.c hands over --------------------------------- */

SK__INLINE sk__tls *tls_of(const sk_sock *s)
{
    return s->extra->tls;
}

/* Wait for what the provider asked (r > 0), or pass an error through. */
static int tls_wait(sk_sock *s, int r, const sk__tm *tm)
{
    if (r <= 0)
        return r;
    return sk__wait(s, r == SK__TLS_WANT_WRITE ? SK__WAIT_WRITE
                                               : SK__WAIT_READ, tm);
}

/* The handshake, to its end or the deadline (a client still connecting
 * settles that first). */
static int tls_handshake(sk_sock *s, const sk__tm *tm)
{
    sk__tls *t = tls_of(s);
    int r = s->connecting ? sk__ensure_connected(s, tm) : 0;
    while (r == 0 && !sk__tlsp_done(t)) {
        r = sk__tlsp_handshake(t);
        r = tls_wait(s, r, tm);
    }
    return r;
}

int sk__tls_recv(sk_sock *s, char *dst, size_t cap, size_t *got,
                 const sk__tm *tm)
{
    sk__tls *t = tls_of(s);
    int r = tls_handshake(s, tm);
    *got = 0;
    while (r == 0) {
        r = sk__tlsp_read(t, dst, cap, got);
        if (r == 0) {
            s->nrecv += *got;
            /* Decrypted bytes left in TLS are readable without the
             * socket: tell the object's note, as sk__fill does. */
            if (sk__tlsp_pending(t) > 0)
                sk__notify(s, SK__NOTE_FILLED, SK_FD_INVALID);
            return 0;
        }
        r = tls_wait(s, r, tm);
    }
    return r;
}

int sk__tls_send(sk_sock *s, const char *data, size_t len, size_t *sent,
                 const sk__tm *tm)
{
    sk__tls *t = tls_of(s);
    size_t done = 0;
    int r = tls_handshake(s, tm);
    if (r == 0 && (s->shut & 2))
        r = SK_ECLOSED; /* close_notify went out: nothing may follow */
    while (r == 0 && done < len) {
        size_t n = 0;
        r = sk__tlsp_write(t, data + done, len - done, &n);
        done += n;
        s->nsent += n;
        r = tls_wait(s, r, tm);
    }
    *sent = done;
    return r;
}

/* The most plaintext one TLS record carries (RFC 8446 5.1, RFC 5246
 * 6.2.1): what sk__tls_sendv gathers before it writes. */
#define SK__TLS_RECORD ((size_t)16384)

int sk__tls_sendv(sk_sock *s, const sk_iovec *iov, size_t n, size_t *sent,
                  const sk__tm *tm)
{
    char *stage = NULL; /* small buffers gathered into one record */
    size_t i = 0, skip = 0, fill = 0, done = 0;
    int r = 0;
    for (;;) {
        size_t k = 0, left;
        const char *p;
        while (i < n && skip == iov[i].len) { /* finished or empty */
            i++;
            skip = 0;
        }
        if (i == n && fill == 0)
            break;
        if (i < n) {
            p = (const char *)iov[i].data + skip;
            left = iov[i].len - skip;
            if (fill == 0 && (left >= SK__TLS_RECORD || i == n - 1)) {
                /* whole records (or the last buffer) straight from the
                 * caller's memory; a tail shorter than a record is
                 * gathered with what follows */
                if (i < n - 1)
                    left -= left % SK__TLS_RECORD;
                r = sk__tls_send(s, p, left, &k, tm);
                done += k;
                skip += k;
                if (r != 0)
                    break;
                continue;
            }
            if (stage == NULL) {
                stage = (char *)sk__malloc(SK__TLS_RECORD);
                if (stage == NULL) {
                    r = SK_ENORESOURCES;
                    break;
                }
            }
            k = SK__TLS_RECORD - fill;
            if (k > left)
                k = left;
            memcpy(stage + fill, p, k);
            fill += k;
            skip += k;
            if (fill < SK__TLS_RECORD)
                continue; /* room for the next buffer's bytes */
        }
        /* the stage is full, or the last bytes are in it: one record */
        r = sk__tls_send(s, stage, fill, &k, tm);
        done += k;
        fill = 0;
        if (r != 0)
            break;
    }
    sk__free(stage);
    *sent = done;
    return r;
}

int sk__tls_pending(const sk_sock *s)
{
    return sk__tlsp_pending(tls_of(s)) > 0;
}

/* ---- contexts: the head every provider's context starts with ---------- */

SK__INLINE sk__tls_head *tls_head(sk_tls_ctx *ctx)
{
    return (sk__tls_head *)(void *)ctx; /* its first member */
}

int sk__tls_head_init(sk__tls_head *h, int mode)
{
    h->refs = 1;
    h->mode = mode;
    return sk__plat_mutex_new(&h->mu) == 0 ? 0 : SK_ENORESOURCES;
}

void sk__tls_head_fini(sk__tls_head *h)
{
    if (h->mu != NULL)
        sk__plat_mutex_free(h->mu);
    h->mu = NULL;
}

void sk__tls_ctx_ref(sk_tls_ctx *ctx)
{
    sk__tls_head *h = tls_head(ctx);
    sk__plat_mutex_lock(h->mu);
    h->refs++;
    sk__plat_mutex_unlock(h->mu);
}

void sk__tls_ctx_unref(sk_tls_ctx *ctx)
{
    sk__tls_head *h = tls_head(ctx);
    unsigned left;
    sk__plat_mutex_lock(h->mu);
    left = --h->refs;
    sk__plat_mutex_unlock(h->mu);
    if (left == 0)
        sk__tlsp_ctx_free(ctx);
}

int sk__tls_ctx_mode(const sk_tls_ctx *ctx)
{
    return ((const sk__tls_head *)(const void *)ctx)->mode;
}

int sk__tls_ctx_take(sk_tls_ctx *ctx, const char *host)
{
    if (sk__tls_ctx_mode(ctx) != SK_TLS_CLIENT)
        return SK_EINVAL;
    if (host != NULL ? sk__check_host(host) != 0
                     : sk__tlsp_ctx_verifies(ctx))
        return SK_EINVAL;
    sk__tls_ctx_ref(ctx);
    return 0;
}

void sk__tls_ctx_release(sk_tls_ctx *ctx)
{
    sk__tls_ctx_unref(ctx);
}

int sk__tls_want(const sk_sock *s)
{
    if (!s->tls)
        return SK_READABLE;
    return sk__tlsp_want(tls_of(s)) == SK__TLS_WANT_WRITE ? SK_WRITABLE
                                                         : SK_READABLE;
}

void sk__tls_drop(sk_sock *s)
{
    sk__extra *x = s->extra;
    if (x->tls != NULL) {
        /* close_notify only on a connection whose sending side is open */
        sk__tlsp_free(x->tls, !(s->shut & 2) && s->fd != SK_FD_INVALID);
        x->tls = NULL;
    }
    if (x->tlslisten != NULL) {
        sk__tls_ctx_unref(x->tlslisten);
        x->tlslisten = NULL;
    }
    s->tls = 0;
}

int sk__tls_shutdown(sk_sock *s, const sk__tm *tm)
{
    sk__tls *t = tls_of(s);
    if (!sk__tlsp_done(t))
        return 0; /* no session yet: nothing to close */
    for (;;) {
        int r = sk__tlsp_shutdown(t);
        if (r <= 0)
            return r;
        r = tls_wait(s, r, tm);
        if (r != 0)
            return r;
    }
}

/* Attach a session of ctx to the client s; what s had buffered belongs to
 * the TLS stream now. */
static int tls_attach(sk_sock *s, sk_tls_ctx *ctx, const char *host)
{
    size_t npre = (size_t)(s->rlast - s->rfirst);
    sk__tls *t = NULL;
    int r = sk__need_extra(s);
    if (r != 0)
        return r;
    r = sk__tlsp_new(&t, s, ctx, host,
                     npre > 0 ? s->rbuf + s->rfirst : NULL, npre);
    if (r != 0)
        return r;
    sk__rbuf_free(s);
    s->extra->tls = t;
    s->tls = 1;
    return 0;
}

int sk__tls_accepted(const sk_sock *s, sk_sock *c)
{
    return tls_attach(c, s->extra->tlslisten, NULL);
}

/* ---- public calls ------------------------------------------------------ */

SK_API const char *sk_tls_provider(void)
{
    return sk__tlsp_name();
}

SK_API int sk_tls_ctx_new(sk_tls_ctx **out, int mode)
{
    if (out == NULL)
        return SK_EINVAL;
    *out = NULL;
    if (mode != SK_TLS_CLIENT && mode != SK_TLS_SERVER)
        return SK_EINVAL;
    return sk__tlsp_ctx_new(out, mode);
}

SK_API void sk_tls_ctx_free(sk_tls_ctx *ctx)
{
    if (ctx != NULL)
        sk__tls_ctx_unref(ctx);
}

SK_API int sk_tls_ctx_set_verify(sk_tls_ctx *ctx, int mode)
{
    if (ctx == NULL)
        return SK_EINVAL;
    if (mode != SK_TLS_VERIFY_NONE && mode != SK_TLS_VERIFY_PEER &&
        mode != SK_TLS_VERIFY_OPTIONAL)
        return SK_EINVAL;
    if (mode == SK_TLS_VERIFY_OPTIONAL &&
        sk__tls_ctx_mode(ctx) != SK_TLS_SERVER)
        return SK_EINVAL;
    return sk__tlsp_ctx_verify(ctx, mode);
}

static int tls_empty(const char *p)
{
    return p == NULL || p[0] == '\0';
}

SK_API int sk_tls_ctx_set_ca_file(sk_tls_ctx *ctx, const char *file,
                                  const char *dir)
{
    if (ctx == NULL || (tls_empty(file) && tls_empty(dir)))
        return SK_EINVAL;
    return sk__tlsp_ctx_ca(ctx, tls_empty(file) ? NULL : file,
                           tls_empty(dir) ? NULL : dir, NULL, 0);
}

SK_API int sk_tls_ctx_set_ca_pem(sk_tls_ctx *ctx, const char *pem,
                                 size_t len)
{
    if (ctx == NULL || pem == NULL || len == 0 || len > 0x7fffffff)
        return SK_EINVAL;
    return sk__tlsp_ctx_ca(ctx, NULL, NULL, pem, len);
}

SK_API int sk_tls_ctx_set_cert_file(sk_tls_ctx *ctx, const char *cert,
                                    const char *key)
{
    if (ctx == NULL || tls_empty(cert))
        return SK_EINVAL;
    return sk__tlsp_ctx_cert(ctx, cert, tls_empty(key) ? cert : key, NULL,
                             0, NULL, 0);
}

SK_API int sk_tls_ctx_set_cert_pem(sk_tls_ctx *ctx, const char *cert,
                                   size_t certlen, const char *key,
                                   size_t keylen)
{
    if (ctx == NULL || cert == NULL || certlen == 0 ||
        certlen > 0x7fffffff || keylen > 0x7fffffff ||
        (key == NULL && keylen > 0))
        return SK_EINVAL;
    if (key == NULL || keylen == 0) {
        key = cert; /* the key is in the certificate's text */
        keylen = certlen;
    }
    return sk__tlsp_ctx_cert(ctx, NULL, NULL, cert, certlen, key, keylen);
}

SK_API int sk_tls_ctx_set_alpn(sk_tls_ctx *ctx, const char *protos)
{
    unsigned char *wire;
    size_t len, i, start = 0, out = 0;
    int r;
    if (ctx == NULL)
        return SK_EINVAL;
    if (protos == NULL)
        return sk__tlsp_ctx_alpn(ctx, NULL, 0);
    len = strlen(protos);
    if (len == 0 || len >= 65535)
        return SK_EINVAL;
    /* "a,b" -> \1 a \1 b: one length byte per name instead of its comma */
    wire = (unsigned char *)sk__malloc(len + 1);
    if (wire == NULL)
        return SK_ENORESOURCES;
    for (i = 0; i <= len; i++) {
        if (i == len || protos[i] == ',') {
            size_t n = i - start;
            if (n == 0 || n > 255) {
                sk__free(wire);
                return SK_EINVAL;
            }
            wire[out++] = (unsigned char)n;
            memcpy(wire + out, protos + start, n);
            out += n;
            start = i + 1;
        }
    }
    r = sk__tlsp_ctx_alpn(ctx, wire, out);
    sk__free(wire);
    return r;
}

SK_API int sk_tls_ctx_set_min_version(sk_tls_ctx *ctx, int version)
{
    if (ctx == NULL || (version != SK_TLS_1_2 && version != SK_TLS_1_3))
        return SK_EINVAL;
    return sk__tlsp_ctx_minver(ctx, version);
}

SK_API int sk_tls_start(sk_sock *s, sk_tls_ctx *ctx, const char *host)
{
    sk__tm tm;
    int r = sk__check_role(s, SK_ROLE_CLIENT);
    if (r != 0)
        return r;
    if (ctx == NULL || s->tls)
        return SK_EINVAL;
    if (sk__tls_ctx_mode(ctx) == SK_TLS_SERVER) {
        host = NULL;
        r = sk__tlsp_ctx_ready(ctx);
        if (r != 0)
            return r;
    } else if (host != NULL && sk__check_host(host) != 0) {
        return SK_EINVAL;
    }
    r = tls_attach(s, ctx, host); /* the provider refuses a missing host */
    if (r != 0)
        return r;
    sk__tm_start(&tm, s);
    return tls_handshake(s, &tm);
}

/* A client with a TLS session: 0, or the check's error. */
static int tls_check(const sk_sock *s)
{
    int r = sk__check_role(s, SK_ROLE_CLIENT);
    if (r != 0)
        return r;
    return s->tls ? 0 : SK_EWRONGROLE;
}

SK_API int sk_tls_handshake(sk_sock *s)
{
    sk__tm tm;
    int r = tls_check(s);
    if (r != 0)
        return r;
    sk__tm_start(&tm, s);
    return tls_handshake(s, &tm);
}

SK_API int sk_tls_listen(sk_sock *s, sk_tls_ctx *ctx)
{
    int r = sk__check(s);
    if (r != 0)
        return r;
    if (s->type != SK__STREAM ||
        (s->role != SK_ROLE_MASTER && s->role != SK_ROLE_SERVER))
        return SK_EWRONGROLE;
    if (ctx != NULL) {
        if (sk__tls_ctx_mode(ctx) != SK_TLS_SERVER)
            return SK_EINVAL;
        r = sk__tlsp_ctx_ready(ctx);
        if (r != 0)
            return r;
    }
    if (ctx == NULL && s->extra == NULL)
        return 0;
    r = sk__need_extra(s);
    if (r != 0)
        return r;
    if (ctx != NULL)
        sk__tls_ctx_ref(ctx);
    if (s->extra->tlslisten != NULL)
        sk__tls_ctx_unref(s->extra->tlslisten);
    s->extra->tlslisten = ctx;
    return 0;
}

SK_API int sk_tls_get(sk_sock *s, int item, const char **value)
{
    int r;
    if (value != NULL)
        *value = NULL;
    r = tls_check(s);
    if (r != 0)
        return r;
    if (value == NULL || item < SK_TLS_VERSION || item > SK_TLS_ERROR_MESSAGE)
        return SK_EINVAL;
    if (!sk__tlsp_done(tls_of(s)) && item != SK_TLS_ERROR_MESSAGE &&
        item != SK_TLS_SERVER_NAME && item != SK_TLS_VERIFY_MESSAGE)
        return SK_EINPROGRESS;
    return sk__tlsp_get(tls_of(s), item, value);
}

SK_API int sk_tls_verified(const sk_sock *s)
{
    int r = tls_check(s);
    if (r != 0)
        return r;
    if (!sk__tlsp_done(tls_of(s)))
        return SK_EINPROGRESS;
    return sk__tlsp_verified(tls_of(s));
}

SK_API int sk_tls_resumed(const sk_sock *s)
{
    int r = tls_check(s);
    if (r != 0)
        return r;
    if (!sk__tlsp_done(tls_of(s)))
        return SK_EINPROGRESS;
    return sk__tlsp_resumed(tls_of(s));
}

#else /* no TLS provider: the calls exist and say so */

int sk__tls_recv(sk_sock *s, char *dst, size_t cap, size_t *got,
                 const sk__tm *tm)
{
    (void)s, (void)dst, (void)cap, (void)tm;
    *got = 0;
    return SK_EUNSUPPORTED;
}

int sk__tls_send(sk_sock *s, const char *data, size_t len, size_t *sent,
                 const sk__tm *tm)
{
    (void)s, (void)data, (void)len, (void)tm;
    *sent = 0;
    return SK_EUNSUPPORTED;
}

int sk__tls_sendv(sk_sock *s, const sk_iovec *iov, size_t n, size_t *sent,
                  const sk__tm *tm)
{
    (void)s, (void)iov, (void)n, (void)tm;
    *sent = 0;
    return SK_EUNSUPPORTED;
}

int sk__tls_pending(const sk_sock *s)
{
    (void)s;
    return 0;
}

int sk__tls_want(const sk_sock *s)
{
    (void)s;
    return SK_READABLE;
}

int sk__tls_ctx_take(sk_tls_ctx *ctx, const char *host)
{
    (void)ctx, (void)host;
    return SK_EUNSUPPORTED;
}

void sk__tls_ctx_release(sk_tls_ctx *ctx)
{
    (void)ctx;
}

void sk__tls_drop(sk_sock *s)
{
    (void)s;
}

int sk__tls_shutdown(sk_sock *s, const sk__tm *tm)
{
    (void)s, (void)tm;
    return 0;
}

int sk__tls_accepted(const sk_sock *s, sk_sock *c)
{
    (void)s, (void)c;
    return SK_EUNSUPPORTED;
}

SK_API const char *sk_tls_provider(void)
{
    return NULL;
}

SK_API int sk_tls_ctx_new(sk_tls_ctx **out, int mode)
{
    (void)mode;
    if (out == NULL)
        return SK_EINVAL;
    *out = NULL;
    return SK_EUNSUPPORTED;
}

SK_API void sk_tls_ctx_free(sk_tls_ctx *ctx)
{
    (void)ctx;
}

/* No context can exist: NULL is the only one a caller can pass. */
SK_API int sk_tls_ctx_set_verify(sk_tls_ctx *ctx, int mode)
{
    (void)ctx, (void)mode;
    return SK_EINVAL;
}

SK_API int sk_tls_ctx_set_ca_file(sk_tls_ctx *ctx, const char *file,
                                  const char *dir)
{
    (void)ctx, (void)file, (void)dir;
    return SK_EINVAL;
}

SK_API int sk_tls_ctx_set_ca_pem(sk_tls_ctx *ctx, const char *pem,
                                 size_t len)
{
    (void)ctx, (void)pem, (void)len;
    return SK_EINVAL;
}

SK_API int sk_tls_ctx_set_cert_file(sk_tls_ctx *ctx, const char *cert,
                                    const char *key)
{
    (void)ctx, (void)cert, (void)key;
    return SK_EINVAL;
}

SK_API int sk_tls_ctx_set_cert_pem(sk_tls_ctx *ctx, const char *cert,
                                   size_t certlen, const char *key,
                                   size_t keylen)
{
    (void)ctx, (void)cert, (void)certlen, (void)key, (void)keylen;
    return SK_EINVAL;
}

SK_API int sk_tls_ctx_set_alpn(sk_tls_ctx *ctx, const char *protos)
{
    (void)ctx, (void)protos;
    return SK_EINVAL;
}

SK_API int sk_tls_ctx_set_min_version(sk_tls_ctx *ctx, int version)
{
    (void)ctx, (void)version;
    return SK_EINVAL;
}

/* The object calls check the object first, as with TLS. */
static int tls_nocheck(const sk_sock *s)
{
    int r = sk__check_role(s, SK_ROLE_CLIENT);
    return r != 0 ? r : SK_EUNSUPPORTED;
}

SK_API int sk_tls_start(sk_sock *s, sk_tls_ctx *ctx, const char *host)
{
    (void)host;
    if (s != NULL && ctx == NULL && s->role == SK_ROLE_CLIENT)
        return SK_EINVAL;
    return tls_nocheck(s);
}

SK_API int sk_tls_handshake(sk_sock *s)
{
    int r = sk__check_role(s, SK_ROLE_CLIENT);
    return r != 0 ? r : SK_EWRONGROLE; /* no client has TLS */
}

SK_API int sk_tls_listen(sk_sock *s, sk_tls_ctx *ctx)
{
    int r = sk__check(s);
    if (r != 0)
        return r;
    if (s->type != SK__STREAM ||
        (s->role != SK_ROLE_MASTER && s->role != SK_ROLE_SERVER))
        return SK_EWRONGROLE;
    return ctx == NULL ? 0 : SK_EUNSUPPORTED;
}

SK_API int sk_tls_get(sk_sock *s, int item, const char **value)
{
    int r;
    (void)item;
    if (value != NULL)
        *value = NULL;
    r = sk__check_role(s, SK_ROLE_CLIENT);
    return r != 0 ? r : SK_EWRONGROLE;
}

SK_API int sk_tls_verified(const sk_sock *s)
{
    int r = sk__check_role(s, SK_ROLE_CLIENT);
    return r != 0 ? r : SK_EWRONGROLE;
}

SK_API int sk_tls_resumed(const sk_sock *s)
{
    int r = sk__check_role(s, SK_ROLE_CLIENT);
    return r != 0 ? r : SK_EWRONGROLE;
}

#endif /* SK__HAVE_TLS */
