/* ih-papers.c — board meetings and their papers in the store
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-papers"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ih-papers.h"
#include "ih-papers-schema.h"
#include "ih-search.h"
#include "ih-store-private.h"

static gint64
paper_rid (IhStore     *store,
           const char  *paper_id)
{
  sqlite3_stmt *stmt;
  gint64 rid = 0;

  stmt = _ih_store_prepare (store, "SELECT rid FROM paper WHERE id = ?", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, paper_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    rid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return rid;
}

static gboolean
step_done (IhStore       *store,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _ih_store_set_error (store, error, _("Could not save the paper"));
  return TRUE;
}

gboolean
ih_papers_save (IhStore    *store,
                IhPaper    *paper,
                GPtrArray  *page_texts,
                GError    **error)
{
  sqlite3_stmt *stmt;
  gint64 rid;

  g_return_val_if_fail (IH_IS_STORE (store), FALSE);
  g_return_val_if_fail (paper != NULL && paper->parent.klass == &ih_paper_class, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (page_texts != NULL && page_texts->len > IH_PAPER_MAX_PAGES)
    {
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID,
                   _("“%s” has %u pages, more than the %d a paper may have"),
                   paper->title ? paper->title : "", page_texts->len, IH_PAPER_MAX_PAGES);
      return FALSE;
    }
  if (paper->sha256 != NULL && !ih_blobs_is_valid_hash (paper->sha256))
    {
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID,
                   _("The paper’s file hash “%s” is not 64 lowercase hexadecimal digits"),
                   paper->sha256);
      return FALSE;
    }

  if (!ih_store_begin (store, error))
    return FALSE;

  if (page_texts != NULL)
    paper->page_count = page_texts->len;

  if (!ih_store_save (store, paper, error))
    goto fail;

  if (page_texts == NULL)
    return ih_store_commit (store, error);

  rid = paper_rid (store, paper->parent.id);
  g_assert (rid != 0);

  stmt = _ih_store_prepare (store, "DELETE FROM paper_page WHERE paper_rid = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, rid);
  if (!step_done (store, stmt, error))
    goto fail;

  for (guint i = 0; i < page_texts->len; i++)
    {
      const char *text = page_texts->pdata[i];

      if (text != NULL && !g_utf8_validate (text, -1, NULL))
        {
          g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID,
                       _("The text of page %u of “%s” is not valid UTF-8"), i + 1,
                       paper->title);
          goto fail;
        }

      stmt = _ih_store_prepare (store,
                                "INSERT INTO paper_page (paper_rid, page, text) VALUES (?, ?, ?)",
                                error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, rid);
      sqlite3_bind_int (stmt, 2, (int) i + 1);
      sqlite3_bind_text (stmt, 3, text ? text : "", -1, SQLITE_STATIC);
      if (!step_done (store, stmt, error))
        goto fail;
    }

  return ih_store_commit (store, error);

fail:
  ih_store_rollback (store);
  return FALSE;
}

char *
ih_papers_get_page_text (IhStore     *store,
                         const char  *paper_id,
                         int          page,
                         GError     **error)
{
  sqlite3_stmt *stmt;
  char *text = NULL;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  g_return_val_if_fail (paper_id != NULL, NULL);

  _ih_store_lock (store);
  stmt = _ih_store_prepare (store,
                            "SELECT coalesce (pp.text, '') FROM paper_page pp"
                            " JOIN paper p ON p.rid = pp.paper_rid WHERE p.id = ? AND pp.page = ?",
                            error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, paper_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 2, page);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      else
        g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_FOUND,
                     _("The paper has no page %d"), page);
      sqlite3_reset (stmt);
    }
  _ih_store_unlock (store);

  return text;
}

/* Runs @sql (one text parameter, may be NULL) and loads the records whose
 * ids it selects */
static GPtrArray *
load_selected (IhStore             *store,
               const IhRecordClass *klass,
               const char          *sql,
               const char          *param,
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
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ih_store_set_error (store, error, _("Could not read"));
      _ih_store_unlock (store);
      return NULL;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      gpointer record = ih_store_load (store, klass, ids->pdata[i], error);

      if (record == NULL)
        {
          _ih_store_unlock (store);
          return NULL;
        }
      g_ptr_array_add (records, record);
    }
  _ih_store_unlock (store);

  return g_steal_pointer (&records);
}

IhPaper *
ih_papers_find_by_sha256 (IhStore     *store,
                          const char  *sha256,
                          GError     **error)
{
  g_autoptr(GPtrArray) found = NULL;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  if (!ih_blobs_is_valid_hash (sha256))
    return NULL;

  found = load_selected (store, &ih_paper_class,
                         "SELECT id FROM paper WHERE sha256 = ? AND deleted = 0 ORDER BY rid LIMIT 1",
                         sha256, error);
  if (found == NULL || found->len == 0)
    return NULL;

  return g_ptr_array_steal_index (found, 0);
}

GPtrArray *
ih_papers_list_meetings (IhStore     *store,
                         const char  *today,
                         GError     **error)
{
  g_autofree char *now = NULL;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  if (today == NULL)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_now_local ();

      now = g_date_time_format (dt, "%Y-%m-%d");
      today = now;
    }

  return load_selected (store, &ih_meeting_class,
                        "SELECT id FROM meeting WHERE deleted = 0 ORDER BY"
                        " CASE WHEN date >= ?1 THEN 0 WHEN date IS NOT NULL THEN 1 ELSE 2 END,"
                        " CASE WHEN date >= ?1 THEN date END ASC,"
                        " date DESC, body COLLATE NOCASE, rid",
                        today, error);
}

GPtrArray *
ih_papers_list_papers (IhStore     *store,
                       const char  *meeting_id,
                       GError     **error)
{
  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  if (meeting_id == NULL)
    return load_selected (store, &ih_paper_class,
                          "SELECT id FROM paper WHERE deleted = 0 ORDER BY title COLLATE NOCASE, rid",
                          NULL, error);

  return load_selected (store, &ih_paper_class,
                        "SELECT p.id FROM paper p JOIN meeting m ON m.rid = p.meeting_rid"
                        " WHERE m.id = ? AND p.deleted = 0 ORDER BY p.title COLLATE NOCASE, p.rid",
                        meeting_id, error);
}

GPtrArray *
ih_papers_list_questions (IhStore     *store,
                          const char  *meeting_id,
                          GError     **error)
{
  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  g_return_val_if_fail (meeting_id != NULL, NULL);

  return load_selected (store, &ih_question_class,
                        "SELECT q.id FROM question q JOIN meeting m ON m.rid = q.meeting_rid"
                        " WHERE m.id = ? AND q.deleted = 0"
                        " ORDER BY q.asked_date IS NULL, q.asked_date, q.created_at, q.rid",
                        meeting_id, error);
}

gboolean
ih_papers_set_meeting_offline (IhStore     *store,
                               const char  *meeting_id,
                               gboolean     offline,
                               GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (IH_IS_STORE (store), FALSE);
  g_return_val_if_fail (meeting_id != NULL, FALSE);

  _ih_store_lock (store);
  if (!ih_store_exists (store, &ih_meeting_class, meeting_id))
    {
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_FOUND,
                   _("There is no meeting “%s”"), meeting_id);
      _ih_store_unlock (store);
      return FALSE;
    }

  stmt = _ih_store_prepare (store,
                            offline
                            ? "INSERT OR IGNORE INTO meeting_offline (meeting_rid)"
                              " SELECT rid FROM meeting WHERE id = ?"
                            : "DELETE FROM meeting_offline WHERE meeting_rid ="
                              " (SELECT rid FROM meeting WHERE id = ?)",
                            error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, meeting_id, -1, SQLITE_TRANSIENT);
      ok = step_done (store, stmt, error);
    }
  _ih_store_unlock (store);

  return ok;
}

gboolean
ih_papers_get_meeting_offline (IhStore    *store,
                               const char *meeting_id)
{
  sqlite3_stmt *stmt;
  gboolean offline = FALSE;

  g_return_val_if_fail (IH_IS_STORE (store), FALSE);
  g_return_val_if_fail (meeting_id != NULL, FALSE);

  _ih_store_lock (store);
  stmt = _ih_store_prepare (store,
                            "SELECT 1 FROM meeting_offline o JOIN meeting m ON m.rid = o.meeting_rid"
                            " WHERE m.id = ?",
                            NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, meeting_id, -1, SQLITE_TRANSIENT);
      offline = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
    }
  _ih_store_unlock (store);

  return offline;
}

IhBlobs *
ih_papers_get_blobs (IhStore *store)
{
  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  return ih_blobs_new_for_database (ih_store_get_path (store));
}

char *
ih_papers_get_file (IhStore        *store,
                    const IhPaper  *paper,
                    GError        **error)
{
  g_autoptr(IhBlobs) blobs = NULL;
  g_autoptr(GError) local_error = NULL;
  char *path;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  g_return_val_if_fail (paper != NULL, NULL);

  if (paper->sha256 == NULL)
    {
      g_set_error (error, IH_BLOBS_ERROR, IH_BLOBS_ERROR_MISSING,
                   _("“%s” has no file"), paper->title);
      return NULL;
    }

  blobs = ih_papers_get_blobs (store);
  path = ih_blobs_get_path (blobs, paper->sha256, &local_error);
  if (path == NULL && g_error_matches (local_error, IH_BLOBS_ERROR, IH_BLOBS_ERROR_MISSING))
    {
      g_set_error (error, IH_BLOBS_ERROR, IH_BLOBS_ERROR_MISSING,
                   _("“%s” is not on this computer: it will be downloaded at the next sync"),
                   paper->title);
      return NULL;
    }
  if (path == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));

  return path;
}

void
ih_paper_hit_free (IhPaperHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->paper_id);
  g_free (hit->paper_title);
  g_free (hit->meeting_id);
  g_free (hit->meeting_label);
  g_free (hit->meeting_date);
  g_free (hit->snippet);
  g_free (hit);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup (text) : NULL;
}

GPtrArray *
ih_papers_search (IhStore       *store,
                  const char    *text,
                  IhQueryFlags   flags,
                  guint          offset,
                  guint          limit,
                  GError       **error)
{
  g_autoptr(IhQuery) query = NULL;
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) ih_paper_hit_free);
  const char *match;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  query = ih_query_parse (text, flags, error);
  if (query == NULL)
    return NULL;
  if (ih_query_is_empty (query) || limit == 0)
    return g_steal_pointer (&hits);

  /* Only dates: every page of the meetings in range */
  match = ih_query_get_match (query);
  if (match == NULL)
    match = "tags : \"ihall\"";

  _ih_store_lock (store);
  stmt = _ih_store_prepare (store,
                            "SELECT p.id, p.title, m.id, m.body, m.title, m.date,"
                            "  f.rowid & 1048575,"
                            "  snippet (paper_fts, 0, '" IH_HIT_MARK_START "', '" IH_HIT_MARK_END "', '…', 16),"
                            "  f.rank"
                            " FROM paper_fts f"
                            " JOIN paper p ON p.rid = f.rowid >> 20"
                            " LEFT JOIN meeting m ON m.rid = p.meeting_rid"
                            " WHERE paper_fts MATCH ?1"
                            "  AND (?2 IS NULL OR m.date >= ?2)"
                            "  AND (?3 IS NULL OR m.date < ?3)"
                            " ORDER BY f.rank, f.rowid"
                            " LIMIT ?4 OFFSET ?5",
                            error);
  if (stmt == NULL)
    {
      _ih_store_unlock (store);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);
  if (ih_query_get_after (query) != NULL)
    sqlite3_bind_text (stmt, 2, ih_query_get_after (query), -1, SQLITE_TRANSIENT);
  if (ih_query_get_before (query) != NULL)
    sqlite3_bind_text (stmt, 3, ih_query_get_before (query), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, limit);
  sqlite3_bind_int64 (stmt, 5, offset);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      IhPaperHit *hit = g_new0 (IhPaperHit, 1);
      const char *body = (const char *) sqlite3_column_text (stmt, 3);
      const char *date = (const char *) sqlite3_column_text (stmt, 5);

      hit->paper_id = column_dup (stmt, 0);
      hit->paper_title = column_dup (stmt, 1);
      hit->meeting_id = column_dup (stmt, 2);
      if (body != NULL)
        hit->meeting_label = date ? g_strdup_printf ("%s — %s", body, date) : g_strdup (body);
      hit->meeting_date = column_dup (stmt, 5);
      hit->page = sqlite3_column_int (stmt, 6);
      hit->snippet = column_dup (stmt, 7);
      hit->score = sqlite3_column_double (stmt, 8);
      g_ptr_array_add (hits, hit);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ih_store_set_error (store, error, _("Could not search the papers"));
      _ih_store_unlock (store);
      return NULL;
    }
  _ih_store_unlock (store);

  return g_steal_pointer (&hits);
}
