// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pinned policy maps (policy_maps.h): the slot DIR/policy, the two
 * rule sets DIR/policy_a and DIR/policy_b, and DIR/policy_names.  Used by
 * `osprey policy` and by the daemon, which makes the config file's rules
 * the rule set with policy_apply_rules().
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "user/engine/engine.h"
#include "user/hostmap.h"
#include "user/pin.h"
#include "user/policy_maps.h"

/* Must agree with bpf/osprey_maps.bpf.h. */
#define POLICY_ENTRIES 1024
#define NAMES_ENTRIES (POLICY_ENTRIES + 64)
#define SLOT_MAP "policy"
#define OLD_MAP "policy_v1" /* an old layout's rules, moved aside */

static const char *const set_names[2] = { "policy_a", "policy_b" };

static __u32 map_id(int fd)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

static int map_type(int fd)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return bpf_obj_get_info_by_fd(fd, &info, &len) ? -1 : (int)info.type;
}

/*
 * Pin a map made here; somebody else's pin, made meanwhile, wins.  A pin
 * is born 0600: when the directory is shared with a group (the daemon's
 * --group), the new pin is the group's to read as well.
 */
static int pin_new(int fd, const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	int rc = pin_path(path, sizeof(path), dir, name);

	if (!rc && bpf_obj_pin(fd, path))
		rc = -errno;
	if (!rc && !stat(dir, &st) && (st.st_mode & S_IRGRP) &&
	    st.st_gid != getegid() && !chown(path, (uid_t)-1, st.st_gid))
		chmod(path, 0640);
	close(fd);
	if (rc && rc != -EEXIST)
		return rc;
	return pinned_map_open(dir, name, false);
}

/* Get a pinned hash map, or create and pin it (POLICY_CREATE). */
static int get_hash(const char *dir, const char *name, __u32 vsz, __u32 entries,
		    enum policy_access acc)
{
	int fd = pinned_map_open(dir, name, acc == POLICY_READ);

	if (fd != -ENOENT || acc != POLICY_CREATE)
		return fd;
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, name,
			    sizeof(struct osprey_policy_key), vsz, entries,
			    NULL);
	return fd < 0 ? -errno : pin_new(fd, dir, name);
}

/* The slot (an array of maps whose entry is a rule set like inner_fd). */
static int get_slot(const char *dir, int inner_fd, enum policy_access acc)
{
	LIBBPF_OPTS(bpf_map_create_opts, mo, .inner_map_fd = inner_fd);
	int fd = pinned_map_open(dir, SLOT_MAP, acc == POLICY_READ);

	if (fd >= 0 && map_type(fd) != BPF_MAP_TYPE_ARRAY_OF_MAPS) {
		close(fd);
		return -EPROTO; /* an older layout: policy_pins_upgrade() */
	}
	if (fd != -ENOENT || acc != POLICY_CREATE)
		return fd;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY_OF_MAPS, SLOT_MAP, sizeof(__u32),
			    sizeof(__u32), 1, &mo);
	return fd < 0 ? -errno : pin_new(fd, dir, SLOT_MAP);
}

/* Which set the slot holds: the kernel answers a lookup with a map id. */
static void find_active(struct policy_maps *m)
{
	__u32 slot = 0, id = 0;
	int i;

	m->active = -1;
	m->pol_fd = -1;
	if (bpf_map_lookup_elem(m->slot_fd, &slot, &id) || !id)
		return;
	for (i = 0; i < 2; i++) {
		if (map_id(m->set_fd[i]) == id) {
			m->active = i;
			m->pol_fd = m->set_fd[i];
		}
	}
}

static int map_clear(int fd)
{
	struct osprey_policy_key k;

	/* restart from the first key each time: we delete as we go */
	while (!bpf_map_get_next_key(fd, NULL, &k))
		if (bpf_map_delete_elem(fd, &k) && errno != ENOENT)
			return -errno;
	return 0;
}

/* Put set i in the slot.  The kernel returns once no program can still
 * be using the set that was there. */
static int activate(struct policy_maps *m, int i)
{
	__u32 slot = 0;

	if (bpf_map_update_elem(m->slot_fd, &slot, &m->set_fd[i], BPF_ANY))
		return -errno;
	m->active = i;
	m->pol_fd = m->set_fd[i];
	return 0;
}

static void put_name(const struct policy_maps *m, const struct policy_rule *r)
{
	char text[POLICY_TEXT_MAX] = { 0 };

	snprintf(text, sizeof(text), "%s", r->text);
	if (m->names_fd >= 0)
		bpf_map_update_elem(m->names_fd, &r->key, text, BPF_ANY);
}

int policy_rule_store(struct policy_maps *m, const struct policy_rule *r)
{
	int rc;

	if (m->active < 0) {
		rc = map_clear(m->set_fd[0]);
		rc = rc ?: activate(m, 0);
		if (rc)
			return rc;
	}
	if (bpf_map_update_elem(m->pol_fd, &r->key, &r->val, BPF_ANY))
		return -errno;
	put_name(m, r);
	return 0;
}

int policy_rule_get(const struct policy_maps *m,
		    const struct osprey_policy_key *k, struct policy_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->key = *k;
	if (m->pol_fd < 0)
		return -ENOENT;
	if (bpf_map_lookup_elem(m->pol_fd, k, &r->val))
		return -errno;
	if (m->names_fd >= 0 && !bpf_map_lookup_elem(m->names_fd, k, r->text))
		r->text[sizeof(r->text) - 1] = '\0';
	return 0;
}

int policy_rule_delete(struct policy_maps *m, const struct osprey_policy_key *k)
{
	if (m->pol_fd < 0)
		return -ENOENT;
	if (bpf_map_delete_elem(m->pol_fd, k))
		return -errno;
	if (m->names_fd >= 0)
		bpf_map_delete_elem(m->names_fd, k);
	return 0;
}

static bool in_rules(const struct policy_rule *rules, int n,
		     const struct osprey_policy_key *k)
{
	int i;

	for (i = 0; i < n; i++)
		if (rules[i].key.kind == k->kind && rules[i].key.id == k->id)
			return true;
	return false;
}

/* Texts of rules no longer in force; the tc qdisc notes stay. */
static void prune_names(const struct policy_maps *m,
			const struct policy_rule *rules, int n)
{
	struct osprey_policy_key k, next, *prev = NULL;

	if (m->names_fd < 0)
		return;
	while (!bpf_map_get_next_key(m->names_fd, prev, &next)) {
		k = next;
		prev = &k;
		if (k.kind < POLICY_META_TC_QDISC && !in_rules(rules, n, &k) &&
		    !bpf_map_delete_elem(m->names_fd, &k))
			prev = NULL; /* deleted: start over */
	}
}

int policy_rules_replace(struct policy_maps *m, const struct policy_rule *rules,
			 int n)
{
	int idle = m->active == 0 ? 1 : 0, old = m->active, i, rc;

	/* build the new set where no program looks */
	rc = map_clear(m->set_fd[idle]);
	for (i = 0; !rc && i < n; i++)
		if (bpf_map_update_elem(m->set_fd[idle], &rules[i].key,
					&rules[i].val, BPF_ANY))
			rc = -errno;
	for (i = 0; !rc && i < n; i++)
		put_name(m, &rules[i]);
	rc = rc ?: activate(m, idle);
	if (rc)
		return rc;
	prune_names(m, rules, n);
	/* nothing reads the old set any more: empty it for bpftool readers */
	return old >= 0 ? map_clear(m->set_fd[old]) : 0;
}

/* ------------------------------------------------------------- layout */

void policy_pins_upgrade(const char *pin_dir)
{
	char path[PATH_MAX], old[PATH_MAX];
	int fd = pinned_map_open(pin_dir, SLOT_MAP, true);

	if (fd < 0)
		return;
	if (map_type(fd) == BPF_MAP_TYPE_HASH &&
	    !pin_path(path, sizeof(path), pin_dir, SLOT_MAP) &&
	    !pin_path(old, sizeof(old), pin_dir, OLD_MAP))
		rename(path, old);
	close(fd);
}

/* Rules of an old layout's map, moved aside by policy_pins_upgrade(). */
static int import_old(struct policy_maps *m, const char *pin_dir)
{
	struct osprey_policy_key k, next, *prev = NULL;
	struct policy_rule r;
	char path[PATH_MAX];
	int fd, rc = 0;

	fd = pinned_map_open(pin_dir, OLD_MAP, true);
	if (fd < 0)
		return 0;
	while (!rc && !bpf_map_get_next_key(fd, prev, &next)) {
		k = next;
		prev = &k;
		memset(&r, 0, sizeof(r));
		r.key = k;
		if (bpf_map_lookup_elem(fd, &k, &r.val))
			continue;
		if (m->names_fd < 0 ||
		    bpf_map_lookup_elem(m->names_fd, &k, r.text))
			snprintf(r.text, sizeof(r.text), "kind%u:#%08x", k.kind,
				 k.id);
		r.text[sizeof(r.text) - 1] = '\0';
		rc = policy_rule_store(m, &r);
	}
	close(fd);
	if (!rc && !pin_path(path, sizeof(path), pin_dir, OLD_MAP))
		unlink(path);
	return rc;
}

/* ---------------------------------------------------------- open/close */

static int lock_dir(struct policy_maps *m, const char *pin_dir)
{
	m->lock_fd = open(pin_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (m->lock_fd < 0)
		return -errno;
	return flock(m->lock_fd, LOCK_EX) ? -errno : 0;
}

static int open_all(const char *pin_dir, enum policy_access acc,
		    struct policy_maps *m, const char **what)
{
	int i, rc;

	if (acc == POLICY_CREATE) {
		*what = pin_dir;
		rc = pin_dir_create(pin_dir, 0755);
		if (rc)
			return rc;
	}
	if (acc != POLICY_READ) {
		*what = pin_dir;
		rc = lock_dir(m, pin_dir);
		if (rc)
			return rc;
	}
	for (i = 0; i < 2; i++) {
		*what = set_names[i];
		m->set_fd[i] = get_hash(pin_dir, set_names[i],
					sizeof(struct osprey_policy_val),
					POLICY_ENTRIES, acc);
		if (m->set_fd[i] < 0)
			return m->set_fd[i];
	}
	*what = SLOT_MAP;
	m->slot_fd = get_slot(pin_dir, m->set_fd[0], acc);
	if (m->slot_fd < 0)
		return m->slot_fd;
	/* without the names map rules still work; `list` shows hashes */
	m->names_fd = get_hash(pin_dir, POLICY_NAMES_MAP, POLICY_TEXT_MAX,
			       NAMES_ENTRIES, acc);
	*what = POLICY_NAMES_MAP;
	if (m->names_fd < 0 && m->names_fd != -ENOENT)
		return m->names_fd;
	find_active(m);
	return acc == POLICY_READ ? 0 : import_old(m, pin_dir);
}

int policy_maps_open(const char *pin_dir, enum policy_access acc,
		     struct policy_maps *m, char *err, size_t errlen)
{
	char hint[PATH_MAX + 64];
	const char *what = "";
	int rc;

	*m = (struct policy_maps)POLICY_MAPS_INIT;
	if (acc != POLICY_READ)
		policy_pins_upgrade(pin_dir);
	rc = open_all(pin_dir, acc, m, &what);
	if (!rc)
		return 0;
	errmsg(err, errlen, "%s/%s: %s%s%s", pin_dir, what, strerror(-rc),
	       rc == -ENOENT && acc != POLICY_CREATE ?
		       " (no rules set yet)" :
	       rc == -EPROTO ?
		       " (an older layout: osprey policy load converts it)" :
		       "",
	       pin_bpffs_hint(pin_dir, hint, sizeof(hint)));
	policy_maps_close(m);
	return rc;
}

void policy_maps_close(struct policy_maps *m)
{
	int *fds[] = { &m->names_fd, &m->slot_fd, &m->set_fd[0], &m->set_fd[1],
		       &m->lock_fd };
	size_t i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]); /* closing the lock fd unlocks */
		*fds[i] = -1;
	}
	m->pol_fd = -1;
	m->active = -1;
}

/* ---------------------------------------------------------- the daemon */

int policy_apply_rules(const char *pin_dir, const char *const *rules, int n,
		       const struct sigdb *db, char *err, size_t errlen)
{
	struct policy_maps m = POLICY_MAPS_INIT;
	struct policy_rule *r;
	int i, rc = 0;

	r = calloc(n > 0 ? n : 1, sizeof(*r));
	if (!r) {
		errmsg(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; !rc && i < n; i++) {
		rc = policy_rule_parse(rules[i], &r[i], err, errlen);
		if (!rc && db)
			rc = policy_rule_resolve(&r[i], db, err, errlen);
		if (!rc && in_rules(r, i, &r[i].key))
			rc = errmsg(
				err, errlen,
				"policy '%s': a rule for %s was given before",
				rules[i], r[i].text);
	}
	if (!rc)
		rc = policy_maps_open(pin_dir ? pin_dir : OSPREY_PIN_DIR,
				      POLICY_CREATE, &m, err, errlen);
	if (!rc) {
		rc = policy_rules_replace(&m, r, n);
		if (rc)
			errmsg(err, errlen, "replace the rule set: %s",
			       strerror(-rc));
	}
	policy_maps_close(&m);
	free(r);
	return rc;
}
