/* SPDX-License-Identifier: MIT */
/*
 * tls_openssl.c - the OpenSSL provider of tls_int.h (OpenSSL 1.1.1 or 3):
 * contexts over SSL_CTX, one SSL per object whose BIO moves bytes through
 * sk__plat_send / sk__plat_recv on the object's socket (never a socket BIO:
 * no SIGPIPE, no fd games), OpenSSL's results mapped onto sockit's codes,
 * and a small client session cache per context keyed by host and port.
 * Compiled to nothing unless SOCKIT_HAVE_OPENSSL is defined.
 */
#include "tls_int.h"

#if defined(SOCKIT_HAVE_OPENSSL)

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TLSO_SESS_MAX 16                 /* sessions kept per context */
#define TLSO_KEY_MAX (SK__HOST_MAX + 8) /* "host:port" */

typedef struct tlso_sess {
    char key[TLSO_KEY_MAX];
    SSL_SESSION *sess;
} tlso_sess;

struct sk_tls_ctx {
    sk__tls_head h; /* first (tls.c keeps it); h.mu guards the rest too */
    SSL_CTX *ssl;
    BIO_METHOD *bio;      /* this context's BIO type (no global one) */
    int verify;           /* enum sk_tls_verify */
    int trusted;          /* trust was given, or the system's is loaded */
    unsigned char *alpn;  /* a server's ALPN list, wire form */
    size_t alpnlen;
    tlso_sess sess[TLSO_SESS_MAX];
    size_t nextsess;      /* round-robin slot for a new host */
};
typedef char tlso_head_first[offsetof(struct sk_tls_ctx, h) == 0 ? 1 : -1];

struct sk__tls {
    SSL *ssl;
    sk_tls_ctx *ctx;
    sk_sock *s;
    char *pre;            /* bytes read before TLS started, read first */
    size_t npre, preoff;
    int err;              /* sticky fatal error, 0 none */
    int ioerr;            /* the socket's error the BIO saw, 0 none */
    int done;             /* handshake completed */
    int eof;              /* the BIO saw the end of the stream */
    int want;             /* SK__TLS_WANT_* of the last step that waits */
    char key[TLSO_KEY_MAX]; /* session-cache key ("" none) */
    char msg[256];        /* the TLS library's message of the failure */
    char info[512];       /* sk_tls_get's answer */
};

/* ---- the BIO: bytes to and from the object's socket -------------------- */

static int tlso_bio_write(BIO *b, const char *buf, int len)
{
    sk__tls *t = (sk__tls *)BIO_get_data(b);
    size_t n = 0;
    int r, sys = 0;
    BIO_clear_retry_flags(b);
    if (len <= 0)
        return 0;
    r = sk__plat_send(t->s->fd, buf, (size_t)len, &n, &sys);
    sk__sys_set(t->s, sys);
    if (r == 0)
        return (int)n;
    if (r == SK_EWOULDBLOCK)
        BIO_set_retry_write(b);
    else
        t->ioerr = r;
    return -1;
}

static int tlso_bio_read(BIO *b, char *buf, int len)
{
    sk__tls *t = (sk__tls *)BIO_get_data(b);
    size_t n = 0;
    int r, sys = 0;
    BIO_clear_retry_flags(b);
    if (len <= 0)
        return 0;
    if (t->preoff < t->npre) { /* what the object had buffered first */
        n = t->npre - t->preoff;
        if (n > (size_t)len)
            n = (size_t)len;
        memcpy(buf, t->pre + t->preoff, n);
        t->preoff += n;
        return (int)n;
    }
    r = sk__plat_recv(t->s->fd, buf, (size_t)len, &n, &sys);
    sk__sys_set(t->s, sys);
    if (r == 0)
        return (int)n;
    if (r == SK_EWOULDBLOCK) {
        BIO_set_retry_read(b);
        return -1;
    }
    if (r == SK_ECLOSED) {
        t->eof = 1;
        return 0;
    }
    t->ioerr = r;
    return -1;
}

static long tlso_bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    sk__tls *t = (sk__tls *)BIO_get_data(b);
    (void)num;
    (void)ptr;
    switch (cmd) {
    case BIO_CTRL_FLUSH:
        return 1;
    case BIO_CTRL_EOF:
        return t != NULL && t->eof;
    default:
        return 0;
    }
}

static int tlso_bio_create(BIO *b)
{
    BIO_set_init(b, 1);
    return 1;
}

/* ---- errors ------------------------------------------------------------ */

static int tlso_verify_code(long v)
{
    switch (v) {
    case X509_V_OK:
        return 0;
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return SK_ETLSEXPIRED;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return SK_ETLSHOSTNAME;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        return SK_ETLSSELFSIGNED;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED:
        return SK_ETLSUNTRUSTED;
    default:
        return SK_ETLSCERT;
    }
}

/* The text of OpenSSL's last queued error into t->msg (kept when there is
 * none), and the queue emptied. */
static void tlso_message(sk__tls *t)
{
    unsigned long e = ERR_peek_last_error();
    if (e != 0)
        ERR_error_string_n(e, t->msg, sizeof t->msg);
    ERR_clear_error();
}

/* What a failed call (ret: its return value) means; hs: during the
 * handshake.  Fatal errors are kept in t->err. */
static int tlso_fail(sk__tls *t, int ret, int hs)
{
    int e = SSL_get_error(t->ssl, ret), code;
    unsigned long ec;
    switch (e) {
    case SSL_ERROR_WANT_READ:
        return t->want = SK__TLS_WANT_READ;
    case SSL_ERROR_WANT_WRITE:
        return t->want = SK__TLS_WANT_WRITE;
    case SSL_ERROR_ZERO_RETURN: /* the peer's close_notify */
        return SK_ECLOSED;
    case SSL_ERROR_SYSCALL:
        if (t->ioerr != 0) {
            code = t->ioerr;
            snprintf(t->msg, sizeof t->msg, "%s", sk_strerror(code));
        } else { /* the stream ended without close_notify */
            code = hs ? SK_ETLSHANDSHAKE : SK_ETLSNOCLOSE;
            snprintf(t->msg, sizeof t->msg, "%s",
                     "connection closed without TLS close_notify");
        }
        ERR_clear_error();
        break;
    case SSL_ERROR_SSL:
        ec = ERR_peek_last_error();
        if (ERR_GET_REASON(ec) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
            long v = SSL_get_verify_result(t->ssl);
            code = tlso_verify_code(v);
            if (code == 0)
                code = SK_ETLSCERT;
            snprintf(t->msg, sizeof t->msg, "certificate verify failed: %s",
                     X509_verify_cert_error_string(v));
            ERR_clear_error();
            break;
        }
        if (ERR_GET_REASON(ec) == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE)
            code = SK_ETLSCERT;
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
        else if (ERR_GET_REASON(ec) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
            code = t->ioerr != 0 ? t->ioerr
                   : hs          ? SK_ETLSHANDSHAKE
                                 : SK_ETLSNOCLOSE;
#endif
        else
            code = hs ? SK_ETLSHANDSHAKE : SK_ETLSPROTOCOL;
        if (ec == 0)
            snprintf(t->msg, sizeof t->msg, "%s", sk_strerror(code));
        tlso_message(t);
        break;
    default:
        code = SK_ETLSPROTOCOL;
        tlso_message(t);
        break;
    }
    t->err = code;
    return code;
}

/* ---- contexts ---------------------------------------------------------- */

const char *sk__tlsp_name(void)
{
    return OpenSSL_version(OPENSSL_VERSION);
}

/* No passphrase prompts (OpenSSL's default reads the terminal): an
 * encrypted key simply does not load. */
static int tlso_nopass(char *buf, int size, int rwflag, void *ud)
{
    (void)buf, (void)size, (void)rwflag, (void)ud;
    return 0;
}

/* Keep a new client session for its host and port (OpenSSL hands us a
 * reference: returning 1 keeps it). */
static int tlso_new_session(SSL *ssl, SSL_SESSION *sess)
{
    sk__tls *t = (sk__tls *)SSL_get_app_data(ssl);
    sk_tls_ctx *c;
    size_t i, slot;
    if (t == NULL || t->key[0] == '\0')
        return 0;
    c = t->ctx;
    sk__plat_mutex_lock(c->h.mu);
    slot = c->nextsess;
    for (i = 0; i < TLSO_SESS_MAX; i++)
        if (c->sess[i].sess != NULL && strcmp(c->sess[i].key, t->key) == 0)
            break;
    if (i < TLSO_SESS_MAX)
        slot = i;
    else
        c->nextsess = (c->nextsess + 1) % TLSO_SESS_MAX;
    if (c->sess[slot].sess != NULL)
        SSL_SESSION_free(c->sess[slot].sess);
    memcpy(c->sess[slot].key, t->key, sizeof t->key);
    c->sess[slot].sess = sess;
    sk__plat_mutex_unlock(c->h.mu);
    return 1;
}

/* A server's ALPN choice: its first protocol the client offers. */
static int tlso_alpn_select(SSL *ssl, const unsigned char **out,
                            unsigned char *outlen, const unsigned char *in,
                            unsigned int inlen, void *arg)
{
    sk_tls_ctx *c = (sk_tls_ctx *)arg;
    unsigned char *o = NULL;
    (void)ssl;
    if (c->alpn == NULL ||
        SSL_select_next_proto(&o, outlen, c->alpn, (unsigned int)c->alpnlen,
                              in, inlen) != OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK;
    *out = o;
    return SSL_TLSEXT_ERR_OK;
}

void sk__tlsp_ctx_free(sk_tls_ctx *c)
{
    size_t i;
    for (i = 0; i < TLSO_SESS_MAX; i++)
        if (c->sess[i].sess != NULL)
            SSL_SESSION_free(c->sess[i].sess);
    SSL_CTX_free(c->ssl);
    if (c->bio != NULL)
        BIO_meth_free(c->bio);
    sk__tls_head_fini(&c->h);
    sk__free(c->alpn);
    sk__free(c);
}

int sk__tlsp_ctx_new(sk_tls_ctx **out, int mode)
{
    sk_tls_ctx *c = (sk_tls_ctx *)sk__calloc(1, sizeof *c);
    int ok;
    if (c == NULL)
        return SK_ENORESOURCES;
    c->verify = mode == SK_TLS_CLIENT ? SK_TLS_VERIFY_PEER
                                      : SK_TLS_VERIFY_NONE;
    c->ssl = SSL_CTX_new(mode == SK_TLS_SERVER ? TLS_server_method()
                                               : TLS_client_method());
    c->bio = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK,
                          "sockit");
    ok = c->ssl != NULL && c->bio != NULL &&
         sk__tls_head_init(&c->h, mode) == 0 &&
         BIO_meth_set_write(c->bio, tlso_bio_write) == 1 &&
         BIO_meth_set_read(c->bio, tlso_bio_read) == 1 &&
         BIO_meth_set_ctrl(c->bio, tlso_bio_ctrl) == 1 &&
         BIO_meth_set_create(c->bio, tlso_bio_create) == 1 &&
         SSL_CTX_set_min_proto_version(c->ssl, TLS1_2_VERSION) == 1;
    if (!ok) {
        ERR_clear_error();
        sk__tlsp_ctx_free(c);
        return SK_ENORESOURCES;
    }
    SSL_CTX_set_mode(c->ssl, SSL_MODE_ENABLE_PARTIAL_WRITE |
                                 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_default_passwd_cb(c->ssl, tlso_nopass);
    if (mode == SK_TLS_CLIENT) {
        SSL_CTX_set_session_cache_mode(c->ssl,
                                       SSL_SESS_CACHE_CLIENT |
                                           SSL_SESS_CACHE_NO_INTERNAL_STORE);
        SSL_CTX_sess_set_new_cb(c->ssl, tlso_new_session);
    } else {
        SSL_CTX_set_alpn_select_cb(c->ssl, tlso_alpn_select, c);
    }
    *out = c;
    return 0;
}

int sk__tlsp_ctx_ready(const sk_tls_ctx *ctx)
{
    return SSL_CTX_get0_certificate(ctx->ssl) != NULL ? 0 : SK_ETLSBADCERT;
}

int sk__tlsp_ctx_verifies(const sk_tls_ctx *ctx)
{
    return ctx->verify != SK_TLS_VERIFY_NONE;
}

int sk__tlsp_ctx_verify(sk_tls_ctx *ctx, int mode)
{
    ctx->verify = mode;
    return 0;
}

int sk__tlsp_ctx_ca(sk_tls_ctx *ctx, const char *file, const char *dir,
                    const char *pem, size_t len)
{
    X509_STORE *st = SSL_CTX_get_cert_store(ctx->ssl);
    int n = 0, r = 0;
    if (pem == NULL) {
        if (SSL_CTX_load_verify_locations(ctx->ssl, file, dir) != 1)
            r = SK_ETLSBADCERT;
    } else {
        BIO *b = BIO_new_mem_buf(pem, (int)len);
        X509 *x;
        if (b == NULL)
            return SK_ENORESOURCES;
        while ((x = PEM_read_bio_X509(b, NULL, tlso_nopass, NULL)) != NULL) {
            if (X509_STORE_add_cert(st, x) == 1)
                n++;
            X509_free(x);
        }
        BIO_free(b);
        if (n == 0)
            r = SK_ETLSBADCERT;
    }
    ERR_clear_error();
    if (r == 0)
        ctx->trusted = 1;
    return r;
}

int sk__tlsp_ctx_cert(sk_tls_ctx *ctx, const char *certfile,
                      const char *keyfile, const char *certpem,
                      size_t certlen, const char *keypem, size_t keylen)
{
    int ok;
    if (certpem == NULL) {
        ok = SSL_CTX_use_certificate_chain_file(ctx->ssl, certfile) == 1 &&
             SSL_CTX_use_PrivateKey_file(ctx->ssl, keyfile,
                                         SSL_FILETYPE_PEM) == 1;
    } else {
        BIO *cb = BIO_new_mem_buf(certpem, (int)certlen);
        BIO *kb = BIO_new_mem_buf(keypem, (int)keylen);
        X509 *x = NULL;
        EVP_PKEY *k = NULL;
        if (cb == NULL || kb == NULL) {
            BIO_free(cb);
            BIO_free(kb);
            ERR_clear_error();
            return SK_ENORESOURCES;
        }
        x = PEM_read_bio_X509(cb, NULL, tlso_nopass, NULL);
        ok = x != NULL && SSL_CTX_use_certificate(ctx->ssl, x) == 1 &&
             SSL_CTX_clear_chain_certs(ctx->ssl) == 1;
        X509_free(x);
        while (ok && (x = PEM_read_bio_X509(cb, NULL, tlso_nopass, NULL)) !=
                         NULL) {
            ok = SSL_CTX_add0_chain_cert(ctx->ssl, x) == 1;
            if (!ok)
                X509_free(x);
        }
        if (ok) {
            k = PEM_read_bio_PrivateKey(kb, NULL, tlso_nopass, NULL);
            ok = k != NULL && SSL_CTX_use_PrivateKey(ctx->ssl, k) == 1;
            EVP_PKEY_free(k);
        }
        BIO_free(cb);
        BIO_free(kb);
    }
    ok = ok && SSL_CTX_check_private_key(ctx->ssl) == 1;
    ERR_clear_error();
    return ok ? 0 : SK_ETLSBADCERT;
}

int sk__tlsp_ctx_alpn(sk_tls_ctx *ctx, const unsigned char *wire,
                      size_t len)
{
    unsigned char *copy = NULL;
    if (ctx->h.mode == SK_TLS_CLIENT) /* 0 is success here */
        return SSL_CTX_set_alpn_protos(ctx->ssl, wire, (unsigned)len) == 0
                   ? 0
                   : SK_ENORESOURCES;
    if (wire != NULL) {
        copy = (unsigned char *)sk__malloc(len);
        if (copy == NULL)
            return SK_ENORESOURCES;
        memcpy(copy, wire, len);
    }
    sk__free(ctx->alpn);
    ctx->alpn = copy;
    ctx->alpnlen = len;
    return 0;
}

int sk__tlsp_ctx_minver(sk_tls_ctx *ctx, int version)
{
    int v = version == SK_TLS_1_3 ? TLS1_3_VERSION : TLS1_2_VERSION;
    return SSL_CTX_set_min_proto_version(ctx->ssl, v) == 1 ? 0
                                                           : SK_EUNSUPPORTED;
}

/* ---- sessions ------------------------------------------------------------ */

/* The system's trust store, loaded into ctx once, when a context that was
 * given no trust first needs some. */
static void tlso_trust_defaults(sk_tls_ctx *c)
{
    sk__plat_mutex_lock(c->h.mu);
    if (!c->trusted) {
        (void)SSL_CTX_set_default_verify_paths(c->ssl);
        ERR_clear_error(); /* no store: nothing is trusted */
        c->trusted = 1;
    }
    sk__plat_mutex_unlock(c->h.mu);
}

/* A client's host setup: an IP address is checked as one (no SNI), a name
 * is sent as SNI and checked; the session-cache key "host:port". */
static int tlso_host(sk__tls *t, const char *host)
{
    X509_VERIFY_PARAM *vp = SSL_get0_param(t->ssl);
    sk__addr a;
    sk_name peer;
    int sys = 0, port = 0;
    if (X509_VERIFY_PARAM_set1_ip_asc(vp, host) != 1) {
        ERR_clear_error();
        if (SSL_set_tlsext_host_name(t->ssl, host) != 1 ||
            SSL_set1_host(t->ssl, host) != 1) {
            ERR_clear_error();
            return SK_EINVAL;
        }
    }
    if (sk__plat_peername(t->s->fd, &a, &sys) == 0 &&
        sk__plat_addrname(&a, &peer) == 0)
        port = peer.port;
    snprintf(t->key, sizeof t->key, "%s:%d", host, port);
    return 0;
}

static void tlso_resume(sk__tls *t)
{
    sk_tls_ctx *c = t->ctx;
    size_t i;
    sk__plat_mutex_lock(c->h.mu);
    for (i = 0; i < TLSO_SESS_MAX; i++)
        if (c->sess[i].sess != NULL && strcmp(c->sess[i].key, t->key) == 0) {
            (void)SSL_set_session(t->ssl, c->sess[i].sess);
            break;
        }
    sk__plat_mutex_unlock(c->h.mu);
}

int sk__tlsp_new(sk__tls **out, sk_sock *s, sk_tls_ctx *ctx,
                 const char *host, const char *pre, size_t npre)
{
    sk__tls *t;
    BIO *b;
    int client = ctx->h.mode == SK_TLS_CLIENT, vmode, r = 0;
    *out = NULL;
    if (client && host == NULL && ctx->verify != SK_TLS_VERIFY_NONE)
        return SK_EINVAL;
    if (ctx->verify != SK_TLS_VERIFY_NONE || client)
        tlso_trust_defaults(ctx);
    t = (sk__tls *)sk__calloc(1, sizeof *t);
    if (t == NULL)
        return SK_ENORESOURCES;
    t->s = s;
    t->ctx = ctx;
    if (npre > 0) {
        t->pre = (char *)sk__malloc(npre);
        if (t->pre == NULL) {
            sk__free(t);
            return SK_ENORESOURCES;
        }
        memcpy(t->pre, pre, npre);
        t->npre = npre;
    }
    t->ssl = SSL_new(ctx->ssl);
    b = t->ssl != NULL ? BIO_new(ctx->bio) : NULL;
    if (b == NULL) {
        ERR_clear_error();
        SSL_free(t->ssl);
        sk__free(t->pre);
        sk__free(t);
        return SK_ENORESOURCES;
    }
    BIO_set_data(b, t);
    SSL_set_bio(t->ssl, b, b);
    SSL_set_app_data(t->ssl, t);
    vmode = ctx->verify == SK_TLS_VERIFY_NONE ? SSL_VERIFY_NONE
            : ctx->verify == SK_TLS_VERIFY_OPTIONAL
                ? SSL_VERIFY_PEER
                : SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    SSL_set_verify(t->ssl, vmode, NULL);
    if (client) {
        SSL_set_connect_state(t->ssl);
        if (host != NULL)
            r = tlso_host(t, host);
        if (r == 0 && t->key[0] != '\0')
            tlso_resume(t);
    } else {
        SSL_set_accept_state(t->ssl);
    }
    if (r != 0) {
        SSL_free(t->ssl);
        sk__free(t->pre);
        sk__free(t);
        return r;
    }
    sk__tls_ctx_ref(ctx);
    *out = t;
    return 0;
}

void sk__tlsp_free(sk__tls *t, int notify)
{
    if (notify && t->done && t->err == 0 &&
        !(SSL_get_shutdown(t->ssl) & SSL_SENT_SHUTDOWN))
        (void)SSL_shutdown(t->ssl); /* one try: close never waits */
    ERR_clear_error();
    SSL_free(t->ssl);
    sk__tls_ctx_unref(t->ctx);
    sk__free(t->pre);
    sk__free(t);
}

int sk__tlsp_handshake(sk__tls *t)
{
    int r;
    if (t->err != 0)
        return t->err;
    if (t->done)
        return 0;
    ERR_clear_error();
    r = SSL_do_handshake(t->ssl);
    if (r == 1) {
        t->done = 1;
        return 0;
    }
    return tlso_fail(t, r, 1);
}

int sk__tlsp_read(sk__tls *t, char *dst, size_t cap, size_t *n)
{
    *n = 0;
    if (t->err != 0)
        return t->err;
    ERR_clear_error();
    if (SSL_read_ex(t->ssl, dst, cap, n) == 1)
        return 0;
    return tlso_fail(t, 0, !t->done);
}

int sk__tlsp_write(sk__tls *t, const char *src, size_t len, size_t *n)
{
    *n = 0;
    if (t->err != 0)
        return t->err;
    ERR_clear_error();
    if (SSL_write_ex(t->ssl, src, len, n) == 1)
        return 0;
    return tlso_fail(t, 0, !t->done);
}

int sk__tlsp_shutdown(sk__tls *t)
{
    int r, e;
    if (t->err != 0 || !t->done ||
        (SSL_get_shutdown(t->ssl) & SSL_SENT_SHUTDOWN))
        return 0;
    ERR_clear_error();
    r = SSL_shutdown(t->ssl);
    if (r >= 0)
        return 0; /* sent (the peer's may come later) */
    e = SSL_get_error(t->ssl, r);
    ERR_clear_error();
    if (e == SSL_ERROR_WANT_WRITE)
        return SK__TLS_WANT_WRITE;
    if (e == SSL_ERROR_WANT_READ)
        return SK__TLS_WANT_READ;
    return t->ioerr != 0 ? t->ioerr : SK_ETLSPROTOCOL;
}

int sk__tlsp_want(const sk__tls *t)
{
    return t->want == SK__TLS_WANT_WRITE ? SK__TLS_WANT_WRITE
                                         : SK__TLS_WANT_READ;
}

int sk__tlsp_done(const sk__tls *t)
{
    return t->done;
}

size_t sk__tlsp_pending(const sk__tls *t)
{
    int n = SSL_pending(t->ssl);
    return n > 0 ? (size_t)n : 0;
}

static X509 *tlso_peer(const sk__tls *t)
{
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    return SSL_get1_peer_certificate(t->ssl);
#else
    return SSL_get_peer_certificate(t->ssl);
#endif
}

/* A certificate name as RFC 2253 text into t->info. */
static void tlso_name(sk__tls *t, X509_NAME *name)
{
    BIO *b = BIO_new(BIO_s_mem());
    int n = 0;
    if (b != NULL && X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253) >= 0)
        n = BIO_read(b, t->info, (int)sizeof t->info - 1);
    t->info[n > 0 ? n : 0] = '\0';
    BIO_free(b);
}

static void tlso_fingerprint(sk__tls *t, const X509 *x)
{
    static const char hex[] = "0123456789ABCDEF";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0, i;
    char *p = t->info;
    if (X509_digest(x, EVP_sha256(), md, &n) != 1)
        n = 0;
    for (i = 0; i < n && (size_t)(p - t->info) + 3 < sizeof t->info; i++) {
        if (i > 0)
            *p++ = ':';
        *p++ = hex[md[i] >> 4];
        *p++ = hex[md[i] & 15];
    }
    *p = '\0';
}

int sk__tlsp_get(sk__tls *t, int item, const char **value)
{
    const unsigned char *alpn = NULL;
    unsigned int alpnlen = 0;
    const char *v;
    X509 *x;
    t->info[0] = '\0';
    switch (item) {
    case SK_TLS_VERSION:
        *value = SSL_get_version(t->ssl);
        return 0;
    case SK_TLS_CIPHER:
        v = SSL_get_cipher_name(t->ssl);
        *value = v != NULL ? v : "";
        return 0;
    case SK_TLS_ALPN:
        SSL_get0_alpn_selected(t->ssl, &alpn, &alpnlen);
        if (alpn != NULL && alpnlen < sizeof t->info) {
            memcpy(t->info, alpn, alpnlen);
            t->info[alpnlen] = '\0';
        }
        break;
    case SK_TLS_PEER_SUBJECT:
    case SK_TLS_PEER_ISSUER:
    case SK_TLS_PEER_FINGERPRINT:
        x = tlso_peer(t);
        if (x != NULL) {
            if (item == SK_TLS_PEER_FINGERPRINT)
                tlso_fingerprint(t, x);
            else
                tlso_name(t, item == SK_TLS_PEER_SUBJECT
                                 ? X509_get_subject_name(x)
                                 : X509_get_issuer_name(x));
            X509_free(x);
        }
        ERR_clear_error();
        break;
    case SK_TLS_SERVER_NAME:
        v = SSL_get_servername(t->ssl, TLSEXT_NAMETYPE_host_name);
        *value = v != NULL ? v : "";
        return 0;
    case SK_TLS_VERIFY_MESSAGE:
        *value = X509_verify_cert_error_string(SSL_get_verify_result(t->ssl));
        return 0;
    default: /* SK_TLS_ERROR_MESSAGE */
        *value = t->msg;
        return 0;
    }
    *value = t->info;
    return 0;
}

int sk__tlsp_verified(const sk__tls *t)
{
    X509 *x = tlso_peer(t);
    if (x == NULL)
        return SK_ETLSCERT;
    X509_free(x);
    return tlso_verify_code(SSL_get_verify_result(t->ssl));
}

int sk__tlsp_resumed(const sk__tls *t)
{
    return SSL_session_reused(t->ssl) ? 1 : 0;
}

#else
/* ISO C wants something in every translation unit. */
typedef int sk__tls_openssl_unused;
#endif /* SOCKIT_HAVE_OPENSSL */
