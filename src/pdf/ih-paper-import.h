/* ih-paper-import.h — adding a PDF file to the store as a board paper
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one path by which a PDF becomes a paper, shared by the command line
 * and the app: check and open it (ih-pdf.h), copy it into the store's
 * content-addressed blob folder (ih-blobs.h), extract the text of every
 * page, and save the paper with its page texts in one transaction
 * (ih-papers.h). A file whose sha256 is already a paper in the store is
 * not added twice.
 */

#pragma once

#include <gio/gio.h>

#include "ih-store.h"

G_BEGIN_DECLS

typedef enum
{
  IH_PAPER_ADDED,
  IH_PAPER_ALREADY_PRESENT,   /* the returned paper is the one already stored */
} IhPaperAddResult;

/* Adds @path as a paper of @meeting_id (may be NULL). @title NULL takes
 * the PDF's own title when it is a real one (not "Microsoft Word -
 * x.docx", "Untitled"…), else the file name without ".pdf", with "_" and
 * "-" as spaces. A protected PDF fails with IH_PDF_ERROR_ENCRYPTED until
 * @password is given. @progress (may
 * be NULL) is called in this thread with (pages done, pages) while the
 * text is extracted. On failure nothing is left in the store (a blob
 * already copied stays: blobs are shared and harmless) and @error is an
 * IH_PDF_ERROR (bad file), IH_STORE_ERROR or G_IO_ERROR with a message
 * fit for a person. Blocking: call it in a worker thread, or use _async. */
IhPaper     *ih_paper_add_file        (IhStore              *store,
                                       const char           *path,
                                       const char           *meeting_id,
                                       const char           *title,
                                       const char           *password,
                                       IhProgressFunc        progress,
                                       gpointer              user_data,
                                       IhPaperAddResult     *result,
                                       GCancellable         *cancellable,
                                       GError              **error);
/* The same in a worker thread. @progress is called in the caller's
 * thread-default main context (at most about ten times a second) and
 * must stay valid until @callback has run. */
void         ih_paper_add_file_async  (IhStore              *store,
                                       const char           *path,
                                       const char           *meeting_id,
                                       const char           *title,
                                       const char           *password,
                                       IhProgressFunc        progress,
                                       gpointer              progress_data,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
IhPaper     *ih_paper_add_file_finish (GAsyncResult         *result,
                                       IhPaperAddResult     *add_result,
                                       GError              **error);

G_END_DECLS
