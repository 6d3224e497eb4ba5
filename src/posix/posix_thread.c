/* SPDX-License-Identifier: MIT */
/*
 * thread.c (POSIX) - detached worker threads (pthreads) for host lookups,
 * started with every signal blocked.
 */
#include "posix_int.h"

#if SK_OS_POSIX
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

typedef struct sk__posix_start {
    sk__thread_fn fn;
    void *arg;
} sk__posix_start;

static void *sk__posix_thread_main(void *p)
{
    sk__posix_start st = *(sk__posix_start *)p;
    sk__free(p);
    st.fn(st.arg);
    return NULL;
}

int sk__plat_thread_start(sk__thread_fn fn, void *arg, int *sys)
{
    pthread_attr_t attr;
    pthread_t tid;
    sigset_t all, old;
    sk__posix_start *st;
    int e;
    st = (sk__posix_start *)sk__malloc(sizeof *st);
    if (st == NULL)
        return SK_ENORESOURCES;
    st->fn = fn;
    st->arg = arg;
    e = pthread_attr_init(&attr);
    if (e == 0) {
        e = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (e == 0) {
            /* The new thread inherits this mask; ours is put back. */
            sigfillset(&all);
            pthread_sigmask(SIG_SETMASK, &all, &old);
            e = pthread_create(&tid, &attr, sk__posix_thread_main, st);
            pthread_sigmask(SIG_SETMASK, &old, NULL);
        }
        pthread_attr_destroy(&attr);
    }
    if (e != 0) {
        sk__free(st);
        if (sys != NULL)
            *sys = e;
        return e == EAGAIN || e == ENOMEM ? SK_ENORESOURCES
                                          : sk__posix_err(e);
    }
    return 0;
}
#endif
