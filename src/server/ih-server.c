/* ih-server.c — the HTTP server: routes, sign-in, roles, limits, logging
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-server"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ih-server-private.h"

/* Connections the kernel may hold while the server is busy */
#define IH_SERVER_LISTEN_BACKLOG 128
#include "ih-server-sync.h"
#include "ih-store-private.h"

typedef struct
{
  char            *method;
  char            *path;
  gboolean         prefix;
  int              min_role;     /* IhRole, or IH_SERVER_PUBLIC */
  IhServerHandler  handler;
  gpointer         user_data;
} Route;

struct _IhServer
{
  GObject         parent_instance;

  /* Owned References */
  IhStore        *store;
  SoupServer     *soup;
  GMainContext   *context;      /* where the server runs */
  GPtrArray      *routes;
  GThreadPool    *hash_pool;
  char           *epoch;
  char           *blobs_dir;
  char           *dummy_hash;
  char           *uri;

  /* Settings */
  gint64          max_body_bytes;
  gint64          max_blob_bytes;
  gint64          token_lifetime_ms;
  gint64          login_free_attempts;
  gint64          login_max_delay_ms;
  IhPasswordCost  cost;

  /* State */
  guint           in_flight;
  gboolean        stopping;
  IhServerStopped stop_done;
  gpointer        stop_data;
};

struct _IhServerRequest
{
  IhServer          *server;      /* borrowed: outlives every request */
  SoupServerMessage *msg;         /* borrowed: owns the request */
  char              *path;
  const char        *rest;
  GHashTable        *query;
  char              *client;
  char              *token_hash;
  IhServerUser      *user;
  JsonParser        *parser;
  gint64             started;     /* monotonic µs */
  gint64             body_seen;
  gint64             limit;
  guint              counted : 1;
  guint              replied : 1;
  guint              paused : 1;
  guint              gone : 1;
  guint              refused : 1;
  guint              late : 1;        /* arrived after SIGTERM */
  IhBlobUpload      *upload;          /* a blob streamed to disk */
};

G_DEFINE_FINAL_TYPE (IhServer, ih_server, G_TYPE_OBJECT)
G_DEFINE_QUARK (ih-server-error-quark, ih_server_error)

#define REQUEST_KEY "ih-server-request"
/* Failed logins are forgotten after a day without one */
#define FAILURE_MEMORY_MS (24 * 3600 * G_GINT64_CONSTANT (1000))
/* Logins waiting for a hash beyond this many get 503 */
#define MAX_QUEUED_HASHES 64

static void check_stopped (IhServer *self);

/*
 * Auxiliary methods
 */

static void
route_free (Route *route)
{
  g_free (route->method);
  g_free (route->path);
  g_free (route);
}

static void
request_free (IhServerRequest *req)
{
  g_free (req->path);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_free (req->client);
  g_free (req->token_hash);
  g_clear_pointer (&req->user, _ih_server_user_free);
  g_clear_object (&req->parser);
  g_clear_pointer (&req->upload, _ih_blob_upload_free);
  g_free (req);
}

static IhServerRequest *
request_for (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), REQUEST_KEY);
}

/* One line per request on stdout: never a token, password or body. */
static void
log_request (IhServerRequest *req,
             guint            status,
             gsize            bytes)
{
  g_autofree char *now = _ih_server_format_time (ih_now_ms ());
  gint64 ms = (g_get_monotonic_time () - req->started) / 1000;

  /* g_print: stdout, flushed; an embedding program may redirect it */
  g_print ("%s %s %s %s %s %u %" G_GSIZE_FORMAT " %" G_GINT64_FORMAT "ms\n",
           now,
           req->client != NULL ? req->client : "-",
           req->user != NULL ? req->user->email : "-",
           soup_server_message_get_method (req->msg) != NULL ? soup_server_message_get_method (req->msg) : "-",
           req->path != NULL ? req->path : "-",
           status, bytes, ms);
}

static void
request_done (IhServer        *self,
              IhServerRequest *req)
{
  if (req->counted)
    {
      req->counted = FALSE;
      g_assert (self->in_flight > 0);
      self->in_flight--;
      check_stopped (self);
    }
}

static const char *
status_reason (guint status)
{
  const char *phrase = soup_status_get_phrase (status);
  return phrase != NULL ? phrase : "Error";
}

/* Replies to a request whose body we will not read: writes the response on
 * the raw connection, reads and drops what the client still sends for a
 * moment (so it sees the reply rather than a reset), then closes. */
typedef struct
{
  GIOStream *stream;
  char      *response;
  gsize      drained;
  GSource   *timeout;
  gboolean   closing;
} Refusal;

/* A source on the server's context (not always the global default) */
static GSource *
add_source (GMainContext *context,
            GSource      *source,
            GSourceFunc   func,
            gpointer      data,
            GDestroyNotify notify)
{
  g_source_set_callback (source, func, data, notify);
  g_source_attach (source, context);
  return source;
}

static void
refusal_close (Refusal *r)
{
  if (r->closing)
    return;
  r->closing = TRUE;
  if (r->timeout != NULL)
    g_source_destroy (r->timeout);
  g_clear_pointer (&r->timeout, g_source_unref);
  g_io_stream_close_async (r->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

static void
refusal_unref (Refusal *r)
{
  if (r->timeout != NULL)
    g_source_destroy (r->timeout);
  g_clear_pointer (&r->timeout, g_source_unref);
  g_object_unref (r->stream);
  g_free (r->response);
  g_free (r);
}

static void
refusal_drained_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refusal *r = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0 || r->closing ||
      (r->drained += g_bytes_get_size (bytes)) > 16 * 1024 * 1024)
    {
      refusal_close (r);
      refusal_unref (r);
      return;
    }

  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (r->stream), 65536,
                                   G_PRIORITY_DEFAULT, NULL, refusal_drained_cb, r);
}

static gboolean
refusal_timeout_cb (gpointer user_data)
{
  Refusal *r = user_data;

  refusal_close (r);
  return G_SOURCE_REMOVE;
}

static void
refusal_written_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refusal *r = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      refusal_close (r);
      refusal_unref (r);
      return;
    }

  r->timeout = add_source (g_main_context_get_thread_default (), g_timeout_source_new_seconds (5),
                          refusal_timeout_cb, r, NULL);
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (r->stream), 65536,
                                   G_PRIORITY_DEFAULT, NULL, refusal_drained_cb, r);
}

static char *
error_body (const char *code,
            const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  return json_to_string (node, FALSE);
}

static void
refuse_unread (IhServer          *self,
               SoupServerMessage *msg,
               IhServerRequest   *req,
               guint              status,
               const char        *extra_header,
               const char        *code,
               const char        *message)
{
  g_autofree char *body = error_body (code, message);
  GIOStream *stream;
  Refusal *r;

  req->refused = TRUE;
  g_object_ref (msg);
  stream = soup_server_message_steal_connection (msg);
  log_request (req, status, strlen (body));
  request_done (self, req);
  g_object_unref (msg);
  if (stream == NULL)
    return;

  r = g_new0 (Refusal, 1);
  r->stream = stream;
  r->response = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                                 "Content-Type: application/json\r\n"
                                 "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                 "%s"
                                 "Connection: close\r\n"
                                 "\r\n%s",
                                 status, status_reason (status), strlen (body),
                                 extra_header != NULL ? extra_header : "", body);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   r->response, strlen (r->response), G_PRIORITY_DEFAULT,
                                   NULL, refusal_written_cb, r);
}

static void
refuse_too_large (IhServer          *self,
                  SoupServerMessage *msg,
                  IhServerRequest   *req)
{
  g_autofree char *limit = g_strdup_printf ("%" G_GINT64_FORMAT, req->limit);
  g_autofree char *message =
    g_strdup_printf (_("The request body is larger than this server accepts (%s bytes)"), limit);
  refuse_unread (self, msg, req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL, "too-large", message);
}

/*
 * Routing and sign-in
 */

static gboolean
route_matches_path (const Route *route,
                    const char  *path,
                    const char **rest)
{
  if (route->prefix)
    {
      if (!g_str_has_prefix (path, route->path))
        return FALSE;
      *rest = path + strlen (route->path);
      return TRUE;
    }
  *rest = "";
  return strcmp (path, route->path) == 0;
}

/* The route for @method and @path, or NULL; @allowed (if given) collects
 * the methods the path does have. */
static const Route *
find_route (IhServer    *self,
            const char  *method,
            const char  *path,
            const char **rest,
            GString     *allowed)
{
  for (guint i = 0; i < self->routes->len; i++)
    {
      const Route *route = g_ptr_array_index (self->routes, i);
      const char *r;

      if (!route_matches_path (route, path, &r))
        continue;
      if (strcmp (route->method, method) == 0)
        {
          *rest = r;
          return route;
        }
      if (allowed != NULL && strstr (allowed->str, route->method) == NULL)
        g_string_append_printf (allowed, "%s%s", allowed->len > 0 ? ", " : "", route->method);
    }
  return NULL;
}

typedef enum
{
  AUTH_OK,
  AUTH_MISSING,
  AUTH_INVALID,
  AUTH_FORBIDDEN,
} AuthResult;

/* Sets req->user from the bearer token and checks it against @route */
static AuthResult
check_access (IhServer        *self,
              IhServerRequest *req,
              const Route     *route)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  const char *token;

  if (route->min_role == IH_SERVER_PUBLIC)
    return AUTH_OK;
  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    return AUTH_MISSING;

  token = auth + 7;
  while (*token == ' ')
    token++;
  g_free (req->token_hash);
  req->token_hash = _ih_token_hash (token);
  g_clear_pointer (&req->user, _ih_server_user_free);
  req->user = _ih_server_db_token_user (self->store, req->token_hash, ih_now_ms ());
  if (req->user == NULL)
    return AUTH_INVALID;
  if ((int) req->user->role < route->min_role)
    return AUTH_FORBIDDEN;
  return AUTH_OK;
}

#define WWW_AUTHENTICATE "Bearer realm=\"insight-hub\""

static const char *
auth_code (AuthResult result)
{
  switch (result)
    {
    case AUTH_MISSING:
      return "sign-in-required";
    case AUTH_INVALID:
      return "invalid-token";
    case AUTH_FORBIDDEN:
      return "forbidden";
    case AUTH_OK:
    default:
      return "ok";
    }
}

static char *
auth_message (AuthResult       result,
              IhServerRequest *req,
              const Route     *route)
{
  switch (result)
    {
    case AUTH_MISSING:
      return g_strdup (_("Sign in first: this needs an Authorization: Bearer token"));
    case AUTH_INVALID:
      return g_strdup (_("The token is unknown, expired or signed out: sign in again"));
    case AUTH_FORBIDDEN:
      return g_strdup_printf (_("Your role (%s) may not do this; it needs %s or above"),
                              ih_role_to_string (req->user->role),
                              ih_role_to_string ((IhRole) route->min_role));
    case AUTH_OK:
    default:
      return g_strdup ("");
    }
}

/*
 * Signals of every message
 */

static void
got_headers_cb (SoupServerMessage *msg,
                IhServer          *self)
{
  IhServerRequest *req = request_for (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);

  g_assert (req != NULL);

  req->started = g_get_monotonic_time ();
  req->client = g_strdup (soup_server_message_get_remote_host (msg));
  req->path = g_strdup (uri != NULL ? g_uri_get_path (uri) : NULL);
  req->counted = TRUE;
  req->late = self->stopping;
  self->in_flight++;

  /* Blobs (PDF papers) may be larger than any JSON body */
  req->limit = g_str_has_prefix (req->path != NULL ? req->path : "", "/api/v1/blobs/")
               ? self->max_blob_bytes : self->max_body_bytes;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > req->limit)
    {
      refuse_too_large (self, msg, req);
      return;
    }

  /* A body for a route that needs a sign-in: check the token before
   * reading (and holding) a byte of it */
  if (req->path != NULL &&
      (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED ||
       soup_message_headers_get_content_length (headers) > 0))
    {
      const char *rest;
      const Route *route = find_route (self, soup_server_message_get_method (msg), req->path, &rest, NULL);
      AuthResult result = route != NULL ? check_access (self, req, route) : AUTH_OK;

      if (result != AUTH_OK)
        {
          g_autofree char *message = auth_message (result, req, route);

          refuse_unread (self, msg, req,
                         result == AUTH_FORBIDDEN ? SOUP_STATUS_FORBIDDEN : SOUP_STATUS_UNAUTHORIZED,
                         result == AUTH_FORBIDDEN ? NULL : "WWW-Authenticate: " WWW_AUTHENTICATE "\r\n",
                         auth_code (result), message);
          return;
        }

      /* A blob goes to a file as it arrives, not into memory */
      if (route != NULL && route->handler == _ih_server_blobs_put_handler ())
        {
          g_autoptr(GError) error = NULL;

          if (!_ih_blob_name_is_valid (rest))
            {
              refuse_unread (self, msg, req, SOUP_STATUS_BAD_REQUEST, NULL, "bad-blob-name",
                             _("A blob is named by the sha256 of its bytes: 64 lower-case hex digits"));
              return;
            }
          req->upload = _ih_blob_upload_new (self, &error);
          if (req->upload == NULL)
            {
              g_warning ("%s", error->message);
              refuse_unread (self, msg, req, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, "store",
                             _("The server cannot keep the blob"));
              return;
            }
          soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
        }
    }
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              IhServer          *self)
{
  IhServerRequest *req = request_for (msg);

  if (req == NULL || req->refused)
    return;

  /* Chunked bodies have no length up front: count as they come */
  req->body_seen += g_bytes_get_size (chunk);
  if (req->body_seen > req->limit)
    refuse_too_large (self, msg, req);
  else if (req->upload != NULL)
    _ih_blob_upload_write (req->upload, chunk);
}

static void
disconnected_cb (SoupServerMessage *msg,
                 IhServer          *self)
{
  IhServerRequest *req = request_for (msg);

  if (req != NULL)
    req->gone = TRUE;
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    IhServer          *self)
{
  IhServerRequest *req = g_new0 (IhServerRequest, 1);

  req->server = self;
  req->msg = msg;
  req->started = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), REQUEST_KEY, req, (GDestroyNotify) request_free);

  /* Connected after SoupServer's own got-headers handler */
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (got_headers_cb), self, 0);
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (got_chunk_cb), self, 0);
  g_signal_connect_object (msg, "disconnected", G_CALLBACK (disconnected_cb), self, 0);
}

static void
request_finished_cb (SoupServer        *soup,
                     SoupServerMessage *msg,
                     IhServer          *self)
{
  IhServerRequest *req = request_for (msg);
  SoupMessageBody *body;

  if (req == NULL || req->refused)
    return;

  body = soup_server_message_get_response_body (msg);
  log_request (req, soup_server_message_get_status (msg), body != NULL ? (gsize) body->length : 0);
  request_done (self, req);
}

static void
handle_cb (SoupServer        *soup,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  IhServer *self = user_data;
  IhServerRequest *req = request_for (msg);
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GString) allowed = g_string_new (NULL);
  const Route *found;
  const char *rest = NULL;
  AuthResult result;

  g_assert (req != NULL);

  if (query != NULL)
    req->query = g_hash_table_ref (query);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");

  /* Requests already under way when the stop came are served */
  if (req->late)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      ih_server_request_reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE, "stopping",
                                     _("The server is stopping; try again in a moment"));
      return;
    }

  found = find_route (self, method, path, &rest, allowed);

  if (found == NULL && allowed->len > 0)
    {
      ih_server_request_set_header (req, "Allow", allowed->str);
      ih_server_request_reply_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
                                     _("%s is not allowed on %s; use %s"), method, path, allowed->str);
      return;
    }
  if (found == NULL)
    {
      ih_server_request_reply_error (req, SOUP_STATUS_NOT_FOUND, "not-found",
                                     _("There is nothing at %s"), path);
      return;
    }

  req->rest = rest;
  result = check_access (self, req, found);
  if (result != AUTH_OK)
    {
      g_autofree char *message = auth_message (result, req, found);

      if (result != AUTH_FORBIDDEN)
        ih_server_request_set_header (req, "WWW-Authenticate", WWW_AUTHENTICATE);
      ih_server_request_reply_error (req,
                                     result == AUTH_FORBIDDEN ? SOUP_STATUS_FORBIDDEN
                                                              : SOUP_STATUS_UNAUTHORIZED,
                                     auth_code (result), "%s", message);
      return;
    }

  found->handler (self, req, found->user_data);

  if (!req->replied && !req->paused)
    {
      g_critical ("%s %s: the handler did not reply", method, path);
      ih_server_request_reply_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                                     _("The server failed to answer this request"));
    }
}

/*
 * Password hashing off the main loop
 */

typedef void (*HashDone) (IhServer        *self,
                          IhServerRequest *req,
                          gboolean         verified,
                          char            *hash,
                          gpointer         data);

typedef struct
{
  IhServer          *server;
  SoupServerMessage *msg;
  char              *password;
  char              *verify_hash;  /* verify against this, or make a new hash */
  gboolean           verified;
  char              *new_hash;
  HashDone           done;
  gpointer           data;
  GDestroyNotify     data_free;
} HashJob;

static void
hash_job_free (HashJob *job)
{
  if (job->password != NULL)
    memset (job->password, 0, strlen (job->password));
  g_free (job->password);
  g_free (job->verify_hash);
  g_free (job->new_hash);
  if (job->data_free != NULL)
    job->data_free (job->data);
  g_object_unref (job->msg);
  g_object_unref (job->server);
  g_free (job);
}

static gboolean
hash_job_done_cb (gpointer user_data)
{
  HashJob *job = user_data;
  IhServerRequest *req = request_for (job->msg);

  if (req != NULL)
    {
      req->paused = FALSE;
      if (!req->gone)
        {
          job->done (job->server, req, job->verified, g_steal_pointer (&job->new_hash), job->data);
          soup_server_message_unpause (job->msg);
        }
      else
        request_done (job->server, req);
    }
  hash_job_free (job);
  return G_SOURCE_REMOVE;
}

static void
hash_worker (gpointer data,
             gpointer user_data)
{
  HashJob *job = data;
  IhServer *self = job->server;

  if (job->verify_hash != NULL)
    job->verified = _ih_password_verify (job->verify_hash, job->password);
  else
    job->new_hash = _ih_password_hash (job->password, self->cost, NULL);

  g_source_unref (add_source (self->context, g_idle_source_new (), hash_job_done_cb, job, NULL));
}

/* Pauses @req while a worker hashes or verifies @password; @done runs on
 * the main loop and must reply. */
static void
hash_async (IhServer        *self,
            IhServerRequest *req,
            const char      *password,
            const char      *verify_hash,
            HashDone         done,
            gpointer         data,
            GDestroyNotify   data_free)
{
  HashJob *job;

  if (g_thread_pool_unprocessed (self->hash_pool) >= MAX_QUEUED_HASHES)
    {
      ih_server_request_set_header (req, "Retry-After", "1");
      ih_server_request_reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy",
                                     _("The server is busy signing people in; try again in a moment"));
      if (data_free != NULL)
        data_free (data);
      return;
    }

  job = g_new0 (HashJob, 1);
  job->server = g_object_ref (self);
  job->msg = g_object_ref (req->msg);
  job->password = g_strdup (password);
  job->verify_hash = g_strdup (verify_hash);
  job->done = done;
  job->data = data;
  job->data_free = data_free;

  req->paused = TRUE;
  soup_server_message_pause (req->msg);
  g_thread_pool_push (self->hash_pool, job, NULL);
}

/*
 * Endpoints: health, sign-in, users
 */

static JsonNode *
user_to_json (const IhServerUser *user)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *created = _ih_server_format_time (user->created_at);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, user->email);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, user->name);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, ih_role_to_string (user->role));
  json_builder_set_member_name (builder, "disabled");
  json_builder_add_boolean_value (builder, user->disabled);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, created);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
healthz_cb (IhServer        *self,
            IhServerRequest *req,
            gpointer         user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, self->stopping ? "stopping" : "ok");
  json_builder_set_member_name (builder, "epoch");
  json_builder_add_string_value (builder, self->epoch);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_end_object (builder);
  ih_server_request_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (builder));
}

/* How long @key must still wait before another try, in ms */
static gint64
login_wait (IhServer   *self,
            const char *key,
            gint64      now)
{
  gint64 failures, last_at, delay;

  _ih_server_db_get_failures (self->store, key, &failures, &last_at);
  if (failures < self->login_free_attempts || now - last_at > FAILURE_MEMORY_MS)
    return 0;

  /* 1 s, 2 s, 4 s… after the free attempts, up to the configured most */
  delay = G_GINT64_CONSTANT (1000) << MIN (failures - self->login_free_attempts, 20);
  delay = MIN (delay, self->login_max_delay_ms);
  return MAX (0, last_at + delay - now);
}

typedef struct
{
  IhServerUser *user;
  char         *email_key;
  char         *addr_key;
} Login;

static void
login_free (Login *login)
{
  g_clear_pointer (&login->user, _ih_server_user_free);
  g_free (login->email_key);
  g_free (login->addr_key);
  g_free (login);
}

static void
login_verified (IhServer        *self,
                IhServerRequest *req,
                gboolean         verified,
                char            *unused,
                gpointer         data)
{
  Login *login = data;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  g_autofree char *expires = NULL;
  gint64 expires_at;

  g_free (unused);

  if (!verified || login->user == NULL || login->user->disabled)
    {
      gint64 now = ih_now_ms ();

      _ih_server_db_add_failure (self->store, login->email_key, now);
      _ih_server_db_add_failure (self->store, login->addr_key, now);
      ih_server_request_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "bad-credentials",
                                     _("The e-mail address or password is wrong"));
      return;
    }

  _ih_server_db_clear_failures (self->store, login->email_key);
  _ih_server_db_clear_failures (self->store, login->addr_key);

  token = _ih_token_new ();
  token_hash = _ih_token_hash (token);
  expires_at = ih_now_ms () + self->token_lifetime_ms;
  if (!_ih_server_db_add_token (self->store, login->user->id, token_hash, expires_at, &error))
    {
      g_warning ("Cannot store a token: %s", error->message);
      ih_server_request_reply_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "store",
                                     _("The server cannot save the sign-in: %s"), error->message);
      return;
    }

  /* The log line names who signed in */
  req->user = g_steal_pointer (&login->user);
  expires = _ih_server_format_time (expires_at);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_string_value (builder, expires);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, ih_role_to_string (req->user->role));
  json_builder_set_member_name (builder, "epoch");
  json_builder_add_string_value (builder, self->epoch);
  json_builder_end_object (builder);
  ih_server_request_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (builder));
  memset (token, 0, strlen (token));
}

static const char *
string_member (IhServerRequest *req,
               JsonObject      *object,
               const char      *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      ih_server_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "bad-member",
                                     node == NULL ? _("The member “%s” is missing")
                                                  : _("The member “%s” must be a string"),
                                     name);
      return NULL;
    }
  return json_node_get_string (node);
}

static void
login_cb (IhServer        *self,
          IhServerRequest *req,
          gpointer         user_data)
{
  static const char * const members[] = { "email", "password", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  JsonObject *body;
  const char *raw_email, *password;
  Login *login;
  gint64 now, wait;

  if ((body = ih_server_request_get_json (req, members)) == NULL ||
      (raw_email = string_member (req, body, "email")) == NULL ||
      (password = string_member (req, body, "password")) == NULL)
    return;

  if ((email = _ih_server_normalize_email (raw_email, &error)) == NULL)
    {
      ih_server_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "bad-email", "%s", error->message);
      return;
    }

  login = g_new0 (Login, 1);
  login->email_key = g_strconcat ("email:", email, NULL);
  login->addr_key = g_strconcat ("addr:", req->client != NULL ? req->client : "-", NULL);

  now = ih_now_ms ();
  wait = MAX (login_wait (self, login->email_key, now), login_wait (self, login->addr_key, now));
  if (wait > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, (wait + 999) / 1000);

      ih_server_request_set_header (req, "Retry-After", seconds);
      ih_server_request_reply_error (req, 429, "too-many-attempts",
                                     _("Too many wrong passwords: wait %s seconds and try again"),
                                     seconds);
      login_free (login);
      return;
    }

  login->user = _ih_server_db_find_user (self->store, email, NULL);
  /* Unknown users cost the same hash as known ones: no timing hint */
  hash_async (self, req, password,
              login->user != NULL ? login->user->password_hash : self->dummy_hash,
              login_verified, login, (GDestroyNotify) login_free);
}

static void
logout_cb (IhServer        *self,
           IhServerRequest *req,
           gpointer         user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (!_ih_server_db_revoke_token (self->store, req->token_hash, &error))
    {
      ih_server_request_reply_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "store",
                                     _("The server cannot sign you out: %s"), error->message);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "signed-out");
  json_builder_end_object (builder);
  ih_server_request_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (builder));
}

static void
me_cb (IhServer        *self,
       IhServerRequest *req,
       gpointer         user_data)
{
  JsonNode *node = user_to_json (req->user);

  json_object_set_string_member (json_node_get_object (node), "epoch", self->epoch);
  ih_server_request_reply_json (req, SOUP_STATUS_OK, node);
}

static void
users_list_cb (IhServer        *self,
               IhServerRequest *req,
               gpointer         user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = _ih_server_db_list_users (self->store, &error);
  JsonArray *array;
  JsonObject *object;
  JsonNode *node;

  if (users == NULL)
    {
      ih_server_request_reply_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "store", "%s", error->message);
      return;
    }

  array = json_array_sized_new (users->len);
  for (guint i = 0; i < users->len; i++)
    json_array_add_element (array, user_to_json (g_ptr_array_index (users, i)));
  object = json_object_new ();
  json_object_set_array_member (object, "users", array);
  node = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  ih_server_request_reply_json (req, SOUP_STATUS_OK, node);
}

static guint
status_for_store_error (const GError *error)
{
  if (g_error_matches (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_FOUND))
    return SOUP_STATUS_NOT_FOUND;
  if (g_error_matches (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID))
    return SOUP_STATUS_CONFLICT;
  return SOUP_STATUS_INTERNAL_SERVER_ERROR;
}

typedef struct
{
  char   *email;
  char   *name;
  IhRole  role;
  gboolean create;
} UserChange;

static void
user_change_free (UserChange *change)
{
  g_free (change->email);
  g_free (change->name);
  g_free (change);
}

static void
user_hashed (IhServer        *self,
             IhServerRequest *req,
             gboolean         verified,
             char            *hash,
             gpointer         data)
{
  UserChange *change = data;
  g_autofree char *owned_hash = hash;
  g_autoptr(GError) error = NULL;
  g_autoptr(IhServerUser) user = NULL;
  gboolean ok;

  if (hash == NULL)
    {
      ih_server_request_reply_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "hash",
                                     _("The server could not hash the password"));
      return;
    }

  if (!ih_store_begin (self->store, &error))
    ok = FALSE;
  else
    {
      if (change->create)
        ok = _ih_server_db_add_user (self->store, change->email, change->name, change->role,
                                     hash, &error) &&
             ih_server_request_audit (req, "user-create", "user", change->email,
                                      ih_role_to_string (change->role), &error);
      else
        ok = _ih_server_db_set_password (self->store, change->email, hash, &error) &&
             ih_server_request_audit (req, "user-password", "user", change->email, NULL, &error);
      if (ok)
        ok = ih_store_commit (self->store, &error);
      else
        ih_store_rollback (self->store);
    }

  if (!ok)
    {
      ih_server_request_reply_error (req, status_for_store_error (error), "user", "%s", error->message);
      return;
    }

  user = _ih_server_db_find_user (self->store, change->email, NULL);
  if (user == NULL)
    ih_server_request_reply_error (req, SOUP_STATUS_NOT_FOUND, "not-found",
                                   _("There is no user “%s”"), change->email);
  else
    ih_server_request_reply_json (req, change->create ? SOUP_STATUS_CREATED : SOUP_STATUS_OK,
                                  user_to_json (user));
}

static gboolean
check_password (IhServerRequest *req,
                const char      *password)
{
  g_autoptr(GError) error = NULL;

  if (!_ih_password_check (password, &error))
    {
      ih_server_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "bad-password", "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

static void
users_create_cb (IhServer        *self,
                 IhServerRequest *req,
                 gpointer         user_data)
{
  static const char * const members[] = { "email", "name", "role", "password", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(IhServerUser) existing = NULL;
  g_autofree char *email = NULL;
  JsonObject *body;
  const char *raw_email, *role_name, *password, *name = "";
  UserChange *change;
  IhRole role;

  if ((body = ih_server_request_get_json (req, members)) == NULL ||
      (raw_email = string_member (req, body, "email")) == NULL ||
      (role_name = string_member (req, body, "role")) == NULL ||
      (password = string_member (req, body, "password")) == NULL)
    return;
  if (json_object_has_member (body, "name") && (name = string_member (req, body, "name")) == NULL)
    return;

  if ((email = _ih_server_normalize_email (raw_email, &error)) == NULL)
    {
      ih_server_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "bad-email", "%s", error->message);
      return;
    }
  if (!ih_role_from_string (role_name, &role))
    {
      ih_server_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "bad-role",
                                     _("“%s” is not a role: use viewer, officer, manager or admin"),
                                     role_name);
      return;
    }
  if (!check_password (req, password))
    return;
  if ((existing = _ih_server_db_find_user (self->store, email, NULL)) != NULL)
    {
      ih_server_request_reply_error (req, SOUP_STATUS_CONFLICT, "exists",
                                     _("There is already a user “%s”"), email);
      return;
    }

  change = g_new0 (UserChange, 1);
  change->email = g_steal_pointer (&email);
  change->name = g_strdup (name);
  change->role = role;
  change->create = TRUE;
  hash_async (self, req, password, NULL, user_hashed, change, (GDestroyNotify) user_change_free);
}

/* "/api/v1/users/{email}" and "…/{email}/password" */
static char *
user_from_rest (IhServerRequest *req,
                const char      *suffix)
{
  g_autofree char *raw = NULL;
  g_autofree char *decoded = NULL;
  g_autoptr(GError) error = NULL;
  char *email;

  if (suffix != NULL)
    {
      if (!g_str_has_suffix (req->rest, suffix))
        {
          ih_server_request_reply_error (req, SOUP_STATUS_NOT_FOUND, "not-found",
                                         _("There is nothing at %s"), req->path);
          return NULL;
        }
      raw = g_strndup (req->rest, strlen (req->rest) - strlen (suffix));
    }
  else
    raw = g_strdup (req->rest);

  decoded = g_uri_unescape_string (raw, "/");
  if (decoded == NULL || (email = _ih_server_normalize_email (decoded, &error)) == NULL)
    {
      ih_server_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "bad-email",
                                     _("The path does not end in an e-mail address: %s"), req->path);
      return NULL;
    }
  return email;
}

static void
users_update_cb (IhServer        *self,
                 IhServerRequest *req,
                 gpointer         user_data)
{
  static const char * const members[] = { "role", "disabled", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(IhServerUser) user = NULL;
  g_autofree char *email = NULL;
  g_autofree char *detail = NULL;
  JsonObject *body;
  JsonNode *node;
  int role = -1, disabled = -1;
  gboolean ok;

  if ((email = user_from_rest (req, NULL)) == NULL ||
      (body = ih_server_request_get_json (req, members)) == NULL)
    return;

  if (json_object_has_member (body, "role"))
    {
      const char *name = string_member (req, body, "role");
      IhRole r;

      if (name == NULL)
        return;
      if (!ih_role_from_string (name, &r))
        {
          ih_server_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "bad-role",
                                         _("“%s” is not a role: use viewer, officer, manager or admin"),
                                         name);
          return;
        }
      role = r;
    }
  if ((node = json_object_get_member (body, "disabled")) != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          ih_server_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "bad-member",
                                         _("The member “%s” must be true or false"), "disabled");
          return;
        }
      disabled = json_node_get_boolean (node);
    }

  /* An admin cannot lock themselves out */
  if (strcmp (email, req->user->email) == 0 && (disabled == 1 || (role >= 0 && role != IH_ROLE_ADMIN)))
    {
      ih_server_request_reply_error (req, SOUP_STATUS_CONFLICT, "self",
                                     _("You cannot disable yourself or give up your own admin role"));
      return;
    }

  detail = g_strdup_printf ("role=%s disabled=%s",
                            role >= 0 ? ih_role_to_string ((IhRole) role) : "-",
                            disabled < 0 ? "-" : disabled ? "true" : "false");
  if (!ih_store_begin (self->store, &error))
    ok = FALSE;
  else
    {
      ok = _ih_server_db_update_user (self->store, email, role, disabled, &error) &&
           ih_server_request_audit (req, "user-update", "user", email, detail, &error);
      if (ok)
        ok = ih_store_commit (self->store, &error);
      else
        ih_store_rollback (self->store);
    }
  if (!ok)
    {
      ih_server_request_reply_error (req, status_for_store_error (error), "user", "%s", error->message);
      return;
    }

  user = _ih_server_db_find_user (self->store, email, &error);
  if (user == NULL)
    ih_server_request_reply_error (req, status_for_store_error (error), "user", "%s", error->message);
  else
    ih_server_request_reply_json (req, SOUP_STATUS_OK, user_to_json (user));
}

static void
users_password_cb (IhServer        *self,
                   IhServerRequest *req,
                   gpointer         user_data)
{
  static const char * const members[] = { "password", NULL };
  g_autoptr(IhServerUser) user = NULL;
  g_autofree char *email = NULL;
  JsonObject *body;
  const char *password;
  UserChange *change;

  if ((email = user_from_rest (req, "/password")) == NULL ||
      (body = ih_server_request_get_json (req, members)) == NULL ||
      (password = string_member (req, body, "password")) == NULL ||
      !check_password (req, password))
    return;

  if ((user = _ih_server_db_find_user (self->store, email, NULL)) == NULL)
    {
      ih_server_request_reply_error (req, SOUP_STATUS_NOT_FOUND, "not-found",
                                     _("There is no user “%s”"), email);
      return;
    }

  change = g_new0 (UserChange, 1);
  change->email = g_steal_pointer (&email);
  hash_async (self, req, password, NULL, user_hashed, change, (GDestroyNotify) user_change_free);
}

/*
 * Settings
 */

static gboolean
check_keys (GKeyFile  *config,
            GError   **error)
{
  static const char * const server_keys[] = {
    "listen", "port", "db", "max-body-bytes", "max-blob-bytes", "blobs-dir", "tls-cert", "tls-key", NULL
  };
  static const char * const auth_keys[] = {
    "token-lifetime-seconds", "max-concurrent-hashes", "password-hash-cost",
    "login-free-attempts", "login-max-delay-seconds", NULL
  };
  g_auto(GStrv) groups = g_key_file_get_groups (config, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char * const *known;
      g_auto(GStrv) keys = NULL;

      if (strcmp (groups[i], "server") == 0)
        known = server_keys;
      else if (strcmp (groups[i], "auth") == 0)
        known = auth_keys;
      else
        {
          g_set_error (error, IH_SERVER_ERROR, IH_SERVER_ERROR_CONFIG,
                       _("Unknown group [%s] in the settings: use [server] and [auth]"), groups[i]);
          return FALSE;
        }

      keys = g_key_file_get_keys (config, groups[i], NULL, NULL);
      for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
        if (!g_strv_contains (known, keys[k]))
          {
            g_set_error (error, IH_SERVER_ERROR, IH_SERVER_ERROR_CONFIG,
                         _("Unknown setting “%s” in [%s]"), keys[k], groups[i]);
            return FALSE;
          }
    }
  return TRUE;
}

static gboolean
get_int (GKeyFile    *config,
         const char  *group,
         const char  *key,
         gint64       fallback,
         gint64       min,
         gint64       max,
         gint64      *out,
         GError     **error)
{
  g_autofree char *text = g_key_file_get_value (config, group, key, NULL);
  gint64 value;

  if (text == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!g_ascii_string_to_signed (g_strstrip (text), 10, min, max, &value, NULL))
    {
      g_autofree char *low = g_strdup_printf ("%" G_GINT64_FORMAT, min);
      g_autofree char *high = g_strdup_printf ("%" G_GINT64_FORMAT, max);

      g_set_error (error, IH_SERVER_ERROR, IH_SERVER_ERROR_CONFIG,
                   _("[%s] %s must be a whole number from %s to %s, not “%s”"),
                   group, key, low, high, text);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
apply_config (IhServer  *self,
              GKeyFile  *config,
              GError   **error)
{
  g_autofree char *cost = NULL;
  g_autofree char *blobs = NULL;
  gint64 lifetime, hashes, max_delay;

  if (!check_keys (config, error) ||
      !get_int (config, "server", "max-body-bytes", 10 * 1024 * 1024, 1024, G_MAXINT32,
                &self->max_body_bytes, error) ||
      !get_int (config, "server", "max-blob-bytes", 64 * 1024 * 1024, 1024, G_MAXINT32,
                &self->max_blob_bytes, error) ||
      !get_int (config, "auth", "token-lifetime-seconds", 7 * 24 * 3600, 1, 366 * 24 * 3600,
                &lifetime, error) ||
      !get_int (config, "auth", "max-concurrent-hashes", 2, 1, 64, &hashes, error) ||
      !get_int (config, "auth", "login-free-attempts", 5, 1, 1000, &self->login_free_attempts, error) ||
      !get_int (config, "auth", "login-max-delay-seconds", 900, 1, 24 * 3600, &max_delay, error))
    return FALSE;

  self->token_lifetime_ms = lifetime * 1000;
  self->login_max_delay_ms = max_delay * 1000;

  cost = g_key_file_get_string (config, "auth", "password-hash-cost", NULL);
  if (cost != NULL && !_ih_password_cost_from_string (g_strstrip (cost), &self->cost))
    {
      g_set_error (error, IH_SERVER_ERROR, IH_SERVER_ERROR_CONFIG,
                   _("[auth] password-hash-cost must be interactive, moderate or sensitive, not “%s”"),
                   cost);
      return FALSE;
    }

  blobs = g_key_file_get_string (config, "server", "blobs-dir", NULL);
  if (blobs != NULL)
    self->blobs_dir = g_strdup (g_strstrip (blobs));
  else
    {
      g_autofree char *dir = g_path_get_dirname (ih_store_get_path (self->store));
      self->blobs_dir = g_build_filename (dir, "blobs", NULL);
    }

  self->hash_pool = g_thread_pool_new (hash_worker, NULL, (int) hashes, FALSE, error);
  return self->hash_pool != NULL;
}

/*
 * GObject overrides
 */

static void
ih_server_finalize (GObject *object)
{
  IhServer *self = (IhServer *) object;

  if (self->hash_pool != NULL)
    g_thread_pool_free (self->hash_pool, FALSE, TRUE);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->routes, g_ptr_array_unref);
  g_clear_pointer (&self->epoch, g_free);
  g_clear_pointer (&self->blobs_dir, g_free);
  g_clear_pointer (&self->dummy_hash, g_free);
  g_clear_pointer (&self->uri, g_free);

  G_OBJECT_CLASS (ih_server_parent_class)->finalize (object);
}

static void
ih_server_class_init (IhServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ih_server_finalize;
}

static void
ih_server_init (IhServer *self)
{
  self->routes = g_ptr_array_new_with_free_func ((GDestroyNotify) route_free);
}

/*
 * Public API
 */

IhServer *
ih_server_new (IhStore   *store,
               GKeyFile  *config,
               GError   **error)
{
  g_autoptr(IhServer) self = NULL;
  g_autoptr(GKeyFile) empty = NULL;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (config == NULL)
    config = empty = g_key_file_new ();

  self = g_object_new (IH_TYPE_SERVER, NULL);
  self->store = g_object_ref (store);
  self->context = g_main_context_ref_thread_default ();

  if (!apply_config (self, config, error) ||
      !_ih_server_db_init (store, &self->epoch, error))
    return NULL;

  /* Verified against when the e-mail is unknown, so that costs the same */
  {
    g_autofree char *random = _ih_token_new ();
    self->dummy_hash = _ih_password_hash (random, self->cost, error);
    if (self->dummy_hash == NULL)
      return NULL;
  }

  /* raw-paths: handlers see paths as sent, so "%2F" or "%2e%2e" inside a
   * name cannot turn into a folder */
  self->soup = soup_server_new ("raw-paths", TRUE,
                                "server-header", "insight-hub-server",
                                NULL);
  g_signal_connect_object (self->soup, "request-started", G_CALLBACK (request_started_cb), self, 0);
  g_signal_connect_object (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self, 0);
  g_signal_connect_object (self->soup, "request-aborted", G_CALLBACK (request_finished_cb), self, 0);
  soup_server_add_handler (self->soup, NULL, handle_cb, self, NULL);

  ih_server_add_route (self, "GET", "/healthz", IH_SERVER_PUBLIC, healthz_cb, NULL);
  ih_server_add_route (self, "POST", "/api/v1/login", IH_SERVER_PUBLIC, login_cb, NULL);
  ih_server_add_route (self, "POST", "/api/v1/logout", IH_ROLE_VIEWER, logout_cb, NULL);
  ih_server_add_route (self, "GET", "/api/v1/me", IH_ROLE_VIEWER, me_cb, NULL);
  ih_server_add_route (self, "GET", "/api/v1/users", IH_ROLE_ADMIN, users_list_cb, NULL);
  ih_server_add_route (self, "POST", "/api/v1/users", IH_ROLE_ADMIN, users_create_cb, NULL);
  ih_server_add_route (self, "PATCH", "/api/v1/users/", IH_ROLE_ADMIN, users_update_cb, NULL);
  ih_server_add_route (self, "POST", "/api/v1/users/", IH_ROLE_ADMIN, users_password_cb, NULL);
  _ih_server_blobs_register (self);
  if (!_ih_server_sync_register (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
ih_server_listen (IhServer         *self,
                  const char       *address,
                  guint             port,
                  GTlsCertificate  *tls_certificate,
                  gboolean          insecure,
                  GError          **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocket) listener = NULL;
  GSList *uris;

  g_return_val_if_fail (IH_IS_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  if (g_ascii_strcasecmp (address, "localhost") == 0)
    address = "127.0.0.1";
  inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    {
      g_set_error (error, IH_SERVER_ERROR, IH_SERVER_ERROR_LISTEN,
                   _("“%s” is not an IP address to listen on"), address);
      return FALSE;
    }
  if (port > 65535)
    {
      g_set_error (error, IH_SERVER_ERROR, IH_SERVER_ERROR_LISTEN,
                   _("%u is not a port number (0 to 65535)"), port);
      return FALSE;
    }
  if (!g_inet_address_get_is_loopback (inet) && tls_certificate == NULL && !insecure)
    {
      g_set_error (error, IH_SERVER_ERROR, IH_SERVER_ERROR_LISTEN,
                   _("Refusing plain HTTP on %s, which other computers can reach: passwords would "
                     "cross the network unencrypted. Give a certificate (--tls-cert, --tls-key) "
                     "or, behind a TLS proxy, --insecure"),
                   address);
      return FALSE;
    }

  if (tls_certificate != NULL)
    soup_server_set_tls_certificate (self->soup, tls_certificate);

  /* Our own socket, for a longer queue of waiting connections than the
   * default 10: clients open a connection per request, and twenty of them
   * syncing at once overflowed it (the kernel dropped the extra
   * connections and each client waited a second to retry;
   * bench/sync-load-bench.c) */
  socket_address = g_inet_socket_address_new (inet, port);
  listener = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                           G_SOCKET_PROTOCOL_TCP, error);
  if (listener == NULL)
    return FALSE;
  g_socket_set_listen_backlog (listener, IH_SERVER_LISTEN_BACKLOG);
  if (!g_socket_bind (listener, socket_address, TRUE, error) ||
      !g_socket_listen (listener, error) ||
      !soup_server_listen_socket (self->soup, listener,
                                  tls_certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    return FALSE;

  uris = soup_server_get_uris (self->soup);
  if (uris != NULL)
    {
      g_autofree char *text = g_uri_to_string (uris->data);
      gsize len = strlen (text);

      if (len > 0 && text[len - 1] == '/')
        text[len - 1] = '\0';
      g_free (self->uri);
      self->uri = g_steal_pointer (&text);
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

char *
ih_server_get_uri (IhServer *self)
{
  g_return_val_if_fail (IH_IS_SERVER (self), NULL);
  return g_strdup (self->uri);
}

IhStore *
ih_server_get_store (IhServer *self)
{
  g_return_val_if_fail (IH_IS_SERVER (self), NULL);
  return self->store;
}

const char *
ih_server_get_epoch (IhServer *self)
{
  g_return_val_if_fail (IH_IS_SERVER (self), NULL);
  return self->epoch;
}

guint
ih_server_get_in_flight (IhServer *self)
{
  g_return_val_if_fail (IH_IS_SERVER (self), 0);
  return self->in_flight;
}

static gboolean
stopped_cb (gpointer user_data)
{
  IhServer *self = user_data;
  IhServerStopped done = self->stop_done;

  self->stop_done = NULL;
  if (done != NULL)
    done (self, self->stop_data);
  return G_SOURCE_REMOVE;
}

static void
check_stopped (IhServer *self)
{
  if (self->stopping && self->in_flight == 0 && self->stop_done != NULL)
    g_source_unref (add_source (self->context, g_idle_source_new (), stopped_cb,
                                g_object_ref (self), g_object_unref));
}

void
ih_server_stop (IhServer        *self,
                IhServerStopped  done,
                gpointer         user_data)
{
  g_return_if_fail (IH_IS_SERVER (self));

  self->stopping = TRUE;
  self->stop_done = done;
  self->stop_data = user_data;
  check_stopped (self);
}

void
ih_server_add_route (IhServer         *self,
                     const char       *method,
                     const char       *path,
                     IhRole            min_role,
                     IhServerHandler   handler,
                     gpointer          user_data)
{
  Route *route;

  g_return_if_fail (IH_IS_SERVER (self));
  g_return_if_fail (method != NULL && path != NULL && path[0] == '/');
  g_return_if_fail (handler != NULL);

  route = g_new0 (Route, 1);
  route->method = g_strdup (method);
  route->path = g_strdup (path);
  route->prefix = g_str_has_suffix (path, "/");
  route->min_role = (int) min_role;
  route->handler = handler;
  route->user_data = user_data;
  g_ptr_array_add (self->routes, route);
}

const char *
_ih_server_get_blobs_dir (IhServer *self)
{
  return self->blobs_dir;
}

SoupServerMessage *
_ih_server_request_get_message (IhServerRequest *request)
{
  return request->msg;
}

IhBlobUpload *
_ih_server_request_get_upload (IhServerRequest *request)
{
  return request->upload;
}

/*
 * The request
 */

const char *
ih_server_request_get_method (IhServerRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);
  return soup_server_message_get_method (request->msg);
}

const char *
ih_server_request_get_path (IhServerRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);
  return request->path;
}

const char *
ih_server_request_get_rest (IhServerRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);
  return request->rest != NULL ? request->rest : "";
}

const char *
ih_server_request_get_query (IhServerRequest *request,
                             const char      *name)
{
  g_return_val_if_fail (request != NULL, NULL);
  return request->query != NULL ? g_hash_table_lookup (request->query, name) : NULL;
}

const char *
ih_server_request_get_header (IhServerRequest *request,
                              const char      *name)
{
  g_return_val_if_fail (request != NULL, NULL);
  return soup_message_headers_get_one (soup_server_message_get_request_headers (request->msg), name);
}

const char *
ih_server_request_get_user_email (IhServerRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);
  return request->user != NULL ? request->user->email : NULL;
}

IhRole
ih_server_request_get_user_role (IhServerRequest *request)
{
  g_return_val_if_fail (request != NULL, IH_SERVER_PUBLIC);
  return request->user != NULL ? request->user->role : IH_SERVER_PUBLIC;
}

GBytes *
ih_server_request_get_body (IhServerRequest *request)
{
  SoupMessageBody *body;

  g_return_val_if_fail (request != NULL, NULL);

  body = soup_server_message_get_request_body (request->msg);
  return soup_message_body_flatten (body);
}

gboolean
ih_server_request_check_members (IhServerRequest    *request,
                                 JsonObject         *object,
                                 const char         *where,
                                 const char * const *members)
{
  g_autoptr(GList) names = NULL;

  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (object != NULL, FALSE);

  names = json_object_get_members (object);
  for (GList *l = names; l != NULL; l = l->next)
    if (members == NULL || !g_strv_contains (members, l->data))
      {
        ih_server_request_reply_error (request, SOUP_STATUS_BAD_REQUEST, "unknown-member",
                                       _("Unknown member “%s” in %s"), (const char *) l->data, where);
        return FALSE;
      }
  return TRUE;
}

JsonObject *
ih_server_request_get_json (IhServerRequest    *request,
                            const char * const *members)
{
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *type, *charset;
  JsonNode *root;

  g_return_val_if_fail (request != NULL, NULL);

  type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (request->msg),
                                                &params);
  charset = params != NULL ? g_hash_table_lookup (params, "charset") : NULL;
  if (type == NULL || g_ascii_strcasecmp (type, "application/json") != 0 ||
      (charset != NULL && g_ascii_strcasecmp (charset, "utf-8") != 0))
    {
      ih_server_request_reply_error (request, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "content-type",
                                     _("Send the body as Content-Type: application/json (UTF-8), not %s"),
                                     type != NULL ? type : _("nothing"));
      return NULL;
    }

  body = ih_server_request_get_body (request);
  if (g_bytes_get_size (body) == 0)
    {
      ih_server_request_reply_error (request, SOUP_STATUS_BAD_REQUEST, "bad-json",
                                     _("The body is empty; expected a JSON object"));
      return NULL;
    }
  if (!g_utf8_validate (g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL))
    {
      ih_server_request_reply_error (request, SOUP_STATUS_BAD_REQUEST, "bad-json",
                                     _("The body is not valid UTF-8"));
      return NULL;
    }

  g_clear_object (&request->parser);
  request->parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (request->parser, g_bytes_get_data (body, NULL),
                                   g_bytes_get_size (body), &error))
    {
      /* json-glib's message starts with "<data>:LINE:COLUMN" */
      ih_server_request_reply_error (request, SOUP_STATUS_BAD_REQUEST, "bad-json",
                                     _("The body is not valid JSON: %s"), error->message);
      return NULL;
    }

  root = json_parser_get_root (request->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      ih_server_request_reply_error (request, SOUP_STATUS_BAD_REQUEST, "bad-json",
                                     _("The body must be a JSON object"));
      return NULL;
    }

  if (!ih_server_request_check_members (request, json_node_get_object (root), _("the request body"),
                                        members))
    return NULL;

  return json_node_get_object (root);
}

void
ih_server_request_set_header (IhServerRequest *request,
                              const char      *name,
                              const char      *value)
{
  g_return_if_fail (request != NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), name, value);
}

void
ih_server_request_reply_json (IhServerRequest *request,
                              guint            status,
                              JsonNode        *node)
{
  g_autoptr(JsonNode) owned = node;
  char *text;

  g_return_if_fail (request != NULL);
  g_return_if_fail (node != NULL);

  text = json_to_string (node, FALSE);
  soup_server_message_set_status (request->msg, status, NULL);
  soup_server_message_set_response (request->msg, "application/json", SOUP_MEMORY_TAKE,
                                    text, strlen (text));
  request->replied = TRUE;
}

void
ih_server_request_reply_json_text (IhServerRequest *request,
                                   guint            status,
                                   char            *text,
                                   gsize            length)
{
  g_return_if_fail (request != NULL);
  g_return_if_fail (text != NULL);

  soup_server_message_set_status (request->msg, status, NULL);
  soup_server_message_set_response (request->msg, "application/json", SOUP_MEMORY_TAKE,
                                    text, length);
  request->replied = TRUE;
}

void
ih_server_request_reply_error (IhServerRequest *request,
                               guint            status,
                               const char      *code,
                               const char      *format,
                               ...)
{
  g_autofree char *message = NULL;
  char *body;
  va_list args;

  g_return_if_fail (request != NULL);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  body = error_body (code, message);
  soup_server_message_set_status (request->msg, status, NULL);
  soup_server_message_set_response (request->msg, "application/json", SOUP_MEMORY_TAKE,
                                    body, strlen (body));
  request->replied = TRUE;
}

void
ih_server_request_reply_bytes (IhServerRequest *request,
                               guint            status,
                               const char      *content_type,
                               GBytes          *bytes)
{
  SoupMessageBody *body;

  g_return_if_fail (request != NULL);
  g_return_if_fail (bytes != NULL);

  soup_server_message_set_status (request->msg, status, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (request->msg),
                                         content_type, NULL);
  body = soup_server_message_get_response_body (request->msg);
  soup_message_body_truncate (body);
  soup_message_body_append_bytes (body, bytes);
  request->replied = TRUE;
}

void
ih_server_request_pause (IhServerRequest *request)
{
  g_return_if_fail (request != NULL);
  g_return_if_fail (!request->paused);

  request->paused = TRUE;
  g_object_ref (request->msg);
  soup_server_message_pause (request->msg);
}

void
ih_server_request_resume (IhServerRequest *request)
{
  SoupServerMessage *msg;

  g_return_if_fail (request != NULL);
  g_return_if_fail (request->paused);

  /* The request belongs to the message: drop the message last */
  msg = request->msg;
  request->paused = FALSE;
  if (!request->gone)
    {
      if (!request->replied)
        ih_server_request_reply_error (request, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                                       _("The server failed to answer this request"));
      soup_server_message_unpause (msg);
    }
  else
    request_done (request->server, request);
  g_object_unref (msg);
}

gboolean
ih_server_request_audit (IhServerRequest  *request,
                         const char       *action,
                         const char       *record_type,
                         const char       *record_id,
                         const char       *detail,
                         GError          **error)
{
  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  return _ih_server_db_audit (request->server->store, ih_server_request_get_user_email (request),
                              action, record_type, record_id, detail, error);
}
