/* SPDX-License-Identifier: MIT */
/*
 * http_get.c - fetch one URL path with HTTP/1.1 GET on sockit's public API.
 *
 *   http_get [-o FILE] [-t SECONDS] HOST PORT PATH
 *
 * Sends "GET PATH" with "Connection: close", reads the status line and the
 * headers with the line pattern, then the body with the byte-count pattern
 * (SK_BYTES, when the server sent Content-Length) or until the server closes
 * (SK_ALL, when it did not).  Prints the status line, the headers and
 * "body N bytes"; -o FILE also writes the body to FILE ("-" is stdout, and
 * the rest then goes to stderr).  -t SECONDS bounds each wait (default 10).
 * Exit status: 0 for a 2xx status, 1 for any other status, 2 on errors.
 * Chunked transfer coding is not supported (an error).
 */
#include <sockit.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HEADER_LINE 8192
#define MAX_HEADERS 100
#define CHUNK 65536 /* body bytes per SK_BYTES call: memory stays bounded */

/* Case-insensitive "does line start with header name NAME followed by ':'";
 * returns the value with leading blanks skipped, or NULL. */
static const char *header_value(const char *line, const char *name)
{
    size_t i, n = strlen(name);
    for (i = 0; i < n; i++)
        if (tolower((unsigned char)line[i]) != tolower((unsigned char)name[i]))
            return NULL;
    if (line[n] != ':')
        return NULL;
    line += n + 1;
    while (*line == ' ' || *line == '\t')
        line++;
    return line;
}

/* Read one CRLF (or LF) terminated line into b as a C string. */
static int read_line(sk_sock *c, sk_buf *b)
{
    int r;
    b->len = 0;
    r = sk_receive(c, b, SK_LINE, 0);
    if (r == SK_OK && (r = sk_buf_reserve(b, 1)) == SK_OK)
        b->data[b->len] = '\0';
    return r;
}

static int fail(const char *what, int r)
{
    fprintf(stderr, "http_get: %s: %s\n", what, sk_strerror(r));
    return 2;
}

int main(int argc, char **argv)
{
    const char *outname = NULL, *host, *path;
    FILE *out = NULL, *info = stdout;
    double timeout = 10;
    int argi = 1, port, status = 0, headers, have_length = 0, r, rc = 2;
    unsigned long long length = 0, got = 0;
    sk_sock *c = NULL;
    sk_buf b = {NULL, 0, 0};
    char request[1024];
    int reqlen;

    for (; argi + 1 < argc && argv[argi][0] == '-'; argi += 2) {
        if (strcmp(argv[argi], "-o") == 0)
            outname = argv[argi + 1];
        else if (strcmp(argv[argi], "-t") == 0)
            timeout = atof(argv[argi + 1]);
        else
            break;
    }
    if (argc - argi != 3) {
        fprintf(stderr,
                "usage: http_get [-o FILE] [-t SECONDS] HOST PORT PATH\n");
        return 2;
    }
    host = argv[argi];
    port = atoi(argv[argi + 1]);
    path = argv[argi + 2];
    if (outname && strcmp(outname, "-") == 0) {
        out = stdout; /* the body goes to stdout: everything else to stderr */
        info = stderr;
    } else if (outname && !(out = fopen(outname, "wb"))) {
        perror(outname);
        return 2;
    }

    /* Host header: an IPv6 address goes in brackets. */
    reqlen = snprintf(request, sizeof request,
                      "GET %s HTTP/1.1\r\nHost: %s%s%s:%d\r\n"
                      "User-Agent: sockit-http_get/" SOCKIT_VERSION "\r\n"
                      "Connection: close\r\n\r\n",
                      path, strchr(host, ':') ? "[" : "", host,
                      strchr(host, ':') ? "]" : "", port);
    if (reqlen < 0 || (size_t)reqlen >= sizeof request) {
        fprintf(stderr, "http_get: request too long\n");
        goto done;
    }

    /* The block timeout bounds each wait, so a long download that keeps
     * moving is never cut off; connect is bounded by it too. */
    if ((r = sk_tcp(&c)) != SK_OK ||
        (r = sk_settimeout(c, timeout, 'b')) != SK_OK ||
        (r = sk_setlinelimit(c, MAX_HEADER_LINE)) != SK_OK) {
        fail("socket", r);
        goto done;
    }
    if ((r = sk_connect(c, host, port)) != SK_OK) {
        fail("connect", r);
        goto done;
    }
    if ((r = sk_send(c, request, (size_t)reqlen, 1, -1, NULL)) != SK_OK) {
        fail("send", r);
        goto done;
    }

    /* Status line: "HTTP/1.1 200 OK" (SK_LINE drops the CR and the LF). */
    if ((r = read_line(c, &b)) != SK_OK) {
        fail("status line", r);
        goto done;
    }
    if (strncmp(b.data, "HTTP/1.", 7) != 0 || strlen(b.data) < 12 ||
        b.data[8] != ' ' || !isdigit((unsigned char)b.data[9]) ||
        !isdigit((unsigned char)b.data[10]) ||
        !isdigit((unsigned char)b.data[11])) {
        fprintf(stderr, "http_get: bad status line: %s\n", b.data);
        goto done;
    }
    status = atoi(b.data + 9);
    fprintf(info, "%s\n", b.data);

    /* Headers, one line each, up to the empty line. */
    for (headers = 0;; headers++) {
        const char *v;
        if ((r = read_line(c, &b)) != SK_OK) {
            fail("headers", r);
            goto done;
        }
        if (b.len == 0)
            break;
        if (headers == MAX_HEADERS) {
            fprintf(stderr, "http_get: too many headers\n");
            goto done;
        }
        fprintf(info, "%s\n", b.data);
        if ((v = header_value(b.data, "Content-Length")) != NULL) {
            if (!isdigit((unsigned char)*v)) {
                fprintf(stderr, "http_get: bad Content-Length\n");
                goto done;
            }
            length = strtoull(v, NULL, 10);
            have_length = 1;
        } else if ((v = header_value(b.data, "Transfer-Encoding")) != NULL &&
                   strcmp(v, "identity") != 0) {
            fprintf(stderr, "http_get: Transfer-Encoding %s not supported\n",
                    v);
            goto done;
        }
    }

    /* Body.  204 and 304 never have one. */
    if (status == 204 || status == 304) {
        have_length = 1;
        length = 0;
    }
    if (have_length) {
        /* Byte-count pattern, in bounded pieces. */
        while (got < length) {
            unsigned long long left = length - got;
            b.len = 0;
            r = sk_receive(c, &b, SK_BYTES,
                           left < CHUNK ? (size_t)left : CHUNK);
            if (out && b.len && fwrite(b.data, 1, b.len, out) != b.len) {
                perror(outname);
                goto done;
            }
            got += b.len; /* on error the bytes that came are kept too */
            if (r != SK_OK) {
                fail("body", r);
                goto done;
            }
        }
    } else {
        /* No length: the body ends when the server closes.  SK_ALL is not
         * bounded; fine for an example, use SK_SOME in a loop otherwise.
         * SK_ECLOSED here means the server closed without a byte: empty. */
        b.len = 0;
        r = sk_receive(c, &b, SK_ALL, 0);
        if (r != SK_OK && r != SK_ECLOSED) {
            fail("body", r);
            goto done;
        }
        if (out && b.len && fwrite(b.data, 1, b.len, out) != b.len) {
            perror(outname);
            goto done;
        }
        got = b.len;
    }
    /* (a double: mingw's printf may not know %llu) */
    fprintf(info, "body %.0f bytes\n", (double)got);
    rc = status >= 200 && status <= 299 ? 0 : 1;

done:
    if (out && out != stdout && fclose(out) != 0) {
        perror(outname);
        rc = 2;
    }
    if (out == stdout && fflush(stdout) != 0)
        rc = 2;
    sk_buf_free(&b);
    sk_free(c);
    return rc;
}
