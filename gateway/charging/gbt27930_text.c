// SPDX-License-Identifier: MIT
#include "charging/gbt27930_text.h"

#include <stdio.h>

/* Every 2-bit field of the four stop and error messages (gbt27930_text.h
 * names the sources). */
static const struct gbt_reason reasons[] = {
	{GBT_BST, 0, false, "SOC target reached"},
	{GBT_BST, 2, false, "total voltage set point reached"},
	{GBT_BST, 4, false, "cell voltage set point reached"},
	{GBT_BST, 6, false, "the charger stopped"},
	{GBT_BST, 8, true, "insulation fault"},
	{GBT_BST, 10, true, "output connector over-temperature"},
	{GBT_BST, 12, true, "BMS component or output connector over-temperature"},
	{GBT_BST, 14, true, "charging connector fault"},
	{GBT_BST, 16, true, "battery pack over-temperature"},
	{GBT_BST, 18, true, "high-voltage relay fault"},
	{GBT_BST, 20, true, "detection point 2 voltage fault"},
	{GBT_BST, 22, true, "other fault"},
	{GBT_BST, 24, true, "over-current"},
	{GBT_BST, 26, true, "abnormal voltage"},
	{GBT_CST, 0, false, "conditions set at the charger reached"},
	{GBT_CST, 2, false, "stopped by hand"},
	{GBT_CST, 4, true, "stopped on a fault"},
	{GBT_CST, 6, false, "the BMS stopped"},
	{GBT_CST, 8, true, "charger over-temperature"},
	{GBT_CST, 10, true, "charging connector fault"},
	{GBT_CST, 12, true, "charger internal over-temperature"},
	{GBT_CST, 14, true, "energy cannot be delivered"},
	{GBT_CST, 16, true, "emergency stop"},
	{GBT_CST, 18, true, "other fault"},
	{GBT_CST, 24, true, "current mismatch"},
	{GBT_CST, 26, true, "abnormal voltage"},
	{GBT_BEM, 0, true, "timeout waiting for CRM 00 (charger recognition)"},
	{GBT_BEM, 2, true, "timeout waiting for CRM AA (charger recognised the BMS)"},
	{GBT_BEM, 8, true, "timeout waiting for CTS/CML (charger time and maximum output)"},
	{GBT_BEM, 10, true, "timeout waiting for CRO (charger ready)"},
	{GBT_BEM, 16, true, "timeout waiting for CCS (charger charging state)"},
	{GBT_BEM, 18, true, "timeout waiting for CST (charger stop)"},
	{GBT_BEM, 24, true, "timeout waiting for CSD (charger statistics)"},
	{GBT_CEM, 0, true, "timeout waiting for BRM (BMS recognition)"},
	{GBT_CEM, 8, true, "timeout waiting for BCP (battery charging parameters)"},
	{GBT_CEM, 10, true, "timeout waiting for BRO (BMS ready)"},
	{GBT_CEM, 16, true, "timeout waiting for BCS (battery charging state)"},
	{GBT_CEM, 18, true, "timeout waiting for BCL (battery charging demand)"},
	{GBT_CEM, 20, true, "timeout waiting for BST (BMS stop)"},
	{GBT_CEM, 24, true, "timeout waiting for BSD (BMS statistics)"},
};

const char *gbt_reason_side(enum gbt_msg m)
{
	switch (m) {
	case GBT_BST:
	case GBT_BEM:
		return "BMS";
	case GBT_CST:
	case GBT_CEM:
		return "charger";
	default:
		return "";
	}
}

static bool set(const struct gbt_reason *r, uint32_t bits)
{
	return ((bits >> r->shift) & 3u) == 1u;
}

unsigned gbt_reasons(enum gbt_msg m, uint32_t bits, const struct gbt_reason **out, unsigned max)
{
	unsigned n = 0;
	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
		if (reasons[i].msg != m || !set(&reasons[i], bits))
			continue;
		if (n < max)
			out[n] = &reasons[i];
		n++;
	}
	return n;
}

uint32_t gbt_fault_bits(enum gbt_msg m, uint32_t bits)
{
	uint32_t kept = 0;
	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
		if (reasons[i].msg == m && reasons[i].fault && set(&reasons[i], bits))
			kept |= 1u << reasons[i].shift;
	return kept;
}

size_t gbt_reasons_text(enum gbt_msg m, uint32_t bits, bool faults_only, char *out, size_t cap)
{
	size_t n = 0;
	if (cap)
		out[0] = '\0';
	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0] && cap; i++) {
		const struct gbt_reason *r = &reasons[i];
		if (r->msg != m || !set(r, bits) || (faults_only && !r->fault))
			continue;
		int w = snprintf(out + n, cap - n, "%s%s", n ? ", " : "", r->words);
		if (w < 0 || (size_t)w >= cap - n) {
			n = cap - 1;
			break;
		}
		n += (size_t)w;
	}
	return n;
}
