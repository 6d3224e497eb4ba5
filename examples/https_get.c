/* SPDX-License-Identifier: MIT */
/*
 * https_get.c - fetch one URL path over HTTPS (HTTP/1.1 GET through TLS)
 * on sockit's public API.
 *
 *   https_get [-o FILE] [-t SECONDS] [-ca FILE] [-k] HOST PORT PATH
 *
 * Connects, starts TLS verifying the server as HOST (against the system's
 * trust store, or the PEM certificates of -ca FILE; -k: no verification),
 * prints the session (version, cipher, ALPN, server certificate, the
 * verification's outcome), sends "GET PATH" with "Connection: close",
 * reads the status line and the headers with the line pattern and the body
 * with SK_BYTES (Content-Length) or SK_ALL (until the server's
 * close_notify).  Prints "body N bytes"; -o FILE writes the body to FILE.
 * -t SECONDS bounds each wait, the handshake's too (default 10).  Exit
 * status: 0 for a 2xx status, 1 for another status, 2 on errors (a failed
 * verification says which: expired, wrong host, unknown issuer,
 * self-signed).  Chunked transfer coding is not supported (an error).
 */
#include <sockit.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HEADER_LINE 8192
#define CHUNK 65536 /* body bytes per SK_BYTES call */

static int fail(const char *what, int r, sk_sock *c)
{
    const char *msg = NULL;
    if (c != NULL && sk_tls_get(c, SK_TLS_ERROR_MESSAGE, &msg) == 0 &&
        msg[0] != '\0')
        fprintf(stderr, "https_get: %s: %s (%s; %s)\n", what,
                sk_strerror(r), sk_errname(r), msg);
    else
        fprintf(stderr, "https_get: %s: %s (%s)\n", what, sk_strerror(r),
                sk_errname(r));
    return 2;
}

/* "Name: value" (case-insensitive name): the value, or NULL. */
static const char *header(const char *line, const char *name)
{
    size_t i, n = strlen(name);
    for (i = 0; i < n; i++)
        if (tolower((unsigned char)line[i]) != tolower((unsigned char)name[i]))
            return NULL;
    if (line[n] != ':')
        return NULL;
    for (line += n + 1; *line == ' ' || *line == '\t'; line++)
        ;
    return line;
}

static int line(sk_sock *c, sk_buf *b)
{
    int r;
    b->len = 0;
    r = sk_receive(c, b, SK_LINE, 0);
    if (r == 0 && (r = sk_buf_reserve(b, 1)) == 0)
        b->data[b->len] = '\0';
    return r;
}

static void show(sk_sock *c, const char *label, int item)
{
    const char *v = NULL;
    if (sk_tls_get(c, item, &v) == 0)
        printf("%s: %s\n", label, v[0] != '\0' ? v : "(none)");
}

int main(int argc, char **argv)
{
    const char *outname = NULL, *ca = NULL, *host, *path;
    double timeout = 10;
    int argi = 1, port, status, have_length = 0, insecure = 0, r, rc = 2;
    unsigned long long length = 0, got = 0;
    sk_tls_ctx *ctx = NULL;
    sk_sock *c = NULL;
    sk_buf b = {NULL, 0, 0};
    FILE *out = NULL;
    char request[1024];
    int reqlen;

    while (argi < argc && argv[argi][0] == '-') {
        if (strcmp(argv[argi], "-k") == 0) {
            insecure = 1;
            argi++;
        } else if (argi + 1 < argc && strcmp(argv[argi], "-o") == 0) {
            outname = argv[argi + 1];
            argi += 2;
        } else if (argi + 1 < argc && strcmp(argv[argi], "-t") == 0) {
            timeout = atof(argv[argi + 1]);
            argi += 2;
        } else if (argi + 1 < argc && strcmp(argv[argi], "-ca") == 0) {
            ca = argv[argi + 1];
            argi += 2;
        } else {
            break;
        }
    }
    if (argc - argi != 3) {
        fprintf(stderr, "usage: https_get [-o FILE] [-t SECONDS] [-ca FILE] "
                        "[-k] HOST PORT PATH\n");
        return 2;
    }
    host = argv[argi];
    port = atoi(argv[argi + 1]);
    path = argv[argi + 2];
    if (sk_tls_provider() == NULL) {
        fprintf(stderr, "https_get: sockit was built without TLS\n");
        return 2;
    }
    if (outname != NULL && (out = fopen(outname, "wb")) == NULL) {
        perror(outname);
        return 2;
    }
    reqlen = snprintf(request, sizeof request,
                      "GET %s HTTP/1.1\r\nHost: %s%s%s:%d\r\n"
                      "User-Agent: sockit-https_get/" SOCKIT_VERSION "\r\n"
                      "Connection: close\r\n\r\n",
                      path, strchr(host, ':') ? "[" : "", host,
                      strchr(host, ':') ? "]" : "", port);
    if (reqlen < 0 || (size_t)reqlen >= sizeof request) {
        fprintf(stderr, "https_get: request too long\n");
        goto done;
    }

    /* The context: whom to trust, what to offer. */
    if ((r = sk_tls_ctx_new(&ctx, SK_TLS_CLIENT)) != 0 ||
        (ca != NULL && (r = sk_tls_ctx_set_ca_file(ctx, ca, NULL)) != 0) ||
        (insecure && (r = sk_tls_ctx_set_verify(ctx, SK_TLS_VERIFY_NONE))) ||
        (r = sk_tls_ctx_set_alpn(ctx, "http/1.1")) != 0) {
        rc = fail("TLS context", r, NULL);
        goto done;
    }
    /* A plain connection first, then TLS on it, both within the timeout. */
    if ((r = sk_tcp(&c)) != 0 || (r = sk_settimeout(c, timeout, 'b')) != 0 ||
        (r = sk_setlinelimit(c, MAX_HEADER_LINE)) != 0) {
        rc = fail("socket", r, NULL);
        goto done;
    }
    if ((r = sk_connect(c, host, port)) != 0) {
        rc = fail("connect", r, NULL);
        goto done;
    }
    if ((r = sk_tls_start(c, ctx, host)) != 0) {
        rc = fail("TLS handshake", r, c);
        goto done;
    }
    show(c, "tls", SK_TLS_VERSION);
    show(c, "cipher", SK_TLS_CIPHER);
    show(c, "alpn", SK_TLS_ALPN);
    show(c, "server", SK_TLS_PEER_SUBJECT);
    show(c, "issuer", SK_TLS_PEER_ISSUER);
    show(c, "sha256", SK_TLS_PEER_FINGERPRINT);
    show(c, "verify", SK_TLS_VERIFY_MESSAGE);

    if ((r = sk_send(c, request, (size_t)reqlen, 1, -1, NULL)) != 0) {
        rc = fail("send", r, c);
        goto done;
    }
    if ((r = line(c, &b)) != 0) {
        rc = fail("status line", r, c);
        goto done;
    }
    if (strncmp(b.data, "HTTP/1.", 7) != 0 || b.len < 12 ||
        !isdigit((unsigned char)b.data[9])) {
        fprintf(stderr, "https_get: bad status line: %s\n", b.data);
        goto done;
    }
    status = atoi(b.data + 9);
    printf("%s\n", b.data);
    for (;;) {
        const char *v;
        if ((r = line(c, &b)) != 0) {
            rc = fail("headers", r, c);
            goto done;
        }
        if (b.len == 0)
            break;
        printf("%s\n", b.data);
        if ((v = header(b.data, "Content-Length")) != NULL) {
            length = strtoull(v, NULL, 10);
            have_length = 1;
        } else if ((v = header(b.data, "Transfer-Encoding")) != NULL &&
                   strcmp(v, "identity") != 0) {
            fprintf(stderr, "https_get: Transfer-Encoding %s unsupported\n",
                    v);
            goto done;
        }
    }
    if (status == 204 || status == 304) {
        have_length = 1;
        length = 0;
    }
    if (have_length) {
        while (got < length) {
            unsigned long long left = length - got;
            b.len = 0;
            r = sk_receive(c, &b, SK_BYTES, left < CHUNK ? (size_t)left
                                                         : CHUNK);
            if (out != NULL && b.len > 0)
                fwrite(b.data, 1, b.len, out);
            got += b.len;
            if (r != 0) {
                rc = fail("body", r, c);
                goto done;
            }
        }
    } else {
        /* Until close_notify: a cut connection (SK_ETLSNOCLOSE) is an
         * error, never a complete body. */
        b.len = 0;
        r = sk_receive(c, &b, SK_ALL, 0);
        if (out != NULL && b.len > 0)
            fwrite(b.data, 1, b.len, out);
        got = b.len;
        if (r != 0 && r != SK_ECLOSED) {
            rc = fail("body", r, c);
            goto done;
        }
    }
    printf("body %.0f bytes\n", (double)got);
    rc = status >= 200 && status <= 299 ? 0 : 1;

done:
    if (out != NULL && fclose(out) != 0) {
        perror(outname);
        rc = 2;
    }
    sk_buf_free(&b);
    sk_free(c); /* close_notify, then the socket */
    sk_tls_ctx_free(ctx);
    return rc;
}
