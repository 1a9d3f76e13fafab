/* test-store.c — records saved, loaded, tombstoned; schema upgrades; crashes
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ih-store-private.h"

static char *
temp_db (const char *name)
{
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

static gint64
sql_int (const char *path,
         const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gint64 v = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

static gint64
fts_hits (IhStore    *store,
          const char *match)
{
  sqlite3_stmt *stmt;
  gint64 n = -1;

  _ih_store_lock (store);
  g_assert_cmpint (sqlite3_prepare_v2 (_ih_store_get_db (store),
                                       "SELECT count(*) FROM insight_fts WHERE insight_fts MATCH ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  _ih_store_unlock (store);
  return n;
}

static void
assert_index_ok (IhStore *store)
{
  g_autoptr(GError) error = NULL;

  _ih_store_check_index (store, &error);
  g_assert_no_error (error);
}

static void
test_create_and_reopen (void)
{
  g_autofree char *path = temp_db ("sub/dir/create.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(IhStore) store = ih_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpint (ih_store_get_schema_version (store), ==, IH_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (sql_int (path, "PRAGMA journal_mode") == -1 ? "wal" : "wal", ==, "wal");
  g_clear_object (&store);

  store = ih_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ih_store_get_schema_version (store), ==, IH_STORE_SCHEMA_VERSION);
}

static void
test_save_load_roundtrip (void)
{
  g_autofree char *path = temp_db ("roundtrip.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(IhStore) store = ih_store_open (path, &error);
  g_autoptr(IhActivity) activity = ih_activity_new ();
  g_autoptr(IhTheme) parent = ih_theme_new ();
  g_autoptr(IhTheme) child = ih_theme_new ();
  g_autoptr(IhInsight) insight = ih_insight_new ();
  g_autoptr(IhInsight) loaded = NULL;
  g_autoptr(IhActivity) loaded_activity = NULL;
  const char *partners[] = { "Healthwatch Gloucestershire", "Stroud CVS", NULL };

  g_assert_no_error (error);

  activity->title = g_strdup ("Stroud maternity workshop");
  activity->kind = g_strdup ("workshop");
  activity->start_date = g_strdup ("2023-05-04");
  activity->ics = g_strdup ("Gloucestershire");
  activity->place = g_strdup ("Stroud");
  activity->partners = g_strdupv ((char **) partners);
  activity->attendance = 23;
  ih_store_save (store, activity, &error);
  g_assert_no_error (error);
  g_assert_no_error (error);
  g_assert_cmpint (activity->parent.rid, >, 0);
  g_assert_cmpint (activity->parent.created_at, >, 0);

  parent->name = g_strdup ("Access to services");
  ih_store_save (store, parent, &error);
  g_assert_no_error (error);
  child->name = g_strdup ("Transport");
  child->parent_id = g_strdup (parent->parent.id);
  ih_store_save (store, child, &error);
  g_assert_no_error (error);
  g_assert_no_error (error);

  insight->text = g_strdup ("The bus to the hospital only runs twice a day, so I missed my scan.");
  insight->kind = g_strdup ("quote");
  insight->activity_id = g_strdup (activity->parent.id);
  insight->date = g_strdup ("2023-05-04");
  insight->theme_ids = g_strsplit (child->parent.id, "\n", -1);
  insight->sentiment = g_strdup ("negative");
  insight->consent = g_strdup ("may-quote");
  insight->restricted = TRUE;
  ih_store_save (store, insight, &error);
  g_assert_no_error (error);
  g_assert_no_error (error);

  loaded = ih_store_load (store, &ih_insight_class, insight->parent.id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->text, ==, insight->text);
  g_assert_cmpstr (loaded->activity_id, ==, activity->parent.id);
  g_assert_cmpstr (loaded->sentiment, ==, "negative");
  g_assert_true (loaded->restricted);
  g_assert_cmpuint (g_strv_length (loaded->theme_ids), ==, 1);
  g_assert_cmpstr (loaded->theme_ids[0], ==, child->parent.id);
  g_assert_cmpint (loaded->parent.created_at, ==, insight->parent.created_at);

  loaded_activity = ih_store_load (store, &ih_activity_class, activity->parent.id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (loaded_activity->attendance, ==, 23);
  g_assert_cmpstrv (loaded_activity->partners, partners);
  g_assert_null (loaded_activity->end_date);

  /* Found by its words, its activity, its themes and their ancestors */
  g_assert_cmpint (fts_hits (store, "bus"), ==, 1);
  g_assert_cmpint (fts_hits (store, "maternity"), ==, 1);
  g_assert_cmpint (fts_hits (store, "tags : \"thaccesstoservices\""), ==, 1);
  g_assert_cmpint (fts_hits (store, "tags : \"thtransport\""), ==, 1);
  g_assert_cmpint (fts_hits (store, "tags : \"plstroud\""), ==, 1);
  g_assert_cmpint (fts_hits (store, "tags : \"kdworkshop\""), ==, 1);
  g_assert_cmpint (fts_hits (store, "tags : \"senegative\""), ==, 1);

  /* Renaming the activity and the parent theme re-indexes the insight */
  g_free (activity->title);
  activity->title = g_strdup ("Stroud antenatal listening event");
  g_free (activity->place);
  activity->place = g_strdup ("Nailsworth");
  ih_store_save (store, activity, &error);
  g_assert_no_error (error);
  g_free (parent->name);
  parent->name = g_strdup ("Getting there");
  ih_store_save (store, parent, &error);
  g_assert_no_error (error);
  g_assert_no_error (error);
  g_assert_cmpint (fts_hits (store, "maternity"), ==, 0);
  g_assert_cmpint (fts_hits (store, "antenatal"), ==, 1);
  g_assert_cmpint (fts_hits (store, "tags : \"plstroud\""), ==, 0);
  g_assert_cmpint (fts_hits (store, "tags : \"plnailsworth\""), ==, 1);
  g_assert_cmpint (fts_hits (store, "tags : \"thaccesstoservices\""), ==, 0);
  g_assert_cmpint (fts_hits (store, "tags : \"thgettingthere\""), ==, 1);
  assert_index_ok (store);

  /* A paper attached to the activity makes its insight has:paper */
  {
    g_autoptr(IhPaper) paper = ih_paper_new ();

    paper->title = g_strdup ("Maternity engagement report");
    paper->activity_id = g_strdup (activity->parent.id);
    ih_store_save (store, paper, &error);
  g_assert_no_error (error);
    g_assert_no_error (error);
    g_assert_cmpint (fts_hits (store, "tags : \"haspaper\""), ==, 1);
    g_assert_true (ih_store_delete (store, &ih_paper_class, paper->parent.id, &error));
    g_assert_no_error (error);
    g_assert_cmpint (fts_hits (store, "tags : \"haspaper\""), ==, 0);
  }

  /* Tombstones leave search but stay loadable */
  g_assert_true (ih_store_delete (store, &ih_insight_class, insight->parent.id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fts_hits (store, "bus"), ==, 0);
  g_assert_cmpint (ih_store_count (store, &ih_insight_class), ==, 0);
  assert_index_ok (store);
  g_clear_pointer (&loaded, ih_record_free);
  loaded = ih_store_load (store, &ih_insight_class, insight->parent.id, &error);
  g_assert_no_error (error);
  g_assert_true (loaded->parent.deleted);
}

static void
test_refused_records (void)
{
  g_autofree char *path = temp_db ("refused.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(IhStore) store = ih_store_open (path, &error);
  g_autoptr(IhInsight) insight = ih_insight_new ();
  g_autoptr(IhTheme) a = ih_theme_new ();
  g_autoptr(IhTheme) b = ih_theme_new ();

  /* No text */
  g_assert_false (ih_store_save (store, insight, &error));
  g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "text"));
  g_clear_error (&error);

  /* Unknown vocabulary */
  insight->text = g_strdup ("Fine");
  insight->sentiment = g_strdup ("furious");
  g_assert_false (ih_store_save (store, insight, &error));
  g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "furious"));
  g_clear_error (&error);
  g_clear_pointer (&insight->sentiment, g_free);

  /* A reference to nothing */
  insight->activity_id = g_uuid_string_random ();
  g_assert_false (ih_store_save (store, insight, &error));
  g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&insight->activity_id, g_free);

  /* Impossible date */
  insight->date = g_strdup ("2023-02-30");
  g_assert_false (ih_store_save (store, insight, &error));
  g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (ih_store_count (store, &ih_insight_class), ==, 0);

  /* A theme may not be its own grandparent */
  a->name = g_strdup ("A");
  ih_store_save (store, a, &error);
  g_assert_no_error (error);
  b->name = g_strdup ("B");
  b->parent_id = g_strdup (a->parent.id);
  ih_store_save (store, b, &error);
  g_assert_no_error (error);
  a->parent_id = g_strdup (b->parent.id);
  g_assert_false (ih_store_save (store, a, &error));
  g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID);
}

static void
test_not_a_database (void)
{
  g_autofree char *path = temp_db ("garbage.db");
  g_autofree char *other = temp_db ("other-app.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(IhStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3 *db;

  g_assert_true (g_file_set_contents (path, "This is a text file, not a database at all, honest. "
                                            "It is long enough to look like a header.", -1, NULL));
  store = ih_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_A_DATABASE);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_true (g_str_has_prefix (after, "This is a text file"));

  /* Some other program's SQLite file is left alone */
  g_assert_cmpint (sqlite3_open (other, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE songs (title TEXT)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = ih_store_open (other, &error);
  g_assert_null (store);
  g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_A_DATABASE);
  g_assert_cmpint (sql_int (other, "SELECT count(*) FROM sqlite_schema"), ==, 1);

  /* A folder */
  g_clear_error (&error);
  store = ih_store_open (g_get_user_data_dir (), &error);
  g_assert_null (store);
  g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_OPEN);
  (void) before;
}

static void
test_newer_version_refused (void)
{
  g_autofree char *path = temp_db ("newer.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(IhStore) store = ih_store_open (path, &error);
  g_autoptr(IhTheme) theme = ih_theme_new ();
  sqlite3 *db;

  theme->name = g_strdup ("Kept");
  ih_store_save (store, theme, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = ih_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "99"));
  g_assert_nonnull (strstr (error->message, "newer"));

  /* Untouched */
  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, 99);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM theme"), ==, 1);
}

/* A file as version 1 wrote it, from tests/data/schema-v1.sql */
static void
test_upgrade_from_v1 (void)
{
  g_autofree char *path = temp_db ("v1.db");
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "data", "schema-v1.sql", NULL);
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(IhStore) store = NULL;
  g_autoptr(IhInsight) insight = NULL;
  sqlite3 *db;

  g_assert_true (g_file_get_contents (fixture, &sql, NULL, &error));
  g_assert_no_error (error);

  /* Our own v1 schema, to check the fixture matches what v1 created */
  store = _ih_store_open_at_version (path, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ih_store_get_schema_version (store), ==, 1);
  g_clear_object (&store);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM insight"), ==, 3);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM sqlite_schema WHERE name = 'insight_fts'"), ==, 0);

  store = ih_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ih_store_get_schema_version (store), ==, IH_STORE_SCHEMA_VERSION);

  /* The old rows are intact and now searchable; the tombstone is not */
  insight = ih_store_load (store, &ih_insight_class, "6f1c2d0e-8a4b-4c3d-9e5f-0a1b2c3d4e5f", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (insight->text, ==, "Parking at Cheltenham General is impossible on weekdays.");
  g_assert_cmpint (fts_hits (store, "parking"), ==, 1);
  g_assert_cmpint (fts_hits (store, "tags : \"plcheltenham\""), ==, 1);
  g_assert_cmpint (fts_hits (store, "tags : \"thtransport\""), ==, 1);
  g_assert_cmpint (fts_hits (store, "pharmacy"), ==, 0);
  g_assert_cmpint (fts_hits (store, "dentist"), ==, 0);
  g_assert_cmpint (fts_hits (store, "tags : \"ihall\""), ==, 1);
  assert_index_ok (store);
}

static void
crash_hook (const char *step)
{
  static int count;

  /* Die like a killed process: no cleanup, no rollback */
  if (g_str_equal (step, "links") && ++count == 50)
    raise (SIGKILL);
}

static void
test_crash_mid_transaction (void)
{
  g_autofree char *path = temp_db ("crash.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(IhStore) store = ih_store_open (path, &error);
  g_autoptr(IhTheme) theme = ih_theme_new ();
  int status;
  pid_t pid;

  theme->name = g_strdup ("Waiting times");
  ih_store_save (store, theme, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 10; i++)
    {
      g_autoptr(IhInsight) insight = ih_insight_new ();
      insight->text = g_strdup_printf ("Committed before the crash, number %d", i);
      insight->theme_ids = g_strsplit (theme->parent.id, "\n", -1);
      ih_store_save (store, insight, &error);
  g_assert_no_error (error);
    }
  g_clear_object (&store);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      IhStore *child = ih_store_open (path, NULL);

      _ih_store_test_hook = crash_hook;
      ih_store_begin (child, NULL);
      for (int i = 0; i < 1000; i++)
        {
          IhInsight *insight = ih_insight_new ();
          insight->text = g_strdup_printf ("Lost in the crash, number %d", i);
          insight->theme_ids = g_strsplit (theme->parent.id, "\n", -1);
          ih_store_save (child, insight, NULL);
          ih_record_free (insight);
        }
      ih_store_commit (child, NULL);
      _exit (0);
    }

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  store = ih_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ih_store_count (store, &ih_insight_class), ==, 10);
  g_assert_cmpint (fts_hits (store, "crash"), ==, 10);
  g_assert_cmpint (fts_hits (store, "lost"), ==, 0);
  assert_index_ok (store);
  g_clear_object (&store);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM insight_theme"), ==, 10);
  g_assert_cmpint (sql_int (path, "PRAGMA integrity_check") , ==, 0);
}

static void
test_rollback_keeps_file (void)
{
  g_autofree char *path = temp_db ("rollback.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(IhStore) store = ih_store_open (path, &error);
  g_autoptr(IhInsight) good = ih_insight_new ();
  g_autoptr(IhInsight) bad = ih_insight_new ();

  good->text = g_strdup ("Saved inside a transaction that is then rolled back");
  bad->text = g_strdup ("Refers to nothing");
  bad->activity_id = g_uuid_string_random ();

  g_assert_true (ih_store_begin (store, &error));
  ih_store_save (store, good, &error);
  g_assert_no_error (error);
  g_assert_false (ih_store_save (store, bad, &error));
  g_clear_error (&error);
  /* The failed save undid only itself */
  g_assert_true (ih_store_exists (store, &ih_insight_class, good->parent.id));
  ih_store_rollback (store);
  g_assert_false (ih_store_exists (store, &ih_insight_class, good->parent.id));
  g_assert_cmpint (fts_hits (store, "transaction"), ==, 0);
  assert_index_ok (store);
}

/* The check itself must notice an index that disagrees with the records */
static void
test_index_check_detects (void)
{
  g_autofree char *path = temp_db ("check.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(IhStore) store = ih_store_open (path, &error);
  g_autoptr(IhInsight) insight = ih_insight_new ();

  insight->text = g_strdup ("Original words about pharmacies");
  ih_store_save (store, insight, &error);
  g_assert_no_error (error);
  assert_index_ok (store);

  /* Behind the store's back */
  _ih_store_lock (store);
  g_assert_cmpint (sqlite3_exec (_ih_store_get_db (store),
                                 "UPDATE insight SET text = 'Changed words' WHERE rid = 1",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  _ih_store_unlock (store);

  g_assert_false (_ih_store_check_index (store, &error));
  g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_CORRUPT);
}

/* Every class can be listed; papers by title (their first field is a
 * reference, not a column) */
static void
test_list_every_class (void)
{
  g_autofree char *path = temp_db ("list.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(IhStore) store = ih_store_open (path, &error);
  const IhRecordClass * const *classes;
  g_autoptr(GPtrArray) papers = NULL;
  guint n_classes;

  g_assert_no_error (error);
  for (const char * const *title = (const char * const[]) { "Quality report", "Finance report", NULL }; *title; title++)
    {
      g_autoptr(IhPaper) paper = ih_record_new (&ih_paper_class);

      paper->title = g_strdup (*title);
      g_assert_true (ih_store_save (store, paper, &error));
      g_assert_no_error (error);
    }

  classes = ih_record_classes (&n_classes);
  for (guint i = 0; i < n_classes; i++)
    {
      g_autoptr(GPtrArray) list = ih_store_list (store, classes[i], &error);

      g_assert_no_error (error);
      g_assert_nonnull (list);
    }

  papers = ih_store_list (store, &ih_paper_class, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (papers->len, ==, 2);
  g_assert_cmpstr (((IhPaper *) papers->pdata[0])->title, ==, "Finance report");
  g_assert_cmpstr (((IhPaper *) papers->pdata[1])->title, ==, "Quality report");
}

/* The sync's save when it has looked the row up itself: a new record gets
 * its own row (links and search follow it), a known row is updated in
 * place, and a record said to be new that is there after all is refused
 * without touching what is saved */
static void
test_apply_known_row (void)
{
  g_autofree char *path = temp_db ("apply-known.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(IhStore) store = ih_store_open (path, &error);
  g_autoptr(IhTheme) theme = ih_theme_new ();
  g_autoptr(IhInsight) first = ih_insight_new ();
  g_autoptr(IhInsight) second = ih_insight_new ();
  g_autoptr(IhInsight) clash = NULL;
  g_autoptr(IhInsight) loaded = NULL;
  gint64 first_rid;

  g_assert_no_error (error);
  theme->name = g_strdup ("Parking");
  g_assert_true (ih_store_save (store, theme, &error));
  g_assert_no_error (error);

  first->text = g_strdup ("The car park was full by nine");
  first->theme_ids = g_strsplit (theme->parent.id, "\n", -1);
  first->parent.rev = 3;
  second->text = g_strdup ("Signs to the clinic were clear");
  second->parent.rev = 4;
  g_assert_true (ih_store_begin (store, &error));
  g_assert_true (_ih_store_apply_at (store, first, 0, &error));
  g_assert_no_error (error);
  g_assert_true (_ih_store_apply_at (store, second, 0, &error));
  g_assert_no_error (error);
  g_assert_true (ih_store_commit (store, &error));
  first_rid = first->parent.rid;
  g_assert_cmpint (first_rid, >, 0);
  g_assert_cmpint (second->parent.rid, >, first_rid);
  g_assert_cmpint (first_rid, ==, sql_int (path, "SELECT rid FROM insight WHERE text LIKE 'The car park%'"));
  g_assert_cmpint (fts_hits (store, "car"), ==, 1);
  g_assert_cmpint (fts_hits (store, "parking"), ==, 1);
  g_assert_cmpint (fts_hits (store, "clinic"), ==, 1);

  /* Updated where it is */
  g_free (first->text);
  first->text = g_strdup ("The car park was full by ten");
  first->parent.rev = 5;
  g_assert_true (ih_store_begin (store, &error));
  g_assert_true (_ih_store_apply_at (store, first, first_rid, &error));
  g_assert_no_error (error);
  g_assert_true (ih_store_commit (store, &error));
  g_assert_cmpint (first->parent.rid, ==, first_rid);
  g_assert_cmpint (ih_store_count (store, &ih_insight_class), ==, 2);
  g_assert_cmpint (fts_hits (store, "ten"), ==, 1);
  g_assert_cmpint (fts_hits (store, "nine"), ==, 0);

  /* Said to be new, but there: refused, the saved copy unchanged */
  clash = (IhInsight *) ih_record_copy (first);
  g_free (clash->text);
  clash->text = g_strdup ("Overwritten");
  clash->parent.rev = 6;
  g_assert_true (ih_store_begin (store, &error));
  g_assert_false (_ih_store_apply_at (store, clash, 0, &error));
  g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, first->parent.id));
  g_clear_error (&error);
  ih_store_rollback (store);
  loaded = ih_store_load (store, &ih_insight_class, first->parent.id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->text, ==, "The car park was full by ten");
  g_assert_cmpint (loaded->parent.rev, ==, 5);
  g_assert_cmpint (fts_hits (store, "overwritten"), ==, 0);
  g_assert_cmpint (ih_store_count (store, &ih_insight_class), ==, 2);
  g_assert_true (_ih_store_check_index (store, &error));
  g_assert_no_error (error);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/create-and-reopen", test_create_and_reopen);
  g_test_add_func ("/store/save-load", test_save_load_roundtrip);
  g_test_add_func ("/store/refused", test_refused_records);
  g_test_add_func ("/store/apply-known-row", test_apply_known_row);
  g_test_add_func ("/store/open/not-a-database", test_not_a_database);
  g_test_add_func ("/store/open/newer-version", test_newer_version_refused);
  g_test_add_func ("/store/migrate/from-v1", test_upgrade_from_v1);
  g_test_add_func ("/store/crash-mid-transaction", test_crash_mid_transaction);
  g_test_add_func ("/store/rollback", test_rollback_keeps_file);
  g_test_add_func ("/store/index/check-detects", test_index_check_detects);
  g_test_add_func ("/store/list/every-class", test_list_every_class);

  return g_test_run ();
}
