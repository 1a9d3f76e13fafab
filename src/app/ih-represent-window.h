/* ih-represent-window.h — who we heard from at an activity beside who
 * lives there: the chart, the table, and exports to CSV and PDF
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ih-represent.h"
#include "ih-store.h"

G_BEGIN_DECLS

#define IH_TYPE_REPRESENT_WINDOW (ih_represent_window_get_type ())
G_DECLARE_FINAL_TYPE (IhRepresentWindow, ih_represent_window, IH, REPRESENT_WINDOW, AdwWindow)

/* The window for the insight of the activity @activity_id, compared with
 * the population of the activity's place (or of the place most of its
 * insight comes from). Closes with Escape. */
GtkWidget              *ih_represent_window_new        (IhStore           *store,
                                                        const char        *activity_id);
/* For a programme or a search (see ih_scope_collect) */
GtkWidget              *ih_represent_window_new_for_scope (IhStore        *store,
                                                           IhScopeKind     kind,
                                                           const char     *value);
/* The table shown, or NULL when none could be made (the window says why) */
const IhRepresentTable *ih_represent_window_get_table  (IhRepresentWindow *self);
/* Compares with the population of @place instead (as the place chooser
 * does); FALSE, showing why, when that fails */
gboolean                ih_represent_window_set_place  (IhRepresentWindow *self,
                                                        const char        *place);
/* What "Export CSV…" (Ctrl+E) and "Export PDF…" (Ctrl+Shift+E) write */
gboolean                ih_represent_window_export_csv (IhRepresentWindow *self,
                                                        const char        *path,
                                                        GError           **error);
gboolean                ih_represent_window_export_pdf (IhRepresentWindow *self,
                                                        const char        *path,
                                                        GError           **error);

/* For tests: every later export is saved to @path at once, without a file
 * chooser (NULL: as if cancelled), until ih_represent_window_clear_answer() */
void                    ih_represent_window_set_answer   (const char *path);
void                    ih_represent_window_clear_answer (void);

G_END_DECLS
