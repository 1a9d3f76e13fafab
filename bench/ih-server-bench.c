/* ih-server-bench.c — what sign-ins cost the server, each beside a
 * reference measured in the same run: a sign-in against one bare argon2id
 * verification, /healthz while sign-ins hash against /healthz when idle,
 * and a refused 1 GB upload against /healthz. Prints a tab-separated
 * report. The server runs in-process on its own thread, at the default
 * (interactive) password cost.
 *
 *   ih-server-bench [--logins N]
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

#include "ih-server-private.h"

#define PASSWORD "a-benchmark-password"
#define SAMPLES 40

typedef struct
{
  GMutex        lock;
  GCond         cond;
  char         *db;
  char         *uri;
  guint16       port;
  GMainContext *context;
  GMainLoop    *loop;
} Bench;

static gpointer
server_thread (gpointer data)
{
  Bench *b = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(IhStore) store = NULL;
  g_autoptr(IhServer) server = NULL;
  g_autofree char *hash = NULL;

  g_main_context_push_thread_default (b->context);
  store = ih_store_open (b->db, &error);
  g_assert_no_error (error);
  server = ih_server_new (store, NULL, &error);
  g_assert_no_error (error);
  hash = _ih_password_hash (PASSWORD, IH_PASSWORD_COST_INTERACTIVE, &error);
  g_assert_no_error (error);
  g_assert_true (_ih_server_db_add_user (store, "bench@example.org", "Bench", IH_ROLE_OFFICER,
                                         hash, &error));
  g_assert_true (ih_server_listen (server, "127.0.0.1", 0, NULL, FALSE, &error));
  g_assert_no_error (error);

  g_mutex_lock (&b->lock);
  b->uri = ih_server_get_uri (server);
  g_cond_signal (&b->cond);
  g_mutex_unlock (&b->lock);

  g_main_loop_run (b->loop);
  g_main_context_pop_thread_default (b->context);
  return NULL;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* One request on a fresh session; its time in ms */
static double
request (Bench      *b,
         const char *method,
         const char *path,
         const char *json,
         guint       expect)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (b->uri, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  double t0;

  if (json != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }
  t0 = now_ms ();
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (soup_message_get_status (msg) != expect)
    g_error ("%s %s: %u, expected %u", method, path, soup_message_get_status (msg), expect);
  return now_ms () - t0;
}

static double
login (Bench *b)
{
  return request (b, "POST", "/api/v1/login",
                  "{\"email\": \"bench@example.org\", \"password\": \"" PASSWORD "\"}", 200);
}

static int logins_done;

static gpointer
login_thread (gpointer data)
{
  double *ms = g_new (double, 1);

  *ms = login (data);
  g_atomic_int_inc (&logins_done);
  return ms;
}

static void
discard (const char *text)
{
}

/* 1 GB announced on a raw connection; the time to the 413 */
static double
refused_upload (Bench *b)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  const char request_text[] = "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Content-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n";
  char buf[512];
  gssize n;
  double t0;

  conn = g_socket_client_connect_to_host (client, "127.0.0.1", b->port, NULL, &error);
  g_assert_no_error (error);
  t0 = now_ms ();
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request_text,
                             strlen (request_text), NULL, NULL, &error);
  g_assert_no_error (error);
  n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buf, sizeof buf - 1,
                           NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 12);
  buf[n] = '\0';
  g_assert_true (g_str_has_prefix (buf, "HTTP/1.1 413"));
  return now_ms () - t0;
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, cmp_double);
  return g_array_index (values, double, values->len / 2);
}

static void
report (const char *what,
        double      ms,
        const char *reference,
        double      ref_ms)
{
  printf ("%s\t%.2f ms\t%s\t%.2f ms\t%.2fx\n", what, ms, reference, ref_ms, ms / ref_ms);
}

static gboolean
quit_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  int logins = 8;
  GOptionEntry entries[] = {
    { "logins", 0, 0, G_OPTION_ARG_INT, &logins, "Sign-ins at once (default 8)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) idle = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) busy = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) verify = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) single = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) refused = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autofree char *hash = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GUri) uri = NULL;
  GThread *server;
  Bench b = { 0 };
  double all_logins_ms = 0, t0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || logins < 1)
    {
      fprintf (stderr, "ih-server-bench: %s\n", error != NULL ? error->message : "--logins must be 1 or more");
      return 2;
    }
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  dir = g_dir_make_tmp ("ih-server-bench-XXXXXX", &error);
  g_assert_no_error (error);
  b.db = g_build_filename (dir, "server.db", NULL);
  b.context = g_main_context_new ();
  b.loop = g_main_loop_new (b.context, FALSE);
  g_mutex_init (&b.lock);
  g_cond_init (&b.cond);
  g_mutex_lock (&b.lock);
  server = g_thread_new ("server", server_thread, &b);
  while (b.uri == NULL)
    g_cond_wait (&b.cond, &b.lock);
  g_mutex_unlock (&b.lock);
  uri = g_uri_parse (b.uri, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  b.port = g_uri_get_port (uri);

  /* The request log would drown the report */
  g_set_print_handler (discard);

  /* References */
  hash = _ih_password_hash (PASSWORD, IH_PASSWORD_COST_INTERACTIVE, &error);
  for (int i = 0; i < 5; i++)
    {
      t0 = now_ms ();
      g_assert_true (_ih_password_verify (hash, PASSWORD));
      g_array_append_vals (verify, (double[]) { now_ms () - t0 }, 1);
    }
  for (int i = 0; i < SAMPLES; i++)
    g_array_append_vals (idle, (double[]) { request (&b, "GET", "/healthz", NULL, 200) }, 1);

  /* One sign-in at a time */
  for (int i = 0; i < 5; i++)
    g_array_append_vals (single, (double[]) { login (&b) }, 1);

  /* Many at once, with /healthz asked meanwhile */
  t0 = now_ms ();
  for (int i = 0; i < logins; i++)
    g_ptr_array_add (threads, g_thread_new ("login", login_thread, &b));
  while (g_atomic_int_get (&logins_done) < logins)
    g_array_append_vals (busy, (double[]) { request (&b, "GET", "/healthz", NULL, 200) }, 1);
  for (guint i = 0; i < threads->len; i++)
    {
      double *ms = g_thread_join (g_ptr_array_index (threads, i));
      all_logins_ms = MAX (all_logins_ms, *ms);
      g_free (ms);
    }

  for (int i = 0; i < SAMPLES; i++)
    g_array_append_vals (refused, (double[]) { refused_upload (&b) }, 1);
  /* Idle again, now that everything is warm */
  for (int i = 0; i < SAMPLES; i++)
    g_array_append_vals (idle, (double[]) { request (&b, "GET", "/healthz", NULL, 200) }, 1);

  printf ("measure\tvalue\treference\tvalue\tratio\n");
  report ("sign-in (median of 5)", median (single), "argon2id verify alone", median (verify));
  {
    g_autofree char *what = g_strdup_printf ("/healthz during %d sign-ins", logins);
    report (what, median (busy), "/healthz idle", median (idle));
  }
  {
    g_autofree char *what = g_strdup_printf ("%d sign-ins at once, all done", logins);
    report (what, all_logins_ms, "one sign-in", median (single));
  }
  report ("1 GB upload refused (413)", median (refused), "/healthz idle", median (idle));

  g_main_context_invoke (b.context, quit_cb, b.loop);
  g_thread_join (server);
  g_print ("%s", "");
  printf ("(%u /healthz samples during the sign-ins; server at the interactive cost, "
          "max-concurrent-hashes 2)\n", busy->len);
  return 0;
}
