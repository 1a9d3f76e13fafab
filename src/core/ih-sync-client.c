/* ih-sync-client.c — sync over HTTP(S) with libsoup: each request made in
 * the thread that needs it, errors told apart for the engine
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-sync-client"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "ih-record-json.h"
#include "ih-sync-client.h"

struct _IhSyncClient
{
  GObject  parent_instance;

  char    *base_url;
  GMutex   mutex;       /* guards token */
  char    *token;
};

G_DEFINE_FINAL_TYPE (IhSyncClient, ih_sync_client, G_TYPE_OBJECT)

/* One session a request: a SoupSession belongs to the thread that made
 * it, and requests come from the engine's worker threads */
static JsonObject *
request (IhSyncClient  *self,
         const char    *method,
         const char    *path,
         JsonObject    *body,
         gboolean       signed_in,
         GCancellable  *cancellable,
         GError       **error)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 120, "user-agent",
                                                                  "insight-hub/" PACKAGE_VERSION, NULL);
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *data;
  gsize size;
  guint status;

  if (msg == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a web address"), url);
      return NULL;
    }

  if (signed_in)
    {
      g_autofree char *auth = NULL;

      g_mutex_lock (&self->mutex);
      auth = self->token ? g_strconcat ("Bearer ", self->token, NULL) : NULL;
      g_mutex_unlock (&self->mutex);
      if (auth == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, _("Sign in to sync"));
          return NULL;
        }
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }

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

  reply = soup_session_send_and_read (session, msg, cancellable, error);
  if (reply == NULL)
    return NULL;

  status = soup_message_get_status (msg);
  data = g_bytes_get_data (reply, &size);
  if (size > 0 && g_utf8_validate_len (data, size, NULL))
    {
      g_autofree char *text = g_strndup (data, size);
      node = ih_json_from_string (text, _("The server’s reply"), &parse_error);
    }

  if (status == SOUP_STATUS_OK || status == SOUP_STATUS_CREATED)
    {
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, IH_SYNC_ERROR, IH_SYNC_ERROR_PROTOCOL,
                       _("The server’s reply to %s is not a JSON object"), path);
          return NULL;
        }
      return json_object_ref (json_node_get_object (node));
    }

  /* {"error", "message"} */
  {
    JsonObject *o = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    const char *code = o ? json_object_get_string_member_with_default (o, "error", "") : "";
    const char *message = o ? json_object_get_string_member_with_default (o, "message", NULL) : NULL;
    g_autofree char *fallback = g_strdup_printf (_("The server answered %u %s"), status,
                                                 soup_message_get_reason_phrase (msg));

    if (message == NULL)
      message = fallback;
    if (status == 409 && strcmp (code, "epoch-changed") == 0)
      g_set_error_literal (error, IH_SYNC_ERROR, IH_SYNC_ERROR_EPOCH, message);
    else if (status == 400)
      g_set_error_literal (error, IH_SYNC_ERROR, IH_SYNC_ERROR_PROTOCOL, message);
    else if (status == 401)
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, message);
    else if (status == 403)
      g_set_error_literal (error, IH_SYNC_ERROR, IH_SYNC_ERROR_FORBIDDEN, message);
    else if (status == 404)
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, message);
    else
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, message);
  }
  return NULL;
}

gboolean
ih_sync_client_login (IhSyncClient  *self,
                      const char    *email,
                      const char    *password,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) reply = NULL;
  const char *token;

  g_return_val_if_fail (IH_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (email != NULL && password != NULL, FALSE);

  json_object_set_string_member (body, "email", email);
  json_object_set_string_member (body, "password", password);
  reply = request (self, "POST", "/api/v1/login", body, FALSE, cancellable, error);
  if (reply == NULL)
    return FALSE;
  token = json_object_get_string_member_with_default (reply, "token", NULL);
  if (token == NULL)
    {
      g_set_error (error, IH_SYNC_ERROR, IH_SYNC_ERROR_PROTOCOL,
                   _("The server’s reply to signing in has no token"));
      return FALSE;
    }
  ih_sync_client_set_token (self, token);
  return TRUE;
}

void
ih_sync_client_set_token (IhSyncClient *self,
                          const char   *token)
{
  g_return_if_fail (IH_IS_SYNC_CLIENT (self));

  g_mutex_lock (&self->mutex);
  g_free (self->token);
  self->token = g_strdup (token);
  g_mutex_unlock (&self->mutex);
}

char *
ih_sync_client_dup_token (IhSyncClient *self)
{
  char *token;

  g_return_val_if_fail (IH_IS_SYNC_CLIENT (self), NULL);

  g_mutex_lock (&self->mutex);
  token = g_strdup (self->token);
  g_mutex_unlock (&self->mutex);
  return token;
}

const char *
ih_sync_client_get_base_url (IhSyncClient *self)
{
  g_return_val_if_fail (IH_IS_SYNC_CLIENT (self), NULL);
  return self->base_url;
}

static JsonObject *
transport_push (gpointer       data,
                JsonObject    *body,
                GCancellable  *cancellable,
                GError       **error)
{
  return request (data, "POST", "/api/v1/push", body, TRUE, cancellable, error);
}

static JsonObject *
transport_changes (gpointer       data,
                   gint64         since,
                   guint          limit,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=%u",
                                           since, limit);

  return request (data, "GET", path, NULL, TRUE, cancellable, error);
}

static SoupMessage *
blob_message (IhSyncClient  *self,
              const char    *method,
              const char    *sha256,
              GError       **error)
{
  g_autofree char *url = g_strconcat (self->base_url, "/api/v1/blobs/", sha256, NULL);
  g_autofree char *auth = NULL;
  SoupMessage *msg = soup_message_new (method, url);

  if (msg == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("“%s” is not a web address"), url);
      return NULL;
    }
  g_mutex_lock (&self->mutex);
  auth = self->token ? g_strconcat ("Bearer ", self->token, NULL) : NULL;
  g_mutex_unlock (&self->mutex);
  if (auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  return msg;
}

static gboolean
status_error (SoupMessage  *msg,
              const char   *sha256,
              GError      **error)
{
  guint status = soup_message_get_status (msg);

  if (status == 403)
    g_set_error (error, IH_SYNC_ERROR, IH_SYNC_ERROR_FORBIDDEN,
                 _("The server does not let this account send the file %s"), sha256);
  else
    g_set_error (error, G_IO_ERROR,
                 status == 401 ? G_IO_ERROR_PERMISSION_DENIED :
                 status == 404 ? G_IO_ERROR_NOT_FOUND : G_IO_ERROR_FAILED,
                 _("The server answered %u %s for the file %s"), status,
                 soup_message_get_reason_phrase (msg), sha256);
  return FALSE;
}

static gboolean
transport_put_blob (gpointer       data,
                    const char    *sha256,
                    const char    *path,
                    GCancellable  *cancellable,
                    GError       **error)
{
  IhSyncClient *self = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 300, NULL);
  g_autoptr(SoupMessage) msg = blob_message (self, "PUT", sha256, error);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status;

  if (msg == NULL)
    return FALSE;
  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return FALSE;
  body = g_mapped_file_get_bytes (file);
  soup_message_set_request_body_from_bytes (msg, "application/octet-stream", body);
  reply = soup_session_send_and_read (session, msg, cancellable, error);
  if (reply == NULL)
    return FALSE;
  status = soup_message_get_status (msg);
  if (status != SOUP_STATUS_OK && status != SOUP_STATUS_CREATED)
    return status_error (msg, sha256, error);
  return TRUE;
}

/* Appends to @partial from its size with "Range: bytes=N-" */
static gboolean
transport_get_blob (gpointer       data,
                    const char    *sha256,
                    GFile         *partial,
                    guint64       *received,
                    GCancellable  *cancellable,
                    GError       **error)
{
  IhSyncClient *self = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 300, NULL);
  g_autoptr(SoupMessage) msg = blob_message (self, "GET", sha256, error);
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GFileInfo) info = NULL;
  goffset have = 0;
  gssize copied;
  guint status;

  if (msg == NULL)
    return FALSE;
  info = g_file_query_info (partial, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info != NULL)
    have = g_file_info_get_size (info);
  if (have > 0)
    {
      g_autofree char *range = g_strdup_printf ("bytes=%" G_GOFFSET_FORMAT "-", have);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Range", range);
    }

  in = soup_session_send (session, msg, cancellable, error);
  if (in == NULL)
    return FALSE;
  status = soup_message_get_status (msg);
  if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE && have > 0)
    return TRUE;                /* all there already: the hash decides */
  if (status == SOUP_STATUS_PARTIAL_CONTENT && have > 0)
    out = g_file_append_to (partial, G_FILE_CREATE_PRIVATE, cancellable, error);
  else if (status == SOUP_STATUS_OK)
    out = g_file_replace (partial, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable, error);
  else
    return status_error (msg, sha256, error);
  if (out == NULL)
    return FALSE;

  /* What arrived stays on disk even when the connection breaks: the next
   * sync asks for the rest */
  copied = g_output_stream_splice (G_OUTPUT_STREAM (out), in,
                                   G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                   cancellable, error);
  if (copied < 0)
    return FALSE;
  *received += copied;
  return TRUE;
}

static const IhSyncTransport http_transport = {
  transport_push, transport_changes, transport_put_blob, transport_get_blob
};

IhSyncEngine *
ih_sync_client_new_engine (IhSyncClient *self,
                           IhStore      *store)
{
  g_return_val_if_fail (IH_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  return ih_sync_engine_new (store, &http_transport, g_object_ref (self), g_object_unref);
}

IhSyncClient *
ih_sync_client_new (const char *base_url)
{
  IhSyncClient *self;
  gsize len;

  g_return_val_if_fail (base_url != NULL, NULL);

  self = g_object_new (IH_TYPE_SYNC_CLIENT, NULL);
  self->base_url = g_strdup (base_url);
  len = strlen (self->base_url);
  while (len > 0 && self->base_url[len - 1] == '/')
    self->base_url[--len] = '\0';
  return self;
}

static void
ih_sync_client_finalize (GObject *object)
{
  IhSyncClient *self = (IhSyncClient *) object;

  g_clear_pointer (&self->base_url, g_free);
  if (self->token)
    explicit_bzero (self->token, strlen (self->token));
  g_clear_pointer (&self->token, g_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (ih_sync_client_parent_class)->finalize (object);
}

static void
ih_sync_client_class_init (IhSyncClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ih_sync_client_finalize;
}

static void
ih_sync_client_init (IhSyncClient *self)
{
  g_mutex_init (&self->mutex);
}
