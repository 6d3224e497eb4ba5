/* SPDX-License-Identifier: MIT */
/*
 * skcat_io.h - internal: the OS-specific copy loop of skcat.
 *
 * io_posix.c and io_win32.c each provide skcat_pump (only one of them
 * compiles to anything on a given OS); skcat.c provides skcat_progress.
 */
#ifndef SKCAT_IO_H
#define SKCAT_IO_H

#include <sockit.h>

#include <stdint.h>

struct skcat_opts {
    double idle;  /* -w: no data either way for this long -> exit 1; <0 off */
    double quit;  /* -q: after stdin's end, wait at most this long; <0 off */
    int verbose;  /* -v */
};

/* skcat_pump: copy stdin to the connected client c and c to stdout until
 * the peer closes (0), the -q wait after stdin's end runs out (0), or an
 * error or the idle timeout (1, reported on stderr).  Shuts down c's sending
 * side when stdin ends.  Leaves c open: the caller frees it.  Calls
 * skcat_progress about once a second when stderr is a terminal. */
int skcat_pump(sk_sock *c, const struct skcat_opts *o);

/* skcat_progress: one progress line (carriage return, no newline) with the
 * bytes copied so far; done != 0 ends the line.  Provided by skcat.c. */
void skcat_progress(uint64_t to_socket, uint64_t from_socket, double secs,
                    int done);

#endif /* SKCAT_IO_H */
