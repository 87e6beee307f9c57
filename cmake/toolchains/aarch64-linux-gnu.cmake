# SPDX-License-Identifier: MIT
# 64-bit Arm (Raspberry Pi 3/4/5 with a 64-bit OS): Debian's
# gcc-aarch64-linux-gnu, tests under qemu-aarch64-static. See debian-cross.cmake.
set(EVGW_CROSS_TRIPLET aarch64-linux-gnu)
set(EVGW_CROSS_PROCESSOR aarch64)
set(EVGW_CROSS_QEMU qemu-aarch64-static)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
