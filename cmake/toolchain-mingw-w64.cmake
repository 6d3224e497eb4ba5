# SPDX-License-Identifier: MIT
# CMake toolchain file: cross-compile for Windows with MinGW-w64 on Debian,
# 64-bit (x86_64-w64-mingw32, the default) or 32-bit (i686-w64-mingw32), and
# run the resulting .exe files (ctest, try_run) through Wine.
#
#   cmake -S . -B build/mingw \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-mingw-w64.cmake \
#         -DCMAKE_PREFIX_PATH=/path/to/mingw-cmocka
#
# Variables you may override on the command line (or in the environment):
#   MINGW_TRIPLE   compiler prefix            (default x86_64-w64-mingw32)
#   MINGW_SYSROOT  MinGW-w64 headers/libs root (default /usr/${MINGW_TRIPLE})
#   WINE_LOADER    emulator for CMAKE_CROSSCOMPILING_EMULATOR
#                  (default: Debian's 64-bit loader /usr/lib/wine/wine64 for
#                  x86_64, the 32-bit one /usr/lib/wine/wine of wine32:i386
#                  for i686)

set(CMAKE_SYSTEM_NAME Windows)

# try_compile() projects re-read this file; hand our settings on to them.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES MINGW_TRIPLE MINGW_SYSROOT WINE_LOADER)

if(NOT MINGW_TRIPLE)
  if(DEFINED ENV{MINGW_TRIPLE})
    set(MINGW_TRIPLE "$ENV{MINGW_TRIPLE}")
  else()
    set(MINGW_TRIPLE x86_64-w64-mingw32)
  endif()
endif()
if(NOT MINGW_SYSROOT)
  set(MINGW_SYSROOT "/usr/${MINGW_TRIPLE}")
endif()
if(MINGW_TRIPLE MATCHES "^i[3-6]86-")
  set(CMAKE_SYSTEM_PROCESSOR x86)
  set(sockit_wine_default /usr/lib/wine/wine)   # Debian's wine32:i386
  set(sockit_wine_names wine)
else()
  set(CMAKE_SYSTEM_PROCESSOR x86_64)
  set(sockit_wine_default /usr/lib/wine/wine64) # Debian's wine64
  set(sockit_wine_names wine64 wine)
endif()

set(CMAKE_C_COMPILER   ${MINGW_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${MINGW_TRIPLE}-g++)
set(CMAKE_RC_COMPILER  ${MINGW_TRIPLE}-windres)
# Plain (not gcc-) ar/ranlib: no LTO here, and these always exist.
set(CMAKE_AR           ${MINGW_TRIPLE}-ar     CACHE FILEPATH "MinGW ar")
set(CMAKE_RANLIB       ${MINGW_TRIPLE}-ranlib CACHE FILEPATH "MinGW ranlib")

# Look for headers, libraries and CMake packages only in the MinGW sysroot and
# in the prefixes given with -DCMAKE_PREFIX_PATH=... (e.g. the MinGW CMocka
# built by ci/build-cmocka.sh), never in the host's /usr: Debian's
# /usr/include/cmocka.h and /usr/lib/x86_64-linux-gnu would otherwise be
# found.  Each prefix is also made a find root, so CMake searches it as is
# instead of re-rooting it under the sysroot.  Programs come from the host.
set(CMAKE_FIND_ROOT_PATH "${MINGW_SYSROOT}")
if(CMAKE_PREFIX_PATH)
  list(APPEND CMAKE_FIND_ROOT_PATH ${CMAKE_PREFIX_PATH})
endif()
list(REMOVE_DUPLICATES CMAKE_FIND_ROOT_PATH)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# No libgcc_s_seh-1.dll / libgcc_s_dw2-1.dll (or libwinpthread) needed next
# to the test programs.
set(CMAKE_EXE_LINKER_FLAGS_INIT    "-static-libgcc")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static-libgcc")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-static-libgcc")

# Run cross-compiled programs with Wine (ctest prepends this to every test
# command whose executable is a target built in this project).
if(NOT WINE_LOADER)
  if(DEFINED ENV{WINE_LOADER})
    set(WINE_LOADER "$ENV{WINE_LOADER}")
  elseif(EXISTS ${sockit_wine_default})
    set(WINE_LOADER ${sockit_wine_default})
  else()
    find_program(WINE_LOADER NAMES ${sockit_wine_names})
  endif()
endif()
if(WINE_LOADER)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${WINE_LOADER}")
endif()
