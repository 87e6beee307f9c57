// SPDX-License-Identifier: MIT
/* The DBC grammar: one test per statement kind, with the model checked field
 * by field. Every expected value (ids, columns, bit layouts, attribute
 * values) is worked out by hand from the text in the test; comments show the
 * reasoning. Columns are 1-based byte columns. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "can/frame.h"
#include "dbc/dbc.h"
#include "dbc/dbc_decode.h"
#include "test_support.h"

/* ---- helpers -------------------------------------------------------------- */


static struct dbc_db *load_text(const char *text, struct diags *dg)
{
	memset(dg, 0, sizeof *dg);
	struct dbc_load_opts o = {false, diag_cb, dg};
	struct dbc_db *db = NULL;
	int r = dbc_load_buffer(text, strlen(text), "t.dbc", &o, &db);
	if (r != 0 || !db) {
		dump_diags(dg);
		fail_msg("dbc_load_buffer returned %d", r);
	}
	return db;
}

static void expect_no_diags(const struct diags *dg)
{
	if (dg->n) {
		dump_diags(dg);
		fail_msg("expected no diagnostics, got %u", dg->n);
	}
}

static void expect_diag(const struct diags *dg, unsigned i, uint32_t line, uint32_t col,
			enum dbc_severity sev)
{
	if (i >= dg->n || dg->d[i].line != line || dg->d[i].col != col || dg->d[i].sev != sev) {
		dump_diags(dg);
		fail_msg("diag %u: want %u:%u severity %d", i, line, col, (int)sev);
	}
}

static void assert_bytes(struct evgw_str s, const char *want, size_t n)
{
	if (s.len != n || (n && memcmp(s.ptr, want, n) != 0))
		fail_msg("got [%.*s] (%u bytes), want [%.*s] (%zu bytes)", (int)s.len, s.ptr, s.len,
			 (int)n, want, n);
}

#define ASSERT_TEXT(db, t, lit) assert_bytes(dbc_str((db), (t)), (lit), sizeof(lit) - 1)
#define ASSERT_STR(s, lit) assert_bytes((s), (lit), sizeof(lit) - 1)


static const struct dbc_node *node_named(const struct dbc_db *db, const char *name)
{
	for (const struct dbc_node *n = db->nodes; n; n = n->next)
		if (evgw_str_eq_cstr(dbc_str(db, n->name), name))
			return n;
	fail_msg("no node %s", name);
	return NULL;
}

static const struct dbc_envvar *env_named(const struct dbc_db *db, const char *name)
{
	for (const struct dbc_envvar *e = db->envvars; e; e = e->next)
		if (evgw_str_eq_cstr(dbc_str(db, e->name), name))
			return e;
	fail_msg("no environment variable %s", name);
	return NULL;
}

static struct evgw_frame make_frame(uint32_t id, bool ext, uint8_t len, const uint8_t *data)
{
	struct evgw_frame f;
	memset(&f, 0, sizeof f);
	f.id = id;
	f.flags = ext ? EVGW_FRAME_EXT : 0;
	if (len > 8)
		f.flags |= EVGW_FRAME_FD;
	f.len = len;
	f.dlc = len;
	if (data)
		memcpy(f.data, data, len);
	return f;
}

static const struct dbc_message *lookup(const struct dbc_db *db, uint32_t id, bool ext)
{
	struct evgw_frame f = make_frame(id, ext, 8, NULL);
	int sa = 1234;
	const struct dbc_message *m = dbc_lookup(db, &f, &sa);
	return m;
}

static const struct dbc_value *value_of(const struct dbc_db *db, const struct dbc_value *v,
					uint32_t n, const char *name)
{
	for (uint32_t i = 0; i < n; i++)
		if (evgw_str_eq_cstr(dbc_str(db, v[i].sig->name), name))
			return &v[i];
	return NULL;
}

/* ---- VERSION ---------------------------------------------------------------- */

static void test_version(void **state)
{
	(void)state;
	struct diags dg;
	/* The slice is the raw text between the quotes, escapes kept. */
	struct dbc_db *db = load_text("VERSION \"1.2.3 \\\"beta\\\"\"\n", &dg);
	expect_no_diags(&dg);
	ASSERT_TEXT(db, db->version, "1.2.3 \\\"beta\\\"");
	assert_int_equal(db->n_messages, 0);
	dbc_free(db);

	db = load_text("VERSION \"\"\n", &dg);
	expect_no_diags(&dg);
	assert_int_equal(db->version.len, 0);
	dbc_free(db);
}

/* ---- NS_ ---------------------------------------------------------------------- */

/* The NS_ list names keywords (CM_, BA_, ...) on indented lines; none of them
 * may be taken for a statement. The block ends at the first line that starts
 * in column 1. */
static const char ns_text[] =
	"VERSION \"\"\n"
	"\n"
	"NS_ :\n"
	"\tNS_DESC_\n"
	"\tCM_\n"
	"\tBA_DEF_\n"
	"\tBA_\n"
	"\tVAL_\n"
	"    SIG_GROUP_\n"
	"\tSG_MUL_VAL_\n"
	"\tBU_SG_REL_\n"
	"\n"
	"BS_:\n"
	"\n"
	"BU_: ECU\n"
	"BO_ 256 M: 8 ECU\n"
	" SG_ S : 0|8@1+ (1,0) [0|255] \"\" ECU\n";

static const char ns_text_crlf[] =
	"VERSION \"\"\r\n"
	"\r\n"
	"NS_ :\r\n"
	"\tNS_DESC_\r\n"
	"\tCM_\r\n"
	"\tBA_\r\n"
	"\r\n"
	"BS_:\r\n"
	"\r\n"
	"BU_: ECU\r\n"
	"BO_ 256 M: 8 ECU\r\n"
	" SG_ S : 0|8@1+ (1,0) [0|255] \"\" ECU\r\n";

static void check_ns_result(const char *text)
{
	struct diags dg;
	struct dbc_db *db = load_text(text, &dg);
	expect_no_diags(&dg);
	assert_int_equal(db->n_nodes, 1);
	assert_int_equal(db->n_messages, 1);
	assert_int_equal(db->n_signals, 1);
	assert_int_equal(db->n_comments, 0);
	assert_int_equal(db->n_attr_defs, 0);
	assert_int_equal(db->n_attrs, 0);
	assert_int_equal(db->n_sig_groups, 0);
	const struct dbc_message *m = msg_named(db, "M");
	ASSERT_TEXT(db, sig_named(db, m, "S")->receivers, "ECU");
	dbc_free(db);
}

static void test_ns_block(void **state)
{
	(void)state;
	check_ns_result(ns_text);
	check_ns_result(ns_text_crlf);
}

/* ---- BS_ ---------------------------------------------------------------------- */

static void test_bs(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text("BS_:\nBU_: A B\n", &dg);
	expect_no_diags(&dg);
	assert_int_equal(db->n_nodes, 2);
	dbc_free(db);

	/* The obsolete "baudrate : BTR1 , BTR2" form is skipped with its line. */
	db = load_text("BS_: 500 : 12,34\nBU_: A\n", &dg);
	expect_no_diags(&dg);
	assert_int_equal(db->n_nodes, 1);
	dbc_free(db);
}

/* ---- BU_ ---------------------------------------------------------------------- */

static void test_bu_one_line(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text("BU_: ECU1 ECU2 Gateway_3\nBO_ 256 M: 8 ECU1\n", &dg);
	expect_no_diags(&dg);
	assert_int_equal(db->n_nodes, 3);
	const struct dbc_node *n = db->nodes;
	ASSERT_TEXT(db, n->name, "ECU1");
	n = n->next;
	ASSERT_TEXT(db, n->name, "ECU2");
	n = n->next;
	ASSERT_TEXT(db, n->name, "Gateway_3");
	assert_null(n->next);
	assert_int_equal(db->n_messages, 1);
	dbc_free(db);

	/* Some writers separate the names with commas. */
	db = load_text("BU_: A,B , C\n", &dg);
	expect_no_diags(&dg);
	assert_int_equal(db->n_nodes, 3);
	ASSERT_TEXT(db, db->nodes->next->next->name, "C");
	dbc_free(db);

	/* An empty node list. */
	db = load_text("BU_:\nBO_ 256 M: 8 Vector__XXX\n", &dg);
	expect_no_diags(&dg);
	assert_int_equal(db->n_nodes, 0);
	assert_int_equal(db->n_messages, 1);
	dbc_free(db);
}

static void test_bu_one_per_line(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text("BU_:\n"
				      "  ECU1\n"
				      "  ECU2\n"
				      "\tGW\n"
				      "BO_ 256 M: 8 ECU1\n",
				      &dg);
	expect_no_diags(&dg);
	assert_int_equal(db->n_nodes, 3);
	const struct dbc_node *n = db->nodes;
	ASSERT_TEXT(db, n->name, "ECU1");
	ASSERT_TEXT(db, n->next->name, "ECU2");
	ASSERT_TEXT(db, n->next->next->name, "GW");
	/* The list stops at BO_, which is then parsed as a statement. */
	assert_int_equal(db->n_messages, 1);
	dbc_free(db);
}

/* ---- VAL_TABLE_ ------------------------------------------------------------------ */

static void test_val_table(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text("VAL_TABLE_ Gears 3 \"Third\" 1 \"First\" 2 \"Second\" ;\n"
				      "VAL_TABLE_ Empty ;\n"
				      "VAL_TABLE_ Signed -1 \"Minus\" 0 \"Zero\";\n",
				      &dg);
	expect_no_diags(&dg);
	assert_int_equal(db->n_val_tables, 3);
	const struct dbc_val_table *gears = NULL, *empty = NULL, *sgn = NULL;
	for (const struct dbc_val_table *t = db->val_tables; t; t = t->next) {
		struct evgw_str nm = dbc_str(db, t->name);
		if (evgw_str_eq_cstr(nm, "Gears"))
			gears = t;
		else if (evgw_str_eq_cstr(nm, "Empty"))
			empty = t;
		else if (evgw_str_eq_cstr(nm, "Signed"))
			sgn = t;
	}
	assert_non_null(gears);
	assert_non_null(empty);
	assert_non_null(sgn);
	/* Written 3,1,2: kept sorted by value 1,2,3. */
	assert_int_equal(gears->count, 3);
	assert_int_equal(gears->entries[0].value, 1);
	ASSERT_TEXT(db, gears->entries[0].text, "First");
	assert_int_equal(gears->entries[1].value, 2);
	ASSERT_TEXT(db, gears->entries[1].text, "Second");
	assert_int_equal(gears->entries[2].value, 3);
	ASSERT_TEXT(db, gears->entries[2].text, "Third");
	assert_int_equal(empty->count, 0);
	assert_int_equal(sgn->count, 2);
	assert_int_equal(sgn->entries[0].value, -1);
	ASSERT_TEXT(db, sgn->entries[0].text, "Minus");
	dbc_free(db);
}

/* ---- BO_ ---------------------------------------------------------------------------- */

static void test_bo_standard_and_extended(void **state)
{
	(void)state;
	struct diags dg;
	/* 2147484672 = 0x80000400: bit 31 set -> extended id 0x400.
	 * 2566844672 = 0x98FEF100 -> extended id 0x18FEF100. */
	struct dbc_db *db = load_text("BO_ 256 Std: 8 ECU\n"
				      "BO_ 2147484672 Ext: 8 ECU\n"
				      "BO_ 2566844672 Big: 6 ECU\n"
				      "BO_ 2047 Last11: 0 Vector__XXX\n"
				      "BO_ 257 NoTx: 4\n",
				      &dg);
	expect_no_diags(&dg);
	assert_int_equal(db->n_messages, 5);

	const struct dbc_message *std = msg_named(db, "Std");
	assert_int_equal(std->id, 0x100);
	assert_int_equal(std->flags & DBC_MSG_EXTENDED, 0);
	assert_int_equal(std->length, 8);
	ASSERT_TEXT(db, std->transmitter, "ECU");
	assert_int_equal(std->n_signals, 0);

	const struct dbc_message *ext = msg_named(db, "Ext");
	assert_int_equal(ext->id, 0x400);
	assert_true(ext->flags & DBC_MSG_EXTENDED);

	const struct dbc_message *big = msg_named(db, "Big");
	assert_int_equal(big->id, 0x18FEF100);
	assert_true(big->flags & DBC_MSG_EXTENDED);
	assert_int_equal(big->flags & DBC_MSG_J1939, 0); /* no J1939 attribute */
	assert_int_equal(big->length, 6);

	const struct dbc_message *last = msg_named(db, "Last11");
	assert_int_equal(last->id, 0x7FF);
	assert_int_equal(last->length, 0);

	const struct dbc_message *notx = msg_named(db, "NoTx");
	assert_int_equal(notx->transmitter.len, 0);

	/* Messages keep file order. */
	assert_ptr_equal(db->messages[0], std);
	assert_ptr_equal(db->messages[4], notx);

	/* The id space: 11-bit 0x400 does not exist, 29-bit 0x400 does. */
	assert_ptr_equal(lookup(db, 0x100, false), std);
	assert_null(lookup(db, 0x100, true));
	assert_ptr_equal(lookup(db, 0x400, true), ext);
	assert_null(lookup(db, 0x400, false));
	assert_ptr_equal(lookup(db, 0x18FEF100, true), big);
	assert_ptr_equal(lookup(db, 0x7FF, false), last);
	dbc_free(db);
}

/* ---- SG_ ---------------------------------------------------------------------------- */

static void test_sg_fields(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text("BO_ 256 M: 8 ECU\n"
				      " SG_ Speed : 12|16@0- (0.5,-3) [-10|10.25] \"km/h\" A,B\n"
				      "SG_ Temp:0|8@1+(1,-40)[-40|215]\"degC\"  Vector__XXX\n"
				      " SG_ Spaced : 40|8@1+ (1,0) [0|255] \"\" A, B , C\n"
				      " SG_ NoRx : 48|8@1+ (1e-1,2E1) [0|1] \"\"\n",
				      &dg);
	expect_no_diags(&dg);
	const struct dbc_message *m = msg_named(db, "M");
	assert_int_equal(m->n_signals, 4);
	assert_int_equal(db->n_signals, 4);
	assert_int_equal(m->has_mux, 0);

	const struct dbc_signal *s = sig_named(db, m, "Speed");
	assert_int_equal(s->start_bit, 12);
	assert_int_equal(s->length, 16);
	assert_int_equal(s->flags & DBC_SIG_LITTLE_ENDIAN, 0); /* @0: Motorola */
	assert_true(s->flags & DBC_SIG_SIGNED);                 /* '-' */
	assert_true(s->factor == 0.5);
	assert_true(s->offset == -3.0);
	assert_true(s->min == -10.0);
	assert_true(s->max == 10.25);
	ASSERT_TEXT(db, s->unit, "km/h");
	ASSERT_TEXT(db, s->receivers, "A,B");

	s = sig_named(db, m, "Temp");
	assert_int_equal(s->start_bit, 0);
	assert_int_equal(s->length, 8);
	assert_true(s->flags & DBC_SIG_LITTLE_ENDIAN);
	assert_int_equal(s->flags & DBC_SIG_SIGNED, 0);
	assert_true(s->offset == -40.0);
	assert_true(s->max == 215.0);
	ASSERT_TEXT(db, s->unit, "degC");
	ASSERT_TEXT(db, s->receivers, "Vector__XXX");

	/* The raw list runs from the first to the last receiver name. */
	ASSERT_TEXT(db, sig_named(db, m, "Spaced")->receivers, "A, B , C");

	s = sig_named(db, m, "NoRx");
	assert_int_equal(s->receivers.len, 0);
	assert_true(s->factor == 0.1);  /* 1e-1 */
	assert_true(s->offset == 20.0); /* 2E1 */
	dbc_free(db);
}

static void test_sg_mux_indicators(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text("BO_ 512 Mux: 8 ECU\n"
				      " SG_ Sw M : 0|8@1+ (1,0) [0|255] \"\" ECU\n"
				      " SG_ A m3 : 8|8@1+ (1,0) [0|255] \"\" ECU\n"
				      " SG_ Sub m3M : 16|8@1+ (1,0) [0|255] \"\" ECU\n"
				      " SG_ Ten m10: 24|8@1+ (1,0) [0|255] \"\" ECU\n"
				      " SG_ Zero m0 : 32|8@1+ (1,0) [0|255] \"\" ECU\n"
				      " SG_ Plain : 56|8@1+ (1,0) [0|255] \"\" ECU\n",
				      &dg);
	expect_no_diags(&dg);
	const struct dbc_message *m = msg_named(db, "Mux");
	assert_int_equal(m->n_signals, 6);
	assert_int_equal(m->has_mux, 1);
	const uint8_t mux_bits = DBC_SIG_MUX_SWITCH | DBC_SIG_MUXED | DBC_SIG_MUX_RANGES;

	const struct dbc_signal *s = sig_named(db, m, "Sw");
	assert_int_equal(s->flags & mux_bits, DBC_SIG_MUX_SWITCH);
	s = sig_named(db, m, "A");
	assert_int_equal(s->flags & mux_bits, DBC_SIG_MUXED);
	assert_int_equal(s->mux_value, 3);
	s = sig_named(db, m, "Sub");
	assert_int_equal(s->flags & mux_bits, DBC_SIG_MUX_SWITCH | DBC_SIG_MUXED);
	assert_int_equal(s->mux_value, 3);
	s = sig_named(db, m, "Ten");
	assert_int_equal(s->flags & mux_bits, DBC_SIG_MUXED);
	assert_int_equal(s->mux_value, 10);
	s = sig_named(db, m, "Zero");
	assert_int_equal(s->flags & mux_bits, DBC_SIG_MUXED);
	assert_int_equal(s->mux_value, 0);
	s = sig_named(db, m, "Plain");
	assert_int_equal(s->flags & mux_bits, 0);
	assert_int_equal(s->sw_of, DBC_NO_SLOT);
	/* The switch is ordered before what it selects. */
	assert_ptr_equal(&m->signals[0], sig_named(db, m, "Sw"));
	dbc_free(db);
}

static void test_bo_tx_bu(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text("BU_: A B C\n"
				      "BO_ 256 M: 8 A\n"
				      "BO_ 257 N: 8 A\n"
				      "BO_TX_BU_ 256 : A,B;\n"
				      "BO_TX_BU_ 257:C ;\n",
				      &dg);
	expect_no_diags(&dg);
	ASSERT_TEXT(db, msg_named(db, "M")->tx_nodes, "A,B");
	ASSERT_TEXT(db, msg_named(db, "N")->tx_nodes, "C");
	dbc_free(db);
}

/* ---- CM_ ---------------------------------------------------------------------------- */

static void test_cm_all_targets(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text("BU_: ECU1\n"                                          /* 1 */
				      "BO_ 256 M: 8 ECU1\n"                                  /* 2 */
				      " SG_ S : 0|8@1+ (1,0) [0|255] \"\" ECU1\n"             /* 3 */
				      "EV_ EnvA: 0 [0|100] \"\" 0 1 DUMMY_NODE_VECTOR0 ECU1;\n" /* 4 */
				      "CM_ \"Network comment\";\n"                           /* 5 */
				      "CM_ BU_ ECU1 \"Node comment\";\n"                     /* 6 */
				      "CM_ BO_ 256 \"Message comment\";\n"                   /* 7 */
				      "CM_ SG_ 256 S \"first line\n"                         /* 8 */
				      "second \\\"quoted\\\" line\";\n"                      /* 9 */
				      "CM_ EV_ EnvA \"Env comment\";\n"                      /* 10 */
				      "  BOGUS_ after;\n",                                   /* 11 */
				      &dg);
	assert_int_equal(db->n_comments, 5);
	ASSERT_TEXT(db, db->comment, "Network comment");
	ASSERT_TEXT(db, node_named(db, "ECU1")->comment, "Node comment");
	const struct dbc_message *m = msg_named(db, "M");
	ASSERT_TEXT(db, m->comment, "Message comment");
	const struct dbc_signal *s = sig_named(db, m, "S");
	assert_non_null(s->extra);
	/* The slice keeps the raw bytes: the newline and both backslashes. */
	ASSERT_TEXT(db, s->extra->comment, "first line\nsecond \\\"quoted\\\" line");
	ASSERT_TEXT(db, env_named(db, "EnvA")->comment, "Env comment");
	/* Lines are still counted right after the two-line comment: the unknown
	 * keyword is on line 11, column 3. */
	assert_int_equal(dg.n, 1);
	expect_diag(&dg, 0, 11, 3, DBC_WARNING);
	dbc_free(db);
}

/* ---- BA_DEF_, BA_DEF_REL_, BA_DEF_DEF_, BA_DEF_DEF_REL_, BA_, BA_REL_ ------------- */

static const char attr_text[] =
	"BU_: ECU1 ECU2\n"
	"BO_ 256 M1: 8 ECU1\n"
	" SG_ Sig1 : 0|8@1+ (1,0) [0|255] \"\" ECU2\n"
	" SG_ Sig2 : 8|8@1+ (1,0) [0|255] \"\" ECU2\n"
	"BO_ 257 M2: 8 ECU1\n"
	"BO_ 258 M3: 8 ECU1\n"
	"EV_ EnvA: 0 [0|100] \"\" 0 1 DUMMY_NODE_VECTOR0 ECU1;\n"
	"EV_ EnvB: 0 [0|100] \"\" 0 2 DUMMY_NODE_VECTOR0 ECU1;\n"
	"BA_DEF_ \"NetInt\" INT 0 100;\n"
	"BA_DEF_ BU_ \"NodeHex\" HEX 0 255;\n"
	"BA_DEF_ BO_ \"GenMsgCycleTime\" INT 0 10000;\n"
	"BA_DEF_ SG_ \"SigFloat\" FLOAT -1.5 1.5;\n"
	"BA_DEF_ EV_ \"EvStr\" STRING ;\n"
	"BA_DEF_ BO_ \"MsgEnum\" ENUM \"Zero\",\"One\",\"Two\";\n"
	"BA_DEF_ \"NetStr\" STRING ;\n"
	"BA_DEF_REL_ BU_SG_REL_ \"RelInt\" INT 0 10;\n"
	"BA_DEF_DEF_ \"NetInt\" 7;\n"
	"BA_DEF_DEF_ \"NodeHex\" 16;\n"
	"BA_DEF_DEF_ \"GenMsgCycleTime\" 0;\n"
	"BA_DEF_DEF_ \"SigFloat\" 0.25;\n"
	"BA_DEF_DEF_ \"EvStr\" \"dflt\";\n"
	"BA_DEF_DEF_ \"MsgEnum\" \"One\";\n"
	"BA_DEF_DEF_REL_ \"RelInt\" 3;\n"
	"BA_ \"NetInt\" 42;\n"
	"BA_ \"NodeHex\" BU_ ECU1 255;\n"
	"BA_ \"GenMsgCycleTime\" BO_ 256 100;\n"
	"BA_ \"SigFloat\" SG_ 256 Sig1 -0.5;\n"
	"BA_ \"EvStr\" EV_ EnvA \"hello\";\n"
	"BA_ \"MsgEnum\" BO_ 256 2;\n"
	"BA_ \"MsgEnum\" BO_ 258 \"Zero\";\n"
	"BA_REL_ \"RelInt\" BU_SG_REL_ ECU2 SG_ 256 Sig1 9;\n";

static void test_attr_definitions(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text(attr_text, &dg);
	expect_no_diags(&dg);
	assert_int_equal(db->n_attr_defs, 8);
	assert_int_equal(db->n_attrs, 8);

	/* File order: NetInt NodeHex GenMsgCycleTime SigFloat EvStr MsgEnum NetStr RelInt. */
	const struct dbc_attr_def *d = db->attr_defs;
	ASSERT_TEXT(db, d->name, "NetInt");
	assert_int_equal(d->obj_kind, DBC_OBJ_NETWORK);
	assert_int_equal(d->type, DBC_ATTR_INT);
	assert_true(d->min == 0 && d->max == 100);
	assert_true(d->has_default);
	assert_true(d->def.num == 7);

	d = d->next;
	ASSERT_TEXT(db, d->name, "NodeHex");
	assert_int_equal(d->obj_kind, DBC_OBJ_NODE);
	assert_int_equal(d->type, DBC_ATTR_HEX);
	assert_true(d->min == 0 && d->max == 255);

	d = d->next;
	ASSERT_TEXT(db, d->name, "GenMsgCycleTime");
	assert_int_equal(d->obj_kind, DBC_OBJ_MESSAGE);
	assert_int_equal(d->type, DBC_ATTR_INT);

	d = d->next;
	ASSERT_TEXT(db, d->name, "SigFloat");
	assert_int_equal(d->obj_kind, DBC_OBJ_SIGNAL);
	assert_int_equal(d->type, DBC_ATTR_FLOAT);
	assert_true(d->min == -1.5 && d->max == 1.5);
	assert_true(d->def.num == 0.25);

	d = d->next;
	ASSERT_TEXT(db, d->name, "EvStr");
	assert_int_equal(d->obj_kind, DBC_OBJ_ENVVAR);
	assert_int_equal(d->type, DBC_ATTR_STRING);
	assert_true(d->def.is_string);
	ASSERT_TEXT(db, d->def.str, "dflt");

	d = d->next;
	ASSERT_TEXT(db, d->name, "MsgEnum");
	assert_int_equal(d->obj_kind, DBC_OBJ_MESSAGE);
	assert_int_equal(d->type, DBC_ATTR_ENUM);
	assert_int_equal(d->n_enum, 3);
	ASSERT_TEXT(db, d->enum_values[0], "Zero");
	ASSERT_TEXT(db, d->enum_values[1], "One");
	ASSERT_TEXT(db, d->enum_values[2], "Two");

	d = d->next;
	ASSERT_TEXT(db, d->name, "NetStr");
	assert_int_equal(d->type, DBC_ATTR_STRING);
	assert_false(d->has_default);

	d = d->next;
	ASSERT_TEXT(db, d->name, "RelInt");
	assert_int_equal(d->obj_kind, DBC_OBJ_REL_NODE_SIGNAL);
	assert_int_equal(d->type, DBC_ATTR_INT);
	assert_true(d->has_default); /* from BA_DEF_DEF_REL_ */
	assert_true(d->def.num == 3);
	assert_null(d->next);
	dbc_free(db);
}

static void test_attr_values(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text(attr_text, &dg);
	expect_no_diags(&dg);
	const struct dbc_message *m1 = msg_named(db, "M1"), *m2 = msg_named(db, "M2"),
				 *m3 = msg_named(db, "M3");
	const struct dbc_signal *s1 = sig_named(db, m1, "Sig1"), *s2 = sig_named(db, m1, "Sig2");
	const struct dbc_node *e1 = node_named(db, "ECU1"), *e2 = node_named(db, "ECU2");
	const struct dbc_envvar *ea = env_named(db, "EnvA"), *eb = env_named(db, "EnvB");

	/* Network: own value 42 (default 7). */
	assert_true(dbc_attr_num(db, DBC_OBJ_NETWORK, NULL, "NetInt", -1) == 42);
	/* Node: ECU1 has 255, ECU2 falls back to the default 16. */
	assert_true(dbc_attr_num(db, DBC_OBJ_NODE, e1, "NodeHex", -1) == 255);
	assert_true(dbc_attr_num(db, DBC_OBJ_NODE, e2, "NodeHex", -1) == 16);
	/* Message: M1 100, M2 default 0; the cycle time lands in the model too. */
	assert_true(dbc_attr_num(db, DBC_OBJ_MESSAGE, m1, "GenMsgCycleTime", -1) == 100);
	assert_true(dbc_attr_num(db, DBC_OBJ_MESSAGE, m2, "GenMsgCycleTime", -1) == 0);
	assert_int_equal(m1->cycle_time_ms, 100);
	assert_int_equal(m2->cycle_time_ms, 0);
	/* Signal: Sig1 -0.5, Sig2 (no extra at all) default 0.25. */
	assert_true(dbc_attr_num(db, DBC_OBJ_SIGNAL, s1, "SigFloat", -1) == -0.5);
	assert_true(dbc_attr_num(db, DBC_OBJ_SIGNAL, s2, "SigFloat", -1) == 0.25);
	/* Env var STRING: text, and the numeric accessor falls back. */
	ASSERT_STR(dbc_attr_text(db, DBC_OBJ_ENVVAR, ea, "EvStr"), "hello");
	ASSERT_STR(dbc_attr_text(db, DBC_OBJ_ENVVAR, eb, "EvStr"), "dflt");
	assert_true(dbc_attr_num(db, DBC_OBJ_ENVVAR, ea, "EvStr", -7) == -7);
	/* ENUM: M1 index 2 -> "Two"; M2 default "One" -> index 1; M3 written as
	 * the text "Zero" -> index 0. */
	assert_true(dbc_attr_num(db, DBC_OBJ_MESSAGE, m1, "MsgEnum", -1) == 2);
	ASSERT_STR(dbc_attr_text(db, DBC_OBJ_MESSAGE, m1, "MsgEnum"), "Two");
	assert_true(dbc_attr_num(db, DBC_OBJ_MESSAGE, m2, "MsgEnum", -1) == 1);
	ASSERT_STR(dbc_attr_text(db, DBC_OBJ_MESSAGE, m2, "MsgEnum"), "One");
	assert_true(dbc_attr_num(db, DBC_OBJ_MESSAGE, m3, "MsgEnum", -1) == 0);
	ASSERT_STR(dbc_attr_text(db, DBC_OBJ_MESSAGE, m3, "MsgEnum"), "Zero");
	/* INT attributes have no text. */
	ASSERT_STR(dbc_attr_text(db, DBC_OBJ_NETWORK, NULL, "NetInt"), "");
	/* Defined without default and never set; and never defined. */
	assert_null(dbc_attr_get(db, DBC_OBJ_NETWORK, NULL, "NetStr"));
	assert_true(dbc_attr_num(db, DBC_OBJ_NETWORK, NULL, "NetStr", 5) == 5);
	ASSERT_STR(dbc_attr_text(db, DBC_OBJ_NETWORK, NULL, "NetStr"), "");
	assert_null(dbc_attr_get(db, DBC_OBJ_MESSAGE, m1, "Nope"));
	assert_true(dbc_attr_num(db, DBC_OBJ_MESSAGE, m1, "Nope", 123) == 123);
	ASSERT_STR(dbc_attr_text(db, DBC_OBJ_MESSAGE, m1, "Nope"), "");

	/* BA_REL_: a value on the (ECU2, Sig1) relation, kept on Sig1 with the
	 * node as rel_other, never returned as Sig1's own value. */
	const struct dbc_attr *rel = NULL;
	for (const struct dbc_attr *a = s1->extra->attrs; a; a = a->next)
		if (evgw_str_eq_cstr(dbc_str(db, a->def->name), "RelInt"))
			rel = a;
	assert_non_null(rel);
	assert_ptr_equal(rel->rel_other, e2);
	assert_false(rel->value.is_string);
	assert_true(rel->value.num == 9);
	const struct dbc_attr_value *v = dbc_attr_get(db, DBC_OBJ_SIGNAL, s1, "RelInt");
	assert_true(v == NULL || v->num != 9);
	dbc_free(db);
}

/* Every attribute type on every object kind. For kind K and type T the
 * attribute "K_T" has the default and the value below; the value is set on
 * the first object of the kind (ECU1, M1, Sig1, EnvA, the network), the
 * second object (ECU2, M2, Sig2, EnvB) has only the default.
 *   INT   0..1000,   default 5,   value 500
 *   HEX   0..4095,   default 6,   value 4095
 *   FLOAT -10..10,   default 0.5, value -2.25
 *   STRING           default "d", value "v"
 *   ENUM  e0,e1,e2   default "e1" (index 1), value 2 ("e2") */
static void test_attr_type_object_matrix(void **state)
{
	(void)state;
	static const char *const kinds[] = {"NET", "BU", "BO", "SG", "EV"};
	static const char *const kw[] = {"", "BU_ ", "BO_ ", "SG_ ", "EV_ "};
	static const char *const obj1[] = {"", "BU_ ECU1 ", "BO_ 256 ", "SG_ 256 Sig1 ", "EV_ EnvA "};
	static const char *const types[] = {"INT", "HEX", "FLOAT", "STRING", "ENUM"};
	static const char *const range[] = {" 0 1000", " 0 4095", " -10 10", "", " \"e0\",\"e1\",\"e2\""};
	static const char *const def[] = {"5", "6", "0.5", "\"d\"", "\"e1\""};
	static const char *const val[] = {"500", "4095", "-2.25", "\"v\"", "2"};
	char text[8192];
	size_t len = (size_t)snprintf(text, sizeof text,
		"BU_: ECU1 ECU2\n"
		"BO_ 256 M1: 8 ECU1\n"
		" SG_ Sig1 : 0|8@1+ (1,0) [0|255] \"\" ECU2\n"
		" SG_ Sig2 : 8|8@1+ (1,0) [0|255] \"\" ECU2\n"
		"BO_ 257 M2: 8 ECU1\n"
		"EV_ EnvA: 0 [0|100] \"\" 0 1 DUMMY_NODE_VECTOR0 ECU1;\n"
		"EV_ EnvB: 0 [0|100] \"\" 0 2 DUMMY_NODE_VECTOR0 ECU1;\n");
	for (int k = 0; k < 5; k++)
		for (int t = 0; t < 5; t++)
			len += (size_t)snprintf(text + len, sizeof text - len,
						"BA_DEF_ %s\"%s_%s\" %s%s;\n", kw[k], kinds[k], types[t],
						types[t], range[t]);
	for (int k = 0; k < 5; k++)
		for (int t = 0; t < 5; t++)
			len += (size_t)snprintf(text + len, sizeof text - len,
						"BA_DEF_DEF_ \"%s_%s\" %s;\n", kinds[k], types[t], def[t]);
	for (int k = 0; k < 5; k++)
		for (int t = 0; t < 5; t++)
			len += (size_t)snprintf(text + len, sizeof text - len, "BA_ \"%s_%s\" %s%s;\n",
						kinds[k], types[t], obj1[k], val[t]);
	assert_true(len < sizeof text - 1);

	struct diags dg;
	struct dbc_db *db = load_text(text, &dg);
	expect_no_diags(&dg);
	assert_int_equal(db->n_attr_defs, 25);
	assert_int_equal(db->n_attrs, 25);
	const struct dbc_message *m1 = msg_named(db, "M1"), *m2 = msg_named(db, "M2");
	const void *first[5] = {NULL, node_named(db, "ECU1"), m1, sig_named(db, m1, "Sig1"),
				env_named(db, "EnvA")};
	const void *second[5] = {NULL, node_named(db, "ECU2"), m2, sig_named(db, m1, "Sig2"),
				 env_named(db, "EnvB")};
	static const enum dbc_obj_kind okind[] = {DBC_OBJ_NETWORK, DBC_OBJ_NODE, DBC_OBJ_MESSAGE,
						  DBC_OBJ_SIGNAL, DBC_OBJ_ENVVAR};
	for (int k = 0; k < 5; k++) {
		char nm[32];
		enum dbc_obj_kind ok = okind[k];
		snprintf(nm, sizeof nm, "%s_INT", kinds[k]);
		assert_true(dbc_attr_num(db, ok, first[k], nm, -1) == 500);
		snprintf(nm, sizeof nm, "%s_HEX", kinds[k]);
		assert_true(dbc_attr_num(db, ok, first[k], nm, -1) == 4095);
		snprintf(nm, sizeof nm, "%s_FLOAT", kinds[k]);
		assert_true(dbc_attr_num(db, ok, first[k], nm, -1) == -2.25);
		snprintf(nm, sizeof nm, "%s_STRING", kinds[k]);
		ASSERT_STR(dbc_attr_text(db, ok, first[k], nm), "v");
		assert_true(dbc_attr_num(db, ok, first[k], nm, -1) == -1);
		snprintf(nm, sizeof nm, "%s_ENUM", kinds[k]);
		assert_true(dbc_attr_num(db, ok, first[k], nm, -1) == 2);
		ASSERT_STR(dbc_attr_text(db, ok, first[k], nm), "e2");
		if (k == 0)
			continue; /* one network */
		snprintf(nm, sizeof nm, "%s_INT", kinds[k]);
		assert_true(dbc_attr_num(db, ok, second[k], nm, -1) == 5);
		snprintf(nm, sizeof nm, "%s_HEX", kinds[k]);
		assert_true(dbc_attr_num(db, ok, second[k], nm, -1) == 6);
		snprintf(nm, sizeof nm, "%s_FLOAT", kinds[k]);
		assert_true(dbc_attr_num(db, ok, second[k], nm, -1) == 0.5);
		snprintf(nm, sizeof nm, "%s_STRING", kinds[k]);
		ASSERT_STR(dbc_attr_text(db, ok, second[k], nm), "d");
		snprintf(nm, sizeof nm, "%s_ENUM", kinds[k]);
		assert_true(dbc_attr_num(db, ok, second[k], nm, -1) == 1);
		ASSERT_STR(dbc_attr_text(db, ok, second[k], nm), "e1");
	}
	/* Definitions keep their object kind and type. */
	const struct dbc_attr_def *d = db->attr_defs;
	for (int k = 0; k < 5; k++)
		for (int t = 0; t < 5; t++, d = d->next) {
			assert_non_null(d);
			assert_int_equal(d->obj_kind, okind[k]);
			assert_int_equal(d->type, (enum dbc_attr_type)t);
			assert_true(d->has_default);
		}
	dbc_free(db);
}

/* ---- VAL_ ---------------------------------------------------------------------------- */

static void test_val_signal_and_envvar(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text("BO_ 256 M: 8 ECU\n"
				      " SG_ Gear : 0|8@1- (1,0) [-1|2] \"\" X\n"
				      " SG_ Mode : 8|4@1+ (1,0) [0|15] \"\" X\n"
				      "EV_ EnvA: 0 [0|1] \"\" 0 1 DUMMY_NODE_VECTOR0 X;\n"
				      "VAL_ 256 Gear 2 \"Two\" 0 \"Zero\" -1 \"MinusOne\" 1 \"One\" ;\n"
				      "VAL_ 256 Mode 15 \"Invalid\" 0 \"Off\";\n"
				      "VAL_ EnvA 1 \"On\" 0 \"Off\";\n",
				      &dg);
	expect_no_diags(&dg);
	const struct dbc_message *m = msg_named(db, "M");
	const struct dbc_signal *gear = sig_named(db, m, "Gear");
	const struct dbc_signal *mode = sig_named(db, m, "Mode");
	assert_non_null(gear->extra);
	/* Sorted by value: -1, 0, 1, 2. */
	assert_int_equal(gear->extra->n_values, 4);
	assert_int_equal(gear->extra->values[0].value, -1);
	ASSERT_TEXT(db, gear->extra->values[0].text, "MinusOne");
	assert_int_equal(gear->extra->values[1].value, 0);
	assert_int_equal(gear->extra->values[2].value, 1);
	assert_int_equal(gear->extra->values[3].value, 2);
	ASSERT_TEXT(db, gear->extra->values[3].text, "Two");

	/* Labels by raw value; a signed raw is the sign-extended value. */
	ASSERT_TEXT(db, *dbc_signal_label(gear, (uint64_t)-1), "MinusOne");
	ASSERT_TEXT(db, *dbc_signal_label(gear, 0), "Zero");
	ASSERT_TEXT(db, *dbc_signal_label(gear, 1), "One");
	ASSERT_TEXT(db, *dbc_signal_label(gear, 2), "Two");
	assert_null(dbc_signal_label(gear, 5));
	assert_null(dbc_signal_label(gear, (uint64_t)-2));
	ASSERT_TEXT(db, *dbc_signal_label(mode, 15), "Invalid");
	assert_null(dbc_signal_label(mode, 7));

	/* Through the decoder: byte0 = FF is Gear -1; byte1 low nibble F is Mode 15. */
	const uint8_t data[8] = {0xFF, 0x0F};
	struct evgw_frame f = make_frame(0x100, false, 8, data);
	struct dbc_value out[2];
	uint32_t n = dbc_decode(m, &f, out);
	assert_int_equal(n, 2);
	const struct dbc_value *g = value_of(db, out, n, "Gear");
	assert_non_null(g);
	assert_true(g->raw == UINT64_MAX);
	ASSERT_TEXT(db, *dbc_signal_label(g->sig, g->raw), "MinusOne");
	const struct dbc_value *mo = value_of(db, out, n, "Mode");
	ASSERT_TEXT(db, *dbc_signal_label(mo->sig, mo->raw), "Invalid");

	const struct dbc_envvar *e = env_named(db, "EnvA");
	assert_int_equal(e->n_values, 2);
	assert_int_equal(e->values[0].value, 0);
	ASSERT_TEXT(db, e->values[0].text, "Off");
	ASSERT_TEXT(db, e->values[1].text, "On");
	dbc_free(db);
}

/* ---- SIG_VALTYPE_ ---------------------------------------------------------------------- */

static void test_sig_valtype_float(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text("BO_ 256 F: 16 ECU\n"
				      " SG_ F32 : 0|32@1- (1,0) [0|0] \"\" X\n"
				      " SG_ F64 : 64|64@1- (1,0) [0|0] \"\" X\n"
				      "BO_ 257 G: 8 ECU\n"
				      " SG_ F32M : 7|32@0- (2,1) [0|0] \"\" X\n"
				      " SG_ Int : 32|32@1- (1,0) [0|0] \"\" X\n"
				      "SIG_VALTYPE_ 256 F32 : 1;\n"
				      "SIG_VALTYPE_ 256 F64 : 2;\n"
				      "SIG_VALTYPE_ 257 F32M : 1;\n"
				      "SIG_VALTYPE_ 257 Int : 0;\n",
				      &dg);
	expect_no_diags(&dg);
	const struct dbc_message *f = msg_named(db, "F"), *g = msg_named(db, "G");
	assert_true(sig_named(db, f, "F32")->flags & DBC_SIG_FLOAT32);
	assert_true(sig_named(db, f, "F64")->flags & DBC_SIG_FLOAT64);
	assert_int_equal(sig_named(db, g, "Int")->flags & (DBC_SIG_FLOAT32 | DBC_SIG_FLOAT64), 0);

	/* 1.5f = 0x3FC00000: Intel bytes 00 00 C0 3F.
	 * 1.5  = 0x3FF8000000000000: Intel bytes 00 00 00 00 00 00 F8 3F. */
	uint8_t d1[16] = {0x00, 0x00, 0xC0, 0x3F, 0, 0, 0, 0,
			  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF8, 0x3F};
	struct evgw_frame fr = make_frame(0x100, false, 16, d1);
	struct dbc_value out[4];
	uint32_t n = dbc_decode(f, &fr, out);
	assert_int_equal(n, 2);
	const struct dbc_value *v = value_of(db, out, n, "F32");
	assert_int_equal(v->raw, 0x3FC00000u);
	assert_true(v->phys == 1.5);
	v = value_of(db, out, n, "F64");
	assert_true(v->raw == 0x3FF8000000000000ull);
	assert_true(v->phys == 1.5);

	/* Motorola float: start 7 len 32 is bytes 0..3 big-endian, 3F C0 00 00
	 * = 1.5f, times 2 plus 1 = 4.0. Int: Intel bytes 4..7 = FE FF FF FF ->
	 * 0xFFFFFFFE = -2. */
	uint8_t d2[8] = {0x3F, 0xC0, 0x00, 0x00, 0xFE, 0xFF, 0xFF, 0xFF};
	fr = make_frame(0x101, false, 8, d2);
	n = dbc_decode(g, &fr, out);
	assert_int_equal(n, 2);
	v = value_of(db, out, n, "F32M");
	assert_true(v->phys == 4.0);
	v = value_of(db, out, n, "Int");
	assert_true(v->raw == (uint64_t)-2);
	assert_true(v->phys == -2.0);
	dbc_free(db);
}

/* A float signal written signed ('-', as Vector's tools write them). */
static void test_float32_raw_bits_not_sign_extended(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text("BO_ 256 F: 8 ECU\n"
				      " SG_ F32 : 0|32@1- (1,0) [0|0] \"\" X\n"
				      "SIG_VALTYPE_ 256 F32 : 1;\n",
				      &dg);
	expect_no_diags(&dg);
	const struct dbc_message *f = msg_named(db, "F");
	struct dbc_value out[1];
	/* -2.0f = 0xC0000000 (Intel bytes 00 00 00 C0). The header promises
	 * sign extension only for signed *integer* signals, so the raw bits of a
	 * float signal are the 32 IEEE bits. */
	uint8_t d3[8] = {0x00, 0x00, 0x00, 0xC0};
	struct evgw_frame fr = make_frame(0x100, false, 8, d3);
	uint32_t n = dbc_decode(f, &fr, out);
	const struct dbc_value *v = value_of(db, out, n, "F32");
	assert_non_null(v);
	assert_true(v->phys == -2.0);
	if (v->raw != 0xC0000000u)
		fail_msg("float32 raw of -2.0f: got 0x%llx, want 0xc0000000 (no sign extension)",
			 (unsigned long long)v->raw);
	dbc_free(db);
}

/* ---- SG_MUL_VAL_ ---------------------------------------------------------------------- */

static void test_sg_mul_val(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text("BO_ 768 X: 8 ECU\n"
				      " SG_ Sw M : 0|8@1+ (1,0) [0|255] \"\" X\n"
				      " SG_ Sub m1M : 8|8@1+ (1,0) [0|255] \"\" X\n"
				      " SG_ Leaf m5 : 16|8@1+ (1,0) [0|255] \"\" X\n"
				      "SG_MUL_VAL_ 768 Sub Sw 1-1;\n"
				      "SG_MUL_VAL_ 768 Leaf Sub 5-5, 7-9;\n",
				      &dg);
	expect_no_diags(&dg);
	const struct dbc_message *m = msg_named(db, "X");
	const struct dbc_signal *leaf = sig_named(db, m, "Leaf");
	assert_non_null(leaf->extra);
	assert_true(leaf->flags & DBC_SIG_MUX_RANGES);
	assert_true(leaf->flags & DBC_SIG_MUXED);
	assert_int_equal(leaf->extra->n_mux_ranges, 2);
	assert_int_equal(leaf->extra->mux_ranges[0].lo, 5);
	assert_int_equal(leaf->extra->mux_ranges[0].hi, 5);
	assert_int_equal(leaf->extra->mux_ranges[1].lo, 7);
	assert_int_equal(leaf->extra->mux_ranges[1].hi, 9);
	ASSERT_TEXT(db, leaf->extra->mux_switch_name, "Sub");
	const struct dbc_signal *sub = sig_named(db, m, "Sub");
	ASSERT_TEXT(db, sub->extra->mux_switch_name, "Sw");
	/* Decode order: Sw (depth 0), Sub (1), Leaf (2). */
	assert_ptr_equal(&m->signals[0], sig_named(db, m, "Sw"));
	assert_ptr_equal(&m->signals[1], sub);
	assert_ptr_equal(&m->signals[2], leaf);

	/* Sw=1 selects Sub; Sub=8 lies in 7-9 and selects Leaf. */
	const uint8_t data[8] = {1, 8, 0x42};
	struct evgw_frame f = make_frame(768, false, 8, data);
	struct dbc_value out[3];
	assert_int_equal(dbc_decode(m, &f, out), 3);
	assert_int_equal(value_of(db, out, 3, "Leaf")->raw, 0x42);
	dbc_free(db);
}

/* ---- SIG_GROUP_ ---------------------------------------------------------------------- */

static void test_sig_group(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text("BO_ 256 M: 8 ECU\n"
				      " SG_ Sig1 : 0|8@1+ (1,0) [0|255] \"\" X\n"
				      " SG_ Sig2 : 8|8@1+ (1,0) [0|255] \"\" X\n"
				      "SIG_GROUP_ 256 Grp1 1 : Sig1 Sig2;\n",
				      &dg);
	expect_no_diags(&dg);
	assert_int_equal(db->n_sig_groups, 1);
	const struct dbc_sig_group *g = db->sig_groups;
	ASSERT_TEXT(db, g->name, "Grp1");
	assert_ptr_equal(g->msg, msg_named(db, "M"));
	assert_int_equal(g->repetitions, 1);
	ASSERT_TEXT(db, g->members, "Sig1 Sig2");
	dbc_free(db);
}

/* ---- EV_ and ENVVAR_DATA_ --------------------------------------------------------------- */

static void test_ev_envvar_data(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text(
		"BU_: ECU1\n"
		"EV_ EnvInt: 0 [-10|100] \"degC\" 20 1 DUMMY_NODE_VECTOR0 ECU1;\n"
		"EV_ EnvFloat: 1 [0|1.5] \"\" 0.5 2 DUMMY_NODE_VECTOR8000 Vector__XXX;\n"
		"EV_ EnvData: 2 [0|0] \"\" 0 3 DUMMY_NODE_VECTOR0 Vector__XXX;\n"
		"ENVVAR_DATA_ EnvData: 12;\n",
		&dg);
	expect_no_diags(&dg);
	assert_int_equal(db->n_envvars, 3);
	const struct dbc_envvar *e = env_named(db, "EnvInt");
	assert_int_equal(e->var_type, 0);
	assert_true(e->min == -10 && e->max == 100);
	ASSERT_TEXT(db, e->unit, "degC");
	assert_true(e->initial == 20);
	e = env_named(db, "EnvFloat");
	assert_int_equal(e->var_type, 1);
	assert_true(e->max == 1.5);
	assert_true(e->initial == 0.5);
	e = env_named(db, "EnvData");
	assert_int_equal(e->var_type, 2);
	assert_int_equal(e->data_size, 12);
	dbc_free(db);
}

/* ---- skipped statements --------------------------------------------------------------- */

static void test_sgtype_skipped(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text("SGTYPE_ MyType : 8@1+ (1,0) [0|255] \"\" 0 Vt;\n"
				      "BO_ 256 M: 8 ECU\n"
				      " SG_ S : 0|8@1+ (1,0) [0|255] \"\" X\n"
				      "SGTYPE_VAL_ MyType 0 \"zero\";\n"
				      "SIG_TYPE_REF_ 256 S : MyType;\n"
				      "BU_: Later\n",
				      &dg);
	expect_no_diags(&dg);
	assert_int_equal(db->n_messages, 1);
	assert_int_equal(db->n_signals, 1);
	assert_int_equal(db->n_nodes, 1);
	dbc_free(db);
}

static void test_unknown_keyword_warns(void **state)
{
	(void)state;
	struct diags dg;
	/* The ';' inside the quoted string does not end the skipped statement. */
	struct dbc_db *db = load_text("VERSION \"\"\n"
				      "FOO_BAR_ 1 2 \"semi;colon\" ;\n"
				      "   XYZ_ thing;\n"
				      "BU_: ECU\n",
				      &dg);
	assert_int_equal(dg.n, 2);
	expect_diag(&dg, 0, 2, 1, DBC_WARNING);
	expect_diag(&dg, 1, 3, 4, DBC_WARNING);
	assert_int_equal(db->n_warnings, 2);
	assert_int_equal(db->n_errors, 0);
	assert_int_equal(db->n_nodes, 1);
	dbc_free(db);
}

/* ---- lexical matters --------------------------------------------------------------------- */

static void test_line_comments(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text("// header with \"quote and ; semicolon\n"
				      "VERSION \"1\" // trailing\n"
				      "BO_ 256 M: 8 ECU // trailing comment\n"
				      "// SG_ Ghost : 0|8@1+ (1,0) [0|255] \"\" X\n"
				      " SG_ S : 0|8@1+ (1,0) [0|255] \"\" X // after receivers\n"
				      " SG_ T : 8|8@1+ (1,0) [0|255] \"\" // no receivers\n"
				      "BU_: A // nodes\n",
				      &dg);
	expect_no_diags(&dg);
	ASSERT_TEXT(db, db->version, "1");
	const struct dbc_message *m = msg_named(db, "M");
	ASSERT_TEXT(db, m->transmitter, "ECU");
	assert_int_equal(m->n_signals, 2);
	ASSERT_TEXT(db, sig_named(db, m, "S")->receivers, "X");
	assert_int_equal(sig_named(db, m, "T")->receivers.len, 0);
	assert_null(dbc_find_signal(db, m, "Ghost"));
	assert_int_equal(db->n_nodes, 1);
	ASSERT_TEXT(db, db->nodes->name, "A");
	dbc_free(db);
}

static void test_utf8_bom(void **state)
{
	(void)state;
	struct diags dg;
	/* (An unknown keyword after BU_ would be read as a node name, so it
	 * comes first.) */
	struct dbc_db *db = load_text("\xEF\xBB\xBF" "VERSION \"x\"\nQQ_ ;\nBU_: ECU\n", &dg);
	ASSERT_TEXT(db, db->version, "x");
	assert_int_equal(db->n_nodes, 1);
	assert_int_equal(dg.n, 1);
	expect_diag(&dg, 0, 2, 1, DBC_WARNING);
	dbc_free(db);

	/* The BOM takes no column: the keyword right after it is 1:1. */
	db = load_text("\xEF\xBB\xBF" "QQ_ ;\nNS_ :\n", &dg);
	assert_int_equal(dg.n, 1);
	expect_diag(&dg, 0, 1, 1, DBC_WARNING);
	dbc_free(db);
}

static void test_cp1252_bytes_kept(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text("BO_ 256 M: 8 ECU\n"
				      " SG_ T : 0|8@1+ (1,0) [0|255] \"\xB0" "C\" X\n"
				      "CM_ SG_ 256 T \"\x93" "quoted\x94 \xE4\";\n"
				      "VAL_ 256 T 1 \"\xFC" "ber\";\n",
				      &dg);
	expect_no_diags(&dg);
	const struct dbc_signal *t = sig_named(db, msg_named(db, "M"), "T");
	ASSERT_TEXT(db, t->unit, "\xB0" "C");
	ASSERT_TEXT(db, t->extra->comment, "\x93" "quoted\x94 \xE4");
	ASSERT_TEXT(db, *dbc_signal_label(t, 1), "\xFC" "ber");
	dbc_free(db);
}

static void test_digit_names_warn(void **state)
{
	(void)state;
	struct diags dg;
	/* "BU_: 1ECU": '1' at column 6. "BO_ 256 2Msg": '2' at column 9.
	 * " SG_ 3Sig": '3' at column 6. Transmitter and receiver names that begin
	 * with a digit are references, not declarations: no warning. */
	struct dbc_db *db = load_text("BU_: 1ECU\n"
				      "BO_ 256 2Msg: 8 1ECU\n"
				      " SG_ 3Sig : 0|8@1+ (1,0) [0|255] \"\" 1ECU\n",
				      &dg);
	assert_int_equal(dg.n, 3);
	expect_diag(&dg, 0, 1, 6, DBC_WARNING);
	expect_diag(&dg, 1, 2, 9, DBC_WARNING);
	expect_diag(&dg, 2, 3, 6, DBC_WARNING);
	assert_int_equal(db->n_errors, 0);
	const struct dbc_message *m = msg_named(db, "2Msg");
	ASSERT_TEXT(db, m->transmitter, "1ECU");
	ASSERT_TEXT(db, sig_named(db, m, "3Sig")->receivers, "1ECU");
	ASSERT_TEXT(db, db->nodes->name, "1ECU");
	dbc_free(db);
}

static void test_val_missing_semicolon(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text("BO_ 256 M: 8 ECU\n"
				      " SG_ A : 0|8@1+ (1,0) [0|255] \"\" X\n"
				      " SG_ B : 8|8@1+ (1,0) [0|255] \"\" X\n"
				      "VAL_ 256 A 0 \"Off\" 1 \"On\"\n"
				      "VAL_ 256 B 2 \"Two\" 3 \"Three\" ;\n",
				      &dg);
	/* One warning, reported at the token found where ';' belonged: the
	 * next VAL_ at 5:1. Both lists are kept. */
	assert_int_equal(dg.n, 1);
	expect_diag(&dg, 0, 5, 1, DBC_WARNING);
	const struct dbc_message *m = msg_named(db, "M");
	const struct dbc_signal *a = sig_named(db, m, "A"), *b = sig_named(db, m, "B");
	assert_int_equal(a->extra->n_values, 2);
	ASSERT_TEXT(db, *dbc_signal_label(a, 1), "On");
	assert_int_equal(b->extra->n_values, 2);
	ASSERT_TEXT(db, *dbc_signal_label(b, 3), "Three");
	dbc_free(db);
}

/* ---- VECTOR__INDEPENDENT_SIG_MSG ------------------------------------------------------------ */

/* 3221225472 = 0xC0000000: bit 31 (extended) plus 0x40000000, an id no
 * 29-bit frame can carry. */
static const char pseudo_text[] =
	"BO_ 3221225472 VECTOR__INDEPENDENT_SIG_MSG: 0 Vector__XXX\n"
	" SG_ Orphan : 0|8@1+ (1,0) [0|255] \"\" Vector__XXX\n"
	"BO_ 256 Real: 8 ECU\n"
	" SG_ S : 0|8@1+ (1,0) [0|255] \"\" X\n"
	"CM_ SG_ 3221225472 Orphan \"kept\";\n";

static void check_pseudo_matches_nothing(const struct dbc_db *db)
{
	const struct dbc_message *pm = msg_named(db, "VECTOR__INDEPENDENT_SIG_MSG");
	static const uint32_t ids[] = {0x0, 0x1, 0x100, 0x7FF, 0x400, 0x00FEF100, 0x0C000003,
				       0x18000000, 0x18EAFFFE, 0x1FFFFFFF};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		for (int ext = 0; ext < 2; ext++) {
			if (!ext && ids[i] > 0x7FF)
				continue;
			const struct dbc_message *m = lookup(db, ids[i], ext);
			if (m == pm)
				fail_msg("frame 0x%X%s matched VECTOR__INDEPENDENT_SIG_MSG", ids[i],
					 ext ? " (extended)" : "");
		}
	}
}

static void test_pseudo_message(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_text(pseudo_text, &dg);
	expect_no_diags(&dg);
	assert_int_equal(db->n_messages, 2);
	const struct dbc_message *pm = msg_named(db, "VECTOR__INDEPENDENT_SIG_MSG");
	assert_int_equal(pm->id, 0x40000000);
	assert_true(pm->flags & DBC_MSG_PSEUDO);
	assert_int_equal(pm->length, 0);
	/* References to it resolve. */
	ASSERT_TEXT(db, sig_named(db, pm, "Orphan")->extra->comment, "kept");
	check_pseudo_matches_nothing(db);
	assert_ptr_equal(lookup(db, 0x100, false), msg_named(db, "Real"));
	dbc_free(db);
}

/* The same in a J1939 network, where extended messages without a frame
 * format are J1939 messages matched by PGN. The holder is no message on any
 * bus: PGN 0 frames (e.g. TSC1, 0x0C000003) must not find it. */
static void test_pseudo_message_j1939_network(void **state)
{
	(void)state;
	struct diags dg;
	char text[1024];
	snprintf(text, sizeof text, "%s%s", pseudo_text,
		 "BA_DEF_ \"ProtocolType\" STRING ;\n"
		 "BA_ \"ProtocolType\" \"J1939\";\n");
	struct dbc_db *db = load_text(text, &dg);
	expect_no_diags(&dg);
	check_pseudo_matches_nothing(db);
	dbc_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_ns_block),
		cmocka_unit_test(test_bs),
		cmocka_unit_test(test_bu_one_line),
		cmocka_unit_test(test_bu_one_per_line),
		cmocka_unit_test(test_val_table),
		cmocka_unit_test(test_bo_standard_and_extended),
		cmocka_unit_test(test_sg_fields),
		cmocka_unit_test(test_sg_mux_indicators),
		cmocka_unit_test(test_bo_tx_bu),
		cmocka_unit_test(test_cm_all_targets),
		cmocka_unit_test(test_attr_definitions),
		cmocka_unit_test(test_attr_values),
		cmocka_unit_test(test_attr_type_object_matrix),
		cmocka_unit_test(test_val_signal_and_envvar),
		cmocka_unit_test(test_sig_valtype_float),
		cmocka_unit_test(test_float32_raw_bits_not_sign_extended),
		cmocka_unit_test(test_sg_mul_val),
		cmocka_unit_test(test_sig_group),
		cmocka_unit_test(test_ev_envvar_data),
		cmocka_unit_test(test_sgtype_skipped),
		cmocka_unit_test(test_unknown_keyword_warns),
		cmocka_unit_test(test_line_comments),
		cmocka_unit_test(test_utf8_bom),
		cmocka_unit_test(test_cp1252_bytes_kept),
		cmocka_unit_test(test_digit_names_warn),
		cmocka_unit_test(test_val_missing_semicolon),
		cmocka_unit_test(test_pseudo_message),
		cmocka_unit_test(test_pseudo_message_j1939_network),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
