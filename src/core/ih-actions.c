/* ih-actions.c — both directions of the action_insight link
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-actions"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ih-actions.h"
#include "ih-store-private.h"

static GPtrArray *
load_ids (IhStore             *store,
          const IhRecordClass *klass,
          const char          *sql,
          const char          *id,
          GError             **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (ih_record_free);
  sqlite3_stmt *stmt;
  int rc;

  _ih_store_lock (store);
  stmt = _ih_store_prepare (store, sql, error);
  if (stmt == NULL)
    {
      _ih_store_unlock (store);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ih_store_set_error (store, error, _("Could not read the actions"));
      _ih_store_unlock (store);
      return NULL;
    }
  _ih_store_unlock (store);

  for (guint i = 0; i < ids->len; i++)
    {
      gpointer record = ih_store_load (store, klass, g_ptr_array_index (ids, i), error);

      if (record == NULL)
        return NULL;
      g_ptr_array_add (records, record);
    }
  return g_steal_pointer (&records);
}

GPtrArray *
ih_actions_for_insight (IhStore     *store,
                        const char  *insight_id,
                        GError     **error)
{
  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  g_return_val_if_fail (insight_id != NULL, NULL);

  return load_ids (store, &ih_action_class,
                   "SELECT a.id FROM insight i"
                   " JOIN action_insight l ON l.insight_rid = i.rid"
                   " JOIN action a ON a.rid = l.action_rid"
                   " WHERE i.id = ? AND a.deleted = 0 ORDER BY a.created_at, a.rid",
                   insight_id, error);
}

GPtrArray *
ih_actions_insights (IhStore     *store,
                     const char  *action_id,
                     GError     **error)
{
  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  g_return_val_if_fail (action_id != NULL, NULL);

  return load_ids (store, &ih_insight_class,
                   "SELECT i.id FROM action a"
                   " JOIN action_insight l ON l.action_rid = a.rid"
                   " JOIN insight i ON i.rid = l.insight_rid"
                   " WHERE a.id = ? AND i.deleted = 0 AND i.consent IS NOT 'withdrawn'"
                   " ORDER BY i.date, i.rid",
                   action_id, error);
}

static gboolean
change_link (IhStore     *store,
             const char  *action_id,
             const char  *insight_id,
             gboolean     link,
             GError     **error)
{
  g_autoptr(IhAction) action = NULL;
  g_autoptr(IhInsight) insight = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  gboolean present = FALSE;
  gboolean ok;

  if (!ih_store_begin (store, error))
    return FALSE;

  action = ih_store_load (store, &ih_action_class, action_id, error);
  if (action == NULL)
    goto fail;
  if (action->parent.deleted)
    {
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID,
                   _("The action “%s” has been deleted"), action->title);
      goto fail;
    }
  insight = ih_store_load (store, &ih_insight_class, insight_id, error);
  if (insight == NULL)
    goto fail;
  if (link && insight->parent.deleted)
    {
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID,
                   _("The insight “%s” has been deleted"), insight_id);
      goto fail;
    }
  if (link && g_strcmp0 (insight->consent, "withdrawn") == 0)
    {
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID,
                   _("Consent for the insight “%s” was withdrawn: it cannot be linked"), insight_id);
      goto fail;
    }

  for (guint i = 0; action->insight_ids && action->insight_ids[i]; i++)
    {
      if (strcmp (action->insight_ids[i], insight_id) == 0)
        {
          present = TRUE;
          if (!link)
            continue;
        }
      g_ptr_array_add (ids, action->insight_ids[i]);
    }

  if (present == link)
    return ih_store_commit (store, error);

  if (link)
    g_ptr_array_add (ids, (gpointer) insight_id);
  g_ptr_array_add (ids, NULL);
  {
    GStrv old = action->insight_ids;

    action->insight_ids = g_strdupv ((char **) ids->pdata);
    g_ptr_array_set_size (ids, 0);
    g_strfreev (old);
  }

  ok = _ih_store_save_in_transaction (store, action, error);
  if (!ok)
    goto fail;
  return ih_store_commit (store, error);

fail:
  ih_store_rollback (store);
  return FALSE;
}

gboolean
ih_actions_link (IhStore     *store,
                 const char  *action_id,
                 const char  *insight_id,
                 GError     **error)
{
  g_return_val_if_fail (IH_IS_STORE (store), FALSE);
  g_return_val_if_fail (action_id != NULL && insight_id != NULL, FALSE);

  return change_link (store, action_id, insight_id, TRUE, error);
}

gboolean
ih_actions_unlink (IhStore     *store,
                   const char  *action_id,
                   const char  *insight_id,
                   GError     **error)
{
  g_return_val_if_fail (IH_IS_STORE (store), FALSE);
  g_return_val_if_fail (action_id != NULL && insight_id != NULL, FALSE);

  return change_link (store, action_id, insight_id, FALSE, error);
}
