// SPDX-License-Identifier: MIT
/* Attribute lookup: an object's own BA_ value, else the BA_DEF_DEF_ default.
 * The name-based calls find the definition each time; code that asks for
 * the same attribute of many objects finds it once (dbc_attr_def_find). */
#include <string.h>

#include "dbc/dbc.h"

static struct dbc_attr *attr_list(enum dbc_obj_kind kind, const void *obj, const struct dbc_db *db)
{
	switch (kind) {
	case DBC_OBJ_NETWORK:
		return db->attrs;
	case DBC_OBJ_NODE:
		return ((const struct dbc_node *)obj)->attrs;
	case DBC_OBJ_MESSAGE:
		return ((const struct dbc_message *)obj)->attrs;
	case DBC_OBJ_SIGNAL: {
		const struct dbc_signal *s = obj;
		return s->extra ? s->extra->attrs : NULL;
	}
	case DBC_OBJ_ENVVAR:
		return ((const struct dbc_envvar *)obj)->attrs;
	default:
		return NULL;
	}
}

const struct dbc_attr_def *dbc_attr_def_find(const struct dbc_db *db, const char *name)
{
	size_t n = strlen(name);
	for (const struct dbc_attr_def *d = db->attr_defs; d; d = d->next)
		if (d->name.len == n && memcmp(db->text + d->name.off, name, n) == 0)
			return d;
	return NULL;
}

const struct dbc_attr_value *dbc_attr_value_of(const struct dbc_db *db, const struct dbc_attr_def *d,
					       enum dbc_obj_kind kind, const void *obj)
{
	if (!d)
		return NULL;
	for (const struct dbc_attr *a = attr_list(kind, obj, db); a; a = a->next)
		if (a->def == d && !a->rel_other)
			return &a->value;
	return d->has_default ? &d->def : NULL;
}

/* ENUM values may be written as the index or as the text itself. */
static double enum_index(const struct dbc_db *db, const struct dbc_attr_def *d,
			 const struct dbc_attr_value *v, double fallback)
{
	if (!v->is_string)
		return v->num;
	struct evgw_str want = dbc_str(db, v->str);
	for (uint32_t i = 0; i < d->n_enum; i++)
		if (evgw_str_eq(dbc_str(db, d->enum_values[i]), want))
			return i;
	return fallback;
}

double dbc_attr_num_of(const struct dbc_db *db, const struct dbc_attr_def *d, enum dbc_obj_kind kind,
		       const void *obj, double fallback)
{
	const struct dbc_attr_value *v = dbc_attr_value_of(db, d, kind, obj);
	if (!v)
		return fallback;
	if (d->type == DBC_ATTR_ENUM)
		return enum_index(db, d, v, fallback);
	return v->is_string ? fallback : v->num;
}

struct evgw_str dbc_attr_text_of(const struct dbc_db *db, const struct dbc_attr_def *d,
				 enum dbc_obj_kind kind, const void *obj)
{
	const struct dbc_attr_value *v = dbc_attr_value_of(db, d, kind, obj);
	struct evgw_str none = {"", 0};
	if (!v)
		return none;
	if (v->is_string)
		return dbc_str(db, v->str);
	if (d->type == DBC_ATTR_ENUM && v->num >= 0 && v->num < d->n_enum &&
	    v->num == (double)(uint32_t)v->num)
		return dbc_str(db, d->enum_values[(uint32_t)v->num]);
	return none;
}

const struct dbc_attr_value *dbc_attr_get(const struct dbc_db *db, enum dbc_obj_kind kind,
					  const void *obj, const char *name)
{
	return dbc_attr_value_of(db, dbc_attr_def_find(db, name), kind, obj);
}

double dbc_attr_num(const struct dbc_db *db, enum dbc_obj_kind kind, const void *obj,
		    const char *name, double fallback)
{
	const struct dbc_attr_def *d = dbc_attr_def_find(db, name);
	return d ? dbc_attr_num_of(db, d, kind, obj, fallback) : fallback;
}

struct evgw_str dbc_attr_text(const struct dbc_db *db, enum dbc_obj_kind kind, const void *obj,
			      const char *name)
{
	const struct dbc_attr_def *d = dbc_attr_def_find(db, name);
	struct evgw_str none = {"", 0};
	return d ? dbc_attr_text_of(db, d, kind, obj) : none;
}
