/* ih-meetings-view.h — board meetings held in public: the list, upcoming
 * first, and the chosen one's agenda, questions, patient story and papers
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ih-paper-window.h"
#include "ih-store.h"

G_BEGIN_DECLS

#define IH_TYPE_MEETINGS_VIEW (ih_meetings_view_get_type ())
G_DECLARE_FINAL_TYPE (IhMeetingsView, ih_meetings_view, IH, MEETINGS_VIEW, AdwBin)

GtkWidget     *ih_meetings_view_new              (IhStore        *store);
/* Reads the meetings from the store again, keeping the one chosen */
void           ih_meetings_view_refresh          (IhMeetingsView *self);
guint          ih_meetings_view_get_n_meetings   (IhMeetingsView *self);
/* The id of the @position-th meeting listed (upcoming soonest first, then
 * past latest first), or NULL */
const char    *ih_meetings_view_get_meeting_id   (IhMeetingsView *self,
                                                  guint           position);
/* "Upcoming", "Past" or "No date": the heading it is listed under */
const char    *ih_meetings_view_get_section      (IhMeetingsView *self,
                                                  guint           position);
/* Shows the meeting @id (NULL: none) */
void           ih_meetings_view_select           (IhMeetingsView *self,
                                                  const char     *id);
const char    *ih_meetings_view_get_selected_id  (IhMeetingsView *self);
/* The papers of the meeting shown (IhPaper, by title) */
GPtrArray     *ih_meetings_view_get_papers       (IhMeetingsView *self);
/* What the row of the @index-th paper says under its title: "12 pages"
 * or "Not on this computer" */
const char    *ih_meetings_view_get_paper_status (IhMeetingsView *self,
                                                  guint           index);
/* Opens the @index-th paper in a paper window; NULL (and nothing opens)
 * when its file is not on this computer */
IhPaperWindow *ih_meetings_view_open_paper       (IhMeetingsView *self,
                                                  guint           index);
/* Adds PDF files to the meeting shown, off the main thread with progress
 * (as "Add Papers…" does after its file chooser) */
void           ih_meetings_view_add_papers       (IhMeetingsView *self,
                                                  GFile         **files,
                                                  guint           n_files);
/* TRUE while papers are being added */
gboolean       ih_meetings_view_get_busy         (IhMeetingsView *self);
/* Messages about the last papers added that could not be, or NULL */
const char    *ih_meetings_view_get_add_message  (IhMeetingsView *self);
/* "none", "detail", "form" (a new or edited meeting) or "question" (a
 * question to add or answer) */
const char    *ih_meetings_view_get_state        (IhMeetingsView *self);

G_END_DECLS
