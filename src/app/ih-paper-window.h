/* ih-paper-window.h — a window to read one board paper
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opens the file off the main thread; asks for a password when the PDF
 * is locked; shows a plain page saying what is wrong when it cannot be
 * read (missing, empty, not a PDF, damaged). Remembers the last page read
 * of each paper in $XDG_STATE_HOME/insight-hub/papers.ini and comes back
 * to it.
 */

#pragma once

#include <adwaita.h>

#include "ih-pdf-view.h"

G_BEGIN_DECLS

#define IH_TYPE_PAPER_WINDOW (ih_paper_window_get_type ())
G_DECLARE_FINAL_TYPE (IhPaperWindow, ih_paper_window, IH, PAPER_WINDOW, AdwApplicationWindow)

/* @app may be NULL (tests) */
IhPaperWindow *ih_paper_window_new        (GtkApplication *app);
/* Opens @path. @title (may be NULL) is shown in the header; @key (may be
 * NULL: the path) names the paper for "last page read", e.g. its sha256 */
void           ih_paper_window_open       (IhPaperWindow  *self,
                                           const char     *path,
                                           const char     *title,
                                           const char     *key);
/* Shows page @page_index (from 0) rather than the last page read, now
 * or as soon as the file is open (e.g. a page found by a search) */
void           ih_paper_window_show_page  (IhPaperWindow  *self,
                                           int             page_index);
/* Opens the find bar with @words and highlights every match, now or as
 * soon as the file is open; the first match on or after the page shown
 * becomes the current one (Enter and Shift+Enter move between them) */
void           ih_paper_window_find       (IhPaperWindow  *self,
                                           const char     *words);
/* Shows why the paper cannot be read instead of opening a file, from
 * @error of ih_papers_get_file() or loading the paper: "Not on This
 * Computer" for IH_BLOBS_ERROR_MISSING (a paper a sync has not fetched
 * yet). @title (may be NULL) is shown in the header */
void           ih_paper_window_show_unavailable (IhPaperWindow *self,
                                                 const char    *title,
                                                 const GError  *error);
IhPdfView     *ih_paper_window_get_view   (IhPaperWindow  *self);
/* "loading", "password", "error" or "document" */
const char    *ih_paper_window_get_state  (IhPaperWindow  *self);
/* The message shown on the error page, or NULL */
const char    *ih_paper_window_get_error  (IhPaperWindow  *self);
/* Prints through the print dialog (Ctrl+P) */
void           ih_paper_window_print      (IhPaperWindow  *self);
/* Prints to a PDF file without a dialog: what Print would send */
gboolean       ih_paper_window_print_to_file (IhPaperWindow *self,
                                              const char    *path,
                                              GError       **error);
/* Writes "last page read" now rather than a second later */
void           ih_paper_window_save_state (IhPaperWindow  *self);

/* The file where "last page read" is kept */
char          *ih_paper_window_state_path (void);

G_END_DECLS
