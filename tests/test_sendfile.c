/* SPDX-License-Identifier: MIT */
/*
 * test_sendfile.c - sk_sendfile and sk_sendv over loopback: a whole large
 * file (64 MiB by default; SOCKIT_TEST_BULK_MIB changes it) checked by
 * checksum, ranges checked byte for byte, the end of the file, a peer that
 * closes half-way, a total timeout and resuming after it, the read-and-send
 * path (short ranges everywhere; on Linux also a /proc file that sendfile
 * refuses), bad input and wrong roles; gathered sends in order, with empty
 * buffers, more buffers than IOV_MAX, partial sends and timeouts.
 *
 * sk_sendfile reads and sends to a peer on this host (loopback: cheaper
 * for the host than zero-copy, bench/RESULTS.md), so the tests run against
 * the test build of the library (sockit_hooked), whose hook
 * sk__test_sendfile_local_set makes loopback peers count as remote: every
 * test then takes the zero-copy path over loopback as before, and the main
 * ones run again with the peer taken as local (read and send), beside a
 * test of the rule itself.
 *
 * The test makes its files in a fresh temporary directory and removes
 * them.  The small amount of file plumbing (create, open, position) is the
 * only OS-specific code here, kept in the first section.
 */
#if !defined(_WIN32)
#  define _POSIX_C_SOURCE 200809L
#endif

#include "support.h"
#include "plat.h" /* sk__test_sendfile_local_set, sk__test_alloc_* */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(_WIN32)
#  ifndef WIN32_LEAN_AND_MEAN
#    define WIN32_LEAN_AND_MEAN
#  endif
#  include <windows.h>
#  include <direct.h>
#  include <fcntl.h>
#  include <io.h>
#  include <sys/stat.h>
#else
#  include <fcntl.h>
#  include <sys/stat.h>
#  include <unistd.h>
#endif

#define MIB ((size_t)1024 * 1024)

/* ---- file plumbing (the OS-specific part) ------------------------------ */

#if defined(_WIN32)
static int tmpdir_make(char *dir, size_t cap)
{
    char base[MAX_PATH];
    DWORD n = GetTempPathA((DWORD)sizeof base, base);
    unsigned k;
    if (n == 0 || n >= sizeof base)
        return -1;
    for (k = 0; k < 100; k++) {
        snprintf(dir, cap, "%ssksf%lu_%u", base,
                 (unsigned long)GetCurrentProcessId(), k);
        if (_mkdir(dir) == 0)
            return 0;
    }
    return -1;
}
static int file_create(const char *path)
{
    return _open(path, _O_CREAT | _O_TRUNC | _O_WRONLY | _O_BINARY,
                 _S_IREAD | _S_IWRITE);
}
static int file_open_read(const char *path)
{
    return _open(path, _O_RDONLY | _O_BINARY);
}
static int file_open_write(const char *path)
{
    return _open(path, _O_WRONLY | _O_BINARY);
}
static int file_write(int fd, const void *p, size_t n)
{
    return _write(fd, p, (unsigned)n) == (int)n ? 0 : -1;
}
static void file_close(int fd) { _close(fd); }
static void file_remove(const char *path) { _unlink(path); }
static void dir_remove(const char *dir) { _rmdir(dir); }
static int64_t file_seek(int fd, int64_t pos, int whence)
{
    return (int64_t)_lseeki64(fd, pos, whence);
}
/* A pipe's read end, or -1 (the write end is closed). */
static int pipe_read_end(void)
{
    int p[2];
    if (_pipe(p, 4096, _O_BINARY) != 0)
        return -1;
    _close(p[1]);
    return p[0];
}
#else
static int tmpdir_make(char *dir, size_t cap)
{
    const char *base = getenv("TMPDIR");
    if (base == NULL || base[0] == '\0')
        base = "/tmp";
    snprintf(dir, cap, "%s/sksf_XXXXXX", base);
    return mkdtemp(dir) != NULL ? 0 : -1;
}
static int file_create(const char *path)
{
    return open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
}
static int file_open_read(const char *path) { return open(path, O_RDONLY); }
static int file_open_write(const char *path) { return open(path, O_WRONLY); }
static int file_write(int fd, const void *p, size_t n)
{
    const char *c = (const char *)p;
    while (n > 0) {
        ssize_t k = write(fd, c, n);
        if (k <= 0)
            return -1;
        c += k;
        n -= (size_t)k;
    }
    return 0;
}
static void file_close(int fd) { close(fd); }
static void file_remove(const char *path) { unlink(path); }
static void dir_remove(const char *dir) { rmdir(dir); }
static int64_t file_seek(int fd, int64_t pos, int whence)
{
    return (int64_t)lseek(fd, (off_t)pos, whence);
}
static int pipe_read_end(void)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    close(p[1]);
    return p[0];
}
#endif

/* ---- the shared file ----------------------------------------------------- */

/* One large file made by the group setup: size bytes of the sup_fill
 * stream from SEED; the first HEAD bytes are also kept in memory for the
 * byte-for-byte checks. */
#define SEED UINT64_C(0x5e9df11e)
#define HEAD (8 * MIB)

static struct {
    char dir[512];
    char path[600];
    char small[600]; /* 100 bytes, for the short-file cases */
    size_t size;
    uint64_t hash; /* of the whole file */
    unsigned char *head;
} g;

static int group_setup(void **state)
{
    size_t mib = sup_env_size("SOCKIT_TEST_BULK_MIB", 64), done = 0;
    uint64_t seed = SEED;
    unsigned char *chunk = (unsigned char *)malloc(MIB);
    int fd;
    (void)state;
    if (mib < HEAD / MIB)
        mib = HEAD / MIB;
    g.size = mib * MIB;
    g.hash = SUP_HASH_INIT;
    g.head = (unsigned char *)malloc(HEAD);
    if (chunk == NULL || g.head == NULL ||
        tmpdir_make(g.dir, sizeof g.dir) != 0) {
        free(chunk);
        return -1;
    }
    snprintf(g.path, sizeof g.path, "%s/big.bin", g.dir);
    snprintf(g.small, sizeof g.small, "%s/small.bin", g.dir);
    fd = file_create(g.path);
    if (fd < 0) {
        free(chunk);
        return -1;
    }
    while (done < g.size) {
        sup_fill(&seed, chunk, MIB);
        if (done < HEAD)
            memcpy(g.head + done, chunk, MIB);
        g.hash = sup_hash(g.hash, chunk, MIB);
        if (file_write(fd, chunk, MIB) != 0)
            break;
        done += MIB;
    }
    file_close(fd);
    fd = file_create(g.small);
    if (fd >= 0) {
        if (file_write(fd, g.head, 100) != 0)
            done = 0;
        file_close(fd);
    }
    free(chunk);
    print_message("file of %lu MiB in %s\n", (unsigned long)mib, g.dir);
    return done == g.size && fd >= 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    file_remove(g.path);
    file_remove(g.small);
    dir_remove(g.dir);
    free(g.head);
    return 0;
}

/* ---- a reader thread ------------------------------------------------------ */

/* Reads with sk_read until want bytes (or, with close_at, until close_at
 * bytes, then closes its object); hashes everything and keeps the first
 * keep_cap bytes in keep. */
struct reader {
    sk_sock *s;
    size_t want;
    size_t close_at; /* 0: never */
    unsigned char *keep;
    size_t keep_cap;
    int rc;
    size_t got;
    uint64_t hash;
    sup_thread *t;
};

static void reader_main(void *arg)
{
    struct reader *r = (struct reader *)arg;
    unsigned char *buf = (unsigned char *)malloc(64 * 1024);
    size_t limit = r->close_at ? r->close_at : r->want, iter;
    r->rc = buf == NULL ? SK_ENORESOURCES : 0;
    r->got = 0;
    r->hash = SUP_HASH_INIT;
    /* Bounded: every read returns at least one byte or fails. */
    for (iter = 0; r->rc == 0 && r->got < limit && iter < limit + 1; iter++) {
        size_t n = 0, cap = limit - r->got;
        if (cap > 64 * 1024)
            cap = 64 * 1024;
        r->rc = sk_read(r->s, buf, cap, &n);
        if (r->rc != 0)
            break;
        if (r->keep != NULL && r->got < r->keep_cap)
            memcpy(r->keep + r->got, buf,
                   n < r->keep_cap - r->got ? n : r->keep_cap - r->got);
        r->hash = sup_hash(r->hash, buf, n);
        r->got += n;
    }
    if (r->close_at)
        (void)sk_close(r->s);
    free(buf);
}

static void reader_start(struct reader *r, sk_sock *s, size_t want,
                         unsigned char *keep, size_t keep_cap)
{
    memset(r, 0, sizeof *r);
    r->s = s;
    r->want = want;
    r->keep = keep;
    r->keep_cap = keep_cap;
    r->rc = 1;
    r->t = sup_thread_start(reader_main, r);
}

static void reader_join(struct reader *r)
{
    sup_thread_join(r->t);
    r->t = NULL;
}

/* Bounded buffers, so that at most ~1 MiB is in flight between a sender
 * and a peer that does not read (see test_send.c). */
static void small_buffers(sk_sock *a, sk_sock *b)
{
    sup_assert_rc(sk_setoption(a, SK_OPT_SNDBUF, 65536), 0);
    sup_assert_rc(sk_setoption(b, SK_OPT_RCVBUF, 262144), 0);
}

/* ---- sk_sendfile ------------------------------------------------------- */

/* The whole file with length -1: every byte arrives (checksum), *sent is
 * the size, the statistics count it, the file position is untouched. */
static void t_sendfile_whole(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    struct reader rd;
    uint64_t sent = 0, tx = 0;
    sk_buf tail = {NULL, 0, 0};
    int fd = file_open_read(g.path);
    (void)state;
    assert_true(fd >= 0);
    assert_true(file_seek(fd, 12345, SEEK_SET) == 12345);
    sup_pair(&a, &b);
    sup_assert_rc(sk_setstats(a, 0, 0, 0), 0);
    reader_start(&rd, b, g.size, NULL, 0);
    sup_assert_rc(sk_sendfile(a, fd, 0, -1, &sent), 0);
    reader_join(&rd);
    sup_assert_rc(rd.rc, 0);
    assert_true(sent == (uint64_t)g.size);
    assert_int_equal(rd.got, g.size);
    assert_true(rd.hash == g.hash);
    sup_assert_rc(sk_getstats(a, NULL, &tx, NULL), 0);
    assert_true(tx == (uint64_t)g.size);
    assert_true(file_seek(fd, 0, SEEK_CUR) == 12345);
    /* Exactly that many bytes: after the shutdown the peer reads the end. */
    sup_assert_rc(sk_shutdown(a, SK_SHUT_SEND), 0);
    sup_assert_rc(sk_receive(b, &tail, SK_SOME, 0), SK_ECLOSED);
    assert_int_equal(tail.len, 0);
    sk_buf_free(&tail);
    file_close(fd);
    sk_free(a);
    sk_free(b);
}

/* len bytes of the big file at offset into out (offset + len <= size):
 * the head from memory, the rest regenerated from the seed as the setup
 * wrote it (1 MiB steps of the same stream). */
static void expected_at(uint64_t offset, size_t len, unsigned char *out)
{
    unsigned char *chunk;
    uint64_t seed = SEED, at = 0;
    if (offset + len <= HEAD) {
        memcpy(out, g.head + offset, len);
        return;
    }
    chunk = (unsigned char *)malloc(MIB);
    assert_non_null(chunk);
    while (at < offset + len) {
        sup_fill(&seed, chunk, MIB);
        if (at + MIB > offset) {
            uint64_t from = offset > at ? offset : at;
            uint64_t to = offset + len < at + MIB ? offset + len : at + MIB;
            memcpy(out + (from - offset), chunk + (from - at),
                   (size_t)(to - from));
        }
        at += MIB;
    }
    free(chunk);
}

/* Send [offset, offset + length) of fd (the big file, or the small one,
 * which is the head's first 100 bytes) and check that exactly want_len
 * bytes arrive, byte for byte, and are counted. */
static void range_case(sk_sock *a, sk_sock *b, int fd, uint64_t offset,
                       int64_t length, size_t want_len)
{
    struct reader rd;
    unsigned char *keep = (unsigned char *)malloc(want_len ? want_len : 1);
    unsigned char *want = (unsigned char *)malloc(want_len ? want_len : 1);
    uint64_t sent = 99, tx0 = 0, tx1 = 0;
    assert_non_null(keep);
    assert_non_null(want);
    if (want_len > 0)
        expected_at(offset, want_len, want);
    sup_assert_rc(sk_getstats(a, NULL, &tx0, NULL), 0);
    reader_start(&rd, b, want_len, keep, want_len);
    sup_assert_rc(sk_sendfile(a, fd, offset, length, &sent), 0);
    reader_join(&rd);
    sup_assert_rc(rd.rc, 0);
    assert_true(sent == (uint64_t)want_len);
    assert_int_equal(rd.got, want_len);
    if (want_len > 0)
        assert_memory_equal(keep, want, want_len);
    sup_assert_rc(sk_getstats(a, NULL, &tx1, NULL), 0);
    assert_true(tx1 - tx0 == (uint64_t)want_len);
    free(keep);
    free(want);
}

/* Ranges in the middle (odd offsets and lengths), through the zero-copy
 * path (over 4 KiB) and the read-and-send path (under 4 KiB). */
static void t_sendfile_ranges(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    int fd = file_open_read(g.path);
    (void)state;
    assert_true(fd >= 0);
    sup_pair(&a, &b);
    range_case(a, b, fd, 1000003, 1234567, 1234567);
    range_case(a, b, fd, 3 * MIB + 7, 4095, 4095);   /* read and send */
    range_case(a, b, fd, 4 * MIB - 1, 4096, 4096);   /* zero-copy */
    range_case(a, b, fd, 777777, 3001, 3001);
    range_case(a, b, fd, 5 * MIB + 1, 1, 1);
    range_case(a, b, fd, HEAD - 65537, 65537, 65537); /* to the head's end */
    sup_expect_nothing(b);
    file_close(fd);
    sk_free(a);
    sk_free(b);
}

/* length -1 from an offset; an offset at and past the end; a range that
 * runs past the end: the call stops at the end and returns 0. */
static void t_sendfile_end(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    uint64_t sent = 99;
    int fd = file_open_read(g.small), big = file_open_read(g.path);
    (void)state;
    assert_true(fd >= 0 && big >= 0);
    sup_pair(&a, &b);

    range_case(a, b, fd, 37, -1, 63);       /* read and send: unknown size */
    range_case(a, b, fd, 90, 1000, 10);     /* short range past the end */
    range_case(a, b, big, g.size - 10000, 20000, 10000); /* zero-copy */
    range_case(a, b, big, g.size - 3, -1, 3);
    range_case(a, b, big, g.size - 5 * MIB - 3, -1, 5 * MIB + 3);
    sup_expect_nothing(b);

    sup_assert_rc(sk_sendfile(a, fd, 100, -1, &sent), 0); /* at the end */
    assert_true(sent == 0);
    sup_assert_rc(sk_sendfile(a, fd, 100, 5, &sent), 0);
    assert_true(sent == 0);
    sup_assert_rc(sk_sendfile(a, fd, 5000, -1, &sent), 0); /* past it */
    assert_true(sent == 0);
    sup_assert_rc(sk_sendfile(a, big, g.size, 100000, &sent), 0);
    assert_true(sent == 0);
    sup_assert_rc(sk_sendfile(a, big, (uint64_t)1 << 40, -1, &sent), 0);
    assert_true(sent == 0);
    sup_assert_rc(sk_sendfile(a, big, (uint64_t)INT64_MAX, -1, &sent), 0);
    assert_true(sent == 0);
    sup_assert_rc(sk_sendfile(a, fd, 0, 0, &sent), 0); /* nothing asked */
    assert_true(sent == 0);
    sup_expect_nothing(b);
    file_close(fd);
    file_close(big);
    sk_free(a);
    sk_free(b);
}

/* The peer reads 2 MiB and closes: SK_ECLOSED or SK_ECONNRESET, with
 * *sent between what the peer read and the file size (no SIGPIPE kills
 * the process on the way). */
static void t_sendfile_peer_closes(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    struct reader rd;
    uint64_t sent = 0, tx = 0;
    int fd = file_open_read(g.path), rc;
    (void)state;
    assert_true(fd >= 0);
    sup_pair(&a, &b);
    small_buffers(a, b);
    sup_assert_rc(sk_setstats(a, 0, 0, 0), 0);
    memset(&rd, 0, sizeof rd);
    rd.s = b;
    rd.close_at = 2 * MIB;
    rd.rc = 1;
    rd.t = sup_thread_start(reader_main, &rd);
    rc = sk_sendfile(a, fd, 0, -1, &sent);
    reader_join(&rd);
    sup_assert_rc(rd.rc, 0);
    assert_int_equal(rd.got, 2 * MIB);
    if (rc != SK_ECLOSED && rc != SK_ECONNRESET) {
        print_error("sendfile to a peer that closed: %s after %lu bytes\n",
                    sk_errname(rc), (unsigned long)sent);
        fail();
    }
    print_message("peer closed after 2 MiB: %s with %lu bytes sent\n",
                  sk_errname(rc), (unsigned long)sent);
    assert_true(sent >= (uint64_t)rd.got && sent < (uint64_t)g.size);
    assert_true(rd.hash == sup_hash(SUP_HASH_INIT, g.head, 2 * MIB));
    sup_assert_rc(sk_getstats(a, NULL, &tx, NULL), 0);
    assert_true(tx == sent);
    /* It keeps failing, still without a signal. */
    rc = sk_sendfile(a, fd, sent, -1, &sent);
    assert_true(rc == SK_ECLOSED || rc == SK_ECONNRESET);
    assert_true(sent == 0);
    file_close(fd);
    sk_free(a);
    sk_free(b);
}

/* A total timeout while the peer does not read: SK_ETIMEOUT with *sent
 * short of the range; the peer then reads, the sender resumes at
 * offset + *sent, and every byte arrives exactly once. */
static void t_sendfile_timeout_resume(void **state)
{
    const size_t len = HEAD;
    sk_sock *a = NULL, *b = NULL;
    struct reader rd;
    uint64_t sent = 0, done, tx = 0;
    int fd = file_open_read(g.path), rc = SK_ETIMEOUT, i;
    (void)state;
    assert_true(fd >= 0);
    sup_pair(&a, &b);
    small_buffers(a, b);
    sup_assert_rc(sk_setstats(a, 0, 0, 0), 0);
    sup_assert_rc(sk_settimeout(a, -1, 'b'), 0);
    sup_assert_rc(sk_settimeout(a, 0.2, 't'), 0);
    sup_assert_rc(sk_sendfile(a, fd, 0, (int64_t)len, &sent), SK_ETIMEOUT);
    print_message("total timeout: %lu of %lu bytes sent\n",
                  (unsigned long)sent, (unsigned long)len);
    assert_true(sent > 0 && sent < (uint64_t)len);
    done = sent;

    reader_start(&rd, b, len, NULL, 0);
    sup_assert_rc(sk_settimeout(a, -1, 't'), 0);
    sup_assert_rc(sk_settimeout(a, SUP_SAFETY_TIMEOUT, 'b'), 0);
    for (i = 0; i < 100 && rc != 0; i++) {
        rc = sk_sendfile(a, fd, done, (int64_t)(len - done), &sent);
        done += sent;
        if (rc != 0)
            sup_assert_rc(rc, SK_ETIMEOUT);
    }
    sup_assert_rc(rc, 0);
    reader_join(&rd);
    sup_assert_rc(rd.rc, 0);
    assert_true(done == (uint64_t)len);
    assert_int_equal(rd.got, len);
    assert_true(rd.hash == sup_hash(SUP_HASH_INIT, g.head, len));
    sup_expect_nothing(b);
    sup_assert_rc(sk_getstats(a, NULL, &tx, NULL), 0);
    assert_true(tx == (uint64_t)len);
    file_close(fd);
    sk_free(a);
    sk_free(b);
}

/* A file that the zero-copy call refuses.  Linux's sendfile refuses
 * /proc/self/mem (no splice support; EOVERFLOW for offsets above 2 GiB,
 * EINVAL below), while pread reads the process's own memory at the
 * address given as offset: so a buffer of ours, sent as a range of that
 * file, arrives only through the read-and-send path.  Elsewhere there is
 * no such file: the short ranges of t_sendfile_ranges take that path. */
static void t_sendfile_refused(void **state)
{
    const size_t len = 3 * MIB + 17;
    unsigned char *data = (unsigned char *)malloc(len);
    sk_sock *a = NULL, *b = NULL;
    struct reader rd;
    uint64_t seed = 42, sent = 0, tx = 0;
    int fd;
    (void)state;
    assert_non_null(data);
    sup_fill(&seed, data, len);
#if defined(__linux__)
    fd = file_open_read("/proc/self/mem");
#else
    fd = -1; /* (Wine would open the Linux file, but cannot read it so) */
#endif
    if (fd < 0) {
        print_message("no /proc/self/mem here: the read-and-send path is "
                      "tested by the short ranges only\n");
        free(data);
        return;
    }
    sup_pair(&a, &b);
    sup_assert_rc(sk_setstats(a, 0, 0, 0), 0);
    reader_start(&rd, b, len, NULL, 0);
    sup_assert_rc(sk_sendfile(a, fd, (uint64_t)(uintptr_t)data,
                              (int64_t)len, &sent),
                  0);
    reader_join(&rd);
    sup_assert_rc(rd.rc, 0);
    assert_true(sent == (uint64_t)len);
    assert_int_equal(rd.got, len);
    assert_true(rd.hash == sup_hash(SUP_HASH_INIT, data, len));
    sup_assert_rc(sk_getstats(a, NULL, &tx, NULL), 0);
    assert_true(tx == (uint64_t)len);
    print_message("/proc/self/mem: %lu bytes (by read and send where the "
                  "kernel's sendfile refuses /proc files)\n",
                  (unsigned long)len);
    file_close(fd);
    free(data);
    sk_free(a);
    sk_free(b);
}

/* Bad input: SK_EINVAL with *sent 0 and nothing sent. */
static void t_sendfile_bad_input(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    uint64_t sent = 99;
    int fd = file_open_read(g.path), wr = file_open_write(g.small);
    int pr = pipe_read_end(), closed = file_open_read(g.small);
    (void)state;
    assert_true(fd >= 0 && wr >= 0 && pr >= 0 && closed >= 0);
    file_close(closed); /* a descriptor number that is not open now */
    sup_pair(&a, &b);

    sup_assert_rc(sk_sendfile(NULL, fd, 0, -1, &sent), SK_EINVAL);
    assert_true(sent == 0);
    sent = 99;
    sup_assert_rc(sk_sendfile(a, -1, 0, -1, &sent), SK_EINVAL);
    assert_true(sent == 0);
    sup_assert_rc(sk_sendfile(a, fd, 0, -2, NULL), SK_EINVAL);
    sup_assert_rc(sk_sendfile(a, fd, 0, INT64_MIN, NULL), SK_EINVAL);
    sup_assert_rc(sk_sendfile(a, fd, (uint64_t)INT64_MAX + 1, -1, NULL),
                  SK_EINVAL);
    sup_assert_rc(sk_sendfile(a, fd, UINT64_MAX, 1, NULL), SK_EINVAL);
    sup_assert_rc(sk_sendfile(a, fd, 2, INT64_MAX, NULL), SK_EINVAL);
    sup_assert_rc(sk_sendfile(a, fd, (uint64_t)INT64_MAX, 1, NULL),
                  SK_EINVAL);
    /* Descriptors that cannot be read at an offset, on both paths (over
     * and under 4 KiB). */
    sent = 99;
    sup_assert_rc(sk_sendfile(a, wr, 0, -1, &sent), SK_EINVAL);
    assert_true(sent == 0);
    sup_assert_rc(sk_sendfile(a, wr, 0, 10, &sent), SK_EINVAL);
    sup_assert_rc(sk_sendfile(a, pr, 0, -1, &sent), SK_EINVAL);
    assert_true(sent == 0);
    sup_assert_rc(sk_sendfile(a, pr, 0, 10, &sent), SK_EINVAL);
#if defined(_WIN32)
    /* The C runtime's descriptor check can end the program (its invalid
     * parameter handler), so a closed descriptor is not tried here. */
    print_message("Windows: a closed descriptor is not tried (the C "
                  "runtime's invalid parameter handler owns that case)\n");
    (void)closed;
#else
    sup_assert_rc(sk_sendfile(a, closed, 0, -1, &sent), SK_EINVAL);
    sup_assert_rc(sk_sendfile(a, closed, 0, 10, &sent), SK_EINVAL);
    assert_true(sent == 0);
#endif
    /* The object is still usable and nothing went out. */
    sup_expect_nothing(b);
    sup_send_str(a, "ok");
    sup_expect_str(b, "ok");
    file_close(fd);
    file_close(wr);
    file_close(pr);
    sk_free(a);
    sk_free(b);
}

/* After sk_shutdown(SK_SHUT_SEND) both calls fail with SK_ECLOSED, on
 * both sendfile paths, with *sent 0 (and, on Linux, without the SIGPIPE
 * that sendfile raises on EPIPE). */
static void t_send_after_shutdown(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_iovec v[2];
    uint64_t sent = 99;
    size_t vsent = 99;
    int fd = file_open_read(g.path);
    (void)state;
    assert_true(fd >= 0);
    sup_pair(&a, &b);
    sup_assert_rc(sk_shutdown(a, SK_SHUT_SEND), 0);
    sup_assert_rc(sk_sendfile(a, fd, 0, -1, &sent), SK_ECLOSED);
    assert_true(sent == 0);
    sent = 99;
    sup_assert_rc(sk_sendfile(a, fd, 10, 100, &sent), SK_ECLOSED);
    assert_true(sent == 0);
    v[0].data = "ab";
    v[0].len = 2;
    v[1].data = "c";
    v[1].len = 1;
    sup_assert_rc(sk_sendv(a, v, 2, &vsent), SK_ECLOSED);
    assert_int_equal(vsent, 0);
    file_close(fd);
    sk_free(a);
    sk_free(b);
}

/* Wrong roles: a master, a dual-stack master, a server: SK_EWRONGROLE; a
 * closed object: SK_ECLOSED; *sent 0 each time. */
static void t_sendfile_roles(void **state)
{
    sk_sock *m = NULL, *d = NULL, *srv = NULL, *c = NULL;
    uint64_t sent = 99;
    int port = 0, fd = file_open_read(g.small);
    (void)state;
    assert_true(fd >= 0);
    sup_assert_rc(sk_tcp4(&m), 0);
    sup_assert_rc(sk_tcp(&d), 0);
    sup_listen4(&srv, &port, 1);
    sup_connect4(&c, port);
    sup_assert_rc(sk_close(c), 0);
    sup_assert_rc(sk_sendfile(m, fd, 0, -1, &sent), SK_EWRONGROLE);
    assert_true(sent == 0);
    sent = 99;
    sup_assert_rc(sk_sendfile(d, fd, 0, -1, &sent), SK_EWRONGROLE);
    assert_true(sent == 0);
    sup_assert_rc(sk_sendfile(srv, fd, 0, -1, &sent), SK_EWRONGROLE);
    sent = 99;
    sup_assert_rc(sk_sendfile(c, fd, 0, -1, &sent), SK_ECLOSED);
    assert_true(sent == 0);
    /* The role is checked before the arguments. */
    sup_assert_rc(sk_sendfile(srv, -1, 0, -5, NULL), SK_EWRONGROLE);
    sup_assert_rc(sk_sendfile(c, -1, 0, -5, NULL), SK_ECLOSED);
    file_close(fd);
    sk_free(m);
    sk_free(d);
    sk_free(srv);
    sk_free(c);
}

/* ---- sk_sendv ------------------------------------------------------------ */

/* Several buffers, empty ones among them (also first and last), arrive in
 * order as one stream; the statistics count them. */
static void t_sendv_order(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_iovec v[7];
    size_t sent = 99;
    uint64_t tx = 0;
    (void)state;
    sup_pair(&a, &b);
    sup_assert_rc(sk_setstats(a, 0, 0, 0), 0);
    v[0].data = NULL;
    v[0].len = 0;
    v[1].data = "ab";
    v[1].len = 2;
    v[2].data = "";
    v[2].len = 0;
    v[3].data = "cde";
    v[3].len = 3;
    v[4].data = NULL;
    v[4].len = 0;
    v[5].data = "f\n";
    v[5].len = 2;
    v[6].data = "zzz";
    v[6].len = 0;
    sup_assert_rc(sk_sendv(a, v, 7, &sent), 0);
    assert_int_equal(sent, 7);
    sup_expect_str(b, "abcdef\n");
    sup_expect_nothing(b);
    sup_assert_rc(sk_getstats(a, NULL, &tx, NULL), 0);
    assert_true(tx == 7);
    /* Nothing to send: 0 at once, also with NULL sent. */
    sup_assert_rc(sk_sendv(a, v, 1, &sent), 0);
    assert_int_equal(sent, 0);
    sup_assert_rc(sk_sendv(a, NULL, 0, &sent), 0);
    sup_assert_rc(sk_sendv(a, v + 4, 1, NULL), 0);
    sup_assert_rc(sk_sendv(a, v + 1, 1, NULL), 0);
    sup_expect_str(b, "ab");
    sup_expect_nothing(b);
    sk_free(a);
    sk_free(b);
}

/* 2000 buffers (more than Linux's IOV_MAX of 1024) of 0 to 9 bytes each:
 * sent in batches, in order. */
static void t_sendv_many(void **state)
{
    enum { N = 2000 };
    sk_iovec *v = (sk_iovec *)malloc(N * sizeof *v);
    unsigned char *data = (unsigned char *)malloc(N * 10);
    sk_sock *a = NULL, *b = NULL;
    size_t i, pos = 0, sent = 0;
    uint64_t seed = 7;
    (void)state;
    assert_non_null(v);
    assert_non_null(data);
    sup_fill(&seed, data, N * 10);
    for (i = 0; i < N; i++) {
        v[i].data = data + pos;
        v[i].len = (i * 7) % 10; /* 0..9, every tenth empty */
        pos += v[i].len;
    }
    sup_pair(&a, &b);
    sup_assert_rc(sk_sendv(a, v, N, &sent), 0);
    assert_int_equal(sent, pos);
    sup_expect(b, data, pos);
    sup_expect_nothing(b);
    free(v);
    free(data);
    sk_free(a);
    sk_free(b);
}

/* The iov that is left after skipping done bytes of v[0..n-1]: written to
 * out (capacity n), its count returned. */
static size_t iov_rest(const sk_iovec *v, size_t n, size_t done,
                       sk_iovec *out)
{
    size_t i, k = 0;
    for (i = 0; i < n; i++) {
        if (done >= v[i].len) {
            done -= v[i].len;
            continue;
        }
        out[k].data = (const unsigned char *)v[i].data + done;
        out[k].len = v[i].len - done;
        done = 0;
        k++;
    }
    return k;
}

/* A large gathered send (4 MiB in 67 buffers of odd sizes) with small
 * socket buffers: partial sends are continued, in the middle of buffers
 * too.  First against a peer that does not read (a total timeout reports
 * how far it got), then resumed from there while the peer reads. */
static void t_sendv_partial(void **state)
{
    enum { N = 67 };
    const size_t total = 4 * MIB;
    unsigned char *data = (unsigned char *)malloc(total);
    sk_iovec v[N], rest[N];
    sk_sock *a = NULL, *b = NULL;
    struct reader rd;
    size_t i, pos = 0, sent = 0, done, k;
    uint64_t seed = 99, tx = 0;
    int rc = SK_ETIMEOUT, it;
    (void)state;
    assert_non_null(data);
    sup_fill(&seed, data, total);
    for (i = 0; i < N; i++) {
        v[i].data = data + pos;
        v[i].len = i == N - 1 ? total - pos : 61417 + (i % 3);
        pos += v[i].len;
    }
    assert_int_equal(pos, total);
    sup_pair(&a, &b);
    small_buffers(a, b);
    sup_assert_rc(sk_setstats(a, 0, 0, 0), 0);

    sup_assert_rc(sk_settimeout(a, -1, 'b'), 0);
    sup_assert_rc(sk_settimeout(a, 0.2, 't'), 0);
    sup_assert_rc(sk_sendv(a, v, N, &sent), SK_ETIMEOUT);
    print_message("gathered send, total timeout: %lu of %lu bytes\n",
                  (unsigned long)sent, (unsigned long)total);
    assert_true(sent > 0 && sent < total);
    done = sent;

    reader_start(&rd, b, total, NULL, 0);
    sup_assert_rc(sk_settimeout(a, -1, 't'), 0);
    sup_assert_rc(sk_settimeout(a, SUP_SAFETY_TIMEOUT, 'b'), 0);
    for (it = 0; it < 100 && rc != 0; it++) {
        k = iov_rest(v, N, done, rest);
        rc = sk_sendv(a, rest, k, &sent);
        done += sent;
        if (rc != 0)
            sup_assert_rc(rc, SK_ETIMEOUT);
    }
    sup_assert_rc(rc, 0);
    reader_join(&rd);
    sup_assert_rc(rd.rc, 0);
    assert_int_equal(done, total);
    assert_int_equal(rd.got, total);
    assert_true(rd.hash == sup_hash(SUP_HASH_INIT, data, total));
    sup_expect_nothing(b);
    sup_assert_rc(sk_getstats(a, NULL, &tx, NULL), 0);
    assert_true(tx == (uint64_t)total);

    /* And in one call, while the peer reads from the start. */
    reader_start(&rd, b, total, NULL, 0);
    sup_assert_rc(sk_sendv(a, v, N, &sent), 0);
    reader_join(&rd);
    sup_assert_rc(rd.rc, 0);
    assert_int_equal(sent, total);
    assert_true(rd.hash == sup_hash(SUP_HASH_INIT, data, total));
    free(data);
    sk_free(a);
    sk_free(b);
}

/* The peer is gone: SK_ECLOSED or SK_ECONNRESET, no SIGPIPE. */
static void t_sendv_peer_gone(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    static char chunk[1024];
    sk_iovec v[2];
    size_t sent = 0;
    int i, rc = 0;
    (void)state;
    v[0].data = chunk;
    v[0].len = sizeof chunk;
    v[1].data = "x";
    v[1].len = 1;
    sup_pair(&a, &b);
    sk_free(b);
    for (i = 0; i < 1000 && rc == 0; i++) {
        rc = sk_sendv(a, v, 2, &sent);
        if (rc == 0)
            assert_int_equal(sent, sizeof chunk + 1);
    }
    if (rc != SK_ECLOSED && rc != SK_ECONNRESET) {
        print_error("gathered send to a closed peer: %s\n", sk_errname(rc));
        fail();
    }
    assert_true(sent <= sizeof chunk + 1);
    rc = sk_sendv(a, v, 2, &sent);
    assert_true(rc == SK_ECLOSED || rc == SK_ECONNRESET);
    sk_free(a);
}

/* Bad input (SK_EINVAL, *sent 0, nothing sent) and wrong roles. */
static void t_sendv_bad_input_roles(void **state)
{
    sk_sock *a = NULL, *b = NULL, *m = NULL, *srv = NULL, *c = NULL;
    sk_iovec v[3];
    size_t sent = 99;
    int port = 0;
    (void)state;
    sup_pair(&a, &b);
    sup_assert_rc(sk_sendv(NULL, v, 1, &sent), SK_EINVAL);
    assert_int_equal(sent, 0);
    sent = 99;
    sup_assert_rc(sk_sendv(a, NULL, 1, &sent), SK_EINVAL);
    assert_int_equal(sent, 0);
    v[0].data = "abc";
    v[0].len = 3;
    v[1].data = NULL;
    v[1].len = 1;
    sup_assert_rc(sk_sendv(a, v, 2, &sent), SK_EINVAL); /* NULL data */
    /* Lengths whose sum passes SIZE_MAX (never read). */
    v[1].data = "x";
    v[1].len = SIZE_MAX;
    sup_assert_rc(sk_sendv(a, v, 2, &sent), SK_EINVAL);
    v[1].len = SIZE_MAX - 2;
    v[2].data = "y";
    v[2].len = 0;
    sup_assert_rc(sk_sendv(a, v, 3, &sent), SK_EINVAL);
    assert_int_equal(sent, 0);
    sup_expect_nothing(b);

    sup_assert_rc(sk_tcp4(&m), 0);
    sup_listen4(&srv, &port, 1);
    sup_connect4(&c, port);
    sup_assert_rc(sk_close(c), 0);
    sent = 99;
    sup_assert_rc(sk_sendv(m, v, 1, &sent), SK_EWRONGROLE);
    assert_int_equal(sent, 0);
    sup_assert_rc(sk_sendv(srv, v, 1, &sent), SK_EWRONGROLE);
    sup_assert_rc(sk_sendv(c, v, 1, &sent), SK_ECLOSED);
    sup_assert_rc(sk_sendv(srv, NULL, 0, NULL), SK_EWRONGROLE);
    sup_assert_rc(sk_sendv(c, NULL, 5, NULL), SK_ECLOSED);
    sk_free(m);
    sk_free(srv);
    sk_free(c);
    sk_free(a);
    sk_free(b);
}

/* The peer's place as the test build sees it: 0 remote (zero-copy), 1 on
 * this host (read and send), -1 by its address. */
static int setup_local(void **state)
{
    (void)state;
    sk__test_sendfile_local_set(1);
    return 0;
}
static int teardown_rule(void **state)
{
    (void)state;
    sk__test_sendfile_local_set(-1);
    return 0;
}

/* Allocations sk_sendfile makes for 1 MiB through a (the read-and-send
 * loop makes its buffer; the zero-copy call none). */
static unsigned long sendfile_allocs(sk_sock *a, sk_sock *b, int fd)
{
    struct reader rd;
    unsigned char *keep = (unsigned char *)malloc(MIB);
    uint64_t sent = 0;
    unsigned long n;
    assert_non_null(keep);
    reader_start(&rd, b, MIB, keep, MIB);
    sk__test_alloc_fail_at((unsigned long)-1); /* count, never fail */
    sup_assert_rc(sk_sendfile(a, fd, 0, (int64_t)MIB, &sent), 0);
    n = sk__test_alloc_count();
    sk__test_alloc_fail_at(0);
    reader_join(&rd);
    sup_assert_rc(rd.rc, 0);
    assert_true(sent == MIB);
    assert_int_equal(rd.got, MIB);
    free(keep);
    return n;
}

/* The rule: over loopback (a peer on this host) sk_sendfile reads and
 * sends; a peer taken as remote gets the zero-copy call.  The peer is
 * judged once per socket: a later change of the test setting does not
 * reach a socket judged already, but a socket given another one by
 * sk_setfd is judged again (a stale judgement would keep reading and
 * sending). */
static void t_sendfile_local_rule(void **state)
{
    sk_sock *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    int fd = file_open_read(g.path);
    unsigned long by_address, kept, rejudged, remote;
    sk_fd_t fa, fc;
    (void)state;
    assert_true(fd >= 0);
    sup_pair(&a, &b);
    sup_pair(&c, &d);
    sk__test_sendfile_local_set(-1);
    by_address = sendfile_allocs(a, b, fd);
    sk__test_sendfile_local_set(0);
    kept = sendfile_allocs(a, b, fd);    /* judged already: on this host */
    remote = sendfile_allocs(c, d, fd);  /* judged now: remote */
    /* a and c swap sockets: a (now talking to d) is judged again. */
    fa = sk_getfd(a);
    fc = sk_getfd(c);
    sup_assert_rc(sk_setfd(a, fc), 0);
    sup_assert_rc(sk_setfd(c, fa), 0);
    rejudged = sendfile_allocs(a, d, fd);
    sk__test_sendfile_local_set(-1);
    assert_true(by_address >= 1); /* its read-and-send buffer */
    assert_true(kept >= 1);
#if defined(__linux__)
    assert_int_equal(remote, 0); /* sendfile(2) needs no buffer */
    assert_int_equal(rejudged, 0);
#else
    (void)remote;
    (void)rejudged;
#endif
    sup_expect_nothing(b);
    sup_expect_nothing(d);
    file_close(fd);
    sk_free(a);
    sk_free(b);
    sk_free(c);
    sk_free(d);
}

/* A connected pair through a server that mk makes and binds to bindhost:
 * *a connects to host, *b is the accepted end. */
static void pair_over(sk_sock **a, sk_sock **b, int (*mk)(sk_sock **),
                      const char *bindhost, const char *host)
{
    sk_sock *srv = NULL;
    sk_name n;
    sup_assert_rc(mk(&srv), 0);
    sup_assert_rc(sk_bind(srv, bindhost, 0), 0);
    sup_assert_rc(sk_listen(srv, 4), 0);
    sup_assert_rc(sk_settimeout(srv, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_getsockname(srv, &n), 0);
    sup_assert_rc(sk_tcp(a), 0);
    sup_assert_rc(sk_settimeout(*a, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_connect(*a, host, n.port), 0);
    sup_assert_rc(sk_accept(srv, b, NULL), 0);
    sup_assert_rc(sk_settimeout(*b, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sk_free(srv);
}

/* Peers on this host by their address: ::1, and an IPv4 client of a
 * dual-stack server (whose accepted socket names it ::ffff:127.0.0.1,
 * taken as IPv4): both ways read and send. */
static void t_sendfile_local_v6(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    int fd;
    (void)state;
    if (!sup_ipv6_loopback()) {
        print_message("this host has no IPv6 loopback (::1): skipped\n");
        skip();
    }
    fd = file_open_read(g.path);
    assert_true(fd >= 0);
    sk__test_sendfile_local_set(-1);
    pair_over(&a, &b, sk_tcp6, "::1", "::1");
    assert_true(sendfile_allocs(a, b, fd) >= 1);
    assert_true(sendfile_allocs(b, a, fd) >= 1);
    sk_free(a);
    sk_free(b);
    pair_over(&a, &b, sk_tcp, "*", "127.0.0.1");
    assert_true(sendfile_allocs(b, a, fd) >= 1); /* the mapped peer */
    assert_true(sendfile_allocs(a, b, fd) >= 1);
    sk_free(a);
    sk_free(b);
    file_close(fd);
}

int main(void)
{
    const struct CMUnitTest local[] = {
        cmocka_unit_test(t_sendfile_local_rule),
        cmocka_unit_test(t_sendfile_local_v6),
        cmocka_unit_test_setup_teardown(t_sendfile_whole, setup_local,
                                        teardown_rule),
        cmocka_unit_test_setup_teardown(t_sendfile_ranges, setup_local,
                                        teardown_rule),
        cmocka_unit_test_setup_teardown(t_sendfile_end, setup_local,
                                        teardown_rule),
        cmocka_unit_test_setup_teardown(t_sendfile_peer_closes, setup_local,
                                        teardown_rule),
        cmocka_unit_test_setup_teardown(t_sendfile_timeout_resume,
                                        setup_local, teardown_rule),
    };
    int failed;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_sendfile_whole),
        cmocka_unit_test(t_sendfile_ranges),
        cmocka_unit_test(t_sendfile_end),
        cmocka_unit_test(t_sendfile_peer_closes),
        cmocka_unit_test(t_sendfile_timeout_resume),
        cmocka_unit_test(t_sendfile_refused),
        cmocka_unit_test(t_sendfile_bad_input),
        cmocka_unit_test(t_sendfile_roles),
        cmocka_unit_test(t_send_after_shutdown),
        cmocka_unit_test(t_sendv_order),
        cmocka_unit_test(t_sendv_many),
        cmocka_unit_test(t_sendv_partial),
        cmocka_unit_test(t_sendv_peer_gone),
        cmocka_unit_test(t_sendv_bad_input_roles),
    };
    sk__test_sendfile_local_set(0); /* loopback as remote: zero-copy */
    failed = cmocka_run_group_tests_name("sendfile (zero-copy)", tests,
                                         group_setup, group_teardown);
    sk__test_sendfile_local_set(-1);
    failed += cmocka_run_group_tests_name("sendfile (peer on this host)",
                                          local, group_setup, group_teardown);
    return failed;
}
