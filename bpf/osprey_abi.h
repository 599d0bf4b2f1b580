/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The one ABI shared by the BPF programs (bpf/) and userspace (user/).
 *
 * Rules: fixed-width types only, no pointers or bool, explicit padding,
 * every layout pinned with _Static_assert.  Pinned maps outlive the daemon,
 * so a layout change here is a format change: bump OSPREY_ABI_VERSION.
 */
#ifndef OSPREY_ABI_H
#define OSPREY_ABI_H

#ifdef __BPF__
/* vmlinux.h supplies __u8..__u64 on the BPF side. */
#else
#include <linux/types.h>
#endif

#define OSPREY_ABI_VERSION 3

/* Default pin directory in bpffs. */
#define OSPREY_PIN_DIR "/sys/fs/bpf/osprey"

/* ---------------------------------------------------------------------- */
/* Capture events (XDP -> ring buffer -> daemon)                          */
/* ---------------------------------------------------------------------- */

/* VLAN ids an event reports (the outermost ones; n_vlans counts all). */
#define OSPREY_MAX_VLANS 2
/*
 * Bytes captured per event at most, counted from the IP header: a whole
 * default flow budget in one frame (a 16 KiB TLS ClientHello that came in
 * one loopback, jumbo, GRO or GSO frame) plus 1 KiB of IP and TCP headers.
 */
#define OSPREY_MAX_CAPTURE 18432
/*
 * Default per-direction payload budget of a tracked flow: 16 KiB of TLS
 * handshake plus 1 KiB for its record headers.  p0f's HTTP module reads
 * 8192 bytes and the engine still stops there; TLS needs the rest.
 */
#define OSPREY_DEFAULT_FLOW_BUDGET 17408
/* Default age limit of a tracked flow, seconds. */
#define OSPREY_DEFAULT_FLOW_AGE 30
/* Default flow cache size in flows (rounded up to a power of two). */
#define OSPREY_DEFAULT_FLOW_ENTRIES 16384
/*
 * Default ring buffer size in bytes (power of two, page multiple).  From
 * make bench-live's burst (1M SYNs from 1M hosts at the generator's top
 * speed, 160-210k/s on the 2-core development machine at load ~2): 1 MiB
 * lost 28-47k SYN events, 2 MiB 1.2-1.8k, 4 and 8 MiB none (the daemon
 * drains faster than that, but is not always on a CPU).  8 MiB keeps twice
 * the room that sufficed; a SYN event takes 136 bytes of it.
 */
#define OSPREY_DEFAULT_RINGBUF (8u << 20)
/*
 * Flow events may fill the ring buffer up to this fraction (1 - 1/2^n);
 * the rest is kept for SYN and SYN+ACK events, which are never held back.
 */
#define OSPREY_RB_SYN_RESERVE_SHIFT 2

/* Why a packet was selected (osprey_event.reason). */
enum osprey_sel {
	OSPREY_SEL_SYN = 1, /* SYN without ACK */
	OSPREY_SEL_SYNACK = 2, /* SYN+ACK */
	OSPREY_SEL_FLOW = 3, /* later packet of a tracked flow */
};

/* Flags in osprey_event.flags. */
#define OSPREY_EVF_TO_SERVER 0x01 /* flow packet from the SYN's sender */
#define OSPREY_EVF_PAYLOAD_CUT 0x02 /* payload cut by the budget/limit */
#define OSPREY_EVF_FLOW_END 0x04 /* FIN or RST: the flow left the table */
#define OSPREY_EVF_EGRESS 0x08 /* sent by the host (tc egress), not received */

/*
 * Header of every ring buffer record.  It is followed by cap_len bytes,
 * starting at the IP header (IP + TCP headers, options, then payload).
 * Records are sized to their content.
 */
struct osprey_event {
	__u64 ts; /* the event clock: CLOCK_MONOTONIC ns (bpf_ktime_get_ns),
		   * or jiffies when the loader chose the tick clock
		   * (capture_event_ns() gives ns either way) */
	__u32 ifindex; /* receiving or (OSPREY_EVF_EGRESS) sending device */
	__u32 rx_queue; /* rx queue, or the tx queue for egress */
	__u32 frame_len; /* length of the whole frame on the wire */
	__u16 cap_len; /* bytes of data[] that follow */
	__u16 l3_off; /* offset of the IP header in the frame */
	__u16 vlan_id[OSPREY_MAX_VLANS]; /* outer first; 0 = none */
	__u8 n_vlans; /* tags before the IP header (may exceed the ids) */
	__u8 reason; /* enum osprey_sel */
	__u8 ip_ver; /* 4 or 6 */
	__u8 flags; /* OSPREY_EVF_* */
	__u8 data[];
};
_Static_assert(sizeof(struct osprey_event) == 32, "osprey_event layout");

/* ---------------------------------------------------------------------- */
/* Kernel counters: a per-CPU array of one osprey_counters element.      */
/* ---------------------------------------------------------------------- */

enum osprey_ctr {
	OSPREY_CTR_PACKETS,
	OSPREY_CTR_TCP,
	OSPREY_CTR_SYN,
	OSPREY_CTR_SYNACK,
	OSPREY_CTR_FLOW_PKTS, /* later flow packets captured */
	OSPREY_CTR_PAYLOAD_BYTES, /* payload bytes copied */
	OSPREY_CTR_RB_DROPS, /* events lost: sum of the three RB_DROP_* */
	OSPREY_CTR_FLOW_EVICT, /* a new flow took the slot of a live one */
	OSPREY_CTR_FLOW_END, /* flows ended (FIN/RST/budget/age) */
	OSPREY_CTR_FILTERED, /* dropped by a port/CIDR filter */
	OSPREY_CTR_FRAGMENTS, /* non-first fragments seen */
	OSPREY_CTR_ERR_ETH, /* truncated L2 / VLAN header */
	OSPREY_CTR_ERR_IP, /* truncated IP header, bad IHL/len */
	OSPREY_CTR_ERR_IP6, /* truncated IPv6 / extension header */
	OSPREY_CTR_ERR_TCP, /* truncated TCP header, bad doff */
	OSPREY_CTR_POLICY_DROPS, /* SYNs dropped by XDP policy */
	OSPREY_CTR_FLOW_NEW, /* flows opened by a SYN / SYN+ACK */
	OSPREY_CTR_RB_DROP_SYN, /* SYN events lost: ring buffer full */
	OSPREY_CTR_RB_DROP_SYNACK, /* SYN+ACK events lost: ring buffer full */
	OSPREY_CTR_RB_DROP_FLOW, /* flow events lost (full, or held back) */
	OSPREY_CTR_RB_FLOW_HELD, /* of which held back to keep SYN room */
	OSPREY_CTR_EGRESS_PACKETS, /* of `packets`, seen by tc egress */
	OSPREY_CTR_FWD_SKIPPED, /* egress packets XDP saw arriving */
	OSPREY_CTR_MAX,
};

/* The counters map's one element (per CPU): every counter, by index. */
struct osprey_counters {
	__u64 c[OSPREY_CTR_MAX];
};

/* ---------------------------------------------------------------------- */
/* Pinned hosts map: what is known of each host, keyed by address.        */
/* Written by the daemon, read by `osprey lookup`, tc/iptables programs,  */
/* and anybody with bpftool.                                              */
/* ---------------------------------------------------------------------- */

#define OSPREY_STR 32

struct osprey_host_key {
	__u8 family; /* 4 or 6 */
	__u8 pad[3];
	__u8 addr[16]; /* IPv4 left-aligned, rest zero */
};
_Static_assert(sizeof(struct osprey_host_key) == 20, "host key layout");

/* Match quality bits (osprey_host.os_quality), as in p0f's API. */
#define OSPREY_Q_FUZZY 0x01
#define OSPREY_Q_GENERIC 0x02

/* osprey_host.flags */
#define OSPREY_HF_OS_KNOWN 0x01 /* os_* fields are set */
#define OSPREY_HF_HTTP_KNOWN 0x02 /* http_* fields are set */
#define OSPREY_HF_DISHONEST 0x04 /* forged User-Agent / Server */
#define OSPREY_HF_NAT 0x08 /* "ip sharing" seen */
#define OSPREY_HF_HOST_CHANGE 0x10 /* "host change" seen */
#define OSPREY_HF_UPTIME 0x20 /* uptime fields are set */
#define OSPREY_HF_LINK 0x40 /* link_type / mtu are set */
#define OSPREY_HF_TLS 0x80 /* ja4 / ja4_hash / sni are set */

/* JA4 (36 characters) with its NUL, padded; the SNI as the daemon keeps
 * it: printable ASCII, other bytes as "\xHH", cut to 63 characters (a cut
 * one ends in "..."). */
#define OSPREY_JA4_STR 40
#define OSPREY_SNI_STR 64

struct osprey_host {
	__u64 first_seen; /* unix seconds */
	__u64 last_seen; /* unix seconds */
	__u32 total_conn;
	__u32 flags; /* OSPREY_HF_* */
	/*
	 * Stable ids of the OS label: 32-bit FNV-1a of the class, of the
	 * name, and of "class:name:flavor".  Policy maps are keyed by these,
	 * so they survive restarts and database reloads.
	 */
	__u32 os_class_hash;
	__u32 os_name_hash;
	__u32 os_label_hash;
	__u8 os_quality; /* OSPREY_Q_* */
	__u8 bad_sw; /* 0, 1 = UA/OS mismatch, 2 = dishonest */
	__s16 distance; /* -1 = unknown */
	__u16 mtu; /* 0 = unknown */
	__u16 pad0;
	__s32 uptime_min; /* -1 = unknown */
	__u32 up_mod_days;
	__u32 last_nat; /* unix seconds, 0 = never */
	__u32 last_chg; /* unix seconds, 0 = never */
	__u32 pad1;
	char os_class[OSPREY_STR];
	char os_name[OSPREY_STR];
	char os_flavor[OSPREY_STR];
	char link_type[OSPREY_STR];
	char http_name[OSPREY_STR];
	char http_flavor[OSPREY_STR];
	char language[OSPREY_STR];
	/* ABI 3: the latest ClientHello seen from the host.  ja4_hash is the
	 * 32-bit FNV-1a of the JA4 text, the id of OSPREY_POL_JA4 rules. */
	__u32 ja4_hash;
	__u32 pad2;
	char ja4[OSPREY_JA4_STR];
	char sni[OSPREY_SNI_STR];
};
_Static_assert(sizeof(struct osprey_host) == 400, "host value layout");

/* ---------------------------------------------------------------------- */
/* Policy map: what to do with a host, keyed by what it was fingerprinted */
/* as.  Lookup order in the kernel: JA4 of the host's latest ClientHello, */
/* then label, name, class, then UNKNOWN for hosts absent from the hosts  */
/* map (or with no OS), then ANY.                                         */
/* ---------------------------------------------------------------------- */

enum osprey_policy_kind {
	OSPREY_POL_LABEL = 1, /* id = os_label_hash */
	OSPREY_POL_NAME = 2, /* id = os_name_hash */
	OSPREY_POL_CLASS = 3, /* id = os_class_hash */
	OSPREY_POL_UNKNOWN = 4, /* id = 0: host not fingerprinted */
	OSPREY_POL_ANY = 5, /* id = 0: fallback when nothing else matched */
	OSPREY_POL_JA4 = 6, /* id = ja4_hash; min_quality does not apply */
};

struct osprey_policy_key {
	__u32 kind; /* enum osprey_policy_kind */
	__u32 id;
};
_Static_assert(sizeof(struct osprey_policy_key) == 8, "policy key layout");

/* osprey_policy_val.action bits */
#define OSPREY_ACT_MARK 0x01 /* tc: set skb->mark = mark */
#define OSPREY_ACT_DROP_SYN 0x02 /* XDP: drop SYNs (if XDP policy enabled) */
#define OSPREY_ACT_MATCH 0x04 /* iptables -m bpf: match */

/* Minimum match quality a rule requires (osprey_policy_val.min_quality). */
#define OSPREY_PQ_ANY 0 /* exact, generic or fuzzy */
#define OSPREY_PQ_NOT_FUZZY 1 /* exact or generic */
#define OSPREY_PQ_EXACT 2 /* exact only */

struct osprey_policy_val {
	__u32 mark;
	__u8 action; /* OSPREY_ACT_* */
	__u8 min_quality; /* OSPREY_PQ_* */
	__u8 pad[2];
};
_Static_assert(sizeof(struct osprey_policy_val) == 8, "policy value layout");

/* ---------------------------------------------------------------------- */
/* Capture program maps (capture.bpf.c), filled by user/capture.c.        */
/* ---------------------------------------------------------------------- */

/* Port filters: one bit per TCP port, list 0 = allow, 1 = deny. */
#define OSPREY_PORT_BITMAP_BYTES (65536 / 8)
enum osprey_port_list {
	OSPREY_PORTS_ALLOW = 0,
	OSPREY_PORTS_DENY = 1,
	OSPREY_PORT_LISTS,
};
struct osprey_port_bitmap {
	__u8 bits[OSPREY_PORT_BITMAP_BYTES];
};

/* CIDR filters: LPM trie keys (net_allow4/6, net_deny4/6). */
#define OSPREY_MAX_CIDRS 1024
struct osprey_lpm4_key {
	__u32 prefixlen;
	__u8 addr[4];
};
_Static_assert(sizeof(struct osprey_lpm4_key) == 8, "lpm4 key layout");
struct osprey_lpm6_key {
	__u32 prefixlen;
	__u8 addr[16];
};
_Static_assert(sizeof(struct osprey_lpm6_key) == 20, "lpm6 key layout");

/*
 * Flow key: the two endpoints in a canonical order (endpoint "a" sorts
 * first), so both directions of a connection find one entry.  IPv4
 * addresses are left-aligned, the rest zero.
 */
struct osprey_flow_key {
	__u8 a_addr[16];
	__u8 b_addr[16];
	__u16 a_port; /* network byte order */
	__u16 b_port;
	__u8 family; /* 4 or 6 */
	__u8 pad[3];
};
_Static_assert(sizeof(struct osprey_flow_key) == 40, "flow key layout");

/*
 * IPv4 flows live in their own cache (flows4) under this compact key:
 * comparing 12 bytes instead of 40.  Same canonical order as
 * osprey_flow_key, which then holds IPv6 flows only (family 6).
 */
struct osprey_flow4_key {
	__u32 a_addr; /* network byte order */
	__u32 b_addr;
	__u16 a_port; /* network byte order */
	__u16 b_port;
};
_Static_assert(sizeof(struct osprey_flow4_key) == 12, "flow4 key layout");

/* Events a tracked flow may send per direction (bounds pure-ACK chatter). */
#define OSPREY_FLOW_MAX_PKTS 64

/*
 * Flow direction index: 0 = client to server, 1 = server to client.  On a
 * host, XDP sees one direction and tc egress the other, maybe on two CPUs
 * at once: each direction's fields are its own words (seq_known is a byte
 * per direction, not bits of one), so neither program overwrites what the
 * other keeps.
 */
struct osprey_flow {
	__u64 start; /* the event clock at opening (see osprey_event.ts);
		      * 0 = free */
	__u32 next_seq[2]; /* next in-order sequence number */
	__u32 budget[2]; /* payload bytes still to capture */
	__u16 pkts[2]; /* events still allowed */
	__u8 client_is_a; /* the client is endpoint a of the key */
	__u8 seq_known[2]; /* next_seq[d] is valid */
	__u8 pad;
};
_Static_assert(sizeof(struct osprey_flow) == 32, "flow value layout");

/*
 * The flow cache: an array of two-way buckets per family, indexed by a
 * seeded hash of the connection that both directions share.  A flow lives
 * in either slot of its bucket; a new flow takes a free or expired slot,
 * else the older flow's (counted, OSPREY_CTR_FLOW_EVICT).  No allocation
 * per SYN, unlike a hash map insert.
 */
struct osprey_flow4_slot {
	struct osprey_flow4_key key;
	__u32 pad;
	struct osprey_flow v;
};
_Static_assert(sizeof(struct osprey_flow4_slot) == 48, "flow4 slot layout");

struct osprey_flow6_slot {
	struct osprey_flow_key key;
	struct osprey_flow v;
};
_Static_assert(sizeof(struct osprey_flow6_slot) == 72, "flow6 slot layout");

#define OSPREY_FLOW_WAYS 2
struct osprey_flow4_bucket {
	struct osprey_flow4_slot s[OSPREY_FLOW_WAYS];
};
_Static_assert(sizeof(struct osprey_flow4_bucket) == 96, "flow4 bucket");

struct osprey_flow6_bucket {
	struct osprey_flow6_slot s[OSPREY_FLOW_WAYS];
};
_Static_assert(sizeof(struct osprey_flow6_bucket) == 144, "flow6 bucket");

#endif /* OSPREY_ABI_H */
