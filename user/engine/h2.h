/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Cleartext HTTP/2 (h2c with prior knowledge, RFC 9113 3.3): the
 * Akamai-style client fingerprint of Akamai's "Passive Fingerprinting of
 * HTTP/2 Clients" (Black Hat EU 2017), from the client's first frames:
 *
 *   SETTINGS|WINDOW_UPDATE|PRIORITY|pseudo-header order
 *   1:65536;2:0;4:6291456;6:262144|15663105|0|m,a,s,p
 *
 *   SETTINGS       the first SETTINGS frame's parameters, "id:value" in
 *                  their order, ';'-joined
 *   WINDOW_UPDATE  the increment of the first connection-level
 *                  WINDOW_UPDATE, "00" when there is none
 *   PRIORITY       each PRIORITY frame "stream:exclusive:dependency:weight"
 *                  (weight as 1-256, the wire value + 1), ','-joined, in
 *                  order, "0" when there is none
 *   pseudo-headers the first HEADERS block's pseudo-header fields, as
 *                  m (:method), a (:authority), s (:scheme), p (:path),
 *                  ','-joined; other pseudo-headers (:protocol) are left
 *                  out, as the paper defines only these four
 *
 * Frames after the first header block are not looked at.  HPACK decoding
 * is libnghttp2's inflater.  TLS-carried HTTP/2 is encrypted: only h2c can
 * be seen passively.
 *
 * Input: the client's stream from its first byte (the 24-byte preface).
 * Returns 0 (fingerprint written), -EAGAIN (need more: *need, a lower
 * bound, once known), -ENOMSG (no h2c preface), -EBADMSG (malformed
 * frames or header block), -EMSGSIZE (the first header block does not end
 * within H2_STREAM_MAX bytes), -ENOMEM.
 */
#ifndef OSPREY_H2_H
#define OSPREY_H2_H

#include <stddef.h>
#include <stdint.h>

#define H2_PREFACE "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
#define H2_PREFACE_LEN 24
/* Stream bytes looked at: the preface and frames up to the first header
 * block's end (a client's opening frames are a few hundred bytes). */
#define H2_STREAM_MAX 16384

/* out receives the fingerprint (truncated to size - 1, NUL-terminated);
 * *out_len (if not NULL) its full length. */
int h2_fingerprint(const uint8_t *s, size_t len, char *out, size_t size,
		   size_t *out_len, size_t *need);

#endif /* OSPREY_H2_H */
