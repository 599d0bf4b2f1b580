// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for the TLS module and the h2c fingerprint.
 *
 * Byte 0 picks the target (low two bits); the rest is the input:
 *   0  tls_hello_parse() for a ClientHello, then JA4/JA4_r/JA3 into
 *      buffers of a size taken from byte 0 (truncation paths)
 *   1  the same for a ServerHello and JA3S
 *   2  tls_stream_feed(): the input cut into segments (byte 1: size,
 *      byte 2: order seed, some sent twice and some overlapping), fed with
 *      sequence numbers near wrap-around; a completed hello is
 *      fingerprinted
 *   3  h2_fingerprint() on the input as a client stream (the preface is
 *      prepended when byte 0 bit 2 is set, so frames get exercised)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "user/engine/h2.h"
#include "user/engine/tls.h"

static uint8_t scratch[TLS_HELLO_MAX];
static char big[1 << 17];

static void fingerprint(const struct tls_hello *h, size_t out_size)
{
	char ja4[JA4_LEN + 1], hash[JA3_HASH_LEN + 1];
	struct tls_span name;
	uint32_t off = 0;
	size_t n;

	if (out_size > sizeof(big))
		out_size = sizeof(big);
	if (h->type == TLS_HS_CLIENT_HELLO) {
		ja4_client(h, ja4, big, out_size, &n);
		ja3_client(h, hash, big, out_size, &n);
		tls_client_version(h);
		while (tls_alpn_next(h, &off, &name))
			;
	} else {
		ja3_server(h, hash, big, out_size, &n);
	}
}

static void fuzz_parse(const uint8_t *d, size_t n, int want, size_t out)
{
	struct tls_hello h;
	size_t need;

	if (!tls_hello_parse(d, n, want, scratch, sizeof(scratch), &h, &need))
		fingerprint(&h, out);
}

static void fuzz_stream(const uint8_t *d, size_t n)
{
	uint32_t base = 0xfffff000u, seg, nseg, i, j, k, t, *order;
	struct tls_stream ts;
	struct tls_hello h;

	if (n < 3)
		return;
	seg = d[1] ? d[1] : 256;
	srand(d[2]);
	d += 3;
	n -= 3;
	nseg = (uint32_t)(n + seg - 1) / seg;
	order = calloc(2 * nseg + 1, sizeof(*order));
	if (!order)
		return;
	for (i = 0; i < nseg; i++)
		order[i] = i;
	for (i = nseg; i < 2 * nseg; i += 3)
		order[i] = rand() % (nseg ? nseg : 1);
	k = i < 2 * nseg ? i : 2 * nseg;
	for (i = k; i > 1; i--) {
		j = rand() % i;
		t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	tls_stream_init(&ts, 1 + (rand() & 1), base);
	for (i = 0; i < k; i++) {
		uint32_t off = order[i] * seg, len = seg;

		if (off > n)
			continue;
		if (len > n - off)
			len = (uint32_t)(n - off);
		/* every fourth segment reaches into the next one */
		if (!(i & 3) && off + len + seg / 2 <= n)
			len += seg / 2;
		if (!tls_stream_feed(&ts, base + off, d + off, len, &h))
			fingerprint(&h, 64);
	}
	tls_stream_free(&ts);
	free(order);
}

static void fuzz_h2(const uint8_t *d, size_t n, int preface)
{
	uint8_t *s = malloc(n + H2_PREFACE_LEN + 1);
	char out[128];
	size_t len = 0, need;

	if (!s)
		return;
	if (preface) {
		memcpy(s, H2_PREFACE, H2_PREFACE_LEN);
		len = H2_PREFACE_LEN;
	}
	memcpy(s + len, d, n);
	len += n;
	h2_fingerprint(s, len, out, sizeof(out), NULL, &need);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	switch (data[0] & 3) {
	case 0:
	case 1:
		fuzz_parse(data + 1, size - 1, 1 + (data[0] & 1),
			   (size_t)(data[0] >> 2) * 16 + 1);
		break;
	case 2:
		fuzz_stream(data, size);
		break;
	default:
		fuzz_h2(data + 1, size - 1, data[0] & 4);
	}
	return 0;
}
