// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Community ID flow hash, version 1 (Corelight's community-id-spec): the
 * string Zeek, Suricata, Arkime and others log for a flow, so that their
 * records and osprey's join on one value.
 *
 *   sha1(seed . addr_lo . addr_hi . proto . 0 . port_lo . port_hi)
 *
 * everything in network byte order, the endpoint with the smaller
 * address (then port) first, so both directions give the same ID; the
 * digest in base64 after "1:".  SHA-1 and base64 are nettle's.
 */
#include <errno.h>
#include <string.h>
#include <nettle/base64.h>
#include <nettle/sha1.h>

#include "engine.h"

/* -1, 0 or 1 as (a, ap) sorts before, with or after (b, bp). */
static int endpoint_cmp(const u8 *a, u16 ap, const u8 *b, u16 bp, size_t n)
{
	int c = memcmp(a, b, n);

	if (c)
		return c < 0 ? -1 : 1;
	return ap < bp ? -1 : ap > bp;
}

static void sha1_port(struct sha1_ctx *h, u16 port)
{
	u8 be[2] = { (u8)(port >> 8), (u8)port };

	sha1_update(h, 2, be);
}

int community_id_v1(u8 ip_ver, const u8 *a, u16 a_port, const u8 *b, u16 b_port,
		    u8 proto, u16 seed, char *out, size_t len)
{
	size_t n = ip_ver == IP_VER6 ? 16 : 4;
	u8 digest[SHA1_DIGEST_SIZE], head[2] = { (u8)(seed >> 8), (u8)seed };
	u8 mid[2] = { proto, 0 };
	struct sha1_ctx h;

	if (len < 3 + BASE64_ENCODE_RAW_LENGTH(SHA1_DIGEST_SIZE))
		return -ENOSPC;
	if (endpoint_cmp(a, a_port, b, b_port, n) > 0) {
		const u8 *t = a;
		u16 tp = a_port;

		a = b, a_port = b_port;
		b = t, b_port = tp;
	}
	sha1_init(&h);
	sha1_update(&h, 2, head);
	sha1_update(&h, n, a);
	sha1_update(&h, n, b);
	sha1_update(&h, 2, mid);
	sha1_port(&h, a_port);
	sha1_port(&h, b_port);
	sha1_digest(&h, SHA1_DIGEST_SIZE, digest);
	memcpy(out, "1:", 2);
	base64_encode_raw((char *)out + 2, SHA1_DIGEST_SIZE, digest);
	out[2 + BASE64_ENCODE_RAW_LENGTH(SHA1_DIGEST_SIZE)] = '\0';
	return 0;
}
