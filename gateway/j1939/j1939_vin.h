// SPDX-License-Identifier: MIT
/* SAE J1939-71 Vehicle Identification, PGN 65260 (0xFEEC): one parameter,
 * SPN 237 VIN, ASCII, of variable length and ended by the delimiter '*'.
 * Sent on request only: ask with a Request (PGN 59904,
 * j1939_request_build(f, J1939_PGN_VI, da, sa) in j1939_id.h) to one
 * address or to all (0xFF). A 17-character VIN and its '*' are 18 bytes, so
 * the answer comes through the transport protocol (j1939_tp.h): BAM when
 * the request was global, RTS/CTS to the requester when it was addressed.
 * Its payload, as j1939_tp's deliver callback hands it over, goes to
 * j1939_vin_parse. */
#ifndef EVGW_J1939_J1939_VIN_H
#define EVGW_J1939_J1939_VIN_H

#include <stddef.h>
#include <stdint.h>

#define J1939_PGN_VI 0x0FEECu   /* 65260 Vehicle Identification */
#define J1939_VIN_DELIM '*'

/* The VIN in a PGN 65260 payload: the bytes before the first '*' (bytes
 * after it are not part of SPN 237 and are ignored); without a '*', the whole
 * payload less trailing 0xFF bytes (J1939-21 fills the unused bytes of a
 * frame with 0xFF). Copied into vin and NUL-terminated; returns its length.
 * -ENODATA: the VIN is empty ("*" alone, or only 0xFF);
 * -EBADMSG: a VIN byte outside printable ASCII (0x20..0x7E), no data, or
 *           more than a TP message holds (1785 bytes);
 * -ENOSPC: the VIN needs more than cap - 1 bytes (18 hold a 17-character one).
 * On an error vin is "" (when cap > 0). */
int j1939_vin_parse(const uint8_t *data, size_t len, char *vin, size_t cap);

#endif
