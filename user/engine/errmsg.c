// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One place that writes an error message into a caller's buffer.  Every
 * module reports errors as "-errno plus text in err", so they all share it.
 */
#include <stdarg.h>
#include <stdio.h>

#include "user/engine/engine.h"

void errmsg(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}
