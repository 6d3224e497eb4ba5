/* SPDX-License-Identifier: MIT */
/*
 * errors.c (POSIX) - the one table from errno and EAI_* codes to SK_E*.
 */
#include "posix_int.h"

#if SK_OS_POSIX
int sk__posix_err(int e)
{
    switch (e) {
    case 0:
        return SK_ESYSTEM;
    case EPIPE:
    case ESHUTDOWN:
        return SK_ECLOSED;
    case ETIMEDOUT:
        return SK_ETIMEOUT;
    case ECONNREFUSED:
        return SK_ECONNREFUSED;
    case ECONNRESET:
    case ECONNABORTED:
        return SK_ECONNRESET;
    case EADDRINUSE:
        return SK_EADDRINUSE;
    case EADDRNOTAVAIL:
        return SK_EADDRNOTAVAIL;
    case ENETUNREACH:
    case ENETDOWN:
        return SK_ENETUNREACH;
    case EHOSTUNREACH:
    case EHOSTDOWN:
        return SK_EHOSTUNREACH;
    case EINVAL:
    case EBADF:
    case ENOTSOCK:
    case EFAULT:
        return SK_EINVAL;
    case ENOPROTOOPT:
    case EOPNOTSUPP:
    case EPROTONOSUPPORT:
        return SK_EUNSUPPORTED;
    case EMFILE:
    case ENFILE:
    case ENOBUFS:
    case ENOMEM:
        return SK_ENORESOURCES;
    case EAGAIN:
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK:
#endif
    case EINTR:
        return SK_EWOULDBLOCK;
    case EINPROGRESS:
    case EALREADY:
        return SK_EINPROGRESS;
    case EACCES:
    case EPERM:
        return SK_EACCESS;
    case EAFNOSUPPORT:
    case EPFNOSUPPORT:
        return SK_EFAMILY;
    case EISCONN:
        return SK_EISCONN;
    case ENOTCONN:
        return SK_ENOTCONN;
    case EMSGSIZE:
        return SK_EMSGSIZE;
    case ENOENT:
    case ENOTDIR:
        /* from sockets only for UNIX-domain paths: a bind in a directory
         * that does not exist, a connect to a path that names nothing */
        return SK_EHOSTNOTFOUND;
    default:
        return SK_ESYSTEM;
    }
}

int sk__posix_eai(int e)
{
    switch (e) {
    case EAI_NONAME:
#if defined(EAI_NODATA) && EAI_NODATA != EAI_NONAME
    case EAI_NODATA:
#endif
#if defined(EAI_ADDRFAMILY)
    case EAI_ADDRFAMILY:
#endif
        return SK_EHOSTNOTFOUND;
    case EAI_AGAIN:
        return SK_ENAMETEMP;
    case EAI_FAMILY:
        return SK_EFAMILY;
    case EAI_MEMORY:
        return SK_ENORESOURCES;
    case EAI_SERVICE:
        return SK_ENOSERVICE;
    case EAI_BADFLAGS:
        return SK_EINVAL;
    case EAI_SYSTEM:
        return sk__posix_err(errno);
    default:
        return SK_EHOSTNOTFOUND;
    }
}

int sk__posix_fail(int *sys)
{
    int e = errno;
    if (sys != NULL)
        *sys = e;
    return sk__posix_err(e);
}
#endif
