// SPDX-License-Identifier: MIT
/* evgw-web: the workshop screen. A client of evgwd's socket (it links none
 * of the daemon's engines) that serves the page, its API and its event
 * stream over HTTP. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "web/web_auth.h"
#include "web/web_config.h"
#include "web/web_hub.h"
#include "web/web_server.h"
#include "web/web_upstream.h"

static const char usage[] =
	"usage: evgw-web [--config FILE] [--socket PATH] [--listen ADDR:PORT]\n"
	"       evgw-web [--config FILE] --set-password\n"
	"\n"
	"Serves the workshop screen for evgwd on http://ADDR:PORT (default\n"
	"127.0.0.1:8080). --set-password reads a new password from the terminal\n"
	"(or one line of stdin) and stores its yescrypt hash in password_file.\n";

/* One line without its newline, echo off on a terminal. */
static int read_password(const char *prompt, char *out, size_t cap)
{
	bool tty = isatty(STDIN_FILENO);
	struct termios old, quiet;
	if (tty) {
		fputs(prompt, stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	bool ok = fgets(out, (int)cap, stdin) != NULL;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!ok)
		return -EIO;
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

static int set_password(const struct web_config *cfg)
{
	char a[256], b[256], err[300];
	if (read_password("New password: ", a, sizeof a) < 0) {
		fputs("evgw-web: no password given\n", stderr);
		return 1;
	}
	if (isatty(STDIN_FILENO)) {
		if (read_password("Again: ", b, sizeof b) < 0 || strcmp(a, b)) {
			fputs("evgw-web: the two passwords differ; nothing changed\n", stderr);
			return 1;
		}
	}
	int r = web_password_write(cfg->password_file, a, err, sizeof err);
	explicit_bzero(a, sizeof a);
	explicit_bzero(b, sizeof b);
	if (r < 0) {
		fprintf(stderr, "evgw-web: %s\n", err);
		return 1;
	}
	fprintf(stderr, "evgw-web: password stored (yescrypt) in %s\n", cfg->password_file);
	return 0;
}

int main(int argc, char **argv)
{
	struct web_config cfg;
	web_config_defaults(&cfg);
	const char *config = NULL, *opt_socket = NULL, *opt_listen = NULL;
	bool set_pw = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool more = i + 1 < argc;
		if (!strcmp(a, "--config") && more)
			config = argv[++i];
		else if (!strcmp(a, "--socket") && more)
			opt_socket = argv[++i];
		else if (!strcmp(a, "--listen") && more)
			opt_listen = argv[++i];
		else if (!strcmp(a, "--set-password"))
			set_pw = true;
		else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(a, "--version")) {
			puts("evgw-web " EVGW_VERSION);
			return 0;
		} else {
			fprintf(stderr, "evgw-web: %s '%s'\n%s",
				!strncmp(a, "--", 2) && !more ? "missing value or unknown option" : "unknown argument",
				a, usage);
			return 2;
		}
	}
	char err[512];
	if (config && web_config_load(&cfg, config, err, sizeof err) < 0) {
		fprintf(stderr, "evgw-web: %s\n", err);
		return 2;
	}
	if (opt_socket)
		snprintf(cfg.socket, sizeof cfg.socket, "%s", opt_socket);
	if (opt_listen) {
		char host[128];
		unsigned port;
		if (web_config_listen(opt_listen, host, sizeof host, &port) < 0) {
			fprintf(stderr, "evgw-web: --listen: '%s' is not ADDR:PORT (e.g. 127.0.0.1:8080)\n", opt_listen);
			return 2;
		}
		snprintf(cfg.listen, sizeof cfg.listen, "%s", opt_listen);
	}
	if (set_pw)
		return set_password(&cfg);

	/* Signals are taken by sigwait below; every thread inherits the mask. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct web_hub hub;
	struct web_auth auth;
	if (web_hub_init(&hub, cfg.max_streams) < 0 ||
	    web_auth_init(&auth, cfg.password_file, cfg.session_hours * 3600u) < 0) {
		fputs("evgw-web: out of memory\n", stderr);
		return 1;
	}
	struct web_server srv = {.cfg = &cfg, .hub = &hub, .auth = &auth};
	int rc = 1;
	if (web_server_load(&srv, err, sizeof err) < 0) {
		fprintf(stderr, "evgw-web: %s\n", err);
		goto out;
	}
	if (web_server_start(&srv, err, sizeof err) < 0) {
		fprintf(stderr, "evgw-web: %s\n", err);
		goto out;
	}
	struct web_upstream up = {.socket = cfg.socket, .hub = &hub};
	if (web_upstream_start(&up) < 0) {
		fputs("evgw-web: cannot start a thread\n", stderr);
		web_server_stop(&srv);
		goto out;
	}
	fprintf(stderr, "evgw-web: serving http://%s/\n", cfg.listen);
	for (;;) {
		int sig;
		if (sigwait(&set, &sig) == 0 && sig != SIGHUP)
			break;
	}
	web_hub_stop(&hub);
	web_server_stop(&srv);
	web_upstream_stop(&up);
	rc = 0;
out:
	web_server_free(&srv);
	web_auth_free(&auth);
	web_hub_free(&hub);
	return rc;
}
