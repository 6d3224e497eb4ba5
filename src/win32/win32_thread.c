/* SPDX-License-Identifier: MIT */
/*
 * thread.c (Win32) - detached worker threads for host lookups: CreateThread
 * and an at-once CloseHandle.
 */
#include "../plat.h"

#if SK_OS_WIN32

#include "win32_int.h"

#include <stdlib.h>

typedef struct sk__win_start {
    sk__thread_fn fn;
    void *arg;
} sk__win_start;

static DWORD WINAPI sk__win_thread_main(LPVOID p)
{
    sk__win_start st = *(sk__win_start *)p;
    sk__free(p);
    st.fn(st.arg);
    return 0;
}

int sk__plat_thread_start(sk__thread_fn fn, void *arg, int *sys)
{
    sk__win_start *st = (sk__win_start *)sk__malloc(sizeof *st);
    HANDLE h;
    if (st == NULL)
        return SK_ENORESOURCES;
    st->fn = fn;
    st->arg = arg;
    h = CreateThread(NULL, 0, sk__win_thread_main, st, 0, NULL);
    if (h == NULL) {
        DWORD e = GetLastError();
        sk__free(st);
        if (sys != NULL)
            *sys = (int)e;
        return e == ERROR_NOT_ENOUGH_MEMORY || e == ERROR_OUTOFMEMORY
                   ? SK_ENORESOURCES
                   : sk__win_fail((int)e, sys);
    }
    CloseHandle(h); /* detached: the thread runs on by itself */
    return 0;
}
#endif
