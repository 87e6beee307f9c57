// SPDX-License-Identifier: MIT
/* A bump allocator: many small objects, one release. Blocks never move, so
 * pointers into the arena stay valid until evgw_arena_free. */
#ifndef EVGW_UTIL_ARENA_H
#define EVGW_UTIL_ARENA_H

#include <stddef.h>

struct evgw_arena_block;

struct evgw_arena {
	struct evgw_arena_block *head; /* newest block first */
	size_t block_size;             /* size of each new block */
	size_t used;                   /* bytes handed out, for statistics */
	size_t reserved;               /* bytes obtained from malloc */
	void *last;                    /* the most recent allocation, for extend */
	size_t last_size;
};

/* block_size: size of each block (bigger requests get a block of their own);
 * pick it from the expected total, e.g. a fraction of the input size. */
void evgw_arena_init(struct evgw_arena *a, size_t block_size);
void evgw_arena_free(struct evgw_arena *a);

/* Zeroed, 8-byte aligned memory, or NULL when out of memory. */
void *evgw_arena_alloc(struct evgw_arena *a, size_t size);

/* Grow the most recent allocation `p` to new_size, in place when the block has
 * room, else by moving it into a fresh block. Returns the (possibly new)
 * address or NULL. Used to keep a message's signals contiguous while parsing. */
void *evgw_arena_extend(struct evgw_arena *a, void *p, size_t new_size);

#endif
