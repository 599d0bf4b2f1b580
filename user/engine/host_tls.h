/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * host_tls.c: the latest ClientHello's JA4 and SNI of a host, as one
 * record that every host with the same pair points to (struct host.tls).
 *
 * A host record stays 224 bytes (320 with its two TCP signatures) whether
 * or not it speaks TLS: a pair costs one record of sizeof(struct
 * host_tls) however many hosts share it, and most do share one (one
 * browser build, a few popular names).  Records are counted and freed
 * with their last host.  Setting a host's pair on every ClientHello finds
 * the record by hash; only a pair not held by any host allocates.
 */
#ifndef OSPREY_HOST_TLS_H
#define OSPREY_HOST_TLS_H

#include "engine.h"

/* JA4 with its NUL; the SNI kept per host, as the "tls client"
 * observation writes it (escaped), cut to 63 characters and a NUL */
#define HOST_JA4_SIZE 37
#define HOST_SNI_SIZE 64

struct host_tls {
	struct host_tls *next; /* hash chain */
	u32 hash;
	u32 refs; /* hosts pointing here */
	char ja4[HOST_JA4_SIZE];
	char sni[HOST_SNI_SIZE]; /* "" = no server_name */
};

/* Point h at the record of (ja4, sni), dropping its old one; the SNI is
 * cut to fit ("..." marks a cut).  -ENOMEM leaves h as it was. */
int host_tls_set(struct engine *e, struct host *h, const char *ja4,
		 const char *sni);
/* Drop h's record (a host being freed). */
void host_tls_drop(struct engine *e, struct host *h);
/* Free the table: every host has dropped its record by then. */
void host_tls_free(struct engine *e);

#endif /* OSPREY_HOST_TLS_H */
