/* sync-bench.c — sync through the core, as the HTTP layer will drive it
 * (JSON written out and parsed back), beside a raw SQLite insert of the
 * same records in the same run
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE  /* RUSAGE_THREAD */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ih-record-json.h"
#include "ih-store-private.h"
#include "ih-sync-client.h"
#include "ih-sync-private.h"
#include "ih-sync-server.h"
#include "ih-sync.h"

static const char * const words[] = {
  "waiting", "appointment", "pharmacy", "parking", "bus", "carer", "dementia", "surgery",
  "receptionist", "phone", "online", "booking", "mental", "health", "children", "school",
  "dentist", "discharge", "ambulance", "ward", "nurse", "kind", "rude", "letter", "interpreter",
  "wheelchair", "access", "ramp", "hearing", "loop", "community", "village", "rural", "town",
  "evening", "weekend", "clinic", "referral", "list", "months", "weeks", "support", "group",
};

static const char * const sentiments[] = { "positive", "negative", "neutral", "mixed" };
static const char * const kinds[] = { "quote", "summary", "story", "survey-answer" };

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

static char *
sentence (GRand *rand)
{
  GString *s = g_string_new (NULL);
  int n = g_rand_int_range (rand, 12, 30);

  for (int i = 0; i < n; i++)
    {
      if (i)
        g_string_append_c (s, ' ');
      g_string_append (s, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
    }
  return g_string_free (s, FALSE);
}

static void
check (GError *error)
{
  if (error != NULL)
    g_error ("%s", error->message);
}

/* The server's records: themes, activities, and @n insight */
static double
fill_server (IhStore *server,
             guint    n)
{
  gint64 t;
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  g_autoptr(GPtrArray) themes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) activities = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;

  ih_store_begin (server, &error);
  check (error);
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(IhTheme) theme = ih_theme_new ();

      theme->name = g_strdup_printf ("Theme %u", i);
      _ih_store_save_in_transaction (server, theme, &error);
      check (error);
      g_ptr_array_add (themes, g_strdup (theme->parent.id));
    }
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(IhActivity) activity = ih_activity_new ();

      activity->title = g_strdup_printf ("Drop-in number %u", i);
      activity->place = g_strdup (i % 2 ? "Stroud" : "Gloucester");
      _ih_store_save_in_transaction (server, activity, &error);
      check (error);
      g_ptr_array_add (activities, g_strdup (activity->parent.id));
    }
  t = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IhInsight) insight = ih_insight_new ();
      char *ids[] = { themes->pdata[g_rand_int_range (rand, 0, themes->len)], NULL };

      insight->text = sentence (rand);
      insight->kind = g_strdup (kinds[i % G_N_ELEMENTS (kinds)]);
      insight->sentiment = g_strdup (sentiments[g_rand_int_range (rand, 0, 4)]);
      insight->date = g_strdup_printf ("20%02d-%02d-%02d", g_rand_int_range (rand, 18, 25),
                                       g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29));
      insight->activity_id = g_strdup (activities->pdata[g_rand_int_range (rand, 0, activities->len)]);
      insight->theme_ids = g_strdupv (ids);
      insight->consent = g_strdup ("may-quote");
      _ih_store_save_in_transaction (server, insight, &error);
      check (error);
    }
  ih_store_commit (server, &error);
  check (error);
  return seconds_since (t);
}

static JsonObject *
wire (JsonObject *object,
      gsize      *bytes)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) back = NULL;
  g_autofree char *text = NULL;
  GError *error = NULL;

  json_node_set_object (node, object);
  text = ih_json_to_string (node);
  if (bytes)
    *bytes += strlen (text);
  back = ih_json_from_string (text, "body", &error);
  check (error);
  return json_object_ref (json_node_get_object (back));
}

typedef struct
{
  double feed;     /* server: reading the feed into JSON text */
  double wire;     /* JSON to text and back */
  double apply;    /* client: applying and committing */
  gsize  bytes;
} PullTimes;

static guint
pull_all (IhStore   *server,
          IhStore   *client,
          guint      limit,
          PullTimes *times)
{
  IhSyncStats stats = { 0 };
  GError *error = NULL;
  guint applied = 0;

  do
    {
      g_autofree char *batch = NULL;
      g_autoptr(JsonNode) received = NULL;
      gsize length = 0;
      gint64 t = g_get_monotonic_time ();

      /* As the HTTP server does: the feed written straight as text */
      batch = ih_sync_server_changes_text (server, ih_sync_get_cursor (client), limit, IH_ROLE_OFFICER,
                                           &length, &error);
      check (error);
      times->feed += seconds_since (t);
      times->bytes += length;
      t = g_get_monotonic_time ();
      received = ih_json_from_string (batch, "body", &error);
      check (error);
      times->wire += seconds_since (t);
      t = g_get_monotonic_time ();
      ih_sync_apply_pull (client, json_node_get_object (received), &stats, &error);
      check (error);
      times->apply += seconds_since (t);
      applied += stats.applied;
    }
  while (stats.more);

  return applied;
}

/* The reference: the same insight rows inserted into a plain table with
 * one prepared statement in one transaction */
static double
raw_insert (IhStore    *server,
            const char *path,
            guint      *rows)
{
  sqlite3 *src = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *read, *insert;
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  gint64 t;
  double secs;

  /* Read first, so only the insert is timed */
  sqlite3_open_v2 (ih_store_get_path (server), &src, SQLITE_OPEN_READONLY, NULL);
  sqlite3_prepare_v2 (src,
                      "SELECT id, created_at, updated_at, author, rev, text, kind, activity_rid, date,"
                      " sentiment, consent FROM insight ORDER BY rid", -1, &read, NULL);
  while (sqlite3_step (read) == SQLITE_ROW)
    for (int c = 0; c < 11; c++)
      g_ptr_array_add (values, g_strdup ((const char *) sqlite3_column_text (read, c)));
  sqlite3_finalize (read);
  sqlite3_close (src);

  g_unlink (path);
  sqlite3_open (path, &db);
  sqlite3_exec (db,
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                "CREATE TABLE insight (rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
                " created_at INTEGER, updated_at INTEGER, author TEXT, rev INTEGER, text TEXT,"
                " kind TEXT, activity_rid INTEGER, date TEXT, sentiment TEXT, consent TEXT)",
                NULL, NULL, NULL);
  t = g_get_monotonic_time ();
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db,
                      "INSERT INTO insight (id, created_at, updated_at, author, rev, text, kind,"
                      " activity_rid, date, sentiment, consent) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                      -1, &insert, NULL);
  for (guint i = 0; i < values->len; i += 11)
    {
      for (int c = 0; c < 11; c++)
        sqlite3_bind_text (insert, c + 1, values->pdata[i + c], -1, SQLITE_STATIC);
      sqlite3_step (insert);
      sqlite3_reset (insert);
    }
  sqlite3_finalize (insert);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  secs = seconds_since (t);
  sqlite3_close (db);
  *rows = values->len / 11;
  g_ptr_array_unref (values);
  return secs;
}

/* CPU seconds (user + system) of what @who says */
static double
cpu_seconds (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* CPU seconds a process has used so far, from /proc */
static double
process_cpu_seconds (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (process));
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *end;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (end = strrchr (stat, ')')) == NULL)
    return 0;
  /* After the name come the state (field 3) … utime (14) and stime (15) */
  fields = g_strsplit (end + 2, " ", 14);
  if (g_strv_length (fields) < 14)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

/* Where an initial sync's CPU time went, in seconds */
typedef struct
{
  double apply;   /* the engine's own thread: applying and committing */
  double client;  /* the whole client: that and the fetching thread */
  double server;  /* the server process */
} SyncCpu;

/* The same initial sync through the real server over HTTP on loopback:
 * the server's database is a copy of the one filled above */
static int compare_double (gconstpointer a, gconstpointer b);

/* With @sequential, the reference: the engine as it pulled before it
 * fetched ahead (batches of 1,000, each fetched, applied and committed
 * before the next is asked for) */
static double
http_initial_sync (const char *server_exe,
                   const char *dir,
                   const char *server_db,
                   gboolean    sequential,
                   guint      *pulled,
                   guint      *batches,
                   SyncCpu    *cpu,
                   double      nochange[11])
{
  g_autofree char *conf = g_build_filename (dir, "server.conf", NULL);
  g_autofree char *http_db = g_build_filename (dir, "http-client.db", NULL);
  g_autofree char *wal = g_strconcat (http_db, "-wal", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) adduser = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(IhStore) client = NULL;
  g_autoptr(IhSyncClient) http = NULL;
  g_autoptr(IhSyncEngine) engine = NULL;
  g_autofree char *url = NULL;
  IhSyncSummary summary;
  GError *error = NULL;
  gint64 t;
  double secs;

  g_file_set_contents (conf, "[auth]\npassword-hash-cost=unsafe-fast-for-tests-only\n", -1, &error);
  check (error);
  /* A second run on the same database finds the user there already */
  adduser = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                              G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              server_exe, "adduser", "bench@example.org", "--role", "officer",
                              "--config", conf, "--db", server_db, NULL);
  check (error);
  g_subprocess_communicate_utf8 (adduser, "a long enough password\n", NULL, NULL, NULL, &error);
  /* It does not wait for a password when the user is there already; the
   * sign-in below fails if the user is missing */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    g_clear_error (&error);
  check (error);

  server = g_subprocess_launcher_spawn (launcher, &error, server_exe, "serve", "--config", conf,
                                        "--db", server_db, "--port", "0", NULL);
  check (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  while (url == NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

      check (error);
      if (line == NULL)
        g_error ("insight-hub-server stopped before listening");
      if (g_str_has_prefix (line, "listening on "))
        url = g_strdup (line + strlen ("listening on "));
    }

  g_unlink (http_db);
  g_unlink (wal);
  client = ih_store_open (http_db, &error);
  check (error);
  ih_sync_setup (client, url, &error);
  check (error);
  http = ih_sync_client_new (url);
  ih_sync_client_login (http, "bench@example.org", "a long enough password", NULL, &error);
  check (error);
  /* The engine's own batch sizes, as the app and the CLI use it */
  engine = ih_sync_client_new_engine (http, client);
  if (sequential)
    {
      ih_sync_engine_set_batch_size (engine, 1000);
      _ih_sync_engine_set_sequential (engine, TRUE);
    }

  cpu->apply = -cpu_seconds (RUSAGE_THREAD);
  cpu->client = -cpu_seconds (RUSAGE_SELF);
  cpu->server = -process_cpu_seconds (server);
  t = g_get_monotonic_time ();
  ih_sync_engine_run (engine, &summary, NULL, &error);
  check (error);
  secs = seconds_since (t);
  cpu->apply += cpu_seconds (RUSAGE_THREAD);
  cpu->client += cpu_seconds (RUSAGE_SELF);
  cpu->server += process_cpu_seconds (server);
  *pulled = summary.pulled;
  *batches = summary.batches;

  /* Nothing to do: one empty pull (the outbox is empty) */
  for (guint i = 0; i < 11; i++)
    {
      t = g_get_monotonic_time ();
      ih_sync_engine_run (engine, NULL, NULL, &error);
      check (error);
      nochange[i] = seconds_since (t);
    }
  qsort (nochange, 11, sizeof (double), compare_double);

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  return secs;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int
main (int argc, char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— sync benchmark");
  g_autoptr(IhStore) server = NULL;
  g_autoptr(IhStore) client = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *server_exe = NULL;
  g_autofree char *server_path = NULL;
  g_autofree char *client_path = NULL;
  g_autofree char *raw_path = NULL;
  GError *error = NULL;
  PullTimes times = { 0 };
  int count = 100000;
  int n_push = 1000;
  gboolean http_only = FALSE;
  gboolean once = FALSE;
  guint applied, raw_rows;
  double initial, raw, push_secs, push_raw, local;
  double nochange[21];
  gint64 t;
  GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, "Insight on the server (100000)", "N" },
    { "push", 'p', 0, G_OPTION_ARG_INT, &n_push, "Changes to push (1000)", "N" },
    { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &dir, "Folder for the databases (a new temporary one)", "DIR" },
    { "server-exe", 0, 0, G_OPTION_ARG_FILENAME, &server_exe, "insight-hub-server, to sync over HTTP too", "PATH" },
    { "http-only", 0, 0, G_OPTION_ARG_NONE, &http_only, "Only the initial sync over HTTP, from the server database an earlier run left in DIR", NULL },
    { "once", 0, 0, G_OPTION_ARG_NONE, &once, "With --http-only: the engine's own way only, once", NULL },
    { NULL }
  };

  /* A closed pipe to a child is an error to handle, not a signal */
  signal (SIGPIPE, SIG_IGN);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (count < n_push || n_push < 1 || n_push > IH_SYNC_MAX_PUSH)
    {
      g_printerr ("--push must be 1–%d and at most --count\n", IH_SYNC_MAX_PUSH);
      return 2;
    }
  if (dir == NULL)
    dir = g_dir_make_tmp ("ih-sync-bench-XXXXXX", &error);
  check (error);
  g_mkdir_with_parents (dir, 0700);
  server_path = g_build_filename (dir, "server.db", NULL);
  client_path = g_build_filename (dir, "client.db", NULL);
  raw_path = g_build_filename (dir, "raw.db", NULL);
  if (http_only)
    {
      guint pulled = 0, batches = 0;
      double nothing[11];
      double secs;
      SyncCpu cpu;

      if (server_exe == NULL || !g_file_test (server_path, G_FILE_TEST_EXISTS))
        {
          g_printerr ("--http-only needs --server-exe and the server database of an earlier run in --dir\n");
          return 2;
        }
      server = ih_store_open (server_path, &error);
      check (error);
      raw = raw_insert (server, raw_path, &raw_rows);
      g_clear_object (&server);
      g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
      secs = http_initial_sync (server_exe, dir, server_path, FALSE, &pulled, &batches, &cpu, nothing);
      g_print ("initial sync over HTTP: %u records in %u batches, %.2f s, %.0f records/s;"
               " raw insert %.0f rows/s (%.1fx); CPU s: apply %.2f, fetch %.2f, server %.2f\n",
               pulled, batches, secs, pulled / secs, raw_rows / raw, (raw_rows / raw) / (pulled / secs),
               cpu.apply, cpu.client - cpu.apply, cpu.server);
      if (once)
        return 0;
      secs = http_initial_sync (server_exe, dir, server_path, TRUE, &pulled, &batches, &cpu, nothing);
      g_print ("the same, one batch of 1000 after the other: %u records in %u batches, %.2f s, %.0f records/s\n",
               pulled, batches, secs, pulled / secs);
      return 0;
    }
  g_unlink (server_path);
  g_unlink (client_path);

  server = ih_store_open (server_path, &error);
  check (error);
  local = fill_server (server, count);
  /* The server enters its records in the feed once, before the first pull */
  g_free (ih_sync_server_get_epoch (server, &error));
  check (error);

  client = ih_store_open (client_path, &error);
  check (error);
  ih_sync_setup (client, "https://sync.example.org", &error);
  check (error);

  /* 1. Initial sync into an empty client */
  t = g_get_monotonic_time ();
  applied = pull_all (server, client, IH_SYNC_MAX_LIMIT, &times);
  initial = seconds_since (t);
  raw = raw_insert (server, raw_path, &raw_rows);
  {
    GError *check_error = NULL;

    if (ih_store_count (client, &ih_insight_class) != count)
      g_error ("The client has %" G_GINT64_FORMAT " insight, not %d",
               ih_store_count (client, &ih_insight_class), count);
    if (!_ih_store_check_index (client, &check_error))
      g_error ("%s", check_error->message);
  }

  /* 2. A sync with nothing to do: push nothing, pull nothing */
  for (guint i = 0; i < G_N_ELEMENTS (nochange); i++)
    {
      g_autoptr(JsonObject) request = NULL;
      PullTimes none = { 0 };

      t = g_get_monotonic_time ();
      request = ih_sync_take_outbox (client, IH_SYNC_MAX_PUSH, &error);
      check (error);
      if (json_array_get_length (json_object_get_array_member (request, "changes")) != 0)
        g_error ("Nothing should wait to be pushed");
      pull_all (server, client, IH_SYNC_MAX_LIMIT, &none);
      nochange[i] = seconds_since (t);
    }
  qsort (nochange, G_N_ELEMENTS (nochange), sizeof (double), compare_double);

  /* 3. Pushing local changes */
  {
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(JsonObject) request = NULL;
    g_autoptr(JsonObject) sent = NULL;
    g_autoptr(JsonObject) reply = NULL;
    g_autoptr(JsonObject) received = NULL;
    sqlite3_stmt *stmt;
    sqlite3 *db = NULL;

    _ih_store_lock (client);
    sqlite3_prepare_v2 (_ih_store_get_db (client), "SELECT id FROM insight ORDER BY rid DESC LIMIT ?",
                        -1, &stmt, NULL);
    sqlite3_bind_int (stmt, 1, n_push);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    sqlite3_finalize (stmt);
    _ih_store_unlock (client);

    ih_store_begin (client, &error);
    check (error);
    for (guint i = 0; i < ids->len; i++)
      {
        g_autoptr(IhInsight) insight = ih_store_load (client, &ih_insight_class, ids->pdata[i], &error);

        check (error);
        g_free (insight->sentiment);
        insight->sentiment = g_strdup (g_strcmp0 (insight->sentiment, "positive") ? "positive" : "negative");
        g_free (insight->status);
        insight->status = g_strdup ("reviewed");
        _ih_store_save_in_transaction (client, insight, &error);
        check (error);
      }
    ih_store_commit (client, &error);
    check (error);

    t = g_get_monotonic_time ();
    request = ih_sync_take_outbox (client, IH_SYNC_MAX_PUSH, &error);
    check (error);
    sent = wire (request, NULL);
    reply = ih_sync_server_push (server, "bench", IH_ROLE_OFFICER, sent, &error);
    check (error);
    received = wire (reply, NULL);
    ih_sync_push_done (client, received, &error);
    check (error);
    push_secs = seconds_since (t);
    if (ih_sync_count_pending (client) != 0)
      g_error ("%" G_GINT64_FORMAT " changes were not accepted", ih_sync_count_pending (client));

    /* Reference: the same number of rows inserted raw */
    sqlite3_open (raw_path, &db);
    t = g_get_monotonic_time ();
    sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
    sqlite3_prepare_v2 (db, "INSERT INTO insight (id, text, sentiment) VALUES (?, 'pushed', 'positive')",
                        -1, &stmt, NULL);
    for (guint i = 0; i < ids->len; i++)
      {
        g_autofree char *id = g_uuid_string_random ();

        sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_step (stmt);
        sqlite3_reset (stmt);
      }
    sqlite3_finalize (stmt);
    sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
    push_raw = seconds_since (t);
    sqlite3_close (db);
  }

  g_print ("| what | figure | reference (raw SQLite insert, same run) | ratio |\n");
  g_print ("| --- | --- | --- | --- |\n");
  g_print ("| initial sync, %u records (%d insight) to an empty client | %.2f s, **%.0f records/s** "
           "(feed %.2f s, JSON text %.2f s, apply %.2f s; %.1f MB of JSON) | %u rows in %.3f s, %.0f rows/s | %.1fx slower |\n",
           applied, count, initial, applied / initial, times.feed, times.wire, times.apply,
           times.bytes / 1e6, raw_rows, raw, raw_rows / raw, (raw_rows / raw) / (applied / initial));
  g_print ("| the same insight saved through the store in one transaction (as a CSV import does; search index included) "
           "| %.2f s, %.0f records/s | | %.1fx slower |\n", local, count / local, (raw_rows / raw) / (count / local));
  g_print ("| sync with nothing to do (median of %u) | **%.2f ms** (max %.2f ms) | | |\n",
           (guint) G_N_ELEMENTS (nochange), nochange[G_N_ELEMENTS (nochange) / 2] * 1e3,
           nochange[G_N_ELEMENTS (nochange) - 1] * 1e3);
  g_print ("| push of %d changed insight (take, server, reply applied) | %.3f s, **%.0f changes/s** | %d rows in %.4f s | %.1fx slower |\n",
           n_push, push_secs, n_push / push_secs, n_push, push_raw, push_secs / push_raw);

  g_clear_object (&client);
  g_clear_object (&server);

  if (server_exe != NULL)
    {
      guint pulled = 0, batches = 0, seq_pulled = 0, seq_batches = 0;
      double http_nochange[11], seq_nochange[11];
      double secs[3], seq_secs[3], median;
      SyncCpu cpu[3], seq_cpu;
      guint at = 0;

      /* Three rounds, the two ways in turn, so both meet the same load;
       * the medians are compared */
      g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
      for (guint round = 0; round < G_N_ELEMENTS (secs); round++)
        {
          double nothing[11];

          secs[round] = http_initial_sync (server_exe, dir, server_path, FALSE, &pulled, &batches,
                                           &cpu[round], round == 0 ? http_nochange : nothing);
          seq_secs[round] = http_initial_sync (server_exe, dir, server_path, TRUE, &seq_pulled, &seq_batches,
                                               &seq_cpu, seq_nochange);
        }
      /* The CPU figures are the median run's */
      median = MAX (MIN (secs[0], secs[1]), MIN (MAX (secs[0], secs[1]), secs[2]));
      while (secs[at] != median)
        at++;
      qsort (secs, G_N_ELEMENTS (secs), sizeof (double), compare_double);
      qsort (seq_secs, G_N_ELEMENTS (seq_secs), sizeof (double), compare_double);
      g_print ("| initial sync over HTTP (insight-hub-server on loopback; the sync engine as the app runs it: "
               "%u batches, the next fetched while one is applied; median of 3) | %.2f s, **%.0f records/s** "
               "(fastest %.2f s, %.0f records/s; slowest %.0f records/s) | %u rows in %.3f s | %.1fx slower |\n",
               batches, secs[1], pulled / secs[1], secs[0], pulled / secs[0], pulled / secs[2],
               raw_rows, raw, (raw_rows / raw) / (pulled / secs[1]));
      g_print ("| the same over HTTP as the engine pulled before (%u batches of 1,000, each fetched, applied and "
               "committed before the next; median of 3, run in turn with the line above) "
               "| %.2f s, %.0f records/s (fastest %.0f records/s) | | %.2fx the time of the line above |\n",
               seq_batches, seq_secs[1], seq_pulled / seq_secs[1], seq_pulled / seq_secs[0], seq_secs[1] / secs[1]);
      g_print ("| where the CPU time of that median run went | the client's applying thread %.2f s, its fetching "
               "thread %.2f s, the server %.2f s (%.2f s in all on %.2f s of waiting) | | |\n",
               cpu[at].apply, cpu[at].client - cpu[at].apply, cpu[at].server,
               cpu[at].client + cpu[at].server, secs[1]);
      g_print ("| sync with nothing to do over HTTP (sign-in excluded; median of 11) | **%.1f ms** (max %.1f ms) | | |\n",
               http_nochange[5] * 1e3, http_nochange[10] * 1e3);
    }
  return 0;
}
