// SPDX-License-Identifier: MIT
/* UDS client state machine: one request at a time, P2/P2*, keep-alives.
 * Clauses: ISO 14229-1:2013 (services), ISO 14229-2:2013 (timing). */
#include <errno.h>
#include <string.h>

#include "diag/uds.h"

#define KEEPALIVE_RETRY_US 100000  /* link busy: try the keep-alive again soon */

static const uint8_t keepalive_req[2] = {UDS_SID_TESTER_PRESENT, 0x80};

void uds_timing_default(struct uds_timing *t)
{
	t->p2_us = 50000;
	t->p2_star_us = 5000000;
	t->tester_present_us = 2000000;
	t->adopt_server_timing = true;
}

void uds_client_init(struct uds_client *c, const struct uds_transport *tp,
		     const struct uds_timing *t, uds_result_fn on_result, void *ud)
{
	memset(c, 0, sizeof *c);
	if (tp)
		c->tp = *tp;
	if (t)
		c->cfg = *t;
	else
		uds_timing_default(&c->cfg);
	c->on_result = on_result;
	c->ud = ud;
	uds_client_reset(c);
}

void uds_client_reset(struct uds_client *c)
{
	c->busy = false;
	c->receiving = false;
	c->suppress = false;
	c->p2_us = c->cfg.p2_us;
	c->p2_star_us = c->cfg.p2_star_us;
	c->session = UDS_SESSION_DEFAULT;
	c->tp_next = UDS_NO_DEADLINE;
}

/* Services with a sub-function byte whose bit 7 is suppressPosRspMsgIndicationBit
 * (ISO 14229-1 sub-function parameter; 0x19 has sub-functions but no such bit). */
static bool has_sprmib(uint8_t sid)
{
	switch (sid) {
	case 0x10: case 0x11: case 0x27: case 0x28: case 0x29: case 0x31:
	case 0x3E: case 0x83: case 0x85: case 0x86: case 0x87:
		return true;
	default:
		return false;
	}
}

static void finish(struct uds_client *c, int rc, const uint8_t *data, size_t len)
{
	struct uds_result r = {
		.rc = rc, .sid = c->req[0], .data = data, .len = len, .pending = c->pending,
	};

	c->busy = false;
	c->receiving = false;
	if (rc == -ETIMEDOUT)
		c->stats.timeouts++;
	if (c->on_result)
		c->on_result(c->ud, &r);
}

static void set_session(struct uds_client *c, uint8_t session, int64_t now)
{
	c->session = session;
	/* Keep-alives only outside the default session (ISO 14229-1 clause 9.2: S3server). */
	if (session == UDS_SESSION_DEFAULT || c->cfg.tester_present_us == 0)
		c->tp_next = UDS_NO_DEADLINE;
	else
		c->tp_next = now + c->cfg.tester_present_us;
}

int uds_request(struct uds_client *c, const uint8_t *data, size_t len, int64_t now_us)
{
	int rc;

	if (!c || !data || len == 0)
		return -EINVAL;
	if (len > UDS_REQ_MAX)
		return -EMSGSIZE;
	if (c->busy)
		return -EBUSY;
	if (!c->tp.send)
		return -ENOTCONN;
	memcpy(c->req, data, len);
	c->req_len = len;
	c->suppress = len >= 2 && has_sprmib(data[0]) && (data[1] & 0x80);
	c->pending = 0;
	c->receiving = false;
	c->deadline = now_us + c->p2_us;
	c->busy = true;
	rc = c->tp.send(c->tp.ctx, c->req, len, now_us);
	if (rc < 0) {
		c->busy = false;
		return rc;
	}
	/* Any request restarts the server's S3 timer, so the keep-alive can wait. */
	if (c->tp_next != UDS_NO_DEADLINE)
		c->tp_next = now_us + c->cfg.tester_present_us;
	return 0;
}

static int req2(struct uds_client *c, uint8_t a, uint8_t b, int64_t now)
{
	const uint8_t r[2] = {a, b};

	return uds_request(c, r, sizeof r, now);
}

int uds_session_control(struct uds_client *c, uint8_t session, int64_t now_us)
{
	return req2(c, UDS_SID_SESSION_CONTROL, session, now_us);
}

int uds_tester_present(struct uds_client *c, int64_t now_us)
{
	return req2(c, UDS_SID_TESTER_PRESENT, 0x00, now_us);
}

int uds_read_dtc_count(struct uds_client *c, uint8_t mask, int64_t now_us)
{
	const uint8_t r[3] = {UDS_SID_READ_DTC_INFO, UDS_DTC_REPORT_COUNT_BY_MASK, mask};

	return uds_request(c, r, sizeof r, now_us);
}

int uds_read_dtc_by_status(struct uds_client *c, uint8_t mask, int64_t now_us)
{
	const uint8_t r[3] = {UDS_SID_READ_DTC_INFO, UDS_DTC_REPORT_BY_MASK, mask};

	return uds_request(c, r, sizeof r, now_us);
}

static int req_by_dtc(struct uds_client *c, uint8_t sub, uint32_t dtc, uint8_t rec, int64_t now)
{
	const uint8_t r[6] = {UDS_SID_READ_DTC_INFO, sub, (uint8_t)(dtc >> 16),
			      (uint8_t)(dtc >> 8), (uint8_t)dtc, rec};

	return uds_request(c, r, sizeof r, now);
}

int uds_read_dtc_snapshot(struct uds_client *c, uint32_t dtc, uint8_t record, int64_t now_us)
{
	return req_by_dtc(c, UDS_DTC_REPORT_SNAPSHOT_BY_DTC, dtc, record, now_us);
}

int uds_read_dtc_ext_data(struct uds_client *c, uint32_t dtc, uint8_t record, int64_t now_us)
{
	return req_by_dtc(c, UDS_DTC_REPORT_EXT_DATA_BY_DTC, dtc, record, now_us);
}

int uds_read_supported_dtcs(struct uds_client *c, int64_t now_us)
{
	return req2(c, UDS_SID_READ_DTC_INFO, UDS_DTC_REPORT_SUPPORTED, now_us);
}

int uds_clear_dtc(struct uds_client *c, uint32_t group, int64_t now_us)
{
	const uint8_t r[4] = {UDS_SID_CLEAR_DTC, (uint8_t)(group >> 16), (uint8_t)(group >> 8),
			      (uint8_t)group};

	return uds_request(c, r, sizeof r, now_us);
}

int uds_read_did(struct uds_client *c, uint16_t did, int64_t now_us)
{
	const uint8_t r[3] = {UDS_SID_READ_DID, (uint8_t)(did >> 8), (uint8_t)did};

	return uds_request(c, r, sizeof r, now_us);
}

int kwp_read_dtc_by_status(struct uds_client *c, uint8_t status, uint32_t group,
			   unsigned group_bytes, int64_t now_us)
{
	uint8_t r[5] = {KWP_SID_READ_DTC_BY_STATUS, status};
	size_t n = 2;

	if (group_bytes != 2 && group_bytes != 3)
		return -EINVAL;
	if (group_bytes == 3)
		r[n++] = (uint8_t)(group >> 16);
	r[n++] = (uint8_t)(group >> 8);
	r[n++] = (uint8_t)group;
	return uds_request(c, r, n, now_us);
}

int kwp_clear_dtc(struct uds_client *c, uint16_t group, int64_t now_us)
{
	const uint8_t r[3] = {KWP_SID_CLEAR_DTC, (uint8_t)(group >> 8), (uint8_t)group};

	return uds_request(c, r, sizeof r, now_us);
}

/* Does a positive response belong to the request in flight? Services echo
 * their sub-function or DID (ISO 14229-1 clauses 9.2, 10.2, 11.3). */
static bool echo_matches(const struct uds_client *c, const uint8_t *d, size_t n)
{
	uint8_t sid = c->req[0];

	if (d[0] != (uint8_t)(sid + 0x40))
		return false;
	if (has_sprmib(sid) || sid == UDS_SID_READ_DTC_INFO) {
		if (c->req_len < 2)
			return true;
		return n >= 2 && (d[1] & 0x7F) == (c->req[1] & 0x7F);
	}
	if (sid == UDS_SID_READ_DID || sid == UDS_SID_WRITE_DID || sid == 0x2F) {
		if (c->req_len < 3)
			return true;
		return n >= 3 && d[1] == c->req[1] && d[2] == c->req[2];
	}
	return true;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* 0x50 <session> [P2 ms BE16, P2* 10 ms BE16] (ISO 14229-1 clause 9.2). */
static void on_session_response(struct uds_client *c, const uint8_t *d, size_t n, int64_t now)
{
	if (n >= 6 && c->cfg.adopt_server_timing) {
		uint32_t p2 = (uint32_t)be16(d + 2) * 1000u;
		uint32_t p2s = (uint32_t)be16(d + 4) * 10000u;

		/* Only ever lengthen: our configured values are the floor. And a
		 * server cannot make us wait without bound: P2 no longer than our
		 * P2*, P2* no longer than UDS_P2_STAR_CAP_US. */
		if (p2 > c->cfg.p2_star_us)
			p2 = c->cfg.p2_star_us;
		if (p2s > UDS_P2_STAR_CAP_US)
			p2s = UDS_P2_STAR_CAP_US;
		c->p2_us = p2 > c->cfg.p2_us ? p2 : c->cfg.p2_us;
		c->p2_star_us = p2s > c->cfg.p2_star_us ? p2s : c->cfg.p2_star_us;
	}
	set_session(c, d[1] & 0x7F, now);
}

/* A payload that is not the answer. If it was the multi-frame message we
 * were told about, go back to waiting, with a deadline again. */
static void ignore(struct uds_client *c, int64_t now)
{
	c->stats.ignored++;
	if (c->receiving) {
		c->receiving = false;
		c->deadline = now + (c->pending ? c->p2_star_us : c->p2_us);
	}
}

void uds_on_payload(struct uds_client *c, const uint8_t *d, size_t n, int64_t now_us)
{
	if (!c || !d || n == 0)
		return;
	if (!c->busy) {
		c->stats.ignored++;  /* e.g. an NRC to our 3E 80, or a late response */
		return;
	}
	if (d[0] == UDS_SID_NEGATIVE) {
		if (n < 3 || d[1] != c->req[0]) {
			ignore(c, now_us);
			return;
		}
		if (d[2] == UDS_NRC_RESPONSE_PENDING) {
			/* ISO 14229-2 timing: keep waiting, P2* from now; the final
			 * response comes even if suppressPosRsp was set. */
			c->pending++;
			c->stats.pending++;
			c->suppress = false;
			c->receiving = false;
			c->deadline = now_us + c->p2_star_us;
			return;
		}
		finish(c, d[2], d, n);
		return;
	}
	if (!echo_matches(c, d, n)) {
		ignore(c, now_us);
		return;
	}
	if (c->req[0] == UDS_SID_SESSION_CONTROL && n >= 2)
		on_session_response(c, d, n, now_us);
	finish(c, 0, d, n);
}

void uds_on_tx_done(struct uds_client *c, int err, int64_t now_us)
{
	if (!c || !c->busy || c->receiving)
		return;
	if (err < 0) {
		finish(c, err, NULL, 0);
		return;
	}
	/* P2 runs from the end of the request (ISO 14229-2 timing: from T_Data.con). */
	if (c->pending == 0)
		c->deadline = now_us + c->p2_us;
}

void uds_on_rx_start(struct uds_client *c, int64_t now_us)
{
	if (c && c->busy) {
		c->receiving = true;
		c->deadline = UDS_NO_DEADLINE;  /* the transport's N_Cr bounds the rest */
	}
}

void uds_on_rx_error(struct uds_client *c, int err, int64_t now_us)
{
	if (!c || !c->busy || !c->receiving)
		return;
	/* ISO 15765-2 N_UNEXP_PDU: a new message cut the old one short and is
	 * being received now; it may be the answer. */
	if (err == -ECONNRESET) {
		ignore(c, now_us);
		return;
	}
	finish(c, err < 0 ? err : -EIO, NULL, 0);
}

static void send_keepalive(struct uds_client *c, int64_t now)
{
	int rc = c->tp.send(c->tp.ctx, keepalive_req, sizeof keepalive_req, now);

	if (rc < 0) {
		c->stats.keepalive_errors++;
		c->tp_next = now + (rc == -EBUSY || rc == -EAGAIN ? KEEPALIVE_RETRY_US
								   : c->cfg.tester_present_us);
		return;
	}
	c->stats.keepalives++;
	c->tp_next = now + c->cfg.tester_present_us;
}

int64_t uds_poll(struct uds_client *c, int64_t now_us)
{
	int64_t next;

	if (c->busy && now_us >= c->deadline) {
		if (c->suppress) {
			/* No NRC within P2: the suppressed positive response. */
			if (c->req[0] == UDS_SID_SESSION_CONTROL)
				set_session(c, c->req[1] & 0x7F, now_us);
			finish(c, 0, NULL, 0);
		} else {
			finish(c, -ETIMEDOUT, NULL, 0);
		}
	}
	/* A request in flight keeps the session alive by itself. */
	if (!c->busy && c->tp_next != UDS_NO_DEADLINE && now_us >= c->tp_next && c->tp.send)
		send_keepalive(c, now_us);
	if (c->busy)
		next = c->deadline;  /* the keep-alive waits for the request to end */
	else
		next = c->tp_next;
	return next;
}
