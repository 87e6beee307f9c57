// SPDX-License-Identifier: MIT
/* What a definition's confidence lets evgw say (vehicle/confidence.h): the
 * words, a DBC message's EvgwConfidence (value, file default, none), a
 * profile DID's (own, its ECU's, the profile's), and the decision that
 * turns a guess's fault into an unconfirmed observation of severity info. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "dbc/dbc.h"
#include "vehicle/confidence.h"
#include "vehicle/profile.h"

static void test_words(void **state)
{
	(void)state;
	assert_int_equal(evgw_confidence_parse("confirmed", 9), EVGW_CONFIDENCE_CONFIRMED);
	assert_int_equal(evgw_confidence_parse("public", 6), EVGW_CONFIDENCE_PUBLIC);
	assert_int_equal(evgw_confidence_parse("Assumed", 7), EVGW_CONFIDENCE_ASSUMED);
	/* A word evgw does not know is a guess, not a certainty. */
	assert_int_equal(evgw_confidence_parse("probably", 8), EVGW_CONFIDENCE_ASSUMED);
	assert_int_equal(evgw_confidence_parse("publicly", 6), EVGW_CONFIDENCE_PUBLIC); /* len bounds it */
	assert_int_equal(evgw_confidence_parse("", 0), EVGW_CONFIDENCE_UNGRADED);
	assert_string_equal(evgw_confidence_name(EVGW_CONFIDENCE_PUBLIC), "public");
}

static const char graded_dbc[] =
	"VERSION \"\"\n"
	"BU_: ECU\n"
	"BO_ 256 PUB: 8 ECU\n"
	" SG_ A : 0|8@1+ (1,0) [0|255] \"\" ECU\n"
	"BO_ 257 GUESS: 8 ECU\n"
	" SG_ B : 0|8@1+ (1,0) [0|255] \"\" ECU\n"
	"BO_ 258 SURE: 8 ECU\n"
	" SG_ C : 0|8@1+ (1,0) [0|255] \"\" ECU\n"
	"BO_ 2566859593 IMD: 8 ECU\n"
	" SG_ D : 0|8@1+ (1,0) [0|255] \"\" ECU\n"
	"BA_DEF_ BO_ \"EvgwConfidence\" ENUM \"confirmed\",\"public\",\"assumed\";\n"
	"BA_DEF_DEF_ \"EvgwConfidence\" \"assumed\";\n"
	"BA_ \"EvgwConfidence\" BO_ 256 1;\n"
	"BA_ \"EvgwConfidence\" BO_ 258 0;\n"
	"BA_ \"EvgwConfidence\" BO_ 2566859593 \"public\";\n";

static const char ungraded_dbc[] =
	"VERSION \"\"\n"
	"BU_: ECU\n"
	"BO_ 256 SHOP: 8 ECU\n"
	" SG_ A : 0|8@1+ (1,0) [0|255] \"\" ECU\n";

/* Defined, with no default and no value: a guess. */
static const char no_default_dbc[] =
	"VERSION \"\"\n"
	"BU_: ECU\n"
	"BO_ 256 BARE: 8 ECU\n"
	" SG_ A : 0|8@1+ (1,0) [0|255] \"\" ECU\n"
	"BA_DEF_ BO_ \"EvgwConfidence\" ENUM \"confirmed\",\"public\",\"assumed\";\n";

static struct dbc_db *load(const char *text)
{
	struct dbc_load_opts o = {true, NULL, NULL};
	struct dbc_db *db = NULL;
	assert_int_equal(dbc_load_buffer(text, strlen(text), "t.dbc", &o, &db), 0);
	return db;
}

static void test_dbc_message(void **state)
{
	(void)state;
	struct dbc_db *db = load(graded_dbc);
	assert_int_equal(evgw_dbc_message_confidence(db, dbc_find_message_by_name(db, "PUB")), EVGW_CONFIDENCE_PUBLIC);
	assert_int_equal(evgw_dbc_message_confidence(db, dbc_find_message_by_name(db, "GUESS")),
			 EVGW_CONFIDENCE_ASSUMED);
	assert_int_equal(evgw_dbc_message_confidence(db, dbc_find_message_by_name(db, "SURE")),
			 EVGW_CONFIDENCE_CONFIRMED);
	assert_int_equal(evgw_dbc_message_confidence(db, dbc_find_message_by_name(db, "IMD")), EVGW_CONFIDENCE_PUBLIC);
	dbc_free(db);
	db = load(ungraded_dbc);
	assert_int_equal(evgw_dbc_message_confidence(db, dbc_find_message_by_name(db, "SHOP")),
			 EVGW_CONFIDENCE_UNGRADED);
	dbc_free(db);
	db = load(no_default_dbc);
	assert_int_equal(evgw_dbc_message_confidence(db, dbc_find_message_by_name(db, "BARE")),
			 EVGW_CONFIDENCE_ASSUMED);
	dbc_free(db);
}

static void test_profile_did(void **state)
{
	(void)state;
	struct evgw_profile *p = calloc(1, sizeof *p);
	assert_non_null(p);
	strcpy(p->status, "public");
	p->n_ecus = 2;
	strcpy(p->ecus[0].confidence, "assumed");
	p->n_dids = 3;
	p->dids[0].ecu = 0;
	strcpy(p->dids[0].confidence, "public"); /* its own word first */
	p->dids[1].ecu = 0;                       /* its ECU's */
	p->dids[2].ecu = 1;                       /* the profile's */
	assert_int_equal(evgw_profile_did_confidence(p, &p->dids[0]), EVGW_CONFIDENCE_PUBLIC);
	assert_int_equal(evgw_profile_did_confidence(p, &p->dids[1]), EVGW_CONFIDENCE_ASSUMED);
	assert_int_equal(evgw_profile_did_confidence(p, &p->dids[2]), EVGW_CONFIDENCE_PUBLIC);
	free(p);
}

static struct evgw_fault fault(enum evgw_fault_severity sev, const char *lamp)
{
	struct evgw_fault f;
	memset(&f, 0, sizeof f);
	f.severity = sev;
	strcpy(f.lamp, lamp);
	return f;
}

/* The decision, case by case: only a guess nobody confirmed is demoted. */
static void test_grade(void **state)
{
	(void)state;
	struct evgw_fault f = fault(EVGW_SEV_ERROR, "amber");
	evgw_fault_grade(&f, EVGW_CONFIDENCE_ASSUMED, false);
	assert_true(f.unconfirmed);
	assert_int_equal(f.severity, EVGW_SEV_INFO);
	assert_string_equal(f.lamp, "");

	f = fault(EVGW_SEV_CRITICAL, "red stop");
	evgw_fault_grade(&f, EVGW_CONFIDENCE_ASSUMED, false);
	assert_true(f.unconfirmed);
	assert_int_equal(f.severity, EVGW_SEV_INFO);
	assert_string_equal(f.lamp, "");

	/* Confirmed by the shop: its real severity. */
	f = fault(EVGW_SEV_ERROR, "amber");
	evgw_fault_grade(&f, EVGW_CONFIDENCE_ASSUMED, true);
	assert_false(f.unconfirmed);
	assert_int_equal(f.severity, EVGW_SEV_ERROR);
	assert_string_equal(f.lamp, "amber");

	f = fault(EVGW_SEV_WARNING, "");
	evgw_fault_grade(&f, EVGW_CONFIDENCE_PUBLIC, false);
	assert_false(f.unconfirmed);
	assert_int_equal(f.severity, EVGW_SEV_WARNING);

	f = fault(EVGW_SEV_WARNING, "");
	evgw_fault_grade(&f, EVGW_CONFIDENCE_CONFIRMED, false);
	assert_false(f.unconfirmed);
	assert_int_equal(f.severity, EVGW_SEV_WARNING);

	f = fault(EVGW_SEV_ERROR, "");
	evgw_fault_grade(&f, EVGW_CONFIDENCE_UNGRADED, false);
	assert_false(f.unconfirmed);
	assert_int_equal(f.severity, EVGW_SEV_ERROR);

	/* Info stays info, but it is still said to be unconfirmed. */
	f = fault(EVGW_SEV_INFO, "");
	evgw_fault_grade(&f, EVGW_CONFIDENCE_ASSUMED, false);
	assert_true(f.unconfirmed);
	assert_int_equal(f.severity, EVGW_SEV_INFO);

	assert_true(evgw_confidence_unconfirmed(EVGW_CONFIDENCE_ASSUMED, false));
	assert_false(evgw_confidence_unconfirmed(EVGW_CONFIDENCE_ASSUMED, true));
	assert_false(evgw_confidence_unconfirmed(EVGW_CONFIDENCE_PUBLIC, false));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_dbc_message),
		cmocka_unit_test(test_profile_did),
		cmocka_unit_test(test_grade),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
