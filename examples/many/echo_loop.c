/* SPDX-License-Identifier: MIT */
/*
 * echo_loop.c - many clients with sk_loop and sk_watch: a callback per
 * ready object, timers beside them, any number of loops (one per thread).
 * The loop picks epoll, kqueue, poll or select; a wait costs what is ready
 * on epoll and kqueue.  See many.h for the usage.
 */
#include "many.h"

struct app {
    sk_loop *loop;
    sk_sock *server;
    sk_watch *listening; /* the server's watch */
    sk_timer *pause;     /* listening again after running out of descriptors */
    int count, served;
};

struct client {
    struct app *app;
    sk_sock *s;
    sk_watch *w;
};

static void on_client(sk_watch *w, int events, void *ud)
{
    struct client *c = (struct client *)ud;
    (void)events;
    if (many_echo(c->s) == SK_OK)
        return;
    sk_watch_free(w);
    sk_free(c->s);
    if (++c->app->served == c->app->count)
        sk_loop_stop(c->app->loop);
    free(c);
}

static void on_resume(sk_timer *t, void *ud)
{
    struct app *app = (struct app *)ud;
    (void)t;
    sk_watch_set(app->listening, SK_READABLE);
}

static void on_server(sk_watch *w, int events, void *ud)
{
    struct app *app = (struct app *)ud;
    struct client *c;
    sk_sock *s = NULL;
    int r = sk_accept(app->server, &s, NULL);
    (void)events;
    if (r == SK_EWOULDBLOCK)
        return;
    if (r != SK_OK) { /* out of descriptors: stop listening for 0.1 s */
        sk_watch_set(w, 0);
        sk_timer_start(app->pause, 0.1, 0, on_resume, app);
        return;
    }
    if ((c = (struct client *)malloc(sizeof *c)) == NULL) {
        sk_free(s);
        return;
    }
    c->app = app;
    c->s = s;
    c->w = NULL;
    if (sk_watch_new(app->loop, s, on_client, c, &c->w) != SK_OK ||
        sk_watch_set(c->w, SK_READABLE) != SK_OK) {
        sk_watch_free(c->w);
        sk_free(s);
        free(c);
    }
}

int main(int argc, char **argv)
{
    struct app app = {NULL, NULL, NULL, NULL, 0, 0};
    int r;
    if ((r = many_listen(argc, argv, &app.server, &app.count)) == SK_OK &&
        (r = sk_loop_new(&app.loop)) == SK_OK &&
        (r = sk_timer_new(app.loop, &app.pause)) == SK_OK &&
        (r = sk_watch_new(app.loop, app.server, on_server, &app,
                          &app.listening)) == SK_OK &&
        (r = sk_watch_set(app.listening, SK_READABLE)) == SK_OK)
        r = sk_loop_run(app.loop, SK_RUN_DEFAULT); /* until sk_loop_stop */
    if (r != SK_OK)
        fprintf(stderr, "echo_loop: %s\n", sk_strerror(r));
    sk_loop_free(app.loop); /* and its timer and watches */
    sk_free(app.server);
    return r == SK_OK ? 0 : 1;
}
