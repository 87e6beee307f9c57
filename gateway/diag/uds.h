// SPDX-License-Identifier: MIT
/* UDS (ISO 14229-1) client, plus the KWP2000 (ISO 14230-3) DTC read that
 * older modules answer instead of 0x19.
 *
 * One request in flight per client; its outcome arrives through one result
 * callback. The client talks to a transport through `struct uds_transport`
 * (send a request) and is fed what comes back (uds_on_payload and friends),
 * so it runs over ISO-TP (see uds_isotp.h), a kernel socket, or an in-memory
 * peer in tests.
 *
 * Result codes, one space: 0 positive response; 1..255 the NRC of a negative
 * response, at its wire value (ISO 14229-1 annex A.1); < 0 a library error
 * (-ETIMEDOUT no response within P2/P2*, -EBADMSG malformed, transport errors).
 *
 * Timing (ISO 14229-2 session layer timing): a response must start within P2
 * of the request; NRC 0x78 (requestCorrectlyReceived-ResponsePending)
 * restarts the wait with P2*. While a non-default session is open the client sends
 * TesterPresent with suppressPosRsp (3E 80) every tester_present_us so the
 * server's S3 timer (5 s) never ends the session. */
#ifndef EVGW_DIAG_UDS_H
#define EVGW_DIAG_UDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UDS_REQ_MAX 256
#define UDS_NO_DEADLINE INT64_MAX
#define UDS_P2_STAR_CAP_US 60000000u  /* the most a server's 0x10 response may set P2* to */

enum uds_sid {
	UDS_SID_SESSION_CONTROL = 0x10,
	UDS_SID_ECU_RESET = 0x11,
	UDS_SID_CLEAR_DTC = 0x14,
	KWP_SID_CLEAR_DTC = 0x14,       /* the same service, a 2-byte group */
	KWP_SID_READ_DTC_BY_STATUS = 0x18,
	UDS_SID_READ_DTC_INFO = 0x19,
	UDS_SID_READ_DID = 0x22,
	UDS_SID_SECURITY_ACCESS = 0x27,
	UDS_SID_WRITE_DID = 0x2E,
	UDS_SID_ROUTINE_CONTROL = 0x31,
	UDS_SID_TESTER_PRESENT = 0x3E,
	UDS_SID_NEGATIVE = 0x7F,
};

enum uds_session_type {
	UDS_SESSION_DEFAULT = 0x01,
	UDS_SESSION_PROGRAMMING = 0x02,
	UDS_SESSION_EXTENDED = 0x03,
};

/* ReadDTCInformation sub-functions (ISO 14229-1 clause 11.3). */
enum uds_dtc_sub {
	UDS_DTC_REPORT_COUNT_BY_MASK = 0x01,
	UDS_DTC_REPORT_BY_MASK = 0x02,
	UDS_DTC_REPORT_SNAPSHOT_BY_DTC = 0x04,
	UDS_DTC_REPORT_EXT_DATA_BY_DTC = 0x06,
	UDS_DTC_REPORT_SUPPORTED = 0x0A,
};

/* Negative response codes (ISO 14229-1 annex A.1). */
enum uds_nrc {
	UDS_NRC_GENERAL_REJECT = 0x10,
	UDS_NRC_SERVICE_NOT_SUPPORTED = 0x11,
	UDS_NRC_SUBFUNCTION_NOT_SUPPORTED = 0x12,
	UDS_NRC_INCORRECT_LENGTH = 0x13,
	UDS_NRC_RESPONSE_TOO_LONG = 0x14,
	UDS_NRC_BUSY_REPEAT_REQUEST = 0x21,
	UDS_NRC_CONDITIONS_NOT_CORRECT = 0x22,
	UDS_NRC_REQUEST_SEQUENCE_ERROR = 0x24,
	UDS_NRC_REQUEST_OUT_OF_RANGE = 0x31,
	UDS_NRC_SECURITY_ACCESS_DENIED = 0x33,
	UDS_NRC_RESPONSE_PENDING = 0x78,
	UDS_NRC_SUBFUNCTION_NOT_SUPPORTED_IN_SESSION = 0x7E,
	UDS_NRC_SERVICE_NOT_SUPPORTED_IN_SESSION = 0x7F,
};

#define UDS_DID_VIN 0xF190
#define UDS_DTC_GROUP_ALL 0xFFFFFFu   /* 0x14: all groups */
#define KWP_DTC_GROUP_ALL 0xFF00u     /* 0x18 and 0x14: all groups (ISO 14230-3) */
#define UDS_VIN_LEN 17

struct uds_transport {
	/* Hand one request to the transport: 0, or a negative errno (-EBUSY when
	 * the link is still sending). The bytes stay valid (they live in the
	 * client) until the next request. */
	int (*send)(void *ctx, const uint8_t *data, size_t len, int64_t now_us);
	void *ctx;
};

struct uds_timing {
	uint32_t p2_us;              /* default 50 ms (P2server_max) */
	uint32_t p2_star_us;         /* default 5000 ms (P2*server_max) */
	uint32_t tester_present_us;  /* default 2000 ms; 0 = never send keep-alives */
	bool adopt_server_timing;    /* default true: a 0x10 response's P2/P2* may lengthen
				      * ours (P2 up to our P2*, P2* up to UDS_P2_STAR_CAP_US) */
};

struct uds_result {
	int rc;               /* 0 positive, 1..255 NRC, < 0 library error */
	uint8_t sid;          /* the request's service */
	const uint8_t *data;  /* whole response (positive, or 7F SID NRC), valid during the
			       * callback; NULL on errors and on suppressed positive responses */
	size_t len;
	uint32_t pending;     /* NRC 0x78 frames that came first */
};

typedef void (*uds_result_fn)(void *ud, const struct uds_result *r);

struct uds_stats {
	uint32_t ignored;      /* responses that matched no request */
	uint32_t pending;      /* NRC 0x78 received */
	uint32_t timeouts;
	uint32_t keepalives;   /* 3E 80 sent */
	uint32_t keepalive_errors;
};

struct uds_client {
	struct uds_transport tp;
	struct uds_timing cfg;
	uds_result_fn on_result;
	void *ud;
	bool busy;
	bool receiving;        /* a multi-frame response has started */
	bool suppress;         /* suppressPosRsp set: silence until P2 means success */
	uint8_t req[UDS_REQ_MAX];
	size_t req_len;
	int64_t deadline;
	uint32_t pending;
	uint32_t p2_us, p2_star_us;  /* in force */
	uint8_t session;
	int64_t tp_next;             /* next keep-alive, UDS_NO_DEADLINE when none */
	struct uds_stats stats;
};

void uds_timing_default(struct uds_timing *t);
/* t NULL: defaults. */
void uds_client_init(struct uds_client *c, const struct uds_transport *tp,
		     const struct uds_timing *t, uds_result_fn on_result, void *ud);

/* Any request (1..UDS_REQ_MAX bytes, copied). 0 when sent; -EBUSY while a
 * request is in flight; -EINVAL / -EMSGSIZE; or the transport's error. */
int uds_request(struct uds_client *c, const uint8_t *data, size_t len, int64_t now_us);

/* 0x10: 10 <session>. A positive response switches keep-alives on or off. */
int uds_session_control(struct uds_client *c, uint8_t session, int64_t now_us);
/* 0x3E with a response: 3E 00 -> 7E 00. */
int uds_tester_present(struct uds_client *c, int64_t now_us);
/* 0x19 01 <mask> -> 59 01 <avail> <format> <count BE16> */
int uds_read_dtc_count(struct uds_client *c, uint8_t mask, int64_t now_us);
/* 0x19 02 <mask> -> 59 02 <avail> {DTC[3] status}* */
int uds_read_dtc_by_status(struct uds_client *c, uint8_t mask, int64_t now_us);
/* 0x19 04 <DTC[3]> <record, FF all> -> 59 04 <DTC[3]> <status> {record ...}* */
int uds_read_dtc_snapshot(struct uds_client *c, uint32_t dtc, uint8_t record, int64_t now_us);
/* 0x19 06 <DTC[3]> <record, FF all> -> 59 06 <DTC[3]> <status> {record data}* */
int uds_read_dtc_ext_data(struct uds_client *c, uint32_t dtc, uint8_t record, int64_t now_us);
/* 0x19 0A -> 59 0A <avail> {DTC[3] status}* */
int uds_read_supported_dtcs(struct uds_client *c, int64_t now_us);
/* 0x14 <group[3]> -> 54 (group UDS_DTC_GROUP_ALL for everything) */
int uds_clear_dtc(struct uds_client *c, uint32_t group, int64_t now_us);
/* 0x22 <DID[2]> -> 62 <DID[2]> data */
int uds_read_did(struct uds_client *c, uint16_t did, int64_t now_us);
/* KWP2000 0x18 <status> <group, 2 or 3 bytes> -> 58 <count> {DTC status}*.
 * ISO 14230-3 uses a 2-byte group (KWP_DTC_GROUP_ALL); some BYD modules take
 * 3 bytes (18 00 FF FF FF, reference §4.2). Use when 0x19 gets NRC 0x11. */
int kwp_read_dtc_by_status(struct uds_client *c, uint8_t status, uint32_t group,
			   unsigned group_bytes, int64_t now_us);
/* KWP2000 ClearDiagnosticInformation: 14 <groupOfDiagnosticInformation,
 * 2 bytes> -> 54 <group> (ISO 14230-3 service 0x14; sources in uds_parse.c).
 * group KWP_DTC_GROUP_ALL clears everything; 0x0000, 0x4000, 0x8000 and
 * 0xC000 are the powertrain, chassis, body and network groups; any other
 * value names one 2-byte DTC. Use when UDS 0x14 (14 FF FF FF) gets NRC 0x11.
 * Check the answer with kwp_parse_clear_dtc. */
int kwp_clear_dtc(struct uds_client *c, uint16_t group, int64_t now_us);

/* Feed a complete received payload. */
void uds_on_payload(struct uds_client *c, const uint8_t *data, size_t len, int64_t now_us);
/* The transport finished sending the request (err 0: P2 starts now) or gave up. */
void uds_on_tx_done(struct uds_client *c, int err, int64_t now_us);
/* A multi-frame response started (ISO-TP FF): P2 is met, and the transport
 * promises to end it with uds_on_payload or uds_on_rx_error. */
void uds_on_rx_start(struct uds_client *c, int64_t now_us);
void uds_on_rx_error(struct uds_client *c, int err, int64_t now_us);
/* Timers: P2/P2* and keep-alives. Returns the next deadline or UDS_NO_DEADLINE. */
int64_t uds_poll(struct uds_client *c, int64_t now_us);
/* Forget the request in flight (no callback) and the session (keep-alives stop). */
void uds_client_reset(struct uds_client *c);

/* ---- response parsers: bounded reads of whole response payloads ---- */
/* Each returns 0, -ENOMSG when the payload is not that response (other SID,
 * sub-function or DID, or a negative response), -EBADMSG when malformed. */

struct uds_session_info {
	uint8_t session;
	bool has_timing;
	uint32_t p2_ms;        /* P2server_max, 1 ms units on the wire */
	uint32_t p2_star_ms;   /* P2*server_max, 10 ms units on the wire */
};
int uds_parse_session(const uint8_t *d, size_t n, struct uds_session_info *out);

/* 7F <sid> <nrc> */
int uds_parse_negative(const uint8_t *d, size_t n, uint8_t *sid, uint8_t *nrc);

struct uds_dtc_count {
	uint8_t avail_mask;
	uint8_t format;        /* DTCFormatIdentifier: 0 ISO 15031-6, 1 ISO 14229-1, 2 J1939-73, ... */
	uint16_t count;
};
int uds_parse_dtc_count(const uint8_t *d, size_t n, struct uds_dtc_count *out);

struct uds_dtc {
	uint32_t code;         /* 3 bytes for UDS; 2 or 3 for KWP */
	uint8_t status;
};

struct uds_dtc_list {
	const uint8_t *rec;    /* first record, inside the payload */
	size_t count;
	uint8_t rec_size;
	uint8_t dtc_bytes;
	uint8_t avail_mask;    /* UDS only */
	uint8_t sub;           /* UDS sub-function; 0 for KWP */
};
/* 59 02 / 59 0A (and the other "mask {DTC status}*" reports 0F, 13, 15).
 * Trailing zero bytes that do not complete a record are tolerated as padding. */
int uds_parse_dtc_list(const uint8_t *d, size_t n, struct uds_dtc_list *out);
/* KWP 58 <count> {DTC status}*; dtc_bytes 2 (ISO 14230-3), 3, or 0 to
 * decide from the length. Bytes past count records are ignored. */
int kwp_parse_dtc_by_status(const uint8_t *d, size_t n, unsigned dtc_bytes,
			    struct uds_dtc_list *out);
int uds_dtc_list_get(const struct uds_dtc_list *l, size_t i, struct uds_dtc *out);
/* KWP 54 <group hi> <group lo>, the answer to kwp_clear_dtc(group): 0 when it
 * echoes `group`; a bare 54 (how UDS answers the same service) is taken as
 * that answer too. -ENOMSG when not 54 (a negative response included);
 * -EBADMSG for 2 bytes or more than 3, or another group echoed. */
int kwp_parse_clear_dtc(const uint8_t *d, size_t n, uint16_t group);

/* 59 04 / 59 06: the DTC, its status, and the records as raw bytes. */
struct uds_dtc_records {
	uint8_t sub;
	struct uds_dtc dtc;
	const uint8_t *rec;
	size_t rec_len;
};
int uds_parse_dtc_records(const uint8_t *d, size_t n, struct uds_dtc_records *out);

/* Record layouts depend on the ECU's configuration: the caller says how
 * long a DID (snapshot) or an extended data record is; < 0 when unknown.
 * An unknown length is taken to run to the end of the payload. */
typedef int (*uds_len_fn)(void *ud, uint16_t id);

struct uds_rec_cursor {
	const uint8_t *p;
	size_t n, off;
	uint8_t record;
	uint16_t ids_left;     /* DIDs left in this snapshot record; 0x100 = up to the end */
};
struct uds_rec_item {
	uint8_t record;        /* snapshot / extended data record number */
	uint16_t did;          /* snapshot only */
	const uint8_t *data;
	size_t len;
};
void uds_rec_cursor_init(struct uds_rec_cursor *cur, const struct uds_dtc_records *r);
/* Snapshot (59 04): {record numIds {DID[2] data}*}*. 1 item, 0 end, -EBADMSG. */
int uds_snapshot_next(struct uds_rec_cursor *cur, uds_len_fn did_len, void *ud,
		      struct uds_rec_item *out);
/* Extended data (59 06): {record data}*. */
int uds_extdata_next(struct uds_rec_cursor *cur, uds_len_fn rec_len, void *ud,
		     struct uds_rec_item *out);

/* 62 <DID> data: the value of `did`. */
int uds_parse_did(const uint8_t *d, size_t n, uint16_t did, const uint8_t **val, size_t *len);
/* 62 F1 90 <17 chars>: VIN copied and terminated (vin needs 18 bytes).
 * Trailing NUL/space padding is allowed; -EBADMSG if not 17 printable chars. */
int uds_parse_vin(const uint8_t *d, size_t n, char vin[UDS_VIN_LEN + 1]);

/* "requestOutOfRange" for 0x31; "ISOSAEReserved" / "vehicleManufacturerSpecific" otherwise. */
const char *uds_nrc_name(uint8_t nrc);
/* Any result code: "positiveResponse", an NRC name, or a library error text. */
const char *uds_rc_str(int rc);

#endif
