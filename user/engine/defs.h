/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every engine file shares: integer types, p0f 3.09b's limits and
 * the IP/TCP constants of the wire.
 */
#ifndef OSPREY_DEFS_H
#define OSPREY_DEFS_H

#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/* Limits (p0f 3.09b config.h values) */
#define MAX_TCP_OPT 24
#define MAX_FLOW_DATA 8192
#define MIN_TSCALE 0.7
#define MAX_TSCALE 1500
#define MIN_TWAIT 25
#define MAX_TWAIT (1000 * 60 * 10)
#define TSTAMP_GRACE 100
#define MAX_NAT_TS (1000 * 60 * 60 * 24)
#define MIN_PORT_DROP 64
#define SMALL_TTL_CHG 2
#define LOCAL_TTL_LIMIT 5
#define NEAR_TTL_LIMIT 9
#define NAT_SCORES 32
#define SIG_BUCKETS 64
#define MAX_DIST 35
#define SPECIAL_MSS 1331
#define SPECIAL_WIN 1337
#define HTTP_MAX_URL 1024
#define HTTP_MAX_HDRS 32
#define HTTP_MAX_HDR_NAME 32
#define HTTP_MAX_HDR_VAL 1024
#define HTTP_MAX_SHOW 200
#define HTTP_MAX_DATE_DIFF 10

/* Table defaults (p0f's -m c,h and its expiry constants) */
#define DEF_MAX_CONN 1000
#define DEF_MAX_HOSTS 10000
#define DEF_CONN_MAX_AGE 30 /* seconds */
#define DEF_HOST_IDLE_LIMIT 120 /* minutes */
#define KILL_PERCENT 10

#define IP_VER4 0x04
#define IP_VER6 0x06

/* TCP flags as on the wire */
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PUSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20
#define TCP_ECE 0x40
#define TCP_CWR 0x80

/* TCP option kinds */
#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_MAXSEG 2
#define TCPOPT_WSCALE 3
#define TCPOPT_SACKOK 4
#define TCPOPT_SACK 5
#define TCPOPT_TSTAMP 8

/* Quirks (bit values as in p0f so that raw_sig ordering is identical) */
#define QUIRK_ECN 0x00000001 /* ECN supported */
#define QUIRK_DF 0x00000002 /* DF set */
#define QUIRK_NZ_ID 0x00000004 /* non-zero IP ID with DF */
#define QUIRK_ZERO_ID 0x00000008 /* zero IP ID without DF */
#define QUIRK_NZ_MBZ 0x00000010 /* IP "must be zero" bit set */
#define QUIRK_FLOW 0x00000020 /* IPv6 flow label set */
#define QUIRK_ZERO_SEQ 0x00001000 /* SEQ is zero */
#define QUIRK_NZ_ACK 0x00002000 /* ACK non-zero, ACK flag clear */
#define QUIRK_ZERO_ACK 0x00004000 /* ACK zero, ACK flag set */
#define QUIRK_NZ_URG 0x00008000 /* URG ptr non-zero, URG clear */
#define QUIRK_URG 0x00010000 /* URG flag set */
#define QUIRK_PUSH 0x00020000 /* PUSH on a control packet */
#define QUIRK_OPT_ZERO_TS1 0x01000000 /* own timestamp zero */
#define QUIRK_OPT_NZ_TS2 0x02000000 /* peer timestamp non-zero on SYN */
#define QUIRK_OPT_EOL_NZ 0x04000000 /* non-zero bytes past EOL */
#define QUIRK_OPT_EXWS 0x08000000 /* window scale > 14 */
#define QUIRK_OPT_BAD 0x10000000 /* malformed options */

#endif /* OSPREY_DEFS_H */
