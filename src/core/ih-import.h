/* ih-import.h — spreadsheets of feedback in and out
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ih-search.h"
#include "ih-store.h"

G_BEGIN_DECLS

#define IH_IMPORT_ERROR (ih_import_error_quark ())

typedef enum
{
  IH_IMPORT_ERROR_NO_HEADER,
  IH_IMPORT_ERROR_NO_TEXT_COLUMN,
  IH_IMPORT_ERROR_CANCELLED,
} IhImportError;

typedef struct
{
  guint64    rows;          /* data rows read */
  guint64    added;         /* new insight */
  guint64    updated;       /* rows with an id already present, changed */
  guint64    unchanged;     /* already present as they are: nothing to do */
  guint64    refused;       /* rows with a problem: see problems */
  guint64    activities_added;
  guint64    themes_added;
  GPtrArray *problems;      /* "line 12: …" for each refused row */
  GPtrArray *notes;         /* whole-file remarks, e.g. columns not used */
  gboolean   stopped;       /* the progress callback asked to stop */
} IhImportReport;

GQuark            ih_import_error_quark  (void);

/* The field names columns can map to, NULL-terminated. */
const char *const *ih_import_fields      (void);

/* Imports feedback from a CSV file. Columns are matched to fields by their
 * header (see docs/import.md for the names understood) or through a
 * mapping file. Rows with problems are refused one by one and reported;
 * the rest are imported. Rows already present (same id, or for files
 * without ids the same content) are not added twice.
 * A whole-file problem (encoding, no header, no text column) returns FALSE
 * with @error and changes nothing. */
gboolean          ih_import_csv          (IhStore          *store,
                                          const char       *path,
                                          const char       *mapping_path,
                                          IhProgressFunc    progress,
                                          gpointer          progress_data,
                                          IhImportReport  **report,
                                          GError          **error);
/* As ih_import_csv(), with the mapping given as a table from a column's
 * header (as written in the file) to a field name of ih_import_fields():
 * columns not in the table are not used. */
gboolean          ih_import_csv_mapped   (IhStore          *store,
                                          const char       *path,
                                          GHashTable       *mapping,
                                          IhProgressFunc    progress,
                                          gpointer          progress_data,
                                          IhImportReport  **report,
                                          GError          **error);
/* The field a column with this header is read as when no mapping is
 * given (its name, or a synonym such as "comment" for "text"), or NULL */
const char       *ih_import_field_for_header (const char *header);
void              ih_import_report_free  (IhImportReport   *report);

/* Writes every match of @search (NULL: all live insight) as CSV, in the
 * layout ih_import_csv() reads back to the same records. Returns the
 * number of rows written, or -1 with @error. */
gint64            ih_export_csv          (IhStore          *store,
                                          IhSearch         *search,
                                          GOutputStream    *out,
                                          GCancellable     *cancellable,
                                          GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhImportReport, ih_import_report_free)

G_END_DECLS
