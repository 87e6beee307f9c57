// SPDX-License-Identifier: MIT
#include "util/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct evgw_arena_block {
	struct evgw_arena_block *next;
	size_t size; /* usable bytes after the header */
	size_t pos;
	max_align_t data[];
};

#define ARENA_MIN_BLOCK 4096u

static size_t align8(size_t n)
{
	return (n + 7u) & ~(size_t)7u;
}

void evgw_arena_init(struct evgw_arena *a, size_t block_size)
{
	memset(a, 0, sizeof *a);
	a->block_size = block_size < ARENA_MIN_BLOCK ? ARENA_MIN_BLOCK : align8(block_size);
}

void evgw_arena_free(struct evgw_arena *a)
{
	struct evgw_arena_block *b = a->head;
	while (b) {
		struct evgw_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->last = NULL;
	a->used = a->reserved = 0;
}

static struct evgw_arena_block *arena_new_block(struct evgw_arena *a, size_t need)
{
	size_t size = a->block_size;
	if (size < need)
		size = need;
	struct evgw_arena_block *b = malloc(sizeof *b + size);
	if (!b)
		return NULL;
	b->size = size;
	b->pos = 0;
	b->next = a->head;
	a->head = b;
	a->reserved += sizeof *b + size;
	return b;
}

void *evgw_arena_alloc(struct evgw_arena *a, size_t size)
{
	if (size > SIZE_MAX / 2)
		return NULL;
	size = align8(size ? size : 1);
	struct evgw_arena_block *b = a->head;
	if (!b || b->size - b->pos < size) {
		b = arena_new_block(a, size);
		if (!b)
			return NULL;
	}
	char *p = (char *)b->data + b->pos;
	b->pos += size;
	a->used += size;
	memset(p, 0, size);
	a->last = p;
	a->last_size = size;
	return p;
}

void *evgw_arena_extend(struct evgw_arena *a, void *p, size_t new_size)
{
	if (!p)
		return evgw_arena_alloc(a, new_size);
	if (p != a->last || new_size > SIZE_MAX / 2)
		return NULL;
	new_size = align8(new_size);
	if (new_size <= a->last_size)
		return p;
	struct evgw_arena_block *b = a->head;
	size_t grow = new_size - a->last_size;
	if (b->size - b->pos >= grow) {
		memset((char *)b->data + b->pos, 0, grow);
		b->pos += grow;
		a->used += grow;
		a->last_size = new_size;
		return p;
	}
	size_t old_size = a->last_size;
	void *q = evgw_arena_alloc(a, new_size);
	if (!q)
		return NULL;
	memcpy(q, p, old_size);
	return q;
}
