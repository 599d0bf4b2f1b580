/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TLS hello parsing, stream reassembly and the fingerprints computed from
 * a hello: JA4 and JA4_r (FoxIO's JA4 specification, TLS over TCP only),
 * JA3 and JA3S (Salesforce's definitions).
 *
 * Input is the in-order byte stream of one TCP direction from its first
 * byte.  The first handshake message of that stream is the hello; it may
 * span several TLS records and several TCP segments.  Only the first hello
 * of a stream is looked at; a stream that does not start with a TLS
 * handshake record (a tunnelled hello after HTTP CONNECT or SOCKS, STARTTLS)
 * is "not TLS".  SSLv2-compatible ClientHellos are recognised and refused
 * (-EPROTONOSUPPORT): JA3 and JA4 are defined on the TLS ClientHello, and
 * no current client sends the SSLv2 form.
 *
 * Every parser here is bounds-checked against the caller's length and
 * never reads past it.  Results are 0 or -errno:
 *   0                 complete: the hello is parsed
 *   -EAGAIN           need more bytes (*need: stream bytes needed in all;
 *                     exact when the hello's records are known, else a
 *                     lower bound)
 *   -ENOMSG           not a TLS hello of the wanted kind
 *   -EBADMSG          malformed hello or record layer
 *   -EMSGSIZE         hello larger than TLS_HELLO_MAX
 *   -EPROTONOSUPPORT  SSLv2-compatible ClientHello
 *
 * No libbpf, no globals; MD5 and SHA-256 come from nettle.
 */
#ifndef OSPREY_TLS_H
#define OSPREY_TLS_H

#include <stddef.h>
#include <stdint.h>

#define TLS_HS_CLIENT_HELLO 1
#define TLS_HS_SERVER_HELLO 2

/* Largest handshake message taken, its 4-byte header included. */
#define TLS_HELLO_MAX 16384
/* Stream bytes held for one hello: the message plus its record headers
 * (room for 200 records), so a 16 KB hello in small records still fits. */
#define TLS_STREAM_MAX (TLS_HELLO_MAX + 1024)

/* TLS extension types used here */
#define TLS_EXT_SNI 0x0000
#define TLS_EXT_GROUPS 0x000a
#define TLS_EXT_EC_POINT_FORMATS 0x000b
#define TLS_EXT_SIG_ALGS 0x000d
#define TLS_EXT_ALPN 0x0010
#define TLS_EXT_SUPPORTED_VERSIONS 0x002b

/* A span of the hello's bytes (points into the caller's or the stream's
 * buffer; valid as long as that buffer is). */
struct tls_span {
	const uint8_t *p;
	uint32_t len;
};

/*
 * A parsed ClientHello or ServerHello.  Lists are kept as they are on the
 * wire (big-endian, GREASE included); the fingerprint functions read them.
 * An extension whose body is malformed still counts as present (its type
 * is in `exts`); its values are left empty and `bad_exts` counts it.
 */
struct tls_hello {
	uint8_t type; /* TLS_HS_CLIENT_HELLO / TLS_HS_SERVER_HELLO */
	uint8_t hrr; /* ServerHello that is a HelloRetryRequest */
	uint8_t has_sni, has_alpn, has_versions;
	uint8_t bad_exts; /* extensions with a malformed body (saturates) */
	uint16_t rec_version; /* first record's version */
	uint16_t version; /* legacy_version */
	uint16_t cipher; /* ServerHello: selected cipher suite */
	uint16_t sel_version; /* ServerHello: supported_versions, else 0 */
	uint16_t n_exts; /* extensions, GREASE included */
	uint32_t msg_len; /* handshake message length, header included */
	uint32_t stream_len; /* stream bytes the hello took, records included */
	struct tls_span session_id;
	struct tls_span ciphers; /* ClientHello: cipher_suites body */
	struct tls_span comp; /* compression_methods body */
	struct tls_span exts; /* extensions block body (validated) */
	struct tls_span sni; /* first host_name of server_name */
	struct tls_span alpn; /* ALPN protocol_name_list body (validated) */
	struct tls_span sig_algs; /* signature_algorithms list body */
	struct tls_span groups; /* supported_groups list body */
	struct tls_span ec_pf; /* ec_point_formats list body (1-byte values) */
	struct tls_span versions; /* ClientHello: supported_versions list */
};

/* RFC 8701 GREASE values: 0x0a0a, 0x1a1a, ... 0xfafa. */
static inline int tls_is_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/*
 * Parse the hello at the start of `s` (the stream from its first byte).
 * `want` is TLS_HS_CLIENT_HELLO or TLS_HS_SERVER_HELLO.  When the message
 * spans several records its fragments are joined in `scratch` (scratch_size
 * >= TLS_HELLO_MAX always suffices; -ENOBUFS if too small; it may be `s`
 * itself, which is then overwritten); a message in one record is used in
 * place.  On -EAGAIN, *need (if need is not NULL)
 * is the number of stream bytes needed.
 */
int tls_hello_parse(const uint8_t *s, size_t len, int want, uint8_t *scratch,
		    size_t scratch_size, struct tls_hello *h, size_t *need);

/* Walk the extensions block: *off starts at 0; returns 1 with type and
 * body for each extension, 0 at the end. */
int tls_ext_next(const struct tls_hello *h, uint32_t *off, uint16_t *type,
		 struct tls_span *body);

/* Walk the ALPN protocol names: *off starts at 0; 1 per name, 0 at end. */
int tls_alpn_next(const struct tls_hello *h, uint32_t *off,
		  struct tls_span *name);

/* Highest TLS version a ClientHello offers: the highest non-GREASE value
 * of supported_versions if present (0 if it holds none), else
 * legacy_version. */
uint16_t tls_client_version(const struct tls_hello *h);

/* ------------------------------------------------------------------ */
/* Reassembly of one direction                                         */
/* ------------------------------------------------------------------ */

#define TLS_REASM_RANGES 8

/*
 * Joins (seq, bytes) segments of one TCP direction into the stream's first
 * TLS_STREAM_MAX bytes.  Out-of-order and overlapping segments are placed
 * by sequence number; where a retransmission overlaps bytes already held
 * the first copy wins.  Holes are tracked as up to TLS_REASM_RANGES
 * filled ranges; a segment that would need more is dropped (counted).
 * The buffer is one allocation, made when the first byte must be held and
 * grown in 2 KB steps up to the highest offset seen (at most
 * TLS_STREAM_MAX): no allocation per segment.  Memory: sizeof(struct
 * tls_reasm) plus that buffer.
 */
struct tls_reasm {
	uint8_t *buf;
	uint32_t cap; /* bytes allocated */
	uint32_t base; /* sequence number of stream byte 0 */
	uint16_t n; /* ranges in use */
	uint16_t dropped; /* segments dropped: range table full, no memory */
	struct {
		uint32_t lo, hi; /* [lo, hi) held, sorted and disjoint */
	} r[TLS_REASM_RANGES];
};

void tls_reasm_init(struct tls_reasm *r, uint32_t base_seq);
/* Returns 0, or -ENOMEM / -ENOSPC when the segment was dropped. */
int tls_reasm_add(struct tls_reasm *r, uint32_t seq, const uint8_t *d,
		  size_t n);
/* Bytes held in order from stream byte 0. */
static inline uint32_t tls_reasm_contig(const struct tls_reasm *r)
{
	return r->n && r->r[0].lo == 0 ? r->r[0].hi : 0;
}
void tls_reasm_free(struct tls_reasm *r);

/* ------------------------------------------------------------------ */
/* One direction's hello: reassembly + parse, first hello only          */
/* ------------------------------------------------------------------ */

enum tls_stream_state {
	TLS_ST_OPEN = 0, /* waiting for (more of) the hello */
	TLS_ST_DONE, /* hello returned once; nothing more to do */
	TLS_ST_FAILED, /* not TLS / malformed / too big: `err` says */
};

/*
 * What a flow keeps per direction: sizeof(struct tls_stream) (about 100
 * bytes) plus, only while a hello is incomplete across segments, the
 * reassembly buffer (the hello's size, at most TLS_STREAM_MAX).  A hello
 * that arrives whole in one in-order segment is parsed in place, with no
 * allocation.
 */
struct tls_stream {
	struct tls_reasm ra;
	uint8_t want; /* TLS_HS_CLIENT_HELLO / TLS_HS_SERVER_HELLO */
	uint8_t state; /* enum tls_stream_state */
	int16_t err; /* TLS_ST_FAILED: the -errno */
	uint32_t need; /* -EAGAIN: stream bytes needed (lower bound) */
};

void tls_stream_init(struct tls_stream *s, int want, uint32_t base_seq);
/*
 * Feed one segment (seq is its first byte's sequence number).  Returns 0
 * once, when the hello is complete: *h is filled and valid until the next
 * call on s.  -EAGAIN while incomplete (an incomplete hello is never a
 * fingerprint); a terminal -errno from the list above once; -EALREADY for
 * every call after a result.  Memory is released on any result.
 */
int tls_stream_feed(struct tls_stream *s, uint32_t seq, const uint8_t *d,
		    size_t n, struct tls_hello *h);
void tls_stream_free(struct tls_stream *s);

/* ------------------------------------------------------------------ */
/* Fingerprints                                                         */
/* ------------------------------------------------------------------ */

#define JA4_LEN 36 /* t13d1516h2_8daaf6152771_e5627efa2ab1 */
#define JA3_HASH_LEN 32 /* MD5, lower-case hex */

/*
 * JA4 of a ClientHello (TLS over TCP: 't').  ja4 receives JA4_LEN + 1
 * bytes.  If raw is not NULL the JA4_r string is written there (truncated
 * to raw_size - 1 and NUL-terminated); *raw_len (if not NULL) is its full
 * length.  Returns 0, or -EINVAL for a ServerHello.
 */
int ja4_client(const struct tls_hello *h, char ja4[JA4_LEN + 1], char *raw,
	       size_t raw_size, size_t *raw_len);

/* The JA4 ALPN characters ("h2", "00", hex rule for non-alphanumeric). */
void ja4_alpn_chars(const struct tls_hello *h, char out[2]);

/*
 * JA3 of a ClientHello / JA3S of a ServerHello: the MD5 in `hash`
 * (JA3_HASH_LEN + 1 bytes) and, if str is not NULL, the string (truncated
 * to str_size - 1, NUL-terminated; *str_len its full length).  Returns 0,
 * or -EINVAL for the other kind of hello.
 */
int ja3_client(const struct tls_hello *h, char hash[JA3_HASH_LEN + 1],
	       char *str, size_t str_size, size_t *str_len);
int ja3_server(const struct tls_hello *h, char hash[JA3_HASH_LEN + 1],
	       char *str, size_t str_size, size_t *str_len);

#endif /* OSPREY_TLS_H */
