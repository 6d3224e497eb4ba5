/* SPDX-License-Identifier: MIT */
/*
 * tls_schannel.c - the SChannel provider of tls_int.h (Windows: SSPI in
 * secur32, certificates in crypt32): contexts hold the settings, the trust
 * (a memory store, or the system's) and a credentials handle shared by
 * their sessions (so SChannel's own cache resumes sessions); one security
 * context per object, whose records move through sk__plat_send /
 * sk__plat_recv on the object's socket from buffers of this file.  The
 * peer is validated here, not by SChannel (manual validation: the chain
 * is built against the context's trust, then the SSL policy checks it with
 * the host name), so that in-memory trust works and failures carry the
 * same codes and words as the OpenSSL provider's.
 * Compiled to nothing unless SOCKIT_HAVE_SCHANNEL is defined.
 *
 * Map: buffers and errors; PEM and keys; contexts; credentials; the
 * handshake; records (read, write, shutdown); peer validation; queries.
 */
#if defined(SOCKIT_HAVE_SCHANNEL)
/* The newer credentials (SCH_CREDENTIALS) are declared too; tried first
 * at run time. */
#  ifndef SECURITY_WIN32
#    define SECURITY_WIN32
#  endif
#  ifndef SCHANNEL_USE_BLACKLISTS
#    define SCHANNEL_USE_BLACKLISTS 1
#  endif
#endif

#include "tls_int.h"

#if defined(SOCKIT_HAVE_SCHANNEL)

#include <windows.h>
#include <subauth.h>
#include <wincrypt.h>
#include <ncrypt.h>
#include <security.h>
#include <schannel.h>
#include <sspi.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SECURITY_FLAG_IGNORE_CERT_CN_INVALID
#  define SECURITY_FLAG_IGNORE_CERT_CN_INVALID 0x00001000
#endif

#define TLSW_AGAIN 3 /* a step's "call again" (beside SK__TLS_WANT_*) */

#define TLSW_IN_MIN 18432u          /* one record of 16 KiB and overhead */
#define TLSW_IN_MAX (1024u * 1024u) /* a handshake flight larger fails */
#define TLSW_PEM_MAX (16u * 1024u * 1024u)

/* Credentials shared by a context's sessions (refcounted by them, under
 * the context's mutex). */
typedef struct tlsw_cred {
    CredHandle h;
    unsigned refs;
} tlsw_cred;

struct sk_tls_ctx {
    sk__tls_head h; /* first (tls.c keeps it); h.mu guards the rest too */
    int verify;           /* enum sk_tls_verify */
    int minver;           /* SK_TLS_1_2 / SK_TLS_1_3 */
    HCERTSTORE trust;     /* given trust, NULL: the system's */
    PCCERT_CONTEXT cert;  /* own certificate, its key attached */
    HCERTSTORE chain;     /* the certificate's chain certificates */
    wchar_t keyname[64];  /* its key's container, L"" none */
    int keyncrypt;        /* 1: a CNG key, 0: a CryptoAPI one */
    unsigned char *alpn;  /* wire form, NULL none */
    size_t alpnlen;
    tlsw_cred *cred;      /* made by the first session after a change */
};
typedef char tlsw_head_first[offsetof(struct sk_tls_ctx, h) == 0 ? 1 : -1];

struct sk__tls {
    sk_tls_ctx *ctx;
    sk_sock *s;
    tlsw_cred *cred;
    CtxtHandle h;
    int have_h;           /* h is a security context */
    int client;
    int err;              /* sticky fatal error, 0 none */
    int done;             /* handshake completed, its last flight out */
    int hsok;             /* the exchange completed and was validated */
    int reneg;            /* a post-handshake message is being handled */
    int closed;           /* the peer's close_notify came */
    int later;            /* an outcome to give once plain is drained */
    int sentshut;         /* our close_notify is out (or queued) */
    int want;             /* SK__TLS_WANT_* of the last step that waits */
    int vcode;            /* the peer validation's code */
    int haspeer;          /* the peer sent a certificate */
    char *in;             /* encrypted bytes received, not yet used */
    size_t nin, capin;
    char *plain;          /* decrypted bytes not yet read */
    size_t plainoff, nplain, capplain;
    char *out;            /* encrypted bytes to send */
    size_t outoff, nout, capout;
    size_t wlen;          /* caller bytes in out, acknowledged once sent */
    SecPkgContext_StreamSizes sizes;
    wchar_t *host;        /* client: target name (SNI, host check) */
    char hosta[SK__HOST_MAX + 1];
    int hostip;           /* host is a numeric address: no SNI */
    char sni[SK__HOST_MAX + 1]; /* server: the name the client sent */
    char vmsg[128];       /* the validation's words */
    char msg[256];        /* the failure's words */
    char info[512];       /* sk_tls_get's answer */
};

/* ---- buffers and errors ------------------------------------------------ */

/* Room for need more bytes after *len in *buf (capacity *cap), up to max. */
static int tlsw_room(char **buf, size_t *cap, size_t len, size_t need,
                     size_t max)
{
    size_t want = len + need, ncap;
    char *p;
    if (want <= *cap)
        return 0;
    if (want > max)
        return SK_ENORESOURCES;
    ncap = *cap < TLSW_IN_MIN ? TLSW_IN_MIN : *cap;
    while (ncap < want)
        ncap *= 2;
    if (ncap > max)
        ncap = max;
    p = (char *)sk__realloc(*buf, ncap);
    if (p == NULL)
        return SK_ENORESOURCES;
    *buf = p;
    *cap = ncap;
    return 0;
}

static const char *tlsw_secname(SECURITY_STATUS st)
{
    switch (st) {
    case SEC_E_ILLEGAL_MESSAGE: return "SEC_E_ILLEGAL_MESSAGE";
    case SEC_E_INTERNAL_ERROR: return "SEC_E_INTERNAL_ERROR";
    case SEC_E_ALGORITHM_MISMATCH: return "SEC_E_ALGORITHM_MISMATCH";
    case SEC_E_UNSUPPORTED_FUNCTION: return "SEC_E_UNSUPPORTED_FUNCTION";
    case SEC_E_DECRYPT_FAILURE: return "SEC_E_DECRYPT_FAILURE";
    case SEC_E_MESSAGE_ALTERED: return "SEC_E_MESSAGE_ALTERED";
    case SEC_E_INVALID_TOKEN: return "SEC_E_INVALID_TOKEN";
    case SEC_E_NO_CREDENTIALS: return "SEC_E_NO_CREDENTIALS";
    case SEC_E_UNKNOWN_CREDENTIALS: return "SEC_E_UNKNOWN_CREDENTIALS";
    case SEC_E_CERT_UNKNOWN: return "SEC_E_CERT_UNKNOWN";
    case SEC_E_CERT_EXPIRED: return "SEC_E_CERT_EXPIRED";
    case SEC_E_UNTRUSTED_ROOT: return "SEC_E_UNTRUSTED_ROOT";
    case SEC_E_WRONG_PRINCIPAL: return "SEC_E_WRONG_PRINCIPAL";
    case SEC_E_SECPKG_NOT_FOUND: return "SEC_E_SECPKG_NOT_FOUND";
    case SEC_E_INSUFFICIENT_MEMORY: return "SEC_E_INSUFFICIENT_MEMORY";
    case SEC_E_INVALID_HANDLE: return "SEC_E_INVALID_HANDLE";
    case SEC_E_CONTEXT_EXPIRED: return "SEC_E_CONTEXT_EXPIRED";
    case SEC_E_INVALID_PARAMETER: return "SEC_E_INVALID_PARAMETER";
    default: return "SSPI error";
    }
}

/* A fatal failure: code kept, words "what: NAME (0x...)". */
static int tlsw_fail(sk__tls *t, int code, const char *what,
                     SECURITY_STATUS st)
{
    snprintf(t->msg, sizeof t->msg, "%s: %s (0x%08lx)", what,
             tlsw_secname(st), (unsigned long)st);
    t->err = code;
    return code;
}

/* A fatal failure with words of its own. */
static int tlsw_failmsg(sk__tls *t, int code, const char *words)
{
    snprintf(t->msg, sizeof t->msg, "%s", words);
    t->err = code;
    return code;
}

/* ---- moving bytes ------------------------------------------------------ */

/* Send what out holds: 0 when empty, SK__TLS_WANT_WRITE, or an error. */
static int tlsw_flush(sk__tls *t)
{
    while (t->outoff < t->nout) {
        size_t n = 0;
        int sys = 0;
        int r = sk__plat_send(t->s->fd, t->out + t->outoff,
                              t->nout - t->outoff, &n, &sys);
        sk__sys_set(t->s, sys);
        if (r == SK_EWOULDBLOCK)
            return t->want = SK__TLS_WANT_WRITE;
        if (r != 0)
            return tlsw_failmsg(t, r, sk_strerror(r));
        t->outoff += n;
    }
    t->outoff = t->nout = 0;
    return 0;
}

/* Queue len bytes to send. */
static int tlsw_queue(sk__tls *t, const void *p, size_t len)
{
    if (tlsw_room(&t->out, &t->capout, t->nout, len, (size_t)-1) != 0)
        return SK_ENORESOURCES;
    memcpy(t->out + t->nout, p, len);
    t->nout += len;
    return 0;
}

/* One receive into in: 0 (bytes came), SK__TLS_WANT_READ, SK_ECLOSED (the
 * end of the stream), or another error. */
static int tlsw_fill(sk__tls *t)
{
    size_t n = 0;
    int sys = 0, r;
    r = tlsw_room(&t->in, &t->capin, t->nin, 4096, TLSW_IN_MAX);
    if (r != 0)
        return r;
    r = sk__plat_recv(t->s->fd, t->in + t->nin, t->capin - t->nin, &n, &sys);
    sk__sys_set(t->s, sys);
    if (r == SK_EWOULDBLOCK)
        return t->want = SK__TLS_WANT_READ;
    if (r == 0)
        t->nin += n;
    return r;
}

/* Drop the first n bytes of in. */
static void tlsw_consume(sk__tls *t, size_t n)
{
    if (n >= t->nin) {
        t->nin = 0;
        return;
    }
    memmove(t->in, t->in + n, t->nin - n);
    t->nin -= n;
}

/* ---- PEM and keys ------------------------------------------------------ */

/* The next PEM block at or after *pos in text[0..len): its label in
 * label (cap bytes), its DER in a new *der of *dlen bytes (sk__free).
 * Returns 1 found, 0 none left, negative on a broken block. */
static int tlsw_pem_next(const char *text, size_t len, size_t *pos,
                         char *label, size_t cap, BYTE **der, DWORD *dlen)
{
    static const char begin[] = "-----BEGIN ", end[] = "-----END ";
    size_t i = *pos, j, lab, body, stop;
    DWORD n = 0;
    for (; i + sizeof begin - 1 <= len; i++)
        if (memcmp(text + i, begin, sizeof begin - 1) == 0)
            break;
    if (i + sizeof begin - 1 > len)
        return 0;
    lab = i + sizeof begin - 1;
    for (j = lab; j + 5 <= len && memcmp(text + j, "-----", 5) != 0; j++)
        ;
    if (j + 5 > len || j - lab >= cap)
        return SK_ETLSBADCERT;
    memcpy(label, text + lab, j - lab);
    label[j - lab] = '\0';
    body = j + 5;
    for (stop = body; stop + sizeof end - 1 <= len; stop++)
        if (memcmp(text + stop, end, sizeof end - 1) == 0)
            break;
    if (stop + sizeof end - 1 > len)
        return SK_ETLSBADCERT;
    for (j = stop + sizeof end - 1; j < len && text[j] != '\n'; j++)
        ;
    *pos = j;
    if (stop - body > 0x7fffffff ||
        !CryptStringToBinaryA(text + body, (DWORD)(stop - body),
                              CRYPT_STRING_BASE64, NULL, &n, NULL, NULL) ||
        n == 0)
        return SK_ETLSBADCERT;
    *der = (BYTE *)sk__malloc(n);
    if (*der == NULL)
        return SK_ENORESOURCES;
    if (!CryptStringToBinaryA(text + body, (DWORD)(stop - body),
                              CRYPT_STRING_BASE64, *der, &n, NULL, NULL)) {
        sk__free(*der);
        *der = NULL;
        return SK_ETLSBADCERT;
    }
    *dlen = n;
    return 1;
}

/* The whole file at path into a new buffer (sk__free). */
static int tlsw_read_file(const char *path, char **out, size_t *len)
{
    HANDLE f = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    LARGE_INTEGER size;
    DWORD got = 0;
    char *buf;
    if (f == INVALID_HANDLE_VALUE)
        return SK_ETLSBADCERT;
    if (!GetFileSizeEx(f, &size) || size.QuadPart > TLSW_PEM_MAX) {
        CloseHandle(f);
        return SK_ETLSBADCERT;
    }
    buf = (char *)sk__malloc((size_t)size.QuadPart + 1);
    if (buf == NULL) {
        CloseHandle(f);
        return SK_ENORESOURCES;
    }
    if (!ReadFile(f, buf, (DWORD)size.QuadPart, &got, NULL)) {
        sk__free(buf);
        CloseHandle(f);
        return SK_ETLSBADCERT;
    }
    CloseHandle(f);
    *out = buf;
    *len = got;
    return 0;
}

/* Every CERTIFICATE block of text into store; *count of them added. */
static int tlsw_add_certs(HCERTSTORE store, const char *text, size_t len,
                          int *count)
{
    size_t pos = 0;
    char label[64];
    BYTE *der;
    DWORD dlen;
    int r;
    while ((r = tlsw_pem_next(text, len, &pos, label, sizeof label, &der,
                              &dlen)) == 1) {
        if (strcmp(label, "CERTIFICATE") == 0 ||
            strcmp(label, "TRUSTED CERTIFICATE") == 0) {
            if (!CertAddEncodedCertificateToStore(
                    store, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, der, dlen,
                    CERT_STORE_ADD_REPLACE_EXISTING, NULL)) {
                sk__free(der);
                return SK_ETLSBADCERT;
            }
            (*count)++;
        }
        sk__free(der);
    }
    return r;
}

/* A key container name of c's own: the process, the context and the
 * moment (no process-wide counter). */
static void tlsw_keyname(sk_tls_ctx *c)
{
    LARGE_INTEGER now;
    QueryPerformanceCounter(&now);
    swprintf(c->keyname, sizeof c->keyname / sizeof c->keyname[0],
             L"sockit-%lu-%p-%llx", (unsigned long)GetCurrentProcessId(),
             (void *)c, (unsigned long long)now.QuadPart);
}

/* Forget the context's key container. */
static void tlsw_key_delete(sk_tls_ctx *c)
{
    if (c->keyname[0] == 0)
        return;
    if (c->keyncrypt) {
        NCRYPT_PROV_HANDLE p = 0;
        NCRYPT_KEY_HANDLE k = 0;
        if (NCryptOpenStorageProvider(&p, MS_KEY_STORAGE_PROVIDER, 0) ==
            ERROR_SUCCESS) {
            if (NCryptOpenKey(p, &k, c->keyname, 0, 0) == ERROR_SUCCESS)
                (void)NCryptDeleteKey(k, 0); /* frees k */
            NCryptFreeObject(p);
        }
    } else {
        HCRYPTPROV p = 0;
        (void)CryptAcquireContextW(&p, c->keyname, MS_ENH_RSA_AES_PROV_W,
                                   PROV_RSA_AES, CRYPT_DELETEKEYSET);
    }
    c->keyname[0] = 0;
}

/* Whether the key behind h (spec: its CryptoAPI slot, 0 for CNG) is the
 * one of cert's public key; if so, attach it to cert by container name. */
static int tlsw_key_bind(sk_tls_ctx *c, HCRYPTPROV_OR_NCRYPT_KEY_HANDLE h,
                         DWORD spec, PCCERT_CONTEXT cert, LPCWSTR prov,
                         DWORD provtype)
{
    CERT_PUBLIC_KEY_INFO *pi = NULL;
    DWORD pilen = 0;
    CRYPT_KEY_PROV_INFO kp;
    int ok = CryptExportPublicKeyInfo(h, spec, X509_ASN_ENCODING, NULL,
                                      &pilen) &&
             (pi = (CERT_PUBLIC_KEY_INFO *)sk__malloc(pilen)) != NULL &&
             CryptExportPublicKeyInfo(h, spec, X509_ASN_ENCODING, pi,
                                      &pilen) &&
             CertComparePublicKeyInfo(X509_ASN_ENCODING,
                                      &cert->pCertInfo->SubjectPublicKeyInfo,
                                      pi);
    sk__free(pi);
    if (!ok)
        return 0;
    memset(&kp, 0, sizeof kp);
    kp.pwszContainerName = c->keyname;
    kp.pwszProvName = (LPWSTR)prov;
    kp.dwProvType = provtype;
    kp.dwKeySpec = spec;
    return CertSetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID,
                                             0, &kp) != 0;
}

/* An RSA key (PKCS#1 DER) into a new CryptoAPI container of c. */
static int tlsw_key_capi(sk_tls_ctx *c, const BYTE *der, DWORD dlen,
                         PCCERT_CONTEXT cert)
{
    BYTE *blob = NULL;
    DWORD blen = 0;
    HCRYPTPROV p = 0;
    HCRYPTKEY k = 0;
    int ok;
    if (!CryptDecodeObjectEx(X509_ASN_ENCODING, PKCS_RSA_PRIVATE_KEY, der,
                             dlen, CRYPT_DECODE_ALLOC_FLAG, NULL, &blob,
                             &blen))
        return SK_ETLSBADCERT;
    tlsw_keyname(c);
    ok = CryptAcquireContextW(&p, c->keyname, MS_ENH_RSA_AES_PROV_W,
                              PROV_RSA_AES, CRYPT_NEWKEYSET);
    if (ok) {
        c->keyncrypt = 0;
        /* the blob says CALG_RSA_KEYX: the key exchange slot */
        ok = CryptImportKey(p, blob, blen, 0, 0, &k);
    } else {
        c->keyname[0] = 0;
    }
    LocalFree(blob);
    ok = ok && tlsw_key_bind(c, (HCRYPTPROV_OR_NCRYPT_KEY_HANDLE)p,
                             AT_KEYEXCHANGE, cert, MS_ENH_RSA_AES_PROV_W,
                             PROV_RSA_AES);
    if (k != 0)
        CryptDestroyKey(k);
    if (p != 0)
        CryptReleaseContext(p, 0);
    return ok ? 0 : SK_ETLSBADCERT;
}

/* A PKCS#8 key (RSA or EC) into a new CNG key of c. */
static int tlsw_key_cng(sk_tls_ctx *c, const BYTE *der, DWORD dlen,
                        PCCERT_CONTEXT cert)
{
    NCRYPT_PROV_HANDLE p = 0;
    NCRYPT_KEY_HANDLE k = 0;
    NCryptBuffer nb;
    NCryptBufferDesc nd;
    int ok;
    tlsw_keyname(c);
    c->keyncrypt = 1;
    nb.cbBuffer = (ULONG)((wcslen(c->keyname) + 1) * sizeof(wchar_t));
    nb.BufferType = NCRYPTBUFFER_PKCS_KEY_NAME;
    nb.pvBuffer = c->keyname;
    nd.ulVersion = NCRYPTBUFFER_VERSION;
    nd.cBuffers = 1;
    nd.pBuffers = &nb;
    ok = NCryptOpenStorageProvider(&p, MS_KEY_STORAGE_PROVIDER, 0) ==
             ERROR_SUCCESS &&
         NCryptImportKey(p, 0, NCRYPT_PKCS8_PRIVATE_KEY_BLOB, &nd, &k,
                         (PBYTE)der, dlen, NCRYPT_OVERWRITE_KEY_FLAG) ==
             ERROR_SUCCESS;
    if (!ok)
        c->keyname[0] = 0;
    ok = ok && tlsw_key_bind(c, (HCRYPTPROV_OR_NCRYPT_KEY_HANDLE)k, 0, cert,
                             MS_KEY_STORAGE_PROVIDER, 0);
    if (k != 0)
        NCryptFreeObject(k);
    if (p != 0)
        NCryptFreeObject(p);
    return ok ? 0 : SK_ETLSBADCERT;
}

/* The first private key of text for cert. */
static int tlsw_load_key(sk_tls_ctx *c, const char *text, size_t len,
                         PCCERT_CONTEXT cert)
{
    size_t pos = 0;
    char label[64];
    BYTE *der;
    DWORD dlen;
    int r;
    while ((r = tlsw_pem_next(text, len, &pos, label, sizeof label, &der,
                              &dlen)) == 1) {
        if (strcmp(label, "RSA PRIVATE KEY") == 0)
            r = tlsw_key_capi(c, der, dlen, cert);
        else if (strcmp(label, "PRIVATE KEY") == 0)
            r = tlsw_key_cng(c, der, dlen, cert);
        else
            r = 1; /* not a key: go on */
        sk__free(der);
        if (r != 1)
            return r;
    }
    return r == 0 ? SK_ETLSBADCERT : r; /* no key at all */
}

/* ---- contexts ---------------------------------------------------------- */

const char *sk__tlsp_name(void)
{
    return "SChannel";
}

static void tlsw_cred_unref(sk_tls_ctx *c, tlsw_cred *cr)
{
    unsigned left;
    if (cr == NULL)
        return;
    sk__plat_mutex_lock(c->h.mu);
    left = --cr->refs;
    sk__plat_mutex_unlock(c->h.mu);
    if (left == 0) {
        FreeCredentialsHandle(&cr->h);
        sk__free(cr);
    }
}

/* Settings changed: the next session makes new credentials. */
static void tlsw_changed(sk_tls_ctx *c)
{
    tlsw_cred *old;
    sk__plat_mutex_lock(c->h.mu);
    old = c->cred;
    c->cred = NULL;
    sk__plat_mutex_unlock(c->h.mu);
    tlsw_cred_unref(c, old);
}

static void tlsw_own_free(sk_tls_ctx *c)
{
    if (c->cert != NULL)
        CertFreeCertificateContext(c->cert);
    if (c->chain != NULL)
        CertCloseStore(c->chain, 0);
    c->cert = NULL;
    c->chain = NULL;
    tlsw_key_delete(c);
}

void sk__tlsp_ctx_free(sk_tls_ctx *c)
{
    tlsw_changed(c);
    tlsw_own_free(c);
    if (c->trust != NULL)
        CertCloseStore(c->trust, 0);
    sk__tls_head_fini(&c->h);
    sk__free(c->alpn);
    sk__free(c);
}

int sk__tlsp_ctx_new(sk_tls_ctx **out, int mode)
{
    sk_tls_ctx *c = (sk_tls_ctx *)sk__calloc(1, sizeof *c);
    if (c == NULL)
        return SK_ENORESOURCES;
    c->minver = SK_TLS_1_2;
    c->verify = mode == SK_TLS_CLIENT ? SK_TLS_VERIFY_PEER
                                      : SK_TLS_VERIFY_NONE;
    if (sk__tls_head_init(&c->h, mode) != 0) {
        sk__free(c); /* nothing else made yet */
        return SK_ENORESOURCES;
    }
    *out = c;
    return 0;
}

int sk__tlsp_ctx_ready(const sk_tls_ctx *ctx)
{
    return ctx->cert != NULL ? 0 : SK_ETLSBADCERT;
}

int sk__tlsp_ctx_verifies(const sk_tls_ctx *ctx)
{
    return ctx->verify != SK_TLS_VERIFY_NONE;
}

int sk__tlsp_ctx_verify(sk_tls_ctx *ctx, int mode)
{
    ctx->verify = mode;
    tlsw_changed(ctx);
    return 0;
}

/* Every file of dir that holds certificates (OpenSSL's hashed directory
 * is a superset: every name is read, the hash is not needed). */
static int tlsw_ca_dir(HCERTSTORE st, const char *dir, int *count)
{
    char pattern[MAX_PATH + 4], path[2 * MAX_PATH];
    WIN32_FIND_DATAA fd;
    HANDLE f;
    if (strlen(dir) >= MAX_PATH)
        return SK_ETLSBADCERT;
    snprintf(pattern, sizeof pattern, "%s\\*", dir);
    f = FindFirstFileA(pattern, &fd);
    if (f == INVALID_HANDLE_VALUE)
        return SK_ETLSBADCERT;
    do {
        char *text = NULL;
        size_t len = 0;
        if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
            continue;
        snprintf(path, sizeof path, "%s\\%s", dir, fd.cFileName);
        if (tlsw_read_file(path, &text, &len) == 0) {
            (void)tlsw_add_certs(st, text, len, count); /* others skipped */
            sk__free(text);
        }
    } while (FindNextFileA(f, &fd));
    FindClose(f);
    return 0;
}

int sk__tlsp_ctx_ca(sk_tls_ctx *ctx, const char *file, const char *dir,
                    const char *pem, size_t len)
{
    HCERTSTORE st = ctx->trust;
    int n = 0, r = 0, fresh = st == NULL;
    if (fresh) {
        st = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0,
                           CERT_STORE_CREATE_NEW_FLAG, NULL);
        if (st == NULL)
            return SK_ENORESOURCES;
    }
    if (pem != NULL) {
        r = tlsw_add_certs(st, pem, len, &n);
    } else {
        if (file != NULL) {
            char *text = NULL;
            size_t tlen = 0;
            r = tlsw_read_file(file, &text, &tlen);
            if (r == 0)
                r = tlsw_add_certs(st, text, tlen, &n);
            sk__free(text);
        }
        if (r == 0 && dir != NULL)
            r = tlsw_ca_dir(st, dir, &n);
    }
    if (r == 0 && n == 0)
        r = SK_ETLSBADCERT;
    if (r != 0) {
        if (fresh)
            CertCloseStore(st, 0);
        return r;
    }
    ctx->trust = st;
    tlsw_changed(ctx);
    return 0;
}

int sk__tlsp_ctx_cert(sk_tls_ctx *ctx, const char *certfile,
                      const char *keyfile, const char *certpem,
                      size_t certlen, const char *keypem, size_t keylen)
{
    char *ctext = NULL, *ktext = NULL;
    size_t pos = 0;
    char label[64];
    BYTE *der = NULL;
    DWORD dlen = 0;
    PCCERT_CONTEXT cert = NULL;
    HCERTSTORE chain = NULL;
    int r;
    if (certpem == NULL) {
        r = tlsw_read_file(certfile, &ctext, &certlen);
        if (r == 0)
            r = tlsw_read_file(keyfile, &ktext, &keylen);
        if (r != 0) {
            sk__free(ctext);
            return r;
        }
        certpem = ctext;
        keypem = ktext;
    }
    /* the first certificate, then the chain */
    do {
        r = tlsw_pem_next(certpem, certlen, &pos, label, sizeof label, &der,
                          &dlen);
        if (r == 1 && strcmp(label, "CERTIFICATE") != 0) {
            sk__free(der);
            der = NULL;
        }
    } while (r == 1 && der == NULL);
    if (r == 1) {
        cert = CertCreateCertificateContext(X509_ASN_ENCODING, der, dlen);
        sk__free(der);
        r = cert != NULL ? 0 : SK_ETLSBADCERT;
    } else if (r == 0) {
        r = SK_ETLSBADCERT;
    }
    if (r == 0) {
        int n = 0;
        chain = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0,
                              CERT_STORE_CREATE_NEW_FLAG, NULL);
        r = chain == NULL ? SK_ENORESOURCES
                          : tlsw_add_certs(chain, certpem + pos,
                                           certlen - pos, &n);
    }
    if (r == 0) {
        tlsw_changed(ctx);
        tlsw_own_free(ctx);
        r = tlsw_load_key(ctx, keypem, keylen, cert);
    }
    sk__free(ctext);
    sk__free(ktext);
    if (r != 0) {
        tlsw_key_delete(ctx);
        if (cert != NULL)
            CertFreeCertificateContext(cert);
        if (chain != NULL)
            CertCloseStore(chain, 0);
        return r;
    }
    ctx->cert = cert;
    ctx->chain = chain;
    return 0;
}

int sk__tlsp_ctx_alpn(sk_tls_ctx *ctx, const unsigned char *wire,
                      size_t len)
{
    unsigned char *copy = NULL;
    if (wire != NULL) {
        copy = (unsigned char *)sk__malloc(len);
        if (copy == NULL)
            return SK_ENORESOURCES;
        memcpy(copy, wire, len);
    }
    sk__free(ctx->alpn);
    ctx->alpn = copy;
    ctx->alpnlen = wire != NULL ? len : 0;
    return 0;
}

int sk__tlsp_ctx_minver(sk_tls_ctx *ctx, int version)
{
    ctx->minver = version;
    tlsw_changed(ctx);
    return 0;
}

/* ---- credentials ------------------------------------------------------- */

/* Acquire credentials for c's settings: SCH_CREDENTIALS first (Windows 10
 * 1809 and later: the one way to TLS 1.3), then SCHANNEL_CRED (older
 * Windows, Wine), which cannot ask for TLS 1.3 only. */
static SECURITY_STATUS tlsw_acquire(sk_tls_ctx *c, CredHandle *h)
{
    SCH_CREDENTIALS sc;
    SCHANNEL_CRED old;
    TLS_PARAMETERS tp;
    TimeStamp ts;
    SECURITY_STATUS st;
    DWORD flags = SCH_USE_STRONG_CRYPTO;
    PCCERT_CONTEXT certs[1];
    ULONG use = c->h.mode == SK_TLS_CLIENT ? SECPKG_CRED_OUTBOUND
                                         : SECPKG_CRED_INBOUND;
    certs[0] = c->cert;
    if (c->h.mode == SK_TLS_CLIENT)
        flags |= SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    else
        flags |= SCH_CRED_NO_SYSTEM_MAPPER;
    memset(&sc, 0, sizeof sc);
    memset(&tp, 0, sizeof tp);
    sc.dwVersion = SCH_CREDENTIALS_VERSION;
    sc.dwFlags = flags;
    sc.cCreds = c->cert != NULL ? 1 : 0;
    sc.paCred = c->cert != NULL ? certs : NULL;
    /* disabled: everything below the minimum */
    tp.grbitDisabledProtocols =
        c->minver == SK_TLS_1_3
            ? ~(DWORD)(SP_PROT_TLS1_3_CLIENT | SP_PROT_TLS1_3_SERVER)
            : ~(DWORD)(SP_PROT_TLS1_2_CLIENT | SP_PROT_TLS1_2_SERVER |
                       SP_PROT_TLS1_3_CLIENT | SP_PROT_TLS1_3_SERVER);
    sc.cTlsParameters = 1;
    sc.pTlsParameters = &tp;
    st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, use, NULL,
                                   &sc, NULL, NULL, h, &ts);
    if (st == SEC_E_OK || c->minver == SK_TLS_1_3)
        return st;
    memset(&old, 0, sizeof old);
    old.dwVersion = SCHANNEL_CRED_VERSION;
    old.dwFlags = flags;
    old.cCreds = sc.cCreds;
    old.paCred = sc.paCred;
    old.grbitEnabledProtocols = c->h.mode == SK_TLS_CLIENT
                                    ? SP_PROT_TLS1_2_CLIENT
                                    : SP_PROT_TLS1_2_SERVER;
    return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, use,
                                     NULL, &old, NULL, NULL, h, &ts);
}

/* The context's credentials for a session (made when missing). */
static int tlsw_cred_take(sk__tls *t)
{
    sk_tls_ctx *c = t->ctx;
    tlsw_cred *cr;
    SECURITY_STATUS st;
    sk__plat_mutex_lock(c->h.mu);
    cr = c->cred;
    if (cr != NULL)
        cr->refs++;
    sk__plat_mutex_unlock(c->h.mu);
    if (cr == NULL) {
        cr = (tlsw_cred *)sk__calloc(1, sizeof *cr);
        if (cr == NULL)
            return tlsw_failmsg(t, SK_ENORESOURCES, "out of memory");
        st = tlsw_acquire(c, &cr->h);
        if (st != SEC_E_OK) {
            sk__free(cr);
            return tlsw_fail(t, c->cert != NULL ? SK_ETLSBADCERT
                                                : SK_ETLSHANDSHAKE,
                             "AcquireCredentialsHandle", st);
        }
        cr->refs = 2; /* the session's and the context's */
        sk__plat_mutex_lock(c->h.mu);
        if (c->cred == NULL) {
            c->cred = cr;
        } else { /* another thread made them first: use ours alone */
            cr->refs = 1;
        }
        sk__plat_mutex_unlock(c->h.mu);
    }
    t->cred = cr;
    return 0;
}

/* ---- sessions ---------------------------------------------------------- */

int sk__tlsp_new(sk__tls **out, sk_sock *s, sk_tls_ctx *ctx,
                 const char *host, const char *pre, size_t npre)
{
    sk__tls *t;
    int client = ctx->h.mode == SK_TLS_CLIENT;
    *out = NULL;
    if (client && host == NULL && ctx->verify != SK_TLS_VERIFY_NONE)
        return SK_EINVAL;
    t = (sk__tls *)sk__calloc(1, sizeof *t);
    if (t == NULL)
        return SK_ENORESOURCES;
    t->s = s;
    t->ctx = ctx;
    t->client = client;
    snprintf(t->vmsg, sizeof t->vmsg, "%s", "ok");
    if (npre > 0) {
        if (tlsw_room(&t->in, &t->capin, 0, npre, TLSW_IN_MAX) != 0) {
            sk__free(t);
            return SK_ENORESOURCES;
        }
        memcpy(t->in, pre, npre);
        t->nin = npre;
    }
    if (client && host != NULL) {
        size_t n = strlen(host), i;
        t->host = (wchar_t *)sk__calloc(n + 1, sizeof(wchar_t));
        if (t->host == NULL) {
            sk__free(t->in);
            sk__free(t);
            return SK_ENORESOURCES;
        }
        for (i = 0; i < n; i++)
            t->host[i] = (wchar_t)(unsigned char)host[i];
        snprintf(t->hosta, sizeof t->hosta, "%s", host);
        t->hostip = strchr(host, ':') != NULL ||
                    strspn(host, "0123456789.") == n;
    }
    sk__tls_ctx_ref(ctx);
    *out = t;
    return 0;
}

/* Queue an SChannel output token (and free it). */
static int tlsw_token(sk__tls *t, SecBuffer *b)
{
    int r = 0;
    if (b->pvBuffer != NULL) {
        if (b->cbBuffer > 0)
            r = tlsw_queue(t, b->pvBuffer, b->cbBuffer);
        FreeContextBuffer(b->pvBuffer);
        b->pvBuffer = NULL;
    }
    return r;
}

/* Close_notify into out (not sent). */
static int tlsw_make_shutdown(sk__tls *t)
{
    DWORD kind = SCHANNEL_SHUTDOWN, attrs = 0;
    SecBuffer ib, ob;
    SecBufferDesc id, od;
    SECURITY_STATUS st;
    TimeStamp ts;
    int r;
    ib.BufferType = SECBUFFER_TOKEN;
    ib.pvBuffer = &kind;
    ib.cbBuffer = sizeof kind;
    id.ulVersion = SECBUFFER_VERSION;
    id.cBuffers = 1;
    id.pBuffers = &ib;
    if (ApplyControlToken(&t->h, &id) != SEC_E_OK)
        return SK_ETLSPROTOCOL;
    ob.BufferType = SECBUFFER_TOKEN;
    ob.pvBuffer = NULL;
    ob.cbBuffer = 0;
    od.ulVersion = SECBUFFER_VERSION;
    od.cBuffers = 1;
    od.pBuffers = &ob;
    if (t->client)
        st = InitializeSecurityContextW(
            &t->cred->h, &t->h, t->host,
            ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT |
                ISC_REQ_CONFIDENTIALITY | ISC_REQ_ALLOCATE_MEMORY |
                ISC_REQ_STREAM,
            0, 0, NULL, 0, NULL, &od, &attrs, &ts);
    else
        st = AcceptSecurityContext(
            &t->cred->h, &t->h, NULL,
            ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT |
                ASC_REQ_CONFIDENTIALITY | ASC_REQ_ALLOCATE_MEMORY |
                ASC_REQ_STREAM,
            0, NULL, &od, &attrs, &ts);
    r = tlsw_token(t, &ob);
    if (r != 0)
        return r;
    if (st != SEC_E_OK && st != SEC_I_CONTEXT_EXPIRED)
        return SK_ETLSPROTOCOL;
    t->sentshut = 1;
    return 0;
}

void sk__tlsp_free(sk__tls *t, int notify)
{
    if (notify && t->done && t->err == 0) {
        if (!t->sentshut)
            (void)tlsw_make_shutdown(t);
        (void)tlsw_flush(t); /* one try: close never waits */
    }
    if (t->have_h)
        DeleteSecurityContext(&t->h);
    if (t->cred != NULL)
        tlsw_cred_unref(t->ctx, t->cred);
    sk__tls_ctx_unref(t->ctx);
    sk__free(t->host);
    sk__free(t->in);
    sk__free(t->plain);
    sk__free(t->out);
    sk__free(t);
}

/* ---- peer validation --------------------------------------------------- */

static void tlsw_vset(sk__tls *t, int code, const char *words)
{
    t->vcode = code;
    snprintf(t->vmsg, sizeof t->vmsg, "%s", words);
}

/* CERT_CHAIN_ENGINE_CONFIG as Windows 8 declares it (the headers give
 * it only to programs built for Windows 7 or 8 and later). */
typedef struct tlsw_engine_config {
    DWORD cbSize;
    HCERTSTORE hRestrictedRoot;
    HCERTSTORE hRestrictedTrust;
    HCERTSTORE hRestrictedOther;
    DWORD cAdditionalStore;
    HCERTSTORE *rghAdditionalStore;
    DWORD dwFlags;
    DWORD dwUrlRetrievalTimeout;
    DWORD MaximumCachedCertificates;
    DWORD CycleDetectionModulus;
    HCERTSTORE hExclusiveRoot;          /* Windows 7 */
    HCERTSTORE hExclusiveTrustedPeople; /* Windows 7 */
    DWORD dwExclusiveFlags;             /* Windows 8 */
} tlsw_engine_config;

/* A chain engine whose only roots are the context's trust: the size of
 * the configuration that Windows 8 and later know, then Windows 7's
 * (Wine 8 takes only that, and honours hExclusiveRoot); NULL where
 * neither is known (Vista: the caller checks the root itself). */
static HCERTCHAINENGINE tlsw_engine(HCERTSTORE trust)
{
    tlsw_engine_config cfg;
    HCERTCHAINENGINE e = NULL;
    memset(&cfg, 0, sizeof cfg);
    cfg.cbSize = sizeof cfg;
    cfg.hExclusiveRoot = trust;
    cfg.dwFlags = CERT_CHAIN_CACHE_ONLY_URL_RETRIEVAL;
    if (CertCreateCertificateChainEngine((PCERT_CHAIN_ENGINE_CONFIG)&cfg, &e))
        return e;
    cfg.cbSize = (DWORD)offsetof(tlsw_engine_config, dwExclusiveFlags);
    if (CertCreateCertificateChainEngine((PCERT_CHAIN_ENGINE_CONFIG)&cfg, &e))
        return e;
    return NULL;
}

/* Is the chain's last certificate in the given trust? */
static int tlsw_root_trusted(HCERTSTORE trust, PCCERT_CHAIN_CONTEXT ch)
{
    PCERT_SIMPLE_CHAIN sc = ch->rgpChain[0];
    PCCERT_CONTEXT root, found;
    if (sc->cElement == 0)
        return 0;
    root = sc->rgpElement[sc->cElement - 1]->pCertContext;
    found = CertFindCertificateInStore(trust, X509_ASN_ENCODING, 0,
                                       CERT_FIND_EXISTING, root, NULL);
    if (found == NULL)
        return 0;
    CertFreeCertificateContext(found);
    return 1;
}

/* Validate the peer's certificate; sets t->vcode, t->vmsg. */
static void tlsw_validate(sk__tls *t)
{
    PCCERT_CONTEXT peer = NULL;
    PCCERT_CHAIN_CONTEXT ch = NULL;
    HCERTCHAINENGINE eng = NULL;
    HCERTSTORE more = NULL;
    CERT_CHAIN_PARA cp;
    CERT_CHAIN_POLICY_PARA pp;
    CERT_CHAIN_POLICY_STATUS ps;
    SSL_EXTRA_CERT_CHAIN_POLICY_PARA ssl;
    LPSTR usage[1];
    DWORD chainflags = 0, err;
    PCERT_SIMPLE_CHAIN sc;
    int custom = t->ctx->trust != NULL;
    t->haspeer = 0;
    if (QueryContextAttributesA(&t->h, SECPKG_ATTR_REMOTE_CERT_CONTEXT,
                                (void *)&peer) != SEC_E_OK ||
        peer == NULL) {
        tlsw_vset(t, SK_ETLSCERT, "no peer certificate");
        return;
    }
    t->haspeer = 1;
    if (custom) {
        eng = tlsw_engine(t->ctx->trust);
        if (eng == NULL)
            custom = 2; /* the default engine, the root checked below */
    }
    memset(&cp, 0, sizeof cp);
    cp.cbSize = sizeof cp;
    usage[0] = (LPSTR)(t->client ? szOID_PKIX_KP_SERVER_AUTH
                                 : szOID_PKIX_KP_CLIENT_AUTH);
    cp.RequestedUsage.dwType = USAGE_MATCH_TYPE_OR;
    cp.RequestedUsage.Usage.cUsageIdentifier = 1;
    cp.RequestedUsage.Usage.rgpszUsageIdentifier = usage;
    if (custom)
        chainflags = CERT_CHAIN_CACHE_ONLY_URL_RETRIEVAL;
    else
        chainflags = CERT_CHAIN_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT |
                     CERT_CHAIN_REVOCATION_ACCUMULATIVE_TIMEOUT;
    if (custom == 2) { /* the peer's certificates and the trust */
        more = CertOpenStore(CERT_STORE_PROV_COLLECTION, 0, 0, 0, NULL);
        if (more != NULL) {
            (void)CertAddStoreToCollection(more, peer->hCertStore, 0, 0);
            (void)CertAddStoreToCollection(more, t->ctx->trust, 0, 0);
        }
    }
    if (!CertGetCertificateChain(eng, peer, NULL,
                                 more != NULL ? more : peer->hCertStore, &cp,
                                 chainflags, NULL, &ch)) {
        tlsw_vset(t, SK_ETLSCERT, "certificate chain not built");
        goto out;
    }
    sc = ch->rgpChain[0];
    memset(&ssl, 0, sizeof ssl);
    ssl.cbSize = sizeof ssl;
    ssl.dwAuthType = t->client ? AUTHTYPE_SERVER : AUTHTYPE_CLIENT;
    ssl.pwszServerName = t->client ? t->host : NULL;
    memset(&pp, 0, sizeof pp);
    pp.cbSize = sizeof pp;
    pp.pvExtraPolicyPara = &ssl;
    if (!custom) /* revocation: offline answers are not failures */
        pp.dwFlags = CERT_CHAIN_POLICY_IGNORE_ALL_REV_UNKNOWN_FLAGS;
    if (custom == 2 && tlsw_root_trusted(t->ctx->trust, ch))
        pp.dwFlags |= CERT_CHAIN_POLICY_ALLOW_UNKNOWN_CA_FLAG;
    if (t->host == NULL || !t->client)
        ssl.fdwChecks = SECURITY_FLAG_IGNORE_CERT_CN_INVALID;
    memset(&ps, 0, sizeof ps);
    ps.cbSize = sizeof ps;
    if (!CertVerifyCertificateChainPolicy(CERT_CHAIN_POLICY_SSL, ch, &pp,
                                          &ps)) {
        tlsw_vset(t, SK_ETLSCERT, "certificate policy not checked");
        goto out;
    }
    err = ps.dwError;
    if (err == 0) { /* the policy passed: the chain's own verdict too */
        DWORD bad = ch->TrustStatus.dwErrorStatus &
                    ~(DWORD)(CERT_TRUST_REVOCATION_STATUS_UNKNOWN |
                             CERT_TRUST_IS_OFFLINE_REVOCATION |
                             CERT_TRUST_IS_NOT_TIME_NESTED);
        if (pp.dwFlags & CERT_CHAIN_POLICY_ALLOW_UNKNOWN_CA_FLAG)
            bad &= ~(DWORD)CERT_TRUST_IS_UNTRUSTED_ROOT;
        if (bad & CERT_TRUST_IS_NOT_TIME_VALID)
            err = (DWORD)CERT_E_EXPIRED;
        else if (bad & CERT_TRUST_IS_REVOKED)
            err = (DWORD)CRYPT_E_REVOKED;
        else if (bad & CERT_TRUST_IS_PARTIAL_CHAIN)
            err = (DWORD)CERT_E_CHAINING;
        else if (bad & CERT_TRUST_IS_UNTRUSTED_ROOT)
            err = (DWORD)CERT_E_UNTRUSTEDROOT;
        else if (bad & CERT_TRUST_IS_NOT_SIGNATURE_VALID)
            err = (DWORD)TRUST_E_CERT_SIGNATURE;
        else if (bad != 0)
            err = (DWORD)CERT_E_WRONG_USAGE;
    }
    switch (err) {
    case 0:
        tlsw_vset(t, 0, "ok");
        break;
    case (DWORD)CERT_E_EXPIRED:
        tlsw_vset(t, SK_ETLSEXPIRED, "certificate has expired");
        break;
    case (DWORD)CERT_E_CN_NO_MATCH:
        tlsw_vset(t, SK_ETLSHOSTNAME,
                  t->hostip ? "IP address mismatch" : "hostname mismatch");
        break;
    case (DWORD)CERT_E_UNTRUSTEDROOT:
    case (DWORD)CERT_E_CHAINING:
    case (DWORD)CERT_E_UNTRUSTEDCA:
    case (DWORD)TRUST_E_CERT_SIGNATURE:
        if (sc->cElement == 1 &&
            (sc->rgpElement[0]->TrustStatus.dwInfoStatus &
             CERT_TRUST_IS_SELF_SIGNED))
            tlsw_vset(t, SK_ETLSSELFSIGNED, "self-signed certificate");
        else
            tlsw_vset(t, SK_ETLSUNTRUSTED,
                      "unable to get local issuer certificate");
        break;
    case (DWORD)CRYPT_E_REVOKED:
        tlsw_vset(t, SK_ETLSCERT, "certificate revoked");
        break;
    default: {
        char words[96];
        snprintf(words, sizeof words,
                 "certificate verification failed (0x%08lx)",
                 (unsigned long)err);
        tlsw_vset(t, SK_ETLSCERT, words);
        break;
    }
    }
out:
    if (ch != NULL)
        CertFreeCertificateChain(ch);
    if (eng != NULL)
        CertFreeCertificateChainEngine(eng);
    if (more != NULL)
        CertCloseStore(more, 0);
    CertFreeCertificateContext(peer);
}

/* The handshake completed: sizes, validation, the verdict. */
static int tlsw_finish(sk__tls *t)
{
    SECURITY_STATUS st = QueryContextAttributesA(
        &t->h, SECPKG_ATTR_STREAM_SIZES, &t->sizes);
    if (st != SEC_E_OK)
        return tlsw_fail(t, SK_ETLSHANDSHAKE, "QueryContextAttributes", st);
    tlsw_validate(t);
    if (t->ctx->verify != SK_TLS_VERIFY_NONE && t->vcode != 0 &&
        (t->haspeer || t->client || t->ctx->verify == SK_TLS_VERIFY_PEER)) {
        snprintf(t->msg, sizeof t->msg, "certificate verify failed: %s",
                 t->vmsg);
        t->err = t->vcode;
        return t->err;
    }
    t->hsok = 1;
    return 0;
}

/* A server's look at the ClientHello in in: the SNI name it carries. */
static void tlsw_sni(sk__tls *t)
{
    const unsigned char *p = (const unsigned char *)t->in;
    size_t n = t->nin, i, end, ext;
    if (t->sni[0] != '\0' || n < 5 + 4 + 2 + 32 + 1 || p[0] != 22 ||
        p[5] != 1)
        return;
    end = 5 + ((size_t)p[3] << 8 | p[4]);
    if (end > n)
        end = n;
    i = 5 + 4 + 2 + 32;
    i += 1 + p[i];                                  /* session id */
    if (i + 2 > end)
        return;
    i += 2 + ((size_t)p[i] << 8 | p[i + 1]);        /* cipher suites */
    if (i + 1 > end)
        return;
    i += 1 + p[i];                                  /* compression */
    if (i + 2 > end)
        return;
    i += 2;                                         /* extensions' length */
    while (i + 4 <= end) {
        size_t type = (size_t)p[i] << 8 | p[i + 1];
        ext = (size_t)p[i + 2] << 8 | p[i + 3];
        i += 4;
        if (i + ext > end)
            return;
        if (type == 0 && ext >= 5 && p[i + 2] == 0) {
            size_t len = (size_t)p[i + 3] << 8 | p[i + 4];
            if (5 + len <= ext && len < sizeof t->sni) {
                memcpy(t->sni, p + i + 5, len);
                t->sni[len] = '\0';
            }
            return;
        }
        i += ext;
    }
}

/* ALPN for a handshake call: the list as SChannel wants it in buf (cap
 * bytes); 0 when there is none. */
static unsigned long tlsw_alpn_buf(const sk_tls_ctx *c, unsigned char *buf,
                                   size_t cap)
{
    SEC_APPLICATION_PROTOCOLS *ap = (SEC_APPLICATION_PROTOCOLS *)buf;
    SEC_APPLICATION_PROTOCOL_LIST *l;
    size_t need;
    if (c->alpn == NULL || c->alpnlen == 0)
        return 0;
    need = offsetof(SEC_APPLICATION_PROTOCOLS, ProtocolLists) +
           offsetof(SEC_APPLICATION_PROTOCOL_LIST, ProtocolList) + c->alpnlen;
    if (need > cap || c->alpnlen > 0xffff)
        return 0;
    memset(buf, 0, need);
    l = &ap->ProtocolLists[0];
    ap->ProtocolListsSize =
        (unsigned long)(offsetof(SEC_APPLICATION_PROTOCOL_LIST, ProtocolList) +
                        c->alpnlen);
    l->ProtoNegoExt = SecApplicationProtocolNegotiationExt_ALPN;
    l->ProtocolListSize = (unsigned short)c->alpnlen;
    memcpy(l->ProtocolList, c->alpn, c->alpnlen);
    return (unsigned long)need;
}

/* One call of the handshake with what in holds.  Returns 0 (complete),
 * TLSW_AGAIN (go on: call again), SK__TLS_WANT_READ (more bytes needed), or
 * a fatal error. */
static int tlsw_hs_call(sk__tls *t)
{
    SecBuffer ib[3], ob[2];
    SecBufferDesc id, od;
    SECURITY_STATUS st;
    TimeStamp ts;
    unsigned long attrs = 0, alen;
    unsigned char alpn[600];
    int first = !t->have_h, r;
    DWORD cflags = ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT |
                   ISC_REQ_CONFIDENTIALITY | ISC_REQ_ALLOCATE_MEMORY |
                   ISC_REQ_STREAM | ISC_REQ_EXTENDED_ERROR |
                   ISC_REQ_MANUAL_CRED_VALIDATION | ISC_REQ_USE_SUPPLIED_CREDS;
    DWORD sflags = ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT |
                   ASC_REQ_CONFIDENTIALITY | ASC_REQ_ALLOCATE_MEMORY |
                   ASC_REQ_STREAM | ASC_REQ_EXTENDED_ERROR;
    if (!t->client && t->ctx->verify != SK_TLS_VERIFY_NONE)
        sflags |= ASC_REQ_MUTUAL_AUTH;
    if (!t->client && t->nin == 0)
        return SK__TLS_WANT_READ;
    if (!t->client && first)
        tlsw_sni(t);
    alen = first && !t->reneg ? tlsw_alpn_buf(t->ctx, alpn, sizeof alpn) : 0;
    /* in: the received bytes (none on a client's first call), ALPN */
    ib[0].BufferType = SECBUFFER_TOKEN;
    ib[0].pvBuffer = t->in;
    ib[0].cbBuffer = (unsigned long)t->nin;
    ib[1].BufferType = SECBUFFER_EMPTY;
    ib[1].pvBuffer = NULL;
    ib[1].cbBuffer = 0;
    ib[2].BufferType = SECBUFFER_EMPTY;
    ib[2].pvBuffer = NULL;
    ib[2].cbBuffer = 0;
    id.ulVersion = SECBUFFER_VERSION;
    id.pBuffers = ib;
    id.cBuffers = 2;
    if (alen > 0) {
        ib[2].BufferType = SECBUFFER_APPLICATION_PROTOCOLS;
        ib[2].pvBuffer = alpn;
        ib[2].cbBuffer = alen;
        id.cBuffers = 3;
    }
    ob[0].BufferType = SECBUFFER_TOKEN;
    ob[0].pvBuffer = NULL;
    ob[0].cbBuffer = 0;
    ob[1].BufferType = SECBUFFER_ALERT;
    ob[1].pvBuffer = NULL;
    ob[1].cbBuffer = 0;
    od.ulVersion = SECBUFFER_VERSION;
    od.cBuffers = 2;
    od.pBuffers = ob;
    if (t->client) {
        if (first) { /* the ClientHello: no input (pre-read bytes wait) */
            if (alen > 0) {
                ib[0] = ib[2];
                id.cBuffers = 1;
            }
            st = InitializeSecurityContextW(
                &t->cred->h, NULL, t->hostip ? NULL : t->host, cflags, 0, 0,
                alen > 0 ? &id : NULL, 0, &t->h, &od, &attrs, &ts);
        } else {
            st = InitializeSecurityContextW(
                &t->cred->h, &t->h, t->hostip ? NULL : t->host, cflags, 0, 0,
                &id, 0, NULL, &od, &attrs, &ts);
        }
    } else {
        st = AcceptSecurityContext(&t->cred->h, first ? NULL : &t->h, &id,
                                   sflags, 0, first ? &t->h : NULL, &od,
                                   &attrs, &ts);
    }
    if (first && (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED ||
                  st == SEC_I_INCOMPLETE_CREDENTIALS))
        t->have_h = 1;
    if (ob[1].pvBuffer != NULL)
        FreeContextBuffer(ob[1].pvBuffer);
    if (st == SEC_E_INCOMPLETE_MESSAGE) {
        if (ob[0].pvBuffer != NULL)
            FreeContextBuffer(ob[0].pvBuffer);
        if (t->nin == TLSW_IN_MAX)
            return tlsw_failmsg(t, SK_ETLSHANDSHAKE,
                                "handshake message too large");
        return SK__TLS_WANT_READ;
    }
    /* the token goes out even with an error: it is then an alert */
    r = tlsw_token(t, &ob[0]);
    if (r != 0)
        return tlsw_failmsg(t, r, "out of memory");
    if (st == SEC_I_INCOMPLETE_CREDENTIALS)
        return TLSW_AGAIN; /* asked for a certificate we lack: go on */
    if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED) {
        (void)tlsw_flush(t); /* the alert, one try */
        return tlsw_fail(t, SK_ETLSHANDSHAKE,
                         t->client ? "InitializeSecurityContext"
                                   : "AcceptSecurityContext",
                         st);
    }
    /* what was not part of this step stays in */
    if (ib[1].BufferType == SECBUFFER_EXTRA && ib[1].cbBuffer > 0 &&
        ib[1].cbBuffer <= t->nin)
        tlsw_consume(t, t->nin - ib[1].cbBuffer);
    else if (!(first && t->client))
        t->nin = 0;
    return st == SEC_E_OK ? 0 : TLSW_AGAIN;
}

/* Decrypt what in holds ahead of the reader (defined below). */
static void tlsw_ahead(sk__tls *t);

/* Handshake steps until done (the last flight sent), or something to
 * wait for; also a post-handshake message (t->reneg). */
static int tlsw_hs_run(sk__tls *t)
{
    int r;
    for (;;) {
        r = tlsw_flush(t);
        if (r != 0)
            return r;
        if (t->hsok && !t->reneg) {
            if (!t->done) {
                t->done = 1;
                if (t->nin > 0)
                    tlsw_ahead(t); /* data that came with the end */
            }
            return 0;
        }
        if (t->cred == NULL) {
            r = tlsw_cred_take(t);
            if (r != 0)
                return r;
        }
        r = (t->client && !t->have_h) || t->nin > 0 ? tlsw_hs_call(t)
                                                    : SK__TLS_WANT_READ;
        if (r == 0) {
            if (t->reneg)
                t->reneg = 0;
            else if ((r = tlsw_finish(t)) != 0)
                return r;
            continue;
        }
        if (r == TLSW_AGAIN)
            continue;
        if (r != SK__TLS_WANT_READ)
            return r;
        r = tlsw_flush(t); /* our flight before we wait for theirs */
        if (r != 0)
            return r;
        r = tlsw_fill(t);
        if (r == SK_ECLOSED)
            return tlsw_failmsg(t, SK_ETLSHANDSHAKE,
                                "connection closed during the handshake");
        if (r == SK__TLS_WANT_READ)
            return r;
        if (r != 0)
            return tlsw_failmsg(t, r, sk_strerror(r));
    }
}

int sk__tlsp_handshake(sk__tls *t)
{
    if (t->err != 0)
        return t->err;
    if (t->done)
        return 0;
    return tlsw_hs_run(t);
}

/* ---- records ----------------------------------------------------------- */

/* One record of in into plain (appended): 0 (decrypted, maybe nothing),
 * SK__TLS_WANT_READ (an incomplete record), SK_ECLOSED (close_notify),
 * TLSW_AGAIN (a post-handshake message: handshake again), or a fatal
 * error. */
static int tlsw_decrypt(sk__tls *t)
{
    SecBuffer b[4];
    SecBufferDesc d;
    SECURITY_STATUS st;
    int i, alert;
    size_t extra = 0;
    if (t->nin == 0)
        return SK__TLS_WANT_READ;
    alert = (unsigned char)t->in[0] == 21; /* TLS 1.2: an alert record */
    b[0].BufferType = SECBUFFER_DATA;
    b[0].pvBuffer = t->in;
    b[0].cbBuffer = (unsigned long)t->nin;
    for (i = 1; i < 4; i++) {
        b[i].BufferType = SECBUFFER_EMPTY;
        b[i].pvBuffer = NULL;
        b[i].cbBuffer = 0;
    }
    d.ulVersion = SECBUFFER_VERSION;
    d.cBuffers = 4;
    d.pBuffers = b;
    st = DecryptMessage(&t->h, &d, 0, NULL);
    if (st == SEC_E_INCOMPLETE_MESSAGE)
        return SK__TLS_WANT_READ;
    if (st != SEC_E_OK && st != SEC_I_RENEGOTIATE &&
        st != SEC_I_CONTEXT_EXPIRED)
        return tlsw_fail(t, SK_ETLSPROTOCOL, "DecryptMessage", st);
    for (i = 1; i < 4; i++) {
        if (b[i].BufferType == SECBUFFER_DATA && b[i].cbBuffer > 0) {
            if (t->plainoff > 0 && t->plainoff == t->nplain)
                t->plainoff = t->nplain = 0;
            if (tlsw_room(&t->plain, &t->capplain, t->nplain, b[i].cbBuffer,
                          (size_t)-1) != 0)
                return tlsw_failmsg(t, SK_ENORESOURCES, "out of memory");
            memcpy(t->plain + t->nplain, b[i].pvBuffer, b[i].cbBuffer);
            t->nplain += b[i].cbBuffer;
            alert = 0;
        } else if (b[i].BufferType == SECBUFFER_EXTRA) {
            extra = b[i].cbBuffer;
        }
    }
    if (extra > t->nin)
        extra = t->nin;
    tlsw_consume(t, t->nin - extra);
    if (st == SEC_I_CONTEXT_EXPIRED || (st == SEC_E_OK && alert)) {
        t->closed = 1; /* Wine: close_notify is SEC_E_OK with no data */
        return SK_ECLOSED;
    }
    if (st == SEC_I_RENEGOTIATE) {
        t->reneg = 1;
        return TLSW_AGAIN;
    }
    return 0;
}

/* Decrypt what in holds without the socket, so that pending counts it;
 * an end or error found here is given once plain is drained. */
static void tlsw_ahead(sk__tls *t)
{
    while (t->later == 0 && t->nin > 0 && !t->reneg) {
        size_t before = t->nplain;
        int r = tlsw_decrypt(t);
        if (r == SK__TLS_WANT_READ || r == TLSW_AGAIN)
            return;
        if (r != 0) {
            t->later = r;
            return;
        }
        if (t->nplain > before)
            return;
    }
}

int sk__tlsp_read(sk__tls *t, char *dst, size_t cap, size_t *n)
{
    int r;
    *n = 0;
    for (;;) {
        if (t->plainoff < t->nplain) {
            size_t k = t->nplain - t->plainoff;
            if (k > cap)
                k = cap;
            memcpy(dst, t->plain + t->plainoff, k);
            t->plainoff += k;
            *n = k;
            if (t->plainoff == t->nplain) {
                t->plainoff = t->nplain = 0;
                tlsw_ahead(t);
            }
            return 0;
        }
        if (t->err != 0)
            return t->err;
        if (t->later != 0) {
            r = t->later;
            if (r != SK_ECLOSED)
                t->err = r;
            return r;
        }
        if (t->closed)
            return SK_ECLOSED;
        if (t->nout > 0) { /* a handshake message of ours first */
            r = tlsw_flush(t);
            if (r != 0)
                return r;
        }
        if (t->reneg) {
            r = tlsw_hs_run(t);
            if (r != 0)
                return r;
            continue;
        }
        r = tlsw_decrypt(t);
        if (r == 0 || r == TLSW_AGAIN)
            continue;
        if (r != SK__TLS_WANT_READ)
            return r;
        r = tlsw_fill(t);
        if (r == SK__TLS_WANT_READ)
            return r;
        if (r == SK_ECLOSED)
            return tlsw_failmsg(t, t->done ? SK_ETLSNOCLOSE : SK_ETLSHANDSHAKE,
                                "connection closed without TLS close_notify");
        if (r != 0)
            return tlsw_failmsg(t, r, sk_strerror(r));
    }
}

int sk__tlsp_write(sk__tls *t, const char *src, size_t len, size_t *n)
{
    SecBuffer b[4];
    SecBufferDesc d;
    SECURITY_STATUS st;
    size_t chunk, total;
    char *rec;
    int r, i;
    *n = 0;
    if (t->err != 0)
        return t->err;
    if (t->reneg) {
        r = tlsw_hs_run(t);
        if (r != 0)
            return r;
    }
    r = tlsw_flush(t);
    if (r != 0)
        return r;
    if (t->wlen > 0) { /* the record of an earlier call is out now */
        *n = t->wlen < len ? t->wlen : len;
        t->wlen = 0;
        return 0;
    }
    if (len == 0)
        return 0;
    chunk = len < t->sizes.cbMaximumMessage ? len : t->sizes.cbMaximumMessage;
    total = t->sizes.cbHeader + chunk + t->sizes.cbTrailer;
    if (tlsw_room(&t->out, &t->capout, 0, total, (size_t)-1) != 0)
        return tlsw_failmsg(t, SK_ENORESOURCES, "out of memory");
    rec = t->out;
    memcpy(rec + t->sizes.cbHeader, src, chunk);
    b[0].BufferType = SECBUFFER_STREAM_HEADER;
    b[0].pvBuffer = rec;
    b[0].cbBuffer = t->sizes.cbHeader;
    b[1].BufferType = SECBUFFER_DATA;
    b[1].pvBuffer = rec + t->sizes.cbHeader;
    b[1].cbBuffer = (unsigned long)chunk;
    b[2].BufferType = SECBUFFER_STREAM_TRAILER;
    b[2].pvBuffer = rec + t->sizes.cbHeader + chunk;
    b[2].cbBuffer = t->sizes.cbTrailer;
    b[3].BufferType = SECBUFFER_EMPTY;
    b[3].pvBuffer = NULL;
    b[3].cbBuffer = 0;
    d.ulVersion = SECBUFFER_VERSION;
    d.cBuffers = 4;
    d.pBuffers = b;
    st = EncryptMessage(&t->h, 0, &d, 0);
    if (st != SEC_E_OK)
        return tlsw_fail(t, SK_ETLSPROTOCOL, "EncryptMessage", st);
    t->outoff = 0;
    t->nout = 0;
    for (i = 0; i < 3; i++)
        t->nout += b[i].cbBuffer; /* the trailer may be shorter */
    r = tlsw_flush(t);
    if (r == SK__TLS_WANT_WRITE) {
        t->wlen = chunk; /* acknowledged when the record is out */
        return r;
    }
    if (r != 0)
        return r;
    *n = chunk;
    return 0;
}

int sk__tlsp_shutdown(sk__tls *t)
{
    int r;
    if (t->err != 0 || !t->done)
        return 0;
    if (!t->sentshut) {
        r = tlsw_flush(t); /* a record of an earlier write first */
        if (r != 0)
            return r;
        t->wlen = 0;
        r = tlsw_make_shutdown(t);
        if (r != 0)
            return r;
    }
    r = tlsw_flush(t);
    return r == SK__TLS_WANT_WRITE ? r : r < 0 ? r : 0;
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
    return t->nplain - t->plainoff;
}

/* ---- queries ------------------------------------------------------------ */

static void tlsw_name(sk__tls *t, PCERT_NAME_BLOB name)
{
    DWORD n = CertNameToStrA(X509_ASN_ENCODING, name,
                             CERT_X500_NAME_STR | CERT_NAME_STR_REVERSE_FLAG |
                                 CERT_NAME_STR_COMMA_FLAG,
                             t->info, (DWORD)sizeof t->info);
    if (n == 0)
        t->info[0] = '\0';
}

static void tlsw_fingerprint(sk__tls *t, PCCERT_CONTEXT x)
{
    static const char hex[] = "0123456789ABCDEF";
    BYTE md[32];
    DWORD n = sizeof md, i;
    char *p = t->info;
    if (!CryptHashCertificate(0, CALG_SHA_256, 0, x->pbCertEncoded,
                              x->cbCertEncoded, md, &n))
        n = 0;
    for (i = 0; i < n; i++) {
        if (i > 0)
            *p++ = ':';
        *p++ = hex[md[i] >> 4];
        *p++ = hex[md[i] & 15];
    }
    *p = '\0';
}

static const char *tlsw_version(DWORD proto)
{
    if (proto & (SP_PROT_TLS1_3_CLIENT | SP_PROT_TLS1_3_SERVER))
        return "TLSv1.3";
    if (proto & (SP_PROT_TLS1_2_CLIENT | SP_PROT_TLS1_2_SERVER))
        return "TLSv1.2";
    if (proto & (SP_PROT_TLS1_1_CLIENT | SP_PROT_TLS1_1_SERVER))
        return "TLSv1.1";
    if (proto & (SP_PROT_TLS1_0_CLIENT | SP_PROT_TLS1_0_SERVER))
        return "TLSv1";
    return "unknown";
}

static void tlsw_cipher(sk__tls *t)
{
    SecPkgContext_CipherInfo ci;
    SecPkgContext_ConnectionInfo co;
    size_t i;
    memset(&ci, 0, sizeof ci);
    ci.dwVersion = SECPKGCONTEXT_CIPHERINFO_V1;
    if (QueryContextAttributesA(&t->h, SECPKG_ATTR_CIPHER_INFO, &ci) ==
            SEC_E_OK &&
        ci.szCipherSuite[0] != 0) {
        for (i = 0; i + 1 < sizeof t->info && ci.szCipherSuite[i] != 0 &&
                    i < SZ_ALG_MAX_SIZE;
             i++)
            t->info[i] = (char)ci.szCipherSuite[i];
        t->info[i] = '\0';
        return;
    }
    if (QueryContextAttributesA(&t->h, SECPKG_ATTR_CONNECTION_INFO, &co) ==
        SEC_E_OK) {
        const char *alg = co.aiCipher == CALG_AES_128   ? "AES-128"
                          : co.aiCipher == CALG_AES_256 ? "AES-256"
                          : co.aiCipher == CALG_AES     ? "AES"
                          : co.aiCipher == CALG_3DES    ? "3DES"
                          : co.aiCipher == CALG_RC4     ? "RC4"
                                                        : "cipher";
        snprintf(t->info, sizeof t->info, "%s (%lu bits)", alg,
                 (unsigned long)co.dwCipherStrength);
    }
}

int sk__tlsp_get(sk__tls *t, int item, const char **value)
{
    SecPkgContext_ConnectionInfo co;
    SecPkgContext_ApplicationProtocol ap;
    PCCERT_CONTEXT x = NULL;
    t->info[0] = '\0';
    switch (item) {
    case SK_TLS_VERSION:
        if (QueryContextAttributesA(&t->h, SECPKG_ATTR_CONNECTION_INFO,
                                    &co) == SEC_E_OK)
            *value = tlsw_version(co.dwProtocol);
        else
            *value = "unknown";
        return 0;
    case SK_TLS_CIPHER:
        tlsw_cipher(t);
        break;
    case SK_TLS_ALPN:
        memset(&ap, 0, sizeof ap);
        if (QueryContextAttributesA(&t->h, SECPKG_ATTR_APPLICATION_PROTOCOL,
                                    &ap) == SEC_E_OK &&
            ap.ProtoNegoStatus == SecApplicationProtocolNegotiationStatus_Success &&
            (size_t)ap.ProtocolIdSize + 1 < sizeof t->info) {
            memcpy(t->info, ap.ProtocolId, ap.ProtocolIdSize);
            t->info[ap.ProtocolIdSize] = '\0';
        }
        break;
    case SK_TLS_PEER_SUBJECT:
    case SK_TLS_PEER_ISSUER:
    case SK_TLS_PEER_FINGERPRINT:
        if (QueryContextAttributesA(&t->h, SECPKG_ATTR_REMOTE_CERT_CONTEXT,
                                    (void *)&x) == SEC_E_OK &&
            x != NULL) {
            if (item == SK_TLS_PEER_FINGERPRINT)
                tlsw_fingerprint(t, x);
            else
                tlsw_name(t, item == SK_TLS_PEER_SUBJECT
                                 ? &x->pCertInfo->Subject
                                 : &x->pCertInfo->Issuer);
            CertFreeCertificateContext(x);
        }
        break;
    case SK_TLS_SERVER_NAME:
        *value = t->client ? (t->hostip ? "" : t->hosta) : t->sni;
        return 0;
    case SK_TLS_VERIFY_MESSAGE:
        *value = t->vmsg;
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
    if (!t->haspeer)
        return SK_ETLSCERT;
    return t->vcode;
}

int sk__tlsp_resumed(const sk__tls *t)
{
    SecPkgContext_SessionInfo si;
    memset(&si, 0, sizeof si);
    if (QueryContextAttributesA((PCtxtHandle)&t->h, SECPKG_ATTR_SESSION_INFO,
                                &si) != SEC_E_OK)
        return 0;
    return (si.dwFlags & SSL_SESSION_RECONNECT) ? 1 : 0;
}

#else
/* ISO C wants something in every translation unit. */
typedef int sk__tls_schannel_unused;
#endif /* SOCKIT_HAVE_SCHANNEL */
