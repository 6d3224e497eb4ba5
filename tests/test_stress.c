/* SPDX-License-Identifier: MIT */
/*
 * test_stress.c - sockit under threads, for ThreadSanitizer (the tsan
 * lane) as much as for the other lanes:
 *  - four threads post and wake a loop while it runs, in phases (each
 *    phase's posts are made while the loop takes them); the loop then
 *    stops, the threads post some more, and the loop is freed with those
 *    still queued (dropped: never run, never leaked);
 *  - eight threads each on their own objects (a loop with a timer and a
 *    post, a TCP pair, a selector), round after round: nothing in the
 *    library is shared between objects.
 * Every loop is bounded in count; the only waits are on sockets, joins and
 * the loop's own wake-up (no sleeps as synchronisation).
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- four threads posting and waking ----------------------------------- */

#define POSTERS 4
#define PHASES 20
#define POSTS_PHASE 100 /* posts (and wakes) per thread and phase */
#define POSTS_LATE 100  /* per thread, once the loop has stopped */

typedef struct poster {
    sk_loop *loop;
    long *ran;    /* the loop thread's count (touched by it alone) */
    sup_gate **phase;  /* phase[k] opens when the loop takes phase k */
    sup_gate *stopped; /* opened when the loop no longer runs */
    int failed;   /* a post or wake that did not return 0 */
    sup_thread *thread;
} poster;

static void post_ran(void *ud)
{
    (*(long *)ud)++;
}

static void poster_main(void *arg)
{
    poster *p = (poster *)arg;
    int i, k;
    for (k = 0; k < PHASES; k++) {
        if (!sup_gate_wait(p->phase[k], SUP_SAFETY_TIMEOUT)) {
            p->failed++;
            return;
        }
        for (i = 0; i < POSTS_PHASE; i++) {
            if (sk_loop_post(p->loop, post_ran, p->ran) != 0)
                p->failed++;
            if (sk_loop_wake(p->loop) != 0)
                p->failed++;
        }
    }
    if (!sup_gate_wait(p->stopped, SUP_SAFETY_TIMEOUT)) {
        p->failed++;
        return;
    }
    for (i = 0; i < POSTS_LATE; i++)
        if (sk_loop_post(p->loop, post_ran, p->ran) != 0)
            p->failed++;
}

static void t_post_wake_then_free(void **state)
{
    poster p[POSTERS];
    sk_loop *loop = NULL;
    sup_gate *phase[PHASES], *stopped = sup_gate_new();
    long ran = 0, at_stop, total = (long)POSTERS * PHASES * POSTS_PHASE;
    unsigned long rounds = 0;
    int i, k;
    (void)state;

    for (k = 0; k < PHASES; k++)
        phase[k] = sup_gate_new();
    sup_assert_rc(sk_loop_new(&loop), 0);
    for (i = 0; i < POSTERS; i++) {
        p[i].loop = loop;
        p[i].ran = &ran;
        p[i].phase = phase;
        p[i].stopped = stopped;
        p[i].failed = 0;
        p[i].thread = sup_thread_start(poster_main, &p[i]);
    }
    /* Each round waits for a wake-up (there is no other handle): a post
     * or a wake always comes while a phase's posts remain, so the count
     * of rounds is bounded by the posts and wakes sent. */
    for (k = 0; k < PHASES; k++) {
        long want = (long)(k + 1) * POSTERS * POSTS_PHASE;
        sup_gate_open(phase[k]);
        while (ran < want && rounds < 2UL * (unsigned long)total) {
            sup_assert_rc(sk_loop_run(loop, SK_RUN_ONCE), 0);
            rounds++;
        }
        assert_int_equal(ran, want);
    }
    at_stop = ran;
    sup_gate_open(stopped);
    for (i = 0; i < POSTERS; i++) {
        sup_thread_join(p[i].thread);
        assert_int_equal(p[i].failed, 0);
    }
    sk_loop_free(loop); /* the posts still queued are dropped */
    assert_int_equal(ran, at_stop); /* none ran after the loop stopped */
    sup_gate_free(stopped);
    for (k = 0; k < PHASES; k++)
        sup_gate_free(phase[k]);
    print_message("posts: %d threads x %d posts and wakes in %d phases "
                  "(+%d each after the stop); %ld ran in %lu loop rounds, "
                  "%ld dropped by sk_loop_free\n", POSTERS,
                  PHASES * POSTS_PHASE, PHASES, POSTS_LATE, ran, rounds,
                  total + (long)POSTERS * POSTS_LATE - ran);
}

/* ---- eight threads, each on its own objects ---------------------------- */

#define WORKERS 8
#define ROUNDS 40

typedef struct worker {
    int round;    /* rounds completed */
    int fail;     /* the line (in this file) of the first failure, or 0 */
    int fired, posted;
    sup_thread *thread;
} worker;

#define W_CHECK(w, cond)                                                    \
    do {                                                                    \
        if (!(cond) && (w)->fail == 0)                                      \
            (w)->fail = __LINE__;                                           \
    } while (0)

static void w_tick(sk_timer *t, void *ud)
{
    (void)t;
    ((worker *)ud)->fired++;
}

static void w_post(void *ud)
{
    ((worker *)ud)->posted++;
}

/* One round: a loop runs a timer and a post; a TCP pair exchanges a line,
 * seen through a selector. */
static void w_round(worker *w)
{
    sk_loop *loop = NULL;
    sk_timer *t = NULL;
    sk_selector *sel = NULL;
    sk_sock *srv = NULL, *cli = NULL, *acc = NULL, *ready[2];
    sk_buf b = {NULL, 0, 0};
    sk_name nm;
    int ev[2];
    size_t n = 0;

    W_CHECK(w, sk_loop_new(&loop) == 0);
    W_CHECK(w, loop == NULL || sk_timer_new(loop, &t) == 0);
    W_CHECK(w, t == NULL || sk_timer_start(t, 0, 0, w_tick, w) == 0);
    W_CHECK(w, loop == NULL || sk_loop_post(loop, w_post, w) == 0);
    W_CHECK(w, loop == NULL || sk_loop_run(loop, SK_RUN_DEFAULT) == 0);

    W_CHECK(w, sk_tcp4(&srv) == 0);
    W_CHECK(w, srv != NULL && sk_bind(srv, "127.0.0.1", 0) == 0 &&
                   sk_listen(srv, 4) == 0 && sk_getsockname(srv, &nm) == 0 &&
                   sk_settimeout(srv, SUP_SAFETY_TIMEOUT, 'b') == 0);
    W_CHECK(w, sk_tcp4(&cli) == 0);
    W_CHECK(w, w->fail != 0 ||
                   (sk_settimeout(cli, SUP_SAFETY_TIMEOUT, 'b') == 0 &&
                    sk_connect(cli, "127.0.0.1", nm.port) == 0 &&
                    sk_accept(srv, &acc, NULL) == 0));
    W_CHECK(w, w->fail != 0 || sk_selector_new(&sel) == 0);
    W_CHECK(w, w->fail != 0 ||
                   (sk_selector_add(sel, acc, SK_READABLE) == 0 &&
                    sk_send(cli, "round\n", 6, 1, -1, NULL) == 0 &&
                    sk_selector_wait(sel, SUP_SAFETY_TIMEOUT, ready, ev, 2,
                                     &n) == 0 &&
                    n == 1 && ready[0] == acc &&
                    sk_settimeout(acc, SUP_SAFETY_TIMEOUT, 'b') == 0 &&
                    sk_receive(acc, &b, SK_LINE, 0) == 0 && b.len == 5 &&
                    memcmp(b.data, "round", 5) == 0));
    sk_buf_free(&b);
    sk_selector_free(sel);
    sk_free(acc);
    sk_free(cli);
    sk_free(srv);
    sk_timer_free(t);
    sk_loop_free(loop);
}

static void worker_main(void *arg)
{
    worker *w = (worker *)arg;
    while (w->round < ROUNDS && w->fail == 0) {
        w_round(w);
        if (w->fail == 0)
            w->round++;
    }
}

static void t_eight_own_objects(void **state)
{
    worker w[WORKERS];
    int i;
    (void)state;

    memset(w, 0, sizeof w);
    for (i = 0; i < WORKERS; i++)
        w[i].thread = sup_thread_start(worker_main, &w[i]);
    for (i = 0; i < WORKERS; i++)
        sup_thread_join(w[i].thread);
    for (i = 0; i < WORKERS; i++) {
        if (w[i].fail != 0)
            fail_msg("worker %d: check at test_stress.c:%d failed in "
                     "round %d", i, w[i].fail, w[i].round);
        assert_int_equal(w[i].round, ROUNDS);
        assert_int_equal(w[i].fired, ROUNDS);
        assert_int_equal(w[i].posted, ROUNDS);
    }
    print_message("workers: %d threads x %d rounds on their own objects\n",
                  WORKERS, ROUNDS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_post_wake_then_free),
        cmocka_unit_test(t_eight_own_objects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
