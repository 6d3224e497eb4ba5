/* SPDX-License-Identifier: MIT */
/*
 * errors.c - the Windows backend's one error table: WSA* codes from
 * WSAGetLastError, ERROR_* codes from GetLastError and the resolver's EAI_*
 * values (which Winsock defines as WSA codes) to sockit's SK_E* codes.
 * Situations that a code means differently in one call (a reset seen by
 * send, a vanished client seen by accept) are decided at that call.
 */
#include "../plat.h"

#if SK_OS_WIN32

#include "win32_int.h"

struct sk__win_map {
    int os;
    int sk;
};

/* Winsock never sets errno, and <errno.h>'s E* values are not the WSAE*
 * ones, so everything is keyed on the Windows values.  EAI_NONAME is
 * WSAHOST_NOT_FOUND, EAI_AGAIN is WSATRY_AGAIN, EAI_FAIL is WSANO_RECOVERY,
 * EAI_MEMORY is WSA_NOT_ENOUGH_MEMORY (ERROR_NOT_ENOUGH_MEMORY), EAI_FAMILY
 * is WSAEAFNOSUPPORT, EAI_BADFLAGS is WSAEINVAL: listed once, by WSA name. */
static const struct sk__win_map sk__win_table[] = {
    /* connection outcomes */
    {WSAECONNREFUSED, SK_ECONNREFUSED},
    {WSAECONNRESET, SK_ECONNRESET},
    {WSAECONNABORTED, SK_ECONNRESET},
    {WSAENETRESET, SK_ECONNRESET},
    {WSAEDISCON, SK_ECLOSED},
    {WSAESHUTDOWN, SK_ECLOSED},
    {WSAETIMEDOUT, SK_ETIMEOUT},
    {WSAENETUNREACH, SK_ENETUNREACH},
    {WSAENETDOWN, SK_ENETUNREACH},
    {WSAEHOSTUNREACH, SK_EHOSTUNREACH},
    {WSAEHOSTDOWN, SK_EHOSTUNREACH},
    {WSAEISCONN, SK_EISCONN},
    {WSAENOTCONN, SK_ENOTCONN},
    /* non-blocking progress; WSAEINTR only comes from a cancelled blocking
     * call, which the contract reports as "interrupted, try again" */
    {WSAEWOULDBLOCK, SK_EWOULDBLOCK},
    {WSAEINTR, SK_EWOULDBLOCK},
    {WSAEINPROGRESS, SK_EINPROGRESS},
    {WSAEALREADY, SK_EINPROGRESS},
    /* addresses */
    {WSAEADDRINUSE, SK_EADDRINUSE},
    {WSAEADDRNOTAVAIL, SK_EADDRNOTAVAIL},
    {WSAEAFNOSUPPORT, SK_EFAMILY},
    {WSAEPFNOSUPPORT, SK_EFAMILY},
    {WSAEACCES, SK_EACCESS},
    /* resources */
    {WSAEMFILE, SK_ENORESOURCES},
    {WSAENOBUFS, SK_ENORESOURCES},
    {WSA_NOT_ENOUGH_MEMORY, SK_ENORESOURCES},
    {WSAEPROCLIM, SK_ENORESOURCES},
    {ERROR_OUTOFMEMORY, SK_ENORESOURCES},
    {ERROR_TOO_MANY_OPEN_FILES, SK_ENORESOURCES},
    {ERROR_NO_SYSTEM_RESOURCES, SK_ENORESOURCES},
    /* arguments and options */
    {WSAEINVAL, SK_EINVAL},
    {WSAEFAULT, SK_EINVAL},
    {WSAEDESTADDRREQ, SK_EINVAL},
    {WSAENOTSOCK, SK_EINVAL},
    {WSAEBADF, SK_EINVAL},
    {ERROR_INVALID_HANDLE, SK_EINVAL},
    {ERROR_INVALID_PARAMETER, SK_EINVAL},
    {WSAENOPROTOOPT, SK_EUNSUPPORTED},
    {WSAEOPNOTSUPP, SK_EUNSUPPORTED},
    {WSAEPROTONOSUPPORT, SK_EUNSUPPORTED},
    {WSAESOCKTNOSUPPORT, SK_EUNSUPPORTED},
    /* name resolution */
    {WSAHOST_NOT_FOUND, SK_EHOSTNOTFOUND},
    {WSANO_DATA, SK_EHOSTNOTFOUND},
    {WSANO_RECOVERY, SK_EHOSTNOTFOUND},
    {WSATRY_AGAIN, SK_ENAMETEMP},
    {WSATYPE_NOT_FOUND, SK_ENOSERVICE},
    /* Wine 8 passes glibc's EAI_ADDRFAMILY (-9: the host has no address
     * in the family asked, e.g. "::1" for IPv4) through unchanged; no
     * Windows code is negative, so the value cannot mean anything else */
    {-9, SK_EHOSTNOTFOUND},
    /* datagrams */
    {WSAEMSGSIZE, SK_EMSGSIZE},
    /* the same outcomes as ERROR_* codes (overlapped results, handles) */
    {ERROR_CONNECTION_REFUSED, SK_ECONNREFUSED},
    {ERROR_NETNAME_DELETED, SK_ECONNRESET},
    {ERROR_CONNECTION_ABORTED, SK_ECONNRESET},
    {ERROR_NETWORK_UNREACHABLE, SK_ENETUNREACH},
    {ERROR_HOST_UNREACHABLE, SK_EHOSTUNREACH},
    {ERROR_SEM_TIMEOUT, SK_ETIMEOUT},
    {ERROR_ACCESS_DENIED, SK_EACCESS},
    /* UNIX-domain paths: a missing directory or socket file */
    {ERROR_FILE_NOT_FOUND, SK_EHOSTNOTFOUND},
    {ERROR_PATH_NOT_FOUND, SK_EHOSTNOTFOUND},
};

int sk__win_code(int oscode) {
    size_t i;
    if (oscode == 0)
        return 0;
    for (i = 0; i < sizeof sk__win_table / sizeof sk__win_table[0]; i++)
        if (sk__win_table[i].os == oscode)
            return sk__win_table[i].sk;
    return SK_ESYSTEM;
}

int sk__win_fail(int oscode, int *sys) {
    if (sys != NULL)
        *sys = oscode;
    /* A failure with no code recorded is still a failure. */
    return oscode == 0 ? SK_ESYSTEM : sk__win_code(oscode);
}

#endif /* SK_OS_WIN32 */
