/* test-csv.c
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ih-csv.h"

static IhCsvReader *
reader_for_len (const char *text,
                gsize       len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, len);
  g_autoptr(GError) error = NULL;
  IhCsvReader *reader;

  reader = ih_csv_reader_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reader);

  return reader;
}

static IhCsvReader *
reader_for (const char *text)
{
  return reader_for_len (text, strlen (text));
}

static GError *
encoding_error_for (const char *text,
                    gsize       len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, len);
  GError *error = NULL;
  IhCsvReader *reader;

  reader = ih_csv_reader_new_from_bytes (bytes, &error);
  g_assert_null (reader);
  g_assert_error (error, IH_CSV_ERROR, IH_CSV_ERROR_ENCODING);

  return error;
}

/* Expects a record starting on @line with the NULL-terminated fields */
static void
assert_row (IhCsvReader *reader,
            guint        line,
            ...)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *s;
  va_list args;

  va_start (args, line);
  while ((s = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (expected, (gpointer) s);
  va_end (args);
  g_ptr_array_add (expected, NULL);

  g_assert_cmpint (ih_csv_reader_next (reader, &fields, &error), ==, IH_CSV_ROW);
  g_assert_no_error (error);
  g_assert_nonnull (fields);
  g_assert_cmpuint (ih_csv_reader_get_line (reader), ==, line);
  /* Rows are NULL-terminated, so they can be used as a strv */
  g_assert_cmpstrv ((const char * const *) fields->pdata,
                    (const char * const *) expected->pdata);
}

static void
assert_bad (IhCsvReader *reader,
            guint        line,
            const char  *message_part)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (ih_csv_reader_next (reader, &fields, &error), ==, IH_CSV_BAD);
  g_assert_error (error, IH_CSV_ERROR, IH_CSV_ERROR_BAD_ROW);
  g_assert_null (fields);
  g_assert_cmpuint (ih_csv_reader_get_line (reader), ==, line);
  g_assert_nonnull (strstr (error->message, message_part));
  /* The caller adds "line N: " itself */
  g_assert_null (strstr (error->message, "line 1:"));
}

static void
assert_end (IhCsvReader *reader)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (ih_csv_reader_next (reader, &fields, &error), ==, IH_CSV_END);
  g_assert_no_error (error);
  g_assert_null (fields);
  /* and stays at the end */
  g_assert_cmpint (ih_csv_reader_next (reader, &fields, &error), ==, IH_CSV_END);
  g_assert_cmpuint (ih_csv_reader_get_offset (reader), ==, ih_csv_reader_get_size (reader));
}

static void
test_read_simple (void)
{
  g_autoptr(IhCsvReader) reader = reader_for ("title,date,sentiment\n"
                                              "Drop-in,2026-01-05,positive\n"
                                              "Survey,,negative\n");

  g_assert_cmpint (ih_csv_reader_get_delimiter (reader), ==, ',');
  assert_row (reader, 1, "title", "date", "sentiment", NULL);
  assert_row (reader, 2, "Drop-in", "2026-01-05", "positive", NULL);
  assert_row (reader, 3, "Survey", "", "negative", NULL);
  assert_end (reader);
}

static void
test_read_empty_fields (void)
{
  g_autoptr(IhCsvReader) reader = reader_for ("a,b,\n"
                                              ",\n"
                                              "\"\"\n"
                                              ",,x");

  assert_row (reader, 1, "a", "b", "", NULL);
  assert_row (reader, 2, "", "", NULL);
  assert_row (reader, 3, "", NULL);
  assert_row (reader, 4, "", "", "x", NULL);
  assert_end (reader);
}

static void
test_read_quoted_comma (void)
{
  g_autoptr(IhCsvReader) reader = reader_for ("id,comment\n"
                                              "1,\"Parking, signage and food\"\n"
                                              "\"2\",\"said \"\"no\"\", then left\"\n"
                                              "3,\"\"\"\"\n");

  assert_row (reader, 1, "id", "comment", NULL);
  assert_row (reader, 2, "1", "Parking, signage and food", NULL);
  assert_row (reader, 3, "2", "said \"no\", then left", NULL);
  assert_row (reader, 4, "3", "\"", NULL);
  assert_end (reader);
}

static void
test_read_quoted_newline (void)
{
  g_autoptr(IhCsvReader) reader = reader_for ("id,comment\n"
                                              "1,\"first line\n"
                                              "second line\n"
                                              "third line\"\n"
                                              "2,after\n"
                                              "3,\"a\r\nb\",\"c\nd\"\n"
                                              "4,end\n");

  assert_row (reader, 1, "id", "comment", NULL);
  assert_row (reader, 2, "1", "first line\nsecond line\nthird line", NULL);
  assert_row (reader, 5, "2", "after", NULL);
  /* CRLF inside quotes is data and kept as it is */
  assert_row (reader, 6, "3", "a\r\nb", "c\nd", NULL);
  assert_row (reader, 9, "4", "end", NULL);
  assert_end (reader);
}

static void
test_read_crlf (void)
{
  g_autoptr(IhCsvReader) reader = reader_for ("a,b\r\nc,d\r\n\r\ne,f\r\n");

  assert_row (reader, 1, "a", "b", NULL);
  assert_row (reader, 2, "c", "d", NULL);
  assert_row (reader, 4, "e", "f", NULL);
  assert_end (reader);
}

static void
test_read_lf (void)
{
  g_autoptr(IhCsvReader) reader = reader_for ("a,b\nc,d\n");

  assert_row (reader, 1, "a", "b", NULL);
  assert_row (reader, 2, "c", "d", NULL);
  assert_end (reader);
}

static void
test_read_cr (void)
{
  g_autoptr(IhCsvReader) reader = reader_for ("a,b\rc,\"d\re\"\rf,g\r");

  assert_row (reader, 1, "a", "b", NULL);
  assert_row (reader, 2, "c", "d\re", NULL);
  assert_row (reader, 4, "f", "g", NULL);
  assert_end (reader);
}

static void
test_read_mixed_endings (void)
{
  g_autoptr(IhCsvReader) reader = reader_for ("a,b\r\nc,d\ne,f\rg,h\n\r\n\ri,j");

  assert_row (reader, 1, "a", "b", NULL);
  assert_row (reader, 2, "c", "d", NULL);
  assert_row (reader, 3, "e", "f", NULL);
  assert_row (reader, 4, "g", "h", NULL);
  assert_row (reader, 7, "i", "j", NULL);
  assert_end (reader);
}

static void
test_read_bom (void)
{
  g_autoptr(IhCsvReader) reader = reader_for ("\xEF\xBB\xBFtitle;notes\r\nA;B\r\n");

  g_assert_cmpint (ih_csv_reader_get_delimiter (reader), ==, ';');
  g_assert_cmpuint (ih_csv_reader_get_size (reader), ==, 3 + 13 + 5);
  assert_row (reader, 1, "title", "notes", NULL);
  assert_row (reader, 2, "A", "B", NULL);
  assert_end (reader);
}

static void
test_read_blank_lines (void)
{
  g_autoptr(IhCsvReader) reader = reader_for ("\n\r\na,b\n\n\nc,d\n\n");

  assert_row (reader, 3, "a", "b", NULL);
  assert_row (reader, 6, "c", "d", NULL);
  assert_end (reader);
}

static void
test_read_no_trailing_newline (void)
{
  g_autoptr(IhCsvReader) reader = reader_for ("a,b\nc,\"d\"");

  assert_row (reader, 1, "a", "b", NULL);
  assert_row (reader, 2, "c", "d", NULL);
  assert_end (reader);
}

static void
test_read_empty (void)
{
  g_autoptr(IhCsvReader) reader = reader_for ("");

  g_assert_cmpint (ih_csv_reader_get_delimiter (reader), ==, ',');
  g_assert_cmpuint (ih_csv_reader_get_size (reader), ==, 0);
  assert_end (reader);
}

static void
test_read_only_blank (void)
{
  g_autoptr(IhCsvReader) reader = reader_for ("\xEF\xBB\xBF\r\n\r\n");

  assert_end (reader);
}

static void
test_read_header_only (void)
{
  g_autoptr(IhCsvReader) reader = reader_for ("title,date\r\n");

  assert_row (reader, 1, "title", "date", NULL);
  assert_end (reader);
}

static void
test_read_offset (void)
{
  const char *text = "a,b\n\"c\nd\",e\n";
  g_autoptr(IhCsvReader) reader = reader_for (text);

  g_assert_cmpuint (ih_csv_reader_get_size (reader), ==, strlen (text));
  g_assert_cmpuint (ih_csv_reader_get_offset (reader), ==, 0);
  assert_row (reader, 1, "a", "b", NULL);
  g_assert_cmpuint (ih_csv_reader_get_offset (reader), ==, 4);
  assert_row (reader, 2, "c\nd", "e", NULL);
  g_assert_cmpuint (ih_csv_reader_get_offset (reader), ==, strlen (text));
  assert_end (reader);
}

static void
test_delimiter_semicolon (void)
{
  g_autoptr(IhCsvReader) reader = reader_for ("Naam;Opmerking\n"
                                              "Jan;\"zeer goed, dank\"\n");

  g_assert_cmpint (ih_csv_reader_get_delimiter (reader), ==, ';');
  assert_row (reader, 1, "Naam", "Opmerking", NULL);
  assert_row (reader, 2, "Jan", "zeer goed, dank", NULL);
  assert_end (reader);
}

static void
test_delimiter_tab (void)
{
  g_autoptr(IhCsvReader) reader = reader_for ("a b\tc d\n"
                                              "1,5\t\"x\ty\"\n"
                                              "e;f\tg\n");

  g_assert_cmpint (ih_csv_reader_get_delimiter (reader), ==, '\t');
  assert_row (reader, 1, "a b", "c d", NULL);
  assert_row (reader, 2, "1,5", "x\ty", NULL);
  assert_row (reader, 3, "e;f", "g", NULL);
  assert_end (reader);
}

static void
test_delimiter_comma_wins (void)
{
  g_autoptr(IhCsvReader) a = reader_for ("a;b,c\td\n");
  g_autoptr(IhCsvReader) b = reader_for ("single\nx,y\n");
  g_autoptr(IhCsvReader) c = reader_for ("\n\nsingle;x\n");
  g_autoptr(IhCsvReader) d = reader_for ("a;b\tc\n");

  g_assert_cmpint (ih_csv_reader_get_delimiter (a), ==, ',');
  g_assert_cmpint (ih_csv_reader_get_delimiter (b), ==, ',');
  /* leading blank lines are not the first line */
  g_assert_cmpint (ih_csv_reader_get_delimiter (c), ==, ';');
  /* semicolons come before tabs */
  g_assert_cmpint (ih_csv_reader_get_delimiter (d), ==, ';');
}

static void
test_delimiter_quoted (void)
{
  /* The comma is inside quotes, and so is the line break */
  g_autoptr(IhCsvReader) reader = reader_for ("\"a,b\";\"c\n,d\";e\n1;2;3\n");

  g_assert_cmpint (ih_csv_reader_get_delimiter (reader), ==, ';');
  assert_row (reader, 1, "a,b", "c\n,d", "e", NULL);
  assert_row (reader, 3, "1", "2", "3", NULL);
  assert_end (reader);
}

static void
test_encoding_utf16 (void)
{
  static const char le[] = "\xFF\xFE" "a\0,\0b\0";
  static const char be[] = "\xFE\xFF" "\0a\0,\0b";
  g_autoptr(GError) error_le = encoding_error_for (le, sizeof le - 1);
  g_autoptr(GError) error_be = encoding_error_for (be, sizeof be - 1);

  g_assert_nonnull (strstr (error_le->message, "UTF-16"));
  g_assert_nonnull (strstr (error_le->message, "CSV UTF-8"));
  g_assert_nonnull (strstr (error_be->message, "UTF-16"));
}

static void
test_encoding_utf32 (void)
{
  static const char le[] = "\xFF\xFE\0\0" "a\0\0\0";
  static const char be[] = "\0\0\xFE\xFF" "\0\0\0a";
  g_autoptr(GError) error_le = encoding_error_for (le, sizeof le - 1);
  g_autoptr(GError) error_be = encoding_error_for (be, sizeof be - 1);

  g_assert_nonnull (strstr (error_le->message, "UTF-32"));
  g_assert_nonnull (strstr (error_be->message, "UTF-32"));
}

static void
test_encoding_nul (void)
{
  /* UTF-16 LE without a BOM */
  static const char utf16[] = "a\0,\0b\0\n\0";
  static const char late[] = "a,b\nc,d\ne\0f\n";
  g_autoptr(GError) error = encoding_error_for (utf16, sizeof utf16 - 1);
  g_autoptr(GError) late_error = encoding_error_for (late, sizeof late - 1);

  g_assert_nonnull (strstr (error->message, "NUL"));
  g_assert_nonnull (strstr (error->message, "UTF-16"));
  g_assert_nonnull (strstr (late_error->message, "line 3"));
}

static void
test_encoding_invalid_utf8 (void)
{
  /* "Café" in Windows-1252, on line 4 counting the quoted line break */
  static const char text[] = "name,comment\r\n"
                             "a,\"two\r\nlines\"\r\n"
                             "b,Caf\xE9\r\n";
  static const char bom[] = "\xEF\xBB\xBF" "\xA3" "5\n";
  g_autoptr(GError) error = encoding_error_for (text, sizeof text - 1);
  g_autoptr(GError) bom_error = encoding_error_for (bom, sizeof bom - 1);

  g_assert_nonnull (strstr (error->message, "Line 4 "));
  g_assert_nonnull (strstr (error->message, "Windows-1252"));
  g_assert_nonnull (strstr (error->message, "CSV UTF-8"));
  g_assert_nonnull (strstr (bom_error->message, "Line 1 "));
}

static void
test_encoding_valid_utf8 (void)
{
  g_autoptr(IhCsvReader) reader = reader_for ("Café,“quoted”,😀\n");

  assert_row (reader, 1, "Café", "“quoted”", "😀", NULL);
  assert_end (reader);
}

static void
test_bad_stray_quote (void)
{
  g_autoptr(IhCsvReader) reader = reader_for ("id,comment\n"
                                              "1,ok\n"
                                              "2,she said \"hi\", twice\n"
                                              "3,fine\n");

  assert_row (reader, 1, "id", "comment", NULL);
  assert_row (reader, 2, "1", "ok", NULL);
  assert_bad (reader, 3, "a quote character inside a field that does not start with a quote");
  assert_row (reader, 4, "3", "fine", NULL);
  assert_end (reader);
}

static void
test_bad_stray_quote_after_multiline (void)
{
  /* The record starts on line 2; recovery drops the rest of line 3 only */
  g_autoptr(IhCsvReader) reader = reader_for ("a,b,c\r\n"
                                              "\"x\r\ny\",z\"z,w\r\n"
                                              "1,2,3\r\n");

  assert_row (reader, 1, "a", "b", "c", NULL);
  assert_bad (reader, 2, "quote");
  assert_row (reader, 4, "1", "2", "3", NULL);
  assert_end (reader);
}

static void
test_bad_junk_after_quote (void)
{
  g_autoptr(IhCsvReader) reader = reader_for ("a,b\n"
                                              "\"abc\"x,d\n"
                                              "\"He said \"no\"\",e\n"
                                              "f,g");

  assert_row (reader, 1, "a", "b", NULL);
  assert_bad (reader, 2, "after the closing quote");
  assert_bad (reader, 3, "after the closing quote");
  assert_row (reader, 4, "f", "g", NULL);
  assert_end (reader);
}

static void
test_bad_unterminated (void)
{
  g_autoptr(IhCsvReader) reader = reader_for ("a,b\n"
                                              "c,d\n"
                                              "e,\"never\n"
                                              "closed,x\n"
                                              "y,z\n");

  assert_row (reader, 1, "a", "b", NULL);
  assert_row (reader, 2, "c", "d", NULL);
  assert_bad (reader, 3, "a quoted field is never closed (it starts on line 3)");
  assert_end (reader);
}

static void
test_bad_unterminated_field_line (void)
{
  /* The record starts on line 1, the open quote on line 3 */
  g_autoptr(IhCsvReader) reader = reader_for ("\"a\nb\nc\",\"d");

  assert_bad (reader, 1, "(it starts on line 3)");
  assert_end (reader);
}

static void
test_read_long_field (void)
{
  gsize len = 1024 * 1024;
  g_autofree char *big = g_malloc (len + 1);
  g_autoptr(GString) text = g_string_new ("id,text\n");
  g_autoptr(GString) quoted = g_string_new (NULL);
  g_autoptr(IhCsvReader) reader = NULL;

  for (gsize i = 0; i < len; i++)
    big[i] = 'a' + i % 26;
  big[len] = '\0';

  g_string_append_printf (text, "1,%s\n", big);

  /* And once quoted, with quotes and line breaks spread through it */
  for (gsize i = 0; i < len; i += 1000)
    big[i] = i % 3000 == 0 ? '"' : '\n';
  g_string_append (text, "2,\"");
  for (const char *p = big; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (text, '"');
      g_string_append_c (text, *p);
    }
  g_string_append (text, "\"\n3,end\n");

  reader = reader_for_len (text->str, text->len);
  assert_row (reader, 1, "id", "text", NULL);

  for (gsize i = 0; i < len; i += 1000)
    big[i] = 'a' + i % 26;
  assert_row (reader, 2, "1", big, NULL);

  for (gsize i = 0; i < len; i += 1000)
    big[i] = i % 3000 == 0 ? '"' : '\n';
  assert_row (reader, 3, "2", big, NULL);

  /* 699 of the 1049 marks are line breaks, the rest quotes */
  assert_row (reader, 3 + 699 + 1, "3", "end", NULL);
  assert_end (reader);
}

static void
test_read_many_fields (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(IhCsvReader) reader = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 20000;

  for (guint row = 0; row < 2; row++)
    {
      for (guint i = 0; i < n; i++)
        g_string_append_printf (text, i == 0 ? "%u" : ",%u", i * (row + 1));
      g_string_append (text, "\r\n");
    }

  reader = reader_for_len (text->str, text->len);

  for (guint row = 0; row < 2; row++)
    {
      g_clear_pointer (&fields, g_ptr_array_unref);
      g_assert_cmpint (ih_csv_reader_next (reader, &fields, &error), ==, IH_CSV_ROW);
      g_assert_no_error (error);
      g_assert_cmpuint (fields->len, ==, n);
      for (guint i = 0; i < n; i++)
        {
          char expected[16];

          g_snprintf (expected, sizeof expected, "%u", i * (row + 1));
          g_assert_cmpstr (g_ptr_array_index (fields, i), ==, expected);
        }
    }

  assert_end (reader);
}

static char *
isolated_path (const char *name)
{
  const char *dir = g_get_user_data_dir ();

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return g_build_filename (dir, name, NULL);
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
test_file_read (void)
{
  g_autofree char *path = isolated_path ("excel.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(IhCsvReader) reader = NULL;

  /* What Excel on Windows writes in a European locale */
  write_file (path,
              "\xEF\xBB\xBFR\xC3\xA9" "f\xC3\xA9rence;Commentaire;Note\r\n"
              "1;\"Tr\xC3\xA8s bien; merci\";4,5\r\n"
              "2;\"Ligne un\nLigne deux\";3\r\n"
              "3;;\r\n");

  reader = ih_csv_reader_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reader);

  g_assert_cmpint (ih_csv_reader_get_delimiter (reader), ==, ';');
  assert_row (reader, 1, "Référence", "Commentaire", "Note", NULL);
  assert_row (reader, 2, "1", "Très bien; merci", "4,5", NULL);
  assert_row (reader, 3, "2", "Ligne un\nLigne deux", "3", NULL);
  assert_row (reader, 5, "3", "", "", NULL);
  assert_end (reader);
}

static void
test_file_empty (void)
{
  g_autofree char *path = isolated_path ("empty.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(IhCsvReader) reader = NULL;

  write_file (path, "");

  reader = ih_csv_reader_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reader);
  g_assert_cmpuint (ih_csv_reader_get_size (reader), ==, 0);
  assert_end (reader);
}

static void
test_file_missing (void)
{
  g_autofree char *path = isolated_path ("does-not-exist.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(IhCsvReader) reader = NULL;

  reader = ih_csv_reader_new_from_file (path, &error);
  g_assert_null (reader);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "does-not-exist.csv"));
}

static void
test_file_bad_encoding (void)
{
  g_autofree char *path = isolated_path ("latin1.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(IhCsvReader) reader = NULL;

  write_file (path, "a\nb\n\xA3" "10\n");

  reader = ih_csv_reader_new_from_file (path, &error);
  g_assert_null (reader);
  g_assert_error (error, IH_CSV_ERROR, IH_CSV_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "Line 3 "));
}

static void
test_write_quoting (void)
{
  const char *fields[] = {
    "plain", "with,comma", "with \"quote\"", "two\r\nlines", "lf\nonly",
    " leading", "trailing ", "", NULL, "emoji 😀", "semi;colon",
  };
  const char *single_empty[] = { "" };
  g_autoptr(GString) out = g_string_new (NULL);

  ih_csv_append_row (out, fields, G_N_ELEMENTS (fields));
  g_assert_cmpstr (out->str, ==,
                   "plain,\"with,comma\",\"with \"\"quote\"\"\",\"two\r\nlines\",\"lf\nonly\","
                   "\" leading\",\"trailing \",,,emoji 😀,semi;colon\r\n");

  g_string_truncate (out, 0);
  ih_csv_append_row (out, single_empty, 1);
  g_assert_cmpstr (out->str, ==, "\"\"\r\n");
}

static void
test_write_round_trip (void)
{
  const char *rows[][6] = {
    { "title", "notes", "emoji", "empty", "spaces", "quotes" },
    { "A, B and C", "\"quoted\" start", "😀👍🏽", "", "  both  ", "\"" },
    { "line\r\nbreak", "lf\nonly", "cr\ronly", "", "\t", "\"\"\"\"" },
    { ",", "\"", "a\"b\"c", "trailing,", " ", "end\r\n" },
    { "", "", "", "", "", "" },
  };
  const char *one_empty[] = { "" };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(IhCsvReader) reader = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    ih_csv_append_row (out, rows[i], G_N_ELEMENTS (rows[i]));
  ih_csv_append_row (out, one_empty, 1);

  reader = reader_for_len (out->str, out->len);
  g_assert_cmpint (ih_csv_reader_get_delimiter (reader), ==, ',');

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GPtrArray) fields = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (ih_csv_reader_next (reader, &fields, &error), ==, IH_CSV_ROW);
      g_assert_no_error (error);
      g_assert_cmpuint (fields->len, ==, G_N_ELEMENTS (rows[i]));
      for (guint j = 0; j < fields->len; j++)
        g_assert_cmpstr (g_ptr_array_index (fields, j), ==, rows[i][j]);
    }

  assert_row (reader, 10, "", NULL);
  assert_end (reader);
}

static const char * const known_fields[] = { "text", "date", "sentiment", NULL };

static GHashTable *
read_mapping (const char  *contents,
              GError     **error)
{
  g_autofree char *path = isolated_path ("mapping.csv");

  write_file (path, contents);
  return ih_csv_read_mapping (path, known_fields, error);
}

static void
assert_mapping_error (const char *contents,
                      const char *part1,
                      const char *part2)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) mapping = read_mapping (contents, &error);

  g_assert_null (mapping);
  g_assert_error (error, IH_CSV_ERROR, IH_CSV_ERROR_MAPPING);
  g_assert_nonnull (strstr (error->message, "mapping.csv"));
  if (strstr (error->message, part1) == NULL ||
      (part2 != NULL && strstr (error->message, part2) == NULL))
    g_error ("unexpected message: %s", error->message);
}

static void
test_mapping_good (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) mapping = NULL;

  mapping = read_mapping ("\xEF\xBB\xBF" "Column,FIELD\r\n"
                          "What did you tell us?,text\r\n"
                          "\"When, roughly\",date\r\n"
                          "Mood , sentiment \r\n"
                          "\r\n"
                          "Comments,text\r\n",
                          &error);
  g_assert_no_error (error);
  g_assert_nonnull (mapping);
  g_assert_cmpuint (g_hash_table_size (mapping), ==, 4);
  g_assert_cmpstr (g_hash_table_lookup (mapping, "What did you tell us?"), ==, "text");
  g_assert_cmpstr (g_hash_table_lookup (mapping, "When, roughly"), ==, "date");
  /* the column is kept as written, the field name is trimmed */
  g_assert_cmpstr (g_hash_table_lookup (mapping, "Mood "), ==, "sentiment");
  g_assert_cmpstr (g_hash_table_lookup (mapping, "Comments"), ==, "text");
}

static void
test_mapping_semicolon (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) mapping = read_mapping ("column;field\nBemerkung;text\n", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (mapping), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (mapping, "Bemerkung"), ==, "text");
}

static void
test_mapping_header_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) mapping = read_mapping ("column,field\n", &error);

  g_assert_no_error (error);
  g_assert_nonnull (mapping);
  g_assert_cmpuint (g_hash_table_size (mapping), ==, 0);
}

static void
test_mapping_unknown_field (void)
{
  assert_mapping_error ("column,field\nA,text\nB,colour\n",
                        "line 3: unknown field “colour”",
                        "text, date, sentiment");
}

static void
test_mapping_missing_header (void)
{
  assert_mapping_error ("", "empty", "“column,field”");
  assert_mapping_error ("\n\n", "empty", NULL);
  assert_mapping_error ("A,text\nB,date\n", "line 1:", "“column,field”");
  assert_mapping_error ("\ncolumn,field,extra\n", "line 2:", "“column,field”");
}

static void
test_mapping_field_count (void)
{
  assert_mapping_error ("column,field\nA,text,extra\n", "line 2 has 3 values", NULL);
  assert_mapping_error ("column,field\nA,text\n\nB\n", "line 4 has 1 value;", NULL);
}

static void
test_mapping_duplicate (void)
{
  assert_mapping_error ("column,field\nA,text\nB,date\nA,sentiment\n",
                        "line 4: the column “A” is mapped twice (first on line 2)",
                        NULL);
}

static void
test_mapping_empty_column (void)
{
  assert_mapping_error ("column,field\n,text\n", "line 2: the column name is empty", NULL);
}

static void
test_mapping_bad_row (void)
{
  assert_mapping_error ("column,field\nA\"b,text\n", "line 2: a quote character", NULL);
}

static void
test_mapping_bad_encoding (void)
{
  assert_mapping_error ("column,field\nCaf\xE9,text\n", "Line 2 ", NULL);
}

static void
test_mapping_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) mapping = NULL;
  g_autofree char *path = isolated_path ("no-mapping.csv");

  mapping = ih_csv_read_mapping (path, known_fields, &error);
  g_assert_null (mapping);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "no-mapping.csv"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/csv/read/simple", test_read_simple);
  g_test_add_func ("/csv/read/empty-fields", test_read_empty_fields);
  g_test_add_func ("/csv/read/quoted-comma", test_read_quoted_comma);
  g_test_add_func ("/csv/read/quoted-newline", test_read_quoted_newline);
  g_test_add_func ("/csv/read/crlf", test_read_crlf);
  g_test_add_func ("/csv/read/lf", test_read_lf);
  g_test_add_func ("/csv/read/cr", test_read_cr);
  g_test_add_func ("/csv/read/mixed-endings", test_read_mixed_endings);
  g_test_add_func ("/csv/read/bom", test_read_bom);
  g_test_add_func ("/csv/read/blank-lines", test_read_blank_lines);
  g_test_add_func ("/csv/read/no-trailing-newline", test_read_no_trailing_newline);
  g_test_add_func ("/csv/read/empty", test_read_empty);
  g_test_add_func ("/csv/read/only-blank", test_read_only_blank);
  g_test_add_func ("/csv/read/header-only", test_read_header_only);
  g_test_add_func ("/csv/read/offset", test_read_offset);
  g_test_add_func ("/csv/read/long-field", test_read_long_field);
  g_test_add_func ("/csv/read/many-fields", test_read_many_fields);
  g_test_add_func ("/csv/delimiter/semicolon", test_delimiter_semicolon);
  g_test_add_func ("/csv/delimiter/tab", test_delimiter_tab);
  g_test_add_func ("/csv/delimiter/comma-wins", test_delimiter_comma_wins);
  g_test_add_func ("/csv/delimiter/quoted", test_delimiter_quoted);
  g_test_add_func ("/csv/encoding/utf16", test_encoding_utf16);
  g_test_add_func ("/csv/encoding/utf32", test_encoding_utf32);
  g_test_add_func ("/csv/encoding/nul", test_encoding_nul);
  g_test_add_func ("/csv/encoding/invalid-utf8", test_encoding_invalid_utf8);
  g_test_add_func ("/csv/encoding/valid-utf8", test_encoding_valid_utf8);
  g_test_add_func ("/csv/bad/stray-quote", test_bad_stray_quote);
  g_test_add_func ("/csv/bad/stray-quote-after-multiline", test_bad_stray_quote_after_multiline);
  g_test_add_func ("/csv/bad/junk-after-quote", test_bad_junk_after_quote);
  g_test_add_func ("/csv/bad/unterminated", test_bad_unterminated);
  g_test_add_func ("/csv/bad/unterminated-field-line", test_bad_unterminated_field_line);
  g_test_add_func ("/csv/file/read", test_file_read);
  g_test_add_func ("/csv/file/empty", test_file_empty);
  g_test_add_func ("/csv/file/missing", test_file_missing);
  g_test_add_func ("/csv/file/bad-encoding", test_file_bad_encoding);
  g_test_add_func ("/csv/write/quoting", test_write_quoting);
  g_test_add_func ("/csv/write/round-trip", test_write_round_trip);
  g_test_add_func ("/csv/mapping/good", test_mapping_good);
  g_test_add_func ("/csv/mapping/semicolon", test_mapping_semicolon);
  g_test_add_func ("/csv/mapping/header-only", test_mapping_header_only);
  g_test_add_func ("/csv/mapping/unknown-field", test_mapping_unknown_field);
  g_test_add_func ("/csv/mapping/missing-header", test_mapping_missing_header);
  g_test_add_func ("/csv/mapping/field-count", test_mapping_field_count);
  g_test_add_func ("/csv/mapping/duplicate", test_mapping_duplicate);
  g_test_add_func ("/csv/mapping/empty-column", test_mapping_empty_column);
  g_test_add_func ("/csv/mapping/bad-row", test_mapping_bad_row);
  g_test_add_func ("/csv/mapping/bad-encoding", test_mapping_bad_encoding);
  g_test_add_func ("/csv/mapping/missing-file", test_mapping_missing_file);

  return g_test_run ();
}
