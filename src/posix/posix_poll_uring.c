/* SPDX-License-Identifier: MIT */
/*
 * poll_uring.c (Linux) - the io_uring readiness backend ("uring"): one
 * ring per loop, made and driven with the raw system calls (no liburing;
 * the few kernel structures it needs are carried below, so that a C
 * library without <linux/io_uring.h>, musl's, builds it too).
 *
 * Each registration is one poll request on the ring.  The requests are
 * one-shot and re-armed after each report, because the poller contract is
 * level-triggered (what stays ready is reported again, until it is read or
 * written) and a multishot poll request reports wake-ups, not states.  The
 * arming, re-arming and changing of every registration made or reported
 * since the last wait are submitted together with that wait: one
 * io_uring_enter per loop iteration submits them and reaps what completed
 * (epoll needs an epoll_ctl per change besides its epoll_wait).  Timeouts
 * go to the same call (IORING_ENTER_EXT_ARG); the wake-up channel is a
 * registration like any other.  A poll request holds its file, so taking
 * out a registration whose request is in the kernel submits the removal
 * at once: a socket closed right after is closed for real.
 *
 * Where the kernel has it (6.1), the ring defers the last step of each
 * completion to its owner's wait (DEFER_TASKRUN): otherwise that step
 * interrupts the loop's thread as each request completes, which at
 * thousands of busy connections cost a third of its time.  For readiness
 * alone this backend is level with epoll at best (bench/RESULTS.md,
 * "io_uring round 2"): sk_selector's default stays epoll.  With its
 * completions (sk_conn's receives and sends on the ring) and
 * incremental buffer rings (6.12) it is the loop's default
 * (sk__posix_uring_best; "io_uring round 4"); on older kernels, by name.
 *
 * The kernel must have what this file uses (5.19 and later: a single
 * mmap, no dropped completions, IORING_ENTER_EXT_ARG, SUBMIT_ALL,
 * skipped completions, the poll and cancel-any opcodes); otherwise, or when io_uring
 * is forbidden (seccomp's EPERM, kernel.io_uring_disabled, ENOSYS), making
 * it fails with SK_EUNSUPPORTED.
 */
#include "posix_int.h"

#if SK_OS_POSIX && defined(SK_HAVE_IO_URING)
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

/* ---- the kernel's interface (include/uapi/linux/io_uring.h) ------------- */

typedef struct sk__ur_sqe {
    uint8_t opcode;
    uint8_t flags;
    uint16_t ioprio;
    int32_t fd;
    uint64_t off;
    uint64_t addr;
    uint32_t len;
    uint32_t op_flags; /* poll32_events, cancel_flags, msg_flags, ... */
    uint64_t user_data;
    uint16_t buf_index;
    uint16_t personality;
    int32_t file_index;
    uint64_t addr3;
    uint64_t pad2;
} sk__ur_sqe;

typedef struct sk__ur_cqe {
    uint64_t user_data;
    int32_t res;
    uint32_t flags;
} sk__ur_cqe;

typedef struct sk__ur_sqring_offsets {
    uint32_t head, tail, ring_mask, ring_entries, flags, dropped, array,
        resv1;
    uint64_t resv2;
} sk__ur_sqring_offsets;

typedef struct sk__ur_cqring_offsets {
    uint32_t head, tail, ring_mask, ring_entries, overflow, cqes, flags,
        resv1;
    uint64_t resv2;
} sk__ur_cqring_offsets;

typedef struct sk__ur_params {
    uint32_t sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle,
        features, wq_fd, resv[3];
    sk__ur_sqring_offsets sq_off;
    sk__ur_cqring_offsets cq_off;
} sk__ur_params;

typedef struct sk__ur_getevents_arg {
    uint64_t sigmask;
    uint32_t sigmask_sz;
    uint32_t pad;
    uint64_t ts;
} sk__ur_getevents_arg;

typedef struct sk__ur_timespec {
    int64_t tv_sec;
    int64_t tv_nsec;
} sk__ur_timespec;

typedef struct sk__ur_probe {
    uint8_t last_op;
    uint8_t ops_len;
    uint16_t resv;
    uint32_t resv2[3];
    struct {
        uint8_t op;
        uint8_t resv;
        uint16_t flags;
        uint32_t resv2;
    } ops[64];
} sk__ur_probe;

/* A provided buffer (the first one's resv is the ring's tail), and the
 * registration of their ring. */
typedef struct sk__ur_buf {
    uint64_t addr;
    uint32_t len;
    uint16_t bid;
    uint16_t resv;
} sk__ur_buf;

typedef struct sk__ur_buf_reg {
    uint64_t ring_addr;
    uint32_t ring_entries;
    uint16_t bgid;
    uint16_t flags;
    uint64_t resv[3];
} sk__ur_buf_reg;

typedef char sk__ur_sqe_size[sizeof(sk__ur_sqe) == 64 ? 1 : -1];
typedef char sk__ur_params_size[sizeof(sk__ur_params) == 120 ? 1 : -1];
typedef char sk__ur_buf_size[sizeof(sk__ur_buf) == 16 &&
                                     sizeof(sk__ur_buf_reg) == 40
                                 ? 1
                                 : -1];

#define SK__UR_OP_POLL_ADD 6
#define SK__UR_OP_POLL_REMOVE 7
#define SK__UR_OP_ACCEPT 13
#define SK__UR_ACCEPT_MULTISHOT (1U << 0) /* in ioprio */
#define SK__UR_OP_ASYNC_CANCEL 14
#define SK__UR_OP_SEND 26
#define SK__UR_OP_RECV 27
#define SK__UR_SQE_BUFFER_SELECT (1U << 5)
#define SK__UR_RECV_MULTISHOT (1U << 1) /* in ioprio */
#define SK__UR_CQE_F_BUFFER (1U << 0)
#define SK__UR_CQE_F_MORE (1U << 1)
#define SK__UR_CQE_F_BUF_MORE (1U << 4) /* incremental: not done with it */
#define SK__UR_CQE_BUFFER_SHIFT 16
#define SK__UR_REGISTER_PBUF_RING 22
#define SK__UR_PBUF_RING_INC 2U
#define SK__UR_SETUP_CQSIZE (1U << 3)
#define SK__UR_SETUP_CLAMP (1U << 4)
#define SK__UR_SETUP_SUBMIT_ALL (1U << 7)
#define SK__UR_SETUP_TASKRUN_FLAG (1U << 9)
#define SK__UR_SETUP_SINGLE_ISSUER (1U << 12)
#define SK__UR_SETUP_DEFER_TASKRUN (1U << 13)
#define SK__UR_ENTER_GETEVENTS (1U << 0)
#define SK__UR_ENTER_EXT_ARG (1U << 3)
#define SK__UR_FEAT_SINGLE_MMAP (1U << 0)
#define SK__UR_FEAT_NODROP (1U << 1)
#define SK__UR_FEAT_EXT_ARG (1U << 8)
#define SK__UR_FEAT_CQE_SKIP (1U << 11)
#define SK__UR_SQE_CQE_SKIP_SUCCESS (1U << 6)
#define SK__UR_SQ_CQ_OVERFLOW (1U << 1)
#define SK__UR_SQ_TASKRUN (1U << 2)
#define SK__UR_ASYNC_CANCEL_ALL (1U << 0)
#define SK__UR_ASYNC_CANCEL_ANY (1U << 2)
#define SK__UR_OFF_SQ_RING 0ULL
#define SK__UR_OFF_SQES 0x10000000ULL
#define SK__UR_REGISTER_PROBE 8
#define SK__UR_OP_SUPPORTED (1U << 0)

/* ---- the poller ----------------------------------------------------------- */

/* Ring sizes: submissions per wait beyond SK__UR_SQ cost one more system
 * call per SK__UR_SQ; completions beyond SK__UR_CQ wait in the kernel's
 * overflow list (IORING_FEAT_NODROP) for the next wait. */
#define SK__UR_SQ 512U
#define SK__UR_CQ 2048U

#define SK__UR_NONE ((uint32_t)-1) /* the end of the free list */
#define SK__UR_ARM0 64U /* the to-do list's first room */
#define SK__UR_MOST 1024U /* entries one wait reports (as epoll's batch) */
#define SK__UR_RUNS 64      /* calls that run due completions, at most */

/* user_data of the removals and cancellations: their completions are
 * passed over. */
#define SK__UR_IGNORE ((uint64_t)0)

/* The slots (the index is sk__pollreg.slot): what a completion's
 * user_data names.  16 bytes each, so that an idle connection costs little
 * here (issue 18): the registration's address (its fd, events and ptr are
 * read from it: the caller keeps it in place while registered), a word of
 * generation and flags, and the arm list's index.  A free slot's regs
 * entry holds the next free slot instead, as (index << 1) | 1; its st
 * keeps the generation, so that a late completion for an earlier
 * registration of the slot never matches the next one. */
#define SK__UR_ARMED 1U  /* a poll request is in the kernel */
#define SK__UR_QUEUED 2U /* on the to-do list (arm, or report first) */
#define SK__UR_FREED 4U  /* not in use (also said by regs) */
#define SK__UR_FAILED 8U /* the kernel refused the request: not re-armed
                            until mod */
/* SK__WAIT_* reaped from the ring but not reported yet (the wait's array
 * was full): reported by the next wait, before it arms anything. */
#define SK__UR_PEND_SHIFT 4
#define SK__UR_PEND (7U << SK__UR_PEND_SHIFT)
/* Completions (sk__poller_io): a slot has at most one receive and one
 * send in the kernel, besides its poll request.  Their completions name
 * the slot (and their kind, in user_data's top bits) without its
 * generation: a removed slot whose receive or send is still in the kernel
 * is not used again until their last completions came (ZOMBIE), so that
 * none of them can match a later registration. */
#define SK__UR_RECV 128U   /* a receive is in the kernel */
#define SK__UR_SEND 256U   /* a send is queued or in the kernel */
#define SK__UR_ZOMBIE 512U /* removed; waits for those last completions */
#define SK__UR_SLOST 1024U /* its send went with a ring given up (hand-
                              over): reported by the next wait, as unsent */
#define SK__UR_REND 2048U  /* its receive ended (end of stream, error): not
                              armed again until mod */
#define SK__UR_ACC 4096U   /* an accept is in the kernel (a listener's) */
#define SK__UR_AEND 8192U  /* its accept failed: not armed again until mod */
#define SK__UR_GEN1 16384U /* the generation is st >> 14: +1 whenever a
                              poll request of the slot is given up */
#define SK__UR_KRECV ((uint64_t)1 << 62) /* user_data kinds */
#define SK__UR_KSEND ((uint64_t)2 << 62)
#define SK__UR_KACC ((uint64_t)3 << 62)
/* Requests whose completions name the slot without its generation. */
#define SK__UR_INK (SK__UR_RECV | SK__UR_SEND | SK__UR_ACC)
#define SK__UR_KIND(d) ((d) >> 62)

/* The receive buffers: one ring of them per poller, registered with its
 * ring (group 0).  Where the kernel can (6.12) each is used incrementally,
 * many receives after another: a few large buffers then serve thousands of
 * small messages.  Else each receive takes a whole one.  A buffer whose
 * bytes a wait reported goes back at the next wait (the caller copied
 * them); the one in incremental use starts over then when all it took
 * was reported (sk__ur_rewind).  At most SK__UR_AREA bytes in all (their
 * offsets fit the entries' events, bits 8 to 30). */
#define SK__UR_NBUF_INC 16U
#define SK__UR_BSIZE_INC 65536U
#define SK__UR_NBUF 256U
#define SK__UR_BSIZE 4096U
#define SK__UR_AREA ((size_t)1 << 23)
#define SK__UR_BHELD 0x80000000U /* boff: in a carried completion */
#define SK__UR_REWIND 4096U /* bytes of a buffer used before it is rewound */
/* A free slot's regs entry, naming the next free slot (SK__UR_NONE: none;
 * slots stay below 2^30, so that this fits 32 bits). */
#define SK__UR_FREE(next) ((((uintptr_t)(next) + 1U) << 1) | 1U)
#define SK__UR_NEXT(e) ((uint32_t)(((e) >> 1) - 1U))

typedef struct sk__uring {
    sk__poller base;
    int fd;
    void *ring;         /* SQ and CQ rings (one mapping) */
    size_t ring_len;
    sk__ur_sqe *sqes;
    size_t sqes_len;
    uint32_t *sq_head, *sq_tail, *sq_flags;
    uint32_t sq_mask, sq_entries;
    uint32_t *cq_head, *cq_tail;
    uint32_t cq_mask, cq_entries;
    sk__ur_cqe *cqes;
    uint32_t tail;      /* our SQ tail (published before each enter) */
    uintptr_t *regs;    /* per slot: its sk__pollreg *, or SK__UR_FREE */
    uint32_t *st;       /* per slot: generation and SK__UR_* flags */
    uint32_t *arm;      /* slots to (re-)arm at the next wait: room for
                           armcap (>= SK__UR_ARM0), grown by use, not with
                           the slots (issue 18: idle memory) */
    size_t narm, armcap;
    int scan;           /* queued slots missed the list (no memory to
                           grow it): the next wait lists them by a scan */
    /* completions: the receive buffers (nbuf 0: none, io is NULL) */
    char *bufs;         /* nbuf buffers of bsize bytes (one mapping) */
    sk__ur_buf *br;     /* their ring (a mapping of its own) */
    size_t br_len;
    uint32_t *boff;     /* per buffer: bytes used (incremental) */
    uint16_t *lent;     /* buffers reported by the last wait */
    uint16_t *bpos;     /* per buffer: its entry in the ring */
    uint32_t nlent;
    uint32_t bcur;      /* with defer and incremental use: the buffer the
                           last receive left partly used, SK__UR_REWIND
                           bytes or more, or SK__UR_NONE */
    uint32_t nbuf, bsize;
    uint16_t btail;     /* the buffer ring's tail */
    unsigned char bufs_ok; /* the buffer ring is registered (else a
                              receiving registration is polled) */
    unsigned char inc;  /* ... for incremental use */
    unsigned char oneshot; /* (test hook) single-shot receives */
    sk__ur_cqe *carry;  /* completions of a ring given up (hand-over),
                           reported before the new ring's */
    size_t ncarry, carried;
    size_t cap;         /* regs and st hold cap entries (< SK__UR_NONE) */
    size_t used;        /* slots in use */
    uint32_t free_head; /* first free slot, SK__UR_NONE when none */
    size_t top;         /* slots [0, top) have been handed out once */
    int defer;          /* the ring runs its completions' last step only
                           when its owner waits (DEFER_TASKRUN) */
    pthread_t owner;    /* with defer: the one thread the ring serves */
} sk__uring;

static int sk__ur_setup(uint32_t entries, sk__ur_params *p)
{
#if defined(SOCKIT_TEST_HOOKS)
    int refuse = sk__test_uring_refusal();
    if (refuse > 0) {
        errno = refuse;
        return -1;
    }
#endif
    return (int)syscall(__NR_io_uring_setup, entries, p);
}

static int sk__ur_enter(int fd, uint32_t submit, uint32_t min, uint32_t flags,
                        const void *arg, size_t argsz)
{
    return (int)syscall(__NR_io_uring_enter, fd, submit, min, flags, arg,
                        argsz);
}

static int sk__ur_register(int fd, unsigned op, void *arg, unsigned n)
{
    return (int)syscall(__NR_io_uring_register, fd, op, arg, n);
}

static uint32_t sk__ur_load(const uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void sk__ur_store(uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static uint64_t sk__ur_data(size_t slot, uint32_t st)
{
    return ((uint64_t)(st / SK__UR_GEN1) << 32) | (uint64_t)(slot + 1);
}

/* The registration in slot s (in use). */
static sk__pollreg *sk__ur_reg(const sk__uring *u, size_t s)
{
    return (sk__pollreg *)u->regs[s];
}

/* The entry of slot s's completion of kind (SK__WAIT_RECV, _SENT or
 * _ACCEPT) whose result is res: a failure (res < 0) with SK__WAIT_ERROR
 * and the system's code, else the value (bytes, a descriptor).  1. */
SK__INLINE size_t sk__ur_out(const sk__uring *u, size_t s, int kind,
                             int32_t res, sk__pollout *out)
{
    out->ptr = sk__ur_reg(u, s)->ptr;
    if (res < 0) {
        out->events = kind | SK__WAIT_ERROR;
        out->n = (uint32_t)-res;
    } else {
        out->events = kind;
        out->n = (uint32_t)res;
    }
    return 1;
}

static int sk__ur_rebuild(sk__uring *u, int *sys);

/* With defer, only the thread that owns the ring may enter it: another
 * one (a loop or selector handed over) first gets a ring of its own.
 * 0, or an error code. */
static int sk__ur_own(sk__uring *u, int *sys)
{
    if (!u->defer || pthread_equal(u->owner, pthread_self()))
        return 0;
    return sk__ur_rebuild(u, sys);
}

/* Submit what is queued, waiting for nothing.  0 or -errno. */
static int sk__ur_flush(sk__uring *u)
{
    uint32_t pending;
    sk__ur_store(u->sq_tail, u->tail);
    pending = u->tail - sk__ur_load(u->sq_head);
    while (pending > 0) {
        int r = sk__ur_enter(u->fd, pending, 0, 0, NULL, 0);
        if (r >= 0)
            return 0;
        if (errno != EINTR)
            return -errno;
    }
    return 0;
}

/* Submit what is queued and, with defer, run the last steps of what has
 * completed (the kernel runs about 20 per call: called again while it
 * says more are due, a bounded number of times), waiting for nothing:
 * a removal then lets go of its file now.  (Without defer the kernel runs
 * them as the call returns.) */
static void sk__ur_run(sk__uring *u)
{
    int i;
    sk__ur_store(u->sq_tail, u->tail);
    for (i = 0; i < SK__UR_RUNS; i++) {
        int r = sk__ur_enter(u->fd, u->tail - sk__ur_load(u->sq_head), 0,
                             u->defer ? SK__UR_ENTER_GETEVENTS : 0, NULL, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 || !u->defer ||
            !(sk__ur_load(u->sq_flags) & SK__UR_SQ_TASKRUN))
            break;
    }
}

/* Fill e whole (no memset: every field is written once). */
static void sk__ur_prep(sk__ur_sqe *e, uint8_t op, uint8_t flags, int fd,
                        uint64_t addr, uint32_t op_flags, uint64_t data)
{
    e->opcode = op;
    e->flags = flags;
    e->ioprio = 0;
    e->fd = fd;
    e->off = 0;
    e->addr = addr;
    e->len = 0;
    e->op_flags = op_flags;
    e->user_data = data;
    e->buf_index = 0;
    e->personality = 0;
    e->file_index = 0;
    e->addr3 = 0;
    e->pad2 = 0;
}

/* Free submission entries (submitting what is queued when there is none). */
static uint32_t sk__ur_room(sk__uring *u)
{
    uint32_t used = u->tail - sk__ur_load(u->sq_head);
    if (used >= u->sq_entries) {
        (void)sk__ur_flush(u);
        used = u->tail - sk__ur_load(u->sq_head);
    }
    return used >= u->sq_entries ? 0 : u->sq_entries - used;
}

/* The next submission entry, to be filled with sk__ur_prep; NULL when the
 * queue is full and cannot be submitted now. */
static sk__ur_sqe *sk__ur_sqe_get(sk__uring *u)
{
    if (sk__ur_room(u) == 0)
        return NULL;
    return &u->sqes[u->tail++ & u->sq_mask];
}

/* The poll request's mask of SK__WAIT_READ | SK__WAIT_WRITE. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#  define SK__UR_M(m) ((uint32_t)(m) << 16) /* poll32_events is word-swapped */
#else
#  define SK__UR_M(m) ((uint32_t)(m))
#endif
static uint32_t sk__ur_mask(int events)
{
    static const uint32_t masks[4] = {0, SK__UR_M(POLLIN), SK__UR_M(POLLOUT),
                                      SK__UR_M(POLLIN | POLLOUT)};
    return masks[events & (SK__WAIT_READ | SK__WAIT_WRITE)];
}

/* Give up slot s's request in the kernel (its completion will not match). */
static int sk__ur_disarm(sk__uring *u, size_t s)
{
    sk__ur_sqe *e;
    if (!(u->st[s] & SK__UR_ARMED))
        return 0;
    e = sk__ur_sqe_get(u);
    if (e == NULL)
        return -1;
    /* (its own completion skipped: the cancelled request's says it) */
    sk__ur_prep(e, SK__UR_OP_POLL_REMOVE, SK__UR_SQE_CQE_SKIP_SUCCESS, -1,
                sk__ur_data(s, u->st[s]), 0, SK__UR_IGNORE);
    u->st[s] = (u->st[s] & ~SK__UR_ARMED) + SK__UR_GEN1;
    return 0;
}

/* Slot s (marked QUEUED) onto the to-do list, which has no room left:
 * grown by half.  When it cannot grow, the next wait finds s by a scan
 * of the slots (sk__ur_rescan), so that queueing never fails. */
static void sk__ur_listed(sk__uring *u, size_t s)
{
    /* (narm < top <= cap: a slot is on the list at most once) */
    size_t n = u->armcap + u->armcap / 2;
    uint32_t *a = NULL;
    if (n > u->cap)
        n = u->cap;
    if (n > u->narm)
        a = (uint32_t *)sk__realloc(u->arm, n * sizeof *a);
    if (a == NULL) {
        u->scan = 1;
        return;
    }
    u->arm = a;
    u->armcap = n;
    u->arm[u->narm++] = (uint32_t)s;
}

/* Slot s (marked QUEUED) onto the to-do list. */
SK__INLINE void sk__ur_list(sk__uring *u, size_t s)
{
    if (u->narm < u->armcap)
        u->arm[u->narm++] = (uint32_t)s;
    else
        sk__ur_listed(u, s);
}

static void sk__ur_queue(sk__uring *u, size_t s)
{
    if (!(u->st[s] & SK__UR_QUEUED)) {
        u->st[s] |= SK__UR_QUEUED;
        sk__ur_list(u, s);
    }
}

/* The list, made again from the slots marked QUEUED (some missed it), as
 * far as it can grow: at least SK__UR_ARM0 of them, the rest by the next
 * wait's scan. */
static void sk__ur_rescan(sk__uring *u)
{
    size_t s;
    u->scan = 0;
    u->narm = 0;
    for (s = 0; s < u->top && !u->scan; s++) {
        if (u->st[s] & SK__UR_QUEUED)
            sk__ur_list(u, s);
    }
}

static int sk__ur_reserve(sk__poller *base, size_t n)
{
    sk__uring *u = (sk__uring *)base;
    uintptr_t *regs;
    uint32_t *st;
    size_t cap;
    if (n <= u->cap)
        return 0;
    if (n > (size_t)UINT32_MAX / 4)
        return SK_ENORESOURCES;
    /* Grown by half (not doubled): less room unused per connection. */
    cap = u->cap ? u->cap : 16;
    while (cap < n)
        cap += cap / 2;
    if (cap > (size_t)UINT32_MAX / 4 || cap > ((size_t)-1) / sizeof *regs)
        cap = n;
    regs = (uintptr_t *)sk__realloc(u->regs, cap * sizeof *regs);
    if (regs == NULL)
        return SK_ENORESOURCES;
    u->regs = regs;
    /* (what grew stays: harmless, the next try grows the rest) */
    st = (uint32_t *)sk__realloc(u->st, cap * sizeof *st);
    if (st == NULL)
        return SK_ENORESOURCES;
    u->st = st;
    u->cap = cap;
    return 0;
}

static int sk__ur_add(sk__poller *base, sk__pollreg *r, int *sys)
{
    sk__uring *u = (sk__uring *)base;
    size_t s;
    (void)sys;
    if (u->used == u->cap && sk__ur_reserve(base, u->used + 1) != 0)
        return SK_ENORESOURCES;
    if (u->free_head != SK__UR_NONE) {
        s = u->free_head;
        u->free_head = SK__UR_NEXT(u->regs[s]);
        /* (the generation stays, and the to-do list's mark) */
        u->st[s] &= ~(SK__UR_ARMED | SK__UR_FREED | SK__UR_FAILED |
                      SK__UR_PEND | SK__UR_INK | SK__UR_AEND |
                      SK__UR_ZOMBIE | SK__UR_SLOST | SK__UR_REND);
    } else {
        s = u->top++;
        u->st[s] = 0;
    }
    u->used++;
    u->regs[s] = (uintptr_t)r;
    r->slot = s;
    sk__ur_queue(u, s);
    return 0;
}

/* Cancel the request whose user_data is data (its own completion skipped;
 * the cancelled request's says it).  0, or -1 when nothing could be
 * queued. */
static int sk__ur_cancel(sk__uring *u, uint64_t data)
{
    sk__ur_sqe *e = sk__ur_sqe_get(u);
    if (e == NULL)
        return -1;
    sk__ur_prep(e, SK__UR_OP_ASYNC_CANCEL, SK__UR_SQE_CQE_SKIP_SUCCESS, -1,
                data, 0, SK__UR_IGNORE);
    return 0;
}

/* Whether registration events ev ask for receiving (completion mode). */
#define SK__UR_WANTS_RECV(ev)                                               \
    (((ev) & (SK__WAIT_READ | SK__WAIT_RECV)) ==                            \
     (SK__WAIT_READ | SK__WAIT_RECV))
/* ... for accepting (a listener's, plat.h). */
#define SK__UR_WANTS_ACC(ev)                                                \
    (((ev) & (SK__WAIT_READ | SK__WAIT_ACCEPT)) ==                          \
     (SK__WAIT_READ | SK__WAIT_ACCEPT))

static int sk__ur_acc_mod(sk__uring *u, const sk__pollreg *r, size_t s);

static int sk__ur_mod(sk__poller *base, sk__pollreg *r, int *sys)
{
    sk__uring *u = (sk__uring *)base;
    size_t s = r->slot;
    int e = sk__ur_own(u, sys);
    if (e != 0)
        return e;
    /* (the caller changed r's fd or events: the request goes, a new one
     * is armed at the next wait) */
    if (sk__ur_disarm(u, s) != 0)
        return SK_ENORESOURCES;
    /* A receive no longer wanted is cancelled; what it received until
     * its last completion is still reported, and no read poll is armed
     * before that (bytes would be read out of order). */
    if ((u->st[s] & SK__UR_RECV) && !SK__UR_WANTS_RECV(r->events) &&
        sk__ur_cancel(u, SK__UR_KRECV | (uint64_t)(s + 1)) != 0)
        return SK_ENORESOURCES;
    if (sk__ur_acc_mod(u, r, s) != 0)
        return SK_ENORESOURCES;
    /* (what was reaped for the old request is not reported: the new one
     * says what is ready) */
    u->st[s] &= ~(SK__UR_FAILED | SK__UR_PEND | SK__UR_REND);
    sk__ur_queue(u, s); /* (also after a refusal: tried again) */
    return 0;
}

/* Slot s (removed: FREED) goes to the free list. */
static void sk__ur_release(sk__uring *u, size_t s)
{
    u->st[s] &= ~(SK__UR_ZOMBIE | SK__UR_INK);
    u->regs[s] = SK__UR_FREE(u->free_head);
    u->free_head = (uint32_t)s;
    u->used--;
}

static void sk__ur_acc_drop(const sk__ur_cqe *c);

static void sk__ur_del(sk__poller *base, sk__pollreg *r, int stale)
{
    sk__uring *u = (sk__uring *)base;
    size_t s = r->slot, i;
    uint32_t st;
    int run = 0;
    (void)stale; /* the requests are found by their user_data, not the fd */
    if ((u->st[s] & (SK__UR_ARMED | SK__UR_INK)) &&
        sk__ur_own(u, NULL) == 0) {
        if (u->st[s] & SK__UR_ARMED)
            run = sk__ur_disarm(u, s) == 0;
        if (u->st[s] & SK__UR_RECV)
            run |= sk__ur_cancel(u, SK__UR_KRECV | (uint64_t)(s + 1)) == 0;
        if (u->st[s] & SK__UR_SEND)
            run |= sk__ur_cancel(u, SK__UR_KSEND | (uint64_t)(s + 1)) == 0;
        if (u->st[s] & SK__UR_ACC)
            run |= sk__ur_cancel(u, SK__UR_KACC | (uint64_t)(s + 1)) == 0;
    }
    if (run)
        sk__ur_run(u); /* they let go of the file now */
    /* Completions carried from a ring given up are the slot's no more. */
    for (i = u->carried; i < u->ncarry; i++)
        if ((size_t)(uint32_t)u->carry[i].user_data == s + 1) {
            sk__ur_acc_drop(&u->carry[i]);
            u->carry[i].user_data = SK__UR_IGNORE; /* (buffer kept) */
        }
    /* (a new generation, and not armed: were the removal not submitted,
     * its completion would be passed over all the same) */
    st = ((u->st[s] & ~(SK__UR_ARMED | SK__UR_FAILED | SK__UR_PEND |
                        SK__UR_SLOST | SK__UR_REND | SK__UR_AEND)) |
          SK__UR_FREED) + SK__UR_GEN1;
    if (st & SK__UR_INK) {
        u->st[s] = st | SK__UR_ZOMBIE; /* released by their last
                                          completions (sk__ur_io_cqe) */
        u->regs[s] = 0;
        return;
    }
    u->st[s] = st;
    sk__ur_release(u, s);
}

/* Report a slot: SK__WAIT_* masked by what its registration asks for
 * (errors always).  1 when there was something to report. */
static int sk__ur_put(const sk__uring *u, size_t s, int ev, sk__pollout *out)
{
    const sk__pollreg *r = sk__ur_reg(u, s);
    ev &= r->events | SK__WAIT_ERROR;
    out->ptr = r->ptr;
    out->events = ev;
    out->n = 0;
    return ev != 0;
}

/* The poll mask a registration in slot s needs now (SK__WAIT_READ |
 * SK__WAIT_WRITE): reading is the receive's, in completion mode (and
 * while a stopped receive is still in the kernel). */
static int sk__ur_pollev(const sk__uring *u, const sk__pollreg *r,
                         uint32_t st)
{
    int ev = r->events & (SK__WAIT_READ | SK__WAIT_WRITE);
    if ((st & SK__UR_RECV) || ((r->events & SK__WAIT_RECV) && u->bufs_ok) ||
        (r->events & SK__WAIT_ACCEPT))
        ev &= ~SK__WAIT_READ; /* (a listener's: its accept's) */
    return ev;
}

/* Arm slot s's receive: multishot into the buffer ring. */
static void sk__ur_arm_recv(sk__uring *u, sk__ur_sqe *e, size_t s, int fd)
{
    sk__ur_prep(e, SK__UR_OP_RECV, (uint8_t)SK__UR_SQE_BUFFER_SELECT, fd, 0,
                0, SK__UR_KRECV | (uint64_t)(s + 1));
    e->ioprio = u->oneshot ? 0 : (uint16_t)SK__UR_RECV_MULTISHOT;
    e->buf_index = 0; /* the buffer group */
}

/* Arm slot s's accept: multishot (5.19), each new descriptor non-blocking
 * and close-on-exec, as sk__plat_accept makes them (no peer address:
 * sk_server asks for none). */
static void sk__ur_arm_acc(const sk__uring *u, sk__ur_sqe *e, size_t s,
                           int fd)
{
    sk__ur_prep(e, SK__UR_OP_ACCEPT, 0, fd, 0,
                (uint32_t)(SOCK_NONBLOCK | SOCK_CLOEXEC),
                SK__UR_KACC | (uint64_t)(s + 1));
    e->ioprio = u->oneshot ? 0 : (uint16_t)SK__UR_ACCEPT_MULTISHOT;
}

/* The to-do list, at the start of a wait: report (up to cap, into out)
 * what earlier waits reaped and could not report, and the sends a ring
 * given up took along, then arm every other slot queued and still in
 * use (its poll request, its receive).  A slot reported here stays on the
 * list: it is armed by the next wait, after its owner has read or
 * written.  Returns the entries reported. */
static size_t sk__ur_todo(sk__uring *u, sk__pollout *out, size_t cap)
{
    size_t i, k = 0, got = 0;
    uint32_t room;
    if (u->scan)
        sk__ur_rescan(u);
    room = u->narm > 0 ? sk__ur_room(u) : 0;
    for (i = 0; i < u->narm; i++) {
        size_t s = u->arm[i];
        uint32_t st = u->st[s], need;
        const sk__pollreg *r;
        int pev, rwant, awant;
        if (st & (SK__UR_FREED | SK__UR_SLOST | SK__UR_PEND | SK__UR_FAILED)) {
            if (st & SK__UR_FREED) {
                u->st[s] = st & ~SK__UR_QUEUED; /* freed */
                continue;
            }
            if (got >= cap) {
                u->arm[k++] = (uint32_t)s; /* the next wait reports it */
                continue;
            }
            if (st & SK__UR_SLOST) {
                out[got].ptr = sk__ur_reg(u, s)->ptr;
                out[got].events = SK__WAIT_SENT;
                out[got].n = 0; /* not sent: sent again */
                got++;
                st &= ~SK__UR_SLOST;
            }
            if (st & SK__UR_PEND) {
                if (got >= cap) {
                    u->st[s] = st;
                    u->arm[k++] = (uint32_t)s; /* the next wait's */
                    continue;
                }
                got += (size_t)sk__ur_put(
                    u, s, (int)((st & SK__UR_PEND) >> SK__UR_PEND_SHIFT),
                    &out[got]);
                st &= ~SK__UR_PEND;
                if (st & SK__UR_FAILED) {
                    u->st[s] = st & ~SK__UR_QUEUED; /* said once */
                    continue;
                }
                u->st[s] = st;
                u->arm[k++] = (uint32_t)s; /* armed by the next wait */
                continue;
            }
            if (st & SK__UR_FAILED) {
                u->st[s] = st & ~SK__UR_QUEUED;
                continue;
            }
        }
        r = sk__ur_reg(u, s);
        if (!(r->events & (SK__WAIT_RECV | SK__WAIT_ACCEPT)) &&
            !(st & (SK__UR_RECV | SK__UR_ACC))) {
            /* readiness only (the common case) */
            if (st & SK__UR_ARMED) {
                u->st[s] = st & ~SK__UR_QUEUED; /* armed already */
                continue;
            }
            if (room == 0 && (room = sk__ur_room(u)) == 0) {
                u->st[s] = st;
                u->arm[k++] = (uint32_t)s; /* next time */
                continue;
            }
            room--;
            sk__ur_prep(&u->sqes[u->tail++ & u->sq_mask], SK__UR_OP_POLL_ADD,
                        0, r->fd, 0, sk__ur_mask(r->events),
                        sk__ur_data(s, st));
            u->st[s] = (st & ~SK__UR_QUEUED) | SK__UR_ARMED;
            continue;
        }
        pev = (st & SK__UR_ARMED) ? 0 : sk__ur_pollev(u, r, st);
        rwant = SK__UR_WANTS_RECV(r->events) && u->bufs_ok &&
                !(st & (SK__UR_RECV | SK__UR_REND));
        awant = SK__UR_WANTS_ACC(r->events) &&
                !(st & (SK__UR_ACC | SK__UR_AEND));
        need = (pev != 0 ? 1U : 0U) + (rwant ? 1U : 0U) + (awant ? 1U : 0U);
        if (need == 0) {
            u->st[s] = st & ~SK__UR_QUEUED; /* armed already, or nothing */
            continue;
        }
        if (room < need && (room = sk__ur_room(u)) < need) {
            u->st[s] = st;
            u->arm[k++] = (uint32_t)s; /* next time */
            continue;
        }
        room -= need;
        if (pev != 0) {
            sk__ur_prep(&u->sqes[u->tail++ & u->sq_mask], SK__UR_OP_POLL_ADD,
                        0, r->fd, 0, sk__ur_mask(pev), sk__ur_data(s, st));
            st |= SK__UR_ARMED;
        }
        if (rwant) {
            sk__ur_arm_recv(u, &u->sqes[u->tail++ & u->sq_mask], s, r->fd);
            st |= SK__UR_RECV;
        }
        if (awant) {
            sk__ur_arm_acc(u, &u->sqes[u->tail++ & u->sq_mask], s, r->fd);
            st |= SK__UR_ACC;
        }
        u->st[s] = st & ~SK__UR_QUEUED;
    }
    u->narm = k;
    return got;
}

/* Buffer b of the ring is done with: back at the next wait. */
static void sk__ur_lend(sk__uring *u, uint32_t b)
{
    u->boff[b] &= ~SK__UR_BHELD;
    u->lent[u->nlent++] = (uint16_t)b;
}

/* The buffers reported by the last wait go back to the ring. */
static void sk__ur_bufs_return(sk__uring *u)
{
    uint32_t i, mask = u->nbuf - 1;
    for (i = 0; i < u->nlent; i++) {
        uint32_t b = u->lent[i];
        sk__ur_buf *e = &u->br[u->btail & mask];
        e->addr = (uint64_t)(uintptr_t)(u->bufs + (size_t)b * u->bsize);
        e->len = u->bsize;
        e->bid = (uint16_t)b;
        u->bpos[b] = (uint16_t)(u->btail & mask);
        u->btail++;
        u->boff[b] = 0;
    }
    u->nlent = 0;
    __atomic_store_n(&u->br[0].resv, u->btail, __ATOMIC_RELEASE);
}

/* The buffer the kernel receives into now (incremental use: the ring's
 * head, partly used), back to its start once every byte it took has been
 * reported and copied: nothing in the completion ring, nothing in the
 * kernel's overflow list, nothing carried.  The next receives then land
 * in the same pages instead of the next ones: a quiet loop touches a page
 * or two of the area rather than all of it as bytes trickle in (issue 18:
 * idle memory), and a busy one keeps them in the cache.  (Once a page of
 * it is used, SK__UR_REWIND: not after every receive, which would cost
 * each round trip of a ping-pong a pass here.)  Only with defer:
 * the kernel then receives only inside this thread's io_uring_enter, so
 * that nothing moves the entry while it is rewritten here. */
static void sk__ur_rewind(sk__uring *u)
{
    uint32_t b = u->bcur;
    sk__ur_buf *e = &u->br[u->bpos[b]];
    uint64_t base = (uint64_t)(uintptr_t)(u->bufs + (size_t)b * u->bsize);
    if (*u->cq_head != sk__ur_load(u->cq_tail) || u->ncarry != 0 ||
        (sk__ur_load(u->sq_flags) & SK__UR_SQ_CQ_OVERFLOW))
        return; /* (bytes it took may be unreported yet: the next wait) */
    u->bcur = SK__UR_NONE;
    /* (the entry as the kernel leaves it: moved on by the bytes used) */
    if (e->bid != b || e->addr != base + u->boff[b] ||
        e->len != u->bsize - u->boff[b])
        return;
    e->addr = base;
    e->len = u->bsize;
    u->boff[b] = 0;
}

/* A receive's or send's completion c (carried: from a ring given up),
 * reported into out (room for one) unless its slot was removed.  The
 * buffer it used is accounted for whatever becomes of it.  Returns the
 * entries reported (0 or 1). */
static SK__NOINLINE size_t sk__ur_acc_cqe(sk__uring *u, const sk__ur_cqe *c,
                                          int carried, sk__pollout *out);

static size_t sk__ur_io_cqe(sk__uring *u, const sk__ur_cqe *c, int carried,
                            sk__pollout *out)
{
    uint64_t data = c->user_data;
    size_t s = (size_t)(uint32_t)data - 1U, pos = 0;
    uint32_t st;
    int more = (c->flags & SK__UR_CQE_F_MORE) != 0 && !carried;
    if (c->flags & SK__UR_CQE_F_BUFFER) {
        uint32_t b = c->flags >> SK__UR_CQE_BUFFER_SHIFT;
        if (b < u->nbuf) {
            pos = (size_t)b * u->bsize + (u->boff[b] & ~SK__UR_BHELD);
            if (c->res > 0)
                u->boff[b] += (uint32_t)c->res;
            if (carried) {
                /* (its last carried completion lends it) */
                size_t i;
                for (i = u->carried; i < u->ncarry; i++)
                    if ((u->carry[i].flags & SK__UR_CQE_F_BUFFER) &&
                        u->carry[i].flags >> SK__UR_CQE_BUFFER_SHIFT == b)
                        break;
                if (i == u->ncarry)
                    sk__ur_lend(u, b);
            } else if (!(c->flags & SK__UR_CQE_F_BUF_MORE)) {
                sk__ur_lend(u, b);
                if (u->bcur == b)
                    u->bcur = SK__UR_NONE;
            } else if (u->defer && u->boff[b] >= SK__UR_REWIND) {
                u->bcur = b; /* (rewound by a wait: sk__ur_rewind) */
            }
        }
    }
    if (data == SK__UR_IGNORE || s >= u->top)
        return 0;
    st = u->st[s];
    if (SK__UR_KIND(data) == SK__UR_KRECV >> 62) {
        if (carried) {
            if (st & SK__UR_FREED)
                return 0;
        } else {
            if (!(st & SK__UR_RECV))
                return 0; /* (not this slot's any more) */
            if (!more) {
                st &= ~SK__UR_RECV;
                if (c->res == 0 || (c->res < 0 && c->res != -ENOBUFS &&
                                    c->res != -ECANCELED))
                    st |= SK__UR_REND; /* over: not armed again */
                u->st[s] = st;
                if (st & SK__UR_ZOMBIE) {
                    if (!(st & SK__UR_SEND))
                        sk__ur_release(u, s);
                    return 0;
                }
                /* A poll request armed while the receive was in the
                 * kernel leaves reading out: when reading is polled now
                 * (the registration left completion mode), it goes, so
                 * that the next wait arms one that reads too. */
                if ((st & SK__UR_ARMED) &&
                    (sk__ur_pollev(u, sk__ur_reg(u, s), st) &
                     SK__WAIT_READ) &&
                    sk__ur_disarm(u, s) == 0)
                    st = u->st[s];
                /* armed again at the next wait if still wanted (its
                 * buffers back by then), or the read poll after it */
                sk__ur_queue(u, s);
            }
            if (st & SK__UR_ZOMBIE)
                return 0;
        }
        if (c->res == -ENOBUFS || c->res == -ECANCELED)
            return 0;
        return sk__ur_out(u, s,
                          SK__WAIT_RECV | (c->res < 0 ? 0 : (int)(pos << 8)),
                          c->res, out);
    }
    if (SK__UR_KIND(data) == SK__UR_KACC >> 62) /* (no buffer: above) */
        return sk__ur_acc_cqe(u, c, carried, out);
    /* a send's */
    if (carried) {
        if ((st & (SK__UR_FREED | SK__UR_SEND)) != SK__UR_SEND)
            return 0;
    } else if (!(st & SK__UR_SEND)) {
        return 0;
    }
    st &= ~SK__UR_SEND;
    u->st[s] = st;
    if (st & SK__UR_ZOMBIE) {
        if (!(st & SK__UR_RECV))
            sk__ur_release(u, s);
        return 0;
    }
    /* (cancelled: nothing went, no error) */
    return sk__ur_out(u, s, SK__WAIT_SENT, c->res == -ECANCELED ? 0 : c->res,
                      out);
}

/* The completions carried from a ring given up, first (up to cap). */
static size_t sk__ur_carried(sk__uring *u, sk__pollout *out, size_t cap)
{
    size_t got = 0;
    while (u->carried < u->ncarry && got < cap) {
        sk__ur_cqe c = u->carry[u->carried++];
        got += sk__ur_io_cqe(u, &c, 1, &out[got]);
    }
    if (u->carried == u->ncarry) {
        sk__free(u->carry);
        u->carry = NULL;
        u->ncarry = u->carried = 0;
    }
    return got;
}

static int sk__ur_wait(sk__poller *base, int64_t ms, sk__pollout *out,
                       size_t cap, size_t *n, int *sys)
{
    sk__uring *u = (sk__uring *)base;
    sk__ur_getevents_arg arg;
    sk__ur_timespec ts;
    uint32_t head, tail, flags = SK__UR_ENTER_GETEVENTS, min = 0, submit,
                          ring;
    const void *argp = NULL;
    size_t argsz = 0, got = 0, back = 0, i;
    int r, runs = 0;

    *n = 0;
    r = sk__ur_own(u, sys);
    if (r != 0)
        return r;
    if (u->nlent > 0)
        sk__ur_bufs_return(u); /* (the last wait's entries are done) */
    if (u->bcur != SK__UR_NONE)
        sk__ur_rewind(u); /* (... and so are the bytes of this one) */
    if (u->ncarry > 0)
        got = sk__ur_carried(u, out, cap);
    got += sk__ur_todo(u, out + got, cap - got);
    sk__ur_store(u->sq_tail, u->tail);
    submit = u->tail - sk__ur_load(u->sq_head);
    head = *u->cq_head;
    ring = sk__ur_load(u->sq_flags);
    if (got == 0 && ms != 0 && head == sk__ur_load(u->cq_tail) &&
        !(ring & SK__UR_SQ_TASKRUN)) {
        min = 1; /* (the kernel runs what is due before it sleeps) */
        if (ms > 0) {
            memset(&arg, 0, sizeof arg);
            ts.tv_sec = ms / 1000;
            ts.tv_nsec = (ms % 1000) * 1000000;
            arg.ts = (uint64_t)(uintptr_t)&ts;
            flags |= SK__UR_ENTER_EXT_ARG;
            argp = &arg;
            argsz = sizeof arg;
        }
    } else if (submit == 0 && (got > 0 || head != sk__ur_load(u->cq_tail)) &&
               !(ring & (SK__UR_SQ_TASKRUN | SK__UR_SQ_CQ_OVERFLOW))) {
        flags = 0; /* what is in the ring is all there is: no call */
    }
    r = flags != 0 ? sk__ur_enter(u->fd, submit, min, flags, argp, argsz) : 0;
    if (r < 0 && errno != ETIME && errno != EBUSY && errno != EAGAIN &&
        got == 0) {
        if (errno == EINTR)
            return SK_EWOULDBLOCK;
        return sk__posix_fail(sys);
    }

    /* Every completion is taken (the ring never fills while the loop's
     * array is short; with defer, all but a quarter of the ring): what
     * does not fit in out waits in its slot's word and is reported by the
     * next wait. */
    tail = sk__ur_load(u->cq_tail);
    for (;;) {
        const sk__ur_cqe *c;
        uint64_t data;
        size_t s;
        uint32_t gen, st;
        int ev = 0;
        if (head == tail) {
            /* Completions the ring had no room for wait in the kernel:
             * take them in this wait too (each armed request completes
             * once: this ends).  With defer, the kernel ran only some of
             * what is due: more while out has room. */
            uint32_t f = sk__ur_load(u->sq_flags);
            if (!(f & SK__UR_SQ_CQ_OVERFLOW) &&
                !((f & SK__UR_SQ_TASKRUN) && got + back < cap &&
                  ++runs < SK__UR_RUNS))
                break;
            sk__ur_store(u->cq_head, head);
            (void)sk__ur_enter(u->fd, 0, 0, SK__UR_ENTER_GETEVENTS, NULL, 0);
            tail = sk__ur_load(u->cq_tail);
            if (head == tail)
                break;
        }
        /* With defer the ring fills only as a wait runs what is due (a
         * few dozen a call, and the re-arms that find their socket
         * ready, at most SK__UR_MOST): a full out leaves a quarter of the
         * ring there for the next wait, rather than taking it into the
         * slots (each kept slot costs a pass over the to-do list). */
        if (got + back >= cap && u->defer &&
            tail - head <= u->cq_entries / 4)
            break;
        c = &u->cqes[head & u->cq_mask];
        data = c->user_data;
        if (SK__UR_KIND(data) != 0) {
            /* A receive's or send's: reported now, or left in the ring
             * for the next wait (it has nowhere else to wait). */
            if (got + back >= cap)
                break;
            head++;
            /* Sends' at the end of out, receives' and readiness first:
             * a connection hears what it received before what it sent,
             * as with readiness (its end of stream before the
             * bytes_written of a send that raced it). */
            if (SK__UR_KIND(data) == SK__UR_KSEND >> 62)
                back += sk__ur_io_cqe(u, c, 0, &out[cap - 1 - back]);
            else
                got += sk__ur_io_cqe(u, c, 0, &out[got]);
            continue;
        }
        /* slot + 1 in the low half (0: SK__UR_IGNORE, which wraps) */
        s = (size_t)(uint32_t)data - 1U;
        gen = (uint32_t)(data >> 32);
        head++;
        if (s >= u->top)
            continue;
        st = u->st[s];
        if (!(st & SK__UR_ARMED) || st / SK__UR_GEN1 != gen)
            continue; /* given up since (a freed slot is not armed) */
        st &= ~SK__UR_ARMED;
        if (c->res < 0) {
            if (c->res == -ECANCELED) {
                u->st[s] = st;
                sk__ur_queue(u, s);
                continue;
            }
            ev = SK__WAIT_ERROR; /* EBADF and the like: said once (not
                                    re-armed until mod) */
            st |= SK__UR_FAILED;
        } else {
            uint32_t m = (uint32_t)c->res;
            if (m & POLLIN)
                ev |= SK__WAIT_READ;
            if (m & POLLOUT)
                ev |= SK__WAIT_WRITE;
            if (m & (POLLERR | POLLHUP))
                ev |= SK__WAIT_ERROR;
        }
        if (got + back < cap) {
            got += (size_t)sk__ur_put(u, s, ev, &out[got]);
            if (st & SK__UR_FAILED) {
                u->st[s] = st;
                continue;
            }
        } else {
            st |= (uint32_t)ev << SK__UR_PEND_SHIFT; /* the next wait's */
        }
        /* level-triggered: asked again by the next wait (or reported) */
        u->st[s] = st | SK__UR_QUEUED;
        if (!(st & SK__UR_QUEUED))
            sk__ur_list(u, s);
    }
    sk__ur_store(u->cq_head, head);
    /* (the sends' entries, back in their order, after the others) */
    for (i = 0; i < back / 2; i++) {
        sk__pollout t = out[cap - back + i];
        out[cap - back + i] = out[cap - 1 - i];
        out[cap - 1 - i] = t;
    }
    if (back == 1 && got + 1 < cap)
        out[got] = out[cap - 1]; /* (one send: the common case) */
    else if (back > 0 && got + back < cap)
        memmove(&out[got], &out[cap - back], back * sizeof *out);
    *n = got + back;
    return 0;
}

static void sk__ur_unmap(sk__uring *u)
{
    if (u->sqes != NULL)
        munmap(u->sqes, u->sqes_len);
    if (u->ring != NULL)
        munmap(u->ring, u->ring_len);
}

/* ---- completions: the receive buffers, sends --------------------------- */

static void sk__ur_bufs_free(sk__uring *u)
{
    if (u->bufs != NULL)
        munmap(u->bufs, (size_t)u->nbuf * u->bsize);
    if (u->br != NULL)
        munmap(u->br, u->br_len);
    sk__free(u->boff);
    sk__free(u->lent);
    sk__free(u->carry);
    u->bufs = NULL;
    u->br = NULL;
    u->boff = NULL;
    u->lent = NULL;
    u->bpos = NULL;
    u->carry = NULL;
    u->nbuf = 0;
    u->bcur = SK__UR_NONE;
}

/* Register the buffer ring with u's ring (a new registration: its head
 * starts at 0), every buffer in it but those held by carried
 * completions.  0, or -1 (errno set). */
static int sk__ur_bufs_reg(sk__uring *u)
{
    sk__ur_buf_reg reg;
    uint32_t b, k = 0;
    for (b = 0; b < u->nbuf; b++) {
        sk__ur_buf *e;
        if (u->boff[b] & SK__UR_BHELD)
            continue;
        u->boff[b] = 0;
        u->bpos[b] = (uint16_t)k;
        e = &u->br[k++];
        e->addr = (uint64_t)(uintptr_t)(u->bufs + (size_t)b * u->bsize);
        e->len = u->bsize;
        e->bid = (uint16_t)b;
    }
    u->btail = (uint16_t)k;
    u->nlent = 0;
    u->bcur = SK__UR_NONE;
    __atomic_store_n(&u->br[0].resv, u->btail, __ATOMIC_RELEASE);
    memset(&reg, 0, sizeof reg);
    reg.ring_addr = (uint64_t)(uintptr_t)u->br;
    reg.ring_entries = u->nbuf;
    reg.bgid = 0;
    reg.flags = u->inc ? (uint16_t)SK__UR_PBUF_RING_INC : 0;
    return sk__ur_register(u->fd, SK__UR_REGISTER_PBUF_RING, &reg, 1);
}

/* Make nbuf buffers of bsize bytes and their ring, and register it.
 * 0, or -1 (nothing kept). */
static int sk__ur_bufs_make(sk__uring *u, uint32_t nbuf, uint32_t bsize,
                            int inc)
{
    size_t area = (size_t)nbuf * bsize;
    void *m;
    u->nbuf = nbuf;
    u->bsize = bsize;
    u->inc = (unsigned char)inc;
    /* (untouched pages cost no memory: a buffer costs once used) */
    m = mmap(NULL, area, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
             -1, 0);
    if (m == MAP_FAILED) {
        u->nbuf = 0;
        return -1;
    }
    u->bufs = (char *)m;
    u->br_len = ((size_t)nbuf * sizeof(sk__ur_buf) + 4095U) & ~(size_t)4095U;
    m = mmap(NULL, u->br_len, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    u->br = m == MAP_FAILED ? NULL : (sk__ur_buf *)m;
    u->boff = (uint32_t *)sk__calloc(nbuf, sizeof *u->boff);
    /* (lent and bpos: one block) */
    u->lent = (uint16_t *)sk__malloc(2 * (size_t)nbuf * sizeof *u->lent);
    u->bpos = u->lent != NULL ? u->lent + nbuf : NULL;
    if (u->br == NULL || u->boff == NULL || u->lent == NULL ||
        sk__ur_bufs_reg(u) != 0) {
        sk__ur_bufs_free(u);
        return -1;
    }
    u->bufs_ok = 1;
    return 0;
}

/* The receive buffers of a new poller: large ones used incrementally
 * where the kernel can, else page-sized ones (or the test hook's).  0, or
 * -1 (then no completions: io stays NULL). */
static int sk__ur_bufs_new(sk__uring *u)
{
    unsigned nbuf = 0, bsize = 0;
    int oneshot = 0;
#if defined(SOCKIT_TEST_HOOKS)
    sk__test_uring_bufs_get(&nbuf, &bsize, &oneshot);
#endif
    if (nbuf != 0) {
        if ((nbuf & (nbuf - 1)) != 0 || nbuf > 32768 || bsize == 0 ||
            (size_t)nbuf * bsize > SK__UR_AREA)
            return -1;
        u->oneshot = (unsigned char)(oneshot != 0);
        return sk__ur_bufs_make(u, nbuf, bsize, 0);
    }
    if (sk__ur_bufs_make(u, SK__UR_NBUF_INC, SK__UR_BSIZE_INC, 1) == 0)
        return 0;
    return sk__ur_bufs_make(u, SK__UR_NBUF, SK__UR_BSIZE, 0);
}

static const char *sk__ur_io_data(sk__poller *base, const sk__pollout *e)
{
    const sk__uring *u = (const sk__uring *)base;
    return u->bufs + ((unsigned)e->events >> 8);
}

static int sk__ur_io_send(sk__poller *base, sk__pollreg *r, const void *buf,
                          size_t len, int *sys)
{
    sk__uring *u = (sk__uring *)base;
    size_t s = r->slot;
    sk__ur_sqe *e;
    if (sk__ur_own(u, sys) != 0 || (u->st[s] & SK__UR_SEND))
        return SK_ENORESOURCES;
    e = sk__ur_sqe_get(u);
    if (e == NULL)
        return SK_ENORESOURCES;
    sk__ur_prep(e, SK__UR_OP_SEND, 0, r->fd, (uint64_t)(uintptr_t)buf,
                (uint32_t)MSG_NOSIGNAL, SK__UR_KSEND | (uint64_t)(s + 1));
    /* (more than 4 GiB: the rest goes with the next send) */
    e->len = len > (size_t)UINT32_MAX ? UINT32_MAX : (uint32_t)len;
    u->st[s] |= SK__UR_SEND;
    return 0;
}

static int sk__ur_io_code(int sys)
{
    return sk__posix_err(sys);
}

static void sk__ur_io_flush(sk__poller *base)
{
    sk__uring *u = (sk__uring *)base;
    if (u->tail != sk__ur_load(u->sq_tail) &&
        (!u->defer || pthread_equal(u->owner, pthread_self())))
        (void)sk__ur_flush(u);
}

static const sk__poller_io sk__uring_io = {sk__ur_io_data, sk__ur_io_send,
                                           sk__ur_io_code, sk__ur_io_flush};

/* ---- completions: accepts ---------------------------------------------- */

/* A registration's accept at mod: cancelled when no longer wanted (what
 * it accepted until its last completion is still reported); one that
 * failed may be armed again.  0, or -1 when nothing could be queued. */
static int sk__ur_acc_mod(sk__uring *u, const sk__pollreg *r, size_t s)
{
    if ((u->st[s] & SK__UR_ACC) && !SK__UR_WANTS_ACC(r->events) &&
        sk__ur_cancel(u, SK__UR_KACC | (uint64_t)(s + 1)) != 0)
        return -1;
    u->st[s] &= ~SK__UR_AEND;
    return 0;
}

/* An accept's completion c that no registration takes: the descriptor it
 * brought (if any) is closed.  Any other completion: nothing. */
static void sk__ur_acc_drop(const sk__ur_cqe *c)
{
    if (SK__UR_KIND(c->user_data) == SK__UR_KACC >> 62 && c->res >= 0)
        close(c->res);
}

/* Errors that end a multishot accept but not accepting: a client that
 * left before it was taken, a signal, a cancellation (mod's, or the
 * kernel's): armed again, unreported. */
static int sk__ur_acc_quiet(int res)
{
    return res == -ECANCELED || res == -ECONNABORTED || res == -EPROTO ||
           res == -EINTR || res == -EAGAIN || res == -EWOULDBLOCK;
}

/* An accept's completion c (carried: from a ring given up): the new
 * descriptor, or the accept's error, reported into out (room for one);
 * for a removed slot the descriptor is closed.  Without
 * IORING_CQE_F_MORE the accept is over: armed again by the next wait
 * while wanted, unless it failed (then not until mod).  Returns the
 * entries reported (0 or 1). */
static SK__NOINLINE size_t sk__ur_acc_cqe(sk__uring *u, const sk__ur_cqe *c,
                                          int carried, sk__pollout *out)
{
    size_t s = (size_t)(uint32_t)c->user_data - 1U;
    uint32_t st;
    if (c->user_data == SK__UR_IGNORE || s >= u->top) {
        sk__ur_acc_drop(c);
        return 0;
    }
    st = u->st[s];
    if (carried ? (st & SK__UR_FREED) != 0 : !(st & SK__UR_ACC)) {
        sk__ur_acc_drop(c); /* (not this slot's any more) */
        return 0;
    }
    if (!carried && !(c->flags & SK__UR_CQE_F_MORE)) {
        st &= ~SK__UR_ACC;
        if (c->res < 0 && !sk__ur_acc_quiet(c->res))
            st |= SK__UR_AEND;
        u->st[s] = st;
        if (st & SK__UR_ZOMBIE) {
            if (!(st & SK__UR_INK))
                sk__ur_release(u, s);
        } else {
            sk__ur_queue(u, s);
        }
    }
    if (st & SK__UR_ZOMBIE) {
        sk__ur_acc_drop(c);
        return 0;
    }
    if (c->res < 0 && sk__ur_acc_quiet(c->res))
        return 0;
    return sk__ur_out(u, s, SK__WAIT_ACCEPT, c->res, out);
}

/* The poller goes: what its accepts brought and nobody was told of (in
 * the ring, carried from a ring given up) is closed. */
static void sk__ur_acc_close_all(sk__uring *u)
{
    uint32_t head = *u->cq_head, tail = sk__ur_load(u->cq_tail);
    size_t i;
    for (; head != tail; head++)
        sk__ur_acc_drop(&u->cqes[head & u->cq_mask]);
    sk__ur_store(u->cq_head, head);
    for (i = u->carried; i < u->ncarry; i++)
        sk__ur_acc_drop(&u->carry[i]);
    u->carried = u->ncarry;
}

static void sk__ur_free(sk__poller *base)
{
    sk__uring *u = (sk__uring *)base;
    size_t s;
    int armed = 0;
    /* (only the flags: the registrations may be gone already) */
    for (s = 0; s < u->top && !armed; s++)
        armed = (u->st[s] & (SK__UR_ARMED | SK__UR_INK)) != 0;
    /* (a thread other than the ring's owner cannot enter it: the
     * teardown lets go of the files, in the kernel's time) */
    if (armed && (!u->defer || pthread_equal(u->owner, pthread_self()))) {
        /* Cancel every request before the ring goes (its teardown runs
         * later, in the kernel's own time), so that the files they hold
         * are let go of now. */
        sk__ur_sqe *e = sk__ur_sqe_get(u);
        if (e != NULL) {
            sk__ur_prep(e, SK__UR_OP_ASYNC_CANCEL, 0, -1, 0,
                        SK__UR_ASYNC_CANCEL_ANY | SK__UR_ASYNC_CANCEL_ALL,
                        SK__UR_IGNORE);
            sk__ur_run(u);
        }
    }
    sk__ur_acc_close_all(u);
    sk__ur_unmap(u);
    close(u->fd);
    sk__ur_bufs_free(u);
    sk__free(u->regs);
    sk__free(u->st);
    sk__free(u->arm);
    sk__free(u);
}

static const sk__poller_ops sk__uring_ops = {
    "uring", sk__ur_add, sk__ur_mod, sk__ur_del, sk__ur_wait, sk__ur_free,
    sk__ur_reserve};

/* 1 when the kernel has every opcode of need[0..n). */
static int sk__ur_probe_ok(int fd, const uint8_t *need, size_t n)
{
    sk__ur_probe probe;
    size_t i;
    memset(&probe, 0, sizeof probe);
    if (sk__ur_register(fd, SK__UR_REGISTER_PROBE, &probe, 64) != 0)
        return 0;
    for (i = 0; i < n; i++)
        if (need[i] > probe.last_op || need[i] >= probe.ops_len ||
            !(probe.ops[need[i]].flags & SK__UR_OP_SUPPORTED))
            return 0;
    return 1;
}

/* The refusals that mean "no io_uring here" (SK_EUNSUPPORTED). */
static int sk__ur_refused(int e, int *sys)
{
    if (sys != NULL)
        *sys = e;
    return e == EMFILE || e == ENFILE ? SK_ENORESOURCES : SK_EUNSUPPORTED;
}

/* Make u's ring, its mappings and the pointers into them; defer: with
 * DEFER_TASKRUN (owned by the calling thread).  0, or -1 with errno set
 * (EINVAL: the kernel lacks a flag asked for) and u's ring untouched. */
static int sk__ur_open(sk__uring *u, int defer, sk__ur_params *p)
{
    uint32_t *array, i;
    char *ring;
    void *sqes;
    size_t ring_len, sqes_len;
    int fd, e;

    memset(p, 0, sizeof *p);
    /* Not COOP_TASKRUN alone: a request's last step runs as task work of
     * the thread that armed it, and a loop or selector may be handed to
     * another thread while that one sleeps elsewhere: it must be woken.
     * DEFER_TASKRUN keeps that work with the ring, for its one owner to
     * run when it waits (no interrupting the owner as each request
     * completes: at 10,000 busy clients that cost a third of the server's
     * time); another thread that uses the ring gets a ring of its own
     * (sk__ur_own). */
    p->flags = SK__UR_SETUP_CQSIZE | SK__UR_SETUP_CLAMP |
               SK__UR_SETUP_SUBMIT_ALL;
    if (defer)
        p->flags |= SK__UR_SETUP_SINGLE_ISSUER | SK__UR_SETUP_DEFER_TASKRUN |
                    SK__UR_SETUP_TASKRUN_FLAG;
    p->cq_entries = SK__UR_CQ;
#if defined(SOCKIT_TEST_HOOKS)
    if (defer && sk__test_uring_refusal() == -2) {
        errno = EINVAL; /* "a kernel before 6.1" */
        return -1;
    }
#endif
    fd = sk__ur_setup(SK__UR_SQ, p);
    if (fd < 0)
        return -1;
    ring_len = p->sq_off.array + p->sq_entries * sizeof(uint32_t);
    if (ring_len < p->cq_off.cqes + p->cq_entries * sizeof(sk__ur_cqe))
        ring_len = p->cq_off.cqes + p->cq_entries * sizeof(sk__ur_cqe);
    sqes_len = p->sq_entries * sizeof(sk__ur_sqe);
    ring = (char *)mmap(NULL, ring_len, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_POPULATE, fd, SK__UR_OFF_SQ_RING);
    if (ring == MAP_FAILED) {
        e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    sqes = mmap(NULL, sqes_len, PROT_READ | PROT_WRITE,
                MAP_SHARED | MAP_POPULATE, fd, SK__UR_OFF_SQES);
    if (sqes == MAP_FAILED) {
        e = errno;
        munmap(ring, ring_len);
        close(fd);
        errno = e;
        return -1;
    }
    u->fd = fd;
    u->ring = ring;
    u->ring_len = ring_len;
    u->sqes = (sk__ur_sqe *)sqes;
    u->sqes_len = sqes_len;
    u->sq_head = (uint32_t *)(void *)(ring + p->sq_off.head);
    u->sq_tail = (uint32_t *)(void *)(ring + p->sq_off.tail);
    u->sq_flags = (uint32_t *)(void *)(ring + p->sq_off.flags);
    u->sq_mask = *(uint32_t *)(void *)(ring + p->sq_off.ring_mask);
    u->sq_entries = *(uint32_t *)(void *)(ring + p->sq_off.ring_entries);
    array = (uint32_t *)(void *)(ring + p->sq_off.array);
    for (i = 0; i < u->sq_entries; i++)
        array[i] = i; /* entry i of the queue is sqes[i], always */
    u->cq_head = (uint32_t *)(void *)(ring + p->cq_off.head);
    u->cq_tail = (uint32_t *)(void *)(ring + p->cq_off.tail);
    u->cq_mask = *(uint32_t *)(void *)(ring + p->cq_off.ring_mask);
    u->cq_entries = *(uint32_t *)(void *)(ring + p->cq_off.ring_entries);
    u->cqes = (sk__ur_cqe *)(void *)(ring + p->cq_off.cqes);
    u->tail = *u->sq_tail;
    u->defer = defer;
    if (defer)
        u->owner = pthread_self();
    return 0;
}

/* The ring of a loop or selector that another thread now uses (defer):
 * a new one, owned by this thread, where every registration is armed
 * again; the old ring's requests are let go of by the kernel as it tears
 * that ring down (in its own time, soon: its sockets' files too).  What
 * was reaped and not reported yet stays to be reported.  0, or an error
 * code (the old ring is kept). */
/* Take the receives' and sends' completions that old's ring holds and
 * were not reaped into u->carry, after those carried already (those of
 * removed slots are left: their connection is gone); their buffers are
 * held.  When there is no memory for them they are lost (their bytes
 * with them): the loop's wait leaves completions in the ring only when
 * its array is full. */
static void sk__ur_carry(sk__uring *u, const sk__uring *old)
{
    uint32_t head = *old->cq_head, tail = sk__ur_load(old->cq_tail);
    size_t want = u->ncarry + (tail - head);
    sk__ur_cqe *c;
    if (head == tail)
        return;
    c = (sk__ur_cqe *)sk__realloc(u->carry, want * sizeof *c);
    if (c == NULL) {
        for (; head != tail; head++) /* (what was accepted: closed) */
            sk__ur_acc_drop(&old->cqes[head & old->cq_mask]);
        return;
    }
    u->carry = c;
    for (; head != tail; head++) {
        const sk__ur_cqe *e = &old->cqes[head & old->cq_mask];
        size_t s = (size_t)(uint32_t)e->user_data - 1U;
        if (SK__UR_KIND(e->user_data) == 0 || s >= u->top ||
            (u->st[s] & SK__UR_FREED)) {
            sk__ur_acc_drop(e);
            continue;
        }
        if ((e->flags & SK__UR_CQE_F_BUFFER) &&
            e->flags >> SK__UR_CQE_BUFFER_SHIFT < u->nbuf)
            u->boff[e->flags >> SK__UR_CQE_BUFFER_SHIFT] |= SK__UR_BHELD;
        c[u->ncarry++] = *e;
    }
}

/* 1 when a send's completion of slot s is carried. */
static int sk__ur_carries_send(const sk__uring *u, size_t s)
{
    size_t i;
    for (i = u->carried; i < u->ncarry; i++)
        if (u->carry[i].user_data == (SK__UR_KSEND | (uint64_t)(s + 1)))
            return 1;
    return 0;
}

static int sk__ur_rebuild(sk__uring *u, int *sys)
{
    sk__uring old = *u;
    sk__ur_params p;
    size_t s;
    if (sk__ur_open(u, 1, &p) != 0) {
        int e = errno;
        *u = old;
        if (sys != NULL)
            *sys = e;
        return e == EMFILE || e == ENFILE || e == ENOMEM ? SK_ENORESOURCES
                                                          : SK_ESYSTEM;
    }
    sk__ur_carry(u, &old);
    sk__ur_unmap(&old);
    close(old.fd);
    for (s = 0; s < u->top; s++) {
        uint32_t st = u->st[s];
        if (st & SK__UR_FREED) {
            if (st & SK__UR_ZOMBIE)
                sk__ur_release(u, s); /* its requests went with the ring */
            continue;
        }
        if (st & SK__UR_ARMED)
            st = (st & ~SK__UR_ARMED) + SK__UR_GEN1;
        /* Its receive went with the old ring (what it had received is
         * carried): armed again.  Its send, unless its completion was
         * carried, went unsent (a send that sent part completes at once,
         * and what the old ring had left to run is cancelled, not run,
         * as it is torn down): reported so, to be sent again. */
        if ((st & SK__UR_SEND) && !sk__ur_carries_send(u, s))
            st = (st & ~SK__UR_SEND) | SK__UR_SLOST;
        u->st[s] = st & ~(SK__UR_FAILED | SK__UR_RECV | SK__UR_ACC);
        sk__ur_queue(u, s);
    }
    /* The buffer ring, on the new ring (the buffers the carried
     * completions used are lent until they are reported). */
    if (u->nbuf != 0)
        u->bufs_ok = sk__ur_bufs_reg(u) == 0;
    return 0;
}

int sk__posix_uring_new(sk__poller **out, int *sys)
{
    const uint32_t need = SK__UR_FEAT_SINGLE_MMAP | SK__UR_FEAT_NODROP |
                          SK__UR_FEAT_EXT_ARG | SK__UR_FEAT_CQE_SKIP;
    static const uint8_t ops[] = {SK__UR_OP_POLL_ADD, SK__UR_OP_POLL_REMOVE,
                                  SK__UR_OP_ASYNC_CANCEL};
    static const uint8_t io_ops[] = {SK__UR_OP_SEND, SK__UR_OP_RECV,
                                     SK__UR_OP_ACCEPT};
    sk__ur_params p;
    sk__uring *u;
    int refuse = 0;

    u = (sk__uring *)sk__calloc(1, sizeof *u);
    if (u == NULL)
        return SK_ENORESOURCES;
    u->arm = (uint32_t *)sk__malloc(SK__UR_ARM0 * sizeof *u->arm);
    if (u->arm == NULL) {
        sk__free(u);
        return SK_ENORESOURCES;
    }
    u->armcap = SK__UR_ARM0;
    /* DEFER_TASKRUN where the kernel has it (6.1), else without. */
    if (sk__ur_open(u, 1, &p) != 0 &&
        (errno != EINVAL || sk__ur_open(u, 0, &p) != 0)) {
        int e = errno;
        sk__free(u->arm);
        sk__free(u);
        return sk__ur_refused(e, sys);
    }
#if defined(SOCKIT_TEST_HOOKS)
    /* (-1: "the kernel lacks a feature") */
    refuse = sk__test_uring_refusal() == -1;
#endif
    if (refuse || (p.features & need) != need ||
        !sk__ur_probe_ok(u->fd, ops, sizeof ops)) {
        sk__ur_unmap(u);
        close(u->fd);
        sk__free(u->arm);
        sk__free(u);
        if (sys != NULL)
            *sys = EINVAL;
        return SK_EUNSUPPORTED;
    }
    u->free_head = SK__UR_NONE;
    u->bcur = SK__UR_NONE;
    u->base.ops = &sk__uring_ops;
    u->base.unique = 1;
    /* A wait hands back at most this many entries (the rest are kept for
     * the next): the loop's array for them does not grow with the
     * connections (issue 18: idle memory). */
    u->base.most = SK__UR_MOST;
    /* Completions (receives into the buffer ring, sends) where the kernel
     * has them (5.19, buffer rings and multishot receives: 6.0); else
     * readiness only. */
    if (sk__ur_probe_ok(u->fd, io_ops, sizeof io_ops) &&
        sk__ur_bufs_new(u) == 0)
        u->base.io = &sk__uring_io;
    *out = &u->base;
    return 0;
}

int sk__posix_uring_best(sk__poller **out, int *sys)
{
    int r = sk__posix_uring_new(out, sys);
    const sk__uring *u = (const sk__uring *)*out;
    if (r != 0 || (u->base.io != NULL && u->defer && u->inc))
        return r;
    /* (a kernel before 6.12, without incremental buffer rings: not what
     * was measured against epoll, bench/RESULTS.md "io_uring round 4") */
    sk__ur_free(*out);
    *out = NULL;
    if (sys != NULL)
        *sys = EINVAL;
    return SK_EUNSUPPORTED;
}
#endif
