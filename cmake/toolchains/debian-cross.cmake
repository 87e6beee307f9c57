# SPDX-License-Identifier: MIT
# Shared part of the Debian cross toolchains (aarch64-linux-gnu.cmake,
# arm-linux-gnueabihf.cmake set EVGW_CROSS_TRIPLET, _PROCESSOR and _QEMU).
#
# The compiler is Debian's gcc-<triplet> with its libc6-dev-<arch>-cross.
# The libraries come either from multiarch packages (libjson-c-dev:arm64 ...,
# installed under /usr/lib/<triplet>: leave EVGW_CROSS_SYSROOT empty) or from
# a sysroot unpacked by tests/cross/sysroot.sh (-DEVGW_CROSS_SYSROOT=DIR).
# Test programs run under qemu-user, with no binfmt registration needed.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${EVGW_CROSS_PROCESSOR})
set(CMAKE_C_COMPILER ${EVGW_CROSS_TRIPLET}-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE ${EVGW_CROSS_TRIPLET})

if(NOT DEFINED EVGW_CROSS_SYSROOT AND DEFINED ENV{EVGW_CROSS_SYSROOT})
  set(EVGW_CROSS_SYSROOT "$ENV{EVGW_CROSS_SYSROOT}")
endif()
set(EVGW_CROSS_SYSROOT "${EVGW_CROSS_SYSROOT}" CACHE PATH
    "Unpacked target libraries (tests/cross/sysroot.sh); empty = multiarch packages")
# try_compile projects re-read this file: hand them the sysroot too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES EVGW_CROSS_SYSROOT)

set(_root "${EVGW_CROSS_SYSROOT}")
set(_libdirs "${_root}/usr/lib/${EVGW_CROSS_TRIPLET}" "${_root}/lib/${EVGW_CROSS_TRIPLET}")

# pkg-config reads only the target's .pc files.
set(ENV{PKG_CONFIG_LIBDIR} "${_root}/usr/lib/${EVGW_CROSS_TRIPLET}/pkgconfig:${_root}/usr/share/pkgconfig")
if(_root)
  set(ENV{PKG_CONFIG_SYSROOT_DIR} "${_root}")
  # Headers that pkg-config leaves implicit (<sqlite3.h>, <cmocka.h>, ...).
  set(CMAKE_C_FLAGS_INIT "-isystem ${_root}/usr/include")
  string(REPLACE ";" ":" _rpath_link "${_libdirs}")
  set(CMAKE_EXE_LINKER_FLAGS_INIT
      "-L${_root}/usr/lib/${EVGW_CROSS_TRIPLET} -Wl,-rpath-link,${_rpath_link}")
  set(CMAKE_FIND_ROOT_PATH "${_root}")
  set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
  set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
endif()
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)

# qemu-user: -L for the C library and the dynamic loader, LD_LIBRARY_PATH for
# the other libraries (a sysroot's, or multiarch ones under /usr/lib/<triplet>).
string(REPLACE ";" ":" _ld_path "${_libdirs}")
find_program(EVGW_CROSS_QEMU_PATH ${EVGW_CROSS_QEMU})
if(EVGW_CROSS_QEMU_PATH)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${EVGW_CROSS_QEMU_PATH} -L /usr/${EVGW_CROSS_TRIPLET}
      -E LD_LIBRARY_PATH=${_ld_path})
endif()
