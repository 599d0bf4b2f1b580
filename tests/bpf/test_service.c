// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * systemd integration (user/service.c) without systemd: this test plays
 * the service manager's part with its own NOTIFY_SOCKET, and checks the
 * privilege drop in a child process (needs root, hence this tier).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include "tests/harness.h"
#include "user/service.h"

static int notify_fd = -1;
static char notify_path[108];

/* One datagram from the notify socket into buf; its length or -errno. */
static int notify_recv(char *buf, size_t len)
{
	ssize_t n = recv(notify_fd, buf, len - 1, MSG_DONTWAIT);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return (int)n;
}

static int notify_open(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	snprintf(notify_path, sizeof(notify_path), "/tmp/osprey-notify-%d",
		 (int)getpid());
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", notify_path);
	unlink(notify_path);
	notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (notify_fd < 0 || bind(notify_fd, (void *)&sa, sizeof(sa)))
		return -errno;
	return 0;
}

static void ready_and_stopping(void)
{
	char buf[256];

	setenv("NOTIFY_SOCKET", notify_path, 1);
	service_notify_ready("attached to eth0 (native)");
	ASSERT_TRUE(notify_recv(buf, sizeof(buf)) > 0, "READY datagram");
	ASSERT_STREQ(buf, "READY=1\nSTATUS=attached to eth0 (native)",
		     "ready message");
	service_notify_ready(NULL);
	ASSERT_TRUE(notify_recv(buf, sizeof(buf)) > 0, "bare READY datagram");
	ASSERT_STREQ(buf, "READY=1", "bare ready message");
	service_notify_stopping();
	ASSERT_TRUE(notify_recv(buf, sizeof(buf)) > 0, "STOPPING datagram");
	ASSERT_TRUE(strstr(buf, "STOPPING=1") == buf, buf);
}

static void watchdog(void)
{
	char buf[64], pid[16];

	setenv("NOTIFY_SOCKET", notify_path, 1);
	unsetenv("WATCHDOG_PID");
	unsetenv("WATCHDOG_USEC");
	ASSERT_EQ(service_watchdog_ms(), 0, "no WATCHDOG_USEC");
	setenv("WATCHDOG_USEC", "3000000", 1);
	ASSERT_EQ(service_watchdog_ms(), 1500, "half of 3 s");
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	ASSERT_EQ(service_watchdog_ms(), 1500, "WATCHDOG_PID is us");
	setenv("WATCHDOG_PID", "1", 1);
	ASSERT_EQ(service_watchdog_ms(), 0, "WATCHDOG_PID is another process");
	unsetenv("WATCHDOG_PID");
	setenv("WATCHDOG_USEC", "junk", 1);
	ASSERT_EQ(service_watchdog_ms(), 0, "bad WATCHDOG_USEC");
	unsetenv("WATCHDOG_USEC");
	service_watchdog_ping();
	ASSERT_TRUE(notify_recv(buf, sizeof(buf)) > 0, "WATCHDOG datagram");
	ASSERT_STREQ(buf, "WATCHDOG=1", "watchdog message");
}

static void no_notify_socket(void)
{
	char buf[64];

	unsetenv("NOTIFY_SOCKET");
	service_notify_ready("x");
	service_watchdog_ping();
	service_notify_stopping();
	ASSERT_EQ(notify_recv(buf, sizeof(buf)), -EAGAIN, "nothing sent");
}

/* Permitted capability set of this process as a 64-bit mask. */
static unsigned long long cap_permitted(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return ~0ull;
	return d[0].permitted | (unsigned long long)d[1].permitted << 32;
}

/* In a child: drop to nobody; exit 0 when every check held, else a code. */
static int drop_child(void)
{
	unsigned long long want =
		(1ull << 39) | (1ull << 38) | (1ull << CAP_NET_ADMIN);
	char err[256];

	if (service_drop_privs("nobody", err, sizeof(err))) {
		fprintf(stderr, "drop: %s\n", err);
		return 10;
	}
	if (getuid() == 0 || geteuid() == 0 || getgid() == 0)
		return 11;
	if (cap_permitted() != want) {
		fprintf(stderr, "permitted caps %llx, want %llx\n",
			cap_permitted(), want);
		return 12;
	}
	/* Back to root is impossible now. */
	if (service_drop_privs("root", err, sizeof(err)) != -EPERM)
		return 13;
	if (setuid(0) == 0)
		return 14;
	return 0;
}

static void drop_privs(void)
{
	char err[256] = "";
	int st = -1;
	pid_t pid;

	if (geteuid() != 0) {
		TEST_SKIP("needs root");
		return;
	}
	ASSERT_EQ(service_drop_privs("no-such-user-osprey", err, sizeof(err)),
		  -ENOENT, "unknown user");
	ASSERT_TRUE(strstr(err, "no-such-user-osprey") != NULL, err);
	ASSERT_EQ(service_drop_privs(NULL, err, sizeof(err)), 0, "no user");
	ASSERT_EQ(service_drop_privs("root", err, sizeof(err)), 0,
		  "already root");
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(drop_child());
	if (!ASSERT_TRUE(pid > 0, "fork"))
		return;
	waitpid(pid, &st, 0);
	ASSERT_TRUE(WIFEXITED(st), "child exited");
	ASSERT_EQ(WEXITSTATUS(st), 0,
		  "child checks (10 drop, 11 uid, "
		  "12 caps, 13 re-drop, 14 setuid)");
}

int main(void)
{
	static const struct th_case cases[] = {
		TH_CASE(ready_and_stopping),
		TH_CASE(watchdog),
		TH_CASE(no_notify_socket),
		TH_CASE(drop_privs),
	};
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (notify_open()) {
		printf("FAIL: service/setup: notify socket: %s\n",
		       strerror(errno));
		return 1;
	}
	rc = th_run("service", cases, sizeof(cases) / sizeof(cases[0]));
	close(notify_fd);
	unlink(notify_path);
	return rc;
}
