// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pinned policy maps: DIR/policy (rules, read by the BPF programs)
 * and DIR/policy_names (each rule's text, for `osprey policy list`).
 * Used by `osprey policy` and by the daemon, which applies the config
 * file's rules with policy_apply_rules().
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "user/engine/engine.h"
#include "user/pin.h"
#include "user/policy_maps.h"

/* Must agree with bpf/osprey_maps.bpf.h. */
#define POLICY_ENTRIES 1024
#define NAMES_ENTRIES (POLICY_ENTRIES + 64)

/* Get a pinned map, or create and pin it when create is set. */
static int map_get_or_create(const char *dir, const char *name,
			     enum bpf_map_type type, __u32 ksz, __u32 vsz,
			     __u32 entries, bool create)
{
	char path[PATH_MAX];
	int fd, rc;

	rc = pin_path(path, sizeof(path), dir, name);
	if (rc)
		return rc;
	fd = bpf_obj_get(path);
	if (fd >= 0 || errno != ENOENT || !create)
		return fd >= 0 ? fd : -errno;
	rc = pin_dir_create(dir, 0755);
	if (rc)
		return rc;
	fd = bpf_map_create(type, name, ksz, vsz, entries, NULL);
	if (fd < 0)
		return -errno;
	if (bpf_obj_pin(fd, path)) {
		rc = -errno;
		close(fd);
		/* Somebody else pinned it meanwhile: use theirs. */
		if (rc == -EEXIST) {
			fd = bpf_obj_get(path);
			return fd >= 0 ? fd : -errno;
		}
		return rc;
	}
	return fd;
}

int policy_maps_open(const char *pin_dir, bool create, struct policy_maps *m,
		     char *err, size_t errlen)
{
	char hint[PATH_MAX + 64];

	m->names_fd = -1;
	m->pol_fd = map_get_or_create(pin_dir, "policy", BPF_MAP_TYPE_HASH,
				      sizeof(struct osprey_policy_key),
				      sizeof(struct osprey_policy_val),
				      POLICY_ENTRIES, create);
	if (m->pol_fd < 0) {
		errmsg(err, errlen, "%s/policy: %s%s%s", pin_dir,
		       strerror(-m->pol_fd),
		       m->pol_fd == -ENOENT && !create ? " (no rules set yet)" :
							 "",
		       pin_bpffs_hint(pin_dir, hint, sizeof(hint)));
		return m->pol_fd;
	}
	m->names_fd =
		map_get_or_create(pin_dir, POLICY_NAMES_MAP, BPF_MAP_TYPE_HASH,
				  sizeof(struct osprey_policy_key),
				  POLICY_TEXT_MAX, NAMES_ENTRIES, create);
	/* Without the names map rules still work; `list` shows hashes. */
	if (m->names_fd < 0 && m->names_fd != -ENOENT) {
		int rc = m->names_fd;

		errmsg(err, errlen, "%s/%s: %s", pin_dir, POLICY_NAMES_MAP,
		       strerror(-rc));
		policy_maps_close(m);
		return rc;
	}
	return 0;
}

void policy_maps_close(struct policy_maps *m)
{
	if (m->names_fd >= 0)
		close(m->names_fd);
	if (m->pol_fd >= 0)
		close(m->pol_fd);
	m->names_fd = m->pol_fd = -1;
}

int policy_rule_store(const struct policy_maps *m, const struct policy_rule *r)
{
	char text[POLICY_TEXT_MAX] = { 0 };

	if (bpf_map_update_elem(m->pol_fd, &r->key, &r->val, BPF_ANY))
		return -errno;
	snprintf(text, sizeof(text), "%s", r->text);
	if (m->names_fd >= 0)
		bpf_map_update_elem(m->names_fd, &r->key, text, BPF_ANY);
	return 0;
}

int policy_apply_rules(const char *pin_dir, const char *const *rules, int n,
		       char *err, size_t errlen)
{
	struct policy_maps m = { -1, -1 };
	struct policy_rule r;
	int i, rc;

	if (n <= 0)
		return 0;
	if (!pin_dir)
		pin_dir = OSPREY_PIN_DIR;
	rc = policy_maps_open(pin_dir, true, &m, err, errlen);
	if (rc)
		return rc;
	for (i = 0; i < n; i++) {
		rc = policy_rule_parse(rules[i], &r, err, errlen);
		if (rc)
			goto cleanup;
		rc = policy_rule_store(&m, &r);
		if (rc) {
			errmsg(err, errlen, "policy '%s': %s", rules[i],
			       strerror(-rc));
			goto cleanup;
		}
	}
cleanup:
	policy_maps_close(&m);
	return rc;
}
