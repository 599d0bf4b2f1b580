// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * JA3 and JA3S, Salesforce's definitions (salesforce/ja3, BSD-3-Clause):
 *
 *   JA3  = SSLVersion,Ciphers,Extensions,EllipticCurves,ECPointFormats
 *   JA3S = SSLVersion,Cipher,Extensions
 *
 * values in decimal, '-' between the values of a field, ',' between
 * fields, an empty field left empty; the fingerprint is the MD5 of the
 * string.  SSLVersion is the hello's legacy_version.  GREASE values
 * (RFC 8701) are left out of the cipher, extension and curve lists.
 */
#include <errno.h>

#include "tls.h"
#include "tls_sink.h"

static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

/* A list of big-endian values of `width` bytes, GREASE skipped. */
static void put_list(struct fp_sink *k, struct tls_span l, int width)
{
	uint32_t i;
	uint16_t v;
	int first = 1;

	for (i = 0; i + width <= l.len; i += width) {
		v = width == 2 ? be16(l.p + i) : l.p[i];
		if (width == 2 && tls_is_grease(v))
			continue;
		if (!first)
			fp_sink_ch(k, '-');
		fp_sink_dec(k, v);
		first = 0;
	}
}

static void put_exts(struct fp_sink *k, const struct tls_hello *h)
{
	struct tls_span body;
	uint32_t off = 0;
	uint16_t t;
	int first = 1;

	while (tls_ext_next(h, &off, &t, &body)) {
		if (tls_is_grease(t))
			continue;
		if (!first)
			fp_sink_ch(k, '-');
		fp_sink_dec(k, t);
		first = 0;
	}
}

/* JA3 (ClientHello) or JA3S (ServerHello): the fields differ only in
 * the cipher part and the two curve fields JA3 adds. */
static int ja3_any(const struct tls_hello *h, int type,
		   char hash[JA3_HASH_LEN + 1], char *str, size_t str_size,
		   size_t *str_len)
{
	struct fp_out out = { str, str_size, 0 };
	struct fp_sink k;
	int client = type == TLS_HS_CLIENT_HELLO;

	if (h->type != type)
		return -EINVAL;
	fp_sink_init(&k, FP_MD5, &out);
	fp_sink_dec(&k, h->version);
	fp_sink_ch(&k, ',');
	if (client)
		put_list(&k, h->ciphers, 2);
	else
		fp_sink_dec(&k, h->cipher);
	fp_sink_ch(&k, ',');
	put_exts(&k, h);
	if (client) {
		fp_sink_ch(&k, ',');
		put_list(&k, h->groups, 2);
		fp_sink_ch(&k, ',');
		put_list(&k, h->ec_pf, 1);
	}
	fp_sink_digest(&k, hash, JA3_HASH_LEN);
	fp_out_end(&out);
	if (str_len)
		*str_len = out.len;
	return 0;
}

int ja3_client(const struct tls_hello *h, char hash[JA3_HASH_LEN + 1],
	       char *str, size_t str_size, size_t *str_len)
{
	return ja3_any(h, TLS_HS_CLIENT_HELLO, hash, str, str_size, str_len);
}

int ja3_server(const struct tls_hello *h, char hash[JA3_HASH_LEN + 1],
	       char *str, size_t str_size, size_t *str_len)
{
	return ja3_any(h, TLS_HS_SERVER_HELLO, hash, str, str_size, str_len);
}
