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
# The package's compatibility rule (README, "Versions"): while the version
# is 0.x an incompatible change may come with any 0.MINOR, so
# find_package(sockit 0.4) accepts 0.4.x only (not 0.3, not 0.5); from 1.0
# it accepts any later release of the same MAJOR.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(sockit_compatibility SameMinorVersion)
else()
  set(sockit_compatibility SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/sockitConfigVersion.cmake
  COMPATIBILITY ${sockit_compatibility})
install(FILES ${PROJECT_BINARY_DIR}/sockitConfig.cmake
              ${PROJECT_BINARY_DIR}/sockitConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/sockit)

# Libs.private and Requires.private: what a static link needs (the lists
# CMakeLists.txt builds beside SOCKIT_LINK_LIBS).
string(REPLACE ";" " " SOCKIT_PC_LIBS_PRIVATE "${SOCKIT_PC_LIBS}")
string(REPLACE ";" ", " SOCKIT_PC_REQUIRES_PRIVATE "${SOCKIT_PC_REQUIRES}")
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
