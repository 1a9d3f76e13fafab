/* test-sync-http.c — sync through the real insight-hub-server over HTTP:
 * two laptops, roles, and the server killed in the middle of a push or a
 * pull
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/prctl.h>

#include "ih-blobs.h"
#include "ih-papers.h"
#include "ih-record-json.h"
#include "ih-store-private.h"
#include "ih-sync-client.h"
#include "ih-sync-server.h"
#include "ih-sync.h"

static const char *server_path;
static const char *cli_path;

typedef struct
{
  char        *dir;
  char        *db;
  char        *conf;
  GSubprocess *proc;
  char        *url;
} Server;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
add_user (Server     *s,
          const char *email,
          const char *role)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  const char *argv[] = { server_path, "adduser", email, "--role", role, "--config", s->conf,
                         "--db", s->db, NULL };

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, "a long enough password\n", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));
}

/* Starts the server; @crash names the point where it kills itself */
static void
server_launch (Server     *s,
               const char *crash)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) out = NULL;
  const char *argv[] = { server_path, "serve", "--config", s->conf, "--db", s->db, "--port", "0", NULL };

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  if (crash != NULL)
    g_subprocess_launcher_setenv (launcher, "IH_SERVER_TEST_CRASH", crash, TRUE);
  s->proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->proc));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (g_str_has_prefix (line, "listening on "))
        {
          g_free (s->url);
          s->url = g_strdup (line + strlen ("listening on "));
          break;
        }
    }
}

static void
server_start (Server *s)
{
  g_autoptr(GError) error = NULL;

  memset (s, 0, sizeof *s);
  s->dir = g_dir_make_tmp ("ih-sync-http-XXXXXX", &error);
  g_assert_no_error (error);
  s->db = g_build_filename (s->dir, "server.db", NULL);
  s->conf = g_build_filename (s->dir, "server.conf", NULL);
  g_assert_true (g_file_set_contents (s->conf, "[auth]\npassword-hash-cost=unsafe-fast-for-tests-only\n",
                                      -1, NULL));
  add_user (s, "ann@example.org", "officer");
  add_user (s, "bob@example.org", "officer");
  add_user (s, "vic@example.org", "viewer");
  server_launch (s, NULL);
}

/* Expects the server to have killed itself */
static void
server_expect_killed (Server *s)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_wait (s->proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (s->proc));
  g_assert_cmpint (g_subprocess_get_term_sig (s->proc), ==, SIGKILL);
  g_clear_object (&s->proc);
}

static void
server_stop (Server *s)
{
  if (s->proc != NULL)
    {
      g_subprocess_send_signal (s->proc, SIGTERM);
      g_subprocess_wait (s->proc, NULL, NULL);
      g_clear_object (&s->proc);
    }
}

static void
server_clear (Server *s)
{
  server_stop (s);
  g_free (s->url);
  g_free (s->db);
  g_free (s->conf);
  g_free (s->dir);
}

static IhStore *
open_client (const char *name,
             Server     *s)
{
  /* Each laptop in its own folder: the papers' files sit beside the database */
  g_autofree char *path = g_build_filename (s->dir, name, name, NULL);
  g_autoptr(GError) error = NULL;
  IhStore *store = ih_store_open (path, &error);

  g_assert_no_error (error);
  ih_sync_setup (store, s->url, &error);
  g_assert_no_error (error);
  return store;
}

/* Signs in and syncs once; FALSE with @error when the run failed */
static gboolean
sync_as (Server         *s,
         IhStore        *store,
         const char     *email,
         IhSyncSummary  *summary,
         GError        **error)
{
  g_autoptr(IhSyncClient) client = ih_sync_client_new (s->url);
  g_autoptr(IhSyncEngine) engine = NULL;
  g_autoptr(GError) login_error = NULL;

  ih_sync_client_login (client, email, "a long enough password", NULL, &login_error);
  g_assert_no_error (login_error);
  engine = ih_sync_client_new_engine (client, store);
  ih_sync_engine_set_batch_size (engine, 40);
  return ih_sync_engine_run (engine, summary, NULL, error);
}

static void
sync_ok (Server     *s,
         IhStore    *store,
         const char *email)
{
  g_autoptr(GError) error = NULL;

  sync_as (s, store, email, NULL, &error);
  g_assert_no_error (error);
}

static char *
new_insight (IhStore    *store,
             const char *text,
             gboolean    restricted)
{
  g_autoptr(IhInsight) insight = ih_insight_new ();
  g_autoptr(GError) error = NULL;

  insight->text = g_strdup (text);
  insight->restricted = restricted;
  ih_store_save (store, insight, &error);
  g_assert_no_error (error);
  return g_strdup (insight->parent.id);
}

static gint64
server_count (Server     *s,
              const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (s->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
test_two_laptops (void)
{
  Server s;
  g_autoptr(IhStore) a = NULL;
  g_autoptr(IhStore) b = NULL;
  g_autoptr(IhInsight) on_b = NULL;
  g_autoptr(IhInsight) edit = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  IhSyncSummary summary;

  server_start (&s);
  a = open_client ("a.db", &s);
  b = open_client ("b.db", &s);
  id = new_insight (a, "The car park fills by nine", FALSE);
  sync_as (&s, a, "ann@example.org", &summary, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.pushed, ==, 1);
  sync_ok (&s, b, "bob@example.org");
  on_b = ih_store_load (b, &ih_insight_class, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_b->text, ==, "The car park fills by nine");
  g_assert_cmpstr (on_b->parent.author, ==, "ann@example.org");

  /* The same field on both: one conflict, the same on both laptops */
  edit = ih_store_load (a, &ih_insight_class, id, &error);
  g_free (edit->text);
  edit->text = g_strdup ("Ann: full by nine");
  ih_store_save (a, edit, &error);
  g_assert_no_error (error);
  g_free (on_b->text);
  on_b->text = g_strdup ("Bob: full by half past eight");
  ih_store_save (b, on_b, &error);
  g_assert_no_error (error);
  sync_ok (&s, a, "ann@example.org");
  sync_ok (&s, b, "bob@example.org");
  sync_ok (&s, a, "ann@example.org");
  for (IhStore **st = (IhStore *[]) { a, b, NULL }; *st; st++)
    {
      g_autoptr(IhInsight) now = ih_store_load (*st, &ih_insight_class, id, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (now->text, ==, "Ann: full by nine");
      g_clear_pointer (&conflicts, g_ptr_array_unref);
      conflicts = ih_sync_list_conflicts (*st, TRUE, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (conflicts->len, ==, 1);
      g_assert_cmpstr (((IhInsight *) ((IhSyncConflict *) conflicts->pdata[0])->loser)->text, ==,
                       "Bob: full by half past eight");
    }
  /* Every accepted change is in the audit trail */
  g_assert_cmpint (server_count (&s, "SELECT count(*) FROM server_audit WHERE action = 'sync-push'"), >=, 3);
  server_clear (&s);
}

/* POST /api/v1/conflicts/{id}/resolve as @email; returns the status */
static guint
post_resolve (Server      *s,
              const char  *email,
              const char  *conflict_id,
              const char  *body,
              JsonObject **reply)
{
  g_autoptr(IhSyncClient) client = ih_sync_client_new (s->url);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (s->url, "/api/v1/conflicts/", conflict_id, "/resolve", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *auth = NULL;

  ih_sync_client_login (client, email, "a long enough password", NULL, &error);
  g_assert_no_error (error);
  token = ih_sync_client_dup_token (client);
  auth = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (reply != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                                 g_bytes_get_size (answer), &error));
      g_assert_no_error (error);
      *reply = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
    }
  return soup_message_get_status (msg);
}

/* GET /api/v1/changes as @email: the body as it came, with its type */
static GBytes *
get_changes (Server      *s,
             const char  *email,
             const char  *query)
{
  g_autoptr(IhSyncClient) client = ih_sync_client_new (s->url);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (s->url, "/api/v1/changes", query, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *auth = NULL;
  GBytes *answer;

  ih_sync_client_login (client, email, "a long enough password", NULL, &error);
  g_assert_no_error (error);
  token = ih_sync_client_dup_token (client);
  auth = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL),
                   ==, "application/json");
  return answer;
}

/* The feed the server sends as text is, member for member, what the
 * core's feed gives for the same database, for an officer and a viewer */
static void
test_changes_body (void)
{
  static const char *awkward = "“Quoted” \"words\"\tand a\\backslash\nline \x01\x1f 🎉 café";
  static const struct
  {
    const char *email;
    IhRole      role;
    const char *query;
  } asks[] = {
    { "ann@example.org", IH_ROLE_OFFICER, "?since=0&limit=5000" },
    { "ann@example.org", IH_ROLE_OFFICER, "?since=2&limit=1" },
    { "ann@example.org", IH_ROLE_OFFICER, "" },
    { "vic@example.org", IH_ROLE_VIEWER, "?since=0&limit=5000" },
  };
  GBytes *bodies[G_N_ELEMENTS (asks)];
  Server s;
  g_autoptr(IhStore) a = NULL;
  g_autoptr(IhStore) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *open_id = NULL;
  g_autofree char *secret_id = NULL;

  server_start (&s);
  a = open_client ("a.db", &s);
  open_id = new_insight (a, awkward, FALSE);
  secret_id = new_insight (a, "Restricted words", TRUE);
  for (guint i = 0; i < 3; i++)
    g_free (new_insight (a, "More words", FALSE));
  sync_ok (&s, a, "ann@example.org");
  for (guint i = 0; i < G_N_ELEMENTS (asks); i++)
    bodies[i] = get_changes (&s, asks[i].email, asks[i].query);
  server_stop (&s);

  server = ih_store_open (s.db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (asks); i++)
    {
      g_autoptr(JsonNode) got = NULL;
      g_autoptr(JsonNode) want = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(JsonObject) batch = NULL;
      g_autofree char *text = g_strndup (g_bytes_get_data (bodies[i], NULL), g_bytes_get_size (bodies[i]));
      JsonArray *changes;
      gboolean found = FALSE;

      got = ih_json_from_string (text, "body", &error);
      g_assert_no_error (error);
      batch = ih_sync_server_changes (server, i == 1 ? 2 : 0, i == 1 ? 1 : i == 2 ? 0 : 5000, asks[i].role,
                                      &error);
      g_assert_no_error (error);
      json_node_set_object (want, batch);
      g_assert_true (json_node_equal (got, want));

      changes = json_object_get_array_member (json_node_get_object (got), "changes");
      for (guint j = 0; j < json_array_get_length (changes); j++)
        {
          JsonObject *record = json_array_get_object_element (changes, j);

          if (asks[i].role == IH_ROLE_VIEWER)
            g_assert_cmpstr (json_object_get_string_member (record, "id"), !=, secret_id);
          if (g_strcmp0 (json_object_get_string_member (record, "id"), open_id) == 0)
            {
              g_assert_cmpstr (json_object_get_string_member (record, "text"), ==, awkward);
              found = TRUE;
            }
        }
      if (i != 1)
        g_assert_true (found);
      if (asks[i].role == IH_ROLE_VIEWER)
        g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (got),
                                                                                "purged")), ==, 1);
      g_bytes_unref (bodies[i]);
    }
  server_clear (&s);
}

static void
test_resolve_endpoint (void)
{
  Server s;
  g_autoptr(IhStore) a = NULL;
  g_autoptr(IhStore) b = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autofree char *device = g_uuid_string_random ();
  g_autofree char *change_id = g_uuid_string_random ();
  const char *conflict_id;

  server_start (&s);
  a = open_client ("a.db", &s);
  b = open_client ("b.db", &s);
  id = new_insight (a, "First words", FALSE);
  sync_ok (&s, a, "ann@example.org");
  sync_ok (&s, b, "bob@example.org");
  for (IhStore **st = (IhStore *[]) { a, b, NULL }; *st; st++)
    {
      g_autoptr(IhInsight) edit = ih_store_load (*st, &ih_insight_class, id, &error);

      g_assert_no_error (error);
      g_free (edit->text);
      edit->text = g_strdup (*st == a ? "Ann's words" : "Bob's words");
      ih_store_save (*st, edit, &error);
      g_assert_no_error (error);
    }
  sync_ok (&s, a, "ann@example.org");
  sync_ok (&s, b, "bob@example.org");
  conflicts = ih_sync_list_conflicts (b, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict_id = ((IhSyncConflict *) conflicts->pdata[0])->id;

  /* Refused: a viewer, an unknown conflict, a body with a stray member */
  g_assert_cmpuint (post_resolve (&s, "vic@example.org", conflict_id, "{}", NULL), ==, 403);
  g_assert_cmpuint (post_resolve (&s, "bob@example.org", "0b0e8a36-2b5b-4c8c-9d69-8f7c3e2f4a10",
                                  "{}", NULL), ==, 404);
  g_assert_cmpuint (post_resolve (&s, "bob@example.org", conflict_id, "{\"colour\": 1}", &reply), ==, 400);
  g_assert_nonnull (strstr (json_object_get_string_member (reply, "message"), "colour"));
  g_clear_pointer (&reply, json_object_unref);

  /* Resolved with words both agree on */
  body = g_strdup_printf ("{\"device\": \"%s\", \"change_id\": \"%s\", \"base_rev\": %" G_GINT64_FORMAT ","
                          " \"fields\": {\"text\": \"Words both agree on\"}, \"changed_fields\": [\"text\"]}",
                          device, change_id, ((IhSyncConflict *) conflicts->pdata[0])->winner->rev);
  g_assert_cmpuint (post_resolve (&s, "bob@example.org", conflict_id, body, &reply), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (reply, "status"), ==, "accepted");
  g_assert_cmpstr (json_object_get_string_member (reply, "resolved"), ==, conflict_id);

  sync_ok (&s, a, "ann@example.org");
  sync_ok (&s, b, "bob@example.org");
  for (IhStore **st = (IhStore *[]) { a, b, NULL }; *st; st++)
    {
      g_autoptr(IhInsight) now = ih_store_load (*st, &ih_insight_class, id, &error);
      g_autoptr(GPtrArray) open = ih_sync_list_conflicts (*st, TRUE, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (now->text, ==, "Words both agree on");
      g_assert_cmpuint (open->len, ==, 0);
    }
  server_clear (&s);
}

static void
test_wrong_password_and_viewer (void)
{
  Server s;
  g_autoptr(IhStore) a = NULL;
  g_autoptr(IhStore) v = NULL;
  g_autoptr(IhSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *open_id = NULL;
  g_autofree char *secret_id = NULL;
  IhSyncSummary summary;

  server_start (&s);
  client = ih_sync_client_new (s.url);
  g_assert_false (ih_sync_client_login (client, "ann@example.org", "not the password", NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  a = open_client ("a.db", &s);
  v = open_client ("v.db", &s);
  open_id = new_insight (a, "Open words", FALSE);
  secret_id = new_insight (a, "Restricted words", TRUE);
  sync_ok (&s, a, "ann@example.org");
  sync_ok (&s, v, "vic@example.org");
  g_assert_true (ih_store_exists (v, &ih_insight_class, open_id));
  g_assert_false (ih_store_exists (v, &ih_insight_class, secret_id));

  /* A viewer's edit is refused, kept on the laptop, and said so */
  {
    g_autoptr(IhInsight) edit = ih_store_load (v, &ih_insight_class, open_id, &error);

    g_free (edit->text);
    edit->text = g_strdup ("Changed by a viewer");
    ih_store_save (v, edit, &error);
    g_assert_no_error (error);
  }
  sync_as (&s, v, "vic@example.org", &summary, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.refused, ==, 1);
  g_assert_cmpint (ih_sync_count_refused (v), ==, 1);
  server_clear (&s);
}

/* Files a paper with @len bytes of @bytes as its file in a new meeting of
 * @body on @date; returns the paper (its sha256 set) */
static IhPaper *
new_paper_with_file (IhStore    *store,
                     Server     *s,
                     const char *file_name,
                     const char *bytes,
                     gsize       len,
                     const char *body,
                     const char *date,
                     const char *title)
{
  g_autoptr(IhMeeting) meeting = ih_meeting_new ();
  g_autoptr(IhBlobs) blobs = ih_papers_get_blobs (store);
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (s->dir, file_name, NULL);
  IhPaper *paper = ih_paper_new ();

  g_assert_true (g_file_set_contents (file, bytes, len, NULL));
  paper->sha256 = ih_blobs_add_file (blobs, file, NULL, NULL, &error);
  g_assert_no_error (error);
  meeting->body = g_strdup (body);
  meeting->date = g_strdup (date);
  ih_store_save (store, meeting, &error);
  g_assert_no_error (error);
  paper->meeting_id = g_strdup (meeting->parent.id);
  paper->title = g_strdup (title);
  paper->size = len;
  ih_store_save (store, paper, &error);
  g_assert_no_error (error);
  return paper;
}

/* A sign-in the server does not know is "sign in again" (401); a signed-in
 * account whose role may not do something is refused for that only (403):
 * a viewer's new paper keeps its file on the laptop, the paper is refused
 * with the push, and the viewer still receives everyone else's work */
static void
test_forbidden_is_not_signed_out (void)
{
  Server s;
  g_autoptr(IhStore) a = NULL;
  g_autoptr(IhStore) v = NULL;
  g_autoptr(IhSyncClient) client = NULL;
  g_autoptr(IhSyncEngine) engine = NULL;
  g_autoptr(IhPaper) paper = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *later = NULL;
  const char *text = "%PDF-1.4 a viewer's paper\n";
  g_autofree char *sql = NULL;
  IhSyncSummary summary;

  server_start (&s);
  a = open_client ("a.db", &s);
  v = open_client ("v.db", &s);

  /* A token the server never gave */
  client = ih_sync_client_new (s.url);
  ih_sync_client_set_token (client, "not-a-token-the-server-gave");
  engine = ih_sync_client_new_engine (client, v);
  g_assert_false (ih_sync_engine_run (engine, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* The viewer files a paper */
  paper = new_paper_with_file (v, &s, "viewer.pdf", text, strlen (text), "ICB Board", "2026-05-07",
                               "A viewer's notes");

  later = new_insight (a, "Written after the viewer's paper", FALSE);
  sync_ok (&s, a, "ann@example.org");

  sync_as (&s, v, "vic@example.org", &summary, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.blobs_sent, ==, 0);
  g_assert_cmpuint (summary.refused, >=, 1);
  g_assert_true (ih_store_exists (v, &ih_insight_class, later));
  g_assert_true (ih_store_exists (v, &ih_paper_class, paper->parent.id));
  sql = g_strdup_printf ("SELECT count(*) FROM paper WHERE id = '%s'", paper->parent.id);
  g_assert_cmpint (server_count (&s, sql), ==, 0);

  /* The same again next time: still not an error */
  sync_as (&s, v, "vic@example.org", &summary, &error);
  g_assert_no_error (error);
  server_clear (&s);
}

/* The server dies at @crash during the first sync of 100 insight; after a
 * restart the next sync completes, nothing lost or twice */
static void
killed_during (const char *crash,
               gboolean    pushing)
{
  Server s;
  g_autoptr(IhStore) a = NULL;
  g_autoptr(IhStore) b = NULL;
  g_autoptr(GError) error = NULL;

  server_start (&s);
  a = open_client ("a.db", &s);
  b = open_client ("b.db", &s);
  for (int i = 0; i < 100; i++)
    g_free (new_insight (a, "Feedback before the crash", FALSE));

  if (!pushing)
    sync_ok (&s, a, "ann@example.org");

  /* Restart with the crash armed */
  server_stop (&s);
  server_launch (&s, crash);
  g_assert_false (sync_as (&s, pushing ? a : b, pushing ? "ann@example.org" : "bob@example.org",
                           NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  server_expect_killed (&s);

  server_launch (&s, NULL);
  sync_ok (&s, a, "ann@example.org");
  sync_ok (&s, b, "bob@example.org");
  g_assert_cmpint (server_count (&s, "SELECT count(*) FROM insight"), ==, 100);
  g_assert_cmpint (server_count (&s, "SELECT count(DISTINCT id) FROM insight"), ==, 100);
  g_assert_cmpint (server_count (&s, "SELECT count(*) FROM sync_conflict"), ==, 0);
  g_assert_cmpint (ih_store_count (b, &ih_insight_class), ==, 100);
  g_assert_cmpint (ih_sync_count_pending (a), ==, 0);
  g_assert_cmpint (ih_sync_get_cursor (b), ==, server_count (&s, "SELECT seq FROM sync_server"));
  {
    g_autoptr(GError) check = NULL;

    _ih_store_check_index (b, &check);
    g_assert_no_error (check);
  }
  server_clear (&s);
}

static void
test_killed_mid_push (void)
{
  killed_during ("push", TRUE);
}

static void
test_killed_after_push_commit (void)
{
  killed_during ("push-reply", TRUE);
}

static void
test_killed_mid_pull (void)
{
  killed_during ("changes", FALSE);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (to, contents, length, NULL));
}

/* The server's database restored from an older backup: the laptops give
 * back what it lost, nothing is deleted */
static void
test_restored_backup (void)
{
  Server s;
  g_autoptr(IhStore) a = NULL;
  g_autoptr(IhStore) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *wal = NULL;

  server_start (&s);
  a = open_client ("a.db", &s);
  b = open_client ("b.db", &s);
  for (int i = 0; i < 3; i++)
    g_free (new_insight (a, "Before the backup", FALSE));
  sync_ok (&s, a, "ann@example.org");

  /* A clean stop checkpoints the WAL: the file alone is the backup */
  server_stop (&s);
  backup = g_build_filename (s.dir, "backup.db", NULL);
  copy_file (s.db, backup);
  server_launch (&s, NULL);
  for (int i = 0; i < 2; i++)
    g_free (new_insight (a, "After the backup", FALSE));
  sync_ok (&s, a, "ann@example.org");
  sync_ok (&s, b, "bob@example.org");
  server_stop (&s);

  copy_file (backup, s.db);
  wal = g_strconcat (s.db, "-wal", NULL);
  g_unlink (wal);
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, server_path, "reset-epoch",
                           "--config", s.conf, "--db", s.db, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (server_count (&s, "SELECT count(*) FROM insight"), ==, 3);

  /* Ann's next push meets the new epoch (409), so her laptop pulls,
   * queues everything and pushes again */
  server_launch (&s, NULL);
  g_free (new_insight (a, "After the restore", FALSE));
  sync_ok (&s, a, "ann@example.org");
  sync_ok (&s, b, "bob@example.org");
  sync_ok (&s, a, "ann@example.org");
  g_assert_cmpint (server_count (&s, "SELECT count(*) FROM insight"), ==, 6);
  g_assert_cmpint (server_count (&s, "SELECT count(*) FROM sync_conflict"), ==, 0);
  g_assert_cmpint (ih_store_count (a, &ih_insight_class), ==, 6);
  g_assert_cmpint (ih_store_count (b, &ih_insight_class), ==, 6);
  g_assert_cmpint (ih_sync_count_pending (a) + ih_sync_count_pending (b), ==, 0);
  server_clear (&s);
}

static void
plant_partial (IhStore    *store,
               const char *sha256,
               const char *bytes,
               gsize       length)
{
  g_autoptr(IhBlobs) blobs = ih_papers_get_blobs (store);
  g_autofree char *dir = g_build_filename (ih_blobs_get_folder (blobs), "partial", NULL);
  g_autofree char *name = g_strconcat (sha256, ".part", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, bytes, length, NULL));
}

static void
assert_blob (IhStore    *store,
             const char *sha256,
             const char *bytes,
             gsize       length)
{
  g_autoptr(IhBlobs) blobs = ih_papers_get_blobs (store);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = ih_blobs_get_path (blobs, sha256, &error);
  g_autofree char *contents = NULL;
  gsize got;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &got, NULL));
  g_assert_cmpmem (contents, got, bytes, length);
}

/* A paper's file goes up with the paper and comes down to laptops that
 * keep the meeting offline, a cut download resumed, damaged bytes refused */
static void
test_papers_offline (void)
{
  Server s;
  g_autoptr(IhStore) a = NULL;
  g_autoptr(IhStore) b = NULL;
  g_autoptr(IhStore) c = NULL;
  g_autoptr(IhPaper) paper = NULL;
  g_autoptr(GError) error = NULL;
  const char *sha256;
  GString *bytes = g_string_new (NULL);
  gsize half;
  IhSyncSummary summary;

  server_start (&s);
  a = open_client ("a.db", &s);
  b = open_client ("b.db", &s);
  c = open_client ("c.db", &s);

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (bytes, "%%PDF-ish line %u\n", i);
  half = bytes->len / 2;
  paper = new_paper_with_file (a, &s, "paper.pdf", bytes->str, bytes->len, "ICB Board", "2026-03-05",
                               "Winter plan");
  sha256 = paper->sha256;

  sync_as (&s, a, "ann@example.org", &summary, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.blobs_sent, ==, 1);

  /* Not offline on Bob's laptop: the paper, not its file */
  sync_as (&s, b, "bob@example.org", &summary, &error);
  g_assert_no_error (error);
  g_assert_true (ih_store_exists (b, &ih_paper_class, paper->parent.id));
  g_assert_cmpuint (summary.blobs_fetched, ==, 0);

  /* Offline, with half of it from a download that was cut: only the rest comes */
  ih_papers_set_meeting_offline (b, paper->meeting_id, TRUE, &error);
  g_assert_no_error (error);
  plant_partial (b, sha256, bytes->str, half);
  sync_as (&s, b, "bob@example.org", &summary, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.blobs_fetched, ==, 1);
  g_assert_cmpuint (summary.blob_bytes, ==, bytes->len - half);
  assert_blob (b, sha256, bytes->str, bytes->len);

  /* Damaged bytes in a cut download: refused by the hash, fetched whole */
  sync_ok (&s, c, "vic@example.org");
  ih_papers_set_meeting_offline (c, paper->meeting_id, TRUE, &error);
  g_assert_no_error (error);
  plant_partial (c, sha256, "garbage, not the paper at all", 29);
  sync_as (&s, c, "vic@example.org", &summary, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.blobs_fetched, ==, 1);
  assert_blob (c, sha256, bytes->str, bytes->len);

  g_string_free (bytes, TRUE);
  server_clear (&s);
}

static void
test_cli_sync (void)
{
  Server s;
  g_autoptr(IhStore) a = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *b_db = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  server_start (&s);
  a = open_client ("a.db", &s);
  g_free (new_insight (a, "Pulled by the command line", FALSE));
  sync_ok (&s, a, "ann@example.org");

  b_db = g_build_filename (s.dir, "cli.db", NULL);
  g_subprocess_launcher_setenv (launcher, "INSIGHT_HUB_PASSWORD", "a long enough password", TRUE);
  proc = g_subprocess_launcher_spawn (launcher, &error, cli_path, "--db", b_db, "sync", "--server", s.url,
                                      "--user", "bob@example.org", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (proc) != 0)
    g_error ("insight-hub-cli sync failed: %s%s", out, err);
  g_assert_nonnull (strstr (out, "pulled 1 records"));
  g_clear_object (&proc);

  /* A wrong password says so and fails */
  g_subprocess_launcher_setenv (launcher, "INSIGHT_HUB_PASSWORD", "wrong password", TRUE);
  proc = g_subprocess_launcher_spawn (launcher, &error, cli_path, "--db", b_db, "sync",
                                      "--user", "bob@example.org", NULL);
  g_assert_no_error (error);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
  g_assert_nonnull (strstr (err, "could not sign in"));
  server_clear (&s);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* No desktop proxy settings in a test: connect directly */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  for (int i = 1; i + 1 < argc; i++)
    {
      if (strcmp (argv[i], "--server") == 0)
        server_path = argv[i + 1];
      else if (strcmp (argv[i], "--cli") == 0)
        cli_path = argv[i + 1];
    }
  g_assert_nonnull (server_path);
  g_assert_nonnull (cli_path);

  g_test_add_func ("/sync-http/two-laptops", test_two_laptops);
  g_test_add_func ("/sync-http/resolve", test_resolve_endpoint);
  g_test_add_func ("/sync-http/changes-body", test_changes_body);
  g_test_add_func ("/sync-http/wrong-password-and-viewer", test_wrong_password_and_viewer);
  g_test_add_func ("/sync-http/forbidden-is-not-signed-out", test_forbidden_is_not_signed_out);
  g_test_add_func ("/sync-http/killed/mid-push", test_killed_mid_push);
  g_test_add_func ("/sync-http/killed/after-push-commit", test_killed_after_push_commit);
  g_test_add_func ("/sync-http/killed/mid-pull", test_killed_mid_pull);
  g_test_add_func ("/sync-http/restored-backup", test_restored_backup);
  g_test_add_func ("/sync-http/papers-offline", test_papers_offline);
  g_test_add_func ("/sync-http/cli", test_cli_sync);

  return g_test_run ();
}
