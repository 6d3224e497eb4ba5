/* SPDX-License-Identifier: MIT */
/*
 * tls_int.h - the contract between the shared TLS layer (tls.c: public
 * entry points, argument checks, waiting under the object's deadlines) and
 * a TLS provider (tls_openssl.c, tls_schannel.c), one file per provider,
 * each compiled to nothing unless its macro is defined:
 *
 *   SOCKIT_HAVE_OPENSSL   tls_openssl.c (link libssl and libcrypto)
 *   SOCKIT_HAVE_SCHANNEL  tls_schannel.c (Windows: link secur32, crypt32,
 *                         ncrypt)
 *
 * CMake's SOCKIT_TLS defines one of them; a plain Makefile or the
 * amalgamation defines neither and gets sockit without TLS (every sk_tls_*
 * call answers SK_EUNSUPPORTED), or defines one and links the library.
 *
 * The provider's calls never wait: each does one step and says what it
 * needs to go on (SK__TLS_WANT_READ / SK__TLS_WANT_WRITE, positive), and
 * tls.c waits for that within the call's deadline (sk__wait) and calls
 * again.  The provider moves bytes only through sk__plat_send and
 * sk__plat_recv on the object's socket (so no SIGPIPE, and the backend
 * stays the only place that touches the OS).
 */
#ifndef SK_TLS_INT_H
#define SK_TLS_INT_H

#include "sockit_int.h"

#if defined(SOCKIT_HAVE_OPENSSL) || defined(SOCKIT_HAVE_SCHANNEL)
#  define SK__HAVE_TLS 1
#else
#  define SK__HAVE_TLS 0
#endif

#define SK__TLS_WANT_READ 1  /* wait for the socket to be readable */
#define SK__TLS_WANT_WRITE 2 /* wait for the socket to be writable */

/* ---- contexts ------------------------------------------------------------
 * struct sk_tls_ctx is the provider's; its first member is an sk__tls_head,
 * which tls.c keeps.  Reference-counted (thread-safe): new gives one
 * reference, every object using it holds one; the last unref calls
 * sk__tlsp_ctx_free. */
typedef struct sk__tls_head {
    sk__mutex *mu; /* refs, and whatever else the provider guards with it */
    unsigned refs;
    int mode;      /* SK_TLS_CLIENT / SK_TLS_SERVER */
} sk__tls_head;
/* One reference and a mutex: 0, or SK_ENORESOURCES with nothing made.
 * fini frees the mutex; it takes a head init never reached (mu NULL). */
int sk__tls_head_init(sk__tls_head *h, int mode);
void sk__tls_head_fini(sk__tls_head *h);
void sk__tls_ctx_ref(sk_tls_ctx *ctx);
void sk__tls_ctx_unref(sk_tls_ctx *ctx);
int sk__tls_ctx_mode(const sk_tls_ctx *ctx);

const char *sk__tlsp_name(void);
int sk__tlsp_ctx_new(sk_tls_ctx **out, int mode);
void sk__tlsp_ctx_free(sk_tls_ctx *ctx);
/* A server context with no certificate: SK_ETLSBADCERT; else 0. */
int sk__tlsp_ctx_ready(const sk_tls_ctx *ctx);
int sk__tlsp_ctx_verify(sk_tls_ctx *ctx, int mode);
/* 1 when objects of ctx verify their peer (not SK_TLS_VERIFY_NONE). */
int sk__tlsp_ctx_verifies(const sk_tls_ctx *ctx);
/* Trust: file and/or dir, or the len bytes of PEM (then file and dir are
 * NULL).  Arguments checked by tls.c. */
int sk__tlsp_ctx_ca(sk_tls_ctx *ctx, const char *file, const char *dir,
                    const char *pem, size_t len);
/* Own certificate and key: from files (certpem NULL) or memory (key NULL:
 * in the certificate's text). */
int sk__tlsp_ctx_cert(sk_tls_ctx *ctx, const char *certfile,
                      const char *keyfile, const char *certpem,
                      size_t certlen, const char *keypem, size_t keylen);
/* ALPN list in wire form (length-prefixed names), NULL/0 to clear. */
int sk__tlsp_ctx_alpn(sk_tls_ctx *ctx, const unsigned char *wire,
                      size_t len);
int sk__tlsp_ctx_minver(sk_tls_ctx *ctx, int version);

/* ---- sessions on one object ------------------------------------------- */
/* sk__tls is the provider's.  new: a session of ctx's side on s's socket
 * (host: the client's SNI / verification name or NULL; pre: the npre bytes
 * s had buffered, copied, read before the socket).  Takes a reference on
 * ctx.  Returns 0, SK_EINVAL (host unusable), SK_ENORESOURCES. */
typedef struct sk__tls sk__tls;
int sk__tlsp_new(sk__tls **out, sk_sock *s, sk_tls_ctx *ctx,
                 const char *host, const char *pre, size_t npre);
/* Free the session; notify: send close_notify first (one try, only after
 * a completed handshake and no fatal error). */
void sk__tlsp_free(sk__tls *t, int notify);
/* One step each: 0 (done; for read/write *n > 0 bytes moved), a
 * SK__TLS_WANT_*, or a negative SK_E* (fatal ones are sticky). */
int sk__tlsp_handshake(sk__tls *t);
int sk__tlsp_read(sk__tls *t, char *dst, size_t cap, size_t *n);
int sk__tlsp_write(sk__tls *t, const char *src, size_t len, size_t *n);
/* Send close_notify (0 once sent or when nothing is to be sent). */
int sk__tlsp_shutdown(sk__tls *t);
/* What the last step that could not go on waits for: SK__TLS_WANT_READ
 * or SK__TLS_WANT_WRITE. */
int sk__tlsp_want(const sk__tls *t);
/* 1 once the handshake completed. */
int sk__tlsp_done(const sk__tls *t);
/* Decrypted bytes held, readable without the socket. */
size_t sk__tlsp_pending(const sk__tls *t);
/* Queries (tls.c checked t and the item; the handshake is done for every
 * item but the message ones). */
int sk__tlsp_get(sk__tls *t, int item, const char **value);
int sk__tlsp_verified(const sk__tls *t);
int sk__tlsp_resumed(const sk__tls *t);

#endif /* SK_TLS_INT_H */
