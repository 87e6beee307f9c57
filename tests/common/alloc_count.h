// SPDX-License-Identifier: MIT
/* Heap calls counted through the linker's --wrap=malloc,calloc,realloc
 * (see tests/CMakeLists.txt): the benches report allocations per frame. */
#ifndef EVGW_TESTS_ALLOC_COUNT_H
#define EVGW_TESTS_ALLOC_COUNT_H

unsigned long long alloc_count_get(void);

#endif
