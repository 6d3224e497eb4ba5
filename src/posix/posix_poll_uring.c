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
 * thousands of busy connections cost a third of its time.  This backend
 * is had by name only ("uring"): for readiness it is level with epoll at
 * best (bench/RESULTS.md, "io_uring round 2"), so the default is epoll.
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

typedef char sk__ur_sqe_size[sizeof(sk__ur_sqe) == 64 ? 1 : -1];
typedef char sk__ur_params_size[sizeof(sk__ur_params) == 120 ? 1 : -1];

#define SK__UR_OP_POLL_ADD 6
#define SK__UR_OP_POLL_REMOVE 7
#define SK__UR_OP_ASYNC_CANCEL 14
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
#define SK__UR_GEN1 128U /* the generation is st >> 7: +1 whenever a
                            request of the slot is given up */
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
    uint32_t *arm;      /* slots to (re-)arm at the next wait */
    size_t narm;
    size_t cap;         /* regs, st and arm hold cap entries (< SK__UR_NONE) */
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

static void sk__ur_queue(sk__uring *u, size_t s)
{
    if (!(u->st[s] & SK__UR_QUEUED)) {
        u->st[s] |= SK__UR_QUEUED;
        u->arm[u->narm++] = (uint32_t)s;
    }
}

static int sk__ur_reserve(sk__poller *base, size_t n)
{
    sk__uring *u = (sk__uring *)base;
    uintptr_t *regs;
    uint32_t *st, *arm;
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
    arm = (uint32_t *)sk__realloc(u->arm, cap * sizeof *arm);
    if (arm == NULL)
        return SK_ENORESOURCES;
    u->arm = arm;
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
                      SK__UR_PEND);
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

static int sk__ur_mod(sk__poller *base, sk__pollreg *r, int *sys)
{
    sk__uring *u = (sk__uring *)base;
    int e = sk__ur_own(u, sys);
    if (e != 0)
        return e;
    /* (the caller changed r's fd or events: the request goes, a new one
     * is armed at the next wait) */
    if (sk__ur_disarm(u, r->slot) != 0)
        return SK_ENORESOURCES;
    /* (what was reaped for the old request is not reported: the new one
     * says what is ready) */
    u->st[r->slot] &= ~(SK__UR_FAILED | SK__UR_PEND);
    sk__ur_queue(u, r->slot); /* (also after a refusal: tried again) */
    return 0;
}

static void sk__ur_del(sk__poller *base, sk__pollreg *r, int stale)
{
    sk__uring *u = (sk__uring *)base;
    size_t s = r->slot;
    (void)stale; /* the request is found by its user_data, not the fd */
    if ((u->st[s] & SK__UR_ARMED) && sk__ur_own(u, NULL) == 0 &&
        sk__ur_disarm(u, s) == 0)
        sk__ur_run(u); /* it lets go of the file now */
    /* (a new generation, and not armed: were the removal not submitted,
     * its completion would be passed over all the same) */
    u->st[s] = ((u->st[s] & ~(SK__UR_ARMED | SK__UR_FAILED | SK__UR_PEND)) |
                SK__UR_FREED) + SK__UR_GEN1;
    u->regs[s] = SK__UR_FREE(u->free_head);
    u->free_head = (uint32_t)s;
    u->used--;
}

/* Report a slot: SK__WAIT_* masked by what its registration asks for
 * (errors always).  1 when there was something to report. */
static int sk__ur_put(const sk__uring *u, size_t s, int ev, sk__pollout *out)
{
    const sk__pollreg *r = sk__ur_reg(u, s);
    ev &= r->events | SK__WAIT_ERROR;
    out->ptr = r->ptr;
    out->events = ev;
    return ev != 0;
}

/* The to-do list, at the start of a wait: report (up to cap, into out)
 * what earlier waits reaped and could not report, then arm every other
 * slot queued and still in use.  A slot reported here stays on the list:
 * it is armed by the next wait, after its owner has read or written.
 * Returns the entries reported. */
static size_t sk__ur_todo(sk__uring *u, sk__pollout *out, size_t cap)
{
    size_t i, k = 0, got = 0;
    uint32_t room = u->narm > 0 ? sk__ur_room(u) : 0;
    for (i = 0; i < u->narm; i++) {
        size_t s = u->arm[i];
        uint32_t st = u->st[s];
        const sk__pollreg *r;
        if (st & (SK__UR_ARMED | SK__UR_FREED)) {
            u->st[s] = st & ~SK__UR_QUEUED; /* armed already, or freed */
            continue;
        }
        if (st & SK__UR_PEND) {
            if (got >= cap) {
                u->arm[k++] = (uint32_t)s; /* the next wait reports it */
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
        if (room == 0 && (room = sk__ur_room(u)) == 0) {
            u->arm[k++] = (uint32_t)s; /* next time */
            continue;
        }
        room--;
        r = sk__ur_reg(u, s);
        sk__ur_prep(&u->sqes[u->tail++ & u->sq_mask], SK__UR_OP_POLL_ADD, 0,
                    r->fd, 0, sk__ur_mask(r->events), sk__ur_data(s, st));
        u->st[s] = (st & ~SK__UR_QUEUED) | SK__UR_ARMED;
    }
    u->narm = k;
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
    size_t argsz = 0, got;
    int r, runs = 0;

    *n = 0;
    r = sk__ur_own(u, sys);
    if (r != 0)
        return r;
    got = sk__ur_todo(u, out, cap);
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
                !((f & SK__UR_SQ_TASKRUN) && got < cap &&
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
        if (got >= cap && u->defer && tail - head <= u->cq_entries / 4)
            break;
        c = &u->cqes[head & u->cq_mask];
        data = c->user_data;
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
        if (got < cap) {
            got += (size_t)sk__ur_put(u, s, ev, &out[got]);
            if (st & SK__UR_FAILED) {
                u->st[s] = st;
                continue;
            }
        } else {
            st |= (uint32_t)ev << SK__UR_PEND_SHIFT; /* the next wait's */
        }
        /* level-triggered: asked again by the next wait (or reported) */
        if (!(st & SK__UR_QUEUED))
            u->arm[u->narm++] = (uint32_t)s;
        u->st[s] = st | SK__UR_QUEUED;
    }
    sk__ur_store(u->cq_head, head);
    *n = got;
    return 0;
}

static void sk__ur_unmap(sk__uring *u)
{
    if (u->sqes != NULL)
        munmap(u->sqes, u->sqes_len);
    if (u->ring != NULL)
        munmap(u->ring, u->ring_len);
}

static void sk__ur_free(sk__poller *base)
{
    sk__uring *u = (sk__uring *)base;
    size_t s;
    int armed = 0;
    /* (only the flags: the registrations may be gone already) */
    for (s = 0; s < u->top && !armed; s++)
        armed = (u->st[s] & SK__UR_ARMED) != 0;
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
    sk__ur_unmap(u);
    close(u->fd);
    sk__free(u->regs);
    sk__free(u->st);
    sk__free(u->arm);
    sk__free(u);
}

static const sk__poller_ops sk__uring_ops = {
    "uring", sk__ur_add, sk__ur_mod, sk__ur_del, sk__ur_wait, sk__ur_free,
    sk__ur_reserve};

/* 1 when the kernel has every opcode this file submits. */
static int sk__ur_probe_ok(int fd)
{
    static const uint8_t need[] = {SK__UR_OP_POLL_ADD, SK__UR_OP_POLL_REMOVE,
                                   SK__UR_OP_ASYNC_CANCEL};
    sk__ur_probe probe;
    size_t i;
    memset(&probe, 0, sizeof probe);
    if (sk__ur_register(fd, SK__UR_REGISTER_PROBE, &probe, 64) != 0)
        return 0;
    for (i = 0; i < sizeof need; i++)
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
    sk__ur_unmap(&old);
    close(old.fd);
    for (s = 0; s < u->top; s++) {
        uint32_t st = u->st[s];
        if (st & SK__UR_FREED)
            continue;
        if (st & SK__UR_ARMED)
            st = (st & ~SK__UR_ARMED) + SK__UR_GEN1;
        u->st[s] = st & ~SK__UR_FAILED;
        sk__ur_queue(u, s);
    }
    return 0;
}

int sk__posix_uring_new(sk__poller **out, int *sys)
{
    const uint32_t need = SK__UR_FEAT_SINGLE_MMAP | SK__UR_FEAT_NODROP |
                          SK__UR_FEAT_EXT_ARG | SK__UR_FEAT_CQE_SKIP;
    sk__ur_params p;
    sk__uring *u;
    int refuse = 0;

    u = (sk__uring *)sk__calloc(1, sizeof *u);
    if (u == NULL)
        return SK_ENORESOURCES;
    /* DEFER_TASKRUN where the kernel has it (6.1), else without. */
    if (sk__ur_open(u, 1, &p) != 0 &&
        (errno != EINVAL || sk__ur_open(u, 0, &p) != 0)) {
        int e = errno;
        sk__free(u);
        return sk__ur_refused(e, sys);
    }
#if defined(SOCKIT_TEST_HOOKS)
    /* (-1: "the kernel lacks a feature") */
    refuse = sk__test_uring_refusal() == -1;
#endif
    if (refuse || (p.features & need) != need || !sk__ur_probe_ok(u->fd)) {
        sk__ur_unmap(u);
        close(u->fd);
        sk__free(u);
        if (sys != NULL)
            *sys = EINVAL;
        return SK_EUNSUPPORTED;
    }
    u->free_head = SK__UR_NONE;
    u->base.ops = &sk__uring_ops;
    u->base.unique = 1;
    /* A wait hands back at most this many entries (the rest are kept for
     * the next): the loop's array for them does not grow with the
     * connections (issue 18: idle memory). */
    u->base.most = SK__UR_MOST;
    *out = &u->base;
    return 0;
}
#endif
