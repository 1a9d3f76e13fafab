/* ih-search-model.h — a GListModel of search hits, loaded lazily by window
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ih-store.h"

G_BEGIN_DECLS

/* One row of the results. Created as a placeholder (loaded = FALSE) and
 * filled in when its window of rows arrives from the worker thread. */
#define IH_TYPE_HIT_ITEM (ih_hit_item_get_type ())
G_DECLARE_FINAL_TYPE (IhHitItem, ih_hit_item, IH, HIT_ITEM, GObject)

gboolean    ih_hit_item_get_loaded          (IhHitItem *self);
const char *ih_hit_item_get_id              (IhHitItem *self);
/* Pango markup: the snippet escaped, matched words in <b></b> */
const char *ih_hit_item_get_snippet_markup  (IhHitItem *self);
const char *ih_hit_item_get_date            (IhHitItem *self);
/* "Quote · Negative · Stroud maternity workshop": for the row's second line */
const char *ih_hit_item_get_summary         (IhHitItem *self);

#define IH_TYPE_SEARCH_MODEL (ih_search_model_get_type ())
G_DECLARE_FINAL_TYPE (IhSearchModel, ih_search_model, IH, SEARCH_MODEL, GObject)

/* Rows per window read from the store at once */
#define IH_SEARCH_MODEL_WINDOW 100
/* Windows kept in memory; the least recently used goes first */
#define IH_SEARCH_MODEL_MAX_WINDOWS 8
/* Up to this many matches are counted before anything shows; beyond, the
 * first rows show before the count (see ih_search_model_get_exact()) */
#define IH_SEARCH_MODEL_EXACT_UP_TO 1000

IhSearchModel *ih_search_model_new         (IhStore       *store);
IhStore       *ih_search_model_get_store   (IhSearchModel *self);
/* Starts a search as you type (the last word also matches as a prefix).
 * The previous search is cancelled. When the number of matches is known,
 * the model emits one items-changed (0, old, new) and notifies "busy".
 * With more than IH_SEARCH_MODEL_EXACT_UP_TO matches, that first
 * items-changed gives IH_SEARCH_MODEL_EXACT_UP_TO + 1 items and a second
 * one, at the end of the list, the rest once they are counted. */
void           ih_search_model_set_query   (IhSearchModel *self,
                                            const char    *text);
const char    *ih_search_model_get_query   (IhSearchModel *self);
/* TRUE while a search or a window is being read */
gboolean       ih_search_model_get_busy    (IhSearchModel *self);
/* A plain message when the search text is wrong (e.g. an unknown filter),
 * else NULL. The model is then empty. */
const char    *ih_search_model_get_error   (IhSearchModel *self);
/* TRUE when the number of items is the exact number of matches. With more
 * than IH_SEARCH_MODEL_EXACT_UP_TO matches, the model first has that many
 * plus one items (the first window already loaded) while the rest are
 * counted; it is busy meanwhile. */
gboolean       ih_search_model_get_exact   (IhSearchModel *self);
/* Windows currently held, for tests of the memory bound */
guint          ih_search_model_get_n_windows (IhSearchModel *self);

G_END_DECLS
