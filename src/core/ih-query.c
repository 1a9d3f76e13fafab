/* ih-query.c
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-query"

#include "config.h"

#include "ih-query.h"

char *
ih_query_tag (const char *prefix,
              const char *value)
{
  g_autofree char *decomposed = NULL;
  g_autofree char *folded = NULL;
  GString *tag;
  gsize prefix_len;

  g_return_val_if_fail (prefix != NULL, NULL);

  if (value == NULL || !g_utf8_validate (value, -1, NULL))
    return NULL;

  /* Decompose so that accents become separate marks we can drop */
  decomposed = g_utf8_normalize (value, -1, G_NORMALIZE_NFKD);
  folded = g_utf8_casefold (decomposed, -1);

  tag = g_string_new (prefix);
  prefix_len = tag->len;
  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (tag, c);
    }

  if (tag->len == prefix_len)
    {
      g_string_free (tag, TRUE);
      return NULL;
    }

  return g_string_free (tag, FALSE);
}
