// SPDX-License-Identifier: MIT
/* evgw-web's settings: its own INI file ([web] section, same grammar and
 * error style as evgw.conf), then the command line over it. */
#ifndef EVGW_WEB_CONFIG_H
#define EVGW_WEB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct web_config {
	char listen[128];          /* ADDR:PORT, [v6]:PORT */
	char socket[108];          /* evgwd's socket; "" = the usual places */
	char password_file[256];   /* the yescrypt hash, one line */
	char recordings_dir[256];  /* evgwd's <state_dir>/recordings (downloads) */
	char www_dir[256];         /* the page's files */
	char chartjs[256];         /* Debian's libjs-chart.js */
	char locale_dir[256];      /* <dir>/ru/LC_MESSAGES/evgw.mo */
	bool network;              /* listening beyond loopback allowed */
	unsigned max_connections;  /* HTTP connections in all */
	unsigned max_per_ip;
	unsigned max_streams;      /* Server-Sent Events streams in all */
	unsigned idle_timeout;     /* seconds a connection may idle */
	unsigned session_hours;    /* a login lasts this long */
};

/* Built-in defaults (system places when root, the build tree's files when
 * run from it). */
void web_config_defaults(struct web_config *c);
/* Read FILE over the defaults: 0, or negative errno with "FILE:LINE: what"
 * in err. */
int web_config_load(struct web_config *c, const char *path, char *err, size_t errlen);
/* Split c->listen: host (no brackets) and port. 0 or -EINVAL. */
int web_config_listen(const char *listen, char *host, size_t hostlen, unsigned *port);

#endif
