// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for the HTTP module.
 *
 * Byte 0, bit 0 picks the target:
 *   0  the [http:*] sig grammar and ua_os: the input (up to the first
 *      '\n') becomes a ua_os line, the rest a sig line of a small db;
 *   1  the wire parser: the input is cut into request and response
 *      segments (byte 1: where the response starts, byte 2: segment size)
 *      and fed through process_http() as process.c does it, with a small
 *      db whose sigs use optional, valued and absent headers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "user/engine/engine.h"
#include "user/engine/flow.h"
#include "user/engine/http.h"

static const char base_db[] =
	"classes = win,unix,other\n"
	"[http:request]\n"
	"ua_os = Linux,Windows,iOS=[iPad]\n"
	"label = s:unix:Linux:x\n"
	"sig = *:Host,X-Os=[lin]::\n"
	"label = g:!:Gen:\n"
	"sys = @unix,Windows\n"
	"sig = *:Host::\n"
	"label = s:!:A:\n"
	"sys = @unix\n"
	"sig = *:Host,?Cookie,User-Agent,Accept=[*/*]:Accept-Charset:A/\n"
	"[http:response]\n"
	"label = s:!:S:\n"
	"sys = Linux\n"
	"sig = 1:Date,Server,?Content-Length,Connection=[close]:Keep-Alive:S/\n";

static void fuzz_grammar(const uint8_t *data, size_t size)
{
	static const char pre[] = "classes = win,unix\n[http:request]\n"
				  "ua_os = ";
	static const char mid[] = "\nlabel = s:!:X:\nsys = @unix\nsig = ";
	size_t ua_len, len = sizeof(pre) + sizeof(mid) + size + 2;
	const uint8_t *nl = memchr(data, '\n', size);
	char *buf = malloc(len), err[256];
	struct sigdb db;
	size_t p = 0;

	if (!buf)
		return;
	ua_len = nl ? (size_t)(nl - data) : size;
	memcpy(buf + p, pre, sizeof(pre) - 1), p += sizeof(pre) - 1;
	memcpy(buf + p, data, ua_len), p += ua_len;
	memcpy(buf + p, mid, sizeof(mid) - 1), p += sizeof(mid) - 1;
	if (nl) {
		memcpy(buf + p, nl + 1, size - ua_len - 1);
		p += size - ua_len - 1;
	}
	buf[p++] = '\n';
	if (!sigdb_load_buf(&db, "fuzz.fp", buf, p, err, sizeof(err)))
		sigdb_free(&db);
	free(buf);
}

static void on_obs(void *ctx, const struct obs *o)
{
	(void)ctx;
	(void)o;
}

static void host_init(struct host *h, u8 last)
{
	memset(h, 0, sizeof(*h));
	h->ip_ver = IP_VER4;
	h->addr[3] = last;
	h->last_class_id = 1;
	h->last_name_id = 0;
	h->http_name_id = -1;
}

/* Append like process.c (NUL-terminated, capped); 1 once HTTP is done. */
static int feed(struct engine *e, struct flow *f, u8 to_srv, const u8 *d,
		size_t n)
{
	u8 **buf = to_srv ? &f->request : &f->response;
	u32 *len = to_srv ? &f->req_len : &f->resp_len;
	u8 *nb;

	if (*len < MAX_FLOW_DATA) {
		if (n > MAX_FLOW_DATA - *len)
			n = MAX_FLOW_DATA - *len;
		nb = realloc(*buf, *len + n + 1);
		if (!nb)
			return 1;
		*buf = nb;
		memcpy(nb + *len, d, n);
		*len += n;
		nb[*len] = 0;
	}
	return process_http(e, to_srv, f);
}

static void fuzz_wire(struct sigdb *db, const uint8_t *data, size_t size)
{
	static struct engine e; /* one for the run: its obs, no tables used */
	static struct sigdb *e_db;
	struct host cli, srv;
	struct flow f;
	size_t split, seg, pos;
	int done = 0, round;

	if (size < 3)
		return;
	if (e_db != db) {
		engine_free(&e);
		if (engine_init(&e, db, NULL))
			return;
		e_db = db;
	}
	split = 3 + (size - 3) * data[1] / 256;
	seg = data[2] ? data[2] : 256;
	e.on_obs = on_obs;
	e.now_ms = 1700000000000ULL;
	host_init(&cli, 1);
	host_init(&srv, 2);
	memset(&f, 0, sizeof(f));
	f.client = &cli;
	f.server = &srv;
	f.cli_port = 1234;
	f.srv_port = 80;
	f.acked = 1;

	/* two rounds on the same hosts exercise the NAT comparisons */
	for (round = 0; round < 2; round++) {
		for (pos = 3; pos < split && !done; pos += seg)
			done = feed(&e, &f, 1, data + pos,
				    split - pos < seg ? split - pos : seg);
		for (pos = split; pos < size && !done; pos += seg)
			done = feed(&e, &f, 0, data + pos,
				    size - pos < seg ? size - pos : seg);
		http_free_flow(&f);
		free(f.request);
		free(f.response);
		memset(&f, 0, sizeof(f));
		f.client = &cli;
		f.server = &srv;
		f.srv_port = 80;
		f.acked = 1;
		e.now_ms += 1000;
		done = 0;
	}
	http_free_sig(cli.http_req_os);
	http_free_sig(srv.http_resp);
	http_free_sig(cli.http_resp);
	http_free_sig(srv.http_req_os);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sigdb db;
	static int loaded = -1;
	char err[256];

	if (loaded < 0)
		loaded = !sigdb_load_buf(&db, "base.fp", base_db,
					 strlen(base_db), err, sizeof(err));
	if (!size)
		return 0;
	if (!(data[0] & 1))
		fuzz_grammar(data + 1, size - 1);
	else if (loaded)
		fuzz_wire(&db, data, size);
	return 0;
}
