// SPDX-License-Identifier: MIT
/* GB/T 27930 payloads: see gbt27930.h for the layouts and their sources. */
#include "charging/gbt27930.h"

#include <errno.h>
#include <string.h>

/* Name, PGN, sender, shortest payload, stage, meaning: SK's PGN table. */
static const struct gbt_msg_info msgs[GBT_MSG_COUNT] = {
	[GBT_CHM] = {"CHM", 0x2600, false, 3, GBT_STAGE_HANDSHAKE, "charger handshake"},
	[GBT_BHM] = {"BHM", 0x2700, true, 2, GBT_STAGE_HANDSHAKE, "BMS handshake"},
	[GBT_CRM] = {"CRM", 0x0100, false, 1, GBT_STAGE_RECOGNITION, "charger recognition"},
	[GBT_BRM] = {"BRM", 0x0200, true, 8, GBT_STAGE_RECOGNITION, "BMS and vehicle recognition"},
	[GBT_BCP] = {"BCP", 0x0600, true, 13, GBT_STAGE_PARAMETERS, "battery charging parameters"},
	[GBT_CTS] = {"CTS", 0x0700, false, 0, GBT_STAGE_PARAMETERS, "charger time sync"},
	[GBT_CML] = {"CML", 0x0800, false, 6, GBT_STAGE_PARAMETERS, "charger maximum output"},
	[GBT_BRO] = {"BRO", 0x0900, true, 1, GBT_STAGE_PARAMETERS, "BMS ready"},
	[GBT_CRO] = {"CRO", 0x0A00, false, 1, GBT_STAGE_PARAMETERS, "charger ready"},
	[GBT_BCL] = {"BCL", 0x1000, true, 5, GBT_STAGE_CHARGING, "battery charging demand"},
	[GBT_BCS] = {"BCS", 0x1100, true, 9, GBT_STAGE_CHARGING, "battery charging state"},
	[GBT_CCS] = {"CCS", 0x1200, false, 6, GBT_STAGE_CHARGING, "charger charging state"},
	[GBT_BSM] = {"BSM", 0x1300, true, 7, GBT_STAGE_CHARGING, "battery status"},
	[GBT_BMV] = {"BMV", 0x1500, true, 2, GBT_STAGE_CHARGING, "cell voltages"},
	[GBT_BMT] = {"BMT", 0x1600, true, 1, GBT_STAGE_CHARGING, "battery temperatures"},
	[GBT_BSP] = {"BSP", 0x1700, true, 0, GBT_STAGE_CHARGING, "battery reserved"},
	[GBT_BST] = {"BST", 0x1900, true, 4, GBT_STAGE_END, "BMS stop"},
	[GBT_CST] = {"CST", 0x1A00, false, 4, GBT_STAGE_END, "charger stop"},
	[GBT_BSD] = {"BSD", 0x1C00, true, 7, GBT_STAGE_END, "BMS statistics"},
	[GBT_CSD] = {"CSD", 0x1D00, false, 5, GBT_STAGE_END, "charger statistics"},
	[GBT_BEM] = {"BEM", 0x1E00, true, 4, GBT_STAGE_END, "BMS error"},
	[GBT_CEM] = {"CEM", 0x1F00, false, 4, GBT_STAGE_END, "charger error"},
};

const struct gbt_msg_info *gbt_msg_info(enum gbt_msg m)
{
	return (unsigned)m < GBT_MSG_COUNT ? &msgs[m] : NULL;
}

int gbt_msg_of_pgn(uint32_t pgn)
{
	for (int i = 0; i < GBT_MSG_COUNT; i++)
		if (msgs[i].pgn == pgn)
			return i;
	return -1;
}

const char *gbt_stage_name(enum gbt_stage s)
{
	static const char *const names[GBT_STAGE_COUNT] = {"handshake", "recognition", "parameters", "charging",
							   "end"};
	return (unsigned)s < GBT_STAGE_COUNT ? names[s] : "";
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le24(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

static uint32_t le32(const uint8_t *p)
{
	return le24(p) | (uint32_t)p[3] << 24;
}

/* Byte 0 the minor number, bytes 1-2 the major (SK: "V1.0" is 00 01 00). */
static struct gbt_version version_of(const uint8_t *p)
{
	return (struct gbt_version){.major = le16(p + 1), .minor = p[0]};
}

/* ASCII text of a fixed field: kept only when every byte up to the first
 * NUL / 0xFF pad is printable, else "". */
static void ascii(const uint8_t *p, size_t n, char *out)
{
	size_t k = 0;
	while (k < n && p[k] != 0 && p[k] != 0xFF) {
		if (p[k] < 0x20 || p[k] > 0x7E) {
			out[0] = '\0';
			return;
		}
		out[k] = (char)p[k];
		k++;
	}
	out[k] = '\0';
}

static void decode_brm(const uint8_t *d, size_t len, struct gbt_brm *b)
{
	b->version = version_of(d);
	b->battery_type = d[3];
	b->rated_dah = le16(d + 4);
	b->rated_dv = le16(d + 6);
	if (len < 41)
		return;
	b->has_ext = true;
	ascii(d + 8, 4, b->maker);
	b->pack_number = le32(d + 12);
	b->year = d[16] == GBT_NA8 ? 0 : (uint16_t)(1985 + d[16]);
	b->month = d[17];
	b->day = d[18];
	b->charge_count = le24(d + 19);
	b->ownership = d[22];
	ascii(d + 24, 17, b->vin);
	if (len < 49)
		return;
	b->has_bms_version = true;
	memcpy(b->bms_version, d + 41, 8);
}

static int decode_bmv(const uint8_t *d, size_t len, struct gbt_bmv *v)
{
	if (len % 2 || len / 2 > GBT_MAX_CELLS)
		return -EBADMSG;
	v->cells = (uint16_t)(len / 2);
	for (uint16_t i = 0; i < v->cells; i++) {
		uint16_t cv = le16(d + 2 * i) & 0x0FFFu;
		if (i == 0 || cv < v->min_cv) {
			v->min_cv = cv;
			v->min_cell = (uint16_t)(i + 1);
		}
		if (i == 0 || cv > v->max_cv) {
			v->max_cv = cv;
			v->max_cell = (uint16_t)(i + 1);
		}
	}
	return 0;
}

static int decode_bmt(const uint8_t *d, size_t len, struct gbt_bmt *t)
{
	if (len > GBT_MAX_PROBES)
		return -EBADMSG;
	t->probes = (uint16_t)len;
	for (uint16_t i = 0; i < t->probes; i++) {
		if (i == 0 || d[i] < t->min_raw) {
			t->min_raw = d[i];
			t->min_probe = (uint16_t)(i + 1);
		}
		if (i == 0 || d[i] > t->max_raw) {
			t->max_raw = d[i];
			t->max_probe = (uint16_t)(i + 1);
		}
	}
	return 0;
}

int gbt_decode(uint32_t pgn, const uint8_t *d, size_t len, struct gbt_decoded *out)
{
	int m = gbt_msg_of_pgn(pgn);
	if (m < 0)
		return -ENOENT;
	memset(out, 0, sizeof *out);
	out->msg = (enum gbt_msg)m;
	if (len < msgs[m].min_len || (len && !d))
		return -EBADMSG;
	switch ((enum gbt_msg)m) {
	case GBT_CHM:
		out->u.chm.version = version_of(d);
		break;
	case GBT_BHM:
		out->u.bhm.max_dv = le16(d);
		break;
	case GBT_CRM:
		out->u.crm.recognised = d[0];
		if (len >= 8) {
			out->u.crm.has_number = true;
			out->u.crm.charger_number = le32(d + 1);
			out->u.crm.region = le24(d + 5);
		}
		break;
	case GBT_BRM:
		decode_brm(d, len, &out->u.brm);
		break;
	case GBT_BCP:
		out->u.bcp = (struct gbt_bcp){le16(d), le16(d + 2), le16(d + 4), le16(d + 6), d[8], le16(d + 9),
					      le16(d + 11)};
		break;
	case GBT_CTS:
		break;
	case GBT_CML:
		out->u.cml = (struct gbt_cml){le16(d), le16(d + 2), le16(d + 4), len >= 8, len >= 8 ? le16(d + 6) : 0};
		break;
	case GBT_BRO:
	case GBT_CRO:
		out->u.ready.state = d[0];
		break;
	case GBT_BCL:
		out->u.bcl = (struct gbt_bcl){le16(d), le16(d + 2), d[4]};
		break;
	case GBT_BCS:
		out->u.bcs = (struct gbt_bcs){le16(d), le16(d + 2), le16(d + 4) & 0x0FFFu, (uint8_t)(d[5] >> 4), d[6],
					      le16(d + 7)};
		break;
	case GBT_CCS:
		out->u.ccs = (struct gbt_ccs){le16(d), le16(d + 2), le16(d + 4), len >= 7,
					      len >= 7 ? (uint8_t)(d[6] & 3u) : 0};
		break;
	case GBT_BSM:
		out->u.bsm = (struct gbt_bsm){(uint16_t)(d[0] + 1), d[1], (uint8_t)(d[2] + 1), d[3],
					      (uint8_t)(d[4] + 1), d[5], d[6]};
		break;
	case GBT_BMV:
		return decode_bmv(d, len, &out->u.bmv);
	case GBT_BMT:
		return decode_bmt(d, len, &out->u.bmt);
	case GBT_BSP:
		if (len > 16)
			return -EBADMSG;
		out->u.bsp.len = (uint16_t)len;
		break;
	case GBT_BST:
	case GBT_CST:
	case GBT_BEM:
	case GBT_CEM:
		out->u.stop.bits = le32(d);
		break;
	case GBT_BSD:
		out->u.bsd = (struct gbt_bsd){d[0], le16(d + 1), le16(d + 3), d[5], d[6]};
		break;
	case GBT_CSD:
		out->u.csd = (struct gbt_csd){le16(d), le16(d + 2), len >= 8, len >= 8 ? le32(d + 4) : 0};
		break;
	case GBT_MSG_COUNT:
		return -ENOENT;
	}
	return 0;
}
