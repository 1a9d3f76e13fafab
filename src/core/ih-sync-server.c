/* ih-sync-server.c — the server side of sync: ordering changes by one
 * sequence, merging fields, keeping conflicts, purging withdrawn consent,
 * and the change feed filtered by role (docs/protocol.md)
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-sync-server"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ih-record-json.h"
#include "ih-store-private.h"
#include "ih-sync-private.h"
#include "ih-sync-server.h"

#define FIELD_PTR(rec, f) ((gpointer) (((guint8 *) (rec)) + (f)->offset))

static gboolean
bad_request (GError     **error,
             guint        index,
             const char  *member,
             const char  *expected)
{
  if (index > 0)
    g_set_error (error, IH_SYNC_ERROR, IH_SYNC_ERROR_PROTOCOL,
                 _("Change %u: “%s” must be %s"), index, member, expected);
  else
    g_set_error (error, IH_SYNC_ERROR, IH_SYNC_ERROR_PROTOCOL,
                 _("“%s” must be %s"), member, expected);
  return FALSE;
}

static gboolean
holds (JsonNode *node,
       GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
ih_sync_server_may_write (IhRole               role,
                          const IhRecordClass *klass)
{
  g_return_val_if_fail (klass != NULL, FALSE);

  switch (role)
    {
    case IH_ROLE_VIEWER:
      return FALSE;
    case IH_ROLE_OFFICER:
      /* What officers record and import: insight with its activities,
       * themes, meetings and papers; actions ("you said, we did") are
       * managers' decisions */
      return klass != &ih_action_class;
    case IH_ROLE_MANAGER:
    case IH_ROLE_ADMIN:
    default:
      return TRUE;
    }
}

/*
 * Sequence, epoch, feed
 */

static gint64
query_int (IhStore    *store,
           const char *sql,
           const char *text,
           gboolean   *found)
{
  sqlite3_stmt *stmt = _ih_store_prepare (store, sql, NULL);
  gint64 v = 0;

  if (found)
    *found = FALSE;
  if (stmt == NULL)
    return 0;
  if (text)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      v = sqlite3_column_int64 (stmt, 0);
      if (found)
        *found = TRUE;
    }
  sqlite3_reset (stmt);
  return v;
}

/* Creates the server's state the first time: every record already in the
 * store enters the feed. Inside a transaction. */
static gboolean
ensure_server (IhStore  *store,
               GError  **error)
{
  g_autofree char *epoch = NULL;
  const IhRecordClass * const *classes;
  guint n_classes;
  gboolean found;
  gint64 seq = 0;

  query_int (store, "SELECT seq FROM sync_server", NULL, &found);
  if (found)
    return TRUE;

  classes = ih_record_classes (&n_classes);
  for (guint c = 0; c < n_classes; c++)
    {
      g_autofree char *count_sql = g_strdup_printf ("SELECT count(*) FROM %s", classes[c]->table);
      g_autofree char *feed_sql = NULL;
      g_autofree char *rev_sql = NULL;
      gint64 n = query_int (store, count_sql, NULL, NULL);

      if (n == 0)
        continue;
      feed_sql = g_strdup_printf ("INSERT INTO sync_feed (seq, kind, type, id)"
                                  " SELECT ? + row_number () OVER (ORDER BY rid), 'record', ?, id FROM %s",
                                  classes[c]->table);
      rev_sql = g_strdup_printf ("UPDATE %s SET rev = (SELECT f.seq FROM sync_feed f"
                                 "  WHERE f.kind = 'record' AND f.type = ? AND f.id = %s.id)",
                                 classes[c]->table, classes[c]->table);
      if (!_ih_sync_run (store, feed_sql, error, "is", seq, classes[c]->name) ||
          !_ih_sync_run (store, rev_sql, error, "s", classes[c]->name))
        return FALSE;
      seq += n;
    }

  epoch = g_uuid_string_random ();
  return _ih_sync_run (store, "INSERT INTO sync_server (one, epoch, seq, epoch_start) VALUES (1, ?, ?, 0)",
                       error, "si", epoch, seq);
}

static gint64
next_seq (IhStore  *store,
          GError  **error)
{
  sqlite3_stmt *stmt = _ih_store_prepare (store, "UPDATE sync_server SET seq = seq + 1 RETURNING seq", error);
  gint64 seq = 0;

  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  else
    _ih_store_set_error (store, error, _("Could not take the next sequence number"));
  sqlite3_reset (stmt);
  return seq;
}

static gboolean
feed_put (IhStore     *store,
          const char  *kind,
          const char  *type,
          const char  *id,
          gint64       seq,
          GError     **error)
{
  return _ih_sync_run (store, "INSERT OR REPLACE INTO sync_feed (seq, kind, type, id) VALUES (?, ?, ?, ?)",
                       error, "isss", seq, kind, type, id);
}

char *
ih_sync_server_get_epoch (IhStore  *store,
                          GError  **error)
{
  sqlite3_stmt *stmt;
  char *epoch = NULL;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  if (!ih_store_begin (store, error))
    return NULL;
  if (!ensure_server (store, error))
    {
      ih_store_rollback (store);
      return NULL;
    }
  stmt = _ih_store_prepare (store, "SELECT epoch FROM sync_server", error);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    epoch = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (stmt != NULL)
    sqlite3_reset (stmt);
  if (!ih_store_commit (store, error))
    g_clear_pointer (&epoch, g_free);
  return epoch;
}

gboolean
ih_sync_server_use_epoch (IhStore     *store,
                          const char  *epoch,
                          GError     **error)
{
  gboolean found;

  g_return_val_if_fail (IH_IS_STORE (store), FALSE);
  g_return_val_if_fail (epoch != NULL, FALSE);

  if (!ih_store_begin (store, error))
    return FALSE;
  query_int (store, "SELECT seq FROM sync_server", NULL, &found);
  if (!ensure_server (store, error) ||
      /* Made just now: the epoch is taken as it is. Otherwise a new one
       * starts where the sequence stands */
      !_ih_sync_run (store,
                     found ? "UPDATE sync_server SET epoch = ?1, epoch_start = seq WHERE epoch IS NOT ?1"
                           : "UPDATE sync_server SET epoch = ?1",
                     error, "s", epoch))
    {
      ih_store_rollback (store);
      return FALSE;
    }
  return ih_store_commit (store, error);
}

gboolean
ih_sync_server_new_epoch (IhStore  *store,
                          GError  **error)
{
  g_autofree char *epoch = g_uuid_string_random ();

  g_return_val_if_fail (IH_IS_STORE (store), FALSE);

  if (!ih_store_begin (store, error))
    return FALSE;
  if (!ensure_server (store, error) ||
      !_ih_sync_run (store, "UPDATE sync_server SET epoch = ?, epoch_start = seq", error, "s", epoch))
    {
      ih_store_rollback (store);
      return FALSE;
    }
  return ih_store_commit (store, error);
}

/*
 * When each field last changed, and by which device
 */

static JsonObject *
field_revs_load (IhStore    *store,
                 const char *type,
                 const char *id)
{
  sqlite3_stmt *stmt = _ih_store_prepare (store, "SELECT revs FROM sync_field_rev WHERE type = ? AND id = ?", NULL);
  JsonObject *revs = NULL;

  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_autoptr(JsonNode) node = ih_json_from_string ((const char *) sqlite3_column_text (stmt, 0),
                                                          "revs", NULL);
          if (node && JSON_NODE_HOLDS_OBJECT (node))
            revs = json_object_ref (json_node_get_object (node));
        }
      sqlite3_reset (stmt);
    }
  return revs ? revs : json_object_new ();
}

static gboolean
field_revs_save (IhStore     *store,
                 const char  *type,
                 const char  *id,
                 JsonObject  *revs,
                 GError     **error)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  json_node_set_object (node, revs);
  text = ih_json_to_string (node);
  return _ih_sync_run (store, "INSERT OR REPLACE INTO sync_field_rev (type, id, revs) VALUES (?, ?, ?)",
                       error, "sss", type, id, text);
}

static void
field_revs_set (JsonObject *revs,
                const char *field,
                gint64      seq,
                const char *device)
{
  JsonArray *pair = json_array_new ();

  json_array_add_int_element (pair, seq);
  json_array_add_string_element (pair, device);
  json_object_set_array_member (revs, field, pair);
}

/* Changed after @base by another device than @device */
static gboolean
changed_by_other (JsonObject *revs,
                  const char *field,
                  gint64      base,
                  const char *device)
{
  JsonNode *node = json_object_get_member (revs, field);
  JsonArray *pair;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  pair = json_node_get_array (node);
  if (json_array_get_length (pair) != 2)
    return FALSE;
  return json_array_get_int_element (pair, 0) > base &&
         g_strcmp0 (json_array_get_string_element (pair, 1), device) != 0;
}

/*
 * Push
 */

typedef struct
{
  IhStore    *store;
  const char *author;
  IhRole      role;
  const char *device;
  gint64      epoch_start;
} Push;

typedef struct
{
  guint                index;       /* 1-based, for messages */
  JsonObject          *change;
  const IhRecordClass *klass;
  const char          *change_id;
  const char          *id;
  gint64               base_rev;
  gint64               created_at;
  JsonObject          *fields;
  GStrv                changed;
  gboolean             deleted;
  gboolean             rebase;
  const char          *resolves;
  IhRecord            *incoming;    /* the fields as sent, or NULL when invalid */
  GError              *invalid;
} Change;

static void
change_clear (Change *c)
{
  g_strfreev (c->changed);
  ih_record_free (c->incoming);
  g_clear_error (&c->invalid);
}

static const char * const change_members[] = {
  "change_id", "type", "id", "base_rev", "created_at", "fields", "changed_fields",
  "deleted", "rebase", "resolves", NULL
};

static gboolean
parse_change (JsonNode  *node,
              guint      index,
              Change    *c,
              GError   **error)
{
  g_autoptr(GList) members = NULL;
  g_autoptr(GStrvBuilder) changed = g_strv_builder_new ();
  JsonObject *o;
  JsonNode *m;
  JsonArray *array;

  c->index = index;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return bad_request (error, index, "changes", _("a list of changes"));
  o = c->change = json_node_get_object (node);

  members = json_object_get_members (o);
  for (GList *l = members; l; l = l->next)
    if (!g_strv_contains (change_members, l->data))
      {
        g_set_error (error, IH_SYNC_ERROR, IH_SYNC_ERROR_PROTOCOL,
                     _("Change %u: “%s” is not a member of a change"), index, (const char *) l->data);
        return FALSE;
      }

  m = json_object_get_member (o, "change_id");
  if (!holds (m, G_TYPE_STRING) || !g_uuid_string_is_valid (json_node_get_string (m)))
    return bad_request (error, index, "change_id", _("a UUID"));
  c->change_id = json_node_get_string (m);

  m = json_object_get_member (o, "type");
  if (!holds (m, G_TYPE_STRING) || !(c->klass = ih_record_class_lookup (json_node_get_string (m))))
    return bad_request (error, index, "type", _("a record type"));

  m = json_object_get_member (o, "id");
  if (!holds (m, G_TYPE_STRING) || !g_uuid_string_is_valid (json_node_get_string (m)))
    return bad_request (error, index, "id", _("a UUID"));
  c->id = json_node_get_string (m);

  m = json_object_get_member (o, "base_rev");
  if (!holds (m, G_TYPE_INT64) || json_node_get_int (m) < 0)
    return bad_request (error, index, "base_rev", _("a whole number of 0 or more"));
  c->base_rev = json_node_get_int (m);

  m = json_object_get_member (o, "created_at");
  if (m != NULL && (!holds (m, G_TYPE_INT64) || json_node_get_int (m) < 0))
    return bad_request (error, index, "created_at", _("a time in milliseconds"));
  c->created_at = m ? json_node_get_int (m) : 0;

  m = json_object_get_member (o, "fields");
  if (m == NULL || !JSON_NODE_HOLDS_OBJECT (m))
    return bad_request (error, index, "fields", _("an object of fields"));
  c->fields = json_node_get_object (m);

  m = json_object_get_member (o, "changed_fields");
  if (m == NULL || !JSON_NODE_HOLDS_ARRAY (m))
    return bad_request (error, index, "changed_fields", _("a list of field names"));
  array = json_node_get_array (m);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      const char *name;

      if (!holds (item, G_TYPE_STRING))
        return bad_request (error, index, "changed_fields", _("a list of field names"));
      name = json_node_get_string (item);
      if (strcmp (name, "deleted") != 0 && ih_record_class_field (c->klass, name) == NULL)
        {
          g_set_error (error, IH_SYNC_ERROR, IH_SYNC_ERROR_PROTOCOL,
                       _("Change %u: “%s” in changed_fields is not a field of a %s"),
                       index, name, c->klass->name);
          return FALSE;
        }
      g_strv_builder_add (changed, name);
    }
  c->changed = g_strv_builder_end (changed);

  m = json_object_get_member (o, "deleted");
  if (!holds (m, G_TYPE_BOOLEAN))
    return bad_request (error, index, "deleted", _("true or false"));
  c->deleted = json_node_get_boolean (m);

  m = json_object_get_member (o, "rebase");
  if (m != NULL && !holds (m, G_TYPE_BOOLEAN))
    return bad_request (error, index, "rebase", _("true or false"));
  c->rebase = m ? json_node_get_boolean (m) : FALSE;

  m = json_object_get_member (o, "resolves");
  if (m != NULL && !JSON_NODE_HOLDS_NULL (m) &&
      (!holds (m, G_TYPE_STRING) || !g_uuid_string_is_valid (json_node_get_string (m))))
    return bad_request (error, index, "resolves", _("a conflict id or null"));
  c->resolves = m && !JSON_NODE_HOLDS_NULL (m) ? json_node_get_string (m) : NULL;

  /* Bad field values refuse this change only */
  c->incoming = ih_record_new (c->klass);
  g_free (c->incoming->id);
  c->incoming->id = g_strdup (c->id);
  if (!ih_record_set_fields_from_json (c->incoming, c->fields, &c->invalid))
    g_clear_pointer (&c->incoming, ih_record_free);
  else
    c->incoming->deleted = c->deleted;

  return TRUE;
}

static JsonObject *
result_new (Change     *c,
            const char *status)
{
  JsonObject *result = json_object_new ();

  json_object_set_string_member (result, "change_id", c->change_id);
  json_object_set_string_member (result, "type", c->klass->name);
  json_object_set_string_member (result, "id", c->id);
  json_object_set_string_member (result, "status", status);
  return result;
}

static JsonObject *
refused (Change     *c,
         const char *reason,
         const char *message)
{
  JsonObject *result = result_new (c, "refused");

  json_object_set_string_member (result, "reason", reason);
  json_object_set_string_member (result, "message", message);
  return result;
}

static gboolean
has_changed (Change     *c,
             const char *name)
{
  return g_strv_contains ((const char * const *) c->changed, name);
}

/* Every record this one refers to is on the server */
static gboolean
references_exist (IhStore        *store,
                  const IhRecord *record,
                  char          **missing)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);

  _ih_sync_record_refs (record, keys);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = keys->pdata[i];
      const char *slash = strchr (key, '/');
      g_autofree char *type = g_strndup (key, slash - key);

      if (!ih_store_exists (store, ih_record_class_lookup (type), slash + 1))
        {
          *missing = g_strdup_printf (_("It refers to the %s “%s”, which the server does not have"),
                                      type, slash + 1);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
purge (Push        *push,
       const char  *type,
       const char  *id,
       gint64      *seq_out,
       GError     **error)
{
  IhStore *store = push->store;
  gint64 seq;

  if (!_ih_store_purge (store, ih_record_class_lookup (type), id, error) ||
      !_ih_sync_run (store, "DELETE FROM sync_field_rev WHERE type = ? AND id = ?", error, "ss", type, id) ||
      !_ih_sync_run (store, "DELETE FROM sync_feed WHERE kind = 'record' AND type = ? AND id = ?",
                     error, "ss", type, id) ||
      !_ih_sync_run (store,
                     "DELETE FROM sync_feed WHERE kind = 'conflict' AND id IN"
                     " (SELECT id FROM sync_conflict WHERE type = ? AND record_id = ?)",
                     error, "ss", type, id) ||
      !_ih_sync_run (store, "DELETE FROM sync_conflict WHERE type = ? AND record_id = ?", error, "ss", type, id))
    return FALSE;

  seq = next_seq (store, error);
  if (seq == 0 ||
      !_ih_sync_run (store, "INSERT OR REPLACE INTO sync_purged (type, id, seq) VALUES (?, ?, ?)",
                     error, "ssi", type, id, seq) ||
      !feed_put (store, "purge", type, id, seq, error))
    return FALSE;
  *seq_out = seq;
  return TRUE;
}

/* Writes @record as the next sequence and notes which fields changed */
static gboolean
write_record (Push       *push,
              IhRecord   *record,
              GPtrArray  *changed_fields,
              JsonObject *revs,
              GError    **error)
{
  gint64 seq = next_seq (push->store, error);

  if (seq == 0)
    return FALSE;
  record->rev = seq;
  record->updated_at = ih_now_ms ();
  if (!_ih_store_apply (push->store, record, error))
    return FALSE;
  for (guint i = 0; i < changed_fields->len; i++)
    field_revs_set (revs, changed_fields->pdata[i], seq, push->device);
  return field_revs_save (push->store, record->klass->name, record->id, revs, error) &&
         feed_put (push->store, "record", record->klass->name, record->id, seq, error);
}

/* One change. Returns the result, or NULL with @error for a failure of
 * the store itself. Everything that refuses a change is checked before
 * anything is written. */
static JsonObject *
apply_change (Push    *push,
              Change  *c,
              GError **error)
{
  IhStore *store = push->store;
  const IhRecordClass *klass = c->klass;
  g_autoptr(IhRecord) current = NULL;
  g_autoptr(IhRecord) merged = NULL;
  g_autoptr(IhRecord) loser = NULL;
  g_autoptr(JsonObject) revs = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(GPtrArray) written = g_ptr_array_new ();
  g_autoptr(GPtrArray) overlap = g_ptr_array_new ();
  g_autofree char *missing = NULL;
  gboolean found;
  gboolean others = FALSE;
  gint64 base;
  gint64 conflict_seq = 0;
  g_autofree char *conflict_id = NULL;

  if (!ih_sync_server_may_write (push->role, klass))
    return refused (c, "forbidden", _("Your role may not change this kind of record"));

  {
    sqlite3_stmt *stmt = _ih_store_prepare (store, "SELECT 1 FROM sync_purged WHERE type = ? AND id = ?", error);

    if (stmt == NULL)
      return NULL;
    sqlite3_bind_text (stmt, 1, klass->name, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, c->id, -1, SQLITE_STATIC);
    found = sqlite3_step (stmt) == SQLITE_ROW;
    sqlite3_reset (stmt);
    if (found)
      return refused (c, "purged", _("Consent for this insight was withdrawn: it was removed everywhere"));
  }

  if (c->incoming == NULL)
    return refused (c, "invalid", c->invalid->message);

  if (c->resolves != NULL)
    {
      sqlite3_stmt *stmt = _ih_store_prepare (store,
                                              "SELECT 1 FROM sync_conflict WHERE id = ? AND type = ? AND record_id = ?",
                                              error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, c->resolves, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, klass->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, c->id, -1, SQLITE_STATIC);
      found = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
      if (!found)
        return refused (c, "unknown-conflict", _("There is no such conflict about this record"));
    }

  /* Withdrawn consent removes the words everywhere; it never conflicts */
  if (klass == &ih_insight_class && has_changed (c, "consent") &&
      g_strcmp0 (((IhInsight *) c->incoming)->consent, "withdrawn") == 0)
    {
      gint64 seq;

      if (!purge (push, klass->name, c->id, &seq, error))
        return NULL;
      result = result_new (c, "accepted");
      json_object_set_int_member (result, "rev", seq);
      json_object_set_boolean_member (result, "purged", TRUE);
      return g_steal_pointer (&result);
    }

  current = ih_store_load (store, klass, c->id, NULL);
  revs = field_revs_load (store, klass->name, c->id);

  if (current == NULL)
    {
      /* New here: made from all its fields */
      merged = ih_record_copy (c->incoming);
      merged->created_at = c->created_at ? c->created_at : ih_now_ms ();
      g_free (merged->author);
      merged->author = g_strdup (push->author);
      if (!ih_record_validate (merged, NULL) || !references_exist (store, merged, &missing))
        {
          g_autoptr(GError) invalid = NULL;

          if (!ih_record_validate (merged, &invalid))
            return refused (c, "invalid", invalid->message);
          return refused (c, "missing-reference", missing);
        }
      for (guint i = 0; i < klass->n_fields; i++)
        g_ptr_array_add (written, (gpointer) klass->fields[i].name);
      g_ptr_array_add (written, "deleted");
      if (!write_record (push, merged, written, revs, error))
        return NULL;
      result = result_new (c, "accepted");
    }
  else
    {
      gboolean incoming_deletes = has_changed (c, "deleted") && c->deleted && !current->deleted;
      gboolean server_deleted;
      gboolean edits = FALSE;
      enum { NONE, FIELDS, DELETE_LOSES, EDIT_WINS } kind = NONE;

      /* A device's base from before a restore means nothing after it */
      base = c->rebase ? MIN (c->base_rev, push->epoch_start) : c->base_rev;
      server_deleted = current->deleted && changed_by_other (revs, "deleted", base, push->device);

      for (guint i = 0; i < klass->n_fields; i++)
        if (changed_by_other (revs, klass->fields[i].name, base, push->device))
          others = TRUE;
      others |= changed_by_other (revs, "deleted", base, push->device);

      for (guint i = 0; c->changed[i]; i++)
        {
          const IhFieldInfo *f = ih_record_class_field (klass, c->changed[i]);

          if (f == NULL || ih_record_field_equal (current, c->incoming, f))
            continue;
          edits = TRUE;
          if (changed_by_other (revs, f->name, base, push->device))
            g_ptr_array_add (overlap, (gpointer) f->name);
        }

      if (incoming_deletes && others)
        {
          /* Someone edited it meanwhile: the edit wins, the deletion is kept */
          kind = DELETE_LOSES;
          for (guint i = 0; i < klass->n_fields; i++)
            if (changed_by_other (revs, klass->fields[i].name, base, push->device))
              g_ptr_array_add (overlap, (gpointer) klass->fields[i].name);
        }
      else if (server_deleted && (edits || (has_changed (c, "deleted") && !c->deleted)))
        {
          kind = EDIT_WINS;
          g_ptr_array_set_size (overlap, 0);
          g_ptr_array_add (overlap, "deleted");
        }
      else if (overlap->len > 0)
        kind = FIELDS;

      merged = ih_record_copy (current);
      switch (kind)
        {
        case DELETE_LOSES:
          loser = ih_record_copy (current);
          loser->deleted = TRUE;
          break;

        case EDIT_WINS:
          loser = ih_record_copy (current);
          for (guint i = 0; c->changed[i]; i++)
            {
              const IhFieldInfo *f = ih_record_class_field (klass, c->changed[i]);
              if (f)
                ih_record_copy_field (merged, c->incoming, f);
            }
          merged->deleted = FALSE;
          break;

        case FIELDS:
          loser = ih_record_copy (current);
          for (guint i = 0; c->changed[i]; i++)
            {
              const IhFieldInfo *f = ih_record_class_field (klass, c->changed[i]);

              if (f == NULL)
                continue;
              ih_record_copy_field (loser, c->incoming, f);
              if (!g_ptr_array_find_with_equal_func (overlap, f->name, g_str_equal, NULL))
                ih_record_copy_field (merged, c->incoming, f);
            }
          if (has_changed (c, "deleted"))
            loser->deleted = c->deleted;
          break;

        case NONE:
        default:
          for (guint i = 0; c->changed[i]; i++)
            {
              const IhFieldInfo *f = ih_record_class_field (klass, c->changed[i]);
              if (f)
                ih_record_copy_field (merged, c->incoming, f);
            }
          if (has_changed (c, "deleted"))
            merged->deleted = c->deleted;

          /* A device that saw changes the restored server lost gives them
           * back, where nobody changed the field since the restore */
          if (c->rebase && c->base_rev > push->epoch_start)
            {
              for (guint i = 0; i < klass->n_fields; i++)
                {
                  const IhFieldInfo *f = &klass->fields[i];

                  if (!has_changed (c, f->name) &&
                      !changed_by_other (revs, f->name, push->epoch_start, push->device))
                    ih_record_copy_field (merged, c->incoming, f);
                }
              if (!has_changed (c, "deleted") &&
                  !changed_by_other (revs, "deleted", push->epoch_start, push->device))
                merged->deleted = c->deleted;
            }
          break;
        }

      for (guint i = 0; i < klass->n_fields; i++)
        if (!ih_record_field_equal (current, merged, &klass->fields[i]))
          g_ptr_array_add (written, (gpointer) klass->fields[i].name);
      if (!current->deleted != !merged->deleted)
        g_ptr_array_add (written, "deleted");

      if (written->len > 0)
        {
          g_autoptr(GError) invalid = NULL;

          if (!ih_record_validate (merged, &invalid))
            return refused (c, "invalid", invalid->message);
          if (!references_exist (store, merged, &missing))
            return refused (c, "missing-reference", missing);
          if (!write_record (push, merged, written, revs, error))
            return NULL;
        }

      if (kind != NONE)
        {
          g_autoptr(JsonObject) winner_json = NULL;
          g_autoptr(JsonObject) loser_json = NULL;
          g_autoptr(JsonNode) fields = json_node_new (JSON_NODE_ARRAY);
          g_autoptr(JsonNode) w = json_node_new (JSON_NODE_OBJECT);
          g_autoptr(JsonNode) l = json_node_new (JSON_NODE_OBJECT);
          g_autofree char *fields_text = NULL;
          g_autofree char *winner_text = NULL;
          g_autofree char *loser_text = NULL;
          JsonArray *array = json_array_new ();

          /* The loser is shown as a version of the record as it is now */
          loser->rev = merged->rev;
          g_free (loser->author);
          loser->author = g_strdup (push->author);
          conflict_seq = next_seq (store, error);
          if (conflict_seq == 0)
            return NULL;
          conflict_id = ih_uuid_from_name ("conflict", c->change_id);
          for (guint i = 0; i < overlap->len; i++)
            json_array_add_string_element (array, overlap->pdata[i]);
          json_node_take_array (fields, array);
          json_node_take_object (w, ih_record_to_json (merged));
          json_node_take_object (l, ih_record_to_json (loser));
          fields_text = ih_json_to_string (fields);
          winner_text = ih_json_to_string (w);
          loser_text = ih_json_to_string (l);
          if (!_ih_sync_run (store,
                             "INSERT OR REPLACE INTO sync_conflict"
                             " (id, type, record_id, fields, winner, loser, loser_author, rev, resolved)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
                             error, "sssssssi", conflict_id, klass->name, c->id, fields_text,
                             winner_text, loser_text, push->author, conflict_seq) ||
              !feed_put (store, "conflict", klass->name, conflict_id, conflict_seq, error))
            return NULL;
          result = result_new (c, "conflict");
        }
      else
        result = result_new (c, others ? "merged" : "accepted");
    }

  if (c->resolves != NULL)
    {
      gint64 seq = next_seq (store, error);

      if (seq == 0 ||
          !_ih_sync_run (store, "UPDATE sync_conflict SET resolved = 1, rev = ? WHERE id = ?",
                         error, "is", seq, c->resolves) ||
          !feed_put (store, "conflict", klass->name, c->resolves, seq, error))
        return NULL;
      json_object_set_string_member (result, "resolved", c->resolves);
    }

  json_object_set_int_member (result, "rev", merged->rev);
  if (conflict_id != NULL)
    {
      JsonObject *conflict = _ih_sync_conflict_to_json (store, conflict_id, error);

      if (conflict == NULL)
        return NULL;
      json_object_set_object_member (result, "conflict", conflict);
    }
  return g_steal_pointer (&result);
}

static gboolean
store_result (IhStore     *store,
              JsonObject  *result,
              GError     **error)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  json_node_set_object (node, result);
  text = ih_json_to_string (node);
  return _ih_sync_run (store, "INSERT OR REPLACE INTO sync_applied (change_id, result) VALUES (?, ?)",
                       error, "ss", json_object_get_string_member (result, "change_id"), text);
}

static JsonObject *
cached_result (IhStore    *store,
               const char *change_id)
{
  sqlite3_stmt *stmt = _ih_store_prepare (store, "SELECT result FROM sync_applied WHERE change_id = ?", NULL);
  JsonObject *result = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, change_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(JsonNode) node = ih_json_from_string ((const char *) sqlite3_column_text (stmt, 0),
                                                      "result", NULL);
      if (node && JSON_NODE_HOLDS_OBJECT (node))
        result = json_object_ref (json_node_get_object (node));
    }
  sqlite3_reset (stmt);
  return result;
}

/* Processes @key's change after the changes it refers to in the same push */
static void
order_change (GHashTable *by_key,
              GHashTable *seen,
              GArray     *order,
              Change     *changes,
              const char *key,
              guint       depth)
{
  gpointer value;
  guint i;
  g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func (g_free);

  if (!g_hash_table_lookup_extended (by_key, key, NULL, &value) || g_hash_table_contains (seen, key))
    return;
  g_hash_table_add (seen, (gpointer) key);
  i = GPOINTER_TO_UINT (value);
  if (changes[i].incoming != NULL && depth < 64)
    {
      _ih_sync_record_refs (changes[i].incoming, refs);
      for (guint j = 0; j < refs->len; j++)
        {
          gpointer orig_key;

          if (g_hash_table_lookup_extended (by_key, refs->pdata[j], &orig_key, NULL))
            order_change (by_key, seen, order, changes, orig_key, depth + 1);
        }
    }
  g_array_append_val (order, i);
}

JsonObject *
ih_sync_server_push (IhStore     *store,
                     const char  *author,
                     IhRole       role,
                     JsonObject  *request,
                     GError     **error)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GHashTable) by_key = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GArray) order = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *epoch = NULL;
  g_autoptr(GList) members = NULL;
  Change *changes = NULL;
  JsonArray *array;
  JsonArray *out;
  JsonNode *node;
  Push push = { store, author, role, NULL, 0 };
  guint n = 0;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  g_return_val_if_fail (author != NULL, NULL);
  g_return_val_if_fail (request != NULL, NULL);

  members = json_object_get_members (request);
  for (GList *l = members; l; l = l->next)
    if (strcmp (l->data, "epoch") != 0 && strcmp (l->data, "device") != 0 &&
        strcmp (l->data, "changes") != 0)
      {
        g_set_error (error, IH_SYNC_ERROR, IH_SYNC_ERROR_PROTOCOL,
                     _("“%s” is not a member of a push"), (const char *) l->data);
        return NULL;
      }
  node = json_object_get_member (request, "device");
  if (!holds (node, G_TYPE_STRING) || !g_uuid_string_is_valid (json_node_get_string (node)))
    return bad_request (error, 0, "device", _("a UUID")), NULL;
  push.device = json_node_get_string (node);
  node = json_object_get_member (request, "epoch");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node) && !holds (node, G_TYPE_STRING))
    return bad_request (error, 0, "epoch", _("text or null")), NULL;
  node = json_object_get_member (request, "changes");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return bad_request (error, 0, "changes", _("a list of changes")), NULL;
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > IH_SYNC_MAX_PUSH)
    {
      g_set_error (error, IH_SYNC_ERROR, IH_SYNC_ERROR_PROTOCOL,
                   _("A push may hold at most %d changes, not %u"), IH_SYNC_MAX_PUSH, n);
      return NULL;
    }

  changes = g_new0 (Change, MAX (n, 1));
  by_key = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++)
    {
      char *key;

      if (!parse_change (json_array_get_element (array, i), i + 1, &changes[i], error))
        goto out;
      key = _ih_sync_key (changes[i].klass->name, changes[i].id);
      g_ptr_array_add (keys, key);
      if (g_hash_table_contains (by_key, key))
        {
          g_set_error (error, IH_SYNC_ERROR, IH_SYNC_ERROR_PROTOCOL,
                       _("Change %u: the %s “%s” appears twice in one push"),
                       i + 1, changes[i].klass->name, changes[i].id);
          goto out;
        }
      g_hash_table_insert (by_key, key, GUINT_TO_POINTER (i));
    }

  order = g_array_new (FALSE, FALSE, sizeof (guint));
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++)
    order_change (by_key, seen, order, changes, keys->pdata[i], 0);

  if (!ih_store_begin (store, error))
    goto out;
  if (!ensure_server (store, error))
    goto fail;

  stmt = _ih_store_prepare (store, "SELECT epoch, epoch_start FROM sync_server", error);
  if (stmt == NULL)
    goto fail;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      epoch = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      push.epoch_start = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);

  node = json_object_get_member (request, "epoch");
  if (node != NULL && holds (node, G_TYPE_STRING) && g_strcmp0 (json_node_get_string (node), epoch) != 0)
    {
      g_set_error (error, IH_SYNC_ERROR, IH_SYNC_ERROR_EPOCH,
                   _("The server was restored from a backup: pull its changes first"));
      goto fail;
    }

  results = g_ptr_array_new_full (n, (GDestroyNotify) json_object_unref);
  g_ptr_array_set_size (results, n);
  for (guint k = 0; k < order->len; k++)
    {
      guint i = g_array_index (order, guint, k);
      Change *c = &changes[i];
      JsonObject *result = cached_result (store, c->change_id);

      if (result == NULL)
        {
          const char *reason;

          /* A change is refused before it writes anything, and a failure
           * of the store fails the whole push: no savepoint per change
           * (FTS5 would write its pending terms out at each) */
          result = apply_change (&push, c, error);
          if (result == NULL)
            goto fail;
          reason = json_object_get_string_member_with_default (result, "reason", "");
          /* A reference may arrive later: that refusal is not kept */
          if (strcmp (reason, "missing-reference") != 0 && !store_result (store, result, error))
            {
              json_object_unref (result);
              goto fail;
            }
        }

      /* The record as it is now, for the device to take */
      if (strcmp (json_object_get_string_member (result, "status"), "refused") != 0 &&
          !json_object_has_member (result, "purged"))
        {
          g_autoptr(IhRecord) now = ih_store_load (store, c->klass, c->id, NULL);

          if (now != NULL)
            json_object_set_object_member (result, "record", ih_record_to_json (now));
        }
      results->pdata[i] = result;
    }

  if (!ih_store_commit (store, error))
    goto out;

  reply = json_object_new ();
  json_object_set_string_member (reply, "epoch", epoch);
  out = json_array_new ();
  for (guint i = 0; i < n; i++)
    json_array_add_object_element (out, json_object_ref (results->pdata[i]));
  json_object_set_array_member (reply, "results", out);
  goto out;

fail:
  ih_store_rollback (store);
out:
  for (guint i = 0; i < n; i++)
    change_clear (&changes[i]);
  g_free (changes);
  return g_steal_pointer (&reply);
}

/*
 * The change feed
 *
 * Written as JSON text as it is read, without a JSON tree: a first sync
 * asks for 5000 records a batch, and building, writing and freeing a tree
 * of them cost the server more than reading them.
 */

typedef struct
{
  IhStore    *store;
  IhRole      role;
  gint64      cursor;
  GHashTable *included;   /* "type/id" */
  GHashTable *ref_seqs;   /* "type/id" → feed seq, for records referred to */
  GString    *changes;    /* the text of the changes' array, "[" and what follows */
  GString    *purged;     /* as much of the purged array */
  GString    *key;        /* scratch for "type/id" */
} Feed;

static gboolean
insight_restricted (IhStore    *store,
                    const char *id)
{
  return query_int (store, "SELECT restricted FROM insight WHERE id = ?", id, NULL) != 0;
}

/* A comma before every element but the first of an array begun with "[" */
static void
next_element (GString *array)
{
  if (array->str[array->len - 1] != '[')
    g_string_append_c (array, ',');
}

static void
add_purged (Feed       *feed,
            const char *type,
            const char *id,
            const char *reason)
{
  next_element (feed->purged);
  g_string_append (feed->purged, "{\"type\":");
  ih_json_append_string (feed->purged, type);
  g_string_append (feed->purged, ",\"id\":");
  ih_json_append_string (feed->purged, id);
  g_string_append (feed->purged, ",\"reason\":");
  ih_json_append_string (feed->purged, reason);
  g_string_append_c (feed->purged, '}');
}

static gboolean add_record (Feed                *feed,
                            const IhRecordClass *klass,
                            const char          *id,
                            guint                depth,
                            GError             **error);

/* The record @id of @type that a record of the batch refers to, put
 * before it when it changed after the batch's cursor */
static gboolean
add_referred (Feed        *feed,
              const char  *type,
              const char  *id,
              guint        depth,
              GError     **error)
{
  gpointer cached;
  gint64 seq = 0;

  /* Many records refer to the same few activities and themes */
  g_string_assign (feed->key, type);
  g_string_append_c (feed->key, '/');
  g_string_append (feed->key, id);
  if (g_hash_table_lookup_extended (feed->ref_seqs, feed->key->str, NULL, &cached))
    seq = *(gint64 *) cached;
  else
    {
      sqlite3_stmt *stmt = _ih_store_prepare (feed->store,
                                              "SELECT seq FROM sync_feed"
                                              " WHERE kind = 'record' AND type = ? AND id = ?",
                                              error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        seq = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      g_hash_table_insert (feed->ref_seqs, g_strdup (feed->key->str), g_memdup2 (&seq, sizeof seq));
    }
  if (seq > feed->cursor)
    return add_record (feed, ih_record_class_lookup (type), id, depth + 1, error);
  return TRUE;
}

static gboolean
add_record (Feed                *feed,
            const IhRecordClass *klass,
            const char          *id,
            guint                depth,
            GError             **error)
{
  g_autoptr(IhRecord) record = NULL;
  char *key = _ih_sync_key (klass->name, id);

  if (g_hash_table_contains (feed->included, key))
    {
      g_free (key);
      return TRUE;
    }
  g_hash_table_add (feed->included, key);

  record = _ih_store_load_in_transaction (feed->store, klass, id, error);
  if (record == NULL)
    return FALSE;

  if (feed->role == IH_ROLE_VIEWER)
    {
      if (klass == &ih_insight_class && ((IhInsight *) record)->restricted)
        {
          add_purged (feed, klass->name, id, "restricted");
          return TRUE;
        }
      if (klass == &ih_action_class)
        {
          IhAction *action = (IhAction *) record;
          g_autoptr(GStrvBuilder) keep = g_strv_builder_new ();

          for (guint i = 0; action->insight_ids && action->insight_ids[i]; i++)
            if (!insight_restricted (feed->store, action->insight_ids[i]))
              g_strv_builder_add (keep, action->insight_ids[i]);
          g_strfreev (action->insight_ids);
          action->insight_ids = g_strv_builder_end (keep);
          if (action->insight_ids[0] == NULL)
            g_clear_pointer (&action->insight_ids, g_strfreev);
        }
    }

  /* What it refers to comes in the same batch when it changed later */
  for (guint i = 0; i < klass->n_fields && depth < 64; i++)
    {
      const IhFieldInfo *f = &klass->fields[i];

      if (f->type == IH_FIELD_REF)
        {
          const char *ref = *(char **) FIELD_PTR (record, f);

          if (ref != NULL && !add_referred (feed, f->ref_table, ref, depth, error))
            return FALSE;
        }
      else if (f->type == IH_FIELD_REFS)
        {
          char **refs = *(char ***) FIELD_PTR (record, f);

          for (guint j = 0; refs && refs[j]; j++)
            if (!add_referred (feed, f->ref_table, refs[j], depth, error))
              return FALSE;
        }
    }

  next_element (feed->changes);
  ih_record_append_json (feed->changes, record);
  return TRUE;
}

char *
ih_sync_server_changes_text (IhStore  *store,
                             gint64    since,
                             guint     limit,
                             IhRole    role,
                             gsize    *length,
                             GError  **error)
{
  g_autoptr(GHashTable) included = NULL;
  g_autoptr(GHashTable) ref_seqs = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(GString) purged = NULL;
  g_autoptr(GString) conflicts = NULL;
  g_autoptr(GString) key = g_string_new (NULL);
  g_autofree char *epoch = NULL;
  Feed feed;
  sqlite3_stmt *stmt;
  gboolean more = FALSE;
  int rc;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  if (since < 0)
    return bad_request (error, 0, "since", _("a whole number of 0 or more")), NULL;
  if (limit == 0)
    limit = IH_SYNC_DEFAULT_LIMIT;
  if (limit > IH_SYNC_MAX_LIMIT)
    return bad_request (error, 0, "limit", _("at most 5000")), NULL;

  included = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ref_seqs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  entries = g_ptr_array_new_with_free_func (g_free);
  purged = g_string_new ("[");
  conflicts = g_string_new ("[");
  feed = (Feed) { store, role, since, included, ref_seqs, NULL, purged, key };

  /* One transaction, so the batch is one consistent state */
  if (!ih_store_begin (store, error))
    return NULL;
  if (!ensure_server (store, error))
    goto fail;

  stmt = _ih_store_prepare (store, "SELECT epoch FROM sync_server", error);
  if (stmt == NULL)
    goto fail;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    epoch = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  stmt = _ih_store_prepare (store,
                            "SELECT seq, kind, type, id FROM sync_feed WHERE seq > ? ORDER BY seq LIMIT ?",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, (gint64) limit + 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (entries->len / 3 == limit)
        {
          more = TRUE;
          break;
        }
      feed.cursor = sqlite3_column_int64 (stmt, 0);
      g_ptr_array_add (entries, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      g_ptr_array_add (entries, g_strdup ((const char *) sqlite3_column_text (stmt, 2)));
      g_ptr_array_add (entries, g_strdup ((const char *) sqlite3_column_text (stmt, 3)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _ih_store_set_error (store, error, _("Could not read the change feed"));
      goto fail;
    }

  /* Room for the records, about 500 bytes each, so the text is not copied
   * as it grows */
  text = g_string_sized_new (256 + entries->len / 3 * 640);
  g_string_append (text, "{\"changes\":[");
  feed.changes = text;

  for (guint i = 0; i < entries->len; i += 3)
    {
      const char *kind = entries->pdata[i];
      const char *type = entries->pdata[i + 1];
      const char *id = entries->pdata[i + 2];

      if (strcmp (kind, "record") == 0)
        {
          if (!add_record (&feed, ih_record_class_lookup (type), id, 0, error))
            goto fail;
        }
      else if (strcmp (kind, "purge") == 0)
        add_purged (&feed, type, id, "consent");
      else if (strcmp (kind, "conflict") == 0 && role != IH_ROLE_VIEWER)
        {
          /* Few, and made of stored JSON: through a tree */
          g_autoptr(JsonObject) conflict = _ih_sync_conflict_to_json (store, id, error);
          g_autoptr(JsonNode) node = NULL;
          g_autofree char *conflict_text = NULL;

          if (conflict == NULL)
            goto fail;
          node = json_node_init_object (json_node_alloc (), conflict);
          conflict_text = ih_json_to_string (node);
          next_element (conflicts);
          g_string_append (conflicts, conflict_text);
        }
    }

  if (!ih_store_commit (store, error))
    return NULL;

  g_string_append (text, "],\"purged\":");
  g_string_append_len (text, purged->str, purged->len);
  g_string_append (text, "],\"conflicts\":");
  g_string_append_len (text, conflicts->str, conflicts->len);
  g_string_append (text, "],\"epoch\":");
  if (epoch != NULL)
    ih_json_append_string (text, epoch);
  else
    g_string_append (text, "null");
  g_string_append (text, ",\"cursor\":");
  ih_json_append_int (text, feed.cursor);
  g_string_append (text, more ? ",\"more\":true}" : ",\"more\":false}");

  if (length)
    *length = text->len;
  return g_string_free (g_steal_pointer (&text), FALSE);

fail:
  ih_store_rollback (store);
  return NULL;
}

JsonObject *
ih_sync_server_changes (IhStore  *store,
                        gint64    since,
                        guint     limit,
                        IhRole    role,
                        GError  **error)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  text = ih_sync_server_changes_text (store, since, limit, role, NULL, error);
  if (text == NULL)
    return NULL;
  root = ih_json_from_string (text, "changes", error);
  if (root == NULL)
    return NULL;
  g_assert (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}
