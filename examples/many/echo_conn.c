/* SPDX-License-Identifier: MIT */
/*
 * echo_conn.c - many clients with sk_server and sk_conn: connections with
 * handlers on an sk_loop.  Writes are queued (never lost, never waiting),
 * accepting pauses by itself when descriptors run out, and the same
 * sk_conn connects out (host lookup off the loop, Happy Eyeballs).  Usage
 * as the other three (many.h), whose helpers it does not need.
 */
#include <sockit.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct app {
    sk_loop *loop;
    sk_buf line; /* one line at a time, reused */
    int count, served;
};

static void on_read(sk_conn *c, size_t available, void *ud)
{
    struct app *app = (struct app *)ud;
    (void)available;
    app->line.len = 0;
    while (sk_conn_read_line(c, &app->line) == SK_OK) {
        sk_conn_write(c, app->line.data, app->line.len); /* copied, queued */
        sk_conn_write(c, "\n", 1);
        app->line.len = 0;
    }
}

static void on_disconnected(sk_conn *c, void *ud)
{
    struct app *app = (struct app *)ud;
    sk_conn_free(c);
    if (++app->served == app->count)
        sk_loop_stop(app->loop);
}

static void on_accept(sk_server *srv, sk_conn *c, void *ud)
{
    sk_conn_handlers h = {.ready_read = on_read,
                          .disconnected = on_disconnected}; /* rest NULL */
    (void)srv;
    sk_conn_sethandlers(c, &h, ud);
}

int main(int argc, char **argv)
{
    struct app app = {NULL, {NULL, 0, 0}, 0, 0};
    sk_server *srv = NULL;
    sk_sock *s = NULL;
    sk_name name;
    int port = argc > 1 ? atoi(argv[1]) : 0, r;

    app.count = argc > 2 ? atoi(argv[2]) : 0;
    if ((r = sk_loop_new(&app.loop)) == SK_OK &&
        (r = sk_server_new(app.loop, &srv)) == SK_OK &&
        (r = sk_server_listen(srv, "127.0.0.1", port, 128, on_accept,
                              &app)) == SK_OK &&
        (r = sk_server_sock(srv, &s)) == SK_OK &&
        (r = sk_getsockname(s, &name)) == SK_OK) {
        printf("listening on %s %d\n", name.addr, name.port);
        fflush(stdout);
        r = sk_loop_run(app.loop, SK_RUN_DEFAULT); /* until sk_loop_stop */
    }
    if (r != SK_OK)
        fprintf(stderr, "echo_conn: %s\n", sk_strerror(r));
    sk_server_free(srv);
    sk_loop_free(app.loop);
    sk_buf_free(&app.line);
    return r == SK_OK ? 0 : 1;
}
