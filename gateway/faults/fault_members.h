// SPDX-License-Identifier: MIT
/* A fault's own fields as JSON members, from "bus" to the freeze frame and
 * the closing brace: the socket API and the MQTT bridge show a fault alike
 * and put their own members (id, session; seq, event, at) before these. */
#ifndef EVGW_FAULTS_FAULT_MEMBERS_H
#define EVGW_FAULTS_FAULT_MEMBERS_H

#include "faults/fault.h"
#include "util/textbuf.h"

/* Appends ,"bus":...,"freeze_frame":{...}} to an object the caller opened;
 * description: the text to show (a translation), or NULL for f's own. */
void evgw_fault_json_members(struct evgw_textbuf *tb, const struct evgw_fault *f, const char *description);

#endif
