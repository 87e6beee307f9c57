// SPDX-License-Identifier: MIT
#include "web/web_auth.h"

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>


#define MAX_FAILS_PER_SECOND 3

int web_auth_init(struct web_auth *a, const char *password_file, unsigned session_seconds)
{
	memset(a, 0, sizeof *a);
	a->password_file = password_file;
	a->session_seconds = session_seconds;
	return -pthread_mutex_init(&a->mu, NULL);
}

void web_auth_free(struct web_auth *a)
{
	explicit_bzero(a->sessions, sizeof a->sessions);
	pthread_mutex_destroy(&a->mu);
}

int web_token(char out[WEB_TOKEN_LEN + 1])
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char r[33];
	size_t got = 0;
	while (got < 32) {
		ssize_t n = getrandom(r + got, 32 - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		got += (size_t)n;
	}
	r[32] = 0;
	/* 32 bytes = 256 bits: 43 characters of 6 bits (the last one 4). */
	for (unsigned i = 0; i < WEB_TOKEN_LEN; i++) {
		unsigned bit = i * 6, byte = bit / 8, shift = bit % 8;
		unsigned v = ((unsigned)r[byte] | ((unsigned)r[byte + 1] << 8)) >> shift;
		out[i] = b64[v & 63];
	}
	out[WEB_TOKEN_LEN] = '\0';
	explicit_bzero(r, sizeof r);
	return 0;
}

bool web_token_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb || la == 0)
		return false;
	unsigned char d = 0;
	for (size_t i = 0; i < la; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

/* The hash from the file: one line "$y$...". */
static int read_hash(const char *path, char *out, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	ssize_t n = read(fd, out, cap - 1);
	close(fd);
	if (n < 0)
		return -errno;
	out[n] = '\0';
	out[strcspn(out, "\r\n")] = '\0';
	return strncmp(out, "$y$", 3) ? -EINVAL : 0;
}

bool web_auth_has_password(struct web_auth *a)
{
	char hash[512];
	return read_hash(a->password_file, hash, sizeof hash) == 0;
}

int web_auth_login(struct web_auth *a, const char *pw, char out[WEB_TOKEN_LEN + 1])
{
	time_t now = time(NULL);
	pthread_mutex_lock(&a->mu);
	if (a->fail_second != now) {
		a->fail_second = now;
		a->fails = 0;
	}
	bool slow = a->fails >= MAX_FAILS_PER_SECOND;
	pthread_mutex_unlock(&a->mu);
	if (slow)
		return -EAGAIN;
	char hash[512];
	int r = read_hash(a->password_file, hash, sizeof hash);
	if (r < 0)
		return r == -ENOENT ? -ENOENT : r;
	struct crypt_data *cd = calloc(1, sizeof *cd);
	if (!cd)
		return -ENOMEM;
	const char *h = crypt_r(pw, hash, cd);
	bool ok = h && h[0] == '$' && web_token_equal(h, hash);
	explicit_bzero(cd, sizeof *cd);
	free(cd);
	pthread_mutex_lock(&a->mu);
	if (!ok) {
		if (a->fail_second != now) {
			a->fail_second = now;
			a->fails = 0;
		}
		a->fails++;
		pthread_mutex_unlock(&a->mu);
		return -EACCES;
	}
	/* A free or expired slot, else the one that expires first. */
	struct web_session *slot = &a->sessions[0];
	for (unsigned i = 0; i < WEB_MAX_SESSIONS; i++) {
		struct web_session *s = &a->sessions[i];
		if (s->expires <= now) {
			slot = s;
			break;
		}
		if (s->expires < slot->expires)
			slot = s;
	}
	r = web_token(slot->token);
	if (r == 0) {
		slot->expires = now + (time_t)a->session_seconds;
		memcpy(out, slot->token, WEB_TOKEN_LEN + 1);
	} else {
		slot->expires = 0;
	}
	pthread_mutex_unlock(&a->mu);
	return r;
}

bool web_auth_session(struct web_auth *a, const char *token)
{
	if (!token || strlen(token) != WEB_TOKEN_LEN)
		return false;
	time_t now = time(NULL);
	bool ok = false;
	pthread_mutex_lock(&a->mu);
	for (unsigned i = 0; i < WEB_MAX_SESSIONS; i++)
		if (a->sessions[i].expires > now && web_token_equal(a->sessions[i].token, token))
			ok = true;
	pthread_mutex_unlock(&a->mu);
	return ok;
}

void web_auth_logout(struct web_auth *a, const char *token)
{
	if (!token)
		return;
	pthread_mutex_lock(&a->mu);
	for (unsigned i = 0; i < WEB_MAX_SESSIONS; i++)
		if (a->sessions[i].expires && web_token_equal(a->sessions[i].token, token)) {
			explicit_bzero(&a->sessions[i], sizeof a->sessions[i]);
		}
	pthread_mutex_unlock(&a->mu);
}

int web_password_write(const char *path, const char *pw, char *err, size_t errlen)
{
	if (strlen(pw) < 8) {
		snprintf(err, errlen, "the password is too short (at least 8 characters)");
		return -EINVAL;
	}
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	if (!crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof salt)) {
		snprintf(err, errlen, "libcrypt cannot make a yescrypt salt: %s", strerror(errno));
		return -errno;
	}
	struct crypt_data *cd = calloc(1, sizeof *cd);
	if (!cd)
		return -ENOMEM;
	const char *h = crypt_r(pw, salt, cd);
	if (!h || h[0] != '$') {
		free(cd);
		snprintf(err, errlen, "libcrypt cannot hash with yescrypt");
		return -EINVAL;
	}
	/* The file belongs to its directory's owner: root setting the
	 * password for the service leaves it readable by the service's user
	 * (/var/lib/evgw-web is evgw-web's); a missing directory is made,
	 * 0700, for that user when it exists. */
	char dir[300];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, "%s", slash ? "/" : ".");
	struct stat dst;
	if (stat(dir, &dst) < 0 && errno == ENOENT && mkdir(dir, 0700) == 0) {
		const struct passwd *user = geteuid() == 0 ? getpwnam("evgw-web") : NULL;
		if (user && chown(dir, user->pw_uid, user->pw_gid) < 0) {
			snprintf(err, errlen, "%s: %s", dir, strerror(errno));
			free(cd);
			return -errno;
		}
	}
	if (stat(dir, &dst) < 0) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", dir, strerror(e));
		free(cd);
		return -e;
	}
	char tmp[320];
	snprintf(tmp, sizeof tmp, "%s.new", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	int r = 0;
	if (fd < 0) {
		r = -errno;
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
	} else {
		size_t n = strlen(h);
		if ((geteuid() == 0 && fchown(fd, dst.st_uid, dst.st_gid) < 0) || write(fd, h, n) != (ssize_t)n ||
		    write(fd, "\n", 1) != 1 || fsync(fd) < 0) {
			r = -errno;
			snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		}
		close(fd);
		if (r == 0 && rename(tmp, path) < 0) {
			r = -errno;
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		}
		if (r < 0)
			unlink(tmp);
	}
	explicit_bzero(cd, sizeof *cd);
	free(cd);
	return r;
}
