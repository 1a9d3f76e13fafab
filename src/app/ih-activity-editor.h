/* ih-activity-editor.h — the form for one engagement activity: a workshop,
 * a survey, a drop-in
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ih-store.h"

G_BEGIN_DECLS

#define IH_TYPE_ACTIVITY_EDITOR (ih_activity_editor_get_type ())
G_DECLARE_FINAL_TYPE (IhActivityEditor, ih_activity_editor, IH, ACTIVITY_EDITOR, AdwBin)

GtkWidget  *ih_activity_editor_new             (IhStore          *store);
/* Fills the form from the stored activity @id to edit it. Returns FALSE
 * (and clears the form) when there is no such activity. */
gboolean    ih_activity_editor_load            (IhActivityEditor *self,
                                                const char       *id);
/* Empties the form for a new activity */
void        ih_activity_editor_clear           (IhActivityEditor *self);
/* The id of the activity being edited, or NULL for a new one */
const char *ih_activity_editor_get_activity_id (IhActivityEditor *self);
/* Validates and saves (also the action "activity.save", Ctrl+S). On
 * success emits "saved" and keeps the activity in the form for further
 * edits; on failure shows each problem next to its field and saves
 * nothing.
 *
 * Signal "saved" (void (*) (IhActivityEditor *, IhActivity *, gpointer)):
 * the IhActivity just stored, valid only during the emission. */
gboolean    ih_activity_editor_save            (IhActivityEditor *self);

G_END_DECLS
