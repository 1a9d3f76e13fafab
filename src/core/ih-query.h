/* ih-query.h — the search language, parsed in C and compiled to FTS5
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ih-types.h"

G_BEGIN_DECLS

#define IH_QUERY_ERROR (ih_query_error_quark ())

typedef enum
{
  IH_QUERY_ERROR_ENCODING,     /* not valid UTF-8 */
  IH_QUERY_ERROR_TOO_LONG,     /* over IH_QUERY_MAX_CHARS or IH_QUERY_MAX_TERMS */
  IH_QUERY_ERROR_UNKNOWN_FILTER,
  IH_QUERY_ERROR_BAD_VALUE,    /* e.g. after:2020-13-45, sentiment:angry */
  IH_QUERY_ERROR_SYNTAX,       /* e.g. "OR" with nothing on one side */
} IhQueryError;

#define IH_QUERY_MAX_CHARS 1000
#define IH_QUERY_MAX_TERMS 64

typedef enum
{
  IH_QUERY_FLAG_NONE        = 0,
  /* Search-as-you-type: the last bare word, when the text does not end in
   * white space, also matches as a prefix. */
  IH_QUERY_FLAG_PREFIX_LAST = 1 << 0,
} IhQueryFlags;

GQuark      ih_query_error_quark (void);
IhQuery    *ih_query_parse       (const char    *text,
                                  IhQueryFlags   flags,
                                  GError       **error);
void        ih_query_free        (IhQuery       *query);
/* The FTS5 MATCH expression, or NULL when the query has no full-text or tag
 * part (empty, or only after:/before:). */
const char *ih_query_get_match   (IhQuery       *query);
/* Inclusive lower bound "YYYY-MM-DD" (after:) or NULL. */
const char *ih_query_get_after   (IhQuery       *query);
/* Exclusive upper bound "YYYY-MM-DD" (before:) or NULL. */
const char *ih_query_get_before  (IhQuery       *query);
/* TRUE when the query has words or phrases to rank by (not only filters). */
gboolean    ih_query_has_words   (IhQuery       *query);
/* TRUE when the query selects everything (no words, no filters). */
gboolean    ih_query_is_empty    (IhQuery       *query);

/* The tag token used in the index for a filter value: @prefix followed by
 * @value case-folded, diacritics removed, and everything but letters and
 * digits dropped. ih_query_tag ("pl", "Cheshire West") == "plcheshirewest".
 * Returns NULL when nothing is left of @value. The store uses the same
 * function when it writes an insight's tags. */
char       *ih_query_tag         (const char    *prefix,
                                  const char    *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhQuery, ih_query_free)

G_END_DECLS
