# SPDX-License-Identifier: MIT
# 32-bit Arm hard-float (Raspberry Pi 2/3/Zero 2 W with the 32-bit OS):
# Debian's gcc-arm-linux-gnueabihf, tests under qemu-arm-static. The project
# already builds with _TIME_BITS=64 and _FILE_OFFSET_BITS=64 (CMakeLists.txt),
# so time_t and off_t are 64-bit here too. See debian-cross.cmake.
set(EVGW_CROSS_TRIPLET arm-linux-gnueabihf)
set(EVGW_CROSS_PROCESSOR armv7l)
set(EVGW_CROSS_QEMU qemu-arm-static)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
