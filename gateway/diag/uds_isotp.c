// SPDX-License-Identifier: MIT
/* Glue between the UDS client and an ISO-TP link. */
#include "diag/uds_isotp.h"

static int tp_send(void *ctx, const uint8_t *data, size_t len, int64_t now_us)
{
	return isotp_send(ctx, data, len, now_us);
}

static void on_rx(void *ud, const uint8_t *data, size_t len, int err, int64_t now_us)
{
	struct uds_isotp *u = ud;

	if (err < 0)
		uds_on_rx_error(&u->client, err, now_us);
	else
		uds_on_payload(&u->client, data, len, now_us);
}

static void on_tx_done(void *ud, int err, int64_t now_us)
{
	struct uds_isotp *u = ud;

	uds_on_tx_done(&u->client, err, now_us);
}

static void on_rx_ff(void *ud, size_t len, int64_t now_us)
{
	struct uds_isotp *u = ud;

	uds_on_rx_start(&u->client, now_us);
}

int uds_isotp_init(struct uds_isotp *u, const struct isotp_cfg *cfg, isotp_send_fn send,
		   void *send_ud, const struct uds_timing *t, uds_result_fn on_result, void *ud)
{
	struct isotp_cfg c;
	struct uds_transport tp;
	int rc;

	if (!u || !cfg)
		return -EINVAL;
	c = *cfg;
	c.on_rx = on_rx;
	c.on_tx_done = on_tx_done;
	c.on_rx_ff = on_rx_ff;
	c.cb_ud = u;
	rc = isotp_init(&u->link, &c, send, send_ud);
	if (rc < 0)
		return rc;
	tp.send = tp_send;
	tp.ctx = &u->link;
	uds_client_init(&u->client, &tp, t, on_result, ud);
	return 0;
}

bool uds_isotp_on_frame(struct uds_isotp *u, const struct evgw_frame *f, int64_t now_us)
{
	return isotp_on_frame(&u->link, f, now_us);
}

int64_t uds_isotp_poll(struct uds_isotp *u, int64_t now_us)
{
	int64_t a = isotp_poll(&u->link, now_us);
	int64_t b = uds_poll(&u->client, now_us);

	/* The client may have sent (a keep-alive): the link may have a new deadline. */
	if (isotp_tx_busy(&u->link) || isotp_rx_busy(&u->link))
		a = isotp_poll(&u->link, now_us);
	return a < b ? a : b;
}
