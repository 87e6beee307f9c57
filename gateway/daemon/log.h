// SPDX-License-Identifier: MIT
/* The daemon's log: stderr, one line per event, with syslog priority
 * prefixes ("<4>") when journald reads it (JOURNAL_STREAM is set). Only the
 * daemon logs; library code returns errors. */
#ifndef EVGW_DAEMON_LOG_H
#define EVGW_DAEMON_LOG_H

#include <stdbool.h>

#include "config/config.h"

struct evgw_log {
	enum evgw_log_level level;
	bool journal; /* prefix lines with <N> */
};

void evgw_log_init(struct evgw_log *l, enum evgw_log_level level);
void evgw_log(const struct evgw_log *l, enum evgw_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define evgw_err(l, ...) evgw_log((l), EVGW_LOG_ERR, __VA_ARGS__)
#define evgw_warn(l, ...) evgw_log((l), EVGW_LOG_WARNING, __VA_ARGS__)
#define evgw_notice(l, ...) evgw_log((l), EVGW_LOG_NOTICE, __VA_ARGS__)
#define evgw_info(l, ...) evgw_log((l), EVGW_LOG_INFO, __VA_ARGS__)
#define evgw_debug(l, ...) evgw_log((l), EVGW_LOG_DEBUG, __VA_ARGS__)

#endif
