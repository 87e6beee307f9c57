// SPDX-License-Identifier: MIT
/* DID value expressions: the `expr` key of a profile's [did] section, and the
 * equations of the PID lists people share (WiCAN, ABRP, Torque), in one small
 * safe language compiled once into bytecode and evaluated without allocation.
 *
 *   expr    := or
 *   or      := xor ('|' xor)*          xor := and ('^' and)*
 *   and     := shift ('&' shift)*      shift := add (('<<' | '>>') add)*
 *   add     := mul (('+' | '-') mul)*  mul := unary (('*' | '/') unary)*
 *   unary   := ('-' | '+' | '~') unary | primary
 *   primary := NUMBER | BYTE | '[' BYTE ':' BYTE ']' | '(' expr ')'
 *            | SIGNED '(' expr [',' BITS] ')' | INT16 '(' expr ')'
 *
 * NUMBER is decimal (12, 0.45) or hex (0x1F). BYTE is B0, B1, ...: the
 * bytes after the DID in the 0x22 response (B0 is the profile's start = 0).
 * [Bi:Bj] is the bytes from Bi to Bj as one unsigned number, Bi the most
 * significant (2..8 bytes): [B2:B3] is big-endian, [B3:B2] little-endian.
 * SIGNED(x, bits) reads the low bits of x as two's complement (1..64;
 * SIGNED(x) is 8 bits, as Torque's); INT16(x) is SIGNED(x, 16). Names are
 * case-insensitive. Arithmetic is in doubles; the bit operators need whole
 * numbers (|x| < 2^63) and shifts 0..63, else there is no value.
 *
 * The other dialects differ only in how bytes are named:
 *   WiCAN   Bn counts from the start of the response frame: B4 is the first
 *           byte after a 0x22 DID (B0..B3 are its header: an error).
 *   Torque  A, B, ... Z, AA, AB, ... are the bytes after the DID (A = B0);
 *           {A:n} is bit n of A; "A:B" (ABRP's int16(A:B)) is [A:B];
 *           '^' is Torque's power: an error, not xor.
 *
 * Limits: EVGW_EXPR_TEXT_MAX bytes of text, EVGW_EXPR_MAX_DEPTH nesting
 * (and evaluation stack), EVGW_EXPR_MAX_CODE bytes of code,
 * EVGW_EXPR_MAX_CONST constants. Nothing here allocates, logs or exits. */
#ifndef EVGW_VEHICLE_DID_EXPR_H
#define EVGW_VEHICLE_DID_EXPR_H

#include <stddef.h>
#include <stdint.h>

#define EVGW_EXPR_TEXT_MAX 256
#define EVGW_EXPR_MAX_DEPTH 16
#define EVGW_EXPR_MAX_CODE 96
#define EVGW_EXPR_MAX_CONST 12
#define EVGW_EXPR_MAX_BYTE 4095 /* the highest byte index */

enum evgw_expr_dialect {
	EVGW_EXPR_EVGW = 0, /* B0 = the first byte after the DID */
	EVGW_EXPR_WICAN,    /* B4 = the first byte after the DID */
	EVGW_EXPR_TORQUE,   /* A = the first byte after the DID */
};

/* A compiled expression: n_code == 0 means none. */
struct evgw_expr {
	uint8_t code[EVGW_EXPR_MAX_CODE];
	double k[EVGW_EXPR_MAX_CONST];
	uint8_t n_code, n_k;
	uint16_t min_len; /* bytes the data must have (the highest byte used + 1) */
};

/* Compile text[0..len) of a dialect. Returns 0, or -EINVAL with *col (from 1,
 * within text) and a message in msg ("unexpected ')'"). */
int evgw_expr_parse(struct evgw_expr *e, const char *text, size_t len, enum evgw_expr_dialect d, unsigned *col,
		    char *msg, size_t msglen);

/* The value for data[0..len) (the bytes after the DID). Returns 0, -ENODATA
 * when the data is shorter than e->min_len, or -EDOM when there is no value
 * (a division by zero, a bit operation on a fraction, an infinite result). */
int evgw_expr_eval(const struct evgw_expr *e, const uint8_t *data, size_t len, double *out);

/* e as evgw-dialect text (what a profile's expr key takes), with only the
 * parentheses it needs. Returns the length, or -ENOSPC when cap is too small
 * (EVGW_EXPR_TEXT_MAX * 2 is always enough for a parsed expression). */
int evgw_expr_format(const struct evgw_expr *e, char *out, size_t cap);

#endif
