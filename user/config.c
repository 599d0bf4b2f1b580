// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Configuration file syntax (config.h): "KEY = VALUE" lines, '#' comments
 * outside quotes, blank lines ignored, values may be double-quoted.  The
 * keys, their values and ranges are the options table's (options.c):
 * keys may use '-' or '_', `interface` and `policy` may repeat, any other
 * key repeated: last wins.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user/config.h"
#include "user/engine/engine.h"
#include "user/parse.h"

#define CONF_LINE_MAX 1024

/*
 * Values handed to the callee live as long as the process (the options
 * mix them with argv pointers, so nobody can free per field).  Keeping
 * them on one list keeps them reachable and lets config_release() free
 * them all, e.g. at the end of a test.
 */
struct conf_str {
	struct conf_str *next;
	char s[];
};
static struct conf_str *conf_strings;

static char *conf_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	struct conf_str *c = malloc(sizeof(*c) + n);

	if (!c)
		return NULL;
	memcpy(c->s, s, n);
	c->next = conf_strings;
	conf_strings = c;
	return c->s;
}

void config_release(void)
{
	while (conf_strings) {
		struct conf_str *c = conf_strings;

		conf_strings = c->next;
		free(c);
	}
}

const void *config_mark(void)
{
	return conf_strings;
}

void config_release_to(const void *mark)
{
	/* newest first: everything before the mark came after it */
	while (conf_strings && (const void *)conf_strings != mark) {
		struct conf_str *c = conf_strings;

		conf_strings = c->next;
		free(c);
	}
}

/* Remove one pair of surrounding double quotes. */
static char *unquote(char *v)
{
	size_t n = strlen(v);

	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v[n - 1] = '\0';
		return v + 1;
	}
	return v;
}

/* Strip a '#' comment that is not inside double quotes. */
static void strip_comment(char *s)
{
	bool q = false;

	for (; *s; s++) {
		if (*s == '"')
			q = !q;
		else if (*s == '#' && !q) {
			*s = '\0';
			return;
		}
	}
}

static int config_line(char *line, config_set_fn set, void *ctx, char *msg,
		       size_t msglen)
{
	char *eq, *key, *val;

	strip_comment(line);
	key = str_trim(line);
	if (!*key)
		return 0;
	eq = strchr(key, '=');
	if (!eq)
		return errmsg(msg, msglen, "expected KEY = VALUE");
	*eq = '\0';
	key = str_trim(key);
	val = unquote(str_trim(eq + 1));
	/* the callee may keep pointers into the value: give it a copy */
	val = conf_strdup(val);
	if (!val)
		return errmsg(msg, msglen, "out of memory");
	return set(ctx, key, val, msg, msglen);
}

int config_read(const char *path, config_set_fn set, void *ctx, char *err,
		size_t errlen)
{
	char *line = NULL, msg[256];
	unsigned int lineno = 0;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int rc = 0;

	f = fopen(path, "re");
	if (!f) {
		rc = -errno;
		errmsg(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		if ((size_t)n > CONF_LINE_MAX) {
			errmsg(err, errlen, "%s:%u: line longer than %d bytes",
			       path, lineno, CONF_LINE_MAX);
			rc = -EINVAL;
			goto cleanup;
		}
		if (strlen(line) != (size_t)n) {
			errmsg(err, errlen, "%s:%u: NUL byte in line", path,
			       lineno);
			rc = -EINVAL;
			goto cleanup;
		}
		rc = config_line(line, set, ctx, msg, sizeof(msg));
		if (rc) {
			errmsg(err, errlen, "%s:%u: %s", path, lineno, msg);
			rc = -EINVAL;
			goto cleanup;
		}
	}
	if (ferror(f)) {
		errmsg(err, errlen, "%s: read error", path);
		rc = -EIO;
	}
cleanup:
	free(line);
	fclose(f);
	return rc;
}
