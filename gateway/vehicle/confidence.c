// SPDX-License-Identifier: MIT
#include "vehicle/confidence.h"

#include <string.h>
#include <strings.h>

#include "vehicle/profile.h"

static const char *const names[] = {"", "confirmed", "public", "assumed"};

enum evgw_confidence evgw_confidence_parse(const char *s, size_t len)
{
	if (!s || !len)
		return EVGW_CONFIDENCE_UNGRADED;
	for (int c = EVGW_CONFIDENCE_CONFIRMED; c <= EVGW_CONFIDENCE_ASSUMED; c++)
		if (strlen(names[c]) == len && !strncasecmp(s, names[c], len))
			return (enum evgw_confidence)c;
	return EVGW_CONFIDENCE_ASSUMED;
}

const char *evgw_confidence_name(enum evgw_confidence c)
{
	return (unsigned)c < sizeof names / sizeof names[0] ? names[c] : "";
}

enum evgw_confidence evgw_dbc_message_confidence(const struct dbc_db *db, const struct dbc_message *m)
{
	const struct dbc_attr_def *def = dbc_attr_def_find(db, "EvgwConfidence");
	if (!def)
		return EVGW_CONFIDENCE_UNGRADED;
	if (!dbc_attr_value_of(db, def, DBC_OBJ_MESSAGE, m))
		return EVGW_CONFIDENCE_ASSUMED; /* defined, yet neither a value nor a default */
	struct evgw_str t = dbc_attr_text_of(db, def, DBC_OBJ_MESSAGE, m);
	enum evgw_confidence c = evgw_confidence_parse(t.ptr, t.len);
	return c == EVGW_CONFIDENCE_UNGRADED ? EVGW_CONFIDENCE_ASSUMED : c;
}

enum evgw_confidence evgw_profile_did_confidence(const struct evgw_profile *p, const struct evgw_profile_did *d)
{
	if (d->confidence[0])
		return evgw_confidence_parse(d->confidence, strlen(d->confidence));
	if (d->ecu >= 0 && (unsigned)d->ecu < p->n_ecus && p->ecus[d->ecu].confidence[0])
		return evgw_confidence_parse(p->ecus[d->ecu].confidence, strlen(p->ecus[d->ecu].confidence));
	return evgw_confidence_parse(p->status, strlen(p->status));
}

bool evgw_confidence_unconfirmed(enum evgw_confidence c, bool shop_confirmed)
{
	return c == EVGW_CONFIDENCE_ASSUMED && !shop_confirmed;
}

void evgw_fault_grade(struct evgw_fault *f, enum evgw_confidence c, bool shop_confirmed)
{
	f->unconfirmed = evgw_confidence_unconfirmed(c, shop_confirmed);
	if (f->unconfirmed) {
		f->severity = EVGW_SEV_INFO;
		f->lamp[0] = '\0';
	}
}
