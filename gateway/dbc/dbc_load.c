// SPDX-License-Identifier: MIT
/* Loading a DBC model: map the file, parse in place, finish, release. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbc/dbc_index.h"
#include "dbc/dbc_parse_internal.h"

#define DBC_MAX_FILE (1u << 30)

static const struct dbc_load_opts default_opts = {false, NULL, NULL};

static int load(struct dbc_db *db, const char *name, const struct dbc_load_opts *opts)
{
	struct dbc_parser ps;
	memset(&ps, 0, sizeof ps);
	ps.db = db;
	ps.opts = opts ? opts : &default_opts;
	ps.path = name;
	dbc_lex_init(&ps.lx, db->text, db->text_len);
	/* Models run about 1-1.5x their text: blocks of a quarter of it waste
	 * little and need few mallocs. */
	evgw_arena_init(&db->arena, db->text_len / 8 + 4096);
	int r = dbc_parse_text(&ps);
	if (r >= 0)
		r = dbc_finalize(&ps);
	dbc_lines_free(&ps.lines);
	if (r < 0)
		return r;
	if (ps.failed)
		return -EINVAL;
	return 0;
}

static struct dbc_db *db_new(const char *name)
{
	struct dbc_db *db = calloc(1, sizeof *db);
	if (!db)
		return NULL;
	db->path = strdup(name ? name : "<buffer>");
	if (!db->path) {
		free(db);
		return NULL;
	}
	return db;
}

int dbc_load_buffer(const char *text, size_t len, const char *name,
		    const struct dbc_load_opts *opts, struct dbc_db **out)
{
	*out = NULL;
	if (len > DBC_MAX_FILE)
		return -EFBIG;
	struct dbc_db *db = db_new(name);
	if (!db)
		return -ENOMEM;
	db->text = text ? text : "";
	db->text_len = text ? len : 0;
	int r = load(db, db->path, opts);
	if (r < 0) {
		dbc_free(db);
		return r;
	}
	*out = db;
	return 0;
}

int dbc_load_file(const char *path, const struct dbc_load_opts *opts, struct dbc_db **out)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = -errno;
		close(fd);
		return e;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return -EISDIR;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	if ((uint64_t)st.st_size > DBC_MAX_FILE) {
		close(fd);
		return -EFBIG;
	}
	struct dbc_db *db = db_new(path);
	if (!db) {
		close(fd);
		return -ENOMEM;
	}
	if (st.st_size > 0) {
		/* Parsing reads every byte: fault the pages in at once. */
		void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
		if (map == MAP_FAILED) {
			int e = -errno;
			close(fd);
			dbc_free(db);
			return e;
		}
		db->text = map;
		db->text_len = (size_t)st.st_size;
		db->mapped = true;
	} else {
		db->text = "";
	}
	close(fd);
	int r = load(db, path, opts);
	if (r < 0) {
		dbc_free(db);
		return r;
	}
	*out = db;
	return 0;
}

void dbc_free(struct dbc_db *db)
{
	if (!db)
		return;
	evgw_arena_free(&db->arena);
	if (db->mapped)
		munmap((void *)db->text, db->text_len);
	free(db->messages);
	free(db->id_index);
	free(db->pgn_index);
	free(db->path);
	free(db);
}

size_t dbc_model_bytes(const struct dbc_db *db)
{
	size_t n = sizeof *db + db->arena.reserved;
	if (db->messages)
		n += sizeof *db->messages * db->n_messages;
	if (db->id_index)
		n += sizeof *db->id_index * ((size_t)db->id_mask + 1);
	if (db->pgn_index)
		n += sizeof *db->pgn_index * ((size_t)db->pgn_mask + 1);
	return n;
}

struct dbc_message *dbc_find_message_by_name(const struct dbc_db *db, const char *name)
{
	for (uint32_t i = 0; i < db->n_messages; i++)
		if (evgw_str_eq_cstr(dbc_str(db, db->messages[i]->name), name))
			return db->messages[i];
	return NULL;
}

struct dbc_signal *dbc_find_signal(const struct dbc_db *db, const struct dbc_message *m,
				   const char *name)
{
	for (uint32_t i = 0; i < m->n_signals; i++)
		if (evgw_str_eq_cstr(dbc_str(db, m->signals[i].name), name))
			return &m->signals[i];
	return NULL;
}
