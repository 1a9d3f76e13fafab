/* ih-insight-editor.h — the form for one piece of feedback, made for fast
 * keyboard entry
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ih-store.h"

G_BEGIN_DECLS

#define IH_TYPE_INSIGHT_EDITOR (ih_insight_editor_get_type ())
G_DECLARE_FINAL_TYPE (IhInsightEditor, ih_insight_editor, IH, INSIGHT_EDITOR, AdwBin)

GtkWidget  *ih_insight_editor_new           (IhStore         *store);
/* The activity new insight is recorded against (may be NULL) */
void        ih_insight_editor_set_activity  (IhInsightEditor *self,
                                             const char      *activity_id);
/* The activity chosen, or NULL */
const char *ih_insight_editor_get_activity  (IhInsightEditor *self);
/* Reads the activities offered in the Activity choice from the store
 * again (most recent first), keeping the one chosen. Also done each time
 * the form is shown. */
void        ih_insight_editor_reload_activities (IhInsightEditor *self);
/* Validates and saves; on success emits "saved" with the IhInsight and
 * clears the text for the next one, keeping activity, date, kind and
 * themes (quick entry). On failure shows the problem next to the field.
 * Consent and the restricted flag are kept too; the sentiment and the
 * details about the person go back to "Not recorded", since the next piece
 * of feedback is usually someone else's. New theme names are created.
 *
 * Signal "saved" (void (*) (IhInsightEditor *, IhInsight *, gpointer)):
 * the IhInsight just stored, valid only during the emission. */
gboolean    ih_insight_editor_save          (IhInsightEditor *self);
/* Number of personal-data spans found in the text now */
guint       ih_insight_editor_get_n_personal_data (IhInsightEditor *self);
/* Replaces every personal-data span in the text with its label */
void        ih_insight_editor_redact_all    (IhInsightEditor *self);
/* Looks for personal data now instead of after the short pause in typing
 * (for save and for tests): updates the underlines, the warning and
 * ih_insight_editor_get_n_personal_data(). */
void        ih_insight_editor_scan_now      (IhInsightEditor *self);

/* Drafts: what is typed is kept, so that a crash or a killed app loses at
 * most about a second of it. Half a second after a change to any field
 * (and so at least twice a second while typing goes on) the whole form is
 * written atomically to
 * $XDG_STATE_HOME/insight-hub/drafts/<database file name>.draft, unless
 * nothing changed since the last write. The file is deleted when the
 * feedback is saved or its text cleared, and written at once when the
 * editor is hidden or destroyed.
 *
 * A draft left from before (with some text) is not put in the form
 * silently: the editor offers it in a row at the top until the person
 * restores or discards it, and does not overwrite it meanwhile. An
 * unreadable or corrupt draft file is ignored. */

/* TRUE while a draft from before is offered */
gboolean    ih_insight_editor_has_draft_offer (IhInsightEditor *self);
/* Fills every field from the offered draft (one undo step for the text)
 * and hides the offer; the draft file stays until the feedback is saved.
 * Does nothing without an offer. */
void        ih_insight_editor_restore_draft (IhInsightEditor *self);
/* Deletes the offered draft and hides the offer. Does nothing without an
 * offer. */
void        ih_insight_editor_discard_draft (IhInsightEditor *self);
/* Writes the draft now if a write is pending (for closing the window and
 * for tests). */
void        ih_insight_editor_flush_draft   (IhInsightEditor *self);

G_END_DECLS
