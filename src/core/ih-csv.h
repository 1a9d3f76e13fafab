/* ih-csv.h — RFC 4180 CSV reading and writing
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ih-types.h"

G_BEGIN_DECLS

#define IH_CSV_ERROR (ih_csv_error_quark ())

typedef enum
{
  IH_CSV_ERROR_ENCODING,      /* whole file: not UTF-8 (UTF-16 BOM, invalid bytes, NUL bytes) */
  IH_CSV_ERROR_EMPTY,         /* whole file: no header row */
  IH_CSV_ERROR_BAD_ROW,       /* one record: bad quoting, unterminated quote, too many fields... */
  IH_CSV_ERROR_MAPPING,       /* mapping file problem */
} IhCsvError;

typedef enum
{
  IH_CSV_ROW,                 /* *fields set */
  IH_CSV_END,                 /* no more records */
  IH_CSV_BAD,                 /* error set (IH_CSV_ERROR_BAD_ROW), reader moved past the bad record */
} IhCsvStatus;

GQuark       ih_csv_error_quark          (void);

/* The whole input is checked up front: a UTF-8 BOM is skipped, a UTF-16/32
 * BOM, NUL bytes or invalid UTF-8 fail with IH_CSV_ERROR_ENCODING and a
 * message naming the line. The delimiter (',' ';' or TAB) is detected from
 * the first line. */
IhCsvReader *ih_csv_reader_new_from_file  (const char   *path,
                                           GError      **error);
IhCsvReader *ih_csv_reader_new_from_bytes (GBytes       *bytes,
                                           GError      **error);
void         ih_csv_reader_free           (IhCsvReader  *reader);
/* @fields receives a new GPtrArray of char* (free with g_ptr_array_unref).
 * Blank lines are skipped. */
IhCsvStatus  ih_csv_reader_next           (IhCsvReader  *reader,
                                           GPtrArray   **fields,
                                           GError      **error);
/* 1-based line number where the record last returned (or refused) starts. */
guint        ih_csv_reader_get_line       (IhCsvReader  *reader);
/* Bytes consumed so far and in all, for progress. */
guint64      ih_csv_reader_get_offset     (IhCsvReader  *reader);
guint64      ih_csv_reader_get_size       (IhCsvReader  *reader);
char         ih_csv_reader_get_delimiter  (IhCsvReader  *reader);

/* Appends one record to @out, quoting where needed, ending in CRLF. */
void         ih_csv_append_row            (GString            *out,
                                           const char * const *fields,
                                           guint               n_fields);

/* Reads a mapping file: a CSV whose rows are "column in the spreadsheet",
 * "Insight Hub field". Returns a table from the spreadsheet header (as
 * written) to the field name. Unknown field names are refused, naming the
 * line; @known_fields is NULL-terminated. */
GHashTable  *ih_csv_read_mapping          (const char          *path,
                                           const char * const  *known_fields,
                                           GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhCsvReader, ih_csv_reader_free)

G_END_DECLS
