// SPDX-License-Identifier: MIT
/* The common candump log line, read straight through; candump_fast.h says
 * when it declines. Recordings are hours of such lines, and the careful
 * parser's per-byte checks were a third of `evgw decode`'s time. */
#include "can/candump_fast.h"

#include <endian.h>
#include <stdint.h>
#include <string.h>

/* Twelve digits cannot overflow microseconds in int64 (the careful parser
 * checks the thirteenth and beyond). */
#define SEC_DIGITS_MAX 12
#define USEC_DIGITS 6
#define IFACE_MAX_LEN 15
#define ID_ERR_OR_BAD_BITS 0xE0000000u
#define FD_FLAGS_MAX 7

#define ONES 0x0101010101010101u
#define HIGHS 0x8080808080808080u

const uint8_t evgw_candump_hex_plus1[256] = {
	['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
	['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

#define IFACE_LETTERS(base)                                                                         \
	[base + 0] = 1, [base + 1] = 1, [base + 2] = 1, [base + 3] = 1, [base + 4] = 1, [base + 5] = 1,   \
	[base + 6] = 1, [base + 7] = 1, [base + 8] = 1, [base + 9] = 1, [base + 10] = 1, [base + 11] = 1, \
	[base + 12] = 1, [base + 13] = 1, [base + 14] = 1, [base + 15] = 1, [base + 16] = 1,              \
	[base + 17] = 1, [base + 18] = 1, [base + 19] = 1, [base + 20] = 1, [base + 21] = 1,              \
	[base + 22] = 1, [base + 23] = 1, [base + 24] = 1, [base + 25] = 1
const uint8_t evgw_candump_iface_char[256] = {
	IFACE_LETTERS('a'), IFACE_LETTERS('A'),
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['_'] = 1, ['.'] = 1, ['-'] = 1,
};

/* Lanes (bytes below 0x80) at or above n get their high bit. */
static uint64_t lanes_at_least(uint64_t x, unsigned n)
{
	return (x + ONES * (0x80u - n)) & HIGHS;
}

static uint64_t load8(const unsigned char *s)
{
	uint64_t x;
	memcpy(&x, s, sizeof x);
	return le64toh(x);
}

/* Eight decimal digits (the first in the lowest byte) as a number, or -1
 * when one is not a digit. */
static int64_t dec8(uint64_t x)
{
	if ((x & HIGHS) || (lanes_at_least(x, '0') & ~lanes_at_least(x, '9' + 1)) != HIGHS)
		return -1;
	x &= ONES * 0x0Fu;
	x = (x * 10 + (x >> 8)) & 0x00FF00FF00FF00FFu;
	x = (x * 100 + (x >> 16)) & 0x0000FFFF0000FFFFu;
	return (int64_t)((x * 10000 + (x >> 32)) & 0xFFFFFFFFu);
}

/* Eight hex digits into four bytes, all eight checked at once (SWAR); false,
 * with nothing written, when one of them is not a hex digit. */
static bool hex8(const unsigned char *s, uint8_t *out)
{
	uint64_t x = load8(s);
	if (x & HIGHS)
		return false;
	uint64_t lower = x | (ONES * 0x20u);
	uint64_t digit = lanes_at_least(x, '0') & ~lanes_at_least(x, '9' + 1);
	uint64_t letter = lanes_at_least(lower, 'a') & ~lanes_at_least(lower, 'f' + 1);
	if ((digit | letter) != HIGHS)
		return false;
	/* '0'..'9' are 0x3N, letters 0x4N/0x6N with N = value - 9: bit 6 says which. */
	uint64_t nib = (x & (ONES * 0x0Fu)) + ((x >> 6) & ONES) * 9u;
	/* Pairs of nibbles (first digit in the lower byte) into bytes, then the
	 * four bytes together. */
	uint64_t y = ((nib & 0x00FF00FF00FF00FFu) << 4) | ((nib >> 8) & 0x00FF00FF00FF00FFu);
	y = (y | y >> 8) & 0x0000FFFF0000FFFFu;
	y = (y | y >> 16) & 0xFFFFFFFFu;
	uint32_t w = htole32((uint32_t)y);
	memcpy(out, &w, sizeof w);
	return true;
}

/* Hex pairs up to end, at most EVGW_CANFD_MAX_DLEN bytes; false when
 * anything else is left. */
static bool data_bytes(const unsigned char *s, size_t pos, size_t end, struct evgw_frame *f)
{
	uint8_t len = 0;
	while (end - pos >= 8 && len + 4 <= EVGW_CANFD_MAX_DLEN && hex8(s + pos, f->data + len)) {
		len += 4;
		pos += 8;
	}
	while (end - pos >= 2 && len < EVGW_CANFD_MAX_DLEN) {
		unsigned hi = evgw_candump_hex_plus1[s[pos]], lo = evgw_candump_hex_plus1[s[pos + 1]];
		if (!hi || !lo)
			break;
		f->data[len++] = (uint8_t)((hi - 1) << 4 | (lo - 1));
		pos += 2;
	}
	f->len = len;
	return pos == end;
}

bool evgw_candump_parse_fast(const char *line, size_t len, struct evgw_candump_line *out)
{
	const unsigned char *s = (const unsigned char *)line;
	size_t end = len, pos = 1;
	if (!line)
		return false;
	while (end && (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\r' || s[end - 1] == '\n'))
		end--;
	if (end < 2 || s[0] != '(')
		return false;
	*out = (struct evgw_candump_line){0};
	struct evgw_frame *f = &out->frame;

	/* "(sec.usec) ": eight digits of the seconds at once where there are
	 * eight, then "usec) " at once, as "00usec" with the ") " checked. */
	int64_t sec = 0, usec;
	unsigned d;
	if (end > 9 && (sec = dec8(load8(s + 1))) >= 0)
		pos = 9;
	else
		sec = 0;
	while (pos < end && (d = s[pos] - (unsigned)'0') < 10u && pos <= SEC_DIGITS_MAX) {
		sec = sec * 10 + d;
		pos++;
	}
	if (pos == 1 || end - pos < USEC_DIGITS + 3 || s[pos] != '.')
		return false;
	uint64_t frac = load8(s + pos + 1);
	if ((frac >> 48) != (' ' << 8 | ')') || (usec = dec8(frac << 16 | ('0' << 8 | '0'))) < 0)
		return false;
	pos += USEC_DIGITS + 3;
	f->ts_us = sec * 1000000 + usec;
	out->has_ts = true;

	/* "iface " */
	size_t start = pos;
	while (pos < end && evgw_candump_iface_char[s[pos]])
		pos++;
	if (pos == start || pos - start > IFACE_MAX_LEN || pos >= end || s[pos] != ' ')
		return false;
	out->iface = line + start;
	out->iface_len = pos - start;
	pos++;

	/* " R" / " T" at the end */
	if (end - pos >= 2 && s[end - 2] == ' ' && (s[end - 1] == 'R' || s[end - 1] == 'T')) {
		out->tx = s[end - 1] == 'T';
		end -= 2;
	}

	/* "III#" or "IIIIIIII#", neither an error frame nor out of range */
	uint32_t id = 0;
	unsigned h;
	start = pos;
	while (pos < end && pos - start < 8 && (h = evgw_candump_hex_plus1[s[pos]]) != 0) {
		id = id << 4 | (h - 1);
		pos++;
	}
	if (pos >= end || s[pos] != '#')
		return false;
	if (pos - start == 3 && id <= EVGW_CAN_SFF_MASK) {
		f->id = id;
	} else if (pos - start == 8 && !(id & ID_ERR_OR_BAD_BITS)) {
		f->id = id;
		f->flags = EVGW_FRAME_EXT;
	} else {
		return false;
	}
	pos++;

	/* "#F" of a CAN FD frame, then the data */
	unsigned fd_flags = 0;
	bool fd = pos < end && s[pos] == '#';
	if (fd) {
		if (end - pos < 2 || !(h = evgw_candump_hex_plus1[s[pos + 1]]) || h - 1 > FD_FLAGS_MAX)
			return false;
		fd_flags = h - 1;
		pos += 2;
	}
	if (!data_bytes(s, pos, end, f))
		return false;
	if (!fd) {
		f->dlc = f->len;
		return true;
	}
	if (!evgw_canfd_len_valid(f->len))
		return false;
	f->flags |= EVGW_FRAME_FD | ((fd_flags & 0x1) ? EVGW_FRAME_BRS : 0) | ((fd_flags & 0x2) ? EVGW_FRAME_ESI : 0);
	f->dlc = evgw_canfd_len_to_dlc(f->len);
	return true;
}
