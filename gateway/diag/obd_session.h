// SPDX-License-Identifier: MIT
/* One functional OBD-II request and the answers of every ECU that replies.
 *
 * The request goes out as a single frame to 0x7DF / 0x18DB33F1 (ISO 15765-4
 * allows functional requests only as SF). Each responder gets its own ISO-TP
 * link, keyed by its response id (0x7E8-0x7EF / 0x18DAF1xx), so that
 * multi-frame answers (e.g. the mode 09 VIN) from several ECUs never mix and
 * each gets its flow control on its own physical id. NRC 0x78 from an ECU
 * stretches the wait to P2*; other payloads go to on_response as they come.
 * When the response window has passed and no answer is still arriving,
 * on_done says how many ECUs answered. */
#ifndef EVGW_DIAG_OBD_SESSION_H
#define EVGW_DIAG_OBD_SESSION_H

#include "diag/isotp.h"
#include "diag/obd.h"

#define OBD_MAX_ECUS 8

/* A payload (err 0, valid during the call) or a failed reception. */
typedef void (*obd_response_fn)(void *ud, uint32_t rx_id, const uint8_t *data, size_t len,
				int err);
typedef void (*obd_done_fn)(void *ud, unsigned responders);

struct obd_session_cfg {
	bool ext_id;           /* 29-bit addressing */
	uint8_t pad;           /* DLC-8 padding (ISO 15765-4); default 0x00 */
	uint32_t window_us;    /* default 100 ms: P2CAN (50 ms, ISO 15765-4) plus margin */
	uint32_t p2_star_us;   /* default 5000 ms, after NRC 0x78 */
	obd_response_fn on_response;
	obd_done_fn on_done;
	void *ud;
};

struct obd_session;

struct obd_ecu_slot {
	struct obd_session *s;
	bool used;
	bool answered;         /* answered the current request */
	uint32_t rx_id;
	struct isotp_link link;
};

struct obd_session {
	struct obd_session_cfg cfg;
	isotp_send_fn send;
	void *send_ud;
	bool busy;
	int64_t deadline;
	unsigned responders;
	uint32_t dropped;      /* frames from ECUs beyond OBD_MAX_ECUS */
	struct obd_ecu_slot ecu[OBD_MAX_ECUS];
};

void obd_session_cfg_default(struct obd_session_cfg *cfg);
void obd_session_init(struct obd_session *s, const struct obd_session_cfg *cfg,
		      isotp_send_fn send, void *send_ud);
/* Send a functional request (1..7 bytes, e.g. from obd_build_request).
 * -EBUSY until on_done; -EMSGSIZE; or the driver's error. */
int obd_session_request(struct obd_session *s, const uint8_t *payload, size_t len, int64_t now_us);
/* True for frames from an OBD response id that a slot took. */
bool obd_session_on_frame(struct obd_session *s, const struct evgw_frame *f, int64_t now_us);
int64_t obd_session_poll(struct obd_session *s, int64_t now_us);

#endif
