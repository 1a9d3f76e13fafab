/* ih-server-sync.c — the sync endpoints: thin wrappers that move JSON to
 * and from the sync functions of the core (docs/protocol.md)
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-server-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "ih-server-sync.h"
#include "ih-store-private.h"
#include "ih-sync-private.h"
#include "ih-sync-server.h"

/* Tests kill the server at a chosen point of a request: "push" (applied,
 * not committed), "push-reply" (committed, no reply) or "changes" (read,
 * no reply). Never set in production. */
static void
test_crash (const char *point)
{
  const char *want = g_getenv ("IH_SERVER_TEST_CRASH");

  if G_UNLIKELY (want != NULL && strcmp (want, point) == 0)
    raise (SIGKILL);
}

static void
reply_sync_error (IhServerRequest *req,
                  GError          *error)
{
  if (g_error_matches (error, IH_SYNC_ERROR, IH_SYNC_ERROR_PROTOCOL))
    ih_server_request_reply_error (req, 400, "bad-request", "%s", error->message);
  else if (g_error_matches (error, IH_SYNC_ERROR, IH_SYNC_ERROR_EPOCH))
    ih_server_request_reply_error (req, 409, "epoch-changed", "%s", error->message);
  else if (g_error_matches (error, IH_SYNC_ERROR, IH_SYNC_ERROR_NOT_FOUND))
    ih_server_request_reply_error (req, 404, "not-found", "%s", error->message);
  else
    {
      g_warning ("sync: %s", error->message);
      ih_server_request_reply_error (req, 500, "internal", _("The server could not do that: %s"),
                                     error->message);
    }
}

static void
reply_object (IhServerRequest *req,
              JsonObject      *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  ih_server_request_reply_json (req, 200, node);
}

static gboolean
query_int (IhServerRequest *req,
           const char      *name,
           gint64           min,
           gint64           max,
           gint64          *out)
{
  const char *text = ih_server_request_get_query (req, name);
  char *end = NULL;
  gint64 v;

  if (text == NULL)
    return TRUE;
  errno = 0;
  v = g_ascii_strtoll (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || v < min || v > max)
    {
      ih_server_request_reply_error (req, 400, "bad-request",
                                     _("“%s” must be a whole number from %lld to %lld, not “%s”"),
                                     name, (long long) min, (long long) max, text);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

static void
changes_cb (IhServer        *server,
            IhServerRequest *req,
            gpointer         user_data)
{
  g_autoptr(GError) error = NULL;
  char *batch;
  gsize length = 0;
  gint64 since = 0;
  gint64 limit = IH_SYNC_DEFAULT_LIMIT;

  if (!query_int (req, "since", 0, G_MAXINT64, &since) ||
      !query_int (req, "limit", 1, IH_SYNC_MAX_LIMIT, &limit))
    return;

  /* Written as text as it is read: no JSON tree for thousands of records */
  batch = ih_sync_server_changes_text (ih_server_get_store (server), since, limit,
                                       ih_server_request_get_user_role (req), &length, &error);
  if (batch == NULL)
    {
      reply_sync_error (req, error);
      return;
    }
  test_crash ("changes");
  ih_server_request_reply_json_text (req, 200, batch, length);
}

/* One push in one transaction with its audit lines */
static JsonObject *
push (IhServer         *server,
      IhServerRequest  *req,
      JsonObject       *request,
      GError          **error)
{
  IhStore *store = ih_server_get_store (server);
  g_autoptr(JsonObject) reply = NULL;
  JsonArray *results;

  if (!ih_store_begin (store, error))
    return NULL;
  reply = ih_sync_server_push (store, ih_server_request_get_user_email (req),
                               ih_server_request_get_user_role (req), request, error);
  if (reply == NULL)
    goto fail;

  results = json_object_get_array_member (reply, "results");
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *r = json_array_get_object_element (results, i);
      const char *status = json_object_get_string_member (r, "status");

      if (strcmp (status, "refused") != 0 &&
          !ih_server_request_audit (req, "sync-push", json_object_get_string_member (r, "type"),
                                    json_object_get_string_member (r, "id"), status, error))
        goto fail;
    }

  test_crash ("push");
  if (!ih_store_commit (store, error))
    return NULL;
  test_crash ("push-reply");
  return g_steal_pointer (&reply);

fail:
  ih_store_rollback (store);
  return NULL;
}

static void
push_cb (IhServer        *server,
         IhServerRequest *req,
         gpointer         user_data)
{
  static const char * const members[] = { "epoch", "device", "changes", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  JsonObject *body;

  if ((body = ih_server_request_get_json (req, members)) == NULL)
    return;

  reply = push (server, req, body, &error);
  if (reply == NULL)
    reply_sync_error (req, error);
  else
    reply_object (req, reply);
}

/* POST /api/v1/conflicts/{id}/resolve: a push of one change that
 * resolves the conflict */
static void
resolve_cb (IhServer        *server,
            IhServerRequest *req,
            gpointer         user_data)
{
  static const char * const members[] = {
    "epoch", "device", "change_id", "base_rev", "fields", "changed_fields", "deleted", NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) conflict = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *id = NULL;
  const char *rest = ih_server_request_get_rest (req);
  const char *slash;
  JsonObject *body;
  JsonObject *change;
  JsonArray *changes;

  slash = rest ? strchr (rest, '/') : NULL;
  if (slash == NULL || strcmp (slash, "/resolve") != 0)
    {
      ih_server_request_reply_error (req, 404, "not-found", _("There is nothing at %s"),
                                     ih_server_request_get_path (req));
      return;
    }
  id = g_strndup (rest, slash - rest);
  if (!g_uuid_string_is_valid (id))
    {
      ih_server_request_reply_error (req, 404, "not-found", _("There is no conflict “%s”"), id);
      return;
    }
  if ((body = ih_server_request_get_json (req, members)) == NULL)
    return;

  _ih_store_lock (ih_server_get_store (server));
  conflict = _ih_sync_conflict_to_json (ih_server_get_store (server), id, &error);
  _ih_store_unlock (ih_server_get_store (server));
  if (conflict == NULL)
    {
      reply_sync_error (req, error);
      return;
    }

  /* The body is the change; the conflict says which record */
  request = json_object_new ();
  change = json_object_new ();
  changes = json_array_new ();
  {
    g_autoptr(GList) names = json_object_get_members (body);

    for (GList *l = names; l; l = l->next)
      {
        const char *name = l->data;
        JsonNode *node = json_object_dup_member (body, name);

        if (strcmp (name, "epoch") == 0 || strcmp (name, "device") == 0)
          json_object_set_member (request, name, node);
        else
          json_object_set_member (change, name, node);
      }
  }
  json_object_set_string_member (change, "type", json_object_get_string_member (conflict, "type"));
  json_object_set_string_member (change, "id", json_object_get_string_member (conflict, "record_id"));
  json_object_set_string_member (change, "resolves", id);
  if (!json_object_has_member (change, "deleted"))
    json_object_set_boolean_member (change, "deleted", FALSE);
  json_array_add_object_element (changes, change);
  json_object_set_array_member (request, "changes", changes);

  reply = push (server, req, request, &error);
  if (reply == NULL)
    reply_sync_error (req, error);
  else
    reply_object (req, json_array_get_object_element (json_object_get_array_member (reply, "results"), 0));
}

gboolean
_ih_server_sync_register (IhServer  *server,
                          GError   **error)
{
  g_return_val_if_fail (IH_IS_SERVER (server), FALSE);

  if (!ih_sync_server_use_epoch (ih_server_get_store (server), ih_server_get_epoch (server), error))
    return FALSE;

  /* Viewers push too: their changes are refused one by one, so their
   * outbox learns why instead of the whole sync failing */
  ih_server_add_route (server, "GET", "/api/v1/changes", IH_ROLE_VIEWER, changes_cb, NULL);
  ih_server_add_route (server, "POST", "/api/v1/push", IH_ROLE_VIEWER, push_cb, NULL);
  ih_server_add_route (server, "POST", "/api/v1/conflicts/", IH_ROLE_OFFICER, resolve_cb, NULL);
  return TRUE;
}
