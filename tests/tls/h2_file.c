// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * h2_file: the h2c client fingerprint of a file holding a client's stream
 * from its first byte (user/engine/h2.h), for tests/tls/check_h2c.py.
 *
 *   h2_file FILE      prints the fingerprint, or "error: ..." and exits 1
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "user/engine/h2.h"

int main(int argc, char **argv)
{
	static unsigned char buf[H2_STREAM_MAX];
	char out[4096];
	size_t n, need = 0;
	FILE *f;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		fprintf(stderr, "h2_file: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	err = h2_fingerprint(buf, n, out, sizeof(out), NULL, &need);
	if (err) {
		printf("error: %s (need %zu)\n", strerror(-err), need);
		return 1;
	}
	printf("%s\n", out);
	return 0;
}
