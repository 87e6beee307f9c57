// SPDX-License-Identifier: MIT
#include "can/frame.h"

static const uint8_t dlc_len[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 32, 48, 64};

uint8_t evgw_canfd_dlc_to_len(uint8_t dlc)
{
	return dlc_len[dlc & 0x0F];
}

/* The DLC of the shortest FD payload of at least len bytes, by table:
 * every frame of a recording asks. */
static const uint8_t len_dlc[65] = {
	0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  9,  9,  9,  10, 10, 10, 10, 11, 11, 11, 11, 12,
	12, 12, 12, 13, 13, 13, 13, 13, 13, 13, 13, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14,
	14, 14, 14, 14, 14, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15,
};

uint8_t evgw_canfd_len_to_dlc(uint8_t len)
{
	return len <= 64 ? len_dlc[len] : 15;
}

bool evgw_canfd_len_valid(uint8_t len)
{
	return len <= 64 && dlc_len[len_dlc[len]] == len;
}
