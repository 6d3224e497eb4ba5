/* SPDX-License-Identifier: MIT */
/*
 * conn_errors.c - TcpSocket's error table for sk_conn: the messages of
 * SK_CONN_ERRORS and the one mapping from sockit's SK_E* codes to it.
 */
#include "sockit_int.h"

SK_API const char *sk_conn_errstr(int error)
{
    switch (error) {
#define SK__CONNERRTEXT(name, value, text) \
    case name:                             \
        return text;
        SK_CONN_ERRORS(SK__CONNERRTEXT)
#undef SK__CONNERRTEXT
    default:
        return "unknown error";
    }
}

SK_API int sk_conn_errcode(int code)
{
    switch (code) {
    case SK_ECONNREFUSED:
        return SK_CONN_ERR_CONNECTION_REFUSED;
    case SK_ECLOSED:
    case SK_ECONNRESET:
        return SK_CONN_ERR_REMOTE_HOST_CLOSED;
    case SK_EHOSTNOTFOUND:
    case SK_ENOSERVICE:
        return SK_CONN_ERR_HOST_NOT_FOUND;
    case SK_ENORESOURCES:
        return SK_CONN_ERR_SOCKET_RESOURCE;
    case SK_ETIMEOUT:
        return SK_CONN_ERR_SOCKET_TIMEOUT;
    case SK_EMSGSIZE:
    case SK_ETRUNCATED:
        return SK_CONN_ERR_DATAGRAM_TOO_LARGE;
    case SK_ENETUNREACH:
    case SK_EHOSTUNREACH:
        return SK_CONN_ERR_NETWORK;
    case SK_EUNSUPPORTED:
    case SK_EFAMILY:
        return SK_CONN_ERR_UNSUPPORTED_OPERATION;
    case SK_EINPROGRESS:
        return SK_CONN_ERR_OPERATION_IN_PROGRESS;
    case SK_EWRONGROLE:
    case SK_EISCONN:
    case SK_ENOTCONN:
        return SK_CONN_ERR_WRONG_STATE;
    case SK_EWOULDBLOCK:
    case SK_ENAMETEMP:
        return SK_CONN_ERR_TEMPORARY;
    case SK_ETLSHANDSHAKE:
    case SK_ETLSEXPIRED:
    case SK_ETLSHOSTNAME:
    case SK_ETLSUNTRUSTED:
    case SK_ETLSSELFSIGNED:
    case SK_ETLSCERT:
        return SK_CONN_ERR_SSL_HANDSHAKE_FAILED;
    case SK_ETLSPROTOCOL:
    case SK_ETLSNOCLOSE:
        return SK_CONN_ERR_SSL_INTERNAL;
    case SK_ETLSBADCERT:
        return SK_CONN_ERR_SSL_INVALID_DATA;
    default:
        return SK_CONN_ERR_UNKNOWN;
    }
}
