// SPDX-License-Identifier: MIT
#include <stddef.h>

#include "alloc_count.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);

/* One counter per process; the benches are single-threaded. */
static unsigned long long alloc_count;

void *__wrap_malloc(size_t n)
{
	alloc_count++;
	return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
	alloc_count++;
	return __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
	alloc_count++;
	return __real_realloc(p, n);
}

unsigned long long alloc_count_get(void)
{
	return alloc_count;
}
