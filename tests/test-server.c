/* test-server.c — the real insight-hub-server, started on a free loopback
 * port, driven over HTTP as clients and attackers would
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <string.h>

#include "ih-server-private.h"
#include "ih-store.h"
#include "ih-test-util.h"

static char *server_path;

typedef struct
{
  char             *dir;
  char             *db;
  char             *conf;
  GSubprocess      *proc;
  GDataInputStream *out;
  GString          *log;
  char             *uri;
  guint16           port;
  SoupSession      *session;
  GTlsCertificate  *certificate;
} Server;

typedef struct
{
  guint        status;
  SoupMessage *msg;
  GBytes      *body;
  JsonNode    *json;
} Reply;

static void
reply_clear (Reply *r)
{
  g_clear_object (&r->msg);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_pointer (&r->json, json_node_unref);
  r->status = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

static const char * const roles[] = { "viewer", "officer", "manager", "admin" };

static char *
password_for (const char *role)
{
  return g_strdup_printf ("%s-secret-password", role);
}

static char *
email_for (const char *role)
{
  return g_strdup_printf ("%s@example.org", role);
}

/*
 * Running the binary
 */

/* Runs insight-hub-server with @input on stdin; returns its exit status. */
static int
run_cmd (const char  *input,
         char       **out,
         char       **err,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *o = NULL;
  g_autofree char *e = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, server_path);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  /* Without input, stdin is /dev/null: nothing to write to a command
   * that may exit before reading */
  launcher = g_subprocess_launcher_new ((input != NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0) |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (input == NULL)
    g_subprocess_launcher_set_stdin_file_path (launcher, "/dev/null");
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, input, NULL, &o, &e, &error));
  g_assert_no_error (error);
  if (out != NULL)
    *out = g_steal_pointer (&o);
  if (err != NULL)
    *err = g_steal_pointer (&e);
  g_assert_true (g_subprocess_get_if_exited (proc));
  return g_subprocess_get_exit_status (proc);
}

static void
add_user (Server     *s,
          const char *role)
{
  g_autofree char *email = email_for (role);
  g_autofree char *password = password_for (role);
  g_autofree char *input = g_strconcat (password, "\n", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cmd (input, &out, &err, "adduser", email, "--role", role, "--name", role,
                            "--config", s->conf, "--db", s->db, NULL), ==, 0);
  g_assert_nonnull (strstr (out, email));
}

/* Reads the server's stdout up to a line starting with @prefix. */
static char *
wait_line (Server     *s,
           const char *prefix)
{
  g_autoptr(GError) error = NULL;

  for (;;)
    {
      char *line = g_data_input_stream_read_line_utf8 (s->out, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        g_error ("the server's output ended before a line “%s”; it said:\n%s", prefix, s->log->str);
      g_string_append_printf (s->log, "%s\n", line);
      if (g_str_has_prefix (line, prefix))
        return line;
      g_free (line);
    }
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *peer,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Server *s = user_data;

  /* Self-signed: trust exactly the certificate the test made */
  return s->certificate != NULL && g_tls_certificate_is_same (peer, s->certificate);
}

static void
server_setup (Server     *s,
              const char *extra_conf)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conf = NULL;

  memset (s, 0, sizeof *s);
  s->dir = g_dir_make_tmp ("ih-server-XXXXXX", &error);
  g_assert_no_error (error);
  s->db = g_build_filename (s->dir, "server.db", NULL);
  s->conf = g_build_filename (s->dir, "server.conf", NULL);
  s->log = g_string_new (NULL);

  conf = g_strconcat ("[auth]\n"
                      "password-hash-cost=unsafe-fast-for-tests-only\n",
                      extra_conf != NULL ? extra_conf : "", NULL);
  g_assert_true (g_file_set_contents (s->conf, conf, -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    add_user (s, roles[i]);
}

/* A server left behind by a failed test dies with it */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
server_launch (Server     *s,
               const char *cert,
               const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *line = NULL;
  const char *argv[14] = { server_path, "serve", "--config", s->conf, "--db", s->db, "--port", "0" };
  int n = 8;

  if (cert != NULL)
    {
      argv[n++] = "--tls-cert";
      argv[n++] = cert;
      argv[n++] = "--tls-key";
      argv[n++] = key;
    }
  argv[n] = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  if (cert != NULL && g_getenv ("ASAN_OPTIONS") != NULL)
    {
      /* LeakSanitizer crashes ("Tracer caught signal 11") walking the
       * dynamic TLS of the gnutls GIO module's threads at exit: address
       * checks stay on, the leak scan is off for the HTTPS server only */
      g_autofree char *options = g_strconcat (g_getenv ("ASAN_OPTIONS"), ":detect_leaks=0", NULL);
      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", options, TRUE);
    }
  s->proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  s->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->proc));

  line = wait_line (s, "listening on ");
  s->uri = g_strdup (line + strlen ("listening on "));
  uri = g_uri_parse (s->uri, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_uri_get_host (uri), ==, "127.0.0.1");
  g_assert_cmpint (g_uri_get_port (uri), >, 0);
  s->port = g_uri_get_port (uri);
  s->session = soup_session_new ();
}

static void
server_start (Server     *s,
              const char *extra_conf)
{
  server_setup (s, extra_conf);
  server_launch (s, NULL, NULL);
}

/* The rest of the log, until the server exits; returns the exit status. */
static int
server_wait (Server *s)
{
  g_autoptr(GError) error = NULL;
  char *line;

  g_clear_object (&s->session);
  while ((line = g_data_input_stream_read_line_utf8 (s->out, NULL, NULL, &error)) != NULL)
    {
      g_string_append_printf (s->log, "%s\n", line);
      g_free (line);
    }
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (s->proc, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (s->proc));
  return g_subprocess_get_exit_status (s->proc);
}

/* SIGTERM, then the rest of the log; returns the exit status. */
static int
server_stop (Server *s)
{
  g_subprocess_send_signal (s->proc, SIGTERM);
  return server_wait (s);
}

static void
server_free (Server *s)
{
  if (s->proc != NULL && !g_subprocess_get_if_exited (s->proc) &&
      !g_subprocess_get_if_signaled (s->proc))
    {
      g_subprocess_force_exit (s->proc);
      g_subprocess_wait (s->proc, NULL, NULL);
    }
  g_clear_object (&s->session);
  g_clear_object (&s->out);
  g_clear_object (&s->proc);
  g_clear_object (&s->certificate);
  ih_test_remove_tree (s->dir);
  g_free (s->dir);
  g_free (s->db);
  g_free (s->conf);
  g_free (s->uri);
  g_string_free (s->log, TRUE);
}

/*
 * HTTP
 */

static void
http_full (Server        *s,
           Reply         *r,
           const char    *method,
           const char    *path,
           const char    *token,
           const char    *content_type,
           GBytes        *body,
           const char    *range)
{
  g_autofree char *url = g_strconcat (s->uri, path, NULL);
  g_autoptr(GError) error = NULL;

  reply_clear (r);
  r->msg = soup_message_new (method, url);
  g_assert_nonnull (r->msg);
  g_signal_connect (r->msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), s);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (r->msg), "Authorization", auth);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (r->msg, content_type, body);
  if (range != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (r->msg), "Range", range);

  r->body = soup_session_send_and_read (s->session, r->msg, NULL, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (r->msg);

  if (g_strcmp0 (soup_message_headers_get_content_type (soup_message_get_response_headers (r->msg), NULL),
                 "application/json") == 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      json_parser_load_from_data (parser, g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body),
                                  &error);
      g_assert_no_error (error);
      r->json = json_node_copy (json_parser_get_root (parser));
    }
}

static void
http (Server     *s,
      Reply      *r,
      const char *method,
      const char *path,
      const char *token,
      const char *json)
{
  g_autoptr(GBytes) body = json != NULL ? g_bytes_new (json, strlen (json)) : NULL;

  http_full (s, r, method, path, token, "application/json", body, NULL);
}

static const char *
json_str (Reply      *r,
          const char *member)
{
  g_assert_nonnull (r->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (r->json));
  return json_object_get_string_member_with_default (json_node_get_object (r->json), member, NULL);
}

static const char *
header (Reply      *r,
        const char *name)
{
  return soup_message_headers_get_one (soup_message_get_response_headers (r->msg), name);
}

/* Every error reply is {"error": code, "message": words} */
static void
assert_error (Reply      *r,
              guint       status,
              const char *code)
{
  if (r->status != status)
    g_error ("expected %u, got %u: %.*s", status, r->status,
             (int) g_bytes_get_size (r->body), (const char *) g_bytes_get_data (r->body, NULL));
  g_assert_cmpstr (json_str (r, "error"), ==, code);
  g_assert_nonnull (json_str (r, "message"));
  g_assert_cmpstr (json_str (r, "message"), !=, "");
}

static void
assert_healthy (Server *s)
{
  g_auto(Reply) r = { 0 };

  http (s, &r, "GET", "/healthz", NULL, NULL);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (json_str (&r, "status"), ==, "ok");
}

static char *
login (Server     *s,
       const char *role)
{
  g_autofree char *email = email_for (role);
  g_autofree char *password = password_for (role);
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}", email, password);
  g_auto(Reply) r = { 0 };

  http (s, &r, "POST", "/api/v1/login", NULL, body);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (json_str (&r, "role"), ==, role);
  return g_strdup (json_str (&r, "token"));
}

/* Sends raw bytes on a new connection and reads one response: what a
 * hostile client can do that SoupSession will not. */
static char *
raw_request (Server     *s,
             const char *request,
             gsize       len,
             guint      *status)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) in = g_string_new (NULL);
  GInputStream *istream;
  const char *end;
  char buf[4096];
  gsize content_length = 0;

  conn = g_socket_client_connect_to_host (client, "127.0.0.1", s->port, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request, len,
                             NULL, NULL, &error);
  g_assert_no_error (error);

  istream = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  while ((end = strstr (in->str, "\r\n\r\n")) == NULL ||
         in->len < (gsize) (end - in->str) + 4 + content_length)
    {
      gssize n = g_input_stream_read (istream, buf, sizeof buf, NULL, &error);

      g_assert_no_error (error);
      if (n == 0)
        break;
      g_string_append_len (in, buf, n);
      if ((end = strstr (in->str, "\r\n\r\n")) != NULL)
        {
          const char *cl = strstr (in->str, "Content-Length: ");
          if (cl != NULL && cl < end)
            content_length = g_ascii_strtoull (cl + strlen ("Content-Length: "), NULL, 10);
        }
    }

  g_assert_true (g_str_has_prefix (in->str, "HTTP/1.1 "));
  *status = (guint) g_ascii_strtoull (in->str + strlen ("HTTP/1.1 "), NULL, 10);
  return g_string_free (g_steal_pointer (&in), FALSE);
}

static guint
raw_get (Server     *s,
         const char *path,
         const char *token)
{
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Authorization: Bearer %s\r\nConnection: close\r\n\r\n",
                                              path, token);
  g_autofree char *response = NULL;
  guint status;

  response = raw_request (s, request, strlen (request), &status);
  return status;
}

/* GET @path on a raw connection and hang up once @at body bytes have
 * arrived: what a train going into a tunnel does. Returns the body bytes
 * received. */
static GBytes *
cut_download (Server     *s,
              const char *path,
              const char *token,
              gsize       at)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) in = g_byte_array_new ();
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Authorization: Bearer %s\r\n\r\n", path, token);
  GInputStream *istream;
  gsize body_start = 0;
  guint8 buf[4096];

  conn = g_socket_client_connect_to_host (client, "127.0.0.1", s->port, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request,
                             strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);

  istream = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  while (body_start == 0 || in->len - body_start < at)
    {
      gssize n = g_input_stream_read (istream, buf, sizeof buf, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      g_byte_array_append (in, buf, n);
      if (body_start == 0)
        {
          const char *end = g_strstr_len ((const char *) in->data, in->len, "\r\n\r\n");
          if (end != NULL)
            {
              g_assert_true (g_str_has_prefix ((const char *) in->data, "HTTP/1.1 200"));
              body_start = (const guint8 *) end + 4 - in->data;
            }
        }
    }

  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  return g_bytes_new (in->data + body_start, in->len - body_start);
}

/* The names in @dir starting with @prefix */
static guint
count_files (const char *dir,
             const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix))
      n++;
  return n;
}

/* Size of the one upload in progress in @dir, or -1 */
static goffset
upload_size (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, ".upload-"))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        GStatBuf st;

        if (g_stat (path, &st) == 0)
          return st.st_size;
      }
  return -1;
}

/* Waits (a hang guard, not a timing) until @cond holds */
#define WAIT_UNTIL(cond)                                                  \
  G_STMT_START {                                                          \
    gint64 deadline_ = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;     \
    while (!(cond))                                                       \
      {                                                                   \
        g_assert_cmpint (g_get_monotonic_time (), <, deadline_);          \
        g_usleep (10 * 1000);                                             \
      }                                                                   \
  } G_STMT_END

/*
 * Tests
 */

static void
test_command_line (void)
{
  Server s;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *admin_token = NULL;
  g_autofree char *epoch = NULL;
  g_auto(Reply) r = { 0 };

  server_setup (&s, NULL);

  /* The users as added, tab-separated */
  g_assert_cmpint (run_cmd (NULL, &out, &err, "users", "--db", s.db, NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autofree char *email = email_for (roles[i]);
      g_autofree char *row = g_strdup_printf ("%s\t%s\tactive\t%s\n", email, roles[i], roles[i]);
      g_assert_nonnull (strstr (out, row));
    }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Refusals, each with a message */
  g_assert_cmpint (run_cmd (NULL, &out, &err, "adduser", "admin@example.org",
                            "--role", "viewer", "--db", s.db, "--config", s.conf, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "already"));
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cmd (NULL, NULL, &err, "adduser", "x@example.org",
                            "--role", "emperor", "--db", s.db, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--role"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cmd ("short\n", NULL, &err, "adduser", "x@example.org",
                            "--role", "viewer", "--db", s.db, "--config", s.conf, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "too short"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cmd (NULL, NULL, &err, "adduser", "not-an-address",
                            "--role", "viewer", "--db", s.db, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not-an-address"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cmd (NULL, NULL, &err, "passwd", "nobody@example.org",
                            "--db", s.db, "--config", s.conf, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "nobody@example.org"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cmd (NULL, NULL, &err, "frobnicate", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "frobnicate"));
  g_clear_pointer (&err, g_free);

  /* Plain HTTP where other computers could listen is refused */
  g_assert_cmpint (run_cmd (NULL, NULL, &err, "serve", "--db", s.db, "--listen", "0.0.0.0",
                            "--port", "0", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "--insecure"));
  g_clear_pointer (&err, g_free);

  /* A password reset ends the sign-ins made with the old one */
  server_launch (&s, NULL, NULL);
  admin_token = login (&s, "admin");
  http (&s, &r, "GET", "/api/v1/me", admin_token, NULL);
  g_assert_cmpuint (r.status, ==, 200);

  g_assert_cmpint (run_cmd ("a-brand-new-password\n", &out, NULL, "passwd", "Admin@Example.org",
                            "--db", s.db, "--config", s.conf, NULL), ==, 0);
  http (&s, &r, "GET", "/api/v1/me", admin_token, NULL);
  assert_error (&r, 401, "invalid-token");
  http (&s, &r, "POST", "/api/v1/login", NULL,
        "{\"email\": \"admin@example.org\", \"password\": \"admin-secret-password\"}");
  assert_error (&r, 401, "bad-credentials");
  http (&s, &r, "POST", "/api/v1/login", NULL,
        "{\"email\": \"admin@example.org\", \"password\": \"a-brand-new-password\"}");
  g_assert_cmpuint (r.status, ==, 200);

  /* A removed user cannot sign in */
  g_assert_cmpint (run_cmd (NULL, NULL, NULL, "deluser", "viewer@example.org", "--db", s.db, NULL), ==, 0);
  http (&s, &r, "POST", "/api/v1/login", NULL,
        "{\"email\": \"viewer@example.org\", \"password\": \"viewer-secret-password\"}");
  assert_error (&r, 401, "bad-credentials");

  /* After a restore from backup, a new epoch for the next start */
  http (&s, &r, "GET", "/healthz", NULL, NULL);
  epoch = g_strdup (json_str (&r, "epoch"));
  g_assert_cmpint (server_stop (&s), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cmd (NULL, &out, NULL, "reset-epoch", "--db", s.db, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "New epoch "));
  g_assert_null (strstr (out, epoch));
  g_clear_object (&s.proc);
  g_clear_object (&s.out);
  g_free (s.uri);
  server_launch (&s, NULL, NULL);
  http (&s, &r, "GET", "/healthz", NULL, NULL);
  g_assert_cmpstr (json_str (&r, "epoch"), !=, epoch);
  g_assert_nonnull (strstr (out, json_str (&r, "epoch")));

  g_assert_cmpint (server_stop (&s), ==, 0);
  server_free (&s);
}

static void
test_login_logout_me (void)
{
  Server s;
  g_autofree char *token = NULL;
  g_autofree char *epoch = NULL;
  g_auto(Reply) r = { 0 };

  server_start (&s, NULL);

  http (&s, &r, "GET", "/healthz", NULL, NULL);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (json_str (&r, "version"), ==, PACKAGE_VERSION);
  epoch = g_strdup (json_str (&r, "epoch"));
  g_assert_cmpuint (strlen (epoch), ==, 36);

  http (&s, &r, "POST", "/api/v1/login", NULL,
        "{\"email\": \"Officer@Example.org \", \"password\": \"officer-secret-password\"}");
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (json_str (&r, "role"), ==, "officer");
  g_assert_cmpstr (json_str (&r, "epoch"), ==, epoch);
  g_assert_nonnull (json_str (&r, "expires_at"));
  token = g_strdup (json_str (&r, "token"));
  g_assert_cmpuint (strlen (token), ==, 43);

  http (&s, &r, "GET", "/api/v1/me", token, NULL);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (json_str (&r, "email"), ==, "officer@example.org");
  g_assert_cmpstr (json_str (&r, "role"), ==, "officer");
  g_assert_cmpstr (json_str (&r, "epoch"), ==, epoch);

  /* No token, a made-up token, a token with one character changed */
  http (&s, &r, "GET", "/api/v1/me", NULL, NULL);
  assert_error (&r, 401, "sign-in-required");
  g_assert_nonnull (header (&r, "WWW-Authenticate"));
  http (&s, &r, "GET", "/api/v1/me", "made-up", NULL);
  assert_error (&r, 401, "invalid-token");
  {
    g_autofree char *changed = g_strdup (token);
    changed[0] = changed[0] == 'A' ? 'B' : 'A';
    http (&s, &r, "GET", "/api/v1/me", changed, NULL);
    assert_error (&r, 401, "invalid-token");
  }

  /* Wrong password, unknown user: the same answer */
  http (&s, &r, "POST", "/api/v1/login", NULL,
        "{\"email\": \"officer@example.org\", \"password\": \"wrong-password-here\"}");
  assert_error (&r, 401, "bad-credentials");
  http (&s, &r, "POST", "/api/v1/login", NULL,
        "{\"email\": \"nobody@example.org\", \"password\": \"wrong-password-here\"}");
  assert_error (&r, 401, "bad-credentials");

  /* Logout revokes that token */
  http (&s, &r, "POST", "/api/v1/logout", token, NULL);
  g_assert_cmpuint (r.status, ==, 200);
  http (&s, &r, "GET", "/api/v1/me", token, NULL);
  assert_error (&r, 401, "invalid-token");
  assert_healthy (&s);

  g_assert_cmpint (server_stop (&s), ==, 0);

  /* One line per request, naming who; never a token or a password */
  g_assert_nonnull (strstr (s.log->str, " officer@example.org GET /api/v1/me 200 "));
  g_assert_nonnull (strstr (s.log->str, " - GET /api/v1/me 401 "));
  g_assert_nonnull (strstr (s.log->str, " POST /api/v1/logout 200 "));
  g_assert_null (strstr (s.log->str, token));
  g_assert_null (strstr (s.log->str, "secret-password"));
  g_assert_null (strstr (s.log->str, "wrong-password"));
  server_free (&s);
}

static void
test_token_expiry (void)
{
  Server s;
  g_autofree char *token = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_auto(Reply) r = { 0 };

  server_start (&s, "token-lifetime-seconds=1\n");

  http (&s, &r, "POST", "/api/v1/login", NULL,
        "{\"email\": \"viewer@example.org\", \"password\": \"viewer-secret-password\"}");
  g_assert_cmpuint (r.status, ==, 200);
  token = g_strdup (json_str (&r, "token"));
  expires = g_date_time_new_from_iso8601 (json_str (&r, "expires_at"), NULL);
  g_assert_nonnull (expires);

  /* Wait by the clock until the expiry has passed, however long that takes */
  while (g_get_real_time () <= g_date_time_to_unix (expires) * G_USEC_PER_SEC +
                               g_date_time_get_microsecond (expires))
    g_usleep (50 * 1000);

  http (&s, &r, "GET", "/api/v1/me", token, NULL);
  assert_error (&r, 401, "invalid-token");
  assert_healthy (&s);

  g_assert_cmpint (server_stop (&s), ==, 0);
  server_free (&s);
}

static void
test_roles (void)
{
  Server s;
  g_autofree char *viewer = NULL;
  g_autofree char *officer = NULL;
  g_autofree char *manager = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *newbie = NULL;
  g_autoptr(GBytes) blob = g_bytes_new_static ("board paper", 11);
  g_autofree char *blob_name = NULL;
  g_autofree char *blob_path = NULL;
  g_auto(Reply) r = { 0 };
  sqlite3 *db;
  sqlite3_stmt *stmt;

  server_start (&s, NULL);
  viewer = login (&s, "viewer");
  officer = login (&s, "officer");
  manager = login (&s, "manager");
  admin = login (&s, "admin");
  blob_name = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, blob);
  blob_path = g_strconcat ("/api/v1/blobs/", blob_name, NULL);

  /* A viewer may read but not write */
  http_full (&s, &r, "PUT", blob_path, viewer, "application/octet-stream", blob, NULL);
  assert_error (&r, 403, "forbidden");
  g_assert_nonnull (strstr (json_str (&r, "message"), "viewer"));
  http (&s, &r, "GET", blob_path, viewer, NULL);
  assert_error (&r, 404, "no-blob");
  http_full (&s, &r, "PUT", blob_path, officer, "application/octet-stream", blob, NULL);
  g_assert_cmpuint (r.status, ==, 201);
  http (&s, &r, "GET", blob_path, viewer, NULL);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_true (g_bytes_equal (r.body, blob));

  /* Only admins manage users */
  http (&s, &r, "GET", "/api/v1/users", viewer, NULL);
  assert_error (&r, 403, "forbidden");
  http (&s, &r, "GET", "/api/v1/users", manager, NULL);
  assert_error (&r, 403, "forbidden");
  http (&s, &r, "POST", "/api/v1/users", officer,
        "{\"email\": \"x@example.org\", \"role\": \"admin\", \"password\": \"long-enough-pass\"}");
  assert_error (&r, 403, "forbidden");

  http (&s, &r, "GET", "/api/v1/users", admin, NULL);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (r.json), "users")),
                    ==, 4);

  http (&s, &r, "POST", "/api/v1/users", admin,
        "{\"email\": \"New@Example.org\", \"name\": \"New Person\", \"role\": \"viewer\", "
        "\"password\": \"long-enough-pass\"}");
  g_assert_cmpuint (r.status, ==, 201);
  g_assert_cmpstr (json_str (&r, "email"), ==, "new@example.org");
  http (&s, &r, "POST", "/api/v1/users", admin,
        "{\"email\": \"new@example.org\", \"role\": \"viewer\", \"password\": \"long-enough-pass\"}");
  assert_error (&r, 409, "exists");
  http (&s, &r, "POST", "/api/v1/users", admin,
        "{\"email\": \"other@example.org\", \"role\": \"emperor\", \"password\": \"long-enough-pass\"}");
  assert_error (&r, 400, "bad-role");
  http (&s, &r, "POST", "/api/v1/users", admin,
        "{\"email\": \"other@example.org\", \"role\": \"viewer\", \"password\": \"short\"}");
  assert_error (&r, 400, "bad-password");

  http (&s, &r, "POST", "/api/v1/login", NULL,
        "{\"email\": \"new@example.org\", \"password\": \"long-enough-pass\"}");
  g_assert_cmpuint (r.status, ==, 200);
  newbie = g_strdup (json_str (&r, "token"));

  /* Promote, then disable: the token stops working at once */
  http (&s, &r, "PATCH", "/api/v1/users/new%40example.org", admin, "{\"role\": \"officer\"}");
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (json_str (&r, "role"), ==, "officer");
  http (&s, &r, "GET", "/api/v1/me", newbie, NULL);
  g_assert_cmpstr (json_str (&r, "role"), ==, "officer");
  http (&s, &r, "PATCH", "/api/v1/users/new@example.org", admin, "{\"disabled\": true}");
  g_assert_cmpuint (r.status, ==, 200);
  http (&s, &r, "GET", "/api/v1/me", newbie, NULL);
  assert_error (&r, 401, "invalid-token");
  http (&s, &r, "PATCH", "/api/v1/users/new@example.org", admin, "{\"disabled\": \"yes\"}");
  assert_error (&r, 400, "bad-member");
  http (&s, &r, "PATCH", "/api/v1/users/nobody@example.org", admin, "{\"disabled\": true}");
  assert_error (&r, 404, "user");
  /* An admin cannot lock themselves out */
  http (&s, &r, "PATCH", "/api/v1/users/admin@example.org", admin, "{\"role\": \"viewer\"}");
  assert_error (&r, 409, "self");

  /* Password reset by an admin */
  http (&s, &r, "POST", "/api/v1/users/officer@example.org/password", admin,
        "{\"password\": \"reset-by-the-admin\"}");
  g_assert_cmpuint (r.status, ==, 200);
  http (&s, &r, "GET", "/api/v1/me", officer, NULL);
  assert_error (&r, 401, "invalid-token");
  http (&s, &r, "POST", "/api/v1/login", NULL,
        "{\"email\": \"officer@example.org\", \"password\": \"reset-by-the-admin\"}");
  g_assert_cmpuint (r.status, ==, 200);

  g_assert_cmpint (server_stop (&s), ==, 0);

  /* The audit says who changed what */
  g_assert_cmpint (sqlite3_open_v2 (s.db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT user_email || ' ' || action || ' ' || record_id "
                                       "FROM server_audit ORDER BY id", -1, &stmt, NULL), ==, SQLITE_OK);
  {
    g_autoptr(GString) all = g_string_new (NULL);

    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_string_append_printf (all, "%s\n", sqlite3_column_text (stmt, 0));
    g_assert_nonnull (strstr (all->str, "officer@example.org blob-put "));
    g_assert_nonnull (strstr (all->str, "admin@example.org user-create new@example.org\n"));
    g_assert_nonnull (strstr (all->str, "admin@example.org user-update new@example.org\n"));
    g_assert_nonnull (strstr (all->str, "admin@example.org user-password officer@example.org\n"));
  }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  server_free (&s);
}

static void
test_bad_requests (void)
{
  Server s;
  g_autofree char *officer = NULL;
  g_autoptr(GBytes) form = g_bytes_new_static ("a=b", 3);
  g_auto(Reply) r = { 0 };

  server_start (&s, NULL);
  officer = login (&s, "officer");

  /* Malformed JSON: the message says where */
  http (&s, &r, "POST", "/api/v1/login", NULL, "{\"email\": \"a@b.c\",\n \"password\": }");
  assert_error (&r, 400, "bad-json");
  g_assert_nonnull (strstr (json_str (&r, "message"), ":2:"));
  assert_healthy (&s);

  http (&s, &r, "POST", "/api/v1/login", NULL, "[1, 2]");
  assert_error (&r, 400, "bad-json");
  http (&s, &r, "POST", "/api/v1/login", NULL, "");
  assert_error (&r, 400, "bad-json");
  assert_healthy (&s);

  /* Unknown members are named, not ignored */
  http (&s, &r, "POST", "/api/v1/login", NULL,
        "{\"email\": \"a@b.c\", \"password\": \"x\", \"remember_me\": true}");
  assert_error (&r, 400, "unknown-member");
  g_assert_nonnull (strstr (json_str (&r, "message"), "remember_me"));
  http (&s, &r, "POST", "/api/v1/login", NULL, "{\"email\": \"a@b.c\"}");
  assert_error (&r, 400, "bad-member");
  g_assert_nonnull (strstr (json_str (&r, "message"), "password"));
  http (&s, &r, "POST", "/api/v1/login", NULL, "{\"email\": 42, \"password\": \"x\"}");
  assert_error (&r, 400, "bad-member");
  assert_healthy (&s);

  /* A client that hangs up while its password is being checked */
  {
    const char body[] = "{\"email\": \"officer@example.org\", \"password\": \"officer-secret-password\"}";
    g_autofree char *request = g_strdup_printf ("POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                "Content-Type: application/json\r\n"
                                                "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n%s",
                                                strlen (body), body);
    g_autoptr(GSocketClient) client = g_socket_client_new ();
    g_autoptr(GSocketConnection) conn = g_socket_client_connect_to_host (client, "127.0.0.1", s.port,
                                                                         NULL, NULL);

    g_assert_nonnull (conn);
    g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)),
                                              request, strlen (request), NULL, NULL, NULL));
    g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  }
  assert_healthy (&s);

  /* Wrong content type, path, method */
  http_full (&s, &r, "POST", "/api/v1/login", NULL, "application/x-www-form-urlencoded", form, NULL);
  assert_error (&r, 415, "content-type");
  http (&s, &r, "GET", "/api/v1/nothing-here", officer, NULL);
  assert_error (&r, 404, "not-found");
  http (&s, &r, "GET", "/api/v2/me", officer, NULL);
  assert_error (&r, 404, "not-found");
  http (&s, &r, "GET", "/api/v1/login", NULL, NULL);
  assert_error (&r, 405, "method-not-allowed");
  g_assert_cmpstr (header (&r, "Allow"), ==, "POST");
  http (&s, &r, "DELETE", "/healthz", NULL, NULL);
  assert_error (&r, 405, "method-not-allowed");
  assert_healthy (&s);

  g_assert_cmpint (server_stop (&s), ==, 0);
  server_free (&s);
}

static void
test_body_limits (void)
{
  Server s;
  g_autofree char *officer = NULL;
  g_autofree char *response = NULL;
  g_autoptr(GString) chunked = g_string_new (NULL);
  g_autoptr(GBytes) big_json = NULL;
  g_autoptr(GBytes) blob = NULL;
  g_autofree char *blob_name = NULL;
  g_autofree char *blob_path = NULL;
  g_auto(Reply) r = { 0 };
  guint status;
  char *filler;

  server_start (&s, "[server]\nmax-body-bytes=4096\nmax-blob-bytes=200000\n");
  officer = login (&s, "officer");

  /* 1 GB announced, nothing sent: refused from the headers alone */
  {
    const char request[] = "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           "Content-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n";
    response = raw_request (&s, request, strlen (request), &status);
    g_assert_cmpuint (status, ==, 413);
    g_assert_nonnull (strstr (response, "\"too-large\""));
    g_clear_pointer (&response, g_free);
  }
  assert_healthy (&s);

  /* The same for a blob too big for the blob limit */
  {
    g_autofree char *request =
      g_strdup_printf ("PUT /api/v1/blobs/%064d HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Authorization: Bearer %s\r\nContent-Length: 1073741824\r\n\r\n", 0, officer);
    response = raw_request (&s, request, strlen (request), &status);
    g_assert_cmpuint (status, ==, 413);
    g_clear_pointer (&response, g_free);
  }
  assert_healthy (&s);

  /* A body for a route that needs a sign-in is refused from the headers
   * when the token is missing, wrong, or its role too low: nothing of it
   * is read or held */
  {
    static const char * const tokens[] = { NULL, "made-up-token", "viewer" };
    static const guint expected[] = { 401, 401, 403 };
    g_autofree char *viewer = login (&s, "viewer");

    for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
      {
        g_autofree char *auth = tokens[i] == NULL ? g_strdup ("")
                                : g_strdup_printf ("Authorization: Bearer %s\r\n",
                                                   g_str_equal (tokens[i], "viewer") ? viewer : tokens[i]);
        g_autofree char *request =
          g_strdup_printf ("PUT /api/v1/blobs/%064d HTTP/1.1\r\nHost: 127.0.0.1\r\n%s"
                           "Content-Length: 150000\r\n\r\n", 0, auth);

        response = raw_request (&s, request, strlen (request), &status);
        g_assert_cmpuint (status, ==, expected[i]);
        if (status == 401)
          g_assert_nonnull (strstr (response, "WWW-Authenticate: Bearer"));
        g_clear_pointer (&response, g_free);
      }
  }
  assert_healthy (&s);

  /* Chunked bodies have no length: counted as they come */
  g_string_append (chunked, "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
  for (int i = 0; i < 3; i++)
    {
      g_string_append_printf (chunked, "%x\r\n", 2000);
      for (int j = 0; j < 2000; j++)
        g_string_append_c (chunked, ' ');
      g_string_append (chunked, "\r\n");
    }
  response = raw_request (&s, chunked->str, chunked->len, &status);
  g_assert_cmpuint (status, ==, 413);
  g_clear_pointer (&response, g_free);
  assert_healthy (&s);

  /* Over the JSON limit through an ordinary client */
  filler = g_malloc (5000 + 1);
  memset (filler, ' ', 5000);
  filler[5000] = '\0';
  big_json = g_bytes_new_take (g_strconcat ("{", filler, "}", NULL), 5002);
  g_free (filler);
  http_full (&s, &r, "POST", "/api/v1/login", NULL, "application/json", big_json, NULL);
  g_assert_cmpuint (r.status, ==, 413);
  assert_healthy (&s);

  /* Blobs have their own, larger limit */
  {
    guint8 *data = g_malloc (150000);
    for (guint i = 0; i < 150000; i++)
      data[i] = (guint8) g_random_int ();
    blob = g_bytes_new_take (data, 150000);
  }
  blob_name = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, blob);
  blob_path = g_strconcat ("/api/v1/blobs/", blob_name, NULL);
  http_full (&s, &r, "PUT", blob_path, officer, "application/octet-stream", blob, NULL);
  g_assert_cmpuint (r.status, ==, 201);

  g_assert_cmpint (server_stop (&s), ==, 0);
  g_assert_nonnull (strstr (s.log->str, " POST /api/v1/login 413 "));
  server_free (&s);
}

static void
test_slow_failed_logins (void)
{
  Server s;
  g_auto(Reply) r = { 0 };
  const char *wrong = "{\"email\": \"manager@example.org\", \"password\": \"guessing-password\"}";
  const char *right = "{\"email\": \"manager@example.org\", \"password\": \"manager-secret-password\"}";
  guint64 retry_after;

  server_start (&s, "login-free-attempts=3\n");

  for (int i = 0; i < 3; i++)
    {
      http (&s, &r, "POST", "/api/v1/login", NULL, wrong);
      assert_error (&r, 401, "bad-credentials");
    }

  /* The next try, even with the right password, must wait */
  http (&s, &r, "POST", "/api/v1/login", NULL, right);
  assert_error (&r, 429, "too-many-attempts");
  g_assert_nonnull (header (&r, "Retry-After"));
  g_assert_true (g_ascii_string_to_unsigned (header (&r, "Retry-After"), 10, 1, 3600, &retry_after, NULL));
  assert_healthy (&s);

  /* Other users from elsewhere are not locked out by the e-mail's count;
   * here they share the address, so they wait too */
  http (&s, &r, "POST", "/api/v1/login", NULL,
        "{\"email\": \"viewer@example.org\", \"password\": \"viewer-secret-password\"}");
  assert_error (&r, 429, "too-many-attempts");

  /* After the wait the right password works */
  g_usleep ((retry_after * G_USEC_PER_SEC) + 100 * 1000);
  http (&s, &r, "POST", "/api/v1/login", NULL, right);
  g_assert_cmpuint (r.status, ==, 200);

  /* …and resets the count */
  http (&s, &r, "POST", "/api/v1/login", NULL, wrong);
  assert_error (&r, 401, "bad-credentials");

  g_assert_cmpint (server_stop (&s), ==, 0);
  server_free (&s);
}

static void
test_blobs (void)
{
  Server s;
  g_autofree char *officer = NULL;
  g_autofree char *viewer = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *bad_path = NULL;
  g_autofree char *blob_dir = NULL;
  g_autofree char *range = NULL;
  g_autoptr(GBytes) blob = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GByteArray) joined = g_byte_array_new ();
  g_auto(Reply) r = { 0 };
  gsize size = 300001, half = size / 2;

  server_start (&s, NULL);
  officer = login (&s, "officer");
  viewer = login (&s, "viewer");

  {
    guint8 *data = g_malloc (size);
    for (gsize i = 0; i < size; i++)
      data[i] = (guint8) g_random_int ();
    blob = g_bytes_new_take (data, size);
  }
  name = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, blob);
  path = g_strconcat ("/api/v1/blobs/", name, NULL);

  /* Bytes that do not match the name are refused and not kept */
  bad_path = g_strconcat ("/api/v1/blobs/", "ab", name + 2, NULL);
  if (strcmp (bad_path, path) == 0)
    bad_path[14] = 'c';
  http_full (&s, &r, "PUT", bad_path, officer, "application/octet-stream", blob, NULL);
  assert_error (&r, 422, "hash-mismatch");
  g_assert_nonnull (strstr (json_str (&r, "message"), name));
  http (&s, &r, "GET", bad_path, viewer, NULL);
  assert_error (&r, 404, "no-blob");
  blob_dir = g_build_filename (s.dir, "blobs", NULL);
  {
    g_autoptr(GDir) dir = g_dir_open (blob_dir, 0, NULL);
    /* Nothing left behind, not even the temporary file it streamed to */
    g_assert_nonnull (dir);
    g_assert_null (g_dir_read_name (dir));
  }
  assert_healthy (&s);

  http_full (&s, &r, "PUT", path, officer, "application/octet-stream", blob, NULL);
  g_assert_cmpuint (r.status, ==, 201);
  g_assert_cmpstr (json_str (&r, "sha256"), ==, name);
  http_full (&s, &r, "PUT", path, officer, "application/octet-stream", blob, NULL);
  g_assert_cmpuint (r.status, ==, 200);

  http (&s, &r, "GET", path, viewer, NULL);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_true (g_bytes_equal (r.body, blob));
  g_assert_cmpstr (header (&r, "Accept-Ranges"), ==, "bytes");

  http (&s, &r, "HEAD", path, viewer, NULL);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (r.body), ==, 0);
  g_assert_cmpint (soup_message_headers_get_content_length (soup_message_get_response_headers (r.msg)),
                   ==, size);

  /* Uploads stream to a file as they arrive; one cut short leaves nothing */
  {
    g_autoptr(GSocketClient) client = g_socket_client_new ();
    g_autoptr(GSocketConnection) conn = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *headers = g_strdup_printf ("PUT %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                "Authorization: Bearer %s\r\n"
                                                "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                                                bad_path, officer, size);
    GOutputStream *out;

    conn = g_socket_client_connect_to_host (client, "127.0.0.1", s.port, NULL, &error);
    g_assert_no_error (error);
    out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
    g_output_stream_write_all (out, headers, strlen (headers), NULL, NULL, &error);
    g_assert_no_error (error);
    g_output_stream_write_all (out, g_bytes_get_data (blob, NULL), half, NULL, NULL, &error);
    g_assert_no_error (error);
    /* Half the bytes on disk, none held in memory */
    WAIT_UNTIL (upload_size (blob_dir) == (goffset) half);
    g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
    WAIT_UNTIL (count_files (blob_dir, ".upload-") == 0);
  }
  assert_healthy (&s);

  /* A chunked upload (no length up front) is kept too */
  {
    g_autoptr(GBytes) small = g_bytes_new_static ("chunk one, chunk two", 20);
    g_autofree char *small_name = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, small);
    g_autofree char *request = g_strdup_printf ("PUT /api/v1/blobs/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                "Authorization: Bearer %s\r\n"
                                                "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                                                "a\r\nchunk one,\r\na\r\n chunk two\r\n0\r\n\r\n",
                                                small_name, officer);
    g_autofree char *small_path = g_strconcat ("/api/v1/blobs/", small_name, NULL);
    g_autofree char *response = NULL;
    guint status;

    response = raw_request (&s, request, strlen (request), &status);
    g_assert_cmpuint (status, ==, 201);
    http (&s, &r, "GET", small_path, viewer, NULL);
    g_assert_cmpuint (r.status, ==, 200);
    g_assert_true (g_bytes_equal (r.body, small));
  }
  g_assert_cmpuint (count_files (blob_dir, ".upload-"), ==, 0);

  /* A download cut halfway — the connection closed after about half the
   * body — resumes with Range from the bytes that arrived */
  first = cut_download (&s, path, viewer, half);
  g_assert_cmpuint (g_bytes_get_size (first), >=, half);
  g_assert_cmpuint (g_bytes_get_size (first), <, size);
  assert_healthy (&s);
  range = g_strdup_printf ("bytes=%" G_GSIZE_FORMAT "-", g_bytes_get_size (first));
  http_full (&s, &r, "GET", path, viewer, NULL, NULL, range);
  g_assert_cmpuint (r.status, ==, 206);
  {
    g_autofree char *expected = g_strdup_printf ("bytes %" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT,
                                                 g_bytes_get_size (first), size - 1, size);
    g_assert_cmpstr (header (&r, "Content-Range"), ==, expected);
  }
  g_byte_array_append (joined, g_bytes_get_data (first, NULL), g_bytes_get_size (first));
  g_byte_array_append (joined, g_bytes_get_data (r.body, NULL), g_bytes_get_size (r.body));
  {
    g_autoptr(GBytes) whole = g_byte_array_free_to_bytes (g_steal_pointer (&joined));
    g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, whole);
    g_assert_cmpstr (sum, ==, name);
  }

  /* A closed range */
  g_free (range);
  range = g_strdup_printf ("bytes=100-%" G_GSIZE_FORMAT, half - 1);
  http_full (&s, &r, "GET", path, viewer, NULL, NULL, range);
  g_assert_cmpuint (r.status, ==, 206);
  g_assert_cmpuint (g_bytes_get_size (r.body), ==, half - 100);
  g_assert_cmpmem (g_bytes_get_data (r.body, NULL), half - 100,
                   (const guint8 *) g_bytes_get_data (blob, NULL) + 100, half - 100);

  /* The last bytes, and a range past the end */
  http_full (&s, &r, "GET", path, viewer, NULL, NULL, "bytes=-10");
  g_assert_cmpuint (r.status, ==, 206);
  g_assert_cmpuint (g_bytes_get_size (r.body), ==, 10);
  g_free (range);
  range = g_strdup_printf ("bytes=%" G_GSIZE_FORMAT "-", size);
  http_full (&s, &r, "GET", path, viewer, NULL, NULL, range);
  assert_error (&r, 416, "bad-range");
  {
    g_autofree char *expected = g_strdup_printf ("bytes */%" G_GSIZE_FORMAT, size);
    g_assert_cmpstr (header (&r, "Content-Range"), ==, expected);
  }
  assert_healthy (&s);

  /* Path tricks never reach a file: 400 for names that are not a hash */
  {
    static const char * const tricks[] = {
      "/api/v1/blobs/..%2F..%2Fserver.db",
      "/api/v1/blobs/%2e%2e%2f%2e%2e%2fserver.db",
      "/api/v1/blobs/..%5c..%5cserver.db",
      "/api/v1/blobs/ab%2F..%2F..%2Fserver.db",
      "/api/v1/blobs/",
      "/api/v1/blobs/abc",
    };
    for (guint i = 0; i < G_N_ELEMENTS (tricks); i++)
      {
        guint status = raw_get (&s, tricks[i], viewer);
        if (status != 400)
          g_error ("%s: expected 400, got %u", tricks[i], status);
      }
  }
  {
    g_autofree char *upper = g_ascii_strup (path, -1);
    g_autofree char *sub = g_strconcat (path, "/x", NULL);
    g_autofree char *with_query = g_strconcat ("/api/v1/blobs/", name, "%3F", NULL);

    memcpy (upper, "/api/v1/blobs/", 14);
    g_assert_cmpuint (raw_get (&s, upper, viewer), ==, 400);
    g_assert_cmpuint (raw_get (&s, sub, viewer), ==, 400);
    g_assert_cmpuint (raw_get (&s, with_query, viewer), ==, 400);
  }
  /* Dot segments, literal or encoded, are resolved (RFC 3986) before
   * routing: they lead out of /api/v1/blobs/ to nothing */
  {
    static const char * const dots[] = {
      "/api/v1/blobs/../../../server.db",
      "/api/v1/blobs/%2E%2E",
      "/api/v1/blobs/%2E%2E/%2E%2E/server.db",
    };
    for (guint i = 0; i < G_N_ELEMENTS (dots); i++)
      {
        guint status = raw_get (&s, dots[i], viewer);
        if (status != 404)
          g_error ("%s: expected 404, got %u", dots[i], status);
      }
  }
  assert_healthy (&s);

  g_assert_cmpint (server_stop (&s), ==, 0);
  server_free (&s);
}

static void
test_sigterm_finishes_request (void)
{
  Server s;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(IhStore) store = NULL;
  g_autofree char *line = NULL;
  g_autofree char *headers = NULL;
  const char *body = "{\"email\": \"officer@example.org\", \"password\": \"officer-secret-password\"}";
  GOutputStream *out;
  GInputStream *in;
  char buf[4096];
  gssize n;
  GString *response = g_string_new (NULL);

  server_start (&s, NULL);

  /* A request whose headers arrived but whose body has not */
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", s.port, NULL, &error);
  g_assert_no_error (error);
  out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  headers = g_strdup_printf ("POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Content-Type: application/json\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n"
                             "Expect: 100-continue\r\nConnection: close\r\n\r\n", strlen (body));
  g_output_stream_write_all (out, headers, strlen (headers), NULL, NULL, &error);
  g_assert_no_error (error);
  /* "100 Continue" means the server has read the headers */
  n = g_input_stream_read (in, buf, sizeof buf - 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 0);
  buf[n] = '\0';
  g_assert_true (g_str_has_prefix (buf, "HTTP/1.1 100"));

  g_subprocess_send_signal (s.proc, SIGTERM);
  line = wait_line (&s, "stopping");
  g_assert_cmpstr (line, ==, "stopping: waiting for 1 request(s) in flight");

  /* New requests are turned away meanwhile */
  {
    g_auto(Reply) r = { 0 };

    http (&s, &r, "GET", "/healthz", NULL, NULL);
    assert_error (&r, 503, "stopping");
  }

  /* The request in flight is still answered */
  g_output_stream_write_all (out, body, strlen (body), NULL, NULL, &error);
  g_assert_no_error (error);
  while ((n = g_input_stream_read (in, buf, sizeof buf, NULL, &error)) > 0)
    g_string_append_len (response, buf, n);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (response->str, "HTTP/1.1 200"));
  g_assert_nonnull (strstr (response->str, "\"token\""));
  g_string_free (response, TRUE);

  /* Then it exits cleanly… */
  g_assert_cmpint (server_wait (&s), ==, 0);
  g_assert_nonnull (strstr (s.log->str, "\nstopped\n"));

  /* …and the database opens as it should */
  store = ih_store_open (s.db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ih_store_get_schema_version (store), ==, IH_STORE_SCHEMA_VERSION);
  server_free (&s);
}

static void
test_https (void)
{
  Server s;
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *openssl_err = NULL;
  g_autofree char *token = NULL;
  int status;

  server_setup (&s, NULL);
  cert = g_build_filename (s.dir, "cert.pem", NULL);
  key = g_build_filename (s.dir, "key.pem", NULL);

  /* A throw-away self-signed certificate for 127.0.0.1 */
  {
    const char *argv[] = {
      "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
      "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
      "-keyout", key, "-out", cert, NULL
    };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                                 NULL, NULL, NULL, &openssl_err, &status, &error));
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, NULL))
      g_error ("openssl failed: %s", openssl_err);
  }
  s.certificate = g_tls_certificate_new_from_file (cert, &error);
  g_assert_no_error (error);

  server_launch (&s, cert, key);
  g_assert_true (g_str_has_prefix (s.uri, "https://127.0.0.1:"));
  assert_healthy (&s);
  token = login (&s, "viewer");
  g_assert_nonnull (token);

  /* Plain HTTP on the TLS port gets nowhere */
  {
    g_autofree char *plain_url = g_strdup_printf ("http://127.0.0.1:%u/healthz", s.port);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", plain_url);
    g_autoptr(GBytes) body = soup_session_send_and_read (s.session, msg, NULL, &error);

    g_assert_true (error != NULL || soup_message_get_status (msg) != 200);
    g_clear_error (&error);
  }
  assert_healthy (&s);

  g_assert_cmpint (server_stop (&s), ==, 0);
  server_free (&s);
}

/*
 * The route API, in-process: a server on its own thread and context, with
 * endpoints of the kind the sync code adds
 */

typedef struct
{
  GMutex        lock;
  GCond         cond;
  char         *db;
  char         *uri;
  GMainContext *context;
  GMainLoop    *loop;
  GThread      *thread;
} InProcess;

static void
echo_cb (IhServer        *server,
         IhServerRequest *req,
         gpointer         user_data)
{
  static const char * const members[] = { "text", "nested", NULL };
  static const char * const nested_members[] = { "a", NULL };
  g_autoptr(GError) error = NULL;
  JsonObject *body = ih_server_request_get_json (req, members);
  JsonObject *reply;

  if (body == NULL)
    return;
  if (json_object_has_member (body, "nested") &&
      !ih_server_request_check_members (req, json_object_get_object_member (body, "nested"), "nested",
                                        nested_members))
    return;

  g_assert_true (ih_store_begin (ih_server_get_store (server), &error));
  g_assert_true (ih_server_request_audit (req, "echo", "test", ih_server_request_get_rest (req),
                                          json_object_get_string_member (body, "text"), &error));
  g_assert_true (ih_store_commit (ih_server_get_store (server), &error));

  reply = json_object_new ();
  json_object_set_string_member (reply, "text", json_object_get_string_member (body, "text"));
  json_object_set_string_member (reply, "rest", ih_server_request_get_rest (req));
  json_object_set_string_member (reply, "q", ih_server_request_get_query (req, "q"));
  json_object_set_string_member (reply, "user", ih_server_request_get_user_email (req));
  json_object_set_string_member (reply, "role", ih_role_to_string (ih_server_request_get_user_role (req)));
  ih_server_request_reply_json (req, 200, json_node_init_object (json_node_alloc (), reply));
  json_object_unref (reply);
}

static gboolean
later_reply_cb (gpointer user_data)
{
  IhServerRequest *req = user_data;
  JsonObject *reply = json_object_new ();

  json_object_set_string_member (reply, "answer", "later");
  ih_server_request_reply_json (req, 200, json_node_init_object (json_node_alloc (), reply));
  json_object_unref (reply);
  ih_server_request_resume (req);
  return G_SOURCE_REMOVE;
}

static void
later_cb (IhServer        *server,
          IhServerRequest *req,
          gpointer         user_data)
{
  GSource *source = g_timeout_source_new (20);

  ih_server_request_pause (req);
  g_source_set_callback (source, later_reply_cb, req, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
}

static gpointer
in_process_thread (gpointer data)
{
  InProcess *p = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) config = g_key_file_new ();
  g_autoptr(IhStore) store = NULL;
  g_autoptr(IhServer) server = NULL;

  g_main_context_push_thread_default (p->context);

  g_key_file_set_string (config, "auth", "password-hash-cost", "unsafe-fast-for-tests-only");
  store = ih_store_open (p->db, &error);
  g_assert_no_error (error);
  server = ih_server_new (store, config, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autofree char *email = email_for (roles[i]);
      g_autofree char *password = password_for (roles[i]);
      g_autofree char *hash = _ih_password_hash (password, IH_PASSWORD_COST_UNSAFE_TEST_ONLY, &error);
      IhRole role;

      g_assert_true (ih_role_from_string (roles[i], &role));
      g_assert_true (_ih_server_db_add_user (store, email, roles[i], role, hash, &error));
      g_assert_no_error (error);
    }

  ih_server_add_route (server, "POST", "/api/v1/test/echo/", IH_ROLE_OFFICER, echo_cb, NULL);
  ih_server_add_route (server, "GET", "/api/v1/test/later", IH_ROLE_VIEWER, later_cb, NULL);
  g_assert_true (ih_server_listen (server, "127.0.0.1", 0, NULL, FALSE, &error));
  g_assert_no_error (error);

  g_mutex_lock (&p->lock);
  p->uri = ih_server_get_uri (server);
  g_cond_signal (&p->cond);
  g_mutex_unlock (&p->lock);

  g_main_loop_run (p->loop);

  g_clear_object (&server);
  g_clear_object (&store);
  g_main_context_pop_thread_default (p->context);
  return NULL;
}

static GMutex printed_lock;
static GString *printed;

/* The in-process server's request log, kept out of the TAP output */
static void
print_cb (const char *text)
{
  g_mutex_lock (&printed_lock);
  g_string_append (printed, text);
  g_mutex_unlock (&printed_lock);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_route_api (void)
{
  InProcess p = { 0 };
  Server s = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *officer = NULL;
  g_autofree char *viewer = NULL;
  g_auto(Reply) r = { 0 };
  sqlite3 *db;
  sqlite3_stmt *stmt;

  s.dir = g_dir_make_tmp ("ih-server-XXXXXX", &error);
  g_assert_no_error (error);
  s.log = g_string_new (NULL);
  p.db = g_build_filename (s.dir, "server.db", NULL);
  p.context = g_main_context_new ();
  p.loop = g_main_loop_new (p.context, FALSE);
  g_mutex_init (&p.lock);
  g_cond_init (&p.cond);

  printed = g_string_new (NULL);
  g_set_print_handler (print_cb);

  g_mutex_lock (&p.lock);
  p.thread = g_thread_new ("server", in_process_thread, &p);
  while (p.uri == NULL)
    g_cond_wait (&p.cond, &p.lock);
  g_mutex_unlock (&p.lock);

  s.uri = g_strdup (p.uri);
  s.session = soup_session_new ();
  officer = login (&s, "officer");
  viewer = login (&s, "viewer");

  http (&s, &r, "POST", "/api/v1/test/echo/x1", viewer, "{\"text\": \"hi\"}");
  assert_error (&r, 403, "forbidden");
  http (&s, &r, "POST", "/api/v1/test/echo/x1", officer, "{\"text\": \"hi\", \"nested\": {\"a\": 1, \"b\": 2}}");
  assert_error (&r, 400, "unknown-member");
  g_assert_nonnull (strstr (json_str (&r, "message"), "“b” in nested"));
  http (&s, &r, "POST", "/api/v1/test/echo/x1?q=a%20b", officer, "{\"text\": \"hi\", \"nested\": {\"a\": 1}}");
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (json_str (&r, "text"), ==, "hi");
  g_assert_cmpstr (json_str (&r, "rest"), ==, "x1");
  g_assert_cmpstr (json_str (&r, "q"), ==, "a b");
  g_assert_cmpstr (json_str (&r, "user"), ==, "officer@example.org");
  g_assert_cmpstr (json_str (&r, "role"), ==, "officer");
  http (&s, &r, "GET", "/api/v1/test/echo/x1", officer, NULL);
  assert_error (&r, 405, "method-not-allowed");

  /* A handler that answers later, from a timeout */
  http (&s, &r, "GET", "/api/v1/test/later", viewer, NULL);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (json_str (&r, "answer"), ==, "later");

  g_clear_object (&s.session);
  g_main_context_invoke (p.context, quit_cb, p.loop);
  g_thread_join (p.thread);
  g_set_print_handler (NULL);
  g_assert_nonnull (strstr (printed->str, " officer@example.org POST /api/v1/test/echo/x1 200 "));
  g_assert_nonnull (strstr (printed->str, " viewer@example.org GET /api/v1/test/later 200 "));
  g_string_free (g_steal_pointer (&printed), TRUE);

  g_assert_cmpint (sqlite3_open_v2 (p.db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT user_email, record_id, detail FROM server_audit "
                                           "WHERE action = 'echo'", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "officer@example.org");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "x1");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, "hi");
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_main_loop_unref (p.loop);
  g_main_context_unref (p.context);
  g_mutex_clear (&p.lock);
  g_cond_clear (&p.cond);
  g_free (p.db);
  g_free (p.uri);
  server_free (&s);
}

int
main (int   argc,
      char *argv[])
{
  /* No desktop proxy settings in a test: connect directly */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--server") == 0 && i + 1 < argc)
      server_path = argv[i + 1];
  g_assert_nonnull (server_path);

  g_test_add_func ("/server/command-line", test_command_line);
  g_test_add_func ("/server/login-logout-me", test_login_logout_me);
  g_test_add_func ("/server/token-expiry", test_token_expiry);
  g_test_add_func ("/server/roles", test_roles);
  g_test_add_func ("/server/bad-requests", test_bad_requests);
  g_test_add_func ("/server/body-limits", test_body_limits);
  g_test_add_func ("/server/slow-failed-logins", test_slow_failed_logins);
  g_test_add_func ("/server/blobs", test_blobs);
  g_test_add_func ("/server/sigterm", test_sigterm_finishes_request);
  g_test_add_func ("/server/https", test_https);
  g_test_add_func ("/server/route-api", test_route_api);

  return g_test_run ();
}
