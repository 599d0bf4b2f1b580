// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Running as a service: systemd readiness and watchdog notifications
 * (sd_notify; all no-ops when NOTIFY_SOCKET is unset) and dropping root
 * for a plain user that keeps only the capabilities live capture needs
 * once everything is attached:
 *   CAP_BPF       map updates through the bpf() syscall (the kernel checks
 *                 it on every bpf() command when unprivileged BPF is off)
 *   CAP_NET_ADMIN detaching XDP/tc at exit, re-attaching on restart
 *   CAP_PERFMON   reading kernel pointers/counters in BPF objects
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <systemd/sd-daemon.h>

#include "user/engine/engine.h"
#include "user/service.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

void service_notify_ready(const char *status)
{
	if (status && *status)
		sd_notifyf(0, "READY=1\nSTATUS=%s", status);
	else
		sd_notify(0, "READY=1");
}

void service_notify_status(const char *status)
{
	sd_notifyf(0, "STATUS=%s", status);
}

void service_notify_stopping(void)
{
	sd_notify(0, "STOPPING=1\nSTATUS=stopping");
}

uint64_t service_watchdog_ms(void)
{
	uint64_t usec = 0;

	/* 0 keeps WATCHDOG_USEC/PID set for child processes, harmless. */
	if (sd_watchdog_enabled(0, &usec) <= 0 || !usec)
		return 0;
	/* Ping at half the interval, as sd_watchdog_enabled(3) advises. */
	usec /= 2;
	return usec < 1000 ? 1 : usec / 1000;
}

void service_watchdog_ping(void)
{
	sd_notify(0, "WATCHDOG=1");
}

/* Set permitted = effective = caps; inheritable empty.  0 or -errno. */
static int set_caps(const int *caps, int n)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	int i;

	memset(data, 0, sizeof(data));
	for (i = 0; i < n; i++) {
		data[CAP_TO_INDEX(caps[i])].permitted |= CAP_TO_MASK(caps[i]);
		data[CAP_TO_INDEX(caps[i])].effective |= CAP_TO_MASK(caps[i]);
	}
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}

/* Is cap in the bounding set (i.e. could we keep it at all)? */
static int cap_bounded(int cap)
{
	return prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1;
}

static int keep_live_caps(char *err, size_t errlen)
{
	static const int want[] = { CAP_BPF, CAP_NET_ADMIN, CAP_PERFMON };
	/* Kernels before 5.8 know neither CAP_BPF nor CAP_PERFMON. */
	static const int legacy[] = { CAP_SYS_ADMIN, CAP_NET_ADMIN };
	int caps[4], n = 0, rc;
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (cap_bounded(want[i]))
			caps[n++] = want[i];
	rc = set_caps(caps, n);
	if (rc == -EINVAL)
		rc = set_caps(legacy, 2);
	if (rc)
		errmsg(err, errlen, "capset: %s", strerror(-rc));
	return rc;
}

int service_drop_privs(const char *user, char *err, size_t errlen)
{
	struct passwd *pw;
	int rc;

	if (!user || !*user)
		return 0;
	errno = 0;
	pw = getpwnam(user);
	if (!pw) {
		errmsg(err, errlen, "user '%s': %s", user,
		       errno ? strerror(errno) : "no such user");
		return errno ? -errno : -ENOENT;
	}
	if (geteuid() == pw->pw_uid && getuid() == pw->pw_uid)
		return 0; /* already that user: nothing to drop */
	if (geteuid() != 0) {
		errmsg(err, errlen, "switching to user '%s' needs root", user);
		return -EPERM;
	}
	/* Keep the permitted set across setuid, then trim it to our needs. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)) {
		rc = -errno;
		errmsg(err, errlen, "prctl(PR_SET_KEEPCAPS): %s",
		       strerror(errno));
		return rc;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid)) {
		rc = -errno;
		/* e.g. under osprey.service, whose bounding set lacks them */
		errmsg(err, errlen, "setting groups of '%s': %s%s", user,
		       strerror(errno),
		       rc == -EPERM ? " (needs CAP_SETUID and CAP_SETGID; "
				      "under systemd use User= instead)" :
				      "");
		return rc;
	}
	if (setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid)) {
		rc = -errno;
		errmsg(err, errlen, "setuid(%u): %s", (unsigned int)pw->pw_uid,
		       strerror(errno));
		return rc;
	}
	rc = keep_live_caps(err, errlen);
	if (rc)
		return rc;
	prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	/* Nothing we exec later may regain privileges. */
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	return 0;
}
