// SPDX-License-Identifier: MIT
/* Loading a DBC model: read the file, parse in place, finish, release. */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbc/dbc_index.h"
#include "dbc/dbc_json.h"
#include "dbc/dbc_parse_internal.h"
#include "util/regular_file.h"

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
	db->json = calloc(1, sizeof *db->json);
	if (!db->json)
		return -ENOMEM;
	return dbc_json_names_build(db->json, db);
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

/* The whole file into memory the model owns; parsing is zero-copy over
 * these bytes. Not a mapping of the file (MAP_PRIVATE included): pages not
 * yet read come from the file, so another process that shortens it (cp or
 * a shell's > over it, truncate) would turn the next read of a name into
 * SIGBUS, long after loading. The read costs a copy (see README's Speed
 * table, load against read floor). A file that
 * shrinks while it is read gives what was read; one that grows is read to
 * the size it had when opened. */
static int read_text(int fd, size_t size, char **out, size_t *len)
{
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return -ENOMEM;
	size_t got = 0;
	while (got < size) {
		ssize_t r = read(fd, buf + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = -errno;
			free(buf);
			return e;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	*out = buf;
	*len = got;
	return 0;
}

/* A path that is not a regular file: said through the diagnostics (no
 * place), so that every caller can name it. */
static int not_regular(const char *path, const struct stat *st, const struct dbc_load_opts *opts)
{
	if (opts && opts->diag) {
		char msg[96];
		snprintf(msg, sizeof msg, "%s, not a regular file", evgw_file_kind(st->st_mode));
		struct dbc_diag d = {path, 0, 0, DBC_ERROR, msg};
		opts->diag(opts->diag_ud, &d);
	}
	return -EINVAL;
}

int dbc_load_file(const char *path, const struct dbc_load_opts *opts, struct dbc_db **out)
{
	*out = NULL;
	struct stat st;
	int fd = evgw_open_regular(path, &st);
	if (fd == -EINVAL)
		return not_regular(path, &st, opts);
	if (fd < 0)
		return fd;
	if ((uint64_t)st.st_size > DBC_MAX_FILE) {
		close(fd);
		return -EFBIG;
	}
	struct dbc_db *db = db_new(path);
	if (!db) {
		close(fd);
		return -ENOMEM;
	}
	char *text = NULL;
	int r = read_text(fd, (size_t)st.st_size, &text, &db->text_len);
	close(fd);
	if (r < 0) {
		dbc_free(db);
		return r;
	}
	db->text = text;
	db->owned = true;
	r = load(db, path, opts);
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
	if (db->json)
		dbc_json_names_free(db->json);
	free(db->json);
	evgw_arena_free(&db->arena);
	if (db->owned)
		free((void *)db->text);
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
