// SPDX-License-Identifier: MIT
/* The DBC model: a DBC file parsed in place.
 *
 * The file is read into memory the model owns (never mapped: another
 * process could shorten a mapped file under us) and every name, unit,
 * comment, value text and attribute string in the model is a slice of those
 * bytes (struct dbc_text, an offset and a length, resolved with dbc_str).
 * All model objects live in one arena owned by struct dbc_db; dbc_free
 * releases the arena and the text together. Text is kept byte for byte as the file has it (often
 * Windows-1252); conversion happens only where text leaves the program. */
#ifndef EVGW_DBC_DBC_H
#define EVGW_DBC_DBC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/strslice.h"

/* A slice of the DBC text: offset from the start of the file and length. */
struct dbc_text {
	uint32_t off;
	uint32_t len;
};

enum dbc_obj_kind {
	DBC_OBJ_NETWORK = 0,
	DBC_OBJ_NODE,      /* BU_ */
	DBC_OBJ_MESSAGE,   /* BO_ */
	DBC_OBJ_SIGNAL,    /* SG_ */
	DBC_OBJ_ENVVAR,    /* EV_ */
	DBC_OBJ_REL_NODE_SIGNAL,  /* BU_SG_REL_ */
	DBC_OBJ_REL_NODE_MESSAGE, /* BU_BO_REL_ */
	DBC_OBJ_REL_NODE_ENVVAR,  /* BU_EV_REL_ */
};

enum dbc_attr_type {
	DBC_ATTR_INT = 0,
	DBC_ATTR_HEX,
	DBC_ATTR_FLOAT,
	DBC_ATTR_STRING,
	DBC_ATTR_ENUM,
};

struct dbc_attr_value {
	bool is_string;      /* STRING values, and ENUM values written as text */
	double num;          /* INT, HEX, FLOAT, and ENUM given as an index */
	struct dbc_text str; /* escaped text between the quotes */
};

struct dbc_attr_def {
	struct dbc_text name;
	uint8_t obj_kind;  /* enum dbc_obj_kind */
	uint8_t type;      /* enum dbc_attr_type */
	bool has_default;
	double min, max;
	struct dbc_text *enum_values; /* ENUM: the value texts, in order */
	uint32_t n_enum;
	struct dbc_attr_value def;    /* from BA_DEF_DEF_ / BA_DEF_DEF_REL_ */
	struct dbc_attr_def *next;
	uint32_t line;
};

struct dbc_attr {
	const struct dbc_attr_def *def;
	struct dbc_attr_value value;
	const void *rel_other; /* BA_REL_: the node of the relation; else NULL */
	struct dbc_attr *next;
};

struct dbc_val_entry {
	int64_t value;
	struct dbc_text text;
};

struct dbc_val_table {
	struct dbc_text name;
	struct dbc_val_entry *entries; /* sorted by value */
	uint32_t count;
	struct dbc_val_table *next;
};

struct dbc_node {
	struct dbc_text name;
	struct dbc_text comment;
	struct dbc_attr *attrs;
	struct dbc_node *next;
	uint32_t line;
};

struct dbc_envvar {
	struct dbc_text name;
	struct dbc_text unit;
	struct dbc_text comment;
	uint8_t var_type; /* 0 int, 1 float, 2 string (data) */
	double min, max, initial;
	uint32_t data_size; /* ENVVAR_DATA_ */
	struct dbc_val_entry *values;
	uint32_t n_values;
	struct dbc_attr *attrs;
	struct dbc_envvar *next;
	uint32_t line;
};

struct dbc_mux_range {
	uint64_t lo, hi;
};

enum dbc_signal_flags {
	DBC_SIG_LITTLE_ENDIAN = 1u << 0, /* '@1' Intel; else '@0' Motorola */
	DBC_SIG_SIGNED = 1u << 1,        /* '-' */
	DBC_SIG_FLOAT32 = 1u << 2,       /* SIG_VALTYPE_ 1 */
	DBC_SIG_FLOAT64 = 1u << 3,       /* SIG_VALTYPE_ 2 */
	DBC_SIG_MUX_SWITCH = 1u << 4,    /* 'M' (or the M of 'mNM') */
	DBC_SIG_MUXED = 1u << 5,         /* 'mN' (or the m of 'mNM') */
	DBC_SIG_MUX_RANGES = 1u << 6,    /* selected by SG_MUL_VAL_ ranges */
	DBC_SIG_SLOW = 1u << 7,          /* spans more than 8 bytes: bitwise path */
};

/* Rarely used signal data, kept apart so the hot array stays small. */
struct dbc_signal_extra {
	struct dbc_text comment;
	struct dbc_attr *attrs;
	struct dbc_val_entry *values; /* VAL_, sorted by value */
	uint32_t n_values;
	struct dbc_mux_range *mux_ranges; /* SG_MUL_VAL_ */
	uint32_t n_mux_ranges;
	struct dbc_text mux_switch_name;  /* SG_MUL_VAL_ switch name */
};

#define DBC_NO_SLOT 0xFFu
#define DBC_MAX_MUX_SWITCHES 32 /* per message */

/* One signal, with its decode plan compiled in (win, shift, need_len).
 * Kept small (80 bytes): where it stands in the file is its name's offset
 * (see dbc_lines). Switches come before the signals they select. */
struct dbc_signal {
	struct dbc_text name;
	struct dbc_text unit;
	struct dbc_text receivers; /* the raw receiver list */
	double factor, offset;
	double min, max;
	struct dbc_signal_extra *extra; /* NULL when the signal has none */
	uint32_t mux_value;  /* 'mN': N */
	uint32_t index;      /* its place in its message's signals (this - m->signals) */
	uint16_t start_bit;
	uint8_t length;      /* 1..64 bits */
	uint8_t flags;       /* enum dbc_signal_flags */
	uint8_t win;         /* first byte of the 8-byte load window */
	uint8_t shift;       /* right shift of the window word */
	uint8_t need_len;    /* frame bytes needed for the signal to be present */
	uint8_t sw_slot;     /* a switch: its slot in the per-frame switch table */
	uint8_t sw_of;       /* muxed: the slot of its switch; DBC_NO_SLOT if none */
	uint8_t scale_digits; /* 1 + the decimals its scale implies; 0: none (dbc_scale.h) */
	uint8_t min_digits;   /* of those, the ones always printed (dbc_scale.h) */
};

/* The fraction digits that hold a signal's values exactly (factor 0.1: 1,
 * 1/256: 8), or -1 when its scale has no decimal grid (IEEE floats, 1/3
 * to 17 digits). */
static inline int dbc_signal_decimals(const struct dbc_signal *s)
{
	return (int)s->scale_digits - 1;
}

/* The fraction digits always printed: the step's own resolution (0.1: 1,
 * 0.05: 2, 1/256: 3) or the offset's, whichever is finer; past them,
 * trailing zeros are dropped (1/256: 30.000 but 30.00390625). */
static inline int dbc_signal_min_decimals(const struct dbc_signal *s)
{
	return s->min_digits;
}

enum dbc_message_flags {
	DBC_MSG_EXTENDED = 1u << 0,
	DBC_MSG_J1939 = 1u << 1,   /* VFrameFormat J1939PG or ProtocolType J1939 */
	DBC_MSG_FD = 1u << 2,      /* VFrameFormat *CAN_FD */
	DBC_MSG_BRS = 1u << 3,     /* CANFD_BRS */
	DBC_MSG_PSEUDO = 1u << 4,  /* VECTOR__INDEPENDENT_SIG_MSG: never on a bus */
};

#define DBC_PSEUDO_MSG_ID 0x40000000u

struct dbc_message {
	uint32_t id;          /* without the extended flag (bit 31 of the DBC id) */
	uint32_t pgn;         /* J1939 parameter group number (J1939 messages) */
	struct dbc_text name;
	struct dbc_text transmitter;
	struct dbc_text comment;
	struct dbc_text tx_nodes;   /* BO_TX_BU_ list, raw */
	struct dbc_signal *signals; /* decode order: switches before what they select */
	struct dbc_attr *attrs;
	uint32_t n_signals;
	uint32_t index;         /* position in db->messages */
	uint32_t cycle_time_ms; /* GenMsgCycleTime, 0 if none */
	uint8_t length;         /* bytes, 0..64 */
	uint8_t flags;          /* enum dbc_message_flags */
	uint8_t n_switches;
	uint8_t has_mux;
};

struct dbc_sig_group {
	struct dbc_text name;
	struct dbc_message *msg;
	uint32_t repetitions;
	struct dbc_text members; /* the raw list of signal names */
	struct dbc_sig_group *next;
};

struct dbc_json_names;

struct dbc_db {
	struct evgw_arena arena;
	const char *text;  /* the file's bytes (or the caller's buffer) */
	size_t text_len;
	bool owned;        /* text was read by dbc_load_file, freed by dbc_free */
	char *path;        /* for messages; owned */

	struct dbc_text version;
	struct dbc_text comment; /* network comment */
	struct dbc_attr *attrs;  /* network attributes */
	struct dbc_node *nodes;
	struct dbc_val_table *val_tables;
	struct dbc_envvar *envvars;
	struct dbc_attr_def *attr_defs;
	struct dbc_sig_group *sig_groups;

	struct dbc_message **messages; /* in file order */
	uint32_t n_messages;
	uint32_t n_signals;
	uint32_t n_nodes, n_val_tables, n_attr_defs, n_attrs, n_envvars, n_sig_groups;
	uint32_t n_comments;

	/* Lookup: open addressing, power-of-two sizes, values are message indexes + 1. */
	uint32_t *id_index;
	uint32_t id_mask;
	uint32_t *pgn_index;
	uint32_t pgn_mask;
	bool has_j1939;

	uint32_t n_warnings, n_errors; /* from loading */

	/* Every text a decoded frame prints, rendered once at load for the
	 * paths that print millions of values (dbc_json.h). */
	struct dbc_json_names *json;
};

static inline struct evgw_str dbc_str(const struct dbc_db *db, struct dbc_text t)
{
	return evgw_str_make(db->text + t.off, t.len);
}

enum dbc_severity {
	DBC_NOTE = 0,
	DBC_WARNING = 1,
	DBC_ERROR = 2,
};

struct dbc_diag {
	const char *path;
	uint32_t line, col; /* 1-based; 0 when not tied to a place */
	enum dbc_severity severity;
	const char *msg;    /* valid during the callback only */
};

typedef void (*dbc_diag_fn)(void *ud, const struct dbc_diag *d);

struct dbc_load_opts {
	bool strict;       /* the first error fails the load */
	dbc_diag_fn diag;  /* may be NULL */
	void *diag_ud;
};

/* Read and parse a DBC file. Returns 0 and *out, or a negative errno:
 * -ENOENT/-EACCES/... from the file system, -EISDIR, -EFBIG for a file over
 * 1 GiB, -ENOMEM, or -EINVAL with the reason given to opts->diag: a
 * malformed file in strict mode, text without a single DBC statement (empty,
 * random bytes: not a DBC file, in either mode), or a path that is not a
 * regular file (a FIFO, a device; never blocks). Diagnostics go to
 * opts->diag as "path:line:col" (line 0: no place). */
int dbc_load_file(const char *path, const struct dbc_load_opts *opts, struct dbc_db **out);

/* Parse text the caller owns and keeps alive (and unmodified) until dbc_free.
 * name is used in diagnostics. The same rules as dbc_load_file. */
int dbc_load_buffer(const char *text, size_t len, const char *name,
		    const struct dbc_load_opts *opts, struct dbc_db **out);

/* Release the model, its arena and its text. NULL is fine. */
void dbc_free(struct dbc_db *db);

/* Bytes the model holds (arena, lookup tables), not counting the text. */
size_t dbc_model_bytes(const struct dbc_db *db);

/* Line and column of a text offset, for messages about model objects
 * (a message or signal is placed by its name's offset). */
struct dbc_lines {
	uint32_t *starts; /* offset of each line's first byte */
	uint32_t n;
};
int dbc_lines_build(const struct dbc_db *db, struct dbc_lines *li); /* 0 or -ENOMEM */
void dbc_lines_locate(const struct dbc_lines *li, uint32_t off, uint32_t *line, uint32_t *col);
void dbc_lines_free(struct dbc_lines *li);

/* Find objects by name (load-time helpers, linear). */
struct dbc_message *dbc_find_message_by_name(const struct dbc_db *db, const char *name);
struct dbc_signal *dbc_find_signal(const struct dbc_db *db, const struct dbc_message *m,
				   const char *name);

/* Attribute lookup with the BA_DEF_DEF_ default as fallback; obj is NULL for
 * the network. Returns NULL when neither a value nor a default exists. */
const struct dbc_attr_value *dbc_attr_get(const struct dbc_db *db, enum dbc_obj_kind kind,
					  const void *obj, const char *name);
/* The same, with the definition found once (NULL def: no value). */
const struct dbc_attr_def *dbc_attr_def_find(const struct dbc_db *db, const char *name);
const struct dbc_attr_value *dbc_attr_value_of(const struct dbc_db *db, const struct dbc_attr_def *d,
					       enum dbc_obj_kind kind, const void *obj);
double dbc_attr_num_of(const struct dbc_db *db, const struct dbc_attr_def *d, enum dbc_obj_kind kind,
		       const void *obj, double fallback);
struct evgw_str dbc_attr_text_of(const struct dbc_db *db, const struct dbc_attr_def *d,
				 enum dbc_obj_kind kind, const void *obj);
/* An attribute's numeric value (ENUM: the index), or `fallback`. */
double dbc_attr_num(const struct dbc_db *db, enum dbc_obj_kind kind, const void *obj,
		    const char *name, double fallback);
/* The text of an ENUM or STRING attribute value, or an empty slice. */
struct evgw_str dbc_attr_text(const struct dbc_db *db, enum dbc_obj_kind kind, const void *obj,
			      const char *name);

#endif
