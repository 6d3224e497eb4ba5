/*
 * addr.c - what a host (or path) and port name for one object: the list of
 * native addresses that bind, connect and the datagram calls try in order.
 */
#include "sockit_int.h"

int sk__addrs_for(sk_sock *s, const char *host, int port, int family,
                  int passive, sk__addr **list, size_t *count)
{
    return sk__plat_resolve(host, port, family, passive, list, count,
                            &s->sys);
}
