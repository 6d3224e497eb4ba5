# SPDX-License-Identifier: MIT
# CMake toolchain file: cross-compile for another Linux architecture with
# Debian's gcc-TRIPLE cross compiler and libc6-dev-ARCH-cross, and run the
# programs (ctest, try_run) under qemu-user.
#
#   cmake -S . -B build/s390x \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-linux-cross.cmake \
#         -DCROSS_TRIPLE=s390x-linux-gnu -DCMAKE_PREFIX_PATH=/path/to/cmocka
#
# Variables you may override on the command line (or in the environment):
#   CROSS_TRIPLE    compiler prefix       (default s390x-linux-gnu)
#   CROSS_SYSROOT   the target's libc     (default /usr/${CROSS_TRIPLE})
#   CROSS_EMULATOR  emulator command (a CMake list)
#                   (default qemu-ARCH -L ${CROSS_SYSROOT}: qemu-user finds
#                   the target's dynamic loader and libraries there)

set(CMAKE_SYSTEM_NAME Linux)

list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES CROSS_TRIPLE CROSS_SYSROOT CROSS_EMULATOR)

if(NOT CROSS_TRIPLE)
  if(DEFINED ENV{CROSS_TRIPLE})
    set(CROSS_TRIPLE "$ENV{CROSS_TRIPLE}")
  else()
    set(CROSS_TRIPLE s390x-linux-gnu)
  endif()
endif()
if(NOT CROSS_SYSROOT)
  set(CROSS_SYSROOT "/usr/${CROSS_TRIPLE}")
endif()
string(REGEX MATCH "^[^-]+" CMAKE_SYSTEM_PROCESSOR "${CROSS_TRIPLE}")

set(CMAKE_C_COMPILER   ${CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${CROSS_TRIPLE}-g++)
set(CMAKE_AR           ${CROSS_TRIPLE}-ar     CACHE FILEPATH "cross ar")
set(CMAKE_RANLIB       ${CROSS_TRIPLE}-ranlib CACHE FILEPATH "cross ranlib")

# Headers, libraries and packages only from the target's libc and the
# prefixes given with -DCMAKE_PREFIX_PATH (a cross-built CMocka), never the
# host's /usr; programs from the host.
set(CMAKE_FIND_ROOT_PATH "${CROSS_SYSROOT}")
if(CMAKE_PREFIX_PATH)
  list(APPEND CMAKE_FIND_ROOT_PATH ${CMAKE_PREFIX_PATH})
endif()
list(REMOVE_DUPLICATES CMAKE_FIND_ROOT_PATH)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

if(NOT CROSS_EMULATOR AND DEFINED ENV{CROSS_EMULATOR})
  set(CROSS_EMULATOR "$ENV{CROSS_EMULATOR}")
endif()
if(NOT CROSS_EMULATOR)
  find_program(sockit_qemu NAMES qemu-${CMAKE_SYSTEM_PROCESSOR}
                                 qemu-${CMAKE_SYSTEM_PROCESSOR}-static)
  if(sockit_qemu)
    set(CROSS_EMULATOR "${sockit_qemu};-L;${CROSS_SYSROOT}")
  endif()
endif()
if(CROSS_EMULATOR)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${CROSS_EMULATOR}")
endif()
