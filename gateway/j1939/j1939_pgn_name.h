// SPDX-License-Identifier: MIT
/* The names of the J1939 parameter groups evgw itself speaks (network
 * management, transport, diagnostics, identification: J1939-21, -81, -73,
 * -71), for listings of a bus's traffic where no DBC names them. */
#ifndef EVGW_J1939_PGN_NAME_H
#define EVGW_J1939_PGN_NAME_H

#include <stdint.h>

/* "DM1 active DTCs", "TP.CM transport connection", ...; NULL for others. */
const char *j1939_pgn_name(uint32_t pgn);

#endif
