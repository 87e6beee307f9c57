// SPDX-License-Identifier: MIT
/* libFuzzer target: the UDS, KWP2000 and OBD-II response parsers, and the
 * UDS client state machine, on hostile payloads. Each parser reads an
 * exact-size heap copy so that ASan catches a read past the end; results
 * must stay inside the payload, iterations must end, text must fit.
 *
 * Input: byte 0 picks the request the client has in flight and the record
 * lengths the snapshot/extended-data walkers are told; the rest, split at
 * 0xA5 0x5A, are responses fed to the client in turn (and each to every
 * parser). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag/dtc.h"
#include "diag/obd.h"
#include "diag/uds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t len_seed;
static unsigned sink;

static void inside(const uint8_t *p, size_t n, const uint8_t *q, size_t m)
{
	if (m && (q < p || q + m > p + n))
		abort();
}

static int rec_len(void *ud, uint16_t id)
{
	/* Some known, some unknown lengths, decided by the input. */
	int v = (id ^ len_seed) & 0x0F;

	return v == 0x0F ? -1 : v;
}

static void text_of(uint32_t code, uint8_t status)
{
	char s[DTC_STR_3BYTE], st[200];

	if (dtc_format_3byte(code, '-', s, sizeof s) != 8 || strlen(s) != 8)
		abort();
	if (dtc_format_2byte((uint16_t)code, s, sizeof s) != 5)
		abort();
	if (uds_dtc_status_str(status, st, sizeof st) < 0 || kwp_dtc_status_str(status, st, sizeof st) < 0)
		abort();
	if (!dtc_state_name(uds_dtc_state(status)) || !dtc_state_name(kwp_dtc_state(status)))
		abort();
}

static void walk_list(const uint8_t *p, size_t n, const struct uds_dtc_list *l)
{
	struct uds_dtc d;

	inside(p, n, l->rec, l->count * l->rec_size);
	for (size_t i = 0; i < l->count; i++) {
		if (uds_dtc_list_get(l, i, &d) != 0)
			abort();
		text_of(d.code, d.status);
	}
	if (uds_dtc_list_get(l, l->count, &d) != -ERANGE)
		abort();
}

static void uds_parsers(const uint8_t *p, size_t n)
{
	struct uds_session_info si;
	struct uds_dtc_count dc;
	struct uds_dtc_list l;
	struct uds_dtc_records r;
	struct uds_rec_cursor cur;
	struct uds_rec_item it;
	const uint8_t *v;
	size_t vn;
	char vin[UDS_VIN_LEN + 1];
	uint8_t sid, nrc;
	int rc, steps;

	if (uds_parse_negative(p, n, &sid, &nrc) == 0)
		sink += uds_nrc_name(nrc)[0];
	(void)uds_parse_session(p, n, &si);
	(void)uds_parse_dtc_count(p, n, &dc);
	if (uds_parse_dtc_list(p, n, &l) == 0)
		walk_list(p, n, &l);
	for (unsigned w = 0; w <= 3; w++)
		if (w != 1 && kwp_parse_dtc_by_status(p, n, w, &l) == 0)
			walk_list(p, n, &l);
	if (uds_parse_dtc_records(p, n, &r) == 0) {
		inside(p, n, r.rec, r.rec_len);
		for (int pass = 0; pass < 2; pass++) {
			uds_rec_cursor_init(&cur, &r);
			steps = 0;
			do {
				rc = pass ? uds_extdata_next(&cur, (len_seed & 1) ? rec_len : NULL, NULL, &it)
					  : uds_snapshot_next(&cur, (len_seed & 2) ? rec_len : NULL, NULL, &it);
				if (rc == 1)
					inside(r.rec, r.rec_len, it.data, it.len);
				if (++steps > (int)n + 2)
					abort();  /* every item consumes a byte or more */
			} while (rc == 1);
		}
	}
	if (uds_parse_did(p, n, n >= 3 ? (uint16_t)(p[1] << 8 | p[2]) : 0, &v, &vn) == 0)
		inside(p, n, v, vn);
	if (uds_parse_vin(p, n, vin) == 0 && strlen(vin) != UDS_VIN_LEN)
		abort();
	/* Asked with the group the payload echoes, or all groups. */
	if (kwp_parse_clear_dtc(p, n, n >= 3 ? (uint16_t)(p[1] << 8 | p[2]) : KWP_DTC_GROUP_ALL) == 0 &&
	    n != 1 && n != 3)
		abort();
}

static void obd_parsers(const uint8_t *p, size_t n)
{
	struct obd_dtc_list l;
	struct obd_pid_cursor c;
	struct obd_monitor_status m;
	struct obd_pid_set set = {{0}};
	char vin[OBD_VIN_LEN + 1];
	uint16_t code;
	uint8_t pid;
	const uint8_t *d;
	size_t len, pos;
	double val;

	for (int hc = 0; hc < 2; hc++) {
		if (obd_parse_dtcs(p, n, hc, &l) != 0)
			continue;
		inside(p, n, l.rec, l.n_rec * 2);
		pos = 0;
		while (obd_dtc_next(&l, &pos, &code) == 1)
			text_of((uint32_t)code << 8, 0);
	}
	(void)obd_parse_clear(p, n);
	if (obd_parse_vin(p, n, vin) == 0 && strlen(vin) != OBD_VIN_LEN)
		abort();
	if (obd_mode01_begin(&c, p, n) == 0) {
		while (obd_mode01_next(&c, &pid, &d, &len) == 1) {
			inside(p, n, d, len);
			if (obd_decode_pid(pid, d, len, &val) == 0)
				sink += (unsigned)(int)val;
			if (pid == 0x01)
				(void)obd_decode_monitor_status(d, len, &m);
			if ((pid & 0x1F) == 0)
				(void)obd_pid_set_add(&set, pid, d, len);
		}
	}
}

struct got {
	int results;
};

static void on_result(void *ud, const struct uds_result *r)
{
	struct got *g = ud;

	g->results++;
	if (r->data && r->len == 0)
		abort();
	sink += (unsigned)r->rc;
}

static int null_send(void *ctx, const uint8_t *d, size_t n, int64_t now)
{
	return 0;
}

static void start_request(struct uds_client *c, uint8_t sel, int64_t now)
{
	switch (sel % 8) {
	case 0: uds_session_control(c, UDS_SESSION_EXTENDED, now); break;
	case 1: uds_read_did(c, UDS_DID_VIN, now); break;
	case 2: uds_read_dtc_by_status(c, 0xFF, now); break;
	case 3: uds_read_dtc_snapshot(c, 0x012345, 0xFF, now); break;
	case 4: kwp_read_dtc_by_status(c, 0x00, KWP_DTC_GROUP_ALL, 2, now); break;
	case 5: uds_clear_dtc(c, UDS_DTC_GROUP_ALL, now); break;
	case 6: uds_request(c, (const uint8_t[]){0x10, 0x83}, 2, now); break;
	default:
		if (sel & 0x80)
			kwp_clear_dtc(c, KWP_DTC_GROUP_ALL, now);
		else
			uds_tester_present(c, now);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uds_client c;
	struct uds_transport tp = {null_send, NULL};
	struct got g = {0};
	int64_t now = 0, next;
	size_t start = 1;

	if (size < 1)
		return 0;
	len_seed = data[0];
	uds_client_init(&c, &tp, NULL, on_result, &g);
	start_request(&c, data[0], now);
	for (size_t i = 1; i <= size; i++) {
		uint8_t *copy;
		size_t n;

		if (i < size && !(i + 1 < size && data[i] == 0xA5 && data[i + 1] == 0x5A))
			continue;
		n = i - start;
		copy = malloc(n ? n : 1);
		if (!copy)
			return 0;
		memcpy(copy, data + start, n);
		uds_parsers(copy, n);
		obd_parsers(copy, n);
		now += 10000;
		uds_on_payload(&c, copy, n, now);
		free(copy);
		next = uds_poll(&c, now);
		if (next != UDS_NO_DEADLINE && next <= now)
			abort();
		if (!c.busy)
			start_request(&c, (uint8_t)(data[0] + i), now);
		start = i + 2;
		i++;
	}
	/* Time runs out: the request in flight must end. */
	for (int k = 0; k < 4 && c.busy; k++)
		uds_poll(&c, now += 100000000);
	if (c.busy)
		abort();
	return 0;
}
