# SPDX-License-Identifier: MIT
# Install rules: the library, its header, a CMake config package
# (find_package(sockit CONFIG) gives sockit::sockit) and a pkg-config file.
include(CMakePackageConfigHelpers)

install(TARGETS sockit EXPORT sockitTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/include/sockit.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# The license travels with every installed copy (share/doc/sockit/LICENSE).
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE
  DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/sockit)
install(EXPORT sockitTargets NAMESPACE sockit::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/sockit)

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/sockitConfig.cmake.in
  ${PROJECT_BINARY_DIR}/sockitConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/sockit)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/sockitConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/sockitConfig.cmake
              ${PROJECT_BINARY_DIR}/sockitConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/sockit)

if(WIN32)
  set(SOCKIT_PC_LIBS_PRIVATE "-lws2_32")
else()
  # pthreads for the event loop: empty where the C library has them.
  set(SOCKIT_PC_LIBS_PRIVATE "${CMAKE_THREAD_LIBS_INIT}")
endif()
# TLS: OpenSSL's own pkg-config names (libssl, libcrypto).
if(SOCKIT_TLS_PROVIDER STREQUAL "OPENSSL")
  set(SOCKIT_PC_REQUIRES_PRIVATE "libssl libcrypto")
else()
  set(SOCKIT_PC_REQUIRES_PRIVATE "")
endif()
if(sockit_type STREQUAL "SHARED_LIBRARY")
  set(SOCKIT_PC_CFLAGS "-DSOCKIT_SHARED")
else()
  set(SOCKIT_PC_CFLAGS "")
endif()
# sockit.pc locates itself (${pcfiledir}), so `cmake --install --prefix X`
# after configuring still gives correct paths; absolute dirs are kept.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(SOCKIT_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH sockit_pc_up "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
  string(REGEX REPLACE "/$" "" sockit_pc_up "${sockit_pc_up}")
  set(SOCKIT_PC_PREFIX "\${pcfiledir}/${sockit_pc_up}")
endif()
foreach(sockit_dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${sockit_dir}}")
    set(SOCKIT_PC_${sockit_dir} "${CMAKE_INSTALL_${sockit_dir}}")
  else()
    set(SOCKIT_PC_${sockit_dir} "\${prefix}/${CMAKE_INSTALL_${sockit_dir}}")
  endif()
endforeach()
configure_file(${CMAKE_CURRENT_LIST_DIR}/sockit.pc.in
  ${PROJECT_BINARY_DIR}/sockit.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/sockit.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
