/* ih-search.h — running a query against the store: ranked pages of hits,
 * counts and facets
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ih-query.h"
#include "ih-store.h"

G_BEGIN_DECLS

/* Matched words in snippets sit between these two control characters,
 * which never occur in stored text. */
#define IH_HIT_MARK_START "\x02"
#define IH_HIT_MARK_END   "\x03"

/* How many of the most recently added matches are ranked by relevance (see
 * docs/search.md): beyond this window the rest follow newest first, so a
 * word found in half a million items costs no more than one found in two
 * thousand. */
#define IH_SEARCH_RANK_WINDOW 2000

struct _IhHit
{
  gint64  rid;
  char   *id;
  char   *snippet;        /* with IH_HIT_MARK_START/END around matches */
  char   *date;
  char   *kind;
  char   *sentiment;
  char   *activity_title;
  double  score;          /* bm25: lower is better; 0 when not ranked */
};

typedef struct
{
  char   *key;            /* the stored value, e.g. "negative" or a theme id */
  char   *label;          /* for display */
  gint64  count;
} IhFacetValue;

typedef struct
{
  const char *name;       /* "theme", "kind", "place", "sentiment", "year" */
  GPtrArray  *values;     /* of IhFacetValue, largest count first */
} IhFacet;

IhSearch   *ih_search_new          (IhStore      *store,
                                    const char   *text,
                                    IhQueryFlags  flags,
                                    GError      **error);
void        ih_search_free         (IhSearch     *search);
/* Work for this search stops soon after @cancellable is cancelled (the
 * call then fails with G_IO_ERROR_CANCELLED), so a search superseded by
 * the next keystroke does not hold the store. */
void        ih_search_set_cancellable (IhSearch     *search,
                                       GCancellable *cancellable);
IhQuery    *ih_search_get_query    (IhSearch     *search);
/* The number of matches. */
gint64      ih_search_count        (IhSearch     *search,
                                    GError      **error);
/* Hits [offset, offset + limit) in result order: GPtrArray of IhHit.
 * Memory is proportional to @limit, whatever the number of matches. */
GPtrArray  *ih_search_fetch        (IhSearch     *search,
                                    guint64       offset,
                                    guint         limit,
                                    GError      **error);
/* Calls @func with the id of every match, oldest first; stops when it
 * returns FALSE. For export. */
gboolean    ih_search_foreach_id   (IhSearch     *search,
                                    gboolean    (*func) (const char *id, gpointer user_data),
                                    gpointer      user_data,
                                    GError      **error);
/* Counts of matches by theme, kind, place, sentiment and year: GPtrArray
 * of IhFacet. */
GPtrArray  *ih_search_facets       (IhSearch     *search,
                                    GError      **error);

void        ih_hit_free            (IhHit        *hit);
void        ih_facet_free          (IhFacet      *facet);
/* The snippet with marks replaced by @open and @close. Other text kept. */
char       *ih_hit_format_snippet  (const IhHit  *hit,
                                    const char   *open,
                                    const char   *close);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhSearch, ih_search_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhHit, ih_hit_free)

G_END_DECLS
