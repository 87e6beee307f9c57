// SPDX-License-Identifier: MIT
#include "can/frame.h"

static const uint8_t dlc_len[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 32, 48, 64};

uint8_t evgw_canfd_dlc_to_len(uint8_t dlc)
{
	return dlc_len[dlc & 0x0F];
}

uint8_t evgw_canfd_len_to_dlc(uint8_t len)
{
	for (uint8_t dlc = 0; dlc < 16; dlc++)
		if (dlc_len[dlc] >= len)
			return dlc;
	return 15;
}

bool evgw_canfd_len_valid(uint8_t len)
{
	return len <= 64 && dlc_len[evgw_canfd_len_to_dlc(len)] == len;
}
