/* sync-load-bench.c — many clients syncing at once against one real
 * insight-hub-server: latency per request, records moved per second,
 * failed requests, and whether every client ends with what the server
 * holds; beside a raw SQLite insert of the same number of records in the
 * same run
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "ih-record-json.h"
#include "ih-store-private.h"
#include "ih-sync-client.h"
#include "ih-sync-engine.h"
#include "ih-sync.h"

#define PASSWORD "a long enough password"

static const char * const words[] = {
  "waiting", "appointment", "pharmacy", "parking", "bus", "carer", "dementia", "surgery",
  "receptionist", "phone", "online", "booking", "mental", "health", "children", "school",
  "dentist", "discharge", "ambulance", "ward", "nurse", "kind", "rude", "letter", "interpreter",
  "wheelchair", "access", "ramp", "hearing", "loop", "community", "village", "rural", "town",
};

typedef struct
{
  guint        index;
  char        *email;
  char        *path;
  const char  *url;
  char        *token;
  GArray      *push_ms;      /* double, one per POST /api/v1/push */
  GArray      *changes_ms;   /* double, one per GET /api/v1/changes */
  double       login_ms;
  guint        failed;       /* transport errors and unexpected statuses */
  guint        epochs;       /* 409 epoch-changed (expected, none here) */
  guint        runs_failed;
  guint        pushed;
  guint        pulled;
  guint        conflicts;
  char        *first_error;
} Client;

typedef struct
{
  GMutex      mutex;
  GCond       cond;
  guint       waiting;
  guint       n_clients;
  guint       records;
  guint       batch;
  char      **shared;        /* ids every client edits */
} Load;

static Load load;

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e3;
}

static void
check (GError *error)
{
  if (error != NULL)
    g_error ("%s", error->message);
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
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* One request as the app's client sends it (a new session each time),
 * timed from sending to the whole reply read */
static JsonObject *
timed_request (Client      *c,
               const char  *method,
               const char  *path,
               JsonObject  *body,
               GArray      *times,
               GError     **error)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 120, NULL);
  g_autofree char *url = g_strconcat (c->url, path, NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", c->token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *data;
  gsize size;
  guint status;
  double ms;
  gint64 t;

  g_assert (msg != NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      char *text;

      json_node_set_object (root, body);
      text = ih_json_to_string (root);
      {
        g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));
        soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      }
    }

  t = g_get_monotonic_time ();
  reply = soup_session_send_and_read (session, msg, NULL, error);
  ms = ms_since (t);
  g_array_append_val (times, ms);
  if (reply == NULL)
    {
      c->failed++;
      if (c->first_error == NULL)
        c->first_error = g_strdup_printf ("%s %s: %s", method, path, (*error)->message);
      return NULL;
    }

  status = soup_message_get_status (msg);
  data = g_bytes_get_data (reply, &size);
  if (size > 0)
    {
      g_autofree char *text = g_strndup (data, size);
      node = ih_json_from_string (text, "reply", NULL);
    }
  if (status >= 200 && status < 300 && node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_object_ref (json_node_get_object (node));

  if (status == 409 && node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
      g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (node), "error", ""),
                 "epoch-changed") == 0)
    {
      c->epochs++;
      g_set_error_literal (error, IH_SYNC_ERROR, IH_SYNC_ERROR_EPOCH, "epoch changed");
      return NULL;
    }

  c->failed++;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s %s: %u %s", method, path, status,
               soup_message_get_reason_phrase (msg));
  if (c->first_error == NULL)
    c->first_error = g_strdup ((*error)->message);
  return NULL;
}

static JsonObject *
transport_push (gpointer       data,
                JsonObject    *request,
                GCancellable  *cancellable,
                GError       **error)
{
  Client *c = data;

  return timed_request (c, "POST", "/api/v1/push", request, c->push_ms, error);
}

static JsonObject *
transport_changes (gpointer       data,
                   gint64         since,
                   guint          limit,
                   GCancellable  *cancellable,
                   GError       **error)
{
  Client *c = data;
  g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=%u",
                                           since, limit);

  return timed_request (c, "GET", path, NULL, c->changes_ms, error);
}

static const IhSyncTransport timed_transport = { transport_push, transport_changes, NULL, NULL };

static void
client_sync (Client       *c,
             IhSyncEngine *engine)
{
  IhSyncSummary summary = { 0 };
  g_autoptr(GError) error = NULL;

  if (!ih_sync_engine_run (engine, &summary, NULL, &error))
    {
      c->runs_failed++;
      if (c->first_error == NULL)
        c->first_error = g_strdup (error->message);
    }
  c->pushed += summary.pushed;
  c->pulled += summary.pulled;
  c->conflicts += summary.conflicts;
}

static gpointer
client_thread (gpointer data)
{
  Client *c = data;
  g_autoptr(IhSyncClient) http = ih_sync_client_new (c->url);
  g_autoptr(IhStore) store = NULL;
  g_autoptr(IhSyncEngine) engine = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (100 + c->index);
  GError *error = NULL;
  gint64 t;

  t = g_get_monotonic_time ();
  ih_sync_client_login (http, c->email, PASSWORD, NULL, &error);
  c->login_ms = ms_since (t);
  check (error);
  c->token = ih_sync_client_dup_token (http);

  store = ih_store_open (c->path, &error);
  check (error);
  ih_sync_setup (store, c->url, &error);
  check (error);
  engine = ih_sync_engine_new (store, &timed_transport, c, NULL);

  /* First sync: the shared records */
  client_sync (c, engine);

  for (guint done = 0, round = 0; done < load.records; round++)
    {
      guint n = MIN (load.batch, load.records - done);
      const char *shared_id = load.shared[(c->index + round) % g_strv_length (load.shared)];
      g_autoptr(IhInsight) shared = NULL;

      ih_store_begin (store, &error);
      check (error);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(IhInsight) insight = ih_insight_new ();

          insight->text = sentence (rand);
          insight->sentiment = g_strdup (i % 2 ? "positive" : "negative");
          insight->consent = g_strdup ("may-quote");
          _ih_store_save_in_transaction (store, insight, &error);
          check (error);
        }
      /* The same few records edited on many laptops at once: merges and
       * conflicts on the server */
      shared = ih_store_load (store, &ih_insight_class, shared_id, NULL);
      if (shared != NULL)
        {
          g_free (shared->text);
          shared->text = g_strdup_printf ("Edited by client %u in round %u", c->index, round);
          g_free (shared->sentiment);
          shared->sentiment = g_strdup (round % 2 ? "mixed" : "neutral");
          _ih_store_save_in_transaction (store, shared, &error);
          check (error);
        }
      ih_store_commit (store, &error);
      check (error);
      done += n;
      client_sync (c, engine);
    }

  /* Every client has pushed everything: then each pulls the rest */
  g_mutex_lock (&load.mutex);
  load.waiting++;
  g_cond_broadcast (&load.cond);
  while (load.waiting < load.n_clients)
    g_cond_wait (&load.cond, &load.mutex);
  g_mutex_unlock (&load.mutex);
  client_sync (c, engine);
  client_sync (c, engine);
  return NULL;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *a,
            double  p)
{
  guint i;

  if (a->len == 0)
    return 0;
  i = (guint) ceil (p * a->len);
  return g_array_index (a, double, MAX (i, 1) - 1);
}

/* The kernel's count of connections dropped because a listening
 * socket's queue was full (TcpExt ListenOverflows, for the whole
 * machine), or -1 */
static gint64
listen_overflows (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 value = -1;

  if (!g_file_get_contents ("/proc/net/netstat", &text, NULL, NULL))
    return -1;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    if (g_str_has_prefix (lines[i], "TcpExt:") && g_str_has_prefix (lines[i + 1], "TcpExt:"))
      {
        g_auto(GStrv) names = g_strsplit (lines[i], " ", -1);
        g_auto(GStrv) values = g_strsplit (lines[i + 1], " ", -1);

        for (guint j = 0; names[j] != NULL && values[j] != NULL; j++)
          if (strcmp (names[j], "ListenOverflows") == 0)
            value = g_ascii_strtoll (values[j], NULL, 10);
        break;
      }
  return value;
}

static guint
count_over (GArray *a,
            double  ms)
{
  guint n = 0;

  for (guint i = 0; i < a->len; i++)
    n += g_array_index (a, double, i) > ms;
  return n;
}

/* Checksums of the live insight's ids, and of ids with texts */
static void
digest_db (const char *path,
           char      **ids,
           char      **texts,
           guint      *count)
{
  g_autoptr(GChecksum) a = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GChecksum) b = g_checksum_new (G_CHECKSUM_SHA256);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  *count = 0;
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "SELECT id, text FROM insight WHERE deleted = 0 ORDER BY id", -1,
                          &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", path, sqlite3_errmsg (db));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *text = (const char *) sqlite3_column_text (stmt, 1);

      g_checksum_update (a, (const guchar *) id, -1);
      g_checksum_update (b, (const guchar *) id, -1);
      g_checksum_update (b, (const guchar *) (text ? text : ""), -1);
      (*count)++;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  *ids = g_strdup (g_checksum_get_string (a));
  *texts = g_strdup (g_checksum_get_string (b));
}

/* The reference: @n insight rows of the same shape inserted into a plain
 * table with one prepared statement in one transaction */
static double
raw_insert (const char *path,
            guint       n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL;
  gint64 t;
  double ms;

  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (texts, sentence (rand));
      g_ptr_array_add (ids, g_uuid_string_random ());
    }
  g_unlink (path);
  sqlite3_open (path, &db);
  sqlite3_exec (db,
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                "CREATE TABLE insight (rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
                " text TEXT, sentiment TEXT, consent TEXT)", NULL, NULL, NULL);
  t = g_get_monotonic_time ();
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO insight (id, text, sentiment, consent) VALUES (?, ?, ?, 'may-quote')",
                      -1, &insert, NULL);
  for (guint i = 0; i < n; i++)
    {
      sqlite3_bind_text (insert, 1, ids->pdata[i], -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 2, texts->pdata[i], -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 3, i % 2 ? "positive" : "negative", -1, SQLITE_STATIC);
      sqlite3_step (insert);
      sqlite3_reset (insert);
    }
  sqlite3_finalize (insert);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  ms = ms_since (t);
  sqlite3_close (db);
  return ms / 1e3;
}

static void
unlink_db (const char *path)
{
  for (const char * const *s = (const char * const []) { "", "-wal", "-shm", NULL }; *s; s++)
    {
      g_autofree char *p = g_strconcat (path, *s, NULL);

      g_unlink (p);
    }
}

static void
add_user (const char *server_exe,
          const char *conf,
          const char *db,
          const char *email)
{
  g_autoptr(GSubprocess) proc = NULL;
  GError *error = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                           server_exe, "adduser", email, "--role", "officer",
                           "--config", conf, "--db", db, NULL);
  check (error);
  g_subprocess_communicate_utf8 (proc, PASSWORD "\n", NULL, NULL, NULL, &error);
  check (error);
  if (!g_subprocess_get_successful (proc))
    g_error ("adduser %s failed", email);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— many clients syncing at once");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GArray) push_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) changes_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) login_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autofree char *dir = NULL;
  g_autofree char *server_exe = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *server_db = NULL;
  g_autofree char *raw_path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *server_ids = NULL;
  g_autofree char *server_texts = NULL;
  Client *clients;
  GError *error = NULL;
  int n_clients = 20;
  int records = 200;
  int batch = 50;
  int n_shared = 5;
  guint failed = 0, epochs = 0, runs_failed = 0, pushed = 0, pulled = 0, conflicts = 0;
  guint server_count, ids_match = 0, texts_match = 0, unique;
  double wall, raw;
  gint64 t, overflows;
  GOptionEntry entries[] = {
    { "clients", 'c', 0, G_OPTION_ARG_INT, &n_clients, "Clients syncing at once (20)", "N" },
    { "records", 'n', 0, G_OPTION_ARG_INT, &records, "New insight each client records (200)", "N" },
    { "batch", 'b', 0, G_OPTION_ARG_INT, &batch, "Insight recorded between two syncs (50)", "N" },
    { "shared", 's', 0, G_OPTION_ARG_INT, &n_shared, "Insight every client edits (5)", "N" },
    { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &dir, "Folder for the databases (a new temporary one)", "DIR" },
    { "server-exe", 0, 0, G_OPTION_ARG_FILENAME, &server_exe, "insight-hub-server", "PATH" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (server_exe == NULL || n_clients < 1 || records < 1 || batch < 1 || n_shared < 1)
    {
      g_printerr ("--server-exe is needed; --clients, --records, --batch and --shared must be at least 1\n");
      return 2;
    }
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  if (dir == NULL)
    dir = g_dir_make_tmp ("ih-sync-load-XXXXXX", &error);
  check (error);
  g_mkdir_with_parents (dir, 0700);
  conf = g_build_filename (dir, "load-server.conf", NULL);
  server_db = g_build_filename (dir, "load-server.db", NULL);
  raw_path = g_build_filename (dir, "load-raw.db", NULL);
  unlink_db (server_db);

  /* The hash cost for tests: sign-in is not what this measures */
  g_file_set_contents (conf, "[auth]\npassword-hash-cost=unsafe-fast-for-tests-only\n", -1, &error);
  check (error);
  clients = g_new0 (Client, n_clients);
  for (int i = 0; i < n_clients; i++)
    {
      g_autofree char *name = g_strdup_printf ("load-client-%02d", i);
      g_autofree char *sub = g_build_filename (dir, name, NULL);

      clients[i].index = i;
      clients[i].email = g_strdup_printf ("officer%02d@example.org", i);
      clients[i].path = g_build_filename (sub, "client.db", NULL);
      clients[i].push_ms = g_array_new (FALSE, FALSE, sizeof (double));
      clients[i].changes_ms = g_array_new (FALSE, FALSE, sizeof (double));
      /* A fresh folder for each client */
      g_mkdir_with_parents (sub, 0700);
      unlink_db (clients[i].path);
      add_user (server_exe, conf, server_db, clients[i].email);
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
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

  /* The shared records, pushed before the load from a laptop of its own */
  {
    g_autofree char *seed_path = g_build_filename (dir, "load-seed.db", NULL);
    g_autoptr(IhStore) seed = NULL;
    g_autoptr(IhSyncClient) http = ih_sync_client_new (url);
    g_autoptr(IhSyncEngine) engine = NULL;
    GPtrArray *ids = g_ptr_array_new ();

    unlink_db (seed_path);
    seed = ih_store_open (seed_path, &error);
    check (error);
    ih_sync_setup (seed, url, &error);
    check (error);
    for (int i = 0; i < n_shared; i++)
      {
        g_autoptr(IhInsight) insight = ih_insight_new ();

        insight->text = g_strdup_printf ("Shared record %d", i);
        ih_store_save (seed, insight, &error);
        check (error);
        g_ptr_array_add (ids, g_strdup (insight->parent.id));
      }
    g_ptr_array_add (ids, NULL);
    load.shared = (char **) g_ptr_array_free (ids, FALSE);
    ih_sync_client_login (http, clients[0].email, PASSWORD, NULL, &error);
    check (error);
    engine = ih_sync_client_new_engine (http, seed);
    ih_sync_engine_run (engine, NULL, NULL, &error);
    check (error);
  }

  g_mutex_init (&load.mutex);
  g_cond_init (&load.cond);
  load.n_clients = n_clients;
  load.records = records;
  load.batch = batch;

  overflows = listen_overflows ();
  t = g_get_monotonic_time ();
  for (int i = 0; i < n_clients; i++)
    {
      clients[i].url = url;
      g_ptr_array_add (threads, g_thread_new ("client", client_thread, &clients[i]));
    }
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);
  wall = ms_since (t) / 1e3;
  if (overflows >= 0 && listen_overflows () >= overflows)
    overflows = listen_overflows () - overflows;
  else
    overflows = -1;

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);

  unique = n_clients * records + n_shared;
  raw = raw_insert (raw_path, n_clients * records);

  digest_db (server_db, &server_ids, &server_texts, &server_count);
  for (int i = 0; i < n_clients; i++)
    {
      Client *c = &clients[i];
      g_autofree char *ids = NULL;
      g_autofree char *texts = NULL;
      guint count;

      digest_db (c->path, &ids, &texts, &count);
      ids_match += strcmp (ids, server_ids) == 0;
      texts_match += strcmp (texts, server_texts) == 0;
      g_array_append_vals (push_ms, c->push_ms->data, c->push_ms->len);
      g_array_append_vals (changes_ms, c->changes_ms->data, c->changes_ms->len);
      g_array_append_val (login_ms, c->login_ms);
      failed += c->failed;
      epochs += c->epochs;
      runs_failed += c->runs_failed;
      pushed += c->pushed;
      pulled += c->pulled;
      conflicts += c->conflicts;
      if (c->first_error != NULL)
        g_printerr ("client %d: %s\n", i, c->first_error);
    }
  g_array_sort (push_ms, compare_double);
  g_array_sort (changes_ms, compare_double);
  g_array_sort (login_ms, compare_double);

  g_print ("| what | figure | reference (raw SQLite insert, same run) | ratio |\n");
  g_print ("| --- | --- | --- | --- |\n");
  g_print ("| %d clients at once, each recording %d insight in batches of %d and syncing after each, "
           "all editing the same %d records | %.2f s for everything; %u records pushed, %u pulled: "
           "**%.0f records moved/s**; %u new records reached every client: **%.0f records/s** "
           "| %d rows in %.4f s, %.0f rows/s | %.0fx slower per record moved; %.0fx per new record reaching every client |\n",
           n_clients, records, batch, n_shared, wall, pushed, pulled, (pushed + pulled) / wall,
           n_clients * records, n_clients * records / wall, n_clients * records, raw,
           n_clients * records / raw, (n_clients * records / raw) / ((pushed + pulled) / wall),
           (n_clients * records / raw) / (n_clients * records / wall));
  g_print ("| POST /api/v1/push (%u requests) | p50 **%.1f ms**, p95 **%.1f ms**, max %.1f ms; %u over 500 ms | | |\n",
           push_ms->len, percentile (push_ms, 0.5), percentile (push_ms, 0.95),
           percentile (push_ms, 1.0), count_over (push_ms, 500));
  g_print ("| GET /api/v1/changes (%u requests) | p50 **%.1f ms**, p95 **%.1f ms**, max %.1f ms; %u over 500 ms | | |\n",
           changes_ms->len, percentile (changes_ms, 0.5), percentile (changes_ms, 0.95),
           percentile (changes_ms, 1.0), count_over (changes_ms, 500));
  g_print ("| sign-in, %d at once (test hash cost) | p50 %.1f ms, max %.1f ms | | |\n",
           n_clients, percentile (login_ms, 0.5), percentile (login_ms, 1.0));
  g_print ("| failed requests (transport errors, statuses other than 2xx) | **%u** of %u "
           "(409 epoch-changed: %u; sync runs that failed: %u) | | |\n",
           failed, push_ms->len + changes_ms->len, epochs, runs_failed);
  if (overflows >= 0)
    g_print ("| connections the kernel dropped meanwhile because a listening socket's queue was full "
             "(TcpExt ListenOverflows, whole machine; the client resends after 1 s) | %" G_GINT64_FORMAT " | | |\n",
             overflows);
  g_print ("| conflicts recorded on the clients | %u | | |\n", conflicts);
  g_print ("| clients holding the server's %u insight ids (expected %u) | **%u of %d**; same ids and texts: %u of %d | | |\n",
           server_count, unique, ids_match, n_clients, texts_match, n_clients);

  for (int i = 0; i < n_clients; i++)
    {
      g_free (clients[i].email);
      g_free (clients[i].path);
      g_free (clients[i].token);
      g_free (clients[i].first_error);
      g_array_unref (clients[i].push_ms);
      g_array_unref (clients[i].changes_ms);
    }
  g_free (clients);
  g_strfreev (load.shared);
  return failed == 0 && runs_failed == 0 && ids_match == (guint) n_clients && server_count == unique ? 0 : 1;
}
