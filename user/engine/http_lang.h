/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ISO 639-1 language names for HTTP Accept-Language (see http_lang.c). */
#ifndef OSPREY_HTTP_LANG_H
#define OSPREY_HTTP_LANG_H

/* English name of the language with code c0 c1 (case-sensitive, as p0f
 * looks it up: "en" is English, "EN" is unknown), or NULL. */
const char *http_lang_name(char c0, char c1);

#endif /* OSPREY_HTTP_LANG_H */
