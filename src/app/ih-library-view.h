/* ih-library-view.h
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ih-paper-window.h"
#include "ih-search-model.h"
#include "ih-store.h"

G_BEGIN_DECLS

#define IH_TYPE_LIBRARY_VIEW (ih_library_view_get_type ())
G_DECLARE_FINAL_TYPE (IhLibraryView, ih_library_view, IH, LIBRARY_VIEW, GtkWidget)

GtkWidget     *ih_library_view_new          (IhStore       *store);
IhSearchModel *ih_library_view_get_model    (IhLibraryView *self);
void           ih_library_view_focus_search (IhLibraryView *self);
/* Runs the current search again, e.g. after something was saved */
void           ih_library_view_refresh      (IhLibraryView *self);
/* "results", "empty", "no-results" or "error": which state shows */
const char    *ih_library_view_get_state    (IhLibraryView *self);
/* Adds a filter to the search text, as choosing a value in a facet's
 * popover does, and runs the search. @facet is "theme", "kind", "place",
 * "sentiment" or "year"; @value is a facet value's key or label. */
void           ih_library_view_apply_filter (IhLibraryView *self,
                                             const char    *facet,
                                             const char    *value);
/* Asks where to save, then writes the current results there as CSV in a
 * worker thread (action "library.export", Ctrl+E). When it ends, emits
 * "exported" (void (*) (IhLibraryView *, GFile *, gint64 rows, const
 * GError *, gpointer)): rows is -1 and the error set when it failed. */
void           ih_library_view_export       (IhLibraryView *self);
/* TRUE from ih_library_view_export() until "exported" or a cancelled
 * file choice */
gboolean       ih_library_view_get_exporting (IhLibraryView *self);
/* TRUE while the facet counts for the current search are being computed */
gboolean       ih_library_view_get_facets_busy (IhLibraryView *self);

/* Board paper pages matching the search text (when it has words) are
 * listed above the insight, searched in a worker thread. TRUE while that
 * search runs */
gboolean       ih_library_view_get_papers_busy (IhLibraryView *self);
/* How many pages it found (at most 50) */
guint          ih_library_view_get_n_paper_hits (IhLibraryView *self);
/* Opens a paper window at the @index'th page found, the matched words
 * highlighted, as activating its row does; a paper whose file is not on
 * this computer shows a window saying so. NULL when there is no such hit */
IhPaperWindow *ih_library_view_open_paper_hit (IhLibraryView *self,
                                               guint          index);

G_END_DECLS
