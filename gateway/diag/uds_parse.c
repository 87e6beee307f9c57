// SPDX-License-Identifier: MIT
/* UDS and KWP2000 response parsers. Every read checks the remaining length
 * first; payloads are hostile. Layouts: ISO 14229-1:2013 clauses 9.2 (0x10),
 * 11.2 (0x14), 11.3 (0x19), 10.2 (0x22); ISO 14230-3 (0x18), as summarised
 * with sources in shared/reference/vehicles-and-protocols.md §3b, §4.2.
 * KWP2000 0x14 ClearDiagnosticInformation (ISO 14230-3; the ISO text not
 * read): request 14 <groupOfDiagnosticInformation hi lo>, FF00 all groups,
 * 0000/4000/8000/C000 powertrain/chassis/body/network, other values one DTC
 * (rnd-ash/ecu_diagnostics, MIT, src/kwp2000/clear_diagnostic_information.rs;
 * the KWP2000 Implementation Recommended Practice v1.5, 1997, is the
 * industry text built on ISO 14230-3); positive response 54 with the group
 * echoed: "54 FF 00" to "14 FF 00" in two public texts whose repositories
 * the code search did not name (reverse-engineering notes on an engine ECU's
 * KWP 0x14 handler; a PSA K-line ECU emulator's tests). */
#include <errno.h>
#include <string.h>

#include "diag/uds.h"

#define RESP_19 0x59
#define RESP_18 0x58
#define RESP_14 0x54
#define RESP_22 0x62
#define RESP_10 0x50
#define IDS_TO_END 0x100

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

int uds_parse_negative(const uint8_t *d, size_t n, uint8_t *sid, uint8_t *nrc)
{
	if (!d || n == 0 || d[0] != UDS_SID_NEGATIVE)
		return -ENOMSG;
	if (n < 3)
		return -EBADMSG;
	*sid = d[1];
	*nrc = d[2];
	return 0;
}

int uds_parse_session(const uint8_t *d, size_t n, struct uds_session_info *out)
{
	if (!d || n == 0 || d[0] != RESP_10)
		return -ENOMSG;
	/* 50 <session> [P2server_max BE16 ms, P2*server_max BE16 x10 ms]; KWP
	 * and older servers stop after the session byte. */
	if (n < 2 || (n > 2 && n < 6))
		return -EBADMSG;
	memset(out, 0, sizeof *out);
	out->session = d[1] & 0x7F;
	if (n >= 6) {
		out->has_timing = true;
		out->p2_ms = be16(d + 2);
		out->p2_star_ms = (uint32_t)be16(d + 4) * 10u;
	}
	return 0;
}

static bool is_count_sub(uint8_t sub)
{
	/* reportNumberOf...: by status mask, by severity, mirror memory, OBD. */
	return sub == 0x01 || sub == 0x07 || sub == 0x11 || sub == 0x12;
}

int uds_parse_dtc_count(const uint8_t *d, size_t n, struct uds_dtc_count *out)
{
	if (!d || n < 2 || d[0] != RESP_19 || !is_count_sub(d[1]))
		return -ENOMSG;
	/* 59 01 <availMask> <DTCFormatIdentifier> <count BE16> */
	if (n < 6)
		return -EBADMSG;
	out->avail_mask = d[2];
	out->format = d[3];
	out->count = be16(d + 4);
	return 0;
}

static bool is_list_sub(uint8_t sub)
{
	/* availMask {DTC[3] status}*: by mask, supported, first/most recent
	 * failed/confirmed, mirror memory, emissions-OBD, permanent. */
	switch (sub) {
	case 0x02: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x0E:
	case 0x0F: case 0x13: case 0x15:
		return true;
	default:
		return false;
	}
}

int uds_parse_dtc_list(const uint8_t *d, size_t n, struct uds_dtc_list *out)
{
	size_t m, t, eff;

	if (!d || n < 2 || d[0] != RESP_19 || !is_list_sub(d[1]))
		return -ENOMSG;
	if (n < 3)
		return -EBADMSG;
	m = n - 3;
	/* Some servers pad with zeros (udsoncan's tolerate_zero_padding): drop
	 * trailing zeros, then take whole 4-byte records. An all-zero record is
	 * DTC 0, which is no DTC. */
	t = m;
	while (t > 0 && d[3 + t - 1] == 0)
		t--;
	eff = (t + 3) / 4 * 4;
	if (eff > m)
		return -EBADMSG;
	memset(out, 0, sizeof *out);
	out->rec = d + 3;
	out->count = eff / 4;
	out->rec_size = 4;
	out->dtc_bytes = 3;
	out->avail_mask = d[2];
	out->sub = d[1];
	return 0;
}

int kwp_parse_dtc_by_status(const uint8_t *d, size_t n, unsigned dtc_bytes,
			    struct uds_dtc_list *out)
{
	size_t count, m;

	if (!d || n == 0 || d[0] != RESP_18)
		return -ENOMSG;
	if (n < 2 || (dtc_bytes != 0 && dtc_bytes != 2 && dtc_bytes != 3))
		return -EBADMSG;
	/* 58 <numberOfDTC> {DTC status}*: 2-byte DTCs in ISO 14230-3; 3-byte
	 * ones from some BYD modules (reference §4.2). Unsure? The exact fit wins. */
	count = d[1];
	m = n - 2;
	if (dtc_bytes == 0)
		dtc_bytes = (count > 0 && m == count * 4) ? 3 : 2;
	if (m < count * (dtc_bytes + 1))
		return -EBADMSG;
	memset(out, 0, sizeof *out);
	out->rec = d + 2;
	out->count = count;
	out->dtc_bytes = (uint8_t)dtc_bytes;
	out->rec_size = (uint8_t)(dtc_bytes + 1);
	return 0;
}

int uds_dtc_list_get(const struct uds_dtc_list *l, size_t i, struct uds_dtc *out)
{
	const uint8_t *r;

	if (!l || !out || i >= l->count)
		return -ERANGE;
	r = l->rec + i * l->rec_size;
	out->code = l->dtc_bytes == 3 ? be24(r) : be16(r);
	out->status = r[l->dtc_bytes];
	return 0;
}

int kwp_parse_clear_dtc(const uint8_t *d, size_t n, uint16_t group)
{
	if (!d || n == 0 || d[0] != RESP_14)
		return -ENOMSG;
	if (n == 1)
		return 0;  /* UDS-style: no echo */
	if (n != 3 || be16(d + 1) != group)
		return -EBADMSG;
	return 0;
}

int uds_parse_dtc_records(const uint8_t *d, size_t n, struct uds_dtc_records *out)
{
	if (!d || n < 2 || d[0] != RESP_19 || (d[1] != 0x04 && d[1] != 0x06))
		return -ENOMSG;
	/* 59 04|06 <DTC[3]> <status> records... */
	if (n < 6)
		return -EBADMSG;
	out->sub = d[1];
	out->dtc.code = be24(d + 2);
	out->dtc.status = d[5];
	out->rec = d + 6;
	out->rec_len = n - 6;
	return 0;
}

void uds_rec_cursor_init(struct uds_rec_cursor *cur, const struct uds_dtc_records *r)
{
	memset(cur, 0, sizeof *cur);
	cur->p = r->rec;
	cur->n = r->rec_len;
}

/* Length of the next item: the caller's answer, or the rest when unknown. */
static int item_len(uds_len_fn fn, void *ud, uint16_t id, size_t rest, size_t *len)
{
	int l = fn ? fn(ud, id) : -1;

	if (l < 0) {
		*len = rest;
		return 1;
	}
	if ((size_t)l > rest)
		return -EBADMSG;
	*len = (size_t)l;
	return 0;
}

int uds_snapshot_next(struct uds_rec_cursor *cur, uds_len_fn did_len, void *ud,
		      struct uds_rec_item *out)
{
	size_t len;
	uint16_t did;
	int rc;

	if (cur->ids_left == 0) {
		if (cur->off >= cur->n)
			return 0;
		/* DTCSnapshotRecordNumber, DTCSnapshotRecordNumberOfIdentifiers
		 * (0 = more than 255: read to the end). */
		if (cur->n - cur->off < 2)
			return -EBADMSG;
		cur->record = cur->p[cur->off];
		cur->ids_left = cur->p[cur->off + 1] ? cur->p[cur->off + 1] : IDS_TO_END;
		cur->off += 2;
	}
	if (cur->ids_left == IDS_TO_END && cur->off >= cur->n) {
		cur->ids_left = 0;
		return 0;
	}
	if (cur->n - cur->off < 2)
		return -EBADMSG;
	did = be16(cur->p + cur->off);
	cur->off += 2;
	rc = item_len(did_len, ud, did, cur->n - cur->off, &len);
	if (rc < 0)
		return rc;
	out->record = cur->record;
	out->did = did;
	out->data = cur->p + cur->off;
	out->len = len;
	cur->off += len;
	if (rc == 1)
		cur->ids_left = 0;  /* unknown length took the rest */
	else if (cur->ids_left != IDS_TO_END)
		cur->ids_left--;
	return 1;
}

int uds_extdata_next(struct uds_rec_cursor *cur, uds_len_fn rec_len, void *ud,
		     struct uds_rec_item *out)
{
	size_t len;
	uint8_t rec;
	int rc;

	if (cur->off >= cur->n)
		return 0;
	rec = cur->p[cur->off++];
	rc = item_len(rec_len, ud, rec, cur->n - cur->off, &len);
	if (rc < 0)
		return rc;
	out->record = rec;
	out->did = 0;
	out->data = cur->p + cur->off;
	out->len = len;
	cur->off += len;
	return 1;
}

int uds_parse_did(const uint8_t *d, size_t n, uint16_t did, const uint8_t **val, size_t *len)
{
	if (!d || n == 0 || d[0] != RESP_22)
		return -ENOMSG;
	if (n < 3)
		return -EBADMSG;
	if (be16(d + 1) != did)
		return -ENOMSG;
	*val = d + 3;
	*len = n - 3;
	return 0;
}

static bool vin_char(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int uds_parse_vin(const uint8_t *d, size_t n, char vin[UDS_VIN_LEN + 1])
{
	const uint8_t *v;
	size_t len;
	int rc = uds_parse_did(d, n, UDS_DID_VIN, &v, &len);

	if (rc < 0)
		return rc;
	if (len < UDS_VIN_LEN)
		return -EBADMSG;
	for (size_t i = 0; i < UDS_VIN_LEN; i++)
		if (!vin_char(v[i]))
			return -EBADMSG;
	for (size_t i = UDS_VIN_LEN; i < len; i++)
		if (v[i] != 0x00 && v[i] != ' ' && v[i] != 0xFF)
			return -EBADMSG;
	memcpy(vin, v, UDS_VIN_LEN);
	vin[UDS_VIN_LEN] = '\0';
	return 0;
}

/* ISO 14229-1:2013 annex A.1 (names as the standard spells them). */
static const struct {
	uint8_t nrc;
	const char *name;
} nrc_names[] = {
	{0x10, "generalReject"},
	{0x11, "serviceNotSupported"},
	{0x12, "subFunctionNotSupported"},
	{0x13, "incorrectMessageLengthOrInvalidFormat"},
	{0x14, "responseTooLong"},
	{0x21, "busyRepeatRequest"},
	{0x22, "conditionsNotCorrect"},
	{0x24, "requestSequenceError"},
	{0x25, "noResponseFromSubnetComponent"},
	{0x26, "failurePreventsExecutionOfRequestedAction"},
	{0x31, "requestOutOfRange"},
	{0x33, "securityAccessDenied"},
	{0x34, "authenticationRequired"},
	{0x35, "invalidKey"},
	{0x36, "exceedNumberOfAttempts"},
	{0x37, "requiredTimeDelayNotExpired"},
	{0x70, "uploadDownloadNotAccepted"},
	{0x71, "transferDataSuspended"},
	{0x72, "generalProgrammingFailure"},
	{0x73, "wrongBlockSequenceCounter"},
	{0x78, "requestCorrectlyReceived-ResponsePending"},
	{0x7E, "subFunctionNotSupportedInActiveSession"},
	{0x7F, "serviceNotSupportedInActiveSession"},
	{0x81, "rpmTooHigh"},
	{0x82, "rpmTooLow"},
	{0x83, "engineIsRunning"},
	{0x84, "engineIsNotRunning"},
	{0x85, "engineRunTimeTooLow"},
	{0x86, "temperatureTooHigh"},
	{0x87, "temperatureTooLow"},
	{0x88, "vehicleSpeedTooHigh"},
	{0x89, "vehicleSpeedTooLow"},
	{0x8A, "throttle/PedalTooHigh"},
	{0x8B, "throttle/PedalTooLow"},
	{0x8C, "transmissionRangeNotInNeutral"},
	{0x8D, "transmissionRangeNotInGear"},
	{0x8F, "brakeSwitch(es)NotClosed"},
	{0x90, "shifterLeverNotInPark"},
	{0x91, "torqueConverterClutchLocked"},
	{0x92, "voltageTooHigh"},
	{0x93, "voltageTooLow"},
};

const char *uds_nrc_name(uint8_t nrc)
{
	for (size_t i = 0; i < sizeof nrc_names / sizeof nrc_names[0]; i++)
		if (nrc_names[i].nrc == nrc)
			return nrc_names[i].name;
	if (nrc >= 0x38 && nrc <= 0x4F)
		return "reservedByExtendedDataLinkSecurityDocument";
	if (nrc >= 0xF0 && nrc <= 0xFE)
		return "vehicleManufacturerSpecificConditionsNotCorrect";
	return "ISOSAEReserved";
}

const char *uds_rc_str(int rc)
{
	if (rc == 0)
		return "positiveResponse";
	if (rc > 0 && rc <= 0xFF)
		return uds_nrc_name((uint8_t)rc);
	switch (rc) {
	case -ETIMEDOUT:
		return "no response (P2/P2* timeout)";
	case -EBADMSG:
		return "malformed response";
	case -ENOMSG:
		return "unexpected response";
	case -EBUSY:
		return "request already in flight";
	case -EMSGSIZE:
		return "message too long";
	case -EILSEQ:
		return "transport: wrong sequence number";
	case -EOVERFLOW:
		return "transport: receiver overflow";
	default:
		return "transport error";
	}
}
