/* ih-store.c — the local SQLite store: schema, migrations, saving records
 * and keeping the search index in step
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-store"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ih-query.h"
#include "ih-rank-private.h"
#include "ih-store-private.h"
#include "ih-sync-private.h"

/* "IHub": marks our files so another program's SQLite file is refused */
#define IH_APPLICATION_ID 0x49487562

struct _IhStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  GRecMutex   lock;
  gint        lock_waiters;     /* threads waiting for the lock (atomic) */
  guint       bulk_depth;       /* _ih_store_bulk_begin() calls not yet ended */
  GHashTable *statements;       /* SQL text → sqlite3_stmt */
  guint       tx_depth;

  /* Insight whose index entry is written at commit: FTS5 writes its
   * pending terms out at every savepoint, so writing the index row by row
   * costs ten times more than one INSERT … SELECT per transaction. */
  GArray     *pending;          /* rids, in the order added */
  GHashTable *pending_set;      /* the same rids */
  GArray     *marks;            /* pending->len at each open savepoint */

  gboolean    sync_apply;       /* saving a record as the server sent it */
};

G_DEFINE_FINAL_TYPE (IhStore, ih_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (ih-store-error-quark, ih_store_error)

void (*_ih_store_test_hook) (const char *step);

static inline void
test_hook (const char *step)
{
  if G_UNLIKELY (_ih_store_test_hook != NULL)
    _ih_store_test_hook (step);
}


/*
 * Schema history. Each step is frozen once released: change the schema only
 * by adding a step.
 */

typedef gboolean (*MigrateFunc) (IhStore *self, GError **error);

static gboolean migrate_v2_index (IhStore *self, GError **error);

/* The paper page index (v3), kept in step by triggers: see ih-papers.c */
#include "ih-papers-schema.h"

#define RECORD_COLUMNS \
  "rid INTEGER PRIMARY KEY," \
  "id TEXT NOT NULL UNIQUE," \
  "created_at INTEGER NOT NULL," \
  "updated_at INTEGER NOT NULL," \
  "author TEXT," \
  "deleted INTEGER NOT NULL DEFAULT 0," \
  "rev INTEGER NOT NULL DEFAULT 0,"

static const struct
{
  int          version;
  const char  *sql;
  MigrateFunc  func;
} migrations[] = {
  {
    1,
    "CREATE TABLE theme (" RECORD_COLUMNS
    "  name TEXT NOT NULL,"
    "  parent_rid INTEGER REFERENCES theme (rid),"
    "  colour TEXT,"
    "  description TEXT);"
    "CREATE TABLE activity (" RECORD_COLUMNS
    "  title TEXT NOT NULL,"
    "  kind TEXT,"
    "  start_date TEXT,"
    "  end_date TEXT,"
    "  ics TEXT,"
    "  place TEXT,"
    "  locality TEXT,"
    "  partners TEXT,"
    "  programme TEXT,"
    "  communities TEXT,"
    "  attendance INTEGER,"
    "  status TEXT,"
    "  notes TEXT);"
    "CREATE TABLE insight (" RECORD_COLUMNS
    "  text TEXT NOT NULL,"
    "  kind TEXT,"
    "  activity_rid INTEGER REFERENCES activity (rid),"
    "  date TEXT,"
    "  sentiment TEXT,"
    "  age_band TEXT,"
    "  sex TEXT,"
    "  ethnic_group TEXT,"
    "  disability TEXT,"
    "  postcode_district TEXT,"
    "  consent TEXT,"
    "  restricted INTEGER NOT NULL DEFAULT 0,"
    "  status TEXT);"
    "CREATE INDEX insight_by_activity ON insight (activity_rid);"
    "CREATE INDEX insight_by_date ON insight (date);"
    "CREATE TABLE insight_theme ("
    "  insight_rid INTEGER NOT NULL REFERENCES insight (rid) ON DELETE CASCADE,"
    "  theme_rid INTEGER NOT NULL REFERENCES theme (rid) ON DELETE CASCADE,"
    "  PRIMARY KEY (insight_rid, theme_rid)) WITHOUT ROWID;"
    "CREATE INDEX insight_theme_by_theme ON insight_theme (theme_rid);"
    "CREATE TABLE action (" RECORD_COLUMNS
    "  title TEXT NOT NULL,"
    "  description TEXT,"
    "  owner TEXT,"
    "  status TEXT,"
    "  fed_back_date TEXT);"
    "CREATE TABLE action_insight ("
    "  action_rid INTEGER NOT NULL REFERENCES action (rid) ON DELETE CASCADE,"
    "  insight_rid INTEGER NOT NULL REFERENCES insight (rid) ON DELETE CASCADE,"
    "  PRIMARY KEY (action_rid, insight_rid)) WITHOUT ROWID;"
    "CREATE INDEX action_insight_by_insight ON action_insight (insight_rid);"
    "CREATE TABLE meeting (" RECORD_COLUMNS
    "  body TEXT NOT NULL,"
    "  title TEXT,"
    "  date TEXT,"
    "  place TEXT,"
    "  livestream_url TEXT,"
    "  notes TEXT);"
    "CREATE TABLE paper (" RECORD_COLUMNS
    "  meeting_rid INTEGER REFERENCES meeting (rid),"
    "  activity_rid INTEGER REFERENCES activity (rid),"
    "  title TEXT NOT NULL,"
    "  file_name TEXT,"
    "  sha256 TEXT,"
    "  size INTEGER,"
    "  page_count INTEGER);"
    "CREATE INDEX paper_by_activity ON paper (activity_rid);"
    "CREATE TABLE paper_page ("
    "  paper_rid INTEGER NOT NULL REFERENCES paper (rid) ON DELETE CASCADE,"
    "  page INTEGER NOT NULL,"
    "  text TEXT,"
    "  PRIMARY KEY (paper_rid, page)) WITHOUT ROWID;",
    NULL,
  },
  {
    /* Full-text search: the words of each insight, its context (activity
     * title, theme names) and filter tags, kept in step by triggers.
     * Tombstoned and withdrawn insight is left out of the index. */
    2,
    /* Full-text search. The index reads each insight through the view
     * insight_doc: its words; its context (activity title, theme names);
     * and filter tags (see docs/search.md), from tags stored once per
     * activity and theme rather than once per insight. Tombstoned and
     * withdrawn insight is not in the view, so never in the index. The
     * store keeps the index in step (index_* below), not triggers. */
    "ALTER TABLE activity ADD COLUMN tags TEXT;"
    "ALTER TABLE theme ADD COLUMN tags TEXT;"
    "CREATE VIEW insight_doc (rid, text, context, tags) AS"
    "  SELECT i.rid, i.text,"
    "    coalesce (a.title, '') || coalesce ((SELECT char (10) || group_concat (t.name, char (10))"
    "      FROM insight_theme it JOIN theme t ON t.rid = it.theme_rid"
    "      WHERE it.insight_rid = i.rid), ''),"
    "    'ihall' || coalesce (' kd' || replace (i.kind, '-', ''), '')"
    "      || coalesce (' se' || i.sentiment, '') || coalesce (' ' || nullif (a.tags, ''), '')"
    "      || coalesce ((SELECT ' ' || group_concat (t.tags, ' ')"
    "        FROM insight_theme it JOIN theme t ON t.rid = it.theme_rid"
    "        WHERE it.insight_rid = i.rid AND t.tags != ''), '')"
    "  FROM insight i LEFT JOIN activity a ON a.rid = i.activity_rid"
    "  WHERE i.deleted = 0 AND i.consent IS NOT 'withdrawn';"
    "CREATE VIRTUAL TABLE insight_fts USING fts5 (text, context, tags,"
    "  content='insight_doc', content_rowid='rid',"
    "  tokenize=\"porter unicode61 remove_diacritics 2\", prefix='2 3');"
    /* Words count most, the activity title and theme names less, tags not at all */
    "INSERT INTO insight_fts (insight_fts, rank) VALUES ('rank', 'bm25(1.0, 0.4, 0.0)');",
    migrate_v2_index,
  },
  {
    /* Board meetings and papers (docs/papers.md): agenda, patient story
     * and public questions; which meetings this computer keeps offline
     * (local, never synced); and a full-text index of paper pages. */
    3,
    "ALTER TABLE meeting ADD COLUMN agenda TEXT;"
    "ALTER TABLE meeting ADD COLUMN story_insight_rid INTEGER REFERENCES insight (rid);"
    "CREATE TABLE question (" RECORD_COLUMNS
    "  question TEXT NOT NULL,"
    "  meeting_rid INTEGER REFERENCES meeting (rid),"
    "  asked_by TEXT,"
    "  asked_date TEXT,"
    "  answer TEXT);"
    "CREATE INDEX question_by_meeting ON question (meeting_rid);"
    "CREATE INDEX paper_by_meeting ON paper (meeting_rid);"
    "CREATE INDEX paper_by_sha256 ON paper (sha256);"
    "CREATE INDEX meeting_by_date ON meeting (date);"
    "CREATE TABLE meeting_offline ("
    "  meeting_rid INTEGER PRIMARY KEY REFERENCES meeting (rid) ON DELETE CASCADE);"
    IH_STORE_PAPER_INDEX_SQL,
    NULL,
  },
  /* Sync bookkeeping (ih-sync-store.c, docs/protocol.md) */
  { 4, _IH_SYNC_SCHEMA_SQL, NULL },
  /* Population profiles (ih-population.c) */
  {
    5,
    /* The share of a place's population in each group of a characteristic
     * (age band, sex, ethnic group, disability, deprivation decile), e.g.
     * from census tables. Not a synced record: each desktop imports the
     * profiles it uses; a re-import replaces the place's whole profile. */
    "CREATE TABLE population_share ("
    "  place TEXT NOT NULL COLLATE NOCASE,"
    "  characteristic TEXT NOT NULL,"
    "  group_key TEXT NOT NULL,"
    "  share REAL NOT NULL CHECK (share >= 0 AND share <= 1),"
    "  source TEXT,"
    "  imported_at INTEGER NOT NULL,"
    "  PRIMARY KEY (place, characteristic, group_key)) WITHOUT ROWID;"
    /* The deprivation decile of each postcode district of a place, so a
     * respondent's district gives their decile */
    "CREATE TABLE population_district ("
    "  place TEXT NOT NULL COLLATE NOCASE,"
    "  district TEXT NOT NULL COLLATE NOCASE,"
    "  decile INTEGER NOT NULL CHECK (decile BETWEEN 1 AND 10),"
    "  PRIMARY KEY (place, district)) WITHOUT ROWID;",
    NULL,
  },
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == IH_STORE_SCHEMA_VERSION);

/*
 * Auxiliary methods
 */

gboolean
_ih_store_set_error (IhStore     *self,
                     GError     **error,
                     const char  *what)
{
  int code = sqlite3_extended_errcode (self->db) & 0xff;
  const char *msg = sqlite3_errmsg (self->db);
  IhStoreError e;

  switch (code)
    {
    case SQLITE_NOTADB:
      e = IH_STORE_ERROR_NOT_A_DATABASE;
      break;
    case SQLITE_CORRUPT:
      e = IH_STORE_ERROR_CORRUPT;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      e = IH_STORE_ERROR_BUSY;
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      e = IH_STORE_ERROR_OPEN;
      break;
    default:
      e = IH_STORE_ERROR_FAILED;
      break;
    }

  g_set_error (error, IH_STORE_ERROR, e, "%s: %s", what, msg);
  return FALSE;
}

static gboolean
exec (IhStore     *self,
      const char  *sql,
      GError     **error)
{
  char *errmsg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &errmsg) != SQLITE_OK)
    {
      gboolean ret = _ih_store_set_error (self, error, _("Database error"));
      sqlite3_free (errmsg);
      return ret;
    }
  return TRUE;
}

static gboolean
query_int (IhStore     *self,
           const char  *sql,
           gint64      *out,
           GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return _ih_store_set_error (self, error, _("Cannot read the database"));

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int64 (stmt, 0);
  else if (rc == SQLITE_DONE)
    *out = 0;
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _ih_store_set_error (self, error, _("Cannot read the database"));
  return TRUE;
}

/* Statements are looked up by their text a dozen times for every saved
 * record, and some are hundreds of characters long: hashing only their
 * length and their two ends, where they differ, keeps the lookup cheap
 * (g_str_hash took about 5 % of a first sync's applying). Equal keys are
 * still compared whole. */
#define STATEMENT_HASH_ENDS 40

static guint
statement_hash (gconstpointer key)
{
  const char *sql = key;
  size_t len = strlen (sql);
  size_t tail = len > 2 * STATEMENT_HASH_ENDS ? len - STATEMENT_HASH_ENDS : STATEMENT_HASH_ENDS;
  guint h = (guint) len;

  for (size_t i = 0; i < len && i < STATEMENT_HASH_ENDS; i++)
    h = h * 31 + (guchar) sql[i];
  for (size_t i = tail; i < len; i++)
    h = h * 31 + (guchar) sql[i];
  return h;
}

sqlite3_stmt *
_ih_store_prepare (IhStore     *self,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt;

  g_assert (IH_IS_STORE (self));

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      _ih_store_set_error (self, error, _("Database error"));
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

void
_ih_store_lock (IhStore *self)
{
  if (g_rec_mutex_trylock (&self->lock))
    return;

  g_atomic_int_inc (&self->lock_waiters);
  g_rec_mutex_lock (&self->lock);
  g_atomic_int_add (&self->lock_waiters, -1);
}

/* Whether another thread is waiting for the store, e.g. a search while a
 * long import holds its transaction open */
gboolean
_ih_store_has_waiters (IhStore *self)
{
  return g_atomic_int_get (&self->lock_waiters) > 0;
}

void
_ih_store_unlock (IhStore *self)
{
  g_rec_mutex_unlock (&self->lock);
}

sqlite3 *
_ih_store_get_db (IhStore *self)
{
  return self->db;
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           col)
{
  const char *text = (const char *) sqlite3_column_text (stmt, col);
  return g_strdup (text);
}

/*
 * The search index: tags of activities and themes, and insight entries
 * written at commit
 */

static void
tags_append (GString    *tags,
             const char *prefix,
             const char *value)
{
  g_autofree char *tag = ih_query_tag (prefix, value);

  if (tag == NULL)
    return;
  if (tags->len)
    g_string_append_c (tags, ' ');
  g_string_append (tags, tag);
}

static gboolean
step_done (IhStore       *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _ih_store_set_error (self, error, _("Could not save"));
  return TRUE;
}

/* An activity's tags: its kind, its places and whether it has a paper. */
static gboolean
update_activity_tags (IhStore  *self,
                      gint64    rid,
                      GError  **error)
{
  g_autoptr(GString) tags = g_string_new (NULL);
  sqlite3_stmt *stmt;

  if (rid == 0)
    return TRUE;

  stmt = _ih_store_prepare (self,
                            "SELECT kind, ics, place, locality,"
                            "  EXISTS (SELECT 1 FROM paper p WHERE p.activity_rid = a.rid AND p.deleted = 0)"
                            " FROM activity a WHERE rid = ?",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      tags_append (tags, "kd", (const char *) sqlite3_column_text (stmt, 0));
      for (int col = 1; col <= 3; col++)
        tags_append (tags, "pl", (const char *) sqlite3_column_text (stmt, col));
      if (sqlite3_column_int (stmt, 4))
        tags_append (tags, "has", "paper");
    }
  sqlite3_reset (stmt);

  stmt = _ih_store_prepare (self, "UPDATE activity SET tags = ?2 WHERE rid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  sqlite3_bind_text (stmt, 2, tags->str, -1, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

/* A theme's tags: its own name and its ancestors', so theme:access finds
 * insight coded with a sub-theme of Access. */
static gboolean
update_theme_tags (IhStore  *self,
                   gint64    rid,
                   GError  **error)
{
  g_autoptr(GString) tags = g_string_new (NULL);
  sqlite3_stmt *stmt;
  gint64 next = rid;
  guint depth = 0;

  stmt = _ih_store_prepare (self, "SELECT name, parent_rid FROM theme WHERE rid = ?", error);
  if (stmt == NULL)
    return FALSE;

  /* Saving refuses cycles; the depth cap is a second guard */
  while (next != 0 && depth++ < 32)
    {
      sqlite3_bind_int64 (stmt, 1, next);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        break;
      tags_append (tags, "th", (const char *) sqlite3_column_text (stmt, 0));
      next = sqlite3_column_int64 (stmt, 1);
      sqlite3_reset (stmt);
    }
  sqlite3_reset (stmt);

  stmt = _ih_store_prepare (self, "UPDATE theme SET tags = ?2 WHERE rid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  sqlite3_bind_text (stmt, 2, tags->str, -1, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

static char *
rids_json (const gint64 *rids,
           guint         n)
{
  GString *json = g_string_new ("[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i ? "," : "", rids[i]);
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

static gboolean
collect_rids (IhStore     *self,
              const char  *sql,
              gint64       param,
              GArray      *rids,
              GError     **error)
{
  sqlite3_stmt *stmt = _ih_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, param);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rid = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (rids, rid);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _ih_store_set_error (self, error, _("Could not update the search index"));
  return TRUE;
}

/* Takes the insight out of the index as it stands now, before anything its
 * entry is made from changes, and queues it to be indexed again at commit.
 * Insight already queued is not in the index and only stays queued. */
static gboolean
index_remove (IhStore  *self,
              GArray   *rids,
              GError  **error)
{
  g_autoptr(GArray) indexed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;

  for (guint i = 0; i < rids->len; i++)
    {
      gint64 rid = g_array_index (rids, gint64, i);

      if (g_hash_table_contains (self->pending_set, &rid))
        continue;
      g_array_append_val (indexed, rid);
      g_array_append_val (self->pending, rid);
      g_hash_table_add (self->pending_set, g_memdup2 (&rid, sizeof rid));
    }

  if (indexed->len == 0)
    return TRUE;

  json = rids_json ((gint64 *) indexed->data, indexed->len);
  stmt = _ih_store_prepare (self,
                            "INSERT INTO insight_fts (insight_fts, rowid, text, context, tags)"
                            " SELECT 'delete', rid, text, context, tags FROM insight_doc"
                            " WHERE rid IN (SELECT value FROM json_each (?))",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

static void
index_queue (IhStore *self,
             gint64   rid)
{
  if (g_hash_table_contains (self->pending_set, &rid))
    return;
  g_array_append_val (self->pending, rid);
  g_hash_table_add (self->pending_set, g_memdup2 (&rid, sizeof rid));
}

/* Writes the queued insight into the index in one statement. */
static gboolean
index_flush (IhStore  *self,
             GError  **error)
{
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;

  if (self->pending->len == 0)
    return TRUE;

  json = rids_json ((gint64 *) self->pending->data, self->pending->len);
  stmt = _ih_store_prepare (self,
                            "INSERT INTO insight_fts (rowid, text, context, tags)"
                            " SELECT rid, text, context, tags FROM insight_doc"
                            " WHERE rid IN (SELECT value FROM json_each (?)) ORDER BY rid",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return FALSE;

  g_array_set_size (self->pending, 0);
  g_hash_table_remove_all (self->pending_set);
  return TRUE;
}

/* Forgets what was queued since the savepoint being rolled back: its index
 * changes are rolled back with it. */
static void
index_forget_since (IhStore *self,
                    guint    mark)
{
  for (guint i = mark; i < self->pending->len; i++)
    g_hash_table_remove (self->pending_set, &g_array_index (self->pending, gint64, i));
  if (mark < self->pending->len)
    g_array_set_size (self->pending, mark);
}

static gboolean
migrate_v2_index (IhStore  *self,
                  GError  **error)
{
  g_autoptr(GArray) rids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!collect_rids (self, "SELECT rid FROM theme WHERE rid > ?", 0, rids, error))
    return FALSE;
  for (guint i = 0; i < rids->len; i++)
    if (!update_theme_tags (self, g_array_index (rids, gint64, i), error))
      return FALSE;

  g_array_set_size (rids, 0);
  if (!collect_rids (self, "SELECT rid FROM activity WHERE rid > ?", 0, rids, error))
    return FALSE;
  for (guint i = 0; i < rids->len; i++)
    if (!update_activity_tags (self, g_array_index (rids, gint64, i), error))
      return FALSE;

  return exec (self,
               "INSERT INTO insight_fts (rowid, text, context, tags)"
               "  SELECT rid, text, context, tags FROM insight_doc",
               error);
}

gboolean
_ih_store_check_index (IhStore  *self,
                       GError  **error)
{
  g_autofree char *diff = NULL;
  gboolean ok;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (IH_IS_STORE (self), FALSE);

  _ih_store_lock (self);
  ok = exec (self,
             "DROP TABLE IF EXISTS temp.check_fts;"
             "CREATE VIRTUAL TABLE temp.check_fts USING fts5 (text, context, tags,"
             "  tokenize=\"porter unicode61 remove_diacritics 2\");"
             "INSERT INTO temp.check_fts (rowid, text, context, tags)"
             "  SELECT rid, text, context, tags FROM insight_doc;"
             "CREATE VIRTUAL TABLE temp.check_have USING fts5vocab (main, insight_fts, instance);"
             "CREATE VIRTUAL TABLE temp.check_want USING fts5vocab (temp, check_fts, instance);",
             error);
  if (ok)
    {
      rc = sqlite3_prepare_v2 (self->db,
                               "SELECT 'extra', * FROM (SELECT * FROM temp.check_have EXCEPT SELECT * FROM temp.check_want)"
                               " UNION ALL"
                               " SELECT 'missing', * FROM (SELECT * FROM temp.check_want EXCEPT SELECT * FROM temp.check_have)"
                               " LIMIT 1",
                               -1, &stmt, NULL);
      if (rc != SQLITE_OK)
        ok = _ih_store_set_error (self, error, _("Cannot check the search index"));
      else
        {
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_ROW)
            diff = g_strdup_printf ("%s term “%s” in insight %" G_GINT64_FORMAT " column %s at %d",
                                    sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1),
                                    (gint64) sqlite3_column_int64 (stmt, 2), sqlite3_column_text (stmt, 3),
                                    sqlite3_column_int (stmt, 4));
          else if (rc != SQLITE_DONE)
            ok = _ih_store_set_error (self, error, _("Cannot check the search index"));
          sqlite3_finalize (stmt);
        }
    }
  sqlite3_exec (self->db,
                "DROP TABLE IF EXISTS temp.check_have; DROP TABLE IF EXISTS temp.check_want;"
                "DROP TABLE IF EXISTS temp.check_fts;",
                NULL, NULL, NULL);
  _ih_store_unlock (self);

  if (ok && diff != NULL)
    {
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_CORRUPT,
                   _("The search index does not match the records: %s"), diff);
      return FALSE;
    }
  return ok;
}

/*
 * Opening and migrating
 */

static gboolean
migrate (IhStore  *self,
         int       target,
         GError  **error)
{
  gint64 version = 0;
  gint64 app_id = 0;
  gint64 n_objects = 0;

  /* The first read tells whether this is a database at all */
  if (!query_int (self, "PRAGMA user_version", &version, error) ||
      !query_int (self, "PRAGMA application_id", &app_id, error) ||
      !query_int (self, "SELECT count(*) FROM sqlite_schema", &n_objects, error))
    return FALSE;

  if (app_id != IH_APPLICATION_ID && (version != 0 || n_objects != 0))
    {
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_A_DATABASE,
                   _("“%s” is a database of some other program, not of Insight Hub"),
                   self->path);
      return FALSE;
    }

  if (version > IH_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_TOO_NEW,
                   _("“%s” was written by a newer version of Insight Hub (database version %d; "
                     "this version understands up to %d). Update Insight Hub to open it."),
                   self->path, (int) version, IH_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *set_version = NULL;

      if (migrations[i].version <= version || migrations[i].version > target)
        continue;

      /* Each step is all or nothing: a failure leaves the older file */
      if (!exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;

      set_version = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d",
                                     IH_APPLICATION_ID, migrations[i].version);
      if (!exec (self, migrations[i].sql, error) ||
          (migrations[i].func && !migrations[i].func (self, error)) ||
          !exec (self, set_version, error) ||
          !exec (self, "COMMIT", error))
        {
          g_prefix_error (error, _("Could not upgrade “%s” to database version %d: "),
                          self->path, migrations[i].version);
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      g_debug ("Upgraded %s to schema %d", self->path, migrations[i].version);
    }

  return TRUE;
}

IhStore *
_ih_store_open_at_version (const char  *path,
                           int          version,
                           GError     **error)
{
  g_autoptr(IhStore) self = NULL;
  g_autofree char *dir = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (IH_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_OPEN,
                   _("Cannot create the folder “%s”: %s"), dir, g_strerror (saved));
      return NULL;
    }

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_OPEN,
                   _("“%s” is a folder, not a database file"), path);
      return NULL;
    }

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_OPEN,
                   _("Cannot open “%s”: %s"), path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 5000);

  if (!_ih_rank_register (self->db, error))
    return NULL;

  if (!migrate (self, version, error))
    {
      if (g_error_matches (*error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_A_DATABASE) &&
          strstr ((*error)->message, path) == NULL)
        {
          g_clear_error (error);
          g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_A_DATABASE,
                       _("“%s” is not an Insight Hub database (it is not a database file at all)"),
                       path);
        }
      return NULL;
    }

  /* WAL lets searches read while an import writes; NORMAL sync is safe in
   * WAL mode (a power cut may lose the last commit, never corrupts). */
  if (!exec (self,
             "PRAGMA journal_mode = WAL;"
             "PRAGMA synchronous = NORMAL;"
             "PRAGMA foreign_keys = ON;"
             "PRAGMA temp_store = MEMORY;"
             "PRAGMA cache_size = -" G_STRINGIFY (IH_STORE_CACHE_KIB) ";",
             error))
    return NULL;

  return g_steal_pointer (&self);
}

IhStore *
ih_store_open (const char  *path,
               GError     **error)
{
  return _ih_store_open_at_version (path, IH_STORE_SCHEMA_VERSION, error);
}

char *
ih_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "insight-hub", "insight-hub.db", NULL);
}

const char *
ih_store_get_path (IhStore *self)
{
  g_return_val_if_fail (IH_IS_STORE (self), NULL);
  return self->path;
}

int
ih_store_get_schema_version (IhStore *self)
{
  gint64 version = 0;

  g_return_val_if_fail (IH_IS_STORE (self), 0);

  _ih_store_lock (self);
  query_int (self, "PRAGMA user_version", &version, NULL);
  _ih_store_unlock (self);

  return (int) version;
}

guint64
ih_store_get_size (IhStore *self)
{
  static const char * const suffixes[] = { "", "-wal" };
  guint64 size = 0;

  g_return_val_if_fail (IH_IS_STORE (self), 0);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (self->path, suffixes[i], NULL);
      GStatBuf st;

      if (g_stat (file, &st) == 0)
        size += st.st_size;
    }

  return size;
}

/*
 * Transactions
 */

/* Runs a cached statement with no parameters or result */
static gboolean
run_cached (IhStore     *self,
            const char  *sql,
            GError     **error)
{
  sqlite3_stmt *stmt = _ih_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _ih_store_set_error (self, error, _("Database error"));
  return TRUE;
}

gboolean
ih_store_begin (IhStore  *self,
                GError  **error)
{
  gboolean ok;

  g_return_val_if_fail (IH_IS_STORE (self), FALSE);

  _ih_store_lock (self);
  if (self->tx_depth == 0)
    ok = run_cached (self, "BEGIN IMMEDIATE", error);
  else
    ok = run_cached (self, "SAVEPOINT nested", error);

  if (!ok)
    {
      _ih_store_unlock (self);
      return FALSE;
    }

  if (self->tx_depth > 0)
    g_array_append_val (self->marks, self->pending->len);
  self->tx_depth++;

  /* The lock stays held until commit or rollback: one writer at a time */
  return TRUE;
}

gboolean
ih_store_commit (IhStore  *self,
                 GError  **error)
{
  gboolean ok;

  g_return_val_if_fail (IH_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  if (self->tx_depth == 1)
    ok = index_flush (self, error) && run_cached (self, "COMMIT", error);
  else
    ok = run_cached (self, "RELEASE nested", error);

  if (!ok)
    {
      ih_store_rollback (self);
      return FALSE;
    }

  if (self->tx_depth > 1)
    g_array_set_size (self->marks, self->marks->len - 1);
  self->tx_depth--;
  _ih_store_unlock (self);
  return TRUE;
}

void
ih_store_rollback (IhStore *self)
{
  g_return_if_fail (IH_IS_STORE (self));
  g_return_if_fail (self->tx_depth > 0);

  if (self->tx_depth == 1)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      index_forget_since (self, 0);
    }
  else
    {
      sqlite3_exec (self->db, "ROLLBACK TO nested; RELEASE nested", NULL, NULL, NULL);
      index_forget_since (self, g_array_index (self->marks, guint, self->marks->len - 1));
      g_array_set_size (self->marks, self->marks->len - 1);
    }

  self->tx_depth--;
  _ih_store_unlock (self);
}

/*
 * Saving records
 */

static char *
ref_column (const IhFieldInfo *f)
{
  g_assert (g_str_has_suffix (f->name, "_id"));
  return g_strdup_printf ("%.*s_rid", (int) strlen (f->name) - 3, f->name);
}

typedef char *(*SqlBuilder) (const IhRecordClass *klass);

/* The SQL a builder makes for a record class, made once per process and
 * found again without formatting a key (it runs for every saved row) */
static const char *
class_sql (const IhRecordClass *klass,
           SqlBuilder           build)
{
  static struct
  {
    const IhRecordClass *klass;
    SqlBuilder           build;
    char                *sql;
  } cache[64];
  static guint n_cached;
  static GMutex mutex;
  const char *sql = NULL;

  g_mutex_lock (&mutex);
  for (guint i = 0; i < n_cached && sql == NULL; i++)
    if (cache[i].klass == klass && cache[i].build == build)
      sql = cache[i].sql;
  if (sql == NULL)
    {
      g_assert (n_cached < G_N_ELEMENTS (cache));
      cache[n_cached].klass = klass;
      cache[n_cached].build = build;
      cache[n_cached].sql = build (klass);
      sql = cache[n_cached++].sql;
    }
  g_mutex_unlock (&mutex);

  return sql;
}

static char *
build_lookup_sql (const IhRecordClass *klass)
{
  return g_strdup_printf ("SELECT rid FROM %s WHERE id = ?", klass->table);
}

static gint64
lookup_rid (IhStore     *self,
            const char  *table,
            const char  *id)
{
  const IhRecordClass *klass = ih_record_class_lookup (table);
  sqlite3_stmt *stmt;
  gint64 rid = 0;

  g_assert (klass != NULL);

  stmt = _ih_store_prepare (self, class_sql (klass, build_lookup_sql), NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    rid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return rid;
}

static char *
build_upsert_sql (const IhRecordClass *klass)
{
  GString *cols = g_string_new ("id, created_at, updated_at, author, deleted, rev");
  GString *vals = g_string_new ("?1, ?2, ?3, ?4, ?5, ?6");
  GString *sets = g_string_new ("updated_at = excluded.updated_at, author = excluded.author,"
                                " deleted = excluded.deleted, rev = excluded.rev");
  char *sql;
  int n = 6;

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const IhFieldInfo *f = &klass->fields[i];
      g_autofree char *col = NULL;

      if (f->type == IH_FIELD_REFS)
        continue;
      col = f->type == IH_FIELD_REF ? ref_column (f) : g_strdup (f->name);
      g_string_append_printf (cols, ", %s", col);
      g_string_append_printf (vals, ", ?%d", ++n);
      g_string_append_printf (sets, ", %s = excluded.%s", col, col);
    }

  /* No RETURNING: SQLite gathers returned rows in a temporary table,
   * which made this statement about half as slow again; the row id is
   * known from the lookup before it or from the insert itself */
  sql = g_strdup_printf ("INSERT INTO %s (%s) VALUES (%s) ON CONFLICT (id) DO UPDATE SET %s",
                         klass->table, cols->str, vals->str, sets->str);
  g_string_free (cols, TRUE);
  g_string_free (vals, TRUE);
  g_string_free (sets, TRUE);
  return sql;
}

/* The one field of a class that lists references (a link table) */
static const IhFieldInfo *
refs_field (const IhRecordClass *klass)
{
  const IhFieldInfo *found = NULL;

  for (guint i = 0; i < klass->n_fields; i++)
    if (klass->fields[i].type == IH_FIELD_REFS)
      {
        g_assert (found == NULL);
        found = &klass->fields[i];
      }
  g_assert (found != NULL);
  return found;
}

static char *
build_link_delete_sql (const IhRecordClass *klass)
{
  const IhFieldInfo *f = refs_field (klass);

  return g_strdup_printf ("DELETE FROM %s_%s WHERE %s_rid = ?", klass->table, f->ref_table, klass->table);
}

static char *
build_link_insert_sql (const IhRecordClass *klass)
{
  const IhFieldInfo *f = refs_field (klass);

  return g_strdup_printf ("INSERT OR IGNORE INTO %s_%s (%s_rid, %s_rid) VALUES (?, ?)",
                          klass->table, f->ref_table, klass->table, f->ref_table);
}

#define FIELD_PTR(rec, f) ((gpointer) (((guint8 *) (rec)) + (f)->offset))

static gboolean
resolve_refs (IhStore        *self,
              IhRecord       *record,
              const char     *table,
              char          **ids,
              GArray         *rids,
              GError        **error)
{
  for (guint i = 0; ids && ids[i]; i++)
    {
      gint64 rid = lookup_rid (self, table, ids[i]);

      if (rid == 0)
        {
          g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID,
                       _("The %s refers to the %s “%s”, which is not in this database"),
                       record->klass->name, table, ids[i]);
          return FALSE;
        }
      g_array_append_val (rids, rid);
    }
  return TRUE;
}

/* A theme may not become its own ancestor. */
static gboolean
check_theme_parent (IhStore   *self,
                    IhTheme   *theme,
                    gint64     parent_rid,
                    GError   **error)
{
  sqlite3_stmt *stmt;
  gint64 rid = parent_rid;
  guint depth = 0;

  while (rid != 0)
    {
      g_autofree char *id = NULL;

      stmt = _ih_store_prepare (self, "SELECT id, parent_rid FROM theme WHERE rid = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rid);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        break;
      id = column_dup (stmt, 0);
      rid = sqlite3_column_int64 (stmt, 1);
      sqlite3_reset (stmt);

      if (g_strcmp0 (id, theme->parent.id) == 0 || ++depth > 32)
        {
          g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID,
                       _("The theme “%s” cannot be placed under one of its own sub-themes"),
                       theme->name);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
save_locked (IhStore   *self,
             IhRecord  *record,
             gint64     known_rid,
             GError   **error)
{
  const IhRecordClass *klass = record->klass;
  g_autoptr(GArray) theme_rids = NULL;
  g_autoptr(GArray) affected = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) subtree = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 ref_rids[8] = { 0 };
  gint64 existing;
  gint64 old_paper_activity = 0;
  sqlite3_stmt *stmt;
  gint64 created_at;
  gint64 updated_at;
  guint n_ref = 0;
  int n;
  int rc;

  /* A caller that knows the row (@known_rid ≥ 0: 0 for a new record)
   * has checked the record too */
  if (known_rid < 0 && !ih_record_validate (record, error))
    {
      GError *e = *error;
      e->domain = IH_STORE_ERROR;
      e->code = IH_STORE_ERROR_INVALID;
      return FALSE;
    }

  /* Look up everything the record refers to before writing anything */
  for (guint i = 0; i < klass->n_fields; i++)
    {
      const IhFieldInfo *f = &klass->fields[i];

      if (f->type == IH_FIELD_REF)
        {
          const char *id = *(char **) FIELD_PTR (record, f);
          g_autoptr(GArray) one = g_array_new (FALSE, FALSE, sizeof (gint64));
          char *ids[] = { (char *) id, NULL };

          g_assert (n_ref < G_N_ELEMENTS (ref_rids));
          if (id && !resolve_refs (self, record, f->ref_table, ids, one, error))
            return FALSE;
          ref_rids[n_ref++] = id ? g_array_index (one, gint64, 0) : 0;
        }
    }

  if (klass == &ih_theme_class && !check_theme_parent (self, (IhTheme *) record, ref_rids[0], error))
    return FALSE;

  if (klass == &ih_insight_class)
    {
      IhInsight *insight = (IhInsight *) record;

      theme_rids = g_array_new (FALSE, FALSE, sizeof (gint64));
      if (!resolve_refs (self, record, "theme", insight->theme_ids, theme_rids, error))
        return FALSE;
    }

  /* Take out of the index every insight whose entry this save changes,
   * while the index and the view still agree */
  existing = known_rid >= 0 ? known_rid : lookup_rid (self, klass->table, record->id);

  /* A local change waits in the sync outbox, in this same transaction */
  if (!self->sync_apply && !_ih_sync_store_capture (self, record, existing, error))
    return FALSE;

  if (existing != 0)
    {
      gboolean ok = TRUE;

      if (klass == &ih_insight_class)
        g_array_append_val (affected, existing);
      else if (klass == &ih_activity_class)
        ok = collect_rids (self, "SELECT rid FROM insight WHERE activity_rid = ?", existing, affected, error);
      else if (klass == &ih_theme_class)
        ok = collect_rids (self,
                           "WITH RECURSIVE sub (rid) AS (SELECT ?1 UNION"
                           "  SELECT t.rid FROM theme t JOIN sub ON t.parent_rid = sub.rid)"
                           " SELECT rid FROM sub",
                           existing, subtree, error) &&
             collect_rids (self,
                           "WITH RECURSIVE sub (rid) AS (SELECT ?1 UNION"
                           "  SELECT t.rid FROM theme t JOIN sub ON t.parent_rid = sub.rid)"
                           " SELECT DISTINCT insight_rid FROM insight_theme"
                           " WHERE theme_rid IN (SELECT rid FROM sub)",
                           existing, affected, error);
      else if (klass == &ih_paper_class)
        {
          g_autoptr(GArray) old = g_array_new (FALSE, FALSE, sizeof (gint64));

          ok = collect_rids (self, "SELECT coalesce (activity_rid, 0) FROM paper WHERE rid = ?", existing, old, error);
          if (ok && old->len == 1)
            old_paper_activity = g_array_index (old, gint64, 0);
        }
      if (!ok)
        return FALSE;
    }
  else if (klass == &ih_theme_class)
    g_array_append_val (subtree, existing);

  if (klass == &ih_paper_class)
    {
      /* Both the activity the paper leaves and the one it joins change */
      gint64 acts[2] = { old_paper_activity, ref_rids[1] };

      for (guint i = 0; i < 2; i++)
        if (acts[i] != 0 && (i == 0 || acts[1] != acts[0]) &&
            !collect_rids (self, "SELECT rid FROM insight WHERE activity_rid = ?", acts[i], affected, error))
          return FALSE;
    }

  if (!index_remove (self, affected, error))
    return FALSE;

  updated_at = self->sync_apply && record->updated_at ? record->updated_at : ih_now_ms ();
  created_at = record->created_at ? record->created_at : updated_at;

  stmt = _ih_store_prepare (self, class_sql (klass, build_upsert_sql), error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, record->id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, created_at);
  sqlite3_bind_int64 (stmt, 3, updated_at);
  bind_text_or_null (stmt, 4, record->author);
  sqlite3_bind_int (stmt, 5, record->deleted ? 1 : 0);
  sqlite3_bind_int64 (stmt, 6, record->rev);

  n = 6;
  n_ref = 0;
  for (guint i = 0; i < klass->n_fields; i++)
    {
      const IhFieldInfo *f = &klass->fields[i];

      switch (f->type)
        {
        case IH_FIELD_STRING:
        case IH_FIELD_DATE:
          sqlite3_bind_text (stmt, ++n, *(char **) FIELD_PTR (record, f), -1, SQLITE_STATIC);
          break;
        case IH_FIELD_REF:
          if (ref_rids[n_ref])
            sqlite3_bind_int64 (stmt, ++n, ref_rids[n_ref]);
          else
            sqlite3_bind_null (stmt, ++n);
          n_ref++;
          break;
        case IH_FIELD_LIST:
          {
            char **list = *(char ***) FIELD_PTR (record, f);
            g_autofree char *joined = list && list[0] ? g_strjoinv ("\n", list) : NULL;

            bind_text_or_null (stmt, ++n, joined);
          }
          break;
        case IH_FIELD_INT:
          {
            gint64 v = *(gint64 *) FIELD_PTR (record, f);

            if (v >= 0)
              sqlite3_bind_int64 (stmt, ++n, v);
            else
              sqlite3_bind_null (stmt, ++n);
          }
          break;
        case IH_FIELD_BOOL:
          sqlite3_bind_int (stmt, ++n, *(gboolean *) FIELD_PTR (record, f) ? 1 : 0);
          break;
        case IH_FIELD_REFS:
        default:
          break;
        }
    }

  /* A record found above is updated in place; a new one is inserted, and
   * its row id is the last one inserted (zeroed first, so a row the lookup
   * failed to find is an error, not another record's id) */
  if (existing == 0)
    sqlite3_set_last_insert_rowid (self->db, 0);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      _ih_store_set_error (self, error, _("Could not save"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  record->rid = existing != 0 ? existing : sqlite3_last_insert_rowid (self->db);
  if (record->rid == 0)
    {
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_FAILED,
                   _("Could not save the %s “%s”: it was in the database after all (sync again)"),
                   klass->name, record->id);
      return FALSE;
    }
  test_hook ("row");

  /* Link tables: insight_theme, action_insight */
  for (guint i = 0; i < klass->n_fields; i++)
    {
      const IhFieldInfo *f = &klass->fields[i];
      const char *del_sql;
      const char *ins_sql;
      g_autoptr(GArray) rids = NULL;

      if (f->type != IH_FIELD_REFS)
        continue;

      if (klass == &ih_insight_class && theme_rids != NULL)
        rids = g_array_ref (theme_rids);
      else
        {
          rids = g_array_new (FALSE, FALSE, sizeof (gint64));
          if (!resolve_refs (self, record, f->ref_table, *(char ***) FIELD_PTR (record, f), rids, error))
            return FALSE;
        }

      /* A class has one list of references at most (checked there) */
      del_sql = class_sql (klass, build_link_delete_sql);
      ins_sql = class_sql (klass, build_link_insert_sql);

      /* A new record has no links yet */
      if (existing != 0)
        {
          stmt = _ih_store_prepare (self, del_sql, error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, record->rid);
          rc = sqlite3_step (stmt);
          sqlite3_reset (stmt);
          if (rc != SQLITE_DONE)
            return _ih_store_set_error (self, error, _("Could not save"));
        }

      stmt = _ih_store_prepare (self, ins_sql, error);
      if (stmt == NULL)
        return FALSE;
      for (guint j = 0; j < rids->len; j++)
        {
          sqlite3_bind_int64 (stmt, 1, record->rid);
          sqlite3_bind_int64 (stmt, 2, g_array_index (rids, gint64, j));
          rc = sqlite3_step (stmt);
          sqlite3_reset (stmt);
          if (rc != SQLITE_DONE)
            return _ih_store_set_error (self, error, _("Could not save"));
        }
      test_hook ("links");
    }

  /* What insight is found by may have changed */
  if (klass == &ih_insight_class)
    index_queue (self, record->rid);
  else if (klass == &ih_activity_class)
    {
      if (!update_activity_tags (self, record->rid, error))
        return FALSE;
    }
  else if (klass == &ih_theme_class)
    {
      if (existing == 0)
        g_array_index (subtree, gint64, 0) = record->rid;
      for (guint i = 0; i < subtree->len; i++)
        if (!update_theme_tags (self, g_array_index (subtree, gint64, i), error))
          return FALSE;
    }
  else if (klass == &ih_paper_class)
    {
      if (!update_activity_tags (self, old_paper_activity, error) ||
          (ref_rids[1] != old_paper_activity && !update_activity_tags (self, ref_rids[1], error)))
        return FALSE;
    }

  record->created_at = created_at;
  record->updated_at = updated_at;
  return TRUE;
}

gboolean
_ih_store_save_in_transaction (IhStore   *self,
                               gpointer   record,
                               GError   **error)
{
  g_return_val_if_fail (IH_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  return save_locked (self, record, -1, error);
}

gboolean
_ih_store_apply (IhStore   *self,
                 gpointer   record,
                 GError   **error)
{
  gboolean ok;

  g_return_val_if_fail (IH_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  self->sync_apply = TRUE;
  ok = save_locked (self, record, -1, error);
  self->sync_apply = FALSE;
  return ok;
}

gboolean
_ih_store_apply_at (IhStore   *self,
                    gpointer   record,
                    gint64     rid,
                    GError   **error)
{
  gboolean ok;

  g_return_val_if_fail (IH_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);
  g_return_val_if_fail (rid >= 0, FALSE);

  self->sync_apply = TRUE;
  ok = save_locked (self, record, rid, error);
  self->sync_apply = FALSE;
  return ok;
}

gboolean
_ih_store_purge (IhStore              *self,
                 const IhRecordClass  *klass,
                 const char           *id,
                 GError              **error)
{
  g_autoptr(GArray) rids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 rid;

  g_return_val_if_fail (IH_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  rid = lookup_rid (self, klass->table, id);
  if (rid == 0)
    return TRUE;
  g_array_append_val (rids, rid);
  if (klass == &ih_insight_class && !index_remove (self, rids, error))
    return FALSE;

  /* Links go with the row (ON DELETE CASCADE) */
  sql = g_strdup_printf ("DELETE FROM %s WHERE rid = ?", klass->table);
  stmt = _ih_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  return step_done (self, stmt, error);
}

/*
 * Bulk writing: a big import or a first sync, many large transactions in a
 * row. Every one of them rewrites pages the ones before wrote (the id
 * index above all, which takes random inserts), so:
 * - a larger page cache, if asked, keeps more of the index in memory (a
 *   million-row import; a first sync of 100,000 ran faster without);
 * - the write-ahead log is copied back into the database when it holds
 *   256 MiB (65536 pages of 4 KiB), not every 4 MiB, so a page changed by
 *   several transactions is copied once; the cap keeps the log's file
 *   bounded for millions of records;
 * - at the end the log is copied back and emptied (TRUNCATE leaves no long
 *   file behind; if a reader holds the log it does nothing, and the next
 *   commit checkpoints as usual).
 * Only this connection, only until the matching end; nested calls count.
 * A run killed meanwhile leaves a longer log, which the next open reads as
 * usual.
 */

#define BULK_WAL_PAGES 65536
#define DEFAULT_WAL_PAGES 1000

void
_ih_store_bulk_begin (IhStore *self,
                      int      cache_kib)
{
  g_return_if_fail (IH_IS_STORE (self));

  _ih_store_lock (self);
  if (self->bulk_depth++ == 0)
    {
      if (cache_kib > IH_STORE_CACHE_KIB)
        {
          g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = -%d", cache_kib);
          exec (self, sql, NULL);
        }
      sqlite3_wal_autocheckpoint (self->db, BULK_WAL_PAGES);
    }
  _ih_store_unlock (self);
}

void
_ih_store_bulk_end (IhStore *self)
{
  g_return_if_fail (IH_IS_STORE (self));
  g_return_if_fail (self->bulk_depth > 0);

  _ih_store_lock (self);
  if (--self->bulk_depth == 0)
    {
      exec (self, "PRAGMA cache_size = -" G_STRINGIFY (IH_STORE_CACHE_KIB), NULL);
      sqlite3_wal_autocheckpoint (self->db, DEFAULT_WAL_PAGES);
      if (self->tx_depth == 0)
        sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    }
  _ih_store_unlock (self);
}

gboolean
ih_store_save (IhStore   *self,
               gpointer   record,
               GError   **error)
{
  gboolean ok;

  g_return_val_if_fail (IH_IS_STORE (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  _ih_store_lock (self);
  ok = ih_store_begin (self, error);
  if (ok)
    {
      g_autoptr(GError) local_error = NULL;

      ok = save_locked (self, record, -1, &local_error);
      if (ok)
        ok = ih_store_commit (self, &local_error);
      else
        ih_store_rollback (self);
      if (!ok)
        g_propagate_error (error, g_steal_pointer (&local_error));
    }
  _ih_store_unlock (self);

  return ok;
}

/*
 * Loading
 */

static char *
build_select_sql (const IhRecordClass *klass)
{
  GString *cols = g_string_new ("r.rid, r.id, r.created_at, r.updated_at, r.author, r.deleted, r.rev");
  char *sql;

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const IhFieldInfo *f = &klass->fields[i];

      if (f->type == IH_FIELD_REFS)
        g_string_append_printf (cols,
                                ", (SELECT group_concat (x.id, char (10)) FROM %s_%s l"
                                " JOIN %s x ON x.rid = l.%s_rid WHERE l.%s_rid = r.rid)",
                                klass->table, f->ref_table, f->ref_table, f->ref_table,
                                klass->table);
      else if (f->type == IH_FIELD_REF)
        {
          g_autofree char *col = ref_column (f);
          g_string_append_printf (cols, ", (SELECT x.id FROM %s x WHERE x.rid = r.%s)",
                                  f->ref_table, col);
        }
      else
        g_string_append_printf (cols, ", r.%s", f->name);
    }

  sql = g_strdup_printf ("SELECT %s FROM %s r", cols->str, klass->table);
  g_string_free (cols, TRUE);
  return sql;
}

static gpointer
record_from_row (const IhRecordClass *klass,
                 sqlite3_stmt        *stmt)
{
  /* Not ih_record_new (): every member is set from the row, and a fresh
   * UUID would be thrown away (it costs as much as the rest) */
  IhRecord *record = g_malloc0 (klass->size);

  record->klass = klass;
  record->rid = sqlite3_column_int64 (stmt, 0);
  record->id = column_dup (stmt, 1);
  record->created_at = sqlite3_column_int64 (stmt, 2);
  record->updated_at = sqlite3_column_int64 (stmt, 3);
  record->author = column_dup (stmt, 4);
  record->deleted = sqlite3_column_int (stmt, 5) != 0;
  record->rev = sqlite3_column_int64 (stmt, 6);

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const IhFieldInfo *f = &klass->fields[i];
      int col = 7 + i;

      switch (f->type)
        {
        case IH_FIELD_STRING:
        case IH_FIELD_DATE:
        case IH_FIELD_REF:
          *(char **) FIELD_PTR (record, f) = column_dup (stmt, col);
          break;
        case IH_FIELD_LIST:
        case IH_FIELD_REFS:
          {
            const char *text = (const char *) sqlite3_column_text (stmt, col);
            *(char ***) FIELD_PTR (record, f) = text && *text ? g_strsplit (text, "\n", -1) : NULL;
          }
          break;
        case IH_FIELD_INT:
          *(gint64 *) FIELD_PTR (record, f) =
            sqlite3_column_type (stmt, col) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, col);
          break;
        case IH_FIELD_BOOL:
          *(gboolean *) FIELD_PTR (record, f) = sqlite3_column_int (stmt, col) != 0;
          break;
        default:
          break;
        }
    }

  return record;
}

/* The statement that loads one record of a class by id */
static char *
build_load_sql (const IhRecordClass *klass)
{
  g_autofree char *select = build_select_sql (klass);

  return g_strdup_printf ("%s WHERE r.id = ?", select);
}

/* Loads a record with the store held (the sync server's change feed loads
 * one per record it sends: the SQL is made once per class, and found in
 * the statement cache by a cheap hash) */
static gpointer
load_locked (IhStore              *self,
             const IhRecordClass  *klass,
             const char           *id,
             GError              **error)
{
  sqlite3_stmt *stmt;
  gpointer record = NULL;
  int rc;

  stmt = _ih_store_prepare (self, class_sql (klass, build_load_sql), error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    record = record_from_row (klass, stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_FOUND,
                 _("There is no %s with id “%s”"), klass->name, id);
  else
    _ih_store_set_error (self, error, _("Could not read"));
  sqlite3_reset (stmt);
  return record;
}

gpointer
ih_store_load (IhStore              *self,
               const IhRecordClass  *klass,
               const char           *id,
               GError              **error)
{
  gpointer record;

  g_return_val_if_fail (IH_IS_STORE (self), NULL);
  g_return_val_if_fail (klass != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  _ih_store_lock (self);
  record = load_locked (self, klass, id, error);
  _ih_store_unlock (self);
  return record;
}

gpointer
_ih_store_load_in_transaction (IhStore              *self,
                               const IhRecordClass  *klass,
                               const char           *id,
                               GError              **error)
{
  g_assert (IH_IS_STORE (self));
  g_assert (self->tx_depth > 0);

  return load_locked (self, klass, id, error);
}

GPtrArray *
ih_store_list (IhStore              *self,
               const IhRecordClass  *klass,
               GError              **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (ih_record_free);
  g_autofree char *sql = NULL;
  const char *order_by = "rid";
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (IH_IS_STORE (self), NULL);
  g_return_val_if_fail (klass != NULL, NULL);

  /* By the first text field the table holds as a column (a paper's first
   * field is its meeting, a reference stored as meeting_rid) */
  for (guint i = 0; i < klass->n_fields; i++)
    if (klass->fields[i].type == IH_FIELD_STRING || klass->fields[i].type == IH_FIELD_DATE)
      {
        order_by = klass->fields[i].name;
        break;
      }
  sql = g_strdup_printf ("%s WHERE r.deleted = 0 ORDER BY r.%s COLLATE NOCASE, r.rid",
                         class_sql (klass, build_select_sql), order_by);

  _ih_store_lock (self);
  stmt = _ih_store_prepare (self, sql, error);
  if (stmt == NULL)
    {
      _ih_store_unlock (self);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, record_from_row (klass, stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ih_store_set_error (self, error, _("Could not read"));
      _ih_store_unlock (self);
      return NULL;
    }
  _ih_store_unlock (self);

  return g_steal_pointer (&records);
}

gboolean
ih_store_delete (IhStore              *self,
                 const IhRecordClass  *klass,
                 const char           *id,
                 GError              **error)
{
  g_autoptr(IhRecord) record = NULL;

  g_return_val_if_fail (IH_IS_STORE (self), FALSE);
  g_return_val_if_fail (klass != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  /* Through save, so everything derived from the record follows */
  _ih_store_lock (self);
  record = ih_store_load (self, klass, id, error);
  if (record == NULL)
    {
      _ih_store_unlock (self);
      return FALSE;
    }
  record->deleted = TRUE;
  if (!ih_store_save (self, record, error))
    {
      _ih_store_unlock (self);
      return FALSE;
    }
  _ih_store_unlock (self);
  return TRUE;
}

gboolean
ih_store_exists (IhStore             *self,
                 const IhRecordClass *klass,
                 const char          *id)
{
  gint64 rid;

  g_return_val_if_fail (IH_IS_STORE (self), FALSE);
  g_return_val_if_fail (klass != NULL, FALSE);

  if (id == NULL)
    return FALSE;

  _ih_store_lock (self);
  rid = lookup_rid (self, klass->table, id);
  _ih_store_unlock (self);

  return rid != 0;
}

gint64
ih_store_count (IhStore             *self,
                const IhRecordClass *klass)
{
  g_autofree char *sql = NULL;
  gint64 count = 0;

  g_return_val_if_fail (IH_IS_STORE (self), 0);
  g_return_val_if_fail (klass != NULL, 0);

  sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE deleted = 0", klass->table);
  _ih_store_lock (self);
  query_int (self, sql, &count, NULL);
  _ih_store_unlock (self);

  return count;
}

char *
ih_store_find_theme (IhStore    *self,
                     const char *name)
{
  g_autofree char *folded = NULL;
  sqlite3_stmt *stmt;
  char *id = NULL;

  g_return_val_if_fail (IH_IS_STORE (self), NULL);

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return NULL;

  /* SQLite's NOCASE folds ASCII only: compare with Unicode case folding,
   * so "CAFÉ CULTURE" finds "Café culture". Themes are few. */
  folded = g_utf8_casefold (name, -1);

  _ih_store_lock (self);
  stmt = _ih_store_prepare (self, "SELECT id, name FROM theme WHERE deleted = 0 ORDER BY rid", NULL);
  if (stmt != NULL)
    {
      while (id == NULL && sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_autofree char *other = g_utf8_casefold ((const char *) sqlite3_column_text (stmt, 1), -1);

          if (strcmp (other, folded) == 0)
            id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
        }
      sqlite3_reset (stmt);
    }
  _ih_store_unlock (self);

  return id;
}

/*
 * GObject overrides
 */

static void
ih_store_finalize (GObject *object)
{
  IhStore *self = (IhStore *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_array_unref);
  g_clear_pointer (&self->pending_set, g_hash_table_unref);
  g_clear_pointer (&self->marks, g_array_unref);
  if (self->db != NULL)
    {
      /* A clean close checkpoints the WAL back into the main file */
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  g_clear_pointer (&self->path, g_free);
  g_rec_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ih_store_parent_class)->finalize (object);
}

static void
ih_store_class_init (IhStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ih_store_finalize;

  /* No count of SQLite's memory use: every allocation would take a
   * process-wide lock for it. Refused, harmlessly, when something in the
   * process started SQLite already. */
  sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
}

static void
ih_store_init (IhStore *self)
{
  g_rec_mutex_init (&self->lock);
  self->statements = g_hash_table_new_full (statement_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
  self->pending = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->pending_set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->marks = g_array_new (FALSE, FALSE, sizeof (guint));
}
