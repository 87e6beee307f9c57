// SPDX-License-Identifier: MIT
#include "j1939/j1939_pgn_name.h"

#include <stddef.h>

const char *j1939_pgn_name(uint32_t pgn)
{
	switch (pgn) {
	case 59392: return "ACK acknowledgment";             /* J1939-21 */
	case 59904: return "Request";                        /* J1939-21 */
	case 60160: return "TP.DT transport data";           /* J1939-21 */
	case 60416: return "TP.CM transport connection";     /* J1939-21 */
	case 60928: return "Address Claimed";                /* J1939-81 */
	case 65226: return "DM1 active DTCs";                /* J1939-73 */
	case 65227: return "DM2 previously active DTCs";     /* J1939-73 */
	case 65228: return "DM3 clear previously active DTCs"; /* J1939-73 */
	case 65235: return "DM11 clear active DTCs";         /* J1939-73 */
	case 65260: return "VI vehicle identification";      /* J1939-71 */
	default: return NULL;
	}
}
