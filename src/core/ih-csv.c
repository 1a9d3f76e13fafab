/* ih-csv.c
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-csv"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ih-csv.h"

G_DEFINE_QUARK (ih-csv-error-quark, ih_csv_error)

struct _IhCsvReader
{
  GMappedFile *mapped;
  GBytes      *bytes;

  const char  *base;          /* start of the input, BOM included */
  const char  *pos;
  const char  *end;

  guint        line;          /* line at pos */
  guint        record_line;
  guint        n_fields_hint;
  char         delimiter;

  /* Bytes that end an unquoted field: delimiter, quote, CR, LF */
  guint8       stop[256];

  /* Only used for quoted fields containing doubled quotes */
  GString     *buf;
};

/* Line breaks in [p, end): LF, CRLF and a lone CR count once each. Callers
 * never split a CRLF pair across @end. */
static guint
count_breaks (const char *p,
              const char *end)
{
  guint n = 0;

  if (p >= end)
    return 0;

  /* Nearly all input has no CR in a given span, so let memchr do the work */
  if (memchr (p, '\r', end - p) == NULL)
    {
      while ((p = memchr (p, '\n', end - p)) != NULL)
        {
          n++;
          p++;
        }
      return n;
    }

  for (; p < end; p++)
    {
      if (*p == '\n')
        n++;
      else if (*p == '\r' && (p + 1 == end || p[1] != '\n'))
        n++;
    }

  return n;
}

static gboolean
check_encoding (const char  *data,
                gsize        len,
                gsize       *bom_len,
                GError     **error)
{
  const guchar *u = (const guchar *) data;
  const char *bad = NULL;
  guint line;

  g_assert (data != NULL);
  g_assert (bom_len != NULL);

  *bom_len = 0;

  /* UTF-32 LE starts like UTF-16 LE, so test it first */
  if (len >= 4 &&
      ((u[0] == 0xFF && u[1] == 0xFE && u[2] == 0 && u[3] == 0) ||
       (u[0] == 0 && u[1] == 0 && u[2] == 0xFE && u[3] == 0xFF)))
    {
      g_set_error_literal (error, IH_CSV_ERROR, IH_CSV_ERROR_ENCODING,
                           _("The file is UTF-32 encoded. Save it as “CSV UTF-8” and import it again."));
      return FALSE;
    }

  if (len >= 2 &&
      ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
    {
      g_set_error_literal (error, IH_CSV_ERROR, IH_CSV_ERROR_ENCODING,
                           _("The file is UTF-16 encoded. Save it as “CSV UTF-8” and import it again."));
      return FALSE;
    }

  if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
    *bom_len = 3;

  if (g_utf8_validate_len (data + *bom_len, len - *bom_len, &bad))
    return TRUE;

  /* Only on failure is it worth counting lines */
  line = 1 + count_breaks (data, bad);

  if (*bad == '\0')
    g_set_error (error, IH_CSV_ERROR, IH_CSV_ERROR_ENCODING,
                 _("The file contains NUL bytes (first on line %u), so it is probably UTF-16 encoded. "
                   "Save it as “CSV UTF-8” and import it again."),
                 line);
  else
    g_set_error (error, IH_CSV_ERROR, IH_CSV_ERROR_ENCODING,
                 _("Line %u contains text that is not UTF-8. The file is probably in the Windows-1252 "
                   "(Latin-1) encoding. In Excel, use “Save As” with the type “CSV UTF-8 (Comma delimited)” "
                   "and import the new file."),
                 line);

  return FALSE;
}

/* Looks at the first non-blank line, outside quotes */
static char
detect_delimiter (const char *p,
                  const char *end)
{
  gboolean quoted = FALSE;
  gboolean semicolon = FALSE;
  gboolean tab = FALSE;

  while (p < end && (*p == '\r' || *p == '\n'))
    p++;

  for (; p < end; p++)
    {
      char c = *p;

      if (c == '"')
        quoted = !quoted;
      else if (quoted)
        continue;
      else if (c == '\n' || c == '\r')
        break;
      else if (c == ',')
        return ',';
      else if (c == ';')
        semicolon = TRUE;
      else if (c == '\t')
        tab = TRUE;
    }

  if (semicolon)
    return ';';
  if (tab)
    return '\t';
  return ',';
}

static IhCsvReader *
reader_new (const char  *data,
            gsize        len,
            GError     **error)
{
  IhCsvReader *reader;
  gsize bom_len;

  /* An empty GMappedFile has no contents pointer at all */
  if (data == NULL)
    {
      g_assert (len == 0);
      data = "";
    }

  if (!check_encoding (data, len, &bom_len, error))
    return NULL;

  reader = g_new0 (IhCsvReader, 1);
  reader->base = data;
  reader->pos = data + bom_len;
  reader->end = data + len;
  reader->line = 1;
  reader->delimiter = detect_delimiter (reader->pos, reader->end);
  reader->stop[(guchar) reader->delimiter] = 1;
  reader->stop['"'] = 1;
  reader->stop['\r'] = 1;
  reader->stop['\n'] = 1;
  reader->buf = g_string_new (NULL);

  return reader;
}

IhCsvReader *
ih_csv_reader_new_from_file (const char  *path,
                             GError     **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  IhCsvReader *reader;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* GMappedFile errors already name the file */
  mapped = g_mapped_file_new (path, FALSE, error);
  if (mapped == NULL)
    return NULL;

  reader = reader_new (g_mapped_file_get_contents (mapped),
                       g_mapped_file_get_length (mapped),
                       error);
  if (reader == NULL)
    return NULL;

  reader->mapped = g_steal_pointer (&mapped);

  return reader;
}

IhCsvReader *
ih_csv_reader_new_from_bytes (GBytes  *bytes,
                              GError **error)
{
  IhCsvReader *reader;
  gconstpointer data;
  gsize len;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  reader = reader_new (data, len, error);
  if (reader == NULL)
    return NULL;

  reader->bytes = g_bytes_ref (bytes);

  return reader;
}

void
ih_csv_reader_free (IhCsvReader *reader)
{
  if (reader == NULL)
    return;

  g_clear_pointer (&reader->mapped, g_mapped_file_unref);
  g_clear_pointer (&reader->bytes, g_bytes_unref);
  g_string_free (reader->buf, TRUE);
  g_free (reader);
}

/* Recovery after a bad record: drop the rest of the physical line */
static void
skip_line (IhCsvReader *reader,
           const char  *p)
{
  const char *end = reader->end;

  while (p < end && *p != '\n' && *p != '\r')
    p++;

  if (p < end)
    {
      if (*p == '\r' && p + 1 < end && p[1] == '\n')
        p++;
      p++;
      reader->line++;
    }

  reader->pos = p;
}

/* Parses the quoted field starting at *pp. On success *pp is just past the
 * closing quote. */
static char *
read_quoted (IhCsvReader  *reader,
             const char  **pp,
             GError      **error)
{
  const char *end = reader->end;
  const char *run = *pp + 1;
  const char *p = run;
  guint field_line = reader->line;
  gboolean escaped = FALSE;

  g_assert (**pp == '"');

  for (;;)
    {
      const char *q = memchr (p, '"', end - p);

      if (q == NULL)
        {
          reader->line += count_breaks (p, end);
          *pp = end;
          g_set_error (error, IH_CSV_ERROR, IH_CSV_ERROR_BAD_ROW,
                       _("a quoted field is never closed (it starts on line %u)"),
                       field_line);
          return NULL;
        }

      reader->line += count_breaks (p, q);

      if (q + 1 < end && q[1] == '"')
        {
          if (!escaped)
            {
              g_string_truncate (reader->buf, 0);
              escaped = TRUE;
            }
          /* Keep one of the two quotes */
          g_string_append_len (reader->buf, run, q + 1 - run);
          run = p = q + 2;
          continue;
        }

      *pp = q + 1;

      if (!escaped)
        return g_strndup (run, q - run);

      g_string_append_len (reader->buf, run, q - run);
      return g_strndup (reader->buf->str, reader->buf->len);
    }
}

IhCsvStatus
ih_csv_reader_next (IhCsvReader  *reader,
                    GPtrArray   **fields,
                    GError      **error)
{
  g_autoptr(GPtrArray) row = NULL;
  const char *p;
  const char *end;
  char delimiter;

  g_return_val_if_fail (reader != NULL, IH_CSV_END);
  g_return_val_if_fail (fields != NULL, IH_CSV_END);
  g_return_val_if_fail (error == NULL || *error == NULL, IH_CSV_END);

  *fields = NULL;
  p = reader->pos;
  end = reader->end;
  delimiter = reader->delimiter;

  while (p < end && (*p == '\n' || *p == '\r'))
    {
      if (*p == '\r' && p + 1 < end && p[1] == '\n')
        p++;
      p++;
      reader->line++;
    }

  reader->pos = p;
  if (p == end)
    return IH_CSV_END;

  reader->record_line = reader->line;
  row = g_ptr_array_new_null_terminated (reader->n_fields_hint, g_free, TRUE);

  for (;;)
    {
      if (p < end && *p == '"')
        {
          char *value = read_quoted (reader, &p, error);

          if (value == NULL)
            {
              reader->pos = p;
              return IH_CSV_BAD;
            }

          g_ptr_array_add (row, value);

          if (p < end && *p != delimiter && *p != '\r' && *p != '\n')
            {
              g_set_error_literal (error, IH_CSV_ERROR, IH_CSV_ERROR_BAD_ROW,
                                   _("there is text after the closing quote of a quoted field "
                                     "(a quote inside a quoted field must be written twice)"));
              skip_line (reader, p);
              return IH_CSV_BAD;
            }
        }
      else
        {
          const char *start = p;
          const guint8 *stop = reader->stop;

          while (p < end && !stop[(guchar) *p])
            p++;

          if (p < end && *p == '"')
            {
              g_set_error_literal (error, IH_CSV_ERROR, IH_CSV_ERROR_BAD_ROW,
                                   _("a quote character inside a field that does not start with a quote"));
              skip_line (reader, p);
              return IH_CSV_BAD;
            }

          g_ptr_array_add (row, g_strndup (start, p - start));
        }

      if (p == end)
        break;

      if (*p == delimiter)
        {
          p++;
          continue;
        }

      /* End of the record */
      if (*p == '\r' && p + 1 < end && p[1] == '\n')
        p++;
      p++;
      reader->line++;
      break;
    }

  reader->pos = p;
  reader->n_fields_hint = row->len;
  *fields = g_steal_pointer (&row);

  return IH_CSV_ROW;
}

guint
ih_csv_reader_get_line (IhCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->record_line;
}

guint64
ih_csv_reader_get_offset (IhCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->pos - reader->base;
}

guint64
ih_csv_reader_get_size (IhCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->end - reader->base;
}

char
ih_csv_reader_get_delimiter (IhCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, ',');

  return reader->delimiter;
}

/* Leading or trailing blanks are quoted so that tools which trim unquoted
 * fields keep them. */
static gboolean
needs_quotes (const char *s)
{
  gsize len = strlen (s);

  if (len == 0)
    return FALSE;

  if (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t')
    return TRUE;

  return strpbrk (s, ",\"\r\n") != NULL;
}

void
ih_csv_append_row (GString            *out,
                   const char * const *fields,
                   guint               n_fields)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (fields != NULL || n_fields == 0);

  for (guint i = 0; i < n_fields; i++)
    {
      const char *s = fields[i] != NULL ? fields[i] : "";
      const char *q;

      if (i > 0)
        g_string_append_c (out, ',');

      /* A lone empty field would otherwise be a blank line, which readers skip */
      if (!needs_quotes (s) && !(n_fields == 1 && *s == '\0'))
        {
          g_string_append (out, s);
          continue;
        }

      g_string_append_c (out, '"');
      while ((q = strchr (s, '"')) != NULL)
        {
          g_string_append_len (out, s, q + 1 - s);
          g_string_append_c (out, '"');
          s = q + 1;
        }
      g_string_append (out, s);
      g_string_append_c (out, '"');
    }

  g_string_append (out, "\r\n");
}

GHashTable *
ih_csv_read_mapping (const char          *path,
                     const char * const  *known_fields,
                     GError             **error)
{
  g_autoptr(IhCsvReader) reader = NULL;
  g_autoptr(GHashTable) mapping = NULL;
  /* Column → line of its first mapping; keys are owned by @mapping */
  g_autoptr(GHashTable) lines = NULL;
  g_autoptr(GPtrArray) row = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = NULL;
  IhCsvStatus status;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (known_fields != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display = g_filename_display_name (path);

  reader = ih_csv_reader_new_from_file (path, &local_error);
  if (reader == NULL)
    {
      if (local_error->domain != IH_CSV_ERROR)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      g_set_error (error, IH_CSV_ERROR, IH_CSV_ERROR_MAPPING,
                   _("Mapping file “%s”: %s"), display, local_error->message);
      return NULL;
    }

  status = ih_csv_reader_next (reader, &row, &local_error);
  switch (status)
    {
    case IH_CSV_END:
      g_set_error (error, IH_CSV_ERROR, IH_CSV_ERROR_MAPPING,
                   _("Mapping file “%s” is empty. Its first line must be the header “column,field”."),
                   display);
      return NULL;

    case IH_CSV_BAD:
      g_set_error (error, IH_CSV_ERROR, IH_CSV_ERROR_MAPPING,
                   _("Mapping file “%s”, line %u: %s"),
                   display, ih_csv_reader_get_line (reader), local_error->message);
      return NULL;

    case IH_CSV_ROW:
    default:
      break;
    }

  if (row->len != 2 ||
      g_ascii_strcasecmp (g_strstrip (g_ptr_array_index (row, 0)), "column") != 0 ||
      g_ascii_strcasecmp (g_strstrip (g_ptr_array_index (row, 1)), "field") != 0)
    {
      g_set_error (error, IH_CSV_ERROR, IH_CSV_ERROR_MAPPING,
                   _("Mapping file “%s”, line %u: the first line must be the header “column,field”."),
                   display, ih_csv_reader_get_line (reader));
      return NULL;
    }

  mapping = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_hash_table_new (g_str_hash, g_str_equal);

  for (;;)
    {
      const char *column;
      char *field;
      char *key;
      guint line;
      gpointer first_line;

      g_clear_pointer (&row, g_ptr_array_unref);
      status = ih_csv_reader_next (reader, &row, &local_error);
      line = ih_csv_reader_get_line (reader);

      if (status == IH_CSV_END)
        break;

      if (status == IH_CSV_BAD)
        {
          g_set_error (error, IH_CSV_ERROR, IH_CSV_ERROR_MAPPING,
                       _("Mapping file “%s”, line %u: %s"),
                       display, line, local_error->message);
          return NULL;
        }

      if (row->len != 2)
        {
          g_set_error (error, IH_CSV_ERROR, IH_CSV_ERROR_MAPPING,
                       ngettext ("Mapping file “%s”, line %u has %u value; it needs 2, the column and the field.",
                                 "Mapping file “%s”, line %u has %u values; it needs 2, the column and the field.",
                                 row->len),
                       display, line, row->len);
          return NULL;
        }

      /* The column is kept as written since it must match the spreadsheet */
      column = g_ptr_array_index (row, 0);
      field = g_strstrip (g_ptr_array_index (row, 1));

      if (*column == '\0')
        {
          g_set_error (error, IH_CSV_ERROR, IH_CSV_ERROR_MAPPING,
                       _("Mapping file “%s”, line %u: the column name is empty."),
                       display, line);
          return NULL;
        }

      if (!g_strv_contains (known_fields, field))
        {
          g_autofree char *known = g_strjoinv (", ", (char **) known_fields);

          g_set_error (error, IH_CSV_ERROR, IH_CSV_ERROR_MAPPING,
                       _("Mapping file “%s”, line %u: unknown field “%s”. The known fields are: %s."),
                       display, line, field, known);
          return NULL;
        }

      if (g_hash_table_lookup_extended (lines, column, NULL, &first_line))
        {
          g_set_error (error, IH_CSV_ERROR, IH_CSV_ERROR_MAPPING,
                       _("Mapping file “%s”, line %u: the column “%s” is mapped twice (first on line %u)."),
                       display, line, column, GPOINTER_TO_UINT (first_line));
          return NULL;
        }

      key = g_strdup (column);
      g_hash_table_insert (mapping, key, g_strdup (field));
      g_hash_table_insert (lines, key, GUINT_TO_POINTER (line));
    }

  return g_steal_pointer (&mapping);
}
