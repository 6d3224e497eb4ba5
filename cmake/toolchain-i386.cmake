# SPDX-License-Identifier: MIT
# CMake toolchain file: 32-bit x86 (i386) with the host's gcc -m32 on an
# x86_64 Debian, programs run natively (the kernel runs 32-bit programs, so
# this is not a cross build: no emulator, ctest runs the tests as they are).
#
#   cmake -S . -B build/i386 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-i386.cmake \
#         -DCMAKE_PREFIX_PATH=/path/to/i386-cmocka
#
# Needs lib32gcc-12-dev and libc6-dev-i386 (Debian's gcc-multilib would do,
# but it conflicts with the gcc-*-linux-gnu cross compilers other lanes
# install).  Without gcc-multilib nothing provides /usr/include/asm, which
# glibc's headers reach for (<asm/socket.h>...): this file then makes an
# include directory whose asm links to the x86_64 one (the same headers;
# they choose by __i386__), as gcc-multilib's own /usr/include/asm does.
#   SOCKIT_I386_INCLUDE  that directory (default <build dir>/i386-include)
# The flags below are CMake's initial ones: a -DCMAKE_C_FLAGS=... given on
# the command line replaces them, so it must say -m32 (and the -idirafter)
# itself.

list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES SOCKIT_I386_INCLUDE)

set(CMAKE_C_COMPILER gcc)
set(CMAKE_CXX_COMPILER g++)
set(sockit_i386_flags "-m32")

if(NOT EXISTS /usr/include/asm AND NOT EXISTS /usr/include/i386-linux-gnu/asm
   AND EXISTS /usr/include/x86_64-linux-gnu/asm)
  if(NOT SOCKIT_I386_INCLUDE)
    set(SOCKIT_I386_INCLUDE "${CMAKE_BINARY_DIR}/i386-include")
  endif()
  if(NOT EXISTS "${SOCKIT_I386_INCLUDE}/asm")
    file(MAKE_DIRECTORY "${SOCKIT_I386_INCLUDE}")
    file(CREATE_LINK /usr/include/x86_64-linux-gnu/asm
         "${SOCKIT_I386_INCLUDE}/asm" SYMBOLIC)
  endif()
  # -idirafter: searched after the system directories, like /usr/include/asm.
  string(APPEND sockit_i386_flags " -idirafter ${SOCKIT_I386_INCLUDE}")
endif()

set(CMAKE_C_FLAGS_INIT "${sockit_i386_flags}")
set(CMAKE_CXX_FLAGS_INIT "${sockit_i386_flags}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-m32")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-m32")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-m32")
