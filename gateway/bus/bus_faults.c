// SPDX-License-Identifier: MIT
#include "bus/bus_faults.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bus/bus.h"
#include "faults/fault.h"

/* Lower-case letters and digits only: "Permanent_Failure" -> "permanentfailure". */
static size_t squash(struct evgw_str t, char *out, size_t cap)
{
	size_t n = 0;
	for (uint32_t i = 0; i < t.len && n + 1 < cap; i++) {
		char c = t.ptr[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[n++] = c;
	}
	out[n] = '\0';
	return n;
}

bool evgw_fault_word(struct evgw_str text)
{
	char s[96];
	if (!squash(text, s, sizeof s))
		return false;
	/* A negation first says the opposite: "NoFault", "no_error", "NotFailed". */
	static const char *const negations[] = {"no", "not", "none", "ok", "without"};
	for (size_t i = 0; i < sizeof negations / sizeof negations[0]; i++)
		if (!strncmp(s, negations[i], strlen(negations[i])) && strcmp(s, "notavailable"))
			return false;
	static const char *const words[] = {"fault", "error", "fail", "defect", "malfunction", "broken"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strstr(s, words[i]))
			return true;
	return false;
}

static int severity_of(const struct dbc_db *db, const struct dbc_attr_def *def,
		       const struct dbc_signal *s, bool *marked)
{
	*marked = false;
	if (!def)
		return EVGW_SEV_ERROR;
	const struct dbc_attr_value *v = dbc_attr_value_of(db, def, DBC_OBJ_SIGNAL, s);
	/* A default (BA_DEF_DEF_) alone does not mark every signal. */
	if (!v || v == &def->def)
		return EVGW_SEV_ERROR;
	struct evgw_str t = dbc_attr_text_of(db, def, DBC_OBJ_SIGNAL, s);
	static const char *const names[] = {"", "info", "warning", "error", "critical"};
	for (int i = EVGW_SEV_INFO; i <= EVGW_SEV_CRITICAL; i++)
		if (evgw_str_eq_cstr(t, names[i])) {
			*marked = true;
			return i;
		}
	if (!t.len && v->num >= EVGW_SEV_INFO && v->num <= EVGW_SEV_CRITICAL) {
		*marked = true; /* INT 1..4 */
		return (int)v->num;
	}
	if (t.len && (evgw_str_eq_cstr(t, "none") || evgw_str_eq_cstr(t, "no")))
		return EVGW_SEV_ERROR; /* explicitly not a fault source */
	*marked = t.len > 0 || v->num != 0;
	return EVGW_SEV_ERROR;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int evgw_bus_find_fault_signals(struct evgw_bus *bus)
{
	uint32_t cap = 0;
	for (unsigned d = 0; d < bus->n_dbs; d++) {
		const struct dbc_db *db = bus->dbs[d];
		const struct dbc_attr_def *def = dbc_attr_def_find(db, "EvgwFault");
		for (uint32_t mi = 0; mi < db->n_messages; mi++) {
			const struct dbc_message *m = db->messages[mi];
			for (uint32_t si = 0; si < m->n_signals; si++) {
				const struct dbc_signal *s = &m->signals[si];
				bool marked;
				int sev = severity_of(db, def, s, &marked);
				uint32_t nfault = 0;
				if (!marked && s->extra)
					for (uint32_t k = 0; k < s->extra->n_values; k++)
						nfault += evgw_fault_word(dbc_str(db, s->extra->values[k].text));
				if (!marked && !nfault)
					continue;
				if (bus->n_faults == cap) {
					cap = cap ? cap * 2 : 16;
					struct evgw_sig_fault *v = realloc(bus->faults, cap * sizeof *v);
					if (!v)
						return -ENOMEM;
					bus->faults = v;
				}
				struct evgw_sig_fault *sf = &bus->faults[bus->n_faults];
				memset(sf, 0, sizeof *sf);
				sf->slot = (uint32_t)(evgw_bus_slot(bus, d, m, s) - bus->slots);
				sf->severity = (uint8_t)sev;
				sf->by_attribute = marked;
				if (nfault) {
					sf->values = malloc(nfault * sizeof *sf->values);
					if (!sf->values)
						return -ENOMEM;
					for (uint32_t k = 0; k < s->extra->n_values; k++)
						if (evgw_fault_word(dbc_str(db, s->extra->values[k].text)))
							sf->values[sf->n_values++] = s->extra->values[k].value;
					qsort(sf->values, sf->n_values, sizeof *sf->values, cmp_i64);
				}
				bus->slots[sf->slot].fault = bus->n_faults + 1;
				bus->n_faults++;
			}
		}
	}
	return 0;
}

void evgw_bus_free_fault_signals(struct evgw_bus *bus)
{
	for (uint32_t i = 0; i < bus->n_faults; i++)
		free(bus->faults[i].values);
	free(bus->faults);
	bus->faults = NULL;
	bus->n_faults = 0;
}

bool evgw_sig_fault_active(const struct evgw_sig_fault *sf, uint64_t raw)
{
	if (sf->by_attribute)
		return raw != 0;
	int64_t v = (int64_t)raw;
	uint32_t lo = 0, hi = sf->n_values;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (sf->values[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sf->n_values && sf->values[lo] == v;
}
