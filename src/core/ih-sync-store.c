/* ih-sync-store.c — the client side of sync on a local store: the outbox
 * of local changes, applying what the server sends, conflicts
 * (docs/protocol.md)
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ih-blobs.h"
#include "ih-papers.h"
#include "ih-record-json.h"
#include "ih-store-private.h"
#include "ih-sync-private.h"

G_DEFINE_QUARK (ih-sync-error-quark, ih_sync_error)

#define FIELD_PTR(rec, f) ((gpointer) (((guint8 *) (rec)) + (f)->offset))

/*
 * Small SQL helpers; the caller holds the store's lock
 */

gboolean
_ih_sync_run (IhStore     *store,
              const char  *sql,
              GError     **error,
              const char  *fmt,
              ...)
{
  sqlite3_stmt *stmt = _ih_store_prepare (store, sql, error);
  va_list args;
  int rc;

  if (stmt == NULL)
    return FALSE;

  /* fmt: one letter a parameter: s text (NULL → null), i gint64 */
  va_start (args, fmt);
  for (int i = 0; fmt && fmt[i]; i++)
    {
      if (fmt[i] == 's')
        {
          const char *s = va_arg (args, const char *);
          if (s)
            sqlite3_bind_text (stmt, i + 1, s, -1, SQLITE_TRANSIENT);
          else
            sqlite3_bind_null (stmt, i + 1);
        }
      else
        sqlite3_bind_int64 (stmt, i + 1, va_arg (args, gint64));
    }
  va_end (args);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _ih_store_set_error (store, error, _("Could not save the sync state"));
  return TRUE;
}

static char *
json_strv (char **strv)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  JsonArray *array = json_array_new ();

  for (guint i = 0; strv && strv[i]; i++)
    json_array_add_string_element (array, strv[i]);
  json_node_take_array (node, array);
  return ih_json_to_string (node);
}

static GStrv
strv_from_json (const char *text)
{
  g_autoptr(JsonNode) node = text ? ih_json_from_string (text, "list", NULL) : NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (node && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *s = json_array_get_string_element (array, i);
          if (s)
            g_strv_builder_add (builder, s);
        }
    }
  return g_strv_builder_end (builder);
}

char *
_ih_sync_key (const char *type,
              const char *id)
{
  return g_strconcat (type, "/", id, NULL);
}

void
_ih_sync_record_refs (const IhRecord *record,
                      GPtrArray      *keys)
{
  const IhRecordClass *klass = record->klass;

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const IhFieldInfo *f = &klass->fields[i];

      if (f->type == IH_FIELD_REF)
        {
          const char *id = *(char **) FIELD_PTR (record, f);
          if (id)
            g_ptr_array_add (keys, _ih_sync_key (f->ref_table, id));
        }
      else if (f->type == IH_FIELD_REFS)
        {
          char **ids = *(char ***) FIELD_PTR (record, f);
          for (guint j = 0; ids && ids[j]; j++)
            g_ptr_array_add (keys, _ih_sync_key (f->ref_table, ids[j]));
        }
    }
}

/*
 * The outbox
 */

typedef struct
{
  gint64  seq;
  char   *change_id;
  gint64  base_rev;
  GStrv   changed;
  gboolean sent;
  gboolean rebase;
  char   *resolves;
  char   *refused;
} OutboxRow;

static void
outbox_row_free (OutboxRow *row)
{
  g_free (row->change_id);
  g_strfreev (row->changed);
  g_free (row->resolves);
  g_free (row->refused);
  g_free (row);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OutboxRow, outbox_row_free)

/* The pending change of a record, or NULL */
static OutboxRow *
outbox_get (IhStore    *store,
            const char *type,
            const char *id)
{
  sqlite3_stmt *stmt;
  OutboxRow *row = NULL;

  stmt = _ih_store_prepare (store,
                            "SELECT seq, change_id, base_rev, changed_fields, sent, rebase, resolves, refused"
                            " FROM sync_outbox WHERE type = ? AND id = ?",
                            NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      row = g_new0 (OutboxRow, 1);
      row->seq = sqlite3_column_int64 (stmt, 0);
      row->change_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      row->base_rev = sqlite3_column_int64 (stmt, 2);
      row->changed = strv_from_json ((const char *) sqlite3_column_text (stmt, 3));
      row->sent = sqlite3_column_int (stmt, 4) != 0;
      row->rebase = sqlite3_column_int (stmt, 5) != 0;
      row->resolves = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      row->refused = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
    }
  sqlite3_reset (stmt);
  return row;
}

static gboolean
outbox_delete (IhStore     *store,
               const char  *type,
               const char  *id,
               GError     **error)
{
  return _ih_sync_run (store, "DELETE FROM sync_outbox WHERE type = ? AND id = ?", error, "ss", type, id);
}

static gboolean
sync_enabled (IhStore *store)
{
  sqlite3_stmt *stmt = _ih_store_prepare (store, "SELECT 1 FROM sync_state", NULL);
  gboolean on;

  if (stmt == NULL)
    return FALSE;
  on = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return on;
}

static void
add_unique (GPtrArray  *names,
            const char *name)
{
  if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
    g_ptr_array_add (names, g_strdup (name));
}

gboolean
_ih_sync_store_capture (IhStore   *store,
                        IhRecord  *record,
                        gint64     existing_rid,
                        GError   **error)
{
  const IhRecordClass *klass = record->klass;
  g_autoptr(IhRecord) old = NULL;
  g_autoptr(OutboxRow) row = NULL;
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *changed_json = NULL;
  gint64 base;

  if (!sync_enabled (store))
    return TRUE;

  if (existing_rid != 0)
    old = ih_store_load (store, klass, record->id, NULL);
  else
    old = ih_record_new (klass);    /* compared with an empty record */

  if (old == NULL)
    return TRUE;

  for (guint i = 0; i < klass->n_fields; i++)
    if (!ih_record_field_equal (old, record, &klass->fields[i]))
      g_ptr_array_add (changed, g_strdup (klass->fields[i].name));
  if (!old->deleted != !record->deleted)
    g_ptr_array_add (changed, g_strdup ("deleted"));

  row = outbox_get (store, klass->name, record->id);
  if (changed->len == 0 && row == NULL)
    return TRUE;

  /* The edit started from the version the caller loaded; a record made
   * afresh with an existing id (a re-import) starts from the stored one */
  base = record->rev > 0 ? record->rev : (existing_rid != 0 ? old->rev : 0);

  if (row == NULL)
    {
      g_autofree char *change_id = g_uuid_string_random ();

      g_ptr_array_add (changed, NULL);
      changed_json = json_strv ((char **) changed->pdata);
      return _ih_sync_run (store,
                           "INSERT INTO sync_outbox (type, id, change_id, base_rev, changed_fields)"
                           " VALUES (?, ?, ?, ?, ?)",
                           error, "sssis", klass->name, record->id, change_id, base, changed_json);
    }

  for (guint i = 0; row->changed[i]; i++)
    add_unique (changed, row->changed[i]);
  g_ptr_array_add (changed, NULL);
  changed_json = json_strv ((char **) changed->pdata);
  if (base == 0 || row->base_rev < base)
    base = row->base_rev;

  if (row->sent)
    {
      /* The sent change may have reached the server: this is another one */
      g_autofree char *change_id = g_uuid_string_random ();

      return _ih_sync_run (store,
                           "UPDATE sync_outbox SET change_id = ?, base_rev = ?, changed_fields = ?,"
                           "  sent = 0, refused = NULL WHERE seq = ?",
                           error, "sisi", change_id, base, changed_json, row->seq);
    }
  return _ih_sync_run (store,
                       "UPDATE sync_outbox SET base_rev = ?, changed_fields = ?, refused = NULL WHERE seq = ?",
                       error, "isi", base, changed_json, row->seq);
}

/* Queues every record of the store. At set-up, as changes of every
 * field. After the server was restored from a backup (@rebase), as the
 * device's copy to restore what the server lost: pending local edits keep
 * their changed fields and base, and take a new change id. */
static gboolean
queue_everything (IhStore   *store,
                  gboolean   rebase,
                  GError   **error)
{
  guint n_classes;
  const IhRecordClass * const *classes = ih_record_classes (&n_classes);

  for (guint c = 0; c < n_classes; c++)
    {
      const IhRecordClass *klass = classes[c];
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      g_autofree char *all = NULL;
      char *sql;
      int rc;

      for (guint i = 0; i < klass->n_fields; i++)
        g_ptr_array_add (names, (gpointer) klass->fields[i].name);
      g_ptr_array_add (names, "deleted");
      g_ptr_array_add (names, NULL);
      all = json_strv ((char **) names->pdata);

      /* A version-4 UUID made by SQLite for each row */
      sql = sqlite3_mprintf ("INSERT INTO sync_outbox (type, id, change_id, base_rev, changed_fields, rebase)"
                             " SELECT %Q, id,"
                             "  lower (hex (randomblob (4)) || '-' || hex (randomblob (2)) || '-4'"
                             "    || substr (hex (randomblob (2)), 2) || '-'"
                             "    || substr ('89AB', 1 + (abs (random ()) %% 4), 1)"
                             "    || substr (hex (randomblob (2)), 2) || '-' || hex (randomblob (6))),"
                             "  rev, %Q, %d FROM %s WHERE true ORDER BY rid"
                             " ON CONFLICT (type, id) DO UPDATE SET"
                             "  change_id = excluded.change_id, rebase = excluded.rebase,"
                             "  sent = 0, refused = NULL;"
                             /* Revisions of the old epoch mean nothing in the new one */
                             "UPDATE %s SET rev = 0 WHERE %d;",
                             klass->name, rebase ? "[]" : all, rebase ? 1 : 0, klass->table,
                             klass->table, rebase ? 1 : 0);
      rc = sqlite3_exec (_ih_store_get_db (store), sql, NULL, NULL, NULL);
      sqlite3_free (sql);
      if (rc != SQLITE_OK)
        return _ih_store_set_error (store, error, _("Could not queue the records for sync"));
    }
  return TRUE;
}

gboolean
ih_sync_setup (IhStore     *store,
               const char  *server_url,
               GError     **error)
{
  g_autofree char *device = g_uuid_string_random ();
  gboolean first;

  g_return_val_if_fail (IH_IS_STORE (store), FALSE);
  g_return_val_if_fail (server_url != NULL, FALSE);

  if (!ih_store_begin (store, error))
    return FALSE;
  first = !sync_enabled (store);
  if ((first && (!_ih_sync_run (store, "INSERT INTO sync_state (one, server_url, device) VALUES (1, ?, ?)",
                                error, "ss", server_url, device) ||
                 !queue_everything (store, FALSE, error))) ||
      (!first && !_ih_sync_run (store, "UPDATE sync_state SET server_url = ?", error, "s", server_url)))
    {
      ih_store_rollback (store);
      return FALSE;
    }
  return ih_store_commit (store, error);
}

static char *
state_text (IhStore    *store,
            const char *sql)
{
  sqlite3_stmt *stmt;
  char *text = NULL;

  _ih_store_lock (store);
  stmt = _ih_store_prepare (store, sql, NULL);
  if (stmt != NULL)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  _ih_store_unlock (store);
  return text;
}

static gint64
state_int (IhStore    *store,
           const char *sql)
{
  sqlite3_stmt *stmt;
  gint64 v = 0;

  _ih_store_lock (store);
  stmt = _ih_store_prepare (store, sql, NULL);
  if (stmt != NULL)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        v = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  _ih_store_unlock (store);
  return v;
}

gboolean
ih_sync_is_set_up (IhStore *store)
{
  g_return_val_if_fail (IH_IS_STORE (store), FALSE);
  return state_int (store, "SELECT count(*) FROM sync_state") > 0;
}

char *
ih_sync_get_server_url (IhStore *store)
{
  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  return state_text (store, "SELECT server_url FROM sync_state");
}

gint64
ih_sync_get_cursor (IhStore *store)
{
  g_return_val_if_fail (IH_IS_STORE (store), 0);
  return state_int (store, "SELECT cursor FROM sync_state");
}

gint64
ih_sync_count_pending (IhStore *store)
{
  g_return_val_if_fail (IH_IS_STORE (store), 0);
  return state_int (store, "SELECT count(*) FROM sync_outbox WHERE refused IS NULL");
}

gint64
ih_sync_count_refused (IhStore *store)
{
  g_return_val_if_fail (IH_IS_STORE (store), 0);
  return state_int (store, "SELECT count(*) FROM sync_outbox WHERE refused IS NOT NULL");
}

static gboolean
not_set_up (GError **error)
{
  g_set_error (error, IH_SYNC_ERROR, IH_SYNC_ERROR_NOT_SET_UP,
               _("This database is not set up to sync with a server"));
  return FALSE;
}

JsonObject *
ih_sync_take_outbox (IhStore  *store,
                     guint     limit,
                     GError  **error)
{
  g_autoptr(JsonObject) request = json_object_new ();
  JsonArray *changes = json_array_new ();
  g_autofree char *epoch = NULL;
  g_autofree char *device = NULL;
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  gboolean have_state = FALSE;
  int rc;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  json_object_set_array_member (request, "changes", changes);

  if (!ih_store_begin (store, error))
    return NULL;

  stmt = _ih_store_prepare (store, "SELECT epoch, device FROM sync_state", error);
  if (stmt == NULL)
    goto fail;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      have_state = TRUE;
      epoch = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      device = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (!have_state)
    {
      not_set_up (error);
      goto fail;
    }
  if (epoch)
    json_object_set_string_member (request, "epoch", epoch);
  else
    json_object_set_null_member (request, "epoch");
  json_object_set_string_member (request, "device", device);

  stmt = _ih_store_prepare (store,
                            "SELECT type, id FROM sync_outbox WHERE refused IS NULL ORDER BY seq LIMIT ?",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ih_store_set_error (store, error, _("Could not read the sync outbox"));
      goto fail;
    }

  for (guint i = 0; i < rows->len; i += 2)
    {
      const char *type = rows->pdata[i];
      const char *id = rows->pdata[i + 1];
      const IhRecordClass *klass = ih_record_class_lookup (type);
      g_autoptr(OutboxRow) row = outbox_get (store, type, id);
      g_autoptr(IhRecord) record = NULL;
      JsonObject *change;
      JsonArray *fields;

      record = klass ? ih_store_load (store, klass, id, NULL) : NULL;
      if (record == NULL || row == NULL)
        {
          /* Nothing left to send for it */
          if (!outbox_delete (store, type, id, error))
            goto fail;
          continue;
        }

      change = json_object_new ();
      json_object_set_string_member (change, "change_id", row->change_id);
      json_object_set_string_member (change, "type", type);
      json_object_set_string_member (change, "id", id);
      json_object_set_int_member (change, "base_rev", row->base_rev);
      json_object_set_int_member (change, "created_at", record->created_at);
      fields = json_array_new ();
      if (klass == &ih_insight_class &&
          g_strcmp0 (((IhInsight *) record)->consent, "withdrawn") == 0)
        {
          /* The words never travel again: the withdrawal alone is sent */
          JsonObject *only = json_object_new ();

          json_object_set_string_member (only, "consent", "withdrawn");
          json_object_set_object_member (change, "fields", only);
          json_array_add_string_element (fields, "consent");
        }
      else
        {
          json_object_set_object_member (change, "fields", ih_record_fields_to_json (record));
          for (guint j = 0; row->changed[j]; j++)
            json_array_add_string_element (fields, row->changed[j]);
        }
      json_object_set_array_member (change, "changed_fields", fields);
      json_object_set_boolean_member (change, "deleted", record->deleted);
      json_object_set_boolean_member (change, "rebase", row->rebase);
      if (row->resolves)
        json_object_set_string_member (change, "resolves", row->resolves);
      else
        json_object_set_null_member (change, "resolves");
      json_array_add_object_element (changes, change);

      if (!_ih_sync_run (store, "UPDATE sync_outbox SET sent = 1 WHERE seq = ?", error, "i", row->seq))
        goto fail;
    }

  if (!ih_store_commit (store, error))
    return NULL;
  return g_steal_pointer (&request);

fail:
  ih_store_rollback (store);
  return NULL;
}

/*
 * Applying what the server sends
 */

static gboolean
protocol_error (GError     **error,
                const char  *member,
                const char  *expected)
{
  g_set_error (error, IH_SYNC_ERROR, IH_SYNC_ERROR_PROTOCOL,
               _("The server’s reply is malformed: “%s” must be %s"), member, expected);
  return FALSE;
}

static JsonArray *
get_array (JsonObject  *object,
           const char  *member,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      protocol_error (error, member, _("a list"));
      return NULL;
    }
  return json_node_get_array (node);
}

static const char *
get_string (JsonObject  *object,
            const char  *member,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      protocol_error (error, member, _("text"));
      return NULL;
    }
  return json_node_get_string (node);
}

static gboolean
get_int (JsonObject  *object,
         const char  *member,
         gint64      *out,
         GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return protocol_error (error, member, _("a whole number"));
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
purge_local (IhStore     *store,
             const char  *type,
             const char  *id,
             GError     **error)
{
  const IhRecordClass *klass = ih_record_class_lookup (type);

  if (klass == NULL)
    return protocol_error (error, "type", _("a record type"));

  return _ih_store_purge (store, klass, id, error) &&
         outbox_delete (store, type, id, error) &&
         _ih_sync_run (store, "DELETE FROM sync_conflict WHERE type = ? AND record_id = ?", error,
                       "ss", type, id);
}

static gint64
local_rev (IhStore             *store,
           const IhRecordClass *klass,
           const char          *id,
           gint64              *rid)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 rev = 0;

  /* Insight most of the time: no formatting for them */
  if (klass == &ih_insight_class)
    stmt = _ih_store_prepare (store, "SELECT rid, rev FROM insight WHERE id = ?", NULL);
  else
    {
      sql = g_strdup_printf ("SELECT rid, rev FROM %s WHERE id = ?", klass->table);
      stmt = _ih_store_prepare (store, sql, NULL);
    }

  *rid = -1;
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      *rid = sqlite3_column_int64 (stmt, 0);
      rev = sqlite3_column_int64 (stmt, 1);
      break;
    case SQLITE_DONE:
      *rid = 0;
      break;
    default:
      break;
    }
  sqlite3_reset (stmt);
  return rev;
}

static gboolean
set_bookkeeping (IhStore         *store,
                 const IhRecord  *remote,
                 GError         **error)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE %s SET rev = ?, created_at = ?, updated_at = ?,"
                                          " author = ? WHERE id = ?", remote->klass->table);

  return _ih_sync_run (store, sql, error, "iiiss", remote->rev, remote->created_at,
                       remote->updated_at, remote->author, remote->id);
}

/* @outbox_empty: nothing waits in the outbox (so there is no pending
 * change of this record to look up) */
static gboolean
apply_record (IhStore   *store,
              IhRecord  *remote,
              gboolean   outbox_empty,
              GError   **error)
{
  const IhRecordClass *klass = remote->klass;
  g_autoptr(OutboxRow) row = NULL;
  g_autoptr(IhRecord) local = NULL;
  g_autoptr(IhRecord) merged = NULL;
  gboolean exists;
  gboolean same = TRUE;
  gint64 rid;                   /* -1 when the lookup failed */
  gint64 rev;

  rev = local_rev (store, klass, remote->id, &rid);
  exists = rid > 0;
  if (exists && remote->rev < rev)
    return TRUE;                /* older than what we have */

  row = outbox_empty ? NULL : outbox_get (store, klass->name, remote->id);
  if (row != NULL && row->rebase)
    return TRUE;                /* the device's copy goes to the server first */
  if (row == NULL)
    {
      if (exists && remote->rev == rev && rev != 0)
        return TRUE;
      if (exists)
        {
          /* Our own change coming back: only the bookkeeping moves, and
           * the search index is left alone */
          local = ih_store_load (store, klass, remote->id, NULL);
          if (local != NULL && !local->deleted == !remote->deleted)
            {
              gboolean equal = TRUE;

              for (guint i = 0; equal && i < klass->n_fields; i++)
                equal = ih_record_field_equal (local, remote, &klass->fields[i]);
              if (equal)
                return set_bookkeeping (store, remote, error);
            }
        }
      /* The row is known: the store need not look it up again */
      return rid >= 0 ? _ih_store_apply_at (store, remote, rid, error) : _ih_store_apply (store, remote, error);
    }

  /* A pending local change: its fields stay as the person left them */
  local = ih_store_load (store, klass, remote->id, NULL);
  if (local == NULL)
    return _ih_store_apply (store, remote, error);

  merged = ih_record_copy (remote);
  for (guint i = 0; row->changed[i]; i++)
    {
      const IhFieldInfo *f = ih_record_class_field (klass, row->changed[i]);

      if (f != NULL)
        {
          same &= ih_record_field_equal (local, remote, f);
          ih_record_copy_field (merged, local, f);
        }
      else if (strcmp (row->changed[i], "deleted") == 0)
        {
          same &= !local->deleted == !remote->deleted;
          merged->deleted = local->deleted;
        }
    }

  /* The server already has what the change would send */
  if (same && row->resolves == NULL && !row->rebase &&
      !outbox_delete (store, klass->name, remote->id, error))
    return FALSE;

  return _ih_store_apply (store, merged, error);
}

gboolean
_ih_sync_store_apply_record (IhStore   *store,
                             IhRecord  *remote,
                             GError   **error)
{
  return apply_record (store, remote, FALSE, error);
}

/* Puts @key's record in @out after the records of the batch it refers
 * to, each once */
static void
order_records (GHashTable  *batch,
               GHashTable  *done,
               const char  *key,
               guint        depth,
               GPtrArray   *out)
{
  g_autoptr(GPtrArray) refs = NULL;
  gpointer own_key;
  IhRecord *record;

  if (!g_hash_table_lookup_extended (batch, key, &own_key, (gpointer *) &record) ||
      g_hash_table_contains (done, own_key))
    return;
  g_hash_table_add (done, own_key);

  refs = g_ptr_array_new_with_free_func (g_free);
  _ih_sync_record_refs (record, refs);
  for (guint i = 0; i < refs->len && depth < 64; i++)
    order_records (batch, done, refs->pdata[i], depth + 1, out);
  g_ptr_array_add (out, record);
}

static gboolean
conflict_resolved_locally (IhStore     *store,
                           const char  *conflict_id,
                           GError     **error)
{
  return _ih_sync_run (store, "UPDATE sync_conflict SET resolved = 1 WHERE id = ?", error, "s", conflict_id);
}

gboolean
_ih_sync_conflict_store (IhStore     *store,
                         JsonObject  *conflict,
                         GError     **error)
{
  const char *id, *type, *record_id;
  g_autofree char *fields = NULL;
  g_autofree char *winner = NULL;
  g_autofree char *loser = NULL;
  g_autoptr(IhRecord) w = NULL;
  g_autoptr(IhRecord) l = NULL;
  JsonArray *array;
  JsonNode *node;
  const char *loser_author = NULL;
  gint64 rev;
  gboolean resolved;

  if (!(id = get_string (conflict, "id", error)) ||
      !(type = get_string (conflict, "type", error)) ||
      !(record_id = get_string (conflict, "record_id", error)) ||
      !(array = get_array (conflict, "fields", error)) ||
      !get_int (conflict, "rev", &rev, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (json_array_get_string_element (array, i) == NULL)
      return protocol_error (error, "fields", _("a list of field names"));
  node = json_object_get_member (conflict, "resolved");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return protocol_error (error, "resolved", _("true or false"));
  resolved = json_node_get_boolean (node);
  node = json_object_get_member (conflict, "loser_author");
  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    loser_author = json_node_get_string (node);
  for (guint i = 0; i < 2; i++)
    {
      const char *member = i ? "loser" : "winner";
      JsonObject *object;
      IhRecord *r;

      node = json_object_get_member (conflict, member);
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return protocol_error (error, member, _("a record"));
      object = json_node_get_object (node);
      r = ih_record_from_json (object, error);
      if (r == NULL)
        {
          g_prefix_error (error, _("The conflict’s %s: "), member);
          return FALSE;
        }
      *(i ? &l : &w) = r;
      *(i ? &loser : &winner) = ih_json_to_string (node);
    }
  node = json_object_get_member (conflict, "fields");
  fields = ih_json_to_string (node);

  return _ih_sync_run (store,
                       "INSERT OR REPLACE INTO sync_conflict"
                       " (id, type, record_id, fields, winner, loser, loser_author, rev, resolved)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       error, "sssssssii", id, type, record_id, fields, winner, loser, loser_author,
                       rev, (gint64) resolved);
}

/* Forgets the cursor and queues everything again: the server was
 * restored from a backup. Nothing is deleted. */
static gboolean
epoch_reset (IhStore     *store,
             const char  *epoch,
             GError     **error)
{
  return queue_everything (store, TRUE, error) &&
         _ih_sync_run (store, "UPDATE sync_state SET epoch = ?, cursor = 0", error, "s", epoch);
}

static void
record_key_free (gpointer data)
{
  ih_record_free (data);
}

/* A batch of the change feed checked and turned into records, ready to be
 * applied: made without the store, so in any thread */
struct _IhSyncPulled
{
  char       *epoch;
  JsonArray  *purged;
  JsonArray  *conflicts;
  GHashTable *records;          /* "type/id" → IhRecord */
  GPtrArray  *order;            /* IhRecord in records, each after those it refers to */
  gint64      cursor;
  gboolean    more;
};

void
_ih_sync_pulled_free (IhSyncPulled *pulled)
{
  if (pulled == NULL)
    return;
  g_clear_pointer (&pulled->records, g_hash_table_unref);
  g_clear_pointer (&pulled->order, g_ptr_array_unref);
  g_clear_pointer (&pulled->purged, json_array_unref);
  g_clear_pointer (&pulled->conflicts, json_array_unref);
  g_free (pulled->epoch);
  g_free (pulled);
}

gint64
_ih_sync_pulled_get_cursor (const IhSyncPulled *pulled)
{
  return pulled->cursor;
}

gboolean
_ih_sync_pulled_get_more (const IhSyncPulled *pulled)
{
  return pulled->more;
}

IhSyncPulled *
_ih_sync_pull_prepare (JsonObject  *batch,
                       GError     **error)
{
  g_autoptr(IhSyncPulled) pulled = g_new0 (IhSyncPulled, 1);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *changes, *purged, *conflicts;
  const char *epoch;
  JsonNode *node;

  pulled->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, record_key_free);
  pulled->order = g_ptr_array_new ();

  /* Everything is checked before anything is written. What is kept
   * does not hold on to the batch: its records' JSON is freed by the
   * caller, in the caller's thread. */
  if (!(epoch = get_string (batch, "epoch", error)) ||
      !(changes = get_array (batch, "changes", error)) ||
      !(purged = get_array (batch, "purged", error)) ||
      !(conflicts = get_array (batch, "conflicts", error)) ||
      !get_int (batch, "cursor", &pulled->cursor, error))
    return NULL;
  pulled->epoch = g_strdup (epoch);
  pulled->purged = json_array_ref (purged);
  pulled->conflicts = json_array_ref (conflicts);
  node = json_object_get_member (batch, "more");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return protocol_error (error, "more", _("true or false")), NULL;
  pulled->more = json_node_get_boolean (node);

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonNode *item = json_array_get_element (changes, i);
      IhRecord *record;
      char *key;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        return protocol_error (error, "changes", _("a list of records")), NULL;
      record = ih_record_from_json (json_node_get_object (item), error);
      /* Checked here, off the thread that applies it (the store checks
       * only what it is not told was checked) */
      if (record != NULL && !ih_record_validate (record, error))
        g_clear_pointer (&record, ih_record_free);
      if (record == NULL)
        {
          g_prefix_error (error, _("Change %u from the server: "), i + 1);
          return NULL;
        }
      key = _ih_sync_key (record->klass->name, record->id);
      g_ptr_array_add (keys, key);
      g_hash_table_replace (pulled->records, g_strdup (key), record);
    }
  /* The order to apply them in is worked out here, not while the store
   * is held */
  for (guint i = 0; i < keys->len; i++)
    order_records (pulled->records, done, keys->pdata[i], 0, pulled->order);
  for (guint i = 0; i < json_array_get_length (pulled->purged); i++)
    {
      JsonNode *item = json_array_get_element (pulled->purged, i);

      if (!JSON_NODE_HOLDS_OBJECT (item) ||
          !get_string (json_node_get_object (item), "type", error) ||
          !get_string (json_node_get_object (item), "id", error) ||
          !ih_record_class_lookup (json_object_get_string_member (json_node_get_object (item), "type")))
        {
          g_clear_error (error);
          return protocol_error (error, "purged", _("a list of {type, id}")), NULL;
        }
    }
  for (guint i = 0; i < json_array_get_length (pulled->conflicts); i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (pulled->conflicts, i)))
      return protocol_error (error, "conflicts", _("a list of conflicts")), NULL;

  return g_steal_pointer (&pulled);
}

gboolean
_ih_sync_pull_apply (IhStore       *store,
                     IhSyncPulled  *pulled,
                     IhSyncStats   *stats,
                     GError       **error)
{
  g_autofree char *old_epoch = NULL;
  gint64 old_cursor = 0;
  sqlite3_stmt *stmt;
  gboolean have_state = FALSE;
  gboolean outbox_empty;

  g_assert (IH_IS_STORE (store));
  g_assert (pulled != NULL && stats != NULL);

  memset (stats, 0, sizeof *stats);
  stats->more = pulled->more;
  stats->cursor = pulled->cursor;

  if (!ih_store_begin (store, error))
    return FALSE;

  stmt = _ih_store_prepare (store, "SELECT epoch, cursor FROM sync_state", error);
  if (stmt == NULL)
    goto fail;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      have_state = TRUE;
      old_epoch = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      old_cursor = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (!have_state)
    {
      not_set_up (error);
      goto fail;
    }

  if (old_epoch != NULL && strcmp (old_epoch, pulled->epoch) != 0)
    {
      if (!epoch_reset (store, pulled->epoch, error))
        goto fail;
      stats->epoch_changed = TRUE;
      stats->cursor = 0;
      stats->more = TRUE;
      return ih_store_commit (store, error);
    }

  if (pulled->cursor < old_cursor)
    {
      protocol_error (error, "cursor", _("no smaller than the one asked for"));
      goto fail;
    }

  for (guint i = 0; i < json_array_get_length (pulled->purged); i++)
    {
      JsonObject *item = json_array_get_object_element (pulled->purged, i);

      if (!purge_local (store, json_object_get_string_member (item, "type"),
                        json_object_get_string_member (item, "id"), error))
        goto fail;
      stats->purged++;
    }

  /* Applying never queues anything, so an outbox empty now stays empty
   * for the whole batch: no record has a pending change to look up (the
   * usual case of a first sync, and of a laptop that only reads) */
  stmt = _ih_store_prepare (store, "SELECT 1 FROM sync_outbox LIMIT 1", error);
  if (stmt == NULL)
    goto fail;
  outbox_empty = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_reset (stmt);

  for (guint i = 0; i < pulled->order->len; i++)
    {
      IhRecord *record = pulled->order->pdata[i];

      if (!apply_record (store, record, outbox_empty, error))
        {
          g_prefix_error (error, _("Could not apply the %s “%s” from the server: "),
                          record->klass->name, record->id);
          goto fail;
        }
      stats->applied++;
    }

  for (guint i = 0; i < json_array_get_length (pulled->conflicts); i++)
    {
      if (!_ih_sync_conflict_store (store, json_array_get_object_element (pulled->conflicts, i), error))
        goto fail;
      stats->conflicts++;
    }

  if (!_ih_sync_run (store, "UPDATE sync_state SET epoch = ?, cursor = ?, last_sync = ?", error,
                     "sii", pulled->epoch, pulled->cursor, ih_now_ms ()))
    goto fail;

  return ih_store_commit (store, error);

fail:
  ih_store_rollback (store);
  return FALSE;
}

gboolean
ih_sync_apply_pull (IhStore      *store,
                    JsonObject   *batch,
                    IhSyncStats  *stats,
                    GError      **error)
{
  g_autoptr(IhSyncPulled) pulled = NULL;
  IhSyncStats local_stats = { 0 };

  g_return_val_if_fail (IH_IS_STORE (store), FALSE);
  g_return_val_if_fail (batch != NULL, FALSE);

  if (stats == NULL)
    stats = &local_stats;
  memset (stats, 0, sizeof *stats);

  pulled = _ih_sync_pull_prepare (batch, error);
  if (pulled == NULL)
    return FALSE;
  return _ih_sync_pull_apply (store, pulled, stats, error);
}

gboolean
ih_sync_push_done (IhStore     *store,
                   JsonObject  *reply,
                   GError     **error)
{
  JsonArray *results;

  g_return_val_if_fail (IH_IS_STORE (store), FALSE);
  g_return_val_if_fail (reply != NULL, FALSE);

  if (!(results = get_array (reply, "results", error)))
    return FALSE;

  if (!ih_store_begin (store, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *item = json_array_get_element (results, i);
      JsonObject *result;
      const char *change_id, *type, *id, *status;
      g_autoptr(OutboxRow) row = NULL;
      g_autoptr(IhRecord) record = NULL;
      gboolean current;
      JsonNode *node;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          protocol_error (error, "results", _("a list of results"));
          goto fail;
        }
      result = json_node_get_object (item);
      if (!(change_id = get_string (result, "change_id", error)) ||
          !(type = get_string (result, "type", error)) ||
          !(id = get_string (result, "id", error)) ||
          !(status = get_string (result, "status", error)))
        goto fail;
      if (ih_record_class_lookup (type) == NULL)
        {
          protocol_error (error, "type", _("a record type"));
          goto fail;
        }

      row = outbox_get (store, type, id);
      current = row != NULL && strcmp (row->change_id, change_id) == 0;

      if (strcmp (status, "refused") == 0)
        {
          const char *reason = get_string (result, "reason", error);
          const char *message;

          if (reason == NULL)
            goto fail;
          message = json_object_has_member (result, "message") ?
                    json_object_get_string_member_with_default (result, "message", reason) : reason;
          if (strcmp (reason, "purged") == 0)
            {
              if (!purge_local (store, type, id, error))
                goto fail;
            }
          else if (strcmp (reason, "missing-reference") == 0)
            {
              /* Sent again with the next push, when what it refers to is there */
              if (current && !_ih_sync_run (store, "UPDATE sync_outbox SET sent = 0 WHERE seq = ?", error,
                                            "i", row->seq))
                goto fail;
            }
          else if (current)
            {
              g_autofree char *text = g_strdup_printf ("%s: %s", reason, message);

              if (!_ih_sync_run (store, "UPDATE sync_outbox SET refused = ? WHERE seq = ?", error,
                                 "si", text, row->seq))
                goto fail;
            }
          continue;
        }

      if (strcmp (status, "accepted") != 0 && strcmp (status, "merged") != 0 &&
          strcmp (status, "conflict") != 0)
        {
          protocol_error (error, "status", _("accepted, merged, conflict or refused"));
          goto fail;
        }

      if (json_object_get_boolean_member_with_default (result, "purged", FALSE))
        {
          if (!purge_local (store, type, id, error))
            goto fail;
          continue;
        }

      if (current)
        {
          if (row->resolves && !conflict_resolved_locally (store, row->resolves, error))
            goto fail;
          if (!outbox_delete (store, type, id, error))
            goto fail;
        }
      else if (row != NULL)
        {
          gint64 rev = 0;

          /* Edited again since: what was sent is now the base */
          if (get_int (result, "rev", &rev, NULL) && rev > row->base_rev &&
              !_ih_sync_run (store, "UPDATE sync_outbox SET base_rev = ? WHERE seq = ?", error,
                             "ii", rev, row->seq))
            goto fail;
        }

      node = json_object_get_member (result, "record");
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          record = ih_record_from_json (json_node_get_object (node), error);
          if (record == NULL || !_ih_sync_store_apply_record (store, record, error))
            goto fail;
        }
      node = json_object_get_member (result, "conflict");
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
          !_ih_sync_conflict_store (store, json_node_get_object (node), error))
        goto fail;
    }

  return ih_store_commit (store, error);

fail:
  ih_store_rollback (store);
  return FALSE;
}

/*
 * Conflicts
 */

void
ih_sync_conflict_free (IhSyncConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->id);
  g_free (conflict->record_id);
  g_strfreev (conflict->fields);
  ih_record_free (conflict->winner);
  ih_record_free (conflict->loser);
  g_free (conflict->loser_author);
  g_free (conflict);
}

static IhRecord *
record_from_text (const char *text)
{
  g_autoptr(JsonNode) node = text ? ih_json_from_string (text, "record", NULL) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return ih_record_from_json (json_node_get_object (node), NULL);
}

GPtrArray *
ih_sync_list_conflicts (IhStore   *store,
                        gboolean   unresolved_only,
                        GError   **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) ih_sync_conflict_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  _ih_store_lock (store);
  stmt = _ih_store_prepare (store,
                            "SELECT id, type, record_id, fields, winner, loser, loser_author, rev, resolved"
                            " FROM sync_conflict WHERE resolved = 0 OR NOT ? ORDER BY rev, id",
                            error);
  if (stmt == NULL)
    {
      _ih_store_unlock (store);
      return NULL;
    }
  sqlite3_bind_int (stmt, 1, unresolved_only);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      IhSyncConflict *c = g_new0 (IhSyncConflict, 1);

      c->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      c->klass = ih_record_class_lookup ((const char *) sqlite3_column_text (stmt, 1));
      c->record_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      c->fields = strv_from_json ((const char *) sqlite3_column_text (stmt, 3));
      c->winner = record_from_text ((const char *) sqlite3_column_text (stmt, 4));
      c->loser = record_from_text ((const char *) sqlite3_column_text (stmt, 5));
      c->loser_author = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      c->rev = sqlite3_column_int64 (stmt, 7);
      c->resolved = sqlite3_column_int (stmt, 8) != 0;
      g_ptr_array_add (list, c);
    }
  sqlite3_reset (stmt);
  _ih_store_unlock (store);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, IH_SYNC_ERROR, IH_SYNC_ERROR_PROTOCOL, _("Could not read the conflicts"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

JsonObject *
_ih_sync_conflict_to_json (IhStore     *store,
                           const char  *conflict_id,
                           GError     **error)
{
  sqlite3_stmt *stmt;
  JsonObject *object = NULL;

  stmt = _ih_store_prepare (store,
                            "SELECT id, type, record_id, fields, winner, loser, loser_author, rev, resolved"
                            " FROM sync_conflict WHERE id = ?",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, conflict_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      object = json_object_new ();
      json_object_set_string_member (object, "id", (const char *) sqlite3_column_text (stmt, 0));
      json_object_set_string_member (object, "type", (const char *) sqlite3_column_text (stmt, 1));
      json_object_set_string_member (object, "record_id", (const char *) sqlite3_column_text (stmt, 2));
      for (int col = 3; col <= 5; col++)
        {
          static const char * const names[] = { "fields", "winner", "loser" };
          JsonNode *node = ih_json_from_string ((const char *) sqlite3_column_text (stmt, col),
                                                names[col - 3], NULL);
          if (node == NULL)
            node = json_node_new (JSON_NODE_NULL);
          json_object_set_member (object, names[col - 3], node);
        }
      if (sqlite3_column_type (stmt, 6) == SQLITE_NULL)
        json_object_set_null_member (object, "loser_author");
      else
        json_object_set_string_member (object, "loser_author", (const char *) sqlite3_column_text (stmt, 6));
      json_object_set_int_member (object, "rev", sqlite3_column_int64 (stmt, 7));
      json_object_set_boolean_member (object, "resolved", sqlite3_column_int (stmt, 8) != 0);
    }
  else
    g_set_error (error, IH_SYNC_ERROR, IH_SYNC_ERROR_NOT_FOUND,
                 _("There is no conflict with id “%s”"), conflict_id);
  sqlite3_reset (stmt);
  return object;
}

gboolean
ih_sync_resolve_conflict (IhStore      *store,
                          const char   *conflict_id,
                          gpointer      data,
                          GError      **error)
{
  IhRecord *record = data;
  g_autoptr(OutboxRow) row = NULL;
  g_autofree char *type = NULL;
  g_autofree char *record_id = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (IH_IS_STORE (store), FALSE);
  g_return_val_if_fail (conflict_id != NULL, FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  if (!ih_store_begin (store, error))
    return FALSE;

  stmt = _ih_store_prepare (store, "SELECT type, record_id FROM sync_conflict WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, conflict_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      type = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      record_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (type == NULL || strcmp (type, record->klass->name) != 0 || strcmp (record_id, record->id) != 0)
    {
      g_set_error (error, IH_SYNC_ERROR, IH_SYNC_ERROR_NOT_FOUND,
                   _("There is no conflict “%s” about this %s"), conflict_id, record->klass->name);
      goto fail;
    }

  if (!_ih_store_save_in_transaction (store, record, error))
    goto fail;

  /* Keeping the winner as it is changes no field: still a change to send */
  row = outbox_get (store, type, record_id);
  if (row == NULL)
    {
      g_autofree char *change_id = g_uuid_string_random ();
      gint64 rid;
      gint64 rev = local_rev (store, record->klass, record->id, &rid);

      if (!_ih_sync_run (store,
                         "INSERT INTO sync_outbox (type, id, change_id, base_rev, changed_fields, resolves)"
                         " VALUES (?, ?, ?, ?, '[]', ?)",
                         error, "sssis", type, record_id, change_id, rev, conflict_id))
        goto fail;
    }
  else
    {
      /* A change already sent went without the resolution: a new one */
      g_autofree char *change_id = row->sent ? g_uuid_string_random () : g_strdup (row->change_id);

      if (!_ih_sync_run (store, "UPDATE sync_outbox SET resolves = ?, change_id = ?, sent = 0, refused = NULL"
                         " WHERE seq = ?", error, "ssi", conflict_id, change_id, row->seq))
        goto fail;
    }

  return ih_store_commit (store, error);

fail:
  ih_store_rollback (store);
  return FALSE;
}

/*
 * Papers' files
 */

static GStrv
blobs_query (IhStore    *store,
             const char *sql,
             gboolean    want_present)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(IhBlobs) blobs = ih_papers_get_blobs (store);
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  _ih_store_lock (store);
  stmt = _ih_store_prepare (store, sql, NULL);
  if (stmt != NULL)
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (hashes, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      sqlite3_reset (stmt);
    }
  _ih_store_unlock (store);

  for (guint i = 0; i < hashes->len; i++)
    if (ih_blobs_is_valid_hash (hashes->pdata[i]) &&
        !ih_blobs_has (blobs, hashes->pdata[i]) == !want_present)
      g_strv_builder_add (builder, hashes->pdata[i]);
  return g_strv_builder_end (builder);
}

GStrv
_ih_sync_blobs_to_send (IhStore *store)
{
  return blobs_query (store,
                      "SELECT DISTINCT p.sha256 FROM sync_outbox o JOIN paper p ON p.id = o.id"
                      " WHERE o.type = 'paper' AND o.refused IS NULL AND p.deleted = 0"
                      "  AND p.sha256 IS NOT NULL",
                      TRUE);
}

GStrv
_ih_sync_blobs_to_fetch (IhStore *store)
{
  return blobs_query (store,
                      "SELECT DISTINCT p.sha256 FROM paper p"
                      " JOIN meeting_offline m ON m.meeting_rid = p.meeting_rid"
                      " WHERE p.deleted = 0 AND p.sha256 IS NOT NULL",
                      FALSE);
}
