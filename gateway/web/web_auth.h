// SPDX-License-Identifier: MIT
/* Who may change things: one shop password, stored as a yescrypt hash
 * (libcrypt) in its own file, set by `evgw-web --set-password`; logins
 * are random session tokens in a HttpOnly cookie, kept in memory (a
 * restart logs everyone out) and bounded in number; failed logins are
 * slowed down per second. CSRF is refused by a second random token that
 * every state-changing request must echo in a header. */
#ifndef EVGW_WEB_AUTH_H
#define EVGW_WEB_AUTH_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define WEB_TOKEN_LEN 43 /* 32 random bytes, base64url without padding */
#define WEB_MAX_SESSIONS 64

struct web_session {
	char token[WEB_TOKEN_LEN + 1];
	time_t expires; /* 0: free */
};

struct web_auth {
	pthread_mutex_t mu;
	const char *password_file;
	unsigned session_seconds;
	struct web_session sessions[WEB_MAX_SESSIONS];
	time_t fail_second; /* failed logins are counted per second */
	unsigned fails;
};

int web_auth_init(struct web_auth *a, const char *password_file, unsigned session_seconds);
void web_auth_free(struct web_auth *a);

/* A fresh random token (for sessions and CSRF). 0 or negative errno. */
int web_token(char out[WEB_TOKEN_LEN + 1]);
/* Constant-time comparison of two NUL-terminated tokens. */
bool web_token_equal(const char *a, const char *b);

/* Whether a password has been set (the file holds a yescrypt hash). */
bool web_auth_has_password(struct web_auth *a);
/* Check pw; on success a new session's token in out. 0, -EACCES (wrong
 * password), -ENOENT (none set), -EAGAIN (too many failures this second)
 * or another negative errno. */
int web_auth_login(struct web_auth *a, const char *pw, char out[WEB_TOKEN_LEN + 1]);
bool web_auth_session(struct web_auth *a, const char *token);
void web_auth_logout(struct web_auth *a, const char *token);

/* Hash pw with yescrypt and write it to path (0600, replaced atomically).
 * 0 or negative errno with why in err. */
int web_password_write(const char *path, const char *pw, char *err, size_t errlen);

#endif
