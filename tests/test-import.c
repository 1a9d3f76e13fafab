/* test-import.c — CSV import of feedback: columns, refused rows, encodings,
 * re-imports, mapping files, export round trips and progress
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ih-csv.h"
#include "ih-import.h"
#include "ih-store-private.h"

/*
 * Helpers
 */

static char *
temp_path (const char *name)
{
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

static IhStore *
new_store (const char *name)
{
  g_autofree char *path = temp_path (name);
  g_autoptr(GError) error = NULL;
  IhStore *store = ih_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* Writes @len bytes (-1: a string) to a new file in the test's data dir */
static char *
write_temp (const char *name,
            const char *data,
            gssize      len)
{
  g_autofree char *path = temp_path (name);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "import", name, NULL);
}

static char *
read_fixture (const char *name)
{
  g_autofree char *path = fixture (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static IhImportReport *
import_ok (IhStore    *store,
           const char *path,
           const char *mapping)
{
  g_autoptr(GError) error = NULL;
  IhImportReport *report = NULL;

  g_assert_true (ih_import_csv (store, path, mapping, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_nonnull (report->problems);
  g_assert_nonnull (report->notes);
  g_assert_cmpuint (report->problems->len, ==, report->refused);
  g_assert_cmpuint (report->rows, ==,
                    report->added + report->updated + report->unchanged + report->refused);
  return report;
}

static gint64
n_insight (IhStore *store)
{
  return ih_store_count (store, &ih_insight_class);
}

static gint64
n_activities (IhStore *store)
{
  return ih_store_count (store, &ih_activity_class);
}

static gint64
n_themes (IhStore *store)
{
  return ih_store_count (store, &ih_theme_class);
}

static void
assert_problem (IhImportReport *report,
                guint           index,
                guint           line,
                const char     *part)
{
  g_autofree char *prefix = g_strdup_printf ("line %u: ", line);
  const char *problem;

  g_assert_cmpuint (index, <, report->problems->len);
  problem = g_ptr_array_index (report->problems, index);
  if (!g_str_has_prefix (problem, prefix) || strstr (problem, part) == NULL)
    g_error ("problem %u is “%s”; expected “%s…%s…”", index, problem, prefix, part);
}

static gboolean
has_note_naming (IhImportReport *report,
                 const char     *column)
{
  for (guint i = 0; i < report->notes->len; i++)
    if (strstr (g_ptr_array_index (report->notes, i), column) != NULL)
      return TRUE;
  return FALSE;
}

/* The one live insight the search @words finds */
static IhInsight *
find_insight (IhStore    *store,
              const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhSearch) search = ih_search_new (store, words, IH_QUERY_FLAG_NONE, &error);
  g_autoptr(GPtrArray) hits = NULL;
  IhInsight *insight;

  g_assert_no_error (error);
  hits = ih_search_fetch (search, 0, 10, &error);
  g_assert_no_error (error);
  if (hits->len != 1)
    g_error ("“%s” finds %u insight, expected 1", words, hits->len);

  insight = ih_store_load (store, &ih_insight_class, ((IhHit *) g_ptr_array_index (hits, 0))->id, &error);
  g_assert_no_error (error);
  return insight;
}

static IhActivity *
load_activity (IhStore    *store,
               const char *id)
{
  g_autoptr(GError) error = NULL;
  IhActivity *activity;

  g_assert_nonnull (id);
  activity = ih_store_load (store, &ih_activity_class, id, &error);
  g_assert_no_error (error);
  return activity;
}

static GBytes *
export_csv (IhStore  *store,
            IhSearch *search,
            gint64   *n_rows)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  gint64 rows;

  rows = ih_export_csv (store, search, out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rows, >=, 0);
  g_assert_true (g_output_stream_close (out, NULL, &error));
  g_assert_no_error (error);
  if (n_rows)
    *n_rows = rows;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* The data lines of an export, header dropped; records with embedded line
 * breaks are parsed properly */
static GPtrArray *
export_records (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhCsvReader) reader = ih_csv_reader_new_from_bytes (bytes, &error);
  g_autoptr(GPtrArray) header = NULL;
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (ih_csv_reader_next (reader, &header, &error), ==, IH_CSV_ROW);
  g_assert_cmpuint (header->len, ==, g_strv_length ((char **) ih_import_fields ()));
  while (ih_csv_reader_next (reader, &row, &error) == IH_CSV_ROW)
    {
      g_assert_cmpuint (row->len, ==, header->len);
      g_ptr_array_add (records, row);
    }
  g_assert_no_error (error);
  return records;
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return g_strstr_len (data, len, needle) != NULL;
}

/*
 * 1. A good file
 */

static void
test_good_file (void)
{
  g_autoptr(IhStore) store = new_store ("good.db");
  g_autofree char *path = fixture ("good.csv");
  g_autoptr(IhImportReport) report = import_ok (store, path, NULL);
  g_autoptr(IhInsight) first = NULL;
  g_autoptr(IhInsight) second = NULL;
  g_autoptr(IhInsight) fourth = NULL;
  g_autoptr(IhInsight) fifth = NULL;
  g_autoptr(IhActivity) workshop = NULL;
  g_autoptr(IhActivity) later = NULL;
  g_autoptr(IhActivity) webinar = NULL;
  g_autofree char *transport = NULL;
  g_autofree char *access = NULL;
  g_autofree char *waiting = NULL;

  g_assert_cmpuint (report->rows, ==, 5);
  g_assert_cmpuint (report->added, ==, 5);
  g_assert_cmpuint (report->updated, ==, 0);
  g_assert_cmpuint (report->unchanged, ==, 0);
  g_assert_cmpuint (report->refused, ==, 0);
  g_assert_false (report->stopped);
  /* Every column is understood */
  g_assert_cmpuint (report->notes->len, ==, 0);

  /* Stroud workshop on 4 May (two rows, title in different case), Stroud
   * workshop on 12 September, Cheltenham drop-in, the webinar */
  g_assert_cmpuint (report->activities_added, ==, 4);
  g_assert_cmpint (n_activities (store), ==, 4);
  /* "Transport" and "transport" are one theme */
  g_assert_cmpuint (report->themes_added, ==, 3);
  g_assert_cmpint (n_themes (store), ==, 3);
  g_assert_cmpint (n_insight (store), ==, 5);

  transport = ih_store_find_theme (store, "Transport");
  access = ih_store_find_theme (store, "Access to services");
  waiting = ih_store_find_theme (store, "Waiting times");
  g_assert_nonnull (transport);
  g_assert_nonnull (access);
  g_assert_nonnull (waiting);

  /* Every field of the first row, normalised */
  first = find_insight (store, "scan");
  g_assert_cmpstr (first->text, ==,
                   "The bus to Gloucestershire Royal only runs twice a day, so I missed my scan.");
  g_assert_cmpstr (first->kind, ==, "quote");
  g_assert_cmpstr (first->date, ==, "2023-05-04");
  g_assert_cmpstr (first->sentiment, ==, "negative");
  g_assert_cmpstr (first->consent, ==, "may-quote");
  g_assert_false (first->restricted);
  g_assert_cmpstr (first->status, ==, "recorded");
  g_assert_cmpstr (first->parent.author, ==, "Priya Shah");
  g_assert_cmpstr (first->age_band, ==, "25-34");
  g_assert_cmpstr (first->sex, ==, "female");
  g_assert_cmpstr (first->ethnic_group, ==, "white");
  g_assert_cmpstr (first->disability, ==, "no");
  /* A full postcode is never stored: only its district */
  g_assert_cmpstr (first->postcode_district, ==, "GL1");
  g_assert_cmpuint (g_strv_length (first->theme_ids), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) first->theme_ids, transport));
  g_assert_true (g_strv_contains ((const char * const *) first->theme_ids, access));

  workshop = load_activity (store, first->activity_id);
  g_assert_cmpstr (workshop->title, ==, "Stroud maternity workshop");
  g_assert_cmpstr (workshop->kind, ==, "workshop");
  g_assert_cmpstr (workshop->start_date, ==, "2023-05-04");
  g_assert_cmpstr (workshop->ics, ==, "Gloucestershire");
  g_assert_cmpstr (workshop->place, ==, "Stroud");
  g_assert_cmpstr (workshop->locality, ==, "Stroud town");

  /* Same title and date: the same activity */
  second = find_insight (store, "midwives");
  g_assert_cmpstr (second->activity_id, ==, first->activity_id);
  g_assert_true (second->restricted);
  g_assert_cmpstr (second->consent, ==, "anonymised-only");
  g_assert_cmpstr (second->status, ==, "reviewed");
  g_assert_cmpstr (second->age_band, ==, "35-44");
  g_assert_cmpstr (second->disability, ==, "prefer-not-to-say");
  /* "gl52ab", written without its space */
  g_assert_cmpstr (second->postcode_district, ==, "GL5");
  g_assert_cmpstrv (second->theme_ids, ((const char * const []) { transport, NULL }));

  /* Same title on another date: another activity */
  fourth = find_insight (store, "antenatal");
  g_assert_cmpstr (fourth->activity_id, !=, first->activity_id);
  later = load_activity (store, fourth->activity_id);
  g_assert_cmpstr (later->title, ==, "Stroud maternity workshop");
  g_assert_cmpstr (later->start_date, ==, "2023-09-12");
  g_assert_null (later->locality);
  g_assert_null (fourth->age_band);
  g_assert_null (fourth->postcode_district);
  g_assert_cmpuint (g_strv_length (fourth->theme_ids), ==, 2);

  /* An activity_id not yet in the store is created with that id */
  fifth = find_insight (store, "slides");
  g_assert_cmpstr (fifth->activity_id, ==, "6f1c2a58-3b7e-4d2a-9c1e-2f3a4b5c6d7e");
  g_assert_null (fifth->theme_ids);
  g_assert_cmpstr (fifth->kind, ==, "question");
  g_assert_cmpstr (fifth->sex, ==, "other");
  webinar = load_activity (store, fifth->activity_id);
  g_assert_cmpstr (webinar->title, ==, "Online maternity webinar");
  g_assert_cmpstr (webinar->kind, ==, "webinar");
}

static void
test_header_synonyms (void)
{
  g_autoptr(IhStore) store = new_store ("synonyms.db");
  g_autofree char *path = fixture ("survey.csv");
  g_autoptr(IhImportReport) report = import_ok (store, path, NULL);
  g_autoptr(IhInsight) parking = NULL;
  g_autoptr(IhInsight) pharmacy = NULL;
  g_autoptr(IhActivity) event = NULL;
  g_autofree char *parking_theme = NULL;

  g_assert_cmpuint (report->rows, ==, 4);
  g_assert_cmpuint (report->added, ==, 4);
  g_assert_cmpuint (report->refused, ==, 0);
  /* One event, written in two cases, on one date */
  g_assert_cmpuint (report->activities_added, ==, 1);
  g_assert_cmpint (n_activities (store), ==, 1);
  /* "Parking" and "parking" are one theme; "Pharmacy" the other */
  g_assert_cmpuint (report->themes_added, ==, 2);
  g_assert_cmpint (n_themes (store), ==, 2);
  /* Two people who both said "No" at the same event are two answers */
  g_assert_cmpint (n_insight (store), ==, 4);

  /* The unknown column is reported and otherwise ignored */
  g_assert_cmpuint (report->notes->len, ==, 1);
  g_assert_true (has_note_naming (report, "Respondent mood"));

  parking = find_insight (store, "hospital");
  g_assert_cmpstr (parking->text, ==, "Parking at the hospital is impossible on weekdays.");
  g_assert_cmpstr (parking->sex, ==, "female");
  g_assert_cmpstr (parking->age_band, ==, "25-34");
  g_assert_cmpstr (parking->postcode_district, ==, "GL1");
  parking_theme = ih_store_find_theme (store, "parking");
  g_assert_cmpstrv (parking->theme_ids, ((const char * const []) { parking_theme, NULL }));

  event = load_activity (store, parking->activity_id);
  g_assert_cmpstr (event->title, ==, "Cheltenham listening event");
  g_assert_cmpstr (event->start_date, ==, "2024-03-12");

  pharmacy = find_insight (store, "pharmacy");
  g_assert_cmpstr (pharmacy->activity_id, ==, parking->activity_id);
  g_assert_cmpstr (pharmacy->sex, ==, "prefer-not-to-say");
  g_assert_cmpstr (pharmacy->age_band, ==, "45-54");
  g_assert_null (pharmacy->postcode_district);
  g_assert_cmpuint (g_strv_length (pharmacy->theme_ids), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) pharmacy->theme_ids, parking_theme));
}

/* Theme names match whatever their case, across imports too */
static void
test_theme_case (void)
{
  g_autoptr(IhStore) store = new_store ("theme-case.db");
  g_autoptr(IhTheme) made_in_app = ih_theme_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *first = write_temp ("themes-1.csv",
                                       "text,themes\n"
                                       "Lovely café by the clinic,Café culture; Transport\n", -1);
  g_autofree char *second = write_temp ("themes-2.csv",
                                        "text,themes\n"
                                        "The bus never comes,TRANSPORT; Ward food\n"
                                        "No café at all,CAFÉ CULTURE; ward food\n"
                                        "The sandwiches were stale,élan VITAL\n", -1);
  g_autoptr(IhImportReport) a = NULL;
  g_autoptr(IhImportReport) b = NULL;
  g_autoptr(IhTheme) cafe = NULL;
  g_autoptr(IhInsight) bus = NULL;
  g_autoptr(IhInsight) no_cafe = NULL;
  g_autofree char *cafe_id = NULL;
  g_autofree char *transport_id = NULL;
  g_autofree char *ward_id = NULL;

  /* A theme made in the app, not by an import */
  made_in_app->name = g_strdup ("Élan vital");
  g_assert_true (ih_store_save (store, made_in_app, &error));
  g_assert_no_error (error);

  a = import_ok (store, first, NULL);
  g_assert_cmpuint (a->themes_added, ==, 2);
  g_assert_cmpint (n_themes (store), ==, 3);
  cafe_id = ih_store_find_theme (store, "Café culture");
  g_assert_nonnull (cafe_id);
  transport_id = ih_store_find_theme (store, "transport");
  g_assert_nonnull (transport_id);

  b = import_ok (store, second, NULL);
  g_assert_cmpuint (b->added, ==, 3);
  /* ASCII names in another case: the same theme, in the file and across files */
  ward_id = ih_store_find_theme (store, "ward food");
  g_assert_nonnull (ward_id);
  bus = find_insight (store, "bus");
  g_assert_cmpuint (g_strv_length (bus->theme_ids), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) bus->theme_ids, transport_id));
  g_assert_true (g_strv_contains ((const char * const *) bus->theme_ids, ward_id));
  no_cafe = find_insight (store, "\"at all\"");
  g_assert_true (g_strv_contains ((const char * const *) no_cafe->theme_ids, ward_id));

  cafe = ih_store_load (store, &ih_theme_class, cafe_id, &error);
  g_assert_no_error (error);
  g_test_message ("second import: themes_added %" G_GUINT64_FORMAT ", %" G_GINT64_FORMAT
                  " themes stored, first theme now named “%s”",
                  b->themes_added, n_themes (store), cafe->name);
  /* Non-ASCII names match in any case, and the stored names are kept */
  g_assert_cmpuint (b->themes_added, ==, 1);
  g_assert_cmpint (n_themes (store), ==, 4);
  g_assert_cmpstr (cafe->name, ==, "Café culture");
}

/* One event written with its date as 2023-05-04 on one row, 04/05/2023 on
 * another and with a trailing space after its title on a third is one
 * activity */
static void
test_activity_key_normalised (void)
{
  g_autoptr(IhStore) store = new_store ("activity-key.db");
  g_autofree char *path = write_temp ("activity-key.csv",
                                      "text,activity,activity_date\n"
                                      "The room was too hot,Stroud maternity workshop,2023-05-04\n"
                                      "Nobody told us about the car park,Stroud maternity workshop,04/05/2023\n"
                                      "The tea was cold,\"Stroud maternity workshop \",2023-05-04\n",
                                      -1);
  g_autoptr(IhImportReport) report = import_ok (store, path, NULL);

  g_assert_cmpuint (report->added, ==, 3);
  g_test_message ("activities: %" G_GINT64_FORMAT " stored, %" G_GUINT64_FORMAT " added",
                  n_activities (store), report->activities_added);
  g_assert_cmpint (n_activities (store), ==, 1);
  g_assert_cmpuint (report->activities_added, ==, 1);
}

/*
 * 2. Whole-file problems
 */

typedef struct
{
  const char *name;
  const char *data;
  gsize       len;
} BadFile;

static void
assert_store_as_before (IhStore *store)
{
  /* The store holds what the setup imported, nothing more */
  g_assert_cmpint (n_insight (store), ==, 1);
  g_assert_cmpint (n_activities (store), ==, 1);
  g_assert_cmpint (n_themes (store), ==, 1);
}

static GError *
import_fails (IhStore    *store,
              const char *path)
{
  IhImportReport *report = NULL;
  GError *error = NULL;

  g_assert_false (ih_import_csv (store, path, NULL, NULL, NULL, &report, &error));
  g_assert_nonnull (error);
  g_assert_null (report);
  assert_store_as_before (store);
  return error;
}

static void
test_malformed_files (void)
{
  g_autoptr(IhStore) store = new_store ("malformed.db");
  g_autofree char *setup = write_temp ("setup.csv",
                                       "text,activity,themes\n"
                                       "Already here,Earlier event,Earlier theme\n", -1);
  g_autoptr(IhImportReport) setup_report = import_ok (store, setup, NULL);
  /* "text,place\nGood row,Stroud\n" in UTF-16 LE with its BOM */
  static const char utf16[] =
    "\xff\xfe" "t\0e\0x\0t\0,\0p\0l\0a\0c\0e\0\n\0"
    "G\0o\0o\0d\0 \0r\0o\0w\0,\0S\0t\0r\0o\0u\0d\0\n\0";

  g_assert_cmpuint (setup_report->added, ==, 1);
  assert_store_as_before (store);

  /* UTF-16 */
  {
    g_autofree char *path = write_temp ("utf16.csv", utf16, sizeof utf16 - 1);
    g_autoptr(GError) error = import_fails (store, path);

    g_assert_error (error, IH_CSV_ERROR, IH_CSV_ERROR_ENCODING);
    g_assert_nonnull (strstr (error->message, "UTF-16"));
    g_assert_nonnull (strstr (error->message, "UTF-8"));
  }

  /* Windows-1252: "café" with é as the single byte 0xE9, on line 3 */
  {
    g_autofree char *path = write_temp ("cp1252.csv",
                                        "text,place\n"
                                        "The clinic was fine,Stroud\n"
                                        "The caf\xe9 was closed,Stroud\n"
                                        "Parking was easy,Stroud\n", -1);
    g_autoptr(GError) error = import_fails (store, path);

    g_assert_error (error, IH_CSV_ERROR, IH_CSV_ERROR_ENCODING);
    g_assert_nonnull (strstr (error->message, "Line 3 "));
    g_assert_nonnull (strstr (error->message, "Windows-1252"));
  }

  /* A NUL byte on line 2 */
  {
    static const char nul[] = "text,place\nab\0cd,Stroud\n";
    g_autofree char *path = write_temp ("nul.csv", nul, sizeof nul - 1);
    g_autoptr(GError) error = import_fails (store, path);

    g_assert_error (error, IH_CSV_ERROR, IH_CSV_ERROR_ENCODING);
    g_assert_nonnull (strstr (error->message, "NUL"));
    g_assert_nonnull (strstr (error->message, "line 2"));
  }

  /* Empty, and only blank lines */
  {
    g_autofree char *path = write_temp ("empty.csv", "", 0);
    g_autoptr(GError) error = import_fails (store, path);

    g_assert_error (error, IH_IMPORT_ERROR, IH_IMPORT_ERROR_NO_HEADER);
    g_assert_nonnull (strstr (error->message, path));
    g_assert_nonnull (strstr (error->message, "header"));
  }
  {
    g_autofree char *path = write_temp ("blank.csv", "\r\n\n\n", -1);
    g_autoptr(GError) error = import_fails (store, path);

    g_assert_error (error, IH_IMPORT_ERROR, IH_IMPORT_ERROR_NO_HEADER);
  }

  /* A header row cannot be read */
  {
    g_autofree char *path = write_temp ("bad-header.csv", "text,\"place\n", -1);
    g_autoptr(GError) error = import_fails (store, path);

    g_assert_error (error, IH_IMPORT_ERROR, IH_IMPORT_ERROR_NO_HEADER);
    g_assert_nonnull (strstr (error->message, "line 1"));
  }

  /* A header and nothing else: not an error, nothing imported */
  {
    g_autofree char *path = write_temp ("header-only.csv", "text,activity,themes\r\n", -1);
    g_autoptr(IhImportReport) report = import_ok (store, path, NULL);

    g_assert_cmpuint (report->rows, ==, 0);
    g_assert_cmpuint (report->added, ==, 0);
    g_assert_cmpuint (report->problems->len, ==, 0);
    assert_store_as_before (store);
  }

  /* No column holds the text */
  {
    g_autofree char *path = write_temp ("no-text.csv",
                                        "Event,Gender,Remarks\n"
                                        "Stroud fair,female,Lovely day\n", -1);
    g_autoptr(GError) error = import_fails (store, path);

    g_assert_error (error, IH_IMPORT_ERROR, IH_IMPORT_ERROR_NO_TEXT_COLUMN);
    g_assert_nonnull (strstr (error->message, path));
    /* The names understood are listed */
    for (const char * const *f = ih_import_fields (); *f; f++)
      g_assert_nonnull (strstr (error->message, *f));
    g_assert_nonnull (strstr (error->message, "comment"));
  }

  /* A file that is not there */
  {
    g_autofree char *path = temp_path ("not-there.csv");
    g_autoptr(GError) error = import_fails (store, path);

    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
    g_assert_nonnull (strstr (error->message, path));
  }
}

/*
 * 3. Bad rows among good ones
 */

static void
check_bad_rows (const char *name,
                const char *contents)
{
  g_autofree char *db = g_strconcat (name, ".db", NULL);
  g_autoptr(IhStore) store = new_store (db);
  g_autofree char *path = write_temp (name, contents, -1);
  g_autoptr(IhImportReport) report = import_ok (store, path, NULL);
  g_autoptr(IhInsight) spanning = NULL;
  guint i = 0;

  g_assert_cmpuint (report->rows, ==, 13);
  g_assert_cmpuint (report->added, ==, 3);
  g_assert_cmpuint (report->refused, ==, 10);
  g_assert_cmpint (n_insight (store), ==, 3);

  assert_problem (report, i++, 3, "9 fields but the header has 8");
  assert_problem (report, i++, 4, "no feedback text");
  /* The field is named once, in front */
  assert_problem (report, i++, 5, "date: “31/02/2023” is not a date (write it as");
  /* after the quoted field spanning lines 6 and 7 */
  assert_problem (report, i++, 8, "“angry” is not a known sentiment");
  assert_problem (report, i++, 9, "“perhaps” is not a known consent");
  assert_problem (report, i++, 10, "activity_kind: “picnic” is not a known kind");
  assert_problem (report, i++, 11, "a quote character inside a field");
  assert_problem (report, i++, 12, "text after the closing quote");
  assert_problem (report, i++, 13, "activity_id: “not-a-uuid” is not a valid id");
  assert_problem (report, i++, 15, "a quoted field is never closed (it starts on line 15)");

  /* Refused rows leave no activity or theme behind: only the good rows'
   * Tewkesbury drop-in and Winchcombe coffee morning, Access and Loneliness */
  g_assert_cmpuint (report->activities_added, ==, 2);
  g_assert_cmpint (n_activities (store), ==, 2);
  g_assert_cmpuint (report->themes_added, ==, 2);
  g_assert_cmpint (n_themes (store), ==, 2);
  g_assert_null (ih_store_find_theme (store, "Anger"));
  g_assert_null (ih_store_find_theme (store, "Picnics"));
  g_assert_null (ih_store_find_theme (store, "Orphans"));
  g_assert_null (ih_store_find_theme (store, "Calendars"));

  spanning = find_insight (store, "spans");
  g_assert_true (g_str_has_prefix (spanning->text, "A quoted field, with a comma"));
  g_assert_true (g_str_has_suffix (spanning->text, "that spans two lines"));
  g_assert_nonnull (strchr (spanning->text, '\n'));
  g_clear_pointer (&spanning, ih_record_free);
  spanning = find_insight (store, "first");
  g_clear_pointer (&spanning, ih_record_free);
  spanning = find_insight (store, "last");
}

static void
test_bad_rows (void)
{
  g_autofree char *contents = read_fixture ("bad-rows.csv");
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  g_autofree char *crlf = g_strjoinv ("\r\n", lines);

  check_bad_rows ("bad-rows.csv", contents);
  /* The same with Windows line ends, inside the quoted field too */
  g_assert_nonnull (strstr (crlf, "comma\r\nthat"));
  check_bad_rows ("bad-rows-crlf.csv", crlf);
}

/* A row refused after its new activity and theme were written leaves them
 * neither in the store nor in the counts, and later rows naming the same
 * activity and theme still create them */
static void
test_refused_row_leaves_nothing (void)
{
  g_autoptr(IhStore) store = new_store ("ghost.db");
  g_autofree char *path = write_temp ("ghost.csv",
                                      "text,activity,activity_date,themes\n"
                                      "\"   \",Ghost meeting,2024-04-01,Ghost theme\n"
                                      "Real words at last,Ghost meeting,2024-04-01,Ghost theme\n", -1);
  g_autoptr(IhImportReport) report = import_ok (store, path, NULL);

  for (guint i = 0; i < report->problems->len; i++)
    g_test_message ("%s", (const char *) g_ptr_array_index (report->problems, i));
  g_test_message ("added %" G_GUINT64_FORMAT ", activities_added %" G_GUINT64_FORMAT
                  ", themes_added %" G_GUINT64_FORMAT "; stored: %" G_GINT64_FORMAT " insight, %"
                  G_GINT64_FORMAT " activities, %" G_GINT64_FORMAT " themes",
                  report->added, report->activities_added, report->themes_added,
                  n_insight (store), n_activities (store), n_themes (store));

  g_assert_cmpuint (report->rows, ==, 2);
  g_assert_cmpuint (report->refused, >=, 1);
  assert_problem (report, 0, 2, "text");

  /* The refused row left nothing behind, in the store or in the counts */
  g_assert_cmpuint (report->added, ==, 1);
  g_assert_cmpuint (report->refused, ==, 1);
  g_assert_cmpint (n_insight (store), ==, 1);
  g_assert_cmpint (n_activities (store), ==, 1);
  g_assert_cmpint (n_themes (store), ==, 1);
  g_assert_cmpuint (report->activities_added, ==, 1);
  g_assert_cmpuint (report->themes_added, ==, 1);
}

/*
 * 4. The shapes of CSV met in the wild
 */

static void
test_csv_shapes (void)
{
  g_autoptr(IhStore) store = new_store ("shapes.db");
  /* UTF-8 BOM, CRLF, quoted delimiters, quotes and line breaks, short rows */
  g_autofree char *path = write_temp ("shapes.csv",
                                      "\xef\xbb\xbftext,sex,sentiment,age_band\r\n"
                                      "\"Parking, again, and again\",female,negative,25-34\r\n"
                                      "\"First line\r\nsecond line\",male,neutral\r\n"
                                      "Only the words\r\n"
                                      "\r\n"
                                      "\"He said \"\"thank you\"\", which was nice\",,positive,16-24\r\n", -1);
  g_autofree char *semi_path = write_temp ("semicolon.csv",
                                           "Comment;Event;Gender\n"
                                           "Buses, trains and taxis all late;Stroud fair;Female\n"
                                           "\"Quoted; with a semicolon\";Stroud fair;male\n", -1);
  g_autoptr(IhImportReport) report = import_ok (store, path, NULL);
  g_autoptr(IhImportReport) semi = NULL;
  g_autoptr(IhInsight) insight = NULL;

  g_assert_cmpuint (report->rows, ==, 4);
  g_assert_cmpuint (report->added, ==, 4);
  g_assert_cmpuint (report->refused, ==, 0);
  /* The BOM is not part of the first column's name */
  g_assert_cmpuint (report->notes->len, ==, 0);

  insight = find_insight (store, "parking");
  g_assert_cmpstr (insight->text, ==, "Parking, again, and again");
  g_assert_cmpstr (insight->sex, ==, "female");
  g_assert_cmpstr (insight->age_band, ==, "25-34");
  g_clear_pointer (&insight, ih_record_free);

  /* A short row: the missing cells are empty */
  insight = find_insight (store, "second");
  g_assert_true (g_str_has_prefix (insight->text, "First line"));
  g_assert_true (g_str_has_suffix (insight->text, "\nsecond line"));
  g_assert_cmpstr (insight->sex, ==, "male");
  g_assert_cmpstr (insight->sentiment, ==, "neutral");
  g_assert_null (insight->age_band);
  g_clear_pointer (&insight, ih_record_free);

  insight = find_insight (store, "only");
  g_assert_cmpstr (insight->text, ==, "Only the words");
  g_assert_null (insight->sex);
  g_assert_null (insight->sentiment);
  g_clear_pointer (&insight, ih_record_free);

  insight = find_insight (store, "nice");
  g_assert_cmpstr (insight->text, ==, "He said \"thank you\", which was nice");
  g_assert_null (insight->sex);
  g_assert_cmpstr (insight->sentiment, ==, "positive");
  g_clear_pointer (&insight, ih_record_free);

  /* Semicolons, as Excel writes CSV where the decimal mark is a comma */
  semi = import_ok (store, semi_path, NULL);
  g_assert_cmpuint (semi->added, ==, 2);
  g_assert_cmpuint (semi->activities_added, ==, 1);
  insight = find_insight (store, "taxis");
  g_assert_cmpstr (insight->text, ==, "Buses, trains and taxis all late");
  g_assert_cmpstr (insight->sex, ==, "female");
  g_clear_pointer (&insight, ih_record_free);
  insight = find_insight (store, "semicolon");
  g_assert_cmpstr (insight->text, ==, "Quoted; with a semicolon");
  g_assert_cmpint (n_insight (store), ==, 6);
}

/*
 * 5. Importing again
 */

static void
test_reimport_same_file (void)
{
  g_autoptr(IhStore) store = new_store ("reimport.db");
  const char *names[] = { "good.csv", "survey.csv" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = fixture (names[i]);
      g_autoptr(IhImportReport) first = import_ok (store, path, NULL);
      g_autoptr(IhImportReport) again = NULL;
      gint64 insight = n_insight (store);
      gint64 activities = n_activities (store);
      gint64 themes = n_themes (store);

      g_assert_cmpuint (first->added, ==, first->rows);

      again = import_ok (store, path, NULL);
      g_assert_cmpuint (again->rows, ==, first->rows);
      g_assert_cmpuint (again->unchanged, ==, first->rows);
      g_assert_cmpuint (again->added, ==, 0);
      g_assert_cmpuint (again->updated, ==, 0);
      g_assert_cmpuint (again->activities_added, ==, 0);
      g_assert_cmpuint (again->themes_added, ==, 0);
      g_assert_cmpint (n_insight (store), ==, insight);
      g_assert_cmpint (n_activities (store), ==, activities);
      g_assert_cmpint (n_themes (store), ==, themes);
    }

  /* good.csv's 5 and survey.csv's 4, of which two are the same "No" */
  g_assert_cmpint (n_insight (store), ==, 9);
}

static void
test_reimport_duplicate_rows (void)
{
  g_autoptr(IhStore) store = new_store ("duplicates.db");
  g_autofree char *path = write_temp ("duplicates.csv",
                                      "Comment,Event\n"
                                      "No,Gloucester health fair\n"
                                      "Yes,Gloucester health fair\n"
                                      "No,Gloucester health fair\n", -1);
  g_autoptr(IhImportReport) first = import_ok (store, path, NULL);
  g_autoptr(IhImportReport) again = NULL;

  g_assert_cmpuint (first->added, ==, 3);
  g_assert_cmpint (n_insight (store), ==, 3);

  again = import_ok (store, path, NULL);
  g_assert_cmpuint (again->added, ==, 0);
  g_assert_cmpuint (again->unchanged, ==, 3);
  g_assert_cmpint (n_insight (store), ==, 3);
}

static void
test_reimport_with_ids (void)
{
  g_autoptr(IhStore) store = new_store ("ids.db");
  g_autofree char *path = temp_path ("ids.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(IhImportReport) first = NULL;
  g_autoptr(IhImportReport) again = NULL;
  g_autoptr(IhImportReport) changed = NULL;
  g_autoptr(IhInsight) before = NULL;
  g_autoptr(IhInsight) after = NULL;
  g_autoptr(IhInsight) untouched = NULL;
  g_autofree char *untouched_id = NULL;

  g_file_set_contents (path,
                       "Response ID,Comment,Theme\n"
                       "R_1001,The ramp at the surgery is too steep.,Access\n"
                       "R_1002,Reception staff were rude on the phone.,Staff attitude\n"
                       "R_1003,I waited three hours in A&E.,Waiting times\n", -1, &error);
  g_assert_no_error (error);

  /* "Response ID" is not a name for id: noted, and content identifies rows */
  first = import_ok (store, path, NULL);
  g_assert_cmpuint (first->added, ==, 3);
  g_assert_true (has_note_naming (first, "Response ID"));
  g_clear_pointer (&first, ih_import_report_free);

  g_clear_object (&store);
  store = new_store ("ids2.db");
  g_file_set_contents (path,
                       "id,Comment,Theme\n"
                       "R_1001,The ramp at the surgery is too steep.,Access\n"
                       "R_1002,Reception staff were rude on the phone.,Staff attitude\n"
                       "R_1003,I waited three hours in A&E.,Waiting times\n", -1, &error);
  g_assert_no_error (error);

  first = import_ok (store, path, NULL);
  g_assert_cmpuint (first->added, ==, 3);
  g_assert_cmpuint (first->notes->len, ==, 0);
  before = find_insight (store, "rude");
  g_assert_true (g_uuid_string_is_valid (before->parent.id));
  untouched = find_insight (store, "ramp");
  untouched_id = g_strdup (untouched->parent.id);
  g_clear_pointer (&untouched, ih_record_free);

  again = import_ok (store, path, NULL);
  g_assert_cmpuint (again->unchanged, ==, 3);
  g_assert_cmpuint (again->added, ==, 0);
  g_assert_cmpuint (again->updated, ==, 0);

  /* One row's text corrected in the spreadsheet */
  g_file_set_contents (path,
                       "id,Comment,Theme\n"
                       "R_1001,The ramp at the surgery is too steep.,Access\n"
                       "R_1002,Reception staff were abrupt on the phone.,Staff attitude\n"
                       "R_1003,I waited three hours in A&E.,Waiting times\n", -1, &error);
  g_assert_no_error (error);
  changed = import_ok (store, path, NULL);
  g_assert_cmpuint (changed->rows, ==, 3);
  g_assert_cmpuint (changed->updated, ==, 1);
  g_assert_cmpuint (changed->unchanged, ==, 2);
  g_assert_cmpuint (changed->added, ==, 0);
  g_assert_cmpint (n_insight (store), ==, 3);

  /* Same record, new words: the survey's own ids are stable */
  after = find_insight (store, "abrupt");
  g_assert_cmpstr (after->parent.id, ==, before->parent.id);
  g_assert_cmpstr (after->text, ==, "Reception staff were abrupt on the phone.");
  g_assert_cmpint (after->parent.created_at, ==, before->parent.created_at);
  g_assert_cmpstrv (after->theme_ids, before->theme_ids);
  untouched = find_insight (store, "ramp");
  g_assert_cmpstr (untouched->parent.id, ==, untouched_id);
}

/*
 * 6. Mapping files
 */

static void
test_mapping_file (void)
{
  g_autoptr(IhStore) store = new_store ("mapping.db");
  g_autofree char *path = fixture ("odd-headers.csv");
  g_autofree char *mapping = fixture ("odd-headers-mapping.csv");
  g_autoptr(IhImportReport) report = NULL;
  g_autoptr(IhInsight) insight = NULL;
  g_autoptr(IhActivity) activity = NULL;

  /* Without the mapping nothing says where the text is */
  {
    g_autoptr(GError) error = NULL;
    IhImportReport *none = NULL;

    g_assert_false (ih_import_csv (store, path, NULL, NULL, NULL, &none, &error));
    g_assert_error (error, IH_IMPORT_ERROR, IH_IMPORT_ERROR_NO_TEXT_COLUMN);
    g_assert_null (none);
  }

  report = import_ok (store, path, mapping);
  g_assert_cmpuint (report->added, ==, 2);
  g_assert_cmpuint (report->activities_added, ==, 1);
  /* "Area" is not in the mapping: with a mapping, only it counts */
  g_assert_cmpuint (report->notes->len, ==, 1);
  g_assert_true (has_note_naming (report, "Area"));

  insight = find_insight (store, "walk");
  g_assert_cmpstr (insight->text, ==, "The walk-in centre sent me to A&E and A&E sent me back.");
  g_assert_cmpstr (insight->date, ==, "2023-11-21");
  activity = load_activity (store, insight->activity_id);
  g_assert_cmpstr (activity->title, ==, "Gloucester health fair");
  g_assert_null (activity->place);
}

static void
test_mapping_unknown_field (void)
{
  g_autoptr(IhStore) store = new_store ("bad-mapping.db");
  g_autofree char *path = fixture ("odd-headers.csv");
  g_autofree char *mapping = fixture ("bad-mapping.csv");
  g_autofree char *missing = temp_path ("no-such-mapping.csv");
  g_autoptr(GError) error = NULL;
  IhImportReport *report = NULL;

  g_assert_false (ih_import_csv (store, path, mapping, NULL, NULL, &report, &error));
  g_assert_error (error, IH_CSV_ERROR, IH_CSV_ERROR_MAPPING);
  g_assert_null (report);
  g_assert_nonnull (strstr (error->message, "bad-mapping.csv"));
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_assert_nonnull (strstr (error->message, "when_it_happened"));
  g_assert_cmpint (n_insight (store), ==, 0);
  g_assert_cmpint (n_activities (store), ==, 0);
  g_clear_error (&error);

  g_assert_false (ih_import_csv (store, path, missing, NULL, NULL, &report, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, missing));
  g_assert_null (report);
  g_assert_cmpint (n_insight (store), ==, 0);
}

/*
 * 7. Export
 */

static void
test_export_round_trip (void)
{
  g_autoptr(IhStore) store = new_store ("export-a.db");
  g_autoptr(IhStore) fresh = NULL;
  g_autofree char *path = fixture ("varied.csv");
  g_autofree char *exported_path = NULL;
  g_autoptr(IhImportReport) report = import_ok (store, path, NULL);
  g_autoptr(IhImportReport) back = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GPtrArray) records = NULL;
  gint64 rows = 0;

  g_assert_cmpuint (report->added, ==, 7);
  g_assert_cmpuint (report->refused, ==, 0);
  /* The withdrawn row is kept (as a record) but never leaves the store */
  g_assert_cmpint (n_insight (store), ==, 7);

  first = export_csv (store, NULL, &rows);
  g_assert_cmpint (rows, ==, 6);
  records = export_records (first);
  g_assert_cmpuint (records->len, ==, 6);
  g_assert_false (bytes_contain (first, "do not use my words"));
  g_assert_false (bytes_contain (first, "withdrawn"));
  g_assert_true (bytes_contain (first, "\"She said \"\"call us\"\" and nobody answered\""));
  g_assert_true (bytes_contain (first, "Café staff were lovely – naïve question but 😀"));
  g_assert_false (bytes_contain (first, "2AB"));
  g_assert_true (g_str_has_prefix (g_bytes_get_data (first, NULL),
                                   "id,text,kind,date,themes,sentiment,consent,restricted,"));

  exported_path = write_temp ("exported.csv", g_bytes_get_data (first, NULL), g_bytes_get_size (first));
  fresh = new_store ("export-b.db");
  back = import_ok (fresh, exported_path, NULL);
  g_assert_cmpuint (back->rows, ==, 6);
  g_assert_cmpuint (back->added, ==, 6);
  g_assert_cmpuint (back->notes->len, ==, 0);
  g_assert_cmpint (n_insight (fresh), ==, 6);
  g_assert_cmpint (n_activities (fresh), ==, n_activities (store));
  g_assert_cmpint (n_themes (fresh), ==, n_themes (store));

  second = export_csv (fresh, NULL, &rows);
  g_assert_cmpint (rows, ==, 6);
  if (!g_bytes_equal (first, second))
    g_error ("exports differ:\n%s\n----\n%s",
             (const char *) g_bytes_get_data (first, NULL),
             (const char *) g_bytes_get_data (second, NULL));

  /* Importing the export into the store it came from changes nothing */
  g_clear_pointer (&back, ih_import_report_free);
  back = import_ok (store, exported_path, NULL);
  g_assert_cmpuint (back->unchanged, ==, 6);
  g_assert_cmpuint (back->added + back->updated, ==, 0);
}

static void
test_export_search (void)
{
  g_autoptr(IhStore) store = new_store ("export-search.db");
  g_autofree char *varied = fixture ("varied.csv");
  g_autofree char *good = fixture ("good.csv");
  g_autoptr(IhImportReport) a = import_ok (store, varied, NULL);
  g_autoptr(IhImportReport) b = import_ok (store, good, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(IhSearch) search = ih_search_new (store, "transport", IH_QUERY_FLAG_NONE, &error);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) records = NULL;
  gint64 count;
  gint64 rows = 0;

  g_assert_no_error (error);
  count = ih_search_count (search, &error);
  g_assert_no_error (error);
  /* Not the withdrawn one, and fewer than all */
  g_assert_cmpint (count, >=, 3);
  g_assert_cmpint (count, <, n_insight (store) - 1);

  bytes = export_csv (store, search, &rows);
  g_assert_cmpint (rows, ==, count);
  records = export_records (bytes);
  g_assert_cmpuint (records->len, ==, count);
  g_assert_false (bytes_contain (bytes, "do not use my words"));
  for (guint i = 0; i < records->len; i++)
    {
      GPtrArray *row = g_ptr_array_index (records, i);
      g_autofree char *joined = g_strjoinv (",", (char **) row->pdata);
      g_autofree char *folded = g_utf8_casefold (joined, -1);

      g_assert_nonnull (strstr (folded, "transport"));
    }

  /* A search that finds nothing exports the header alone */
  {
    g_autoptr(IhSearch) nothing = ih_search_new (store, "zeppelin", IH_QUERY_FLAG_NONE, &error);
    g_autoptr(GBytes) header = NULL;

    g_assert_no_error (error);
    header = export_csv (store, nothing, &rows);
    g_assert_cmpint (rows, ==, 0);
    g_assert_true (g_str_has_suffix (g_bytes_get_data (header, NULL), "postcode_district\r\n"));
  }
}

/*
 * 8. Progress
 */

#define N_PROGRESS_ROWS 5000

typedef struct
{
  GArray  *done;
  GArray  *total;
  guint    stop_after;   /* return FALSE on this call (1-based), 0: never */
  guint    calls;
} Progress;

static gboolean
on_progress (guint64  done,
             guint64  total,
             gpointer user_data)
{
  Progress *progress = user_data;

  g_array_append_val (progress->done, done);
  g_array_append_val (progress->total, total);
  progress->calls++;
  return progress->stop_after == 0 || progress->calls < progress->stop_after;
}

static char *
write_many_rows (void)
{
  g_autoptr(GString) csv = g_string_new ("text,activity,activity_date,themes\n");

  for (guint i = 0; i < N_PROGRESS_ROWS; i++)
    g_string_append_printf (csv, "\"Comment %u: the %u bus was late, again\",Event %u,2024-01-%02u,Theme %u\n",
                            i, i % 97, i % 20, 1 + i % 20, i % 7);
  return write_temp ("many.csv", csv->str, csv->len);
}

static void
progress_init (Progress *progress,
               guint     stop_after)
{
  progress->done = g_array_new (FALSE, FALSE, sizeof (guint64));
  progress->total = g_array_new (FALSE, FALSE, sizeof (guint64));
  progress->stop_after = stop_after;
  progress->calls = 0;
}

static void
progress_clear (Progress *progress)
{
  g_clear_pointer (&progress->done, g_array_unref);
  g_clear_pointer (&progress->total, g_array_unref);
}

static void
assert_progress_sane (Progress *progress,
                      guint64   size)
{
  guint64 previous = 0;

  g_assert_cmpuint (progress->calls, >=, 1);
  for (guint i = 0; i < progress->calls; i++)
    {
      guint64 done = g_array_index (progress->done, guint64, i);
      guint64 total = g_array_index (progress->total, guint64, i);

      g_assert_cmpuint (total, ==, size);
      g_assert_cmpuint (done, <=, total);
      g_assert_cmpuint (done, >=, previous);
      previous = done;
    }
}

static void
test_progress (void)
{
  g_autoptr(IhStore) store = new_store ("progress.db");
  g_autofree char *path = write_many_rows ();
  g_autoptr(IhImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress;
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);

  progress_init (&progress, 0);
  g_assert_true (ih_import_csv (store, path, NULL, on_progress, &progress, &report, &error));
  g_assert_no_error (error);
  g_assert_false (report->stopped);
  g_assert_cmpuint (report->rows, ==, N_PROGRESS_ROWS);
  g_assert_cmpuint (report->added, ==, N_PROGRESS_ROWS);
  g_assert_cmpuint (report->activities_added, ==, 20);
  g_assert_cmpuint (report->themes_added, ==, 7);
  g_assert_cmpint (n_insight (store), ==, N_PROGRESS_ROWS);

  /* Every 1000 rows, then once at the end */
  g_assert_cmpuint (progress.calls, ==, N_PROGRESS_ROWS / 1000 + 1);
  assert_progress_sane (&progress, st.st_size);
  g_assert_cmpuint (g_array_index (progress.done, guint64, progress.calls - 1), ==, st.st_size);
  g_assert_cmpuint (g_array_index (progress.done, guint64, 0), <, st.st_size / 4);
  g_assert_cmpuint (g_array_index (progress.done, guint64, 0), >, 0);
  progress_clear (&progress);
}

static void
test_progress_stop (void)
{
  g_autoptr(IhStore) store = new_store ("progress-stop.db");
  g_autofree char *path = write_many_rows ();
  g_autoptr(IhImportReport) report = NULL;
  g_autoptr(IhImportReport) rest = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress;
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);

  /* Stop at the first chance: after 1000 rows */
  progress_init (&progress, 1);
  g_assert_true (ih_import_csv (store, path, NULL, on_progress, &progress, &report, &error));
  g_assert_no_error (error);
  g_assert_true (report->stopped);
  g_assert_cmpuint (report->rows, ==, 1000);
  g_assert_cmpuint (report->added, ==, 1000);
  /* What was imported before stopping is kept */
  g_assert_cmpint (n_insight (store), ==, 1000);
  assert_progress_sane (&progress, st.st_size);
  /* Not called again once asked to stop: a stopped import never looks finished */
  g_assert_cmpint (progress.calls, ==, 1);
  progress_clear (&progress);

  /* Importing again finishes the rest, with no duplicates */
  progress_init (&progress, 0);
  g_assert_true (ih_import_csv (store, path, NULL, on_progress, &progress, &rest, &error));
  g_assert_no_error (error);
  g_assert_false (rest->stopped);
  g_assert_cmpuint (rest->rows, ==, N_PROGRESS_ROWS);
  g_assert_cmpuint (rest->unchanged, ==, 1000);
  g_assert_cmpuint (rest->added, ==, N_PROGRESS_ROWS - 1000);
  g_assert_cmpuint (rest->activities_added, ==, 0);
  g_assert_cmpuint (rest->themes_added, ==, 0);
  g_assert_cmpint (n_insight (store), ==, N_PROGRESS_ROWS);
  g_assert_cmpint (n_activities (store), ==, 20);
  g_assert_cmpint (n_themes (store), ==, 7);
  assert_progress_sane (&progress, st.st_size);
  g_assert_cmpuint (g_array_index (progress.done, guint64, progress.calls - 1), ==, st.st_size);
  progress_clear (&progress);
}

/* Another thread wants the store while an import holds a batch open (in
 * the app: a search, a save): the import commits what it has and lets it
 * in, instead of keeping it waiting until 100,000 rows are in */
typedef struct
{
  IhStore *store;
  GThread *reader;
  gint64   seen;     /* insight the waiting thread counted */
} Waiter;

static gpointer
count_insight (gpointer data)
{
  Waiter *w = data;

  w->seen = ih_store_count (w->store, &ih_insight_class);
  return NULL;
}

static gboolean
start_waiter (guint64  done,
              guint64  total,
              gpointer user_data)
{
  Waiter *w = user_data;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  if (w->reader != NULL)
    return TRUE;

  /* The first progress report comes after 1000 rows, the import's batch
   * still open: the thread must wait for the store */
  w->reader = g_thread_new ("waiter", count_insight, w);
  while (!_ih_store_has_waiters (w->store))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline); /* hang guard */
      g_usleep (1000);
    }
  return TRUE;
}

static void
test_waiter_let_in (void)
{
  g_autoptr(IhStore) store = new_store ("waiter.db");
  g_autofree char *path = write_many_rows ();
  g_autoptr(IhImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  Waiter w = { store, NULL, -1 };

  g_assert_false (_ih_store_has_waiters (store));
  g_assert_true (ih_import_csv (store, path, NULL, start_waiter, &w, &report, &error));
  g_assert_no_error (error);
  g_assert_nonnull (w.reader);
  g_thread_join (w.reader);

  /* It got the store right after the first thousand rows were committed,
   * not at the end of the import */
  g_assert_cmpint (w.seen, ==, 1000);
  g_assert_cmpuint (report->added, ==, N_PROGRESS_ROWS);
  g_assert_cmpint (n_insight (store), ==, N_PROGRESS_ROWS);
  g_assert_false (_ih_store_has_waiters (store));
}

/* Places belong to activities: a file with a place column and no activity
 * says the place is not kept instead of dropping it quietly */
static void
test_activity_columns_without_activity (void)
{
  g_autoptr(IhStore) store = new_store ("no-activity.db");
  g_autofree char *path = write_temp ("no-activity.csv",
                                      "Comment,Place,Event date\n"
                                      "Shorter waits please,Poole,2019-08-18\n", -1);
  g_autoptr(IhImportReport) report = import_ok (store, path, NULL);

  g_assert_cmpuint (report->added, ==, 1);
  g_assert_cmpint (n_activities (store), ==, 0);
  g_assert_cmpuint (report->notes->len, ==, 2);
  for (guint i = 0; i < report->notes->len; i++)
    g_assert_nonnull (strstr (g_ptr_array_index (report->notes, i), "no activity column"));
  g_assert_true (has_note_naming (report, "“Place”"));
  g_assert_true (has_note_naming (report, "“Event date”"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/import/good-file", test_good_file);
  g_test_add_func ("/import/header-synonyms", test_header_synonyms);
  g_test_add_func ("/import/activity-columns-without-activity", test_activity_columns_without_activity);
  g_test_add_func ("/import/theme-case", test_theme_case);
  g_test_add_func ("/import/activity-key", test_activity_key_normalised);
  g_test_add_func ("/import/malformed-files", test_malformed_files);
  g_test_add_func ("/import/bad-rows", test_bad_rows);
  g_test_add_func ("/import/refused-row-leaves-nothing", test_refused_row_leaves_nothing);
  g_test_add_func ("/import/csv-shapes", test_csv_shapes);
  g_test_add_func ("/import/reimport/same-file", test_reimport_same_file);
  g_test_add_func ("/import/reimport/duplicate-rows", test_reimport_duplicate_rows);
  g_test_add_func ("/import/reimport/ids", test_reimport_with_ids);
  g_test_add_func ("/import/mapping/file", test_mapping_file);
  g_test_add_func ("/import/mapping/unknown-field", test_mapping_unknown_field);
  g_test_add_func ("/import/export/round-trip", test_export_round_trip);
  g_test_add_func ("/import/export/search", test_export_search);
  g_test_add_func ("/import/progress/complete", test_progress);
  g_test_add_func ("/import/progress/stop", test_progress_stop);
  g_test_add_func ("/import/progress/waiter-let-in", test_waiter_let_in);

  return g_test_run ();
}
