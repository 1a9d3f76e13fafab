/* ih-import-dialog.h — importing a spreadsheet of feedback: its columns,
 * the import itself, and what became of each row
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ih-import.h"
#include "ih-store.h"

G_BEGIN_DECLS

#define IH_TYPE_IMPORT_DIALOG (ih_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (IhImportDialog, ih_import_dialog, IH, IMPORT_DIALOG, AdwWindow)

/* A dialog, modal to @parent, importing the CSV @file into @store. Its
 * pages: the file's columns, each with what it is read as (pre-filled from
 * the header names the command line understands); the import, with a
 * progress bar and Stop; the report: counts, and the rows not imported
 * with their line numbers and reasons. Escape closes it (during the import
 * it stops the import first, keeping what is imported).
 *
 * Signal "imported" (void (*) (IhImportDialog *, gpointer)): an import
 * ended, finished or stopped; the store may have changed. */
IhImportDialog       *ih_import_dialog_new        (GtkWindow      *parent,
                                                   IhStore        *store,
                                                   GFile          *file);
/* "columns", "progress", "report" or "failed" */
const char           *ih_import_dialog_get_page   (IhImportDialog *self);
/* The field column @header is read as, or NULL when it is not imported
 * (or there is no such column) */
const char           *ih_import_dialog_get_field  (IhImportDialog *self,
                                                   const char     *header);
/* The report of the import once on the "report" page, else NULL */
const IhImportReport *ih_import_dialog_get_report (IhImportDialog *self);

G_END_DECLS
