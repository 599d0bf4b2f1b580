// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * JA4 (TLS client fingerprint) and its raw form JA4_r, as FoxIO's
 * specification (FoxIO-LLC/ja4, technical_details/JA4.md; JA4 is
 * BSD-3-Clause) defines them, for TLS over TCP:
 *
 *   a: 't', version, 'd'/'i' (SNI extension present or not), cipher
 *      count and extension count (GREASE left out, capped at 99), first
 *      and last character of the first ALPN value
 *   b: first 12 hex of SHA-256 over the sorted cipher list ("%04x",
 *      comma-joined); 000000000000 when there are none
 *   c: same over the sorted extension list without SNI and ALPN, then
 *      '_' and the signature algorithms in their order (no '_' when there
 *      are none); 000000000000 when the string is empty
 *
 * GREASE values are ignored wherever they appear (ciphers, extensions,
 * supported_versions, signature algorithms).  Where FoxIO's programs
 * print '9' for a non-ASCII ALPN byte, this follows the specification's
 * hex rule (see tests/parity/DEVIATIONS.md).  The other JA4+ methods are
 * under a different licence and not implemented here.
 */
#include <errno.h>
#include <stdlib.h>

#include "tls.h"
#include "tls_sink.h"

#define JA4_A_LEN 10
#define JA4_HASH_LEN 12
#define MAX_U16S (TLS_HELLO_MAX / 2)
#define SMALL_SORT 32

static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static void sort_u16(uint16_t *v, uint32_t n)
{
	uint32_t i, j;
	uint16_t x;

	if (n > SMALL_SORT) {
		qsort(v, n, sizeof(*v), cmp_u16);
		return;
	}
	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Non-GREASE values of a big-endian u16 list. */
static uint32_t list_u16(struct tls_span l, uint16_t *out)
{
	uint32_t i, n = 0;
	uint16_t v;

	for (i = 0; i + 1 < l.len; i += 2) {
		v = be16(l.p + i);
		if (!tls_is_grease(v))
			out[n++] = v;
	}
	return n;
}

static void version_chars(uint16_t v, char out[2])
{
	static const struct {
		uint16_t v;
		char s[3];
	} map[] = {
		{ 0x0304, "13" }, { 0x0303, "12" }, { 0x0302, "11" },
		{ 0x0301, "10" }, { 0x0300, "s3" }, { 0x0002, "s2" },
		{ 0xfeff, "d1" }, { 0xfefd, "d2" }, { 0xfefc, "d3" },
	};
	size_t i;

	out[0] = out[1] = '0';
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (map[i].v == v) {
			out[0] = map[i].s[0];
			out[1] = map[i].s[1];
			return;
		}
	}
}

static int is_alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	       (c >= 'a' && c <= 'z');
}

void ja4_alpn_chars(const struct tls_hello *h, char out[2])
{
	struct tls_span name;
	uint32_t off = 0;
	uint8_t first, last;

	out[0] = out[1] = '0';
	if (!tls_alpn_next(h, &off, &name) || !name.len)
		return;
	first = name.p[0];
	last = name.p[name.len - 1];
	if (is_alnum(first) && is_alnum(last)) {
		out[0] = (char)first;
		out[1] = (char)last;
	} else {
		/* first and last character of the value's hex form */
		out[0] = fp_hex[first >> 4];
		out[1] = fp_hex[last & 15];
	}
}

static void two_digits(uint32_t n, char *out)
{
	if (n > 99)
		n = 99;
	out[0] = (char)('0' + n / 10);
	out[1] = (char)('0' + n % 10);
}

/* Hashes a comma-joined hex list (and, for part c, '_' + sig algs). */
static void hash_part(struct fp_sink *k, const uint16_t *v, uint32_t n,
		      const uint16_t *sig, uint32_t nsig, char *hex)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (i)
			fp_sink_ch(k, ',');
		fp_sink_hex16(k, v[i]);
	}
	if (nsig)
		fp_sink_ch(k, '_');
	for (i = 0; i < nsig; i++) {
		if (i)
			fp_sink_ch(k, ',');
		fp_sink_hex16(k, sig[i]);
	}
	fp_sink_flush(k);
	if (!k->total) {
		memset(hex, '0', JA4_HASH_LEN);
		hex[JA4_HASH_LEN] = 0;
		return;
	}
	fp_sink_digest(k, hex, JA4_HASH_LEN);
}

/* Non-GREASE extension types: all of them counted, those other than SNI
 * and ALPN kept in `kept` (n_kept). */
static uint32_t ext_types(const struct tls_hello *h, uint16_t *kept,
			  uint32_t *n_kept)
{
	struct tls_span body;
	uint32_t off = 0, n = 0;
	uint16_t t;

	*n_kept = 0;
	while (tls_ext_next(h, &off, &t, &body)) {
		if (tls_is_grease(t))
			continue;
		n++;
		if (t != TLS_EXT_SNI && t != TLS_EXT_ALPN)
			kept[(*n_kept)++] = t;
	}
	return n;
}

int ja4_client(const struct tls_hello *h, char ja4[JA4_LEN + 1], char *raw,
	       size_t raw_size, size_t *raw_len)
{
	uint16_t ciphers[MAX_U16S], exts[MAX_U16S / 2], sigs[MAX_U16S];
	uint32_t nc, ne, nk, ns;
	struct fp_out out = { raw, raw_size, 0 };
	struct fp_sink k;
	char *a = ja4;

	if (h->type != TLS_HS_CLIENT_HELLO)
		return -EINVAL;
	nc = list_u16(h->ciphers, ciphers);
	ne = ext_types(h, exts, &nk);
	ns = list_u16(h->sig_algs, sigs);
	sort_u16(ciphers, nc);
	sort_u16(exts, nk);

	a[0] = 't';
	version_chars(tls_client_version(h), a + 1);
	a[3] = h->has_sni ? 'd' : 'i';
	two_digits(nc, a + 4);
	two_digits(ne, a + 6);
	ja4_alpn_chars(h, a + 8);
	a[JA4_A_LEN] = '_';
	fp_out_put(&out, a, JA4_A_LEN + 1);

	fp_sink_init(&k, FP_SHA256, &out);
	hash_part(&k, ciphers, nc, NULL, 0, a + JA4_A_LEN + 1);
	a[JA4_A_LEN + 1 + JA4_HASH_LEN] = '_';
	fp_out_put(&out, "_", 1);
	fp_sink_init(&k, FP_SHA256, &out);
	hash_part(&k, exts, nk, sigs, ns, a + JA4_A_LEN + 2 + JA4_HASH_LEN);
	ja4[JA4_LEN] = 0;
	fp_out_end(&out);
	if (raw_len)
		*raw_len = out.len;
	return 0;
}
