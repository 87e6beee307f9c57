// SPDX-License-Identifier: MIT
/* ISO-TP state machines; clause numbers refer to ISO 15765-2:2016 (the PCI
 * layouts of 9.6, addressing of 10.3); timing and error handling are cited by
 * the names the standard gives them. */
#include <string.h>

#include "diag/isotp.h"

enum { PCI_SF = 0x0, PCI_FF = 0x1, PCI_CF = 0x2, PCI_FC = 0x3 };
enum { FS_CTS = 0, FS_WAIT = 1, FS_OVFLW = 2 };

#define FD_DEFAULT_PAD 0xCC  /* fill to a valid FD length: the value the standard recommends */

void isotp_cfg_default(struct isotp_cfg *cfg, uint32_t tx_id, uint32_t rx_id)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->tx_id = tx_id;
	cfg->rx_id = rx_id;
	cfg->tx_dl = 8;
	cfg->pad = 0xCC;
	cfg->wft_max = 10;
	/* Network layer timing: N_As, N_Ar, N_Bs, N_Cr time out after 1000 ms. */
	cfg->n_as_us = 1000000;
	cfg->n_ar_us = 1000000;
	cfg->n_bs_us = 1000000;
	cfg->n_cr_us = 1000000;
	cfg->retry_us = 1000;
}

uint32_t isotp_fixed_id(uint8_t ta, uint8_t sa, bool functional)
{
	/* 10.3 normal fixed addressing: priority 6, PF 218 (physical) or 219
	 * (functional), PS = N_TA, SA = N_SA. */
	return (functional ? 0x18DB0000u : 0x18DA0000u) | (uint32_t)ta << 8 | sa;
}

void isotp_cfg_fixed(struct isotp_cfg *cfg, uint8_t ecu, uint8_t tester)
{
	isotp_cfg_default(cfg, isotp_fixed_id(ecu, tester, false), isotp_fixed_id(tester, ecu, false));
	cfg->ext_id = true;
}

uint32_t isotp_stmin_us(uint8_t raw)
{
	if (raw <= 0x7F)
		return (uint32_t)raw * 1000u;
	if (raw >= 0xF1 && raw <= 0xF9)
		return (uint32_t)(raw - 0xF0) * 100u;
	return 127000u; /* 9.6.5.5: reserved values are taken as 0x7F */
}

static bool stmin_valid(uint8_t raw)
{
	return raw <= 0x7F || (raw >= 0xF1 && raw <= 0xF9);
}

int isotp_init(struct isotp_link *l, const struct isotp_cfg *cfg, isotp_send_fn send, void *ud)
{
	if (!l || !cfg || !send)
		return -EINVAL;
	if (cfg->tx_id > (cfg->ext_id ? EVGW_CAN_EFF_MASK : EVGW_CAN_SFF_MASK) ||
	    cfg->rx_id > (cfg->ext_id ? EVGW_CAN_EFF_MASK : EVGW_CAN_SFF_MASK))
		return -EINVAL;
	if (cfg->fd ? (cfg->tx_dl < 8 || !evgw_canfd_len_valid(cfg->tx_dl)) : cfg->tx_dl != 8)
		return -EINVAL;
	if (cfg->pad < ISOTP_NO_PAD || cfg->pad > 0xFF || !stmin_valid(cfg->stmin))
		return -EINVAL;
	if (!cfg->n_as_us || !cfg->n_ar_us || !cfg->n_bs_us || !cfg->n_cr_us || !cfg->retry_us)
		return -EINVAL;
	if (cfg->rx_buf ? cfg->rx_cap == 0 : cfg->rx_cap > ISOTP_DEFAULT_MAX)
		return -EINVAL;

	memset(l, 0, offsetof(struct isotp_link, rx_store));
	l->cfg = *cfg;
	l->send = send;
	l->send_ud = ud;
	l->rx_buf = cfg->rx_buf ? cfg->rx_buf : l->rx_store;
	l->rx_cap = cfg->rx_buf ? cfg->rx_cap : (cfg->rx_cap ? cfg->rx_cap : ISOTP_DEFAULT_MAX);
	isotp_reset(l);
	return 0;
}

void isotp_reset(struct isotp_link *l)
{
	l->tx.state = ISOTP_TX_IDLE;
	l->tx.data = NULL;
	l->tx.fail_since = -1;
	l->rx.state = ISOTP_RX_IDLE;
	l->rx.fc_pending = false;
	l->rx.fail_since = -1;
}

bool isotp_tx_busy(const struct isotp_link *l)
{
	return l->tx.state != ISOTP_TX_IDLE;
}

bool isotp_rx_busy(const struct isotp_link *l)
{
	return l->rx.state != ISOTP_RX_IDLE;
}

static size_t ae_len(const struct isotp_link *l)
{
	return l->cfg.use_ae ? 1 : 0;
}

/* Largest SF payload we may send: 9.6.2 (classic SF_DL <= 7) and the CAN FD
 * escape (SF_DL in byte 1) when frames may exceed 8 bytes. */
static size_t tx_sf_max(const struct isotp_link *l)
{
	return l->cfg.tx_dl > 8 ? l->cfg.tx_dl - 2 - ae_len(l) : 7 - ae_len(l);
}

static bool is_again(int rc)
{
	/* SocketCAN says ENOBUFS when the qdisc is full: both mean "later". */
	return rc == -EAGAIN || rc == -ENOBUFS;
}

/* Identifier, flags and address byte; returns where the PCI goes. */
static size_t frame_start(const struct isotp_link *l, struct evgw_frame *f)
{
	memset(f, 0, sizeof *f);
	f->id = l->cfg.tx_id;
	if (l->cfg.ext_id)
		f->flags |= EVGW_FRAME_EXT;
	if (l->cfg.fd)
		f->flags |= EVGW_FRAME_FD | (l->cfg.brs ? EVGW_FRAME_BRS : 0);
	if (l->cfg.use_ae) {
		f->data[0] = l->cfg.tx_ae;
		return 1;
	}
	return 0;
}

/* Padding (10.4): classic frames to 8 when padding is on; FD frames always to
 * the next valid length, and to at least 8 when padding is on. */
static int frame_send(struct isotp_link *l, struct evgw_frame *f, size_t used)
{
	size_t n = used;
	uint8_t pad = l->cfg.pad >= 0 ? (uint8_t)l->cfg.pad : FD_DEFAULT_PAD;

	if (l->cfg.pad >= 0 && n < 8)
		n = 8;
	if (l->cfg.fd)
		n = evgw_canfd_dlc_to_len(evgw_canfd_len_to_dlc((uint8_t)n));
	memset(f->data + used, pad, n - used);
	f->len = (uint8_t)n;
	f->dlc = l->cfg.fd ? evgw_canfd_len_to_dlc((uint8_t)n) : (uint8_t)n;
	return l->send(l->send_ud, f);
}

static int send_fc(struct isotp_link *l, uint8_t fs)
{
	struct evgw_frame f;
	size_t p = frame_start(l, &f);

	/* 9.6.5: FC = 3<FS> BS STmin. */
	f.data[p++] = (uint8_t)(PCI_FC << 4 | fs);
	f.data[p++] = l->cfg.bs;
	f.data[p++] = l->cfg.stmin;
	return frame_send(l, &f, p);
}

/* ---- sending ---- */

static void tx_finish(struct isotp_link *l, int err, int64_t now)
{
	l->tx.state = ISOTP_TX_IDLE;
	l->tx.data = NULL;
	if (err)
		l->stats.tx_errors++;
	else
		l->stats.tx_msgs++;
	if (l->cfg.on_tx_done)
		l->cfg.on_tx_done(l->cfg.cb_ud, err, now);
}

/* Build and hand over the frame the current state calls for; *took says how
 * many payload bytes it carried. */
static int tx_frame(struct isotp_link *l, size_t *took)
{
	struct evgw_frame f;
	size_t p = frame_start(l, &f);
	size_t left = l->tx.len - l->tx.off, n;
	uint32_t len = (uint32_t)l->tx.len;

	switch (l->tx.state) {
	case ISOTP_TX_SF:
		if (left <= 7 - ae_len(l)) {
			f.data[p++] = (uint8_t)left;  /* 9.6.2: 0L */
		} else {
			f.data[p++] = 0;              /* 9.6.2: FD escape, SF_DL in byte 1 */
			f.data[p++] = (uint8_t)left;
		}
		n = left;
		break;
	case ISOTP_TX_FF:
		if (len <= ISOTP_DEFAULT_MAX) {
			f.data[p++] = (uint8_t)(PCI_FF << 4 | len >> 8);  /* 9.6.3: 1H LL */
			f.data[p++] = (uint8_t)len;
		} else {
			f.data[p++] = PCI_FF << 4;  /* FF_DL = 0 escape, then 32 bits */
			f.data[p++] = 0;
			f.data[p++] = (uint8_t)(len >> 24);
			f.data[p++] = (uint8_t)(len >> 16);
			f.data[p++] = (uint8_t)(len >> 8);
			f.data[p++] = (uint8_t)len;
		}
		n = l->cfg.tx_dl - p;  /* 9.6.3: a FF fills TX_DL */
		break;
	case ISOTP_TX_CF:
		f.data[p++] = (uint8_t)(PCI_CF << 4 | l->tx.sn);
		n = l->cfg.tx_dl - p;
		if (n > left)
			n = left;
		break;
	default:
		return -EINVAL;
	}
	memcpy(f.data + p, l->tx.data + l->tx.off, n);
	*took = n;
	return frame_send(l, &f, p + n);
}

/* After a frame went out: true when the next CF is due right away. */
static bool tx_advance(struct isotp_link *l, size_t n, int64_t now)
{
	l->tx.fail_since = -1;
	l->tx.off += n;
	switch (l->tx.state) {
	case ISOTP_TX_SF:
		tx_finish(l, 0, now);
		return false;
	case ISOTP_TX_FF:
		l->tx.sn = 1;  /* 9.6.4: the first CF has SN 1 */
		l->tx.wft = 0;
		l->tx.state = ISOTP_TX_WAIT_FC;
		l->tx.deadline = now + l->cfg.n_bs_us;
		return false;
	case ISOTP_TX_CF:
		l->tx.sn = (l->tx.sn + 1) & 0x0F;
		if (l->tx.off >= l->tx.len) {
			tx_finish(l, 0, now);
			return false;
		}
		if (l->tx.bs && --l->tx.bs_left == 0) {
			/* 9.6.5: end of a block (BS), the receiver speaks next. */
			l->tx.wft = 0;
			l->tx.state = ISOTP_TX_WAIT_FC;
			l->tx.deadline = now + l->cfg.n_bs_us;
			return false;
		}
		l->tx.deadline = now + l->tx.stmin_us;
		return l->tx.stmin_us == 0;
	default:
		return false;
	}
}

/* -EAGAIN from the driver: retry until N_As runs out. */
static void tx_again(struct isotp_link *l, int64_t now)
{
	if (l->tx.fail_since < 0)
		l->tx.fail_since = now;
	if (now - l->tx.fail_since >= (int64_t)l->cfg.n_as_us)
		tx_finish(l, ISOTP_ERR_TIMEOUT, now);
	else
		l->tx.deadline = now + l->cfg.retry_us;
}

static void tx_run(struct isotp_link *l, int64_t now)
{
	for (;;) {
		size_t n = 0;
		int rc = tx_frame(l, &n);

		if (is_again(rc)) {
			tx_again(l, now);
			return;
		}
		if (rc < 0) {
			tx_finish(l, rc, now);
			return;
		}
		if (!tx_advance(l, n, now))
			return;
	}
}

int isotp_send(struct isotp_link *l, const uint8_t *data, size_t len, int64_t now_us)
{
	size_t n = 0;
	int rc;

	if (!l || !data || len == 0)
		return -EINVAL;
#if SIZE_MAX > UINT32_MAX /* a 32-bit size_t cannot exceed it */
	if (len > UINT32_MAX)
		return -EMSGSIZE;
#endif
	if (l->tx.state != ISOTP_TX_IDLE)
		return -EBUSY;
	l->tx.data = data;
	l->tx.len = len;
	l->tx.off = 0;
	l->tx.fail_since = -1;
	l->tx.deadline = now_us;
	l->tx.state = len <= tx_sf_max(l) ? ISOTP_TX_SF : ISOTP_TX_FF;
	rc = tx_frame(l, &n);
	if (is_again(rc)) {
		tx_again(l, now_us);
		return 0;
	}
	if (rc < 0) {
		l->tx.state = ISOTP_TX_IDLE;
		l->tx.data = NULL;
		return rc;
	}
	tx_advance(l, n, now_us);
	return 0;
}

/* 9.6.5; an FC nobody waits for is an unexpected N_PDU: ignored. */
static void on_fc(struct isotp_link *l, const uint8_t *p, size_t n, int64_t now)
{
	if (l->tx.state != ISOTP_TX_WAIT_FC || n < 3) {
		l->stats.ignored++;
		return;
	}
	switch (p[0] & 0x0F) {
	case FS_CTS:
		l->tx.bs = p[1];
		l->tx.bs_left = p[1];
		l->tx.stmin_us = isotp_stmin_us(p[2]);
		l->tx.state = ISOTP_TX_CF;
		l->tx.fail_since = -1;
		l->tx.deadline = now;  /* STmin separates CFs; the first may go at once */
		tx_run(l, now);
		break;
	case FS_WAIT:
		/* 9.6.5: WAIT restarts N_Bs. The standard bounds WAITs on the
		 * receiver side (N_WFTmax); we also refuse more than wft_max. */
		if (++l->tx.wft > l->cfg.wft_max)
			tx_finish(l, ISOTP_ERR_WFT_OVRN, now);
		else
			l->tx.deadline = now + l->cfg.n_bs_us;
		break;
	case FS_OVFLW:
		tx_finish(l, ISOTP_ERR_PEER_OVFLW, now);
		break;
	default:
		tx_finish(l, ISOTP_ERR_INVALID_FS, now);
		break;
	}
}

/* ---- receiving ---- */

static void rx_fail(struct isotp_link *l, int err, int64_t now)
{
	l->rx.state = ISOTP_RX_IDLE;
	l->rx.fc_pending = false;
	l->stats.rx_errors++;
	if (l->cfg.on_rx)
		l->cfg.on_rx(l->cfg.cb_ud, NULL, 0, err, now);
}

static void rx_deliver(struct isotp_link *l, const uint8_t *data, size_t len, int64_t now)
{
	l->rx.state = ISOTP_RX_IDLE;
	l->rx.fc_pending = false;
	l->stats.rx_msgs++;
	if (l->cfg.on_rx)
		l->cfg.on_rx(l->cfg.cb_ud, data, len, 0, now);
}

/* Our FC.CTS; -EAGAIN retries until N_Ar. N_Cr runs from the FC. */
static void rx_send_cts(struct isotp_link *l, int64_t now)
{
	int rc = send_fc(l, FS_CTS);

	if (rc == 0) {
		l->rx.fc_pending = false;
		l->rx.fail_since = -1;
		l->rx.deadline = now + l->cfg.n_cr_us;
		return;
	}
	if (!is_again(rc)) {
		rx_fail(l, rc, now);
		return;
	}
	if (!l->rx.fc_pending) {
		l->rx.fc_pending = true;
		l->rx.fail_since = now;
	}
	if (now - l->rx.fail_since >= (int64_t)l->cfg.n_ar_us)
		rx_fail(l, ISOTP_ERR_TIMEOUT, now);
	else
		l->rx.deadline = now + l->cfg.retry_us;
}

/* 9.6.2: SF. flen is the CAN frame length, p/n the bytes after the address. */
static void on_sf(struct isotp_link *l, size_t flen, const uint8_t *p, size_t n, int64_t now)
{
	size_t dl, hdr;

	if (flen <= 8) {
		dl = p[0] & 0x0F;
		hdr = 1;
	} else {
		/* CAN_DL > 8 requires the escape: low nibble 0, SF_DL in byte 1. */
		if ((p[0] & 0x0F) != 0 || n < 2) {
			l->stats.ignored++;
			return;
		}
		dl = p[1];
		hdr = 2;
	}
	/* SF_DL 0, or more than the frame holds: ignore (9.6.2); padding beyond is fine. */
	if (dl == 0 || dl > n - hdr) {
		l->stats.ignored++;
		return;
	}
	if (l->rx.state != ISOTP_RX_IDLE)
		rx_fail(l, ISOTP_ERR_UNEXP_PDU, now);  /* unexpected N_PDU: abort, then take it */
	rx_deliver(l, p + hdr, dl, now);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* 9.6.3: FF. Its CAN_DL sets RX_DL for the CFs that follow. */
static void on_ff(struct isotp_link *l, size_t flen, const uint8_t *p, size_t n, int64_t now)
{
	size_t hdr = 2, got, sf_max;
	uint32_t dl;

	if (flen < 8 || (flen > 8 && !evgw_canfd_len_valid((uint8_t)flen)) || n < 2) {
		l->stats.ignored++;
		return;
	}
	dl = (uint32_t)(p[0] & 0x0F) << 8 | p[1];
	if (dl == 0) {
		/* 9.6.3: escape, 32-bit FF_DL; only for lengths above 4095. */
		if (n < 6 || (dl = be32(p + 2)) <= ISOTP_DEFAULT_MAX) {
			l->stats.ignored++;
			return;
		}
		hdr = 6;
	} else {
		/* 9.6.3: a FF for what a SF could carry is ignored. */
		sf_max = flen == 8 ? 7 - ae_len(l) : flen - 2 - ae_len(l);
		if (dl <= sf_max) {
			l->stats.ignored++;
			return;
		}
	}
	if (l->rx.state != ISOTP_RX_IDLE)
		rx_fail(l, ISOTP_ERR_UNEXP_PDU, now);
	if ((uint64_t)dl > (uint64_t)l->rx_cap) {
		(void)send_fc(l, FS_OVFLW);  /* best effort: the sender times out otherwise */
		rx_fail(l, ISOTP_ERR_TOO_BIG, now);
		return;
	}
	got = n - hdr;
	if (got > dl)
		got = dl;
	memcpy(l->rx_buf, p + hdr, got);
	l->rx.len = dl;
	l->rx.off = got;
	l->rx.sn = 1;
	l->rx.dl = (uint8_t)flen;
	l->rx.bs_left = l->cfg.bs;
	l->rx.fc_pending = false;
	l->rx.fail_since = -1;
	l->rx.state = ISOTP_RX_CF;
	rx_send_cts(l, now);
	if (l->rx.state == ISOTP_RX_CF && l->cfg.on_rx_ff)
		l->cfg.on_rx_ff(l->cfg.cb_ud, dl, now);
}

/* 9.6.4: CF. All but the last must fill RX_DL; the last may be short or padded. */
static void on_cf(struct isotp_link *l, const uint8_t *p, size_t n, int64_t now)
{
	size_t per, need;

	if (l->rx.state != ISOTP_RX_CF) {
		l->stats.ignored++;
		return;
	}
	if ((p[0] & 0x0F) != l->rx.sn) {
		rx_fail(l, ISOTP_ERR_WRONG_SN, now);  /* 9.6.4 */
		return;
	}
	per = l->rx.dl - 1 - ae_len(l);
	need = l->rx.len - l->rx.off;
	if (need > per)
		need = per;
	if (n - 1 < need) {
		l->stats.ignored++;
		return;
	}
	memcpy(l->rx_buf + l->rx.off, p + 1, need);
	l->rx.off += need;
	l->rx.sn = (l->rx.sn + 1) & 0x0F;
	l->rx.fc_pending = false;  /* the sender went ahead without it */
	l->rx.fail_since = -1;
	if (l->rx.off >= l->rx.len) {
		rx_deliver(l, l->rx_buf, l->rx.len, now);
		return;
	}
	l->rx.deadline = now + l->cfg.n_cr_us;
	if (l->cfg.bs && --l->rx.bs_left == 0) {
		l->rx.bs_left = l->cfg.bs;
		rx_send_cts(l, now);
	}
}

bool isotp_on_frame(struct isotp_link *l, const struct evgw_frame *f, int64_t now_us)
{
	const uint8_t *p;
	size_t n, flen;

	if (!l || !f || (f->flags & (EVGW_FRAME_RTR | EVGW_FRAME_ERR)))
		return false;
	if (!(f->flags & EVGW_FRAME_EXT) != !l->cfg.ext_id || f->id != l->cfg.rx_id)
		return false;
	flen = f->len > EVGW_CANFD_MAX_DLEN ? EVGW_CANFD_MAX_DLEN : f->len;
	p = f->data;
	n = flen;
	if (l->cfg.use_ae) {
		if (n < 1 || p[0] != l->cfg.rx_ae)
			return false;
		p++;
		n--;
	}
	if (n < 1) {
		l->stats.ignored++;
		return true;
	}
	switch (p[0] >> 4) {
	case PCI_SF:
		on_sf(l, flen, p, n, now_us);
		break;
	case PCI_FF:
		on_ff(l, flen, p, n, now_us);
		break;
	case PCI_CF:
		on_cf(l, p, n, now_us);
		break;
	case PCI_FC:
		on_fc(l, p, n, now_us);
		break;
	default:
		l->stats.ignored++;  /* 9.6.1: reserved N_PCI types are ignored */
		break;
	}
	return true;
}

int64_t isotp_poll(struct isotp_link *l, int64_t now_us)
{
	int64_t next = ISOTP_NO_DEADLINE;

	if (l->tx.state != ISOTP_TX_IDLE && now_us >= l->tx.deadline) {
		if (l->tx.state == ISOTP_TX_WAIT_FC)
			tx_finish(l, ISOTP_ERR_TIMEOUT, now_us);  /* N_Bs */
		else
			tx_run(l, now_us);
	}
	if (l->rx.state != ISOTP_RX_IDLE && now_us >= l->rx.deadline) {
		if (l->rx.fc_pending)
			rx_send_cts(l, now_us);
		else
			rx_fail(l, ISOTP_ERR_TIMEOUT, now_us);  /* N_Cr */
	}
	if (l->tx.state != ISOTP_TX_IDLE)
		next = l->tx.deadline;
	if (l->rx.state != ISOTP_RX_IDLE && l->rx.deadline < next)
		next = l->rx.deadline;
	return next;
}

const char *isotp_strerror(int err)
{
	switch (err) {
	case 0:
		return "ok";
	case ISOTP_ERR_TIMEOUT:
		return "timeout (N_As/N_Ar/N_Bs/N_Cr)";
	case ISOTP_ERR_WRONG_SN:
		return "wrong consecutive frame sequence number";
	case ISOTP_ERR_INVALID_FS:
		return "invalid flow status";
	case ISOTP_ERR_UNEXP_PDU:
		return "reception interrupted by a new message";
	case ISOTP_ERR_WFT_OVRN:
		return "too many flow-control WAIT frames";
	case ISOTP_ERR_PEER_OVFLW:
		return "receiver reported buffer overflow";
	case ISOTP_ERR_TOO_BIG:
		return "message larger than the receive buffer";
	case -EBUSY:
		return "a send is already in flight";
	case -EINVAL:
		return "invalid argument";
	default:
		return "transport error";
	}
}
