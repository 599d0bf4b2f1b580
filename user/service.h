/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running as a service (service.c): systemd notifications, no-ops when
 * not under systemd, and dropping root for a plain user.
 */
#ifndef OSPREY_SERVICE_H
#define OSPREY_SERVICE_H

#include <stddef.h>
#include <stdint.h>

void service_notify_ready(const char *status);
void service_notify_stopping(void);
/* STATUS= line (systemctl status) while running. */
void service_notify_status(const char *status);
/* Watchdog interval in ms (half of WATCHDOG_USEC), 0 if none. */
uint64_t service_watchdog_ms(void);
void service_watchdog_ping(void);
/* Drop to `user` keeping only the capabilities live mode still needs.
 * 0 or -errno with a message in err. */
int service_drop_privs(const char *user, char *err, size_t errlen);

#endif /* OSPREY_SERVICE_H */
