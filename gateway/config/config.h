// SPDX-License-Identifier: MIT
/* evgwd's configuration: one INI file, default /etc/evgw/evgw.conf, read
 * by the strict INI reader it shares with the vehicle profiles (util/ini.h).
 * Every key is documented in udev/evgw.conf.example. */
#ifndef EVGW_CONFIG_CONFIG_H
#define EVGW_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "can/frame.h"

#define EVGW_CONFIG_DEFAULT_PATH "/etc/evgw/evgw.conf"

enum evgw_log_level {
	EVGW_LOG_ERR = 3,     /* syslog priorities */
	EVGW_LOG_WARNING = 4,
	EVGW_LOG_NOTICE = 5,
	EVGW_LOG_INFO = 6,
	EVGW_LOG_DEBUG = 7,
};

/* A log level by name, in any case: err|error, warning|warn, notice, info,
 * debug (evgw.conf's log_level and evgwd --log-level). 0 or -EINVAL. */
int evgw_log_level_parse(const char *s, enum evgw_log_level *out);
#define EVGW_LOG_LEVEL_NAMES "err, warning, notice, info or debug"

/* The words of a bus's "protocols" list (here and in vehicle profiles),
 * NULL-terminated. */
extern const char *const evgw_bus_protocols[];

struct evgw_bus_config {
	char *name;            /* from "[bus NAME]" */
	char *driver;          /* required */
	char *device;          /* driver-specific; may be NULL */
	uint32_t bitrate;      /* bit/s, 0 = leave as is */
	uint32_t data_bitrate; /* CAN FD data phase, 0 = none */
	bool listen_only;      /* mode = listen-only (default) | diagnostic */
	char **dbc;            /* DBC files (relative ones are under dbc_dir) */
	unsigned n_dbc;
	char *profile;         /* vehicle profile name; may be NULL */
	char **protocols;      /* e.g. "j1939", "uds", "obd" */
	unsigned n_protocols;
	double replay_speed;   /* replay: 1 = recorded pace (default), N = N x, 0 = max */
	bool replay_loop;      /* replay: start over at the end (default no) */
	int32_t restart_ms;    /* bus-off: automatic restart after N ms, 0 = stay off;
				  -1 = unset (100 when evgw sets the interface up) */
	struct evgw_can_filter *filters; /* kernel-side receive filters; none = all */
	unsigned n_filters;
	int8_t termination;    /* gsusb: the adapter's 120 ohm resistor 1 on, 0 off, -1 as is */
	unsigned line;         /* where the section starts, for messages */
};

/* One [confirmed] entry: a definition a shop checked on a vehicle
 * (vehicle/confidence.h, docs/confirming.md). */
struct evgw_confirmed_def {
	bool did;              /* did = PROFILE DID; else message = FILE MESSAGE */
	char *file;            /* the DBC file as a bus's dbc = names it (or its base name); the profile */
	char *what;            /* the message's name or id (0x32D, 813); the DID's name */
	unsigned line;         /* where it is written, for messages */
};

/* One [mqtt] signals item: BUS/SIGNAL[@RATE]. */
struct evgw_mqtt_signal {
	char *bus;     /* a [bus NAME] of this file */
	char *glob;    /* SIGNAL, MESSAGE.SIGNAL, or a shell glob of either */
	double rate;   /* publications per second, at most (default 1) */
	unsigned line; /* where it was given, for messages */
};

/* [mqtt]: the bridge to an MQTT broker (docs/mqtt.md). Present only when
 * the file has the section; then broker is set. */
struct evgw_mqtt_config {
	bool enabled;           /* the file has [mqtt] */
	char *broker;           /* the URL as written: mqtt://HOST[:PORT] or mqtts://... */
	bool tls;               /* mqtts:// */
	char *host;             /* from the URL, without [] around an IPv6 address */
	uint16_t port;          /* from the URL, else 1883 (mqtt) or 8883 (mqtts) */
	char *client_id;        /* NULL: "evgw-" + unit */
	char *unit;             /* NULL: the host name */
	char *username, *password;
	char *ca_file, *cert_file, *key_file; /* TLS: absolute paths, or NULL */
	char *prefix;           /* topic prefix, default "evgw" */
	bool discovery;         /* Home Assistant discovery configs (default no) */
	char *discovery_prefix; /* default "homeassistant" */
	unsigned keepalive;     /* seconds (default 30) */
	unsigned health_interval; /* bus health every N seconds (default 10) */
	struct evgw_mqtt_signal *signals;
	unsigned n_signals;
	unsigned line;          /* where the section starts, for messages */
};

/* [socketcand]: the socketcand protocol's server (python-can, SavvyCAN).
 * Off without the section. */
struct evgw_socketcand_config {
	bool enabled;          /* the section is there and enabled (default yes) */
	char *listen;          /* an IPv4 or IPv6 address; default 127.0.0.1 */
	uint16_t port;         /* 29536 */
	bool beacon;           /* the UDP CANBeacon; default no */
	uint16_t beacon_port;  /* where it goes: 42000 */
	bool allow_send;       /* clients' < send > on diagnostic-mode buses; default no */
	unsigned max_clients;  /* 8 */
	uint32_t client_buffer; /* bytes of frames queued per client; 256 KiB */
	uint32_t send_rate;    /* frames a client may send per second (a second's worth at once); 1000 */
};

struct evgw_config {
	char *path;               /* the file read, or NULL for built-in defaults */
	char *socket_path;        /* [gateway] socket */
	char *state_dir;          /* [gateway] state_dir */
	char *socket_group;       /* [gateway] socket_group; NULL = the daemon's group */
	char *admin_group;        /* [gateway] admin_group; NULL = root only */
	char *dbc_dir;            /* [gateway] dbc_dir */
	enum evgw_log_level log_level; /* [gateway] log_level = err|warning|notice|info|debug */
	unsigned max_clients_per_uid;  /* [gateway] max_clients_per_uid (default 64) */
	unsigned max_clients;          /* [gateway] max_clients (default 1024) */
	uint64_t record_max_bytes;     /* [gateway] record_max_bytes (default 1 GiB) */
	uint64_t record_user_quota;    /* [gateway] record_user_quota: one user's recordings (2 GiB) */
	uint64_t record_total_quota;   /* [gateway] record_total_quota: all recordings (4 GiB) */
	struct evgw_bus_config *buses;
	unsigned n_buses;
	struct evgw_confirmed_def *confirmed; /* [confirmed] message / did lines */
	unsigned n_confirmed;
	struct evgw_mqtt_config mqtt;  /* [mqtt] */
	struct evgw_socketcand_config socketcand;
};

/* Free what an [mqtt] section holds (and zero it). */
void evgw_mqtt_config_free(struct evgw_mqtt_config *m);

/* Defaults before any file: as root the FHS paths (/run/evgw/evgw.sock,
 * /var/lib/evgw), otherwise $XDG_RUNTIME_DIR/evgw (or /tmp/evgw-UID) so an
 * unprivileged `evgwd --demo` works. dbc_dir defaults to EVGW_DATADIR/dbc.
 * c is overwritten, not freed. Returns 0 or -ENOMEM. */
int evgw_config_defaults(struct evgw_config *c, bool as_root);

/* Read an INI file over the defaults already in c. On error returns a
 * negative errno and writes "file:line: what is wrong" into err. Unknown
 * sections or keys, and a key or section given twice, are errors (a typo
 * must not pass silently). After an
 * error c is still safe to free but may be half updated: load into a fresh
 * config and keep the old one until this succeeds. Sets c->path. The syntax
 * and every key are documented in udev/evgw.conf.example. */
int evgw_config_load_file(struct evgw_config *c, const char *path, char *err, size_t errlen);
/* The same from text (tests); name is used in messages. */
int evgw_config_load_string(struct evgw_config *c, const char *text, const char *name, char *err,
			    size_t errlen);

void evgw_config_free(struct evgw_config *c);

/* A bus by name, or NULL. */
const struct evgw_bus_config *evgw_config_bus(const struct evgw_config *c, const char *name);

#endif
