// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One place that writes an error message into a caller's buffer.  Every
 * module reports errors as "-errno plus text in err", so they all share it;
 * it returns -EINVAL so a parser can `return errmsg(...)`.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "engine.h"

int errmsg(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}
