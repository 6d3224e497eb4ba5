/* SPDX-License-Identifier: MIT */
/*
 * errors.c - sk_strerror and sk_errname, both made from the one SK_ERRORS
 * table in sockit.h.
 */
#include "sockit_int.h"

SK_API const char *sk_strerror(int code)
{
    switch (code) {
    case SK_OK:
        return "ok";
#define SK__ERRTEXT(name, value, text) \
    case name:                         \
        return text;
        SK_ERRORS(SK__ERRTEXT)
#undef SK__ERRTEXT
    default:
        return "unknown error";
    }
}

SK_API const char *sk_errname(int code)
{
    switch (code) {
    case SK_OK:
        return "SK_OK";
#define SK__ERRNAME(name, value, text) \
    case name:                         \
        return #name;
        SK_ERRORS(SK__ERRNAME)
#undef SK__ERRNAME
    default:
        return "SK_EUNKNOWN";
    }
}
