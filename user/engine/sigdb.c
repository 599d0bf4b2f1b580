// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The p0f .fp database reader.
 *
 * Accepts exactly the files p0f 3.09b accepts and assigns class, name and
 * label ids the same way, so that every id printed or compared later is
 * p0f's.  The grammar is line based:
 *
 *   ; comment                     (first non-blank character)
 *   classes = win,unix,other      (before the first section only)
 *   [mtu] [tcp:request] [tcp:response] [http:request] [http:response]
 *   ua_os = ...                   (first thing in [http:request])
 *   label = s|g:class|!:name:flavor   ([mtu]: label = free text)
 *   sys = name,@class,...         (after an application "!" label)
 *   sig = ...                     (handed to the module's parser)
 *
 * Leading blanks are skipped, trailing ones are part of the value (as in
 * p0f).  Any error stops the load with "file:line: what" in err.
 *
 * An overlay file (sigdb_overlay) is read by the same rules into the same
 * db, with its records ahead of the earlier files' (sigstore.h); its
 * `classes` line only adds the classes not known yet.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "mtu.h"
#include "sigstore.h"
#include "tcp.h"

enum { SEC_NONE, SEC_TCP, SEC_MTU, SEC_HTTP };
enum { NEED_SECT, NEED_LABEL, NEED_SYS, NEED_SIG };

struct fp_parser {
	struct sigdb *db;
	const char *fname;
	u8 overlay; /* not the first file */
	u32 line_no;
	u8 state;
	u8 sec;
	u8 to_srv;
	struct sig_label lb;
	const char *mtu_name;
	char *msg; /* error text without location */
	size_t msglen;
};

/*
 * The reader's own complaints go where the modules put theirs (p->msg,
 * through errmsg() as everywhere in the engine); sigdb_load_buf() puts
 * "file:line: " in front of whichever it is.  Returns -EINVAL.
 */
#define perr(p, ...) errmsg((p)->msg, (p)->msglen, __VA_ARGS__)

static int class_known(const struct sigdb *db, const char *v, size_t n)
{
	char name[64];

	if (n >= sizeof(name))
		return 0;
	memcpy(name, v, n);
	name[n] = 0;
	return sigstore_find_class(db, name) >= 0;
}

static int parse_classes(struct fp_parser *p, char *v)
{
	struct sigdb *db = p->db;

	while (*v) {
		char *e;

		while (isblank((u8)*v) || *v == ',')
			v++;
		for (e = v; isalnum((u8)*e); e++)
			;
		/* a trailing ',' leaves an empty entry: an error, as in p0f */
		if (e == v || (*e && *e != ','))
			return perr(p, "malformed class entry");
		if (p->overlay && class_known(db, v, e - v)) {
			v = e;
			continue;
		}
		if (sigstore_add_class(db, v, e - v))
			return -ENOMEM;
		v = e;
	}
	return 0;
}

static int parse_label(struct fp_parser *p, char *v)
{
	struct sigdb *db = p->db;
	char *e;
	s32 id;

	if (p->sec == SEC_MTU) {
		if (!*v)
			return perr(p, "empty MTU label");
		p->mtu_name = sigstore_strndup(db, v, strlen(v));
		return p->mtu_name ? 0 : -ENOMEM;
	}

	if (*v == 'g')
		p->lb.generic = 1;
	else if (*v == 's')
		p->lb.generic = 0;
	else
		return perr(p, "malformed class entry");
	if (v[1] != ':')
		return perr(p, "malformed class entry");
	v += 2;

	for (e = v; isalnum((u8)*e) || *e == '!'; e++)
		;
	if (e == v || *e != ':')
		return perr(p, "malformed class entry");
	if (v[0] == '!' && v[1] == ':') {
		p->lb.class_id = -1;
	} else {
		*e = 0;
		id = sigstore_find_class(db, v);
		if (id < 0)
			return perr(p, "unknown class '%s'", v);
		p->lb.class_id = id;
	}

	v = ++e;
	while (sig_name_char((u8)*e))
		e++;
	if (e == v || *e != ':')
		return perr(p, "malformed name");
	id = sigstore_intern_name(db, v, e - v);
	if (id < 0)
		return id;
	p->lb.name_id = id;

	if (e[1]) {
		p->lb.flavor = sigstore_strndup(db, e + 1, strlen(e + 1));
		if (!p->lb.flavor)
			return -ENOMEM;
	} else {
		p->lb.flavor = NULL;
	}
	p->lb.label_id = ++db->label_cnt;
	return 0;
}

/*
 * "sys = Windows,@unix": a fresh list; p0f keeps it for every later sig
 * until the next "sys" line, OS labels included.
 */
static int parse_sys(struct fp_parser *p, char *v)
{
	struct sigdb *db = p->db;
	u32 *sys = NULL, cnt = 0, cap = 0;

	while (*v) {
		u8 is_class = 0;
		char *e, saved;
		s32 id;

		while (isblank((u8)*v) || *v == ',')
			v++;
		if (*v == '@') {
			is_class = 1;
			v++;
		}
		for (e = v; sig_name_char((u8)*e); e++)
			;
		if (e == v || (*e && *e != ','))
			return perr(p, "malformed sys entry");
		saved = *e;
		*e = 0;
		if (is_class) {
			id = sigstore_find_class(db, v);
			if (id < 0)
				return perr(p, "unknown class '%s'", v);
			id = (s32)((u32)id | SYS_CLASS_FLAG);
		} else {
			id = sigstore_intern_name(db, v, e - v);
			if (id < 0)
				return id;
		}
		*e = saved;
		sys = sigstore_grow(db, sys, cnt, &cap, sizeof(*sys));
		if (!sys)
			return -ENOMEM;
		sys[cnt++] = (u32)id;
		v = e;
	}
	p->lb.sys = sys;
	p->lb.sys_cnt = cnt;
	return 0;
}

static int parse_section(struct fp_parser *p, char *line)
{
	char *dir;

	line++;
	if (!strcmp(line, "mtu]")) {
		p->sec = SEC_MTU;
		p->state = NEED_LABEL;
		return 0;
	}
	dir = strchr(line, ':');
	if (!dir)
		return perr(p, "malformed section identifier");
	*dir++ = 0;
	if (!strcmp(line, "tcp"))
		p->sec = SEC_TCP;
	else if (!strcmp(line, "http"))
		p->sec = SEC_HTTP;
	else
		return perr(p, "unrecognized fingerprinting module '%s'", line);
	if (!strcmp(dir, "request]"))
		p->to_srv = 1;
	else if (!strcmp(dir, "response]"))
		p->to_srv = 0;
	else
		return perr(p, "unrecognized traffic direction");
	p->state = NEED_LABEL;
	return 0;
}

static int dispatch_sig(struct fp_parser *p, const char *v)
{
	struct sigdb *db = p->db;

	switch (p->sec) {
	case SEC_TCP:
		return tcp_register_sig(db, p->to_srv, &p->lb, v, p->line_no,
					p->msg, p->msglen);
	case SEC_MTU:
		return mtu_register_sig(db, p->mtu_name, v, p->line_no, p->msg,
					p->msglen);
	case SEC_HTTP:
		return http_register_sig(db, p->to_srv, &p->lb, v, p->line_no,
					 p->msg, p->msglen);
	}
	return perr(p, "signature outside a section");
}

static int parse_line(struct fp_parser *p, char *line)
{
	char *v = line, *eon;

	if (*line == '[')
		return parse_section(p, line);

	while (isalpha((u8)*v) || *v == '_')
		v++;
	eon = v;
	while (isblank((u8)*v))
		v++;
	if (v == line || *v != '=')
		return perr(p, "unexpected statement");
	v++;
	while (isblank((u8)*v))
		v++;
	*eon = 0;

	if (!strcmp(line, "classes")) {
		if (p->state != NEED_SECT)
			return perr(p, "misplaced 'classes'");
		return parse_classes(p, v);
	}
	if (!strcmp(line, "ua_os")) {
		if (p->state != NEED_LABEL || !p->to_srv || p->sec != SEC_HTTP)
			return perr(p, "misplaced 'ua_os'");
		return http_parse_ua(p->db, v, p->line_no, p->msg, p->msglen);
	}
	if (!strcmp(line, "label")) {
		int rc;

		if (p->state != NEED_LABEL && p->state != NEED_SIG)
			return perr(p, "misplaced 'label'");
		rc = parse_label(p, v);
		if (rc)
			return rc;
		p->state = (p->sec != SEC_MTU && p->lb.class_id < 0) ?
				   NEED_SYS :
				   NEED_SIG;
		return 0;
	}
	if (!strcmp(line, "sys")) {
		int rc;

		if (p->state != NEED_SYS)
			return perr(p, "misplaced 'sys'");
		rc = parse_sys(p, v);
		if (!rc)
			p->state = NEED_SIG;
		return rc;
	}
	if (!strcmp(line, "sig")) {
		if (p->state != NEED_SIG)
			return perr(p, "misplaced 'sig'");
		return dispatch_sig(p, v);
	}
	return perr(p, "unrecognized field '%s'", line);
}

/* The lines of buf into p->db; 0 or an error with p->msg and p->line_no. */
static int parse_buf(struct fp_parser *p, const char *buf, size_t len)
{
	const char *cur = buf, *end;
	int rc;

	/* p0f reads the file as a C string: a NUL ends it */
	end = memchr(buf, 0, len);
	if (!end)
		end = buf + len;
	for (;;) {
		const char *eol;
		char *line;

		p->line_no++;
		while (cur < end && isblank((u8)*cur))
			cur++;
		eol = memchr(cur, '\n', end - cur);
		if (!eol)
			eol = end;
		if (cur != eol && *cur != ';') {
			line = strndup(cur, eol - cur);
			if (!line)
				return -ENOMEM;
			rc = parse_line(p, line);
			free(line);
			if (rc)
				return rc;
		}
		if (eol == end)
			return 0;
		cur = eol + 1;
	}
}

/* Read one file's text into db (the first file when !overlay); on error
 * the db is freed and err holds "file:line: what". */
static int read_fp(struct sigdb *db, const char *name, const char *buf,
		   size_t len, u8 overlay, char *err, size_t errlen)
{
	struct fp_parser p = { .db = db, .fname = name ? name : "(buffer)" };
	char msg[512] = "";
	int rc = 0;

	if (err && errlen)
		err[0] = 0;
	p.msg = msg;
	p.msglen = sizeof(msg);
	p.lb.class_id = -1;
	p.overlay = overlay;

	sigstore_begin_file(db);
	if (!overlay)
		rc = http_init(db);
	if (!rc && buf)
		rc = parse_buf(&p, buf, len);
	if (!rc)
		return 0;
	if (!msg[0])
		errmsg(msg, sizeof(msg), "%s", strerror(-rc));
	errmsg(err, errlen, "%s:%u: %s", p.fname, p.line_no, msg);
	sigdb_free(db);
	return rc == -ENOMEM ? rc : -EINVAL;
}

int sigdb_load_buf(struct sigdb *db, const char *name, const char *buf,
		   size_t len, char *err, size_t errlen)
{
	memset(db, 0, sizeof(*db));
	return read_fp(db, name, buf, len, 0, err, errlen);
}

int sigdb_overlay_buf(struct sigdb *db, const char *name, const char *buf,
		      size_t len, char *err, size_t errlen)
{
	return read_fp(db, name, buf, len, 1, err, errlen);
}

/* A whole file into *buf (malloc'd, *len bytes); 0 or -errno with
 * "path: what" in err. */
static int slurp(const char *path, char **buf, size_t *len, char *err,
		 size_t errlen)
{
	FILE *fp = fopen(path, "rb");
	size_t cap = 0, n;
	char *nb;
	int rc = 0;

	*buf = NULL;
	*len = 0;
	if (!fp) {
		rc = -errno;
		errmsg(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	do {
		if (*len == cap) {
			cap = cap ? cap * 2 : 65536;
			nb = realloc(*buf, cap);
			if (!nb) {
				rc = -ENOMEM;
				errmsg(err, errlen, "%s: %s", path,
				       strerror(-rc));
				goto cleanup;
			}
			*buf = nb;
		}
		n = fread(*buf + *len, 1, cap - *len, fp);
		*len += n;
	} while (n);
	if (ferror(fp)) {
		rc = -EIO;
		errmsg(err, errlen, "%s: read error", path);
	}
cleanup:
	if (rc) {
		free(*buf);
		*buf = NULL;
	}
	fclose(fp);
	return rc;
}

/* A file read into db, as the first one or as an overlay. */
static int load_file(struct sigdb *db, const char *path, u8 overlay, char *err,
		     size_t errlen)
{
	char *buf;
	size_t len;
	int rc;

	if (err && errlen)
		err[0] = 0;
	rc = slurp(path, &buf, &len, err, errlen);
	if (rc) {
		/* a failed load leaves nothing to free */
		sigdb_free(db);
		return rc;
	}
	rc = read_fp(db, path, buf ? buf : "", len, overlay, err, errlen);
	free(buf);
	return rc;
}

int sigdb_load(struct sigdb *db, const char *path, char *err, size_t errlen)
{
	memset(db, 0, sizeof(*db));
	return load_file(db, path, 0, err, errlen);
}

int sigdb_overlay(struct sigdb *db, const char *path, char *err, size_t errlen)
{
	return load_file(db, path, 1, err, errlen);
}

int sigdb_load_files(struct sigdb *db, const char *const *paths, int n,
		     char *err, size_t errlen)
{
	int i, rc;

	memset(db, 0, sizeof(*db));
	if (n < 1)
		return errmsg(err, errlen, "no database file");
	rc = sigdb_load(db, paths[0], err, errlen);
	for (i = 1; !rc && i < n; i++)
		rc = sigdb_overlay(db, paths[i], err, errlen);
	return rc;
}
