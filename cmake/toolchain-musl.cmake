# SPDX-License-Identifier: MIT
# CMake toolchain file: the musl C library through Debian's musl-gcc
# wrapper (package musl-tools), every program linked statically, run
# natively (same CPU and kernel: not a cross build).
#
#   cmake -S . -B build/musl -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-musl.cmake \
#         -DCMAKE_PREFIX_PATH=/path/to/musl-cmocka
#
# musl-gcc puts musl's headers and libraries in place of glibc's; a library
# found elsewhere (the host's glibc libcmocka) could not link, so the prefix
# given must hold a CMocka built with this same file (ci/build-cmocka.sh).

set(CMAKE_C_COMPILER musl-gcc)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
# Static archives only: there is no musl build of anything in /usr/lib.
set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
