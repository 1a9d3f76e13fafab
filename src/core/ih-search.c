/* ih-search.c — pages of ranked hits, counts and facets for a query
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-search"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ih-search.h"
#include "ih-store-private.h"

struct _IhSearch
{
  IhStore    *store;
  IhQuery    *query;
  char       *match;          /* what goes to MATCH: never empty */
  gboolean    ranked;         /* has words, so relevance means something */
  gboolean    dated;          /* after: or before: */

  /* The rank window: matches with rowid >= threshold are ranked. Found by
   * the first fetch; 0 = every match is ranked. */
  gboolean    probed;
  gint64      threshold;
  gint64      n_ranked;
  char       *rank;           /* "ih_rank(…)" with each phrase's document count */

  /* For paging the newest-first tail by key instead of OFFSET: the rowid
   * of the hit just before a given tail offset. */
  GHashTable *tail_keys;

  GCancellable *cancellable;
};

/* SQLite calls this every thousand steps while a statement runs */
static int
interrupt_cb (void *data)
{
  return g_cancellable_is_cancelled (data);
}

/* Takes the store for a search's statements, which stop when the search
 * is cancelled */
static void
search_lock (IhSearch *self)
{
  _ih_store_lock (self->store);
  if (self->cancellable != NULL)
    sqlite3_progress_handler (_ih_store_get_db (self->store), 1000, interrupt_cb, self->cancellable);
}

static void
search_unlock (IhSearch *self)
{
  if (self->cancellable != NULL)
    sqlite3_progress_handler (_ih_store_get_db (self->store), 0, NULL, NULL);
  _ih_store_unlock (self->store);
}

#define HIT_COLUMNS \
  "insight_fts.rowid, i.id, snippet (insight_fts, 0, X'02', X'03', '…', 24), i.date, i.kind, i.sentiment, a.title"

#define FROM_JOINED \
  " FROM insight_fts CROSS JOIN insight i ON i.rid = insight_fts.rowid" \
  " LEFT JOIN activity a ON a.rid = i.activity_rid" \
  " WHERE insight_fts MATCH :match"

static const char *
date_clause (IhSearch *self)
{
  const char *after = ih_query_get_after (self->query);
  const char *before = ih_query_get_before (self->query);

  if (after && before)
    return " AND i.date >= :after AND i.date < :before";
  if (after)
    return " AND i.date >= :after";
  if (before)
    return " AND i.date < :before";
  return "";
}

/* Binds the named parameters a statement has. */
static void
bind_common (IhSearch     *self,
             sqlite3_stmt *stmt)
{
  int idx;

  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":match"), self->match, -1, SQLITE_STATIC);
  if ((idx = sqlite3_bind_parameter_index (stmt, ":after")))
    sqlite3_bind_text (stmt, idx, ih_query_get_after (self->query), -1, SQLITE_STATIC);
  if ((idx = sqlite3_bind_parameter_index (stmt, ":before")))
    sqlite3_bind_text (stmt, idx, ih_query_get_before (self->query), -1, SQLITE_STATIC);
}

static void
bind_int (sqlite3_stmt *stmt,
          const char   *name,
          gint64        value)
{
  int idx = sqlite3_bind_parameter_index (stmt, name);

  if (idx)
    sqlite3_bind_int64 (stmt, idx, value);
}

static gboolean
search_error (IhSearch  *self,
              GError   **error)
{
  if (g_cancellable_set_error_if_cancelled (self->cancellable, error))
    return FALSE;
  return _ih_store_set_error (self->store, error, _("Search failed"));
}

IhSearch *
ih_search_new (IhStore       *store,
               const char    *text,
               IhQueryFlags   flags,
               GError       **error)
{
  IhSearch *self;
  IhQuery *query;
  const char *match;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  query = ih_query_parse (text ? text : "", flags, error);
  if (query == NULL)
    return NULL;

  self = g_new0 (IhSearch, 1);
  self->store = g_object_ref (store);
  self->query = query;
  match = ih_query_get_match (query);
  self->match = g_strdup (match ? match : "tags : \"ihall\"");
  self->ranked = ih_query_has_words (query);
  self->dated = ih_query_get_after (query) || ih_query_get_before (query);
  self->tail_keys = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  return self;
}

void
ih_search_free (IhSearch *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->store);
  g_clear_pointer (&self->query, ih_query_free);
  g_clear_pointer (&self->match, g_free);
  g_clear_pointer (&self->rank, g_free);
  g_clear_pointer (&self->tail_keys, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_free (self);
}

void
ih_search_set_cancellable (IhSearch     *self,
                           GCancellable *cancellable)
{
  g_return_if_fail (self != NULL);

  g_set_object (&self->cancellable, cancellable);
}

IhQuery *
ih_search_get_query (IhSearch *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->query;
}

gint64
ih_search_count (IhSearch  *self,
                 GError   **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (self != NULL, -1);

  if (self->dated)
    sql = g_strdup_printf ("SELECT count(*) FROM insight_fts CROSS JOIN insight i ON i.rid = insight_fts.rowid"
                           " WHERE insight_fts MATCH :match%s", date_clause (self));
  else
    sql = g_strdup ("SELECT count(*) FROM insight_fts WHERE insight_fts MATCH :match");

  search_lock (self);
  stmt = _ih_store_prepare (self->store, sql, error);
  if (stmt != NULL)
    {
      bind_common (self, stmt);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        count = sqlite3_column_int64 (stmt, 0);
      else
        search_error (self, error);
      sqlite3_reset (stmt);
    }
  search_unlock (self);

  return count;
}

/* How many documents to walk before estimating a phrase's count */
#define COUNT_EXACT_UP_TO 5000

/* Counts, or for common phrases estimates, the documents a phrase occurs
 * in: the newest COUNT_EXACT_UP_TO matches tell how densely it occurs. */
static gboolean
phrase_documents (IhSearch    *self,
                  const char  *fragment,
                  gint64      *n_docs,
                  GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 count, oldest, first = 0, last = 0;

  stmt = _ih_store_prepare (self->store,
                            "SELECT count(*), min (r) FROM (SELECT insight_fts.rowid AS r FROM insight_fts"
                            " WHERE insight_fts MATCH ?1 ORDER BY insight_fts.rowid DESC LIMIT ?2)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, fragment, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, COUNT_EXACT_UP_TO);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return search_error (self, error);
    }
  count = sqlite3_column_int64 (stmt, 0);
  oldest = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);

  if (count < COUNT_EXACT_UP_TO)
    {
      *n_docs = count;
      return TRUE;
    }

  /* Two subqueries: min and max together would scan the table */
  stmt = _ih_store_prepare (self->store, "SELECT (SELECT min (rid) FROM insight), (SELECT max (rid) FROM insight)", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      first = sqlite3_column_int64 (stmt, 0);
      last = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);

  *n_docs = last > oldest ? (gint64) ((double) count * (last - first + 1) / (last - oldest + 1)) : count;
  return TRUE;
}

/* Every string literal of the compiled MATCH is one FTS5 phrase, numbered
 * in order. Words and phrases searched in text and context are counted;
 * tags and anything after NOT add nothing to the rank. */
static gboolean
build_rank (IhSearch  *self,
            GError   **error)
{
  g_autoptr(GString) rank = g_string_new ("ih_rank(");
  const char *p = self->match;
  gboolean negated = FALSE;
  guint n = 0;

  while (*p)
    {
      const char *start;
      g_autoptr(GString) literal = NULL;
      gboolean tag;
      gboolean prefix;
      gint64 n_docs = -1;

      if (*p != '"')
        {
          if (g_str_has_prefix (p, " NOT "))
            negated = TRUE;
          p++;
          continue;
        }

      /* The column filter written just before the literal */
      tag = p - self->match >= 7 && strncmp (p - 7, "tags : ", 7) == 0;
      start = p++;
      while (*p && !(*p == '"' && p[1] != '"'))
        p += *p == '"' ? 2 : 1;
      if (*p == '"')
        p++;
      literal = g_string_new_len (start, p - start);
      prefix = g_str_has_prefix (p, " *") || *p == '*';

      if (!tag && !negated)
        {
          g_autofree char *fragment = g_strdup_printf ("{text context} : %s%s", literal->str, prefix ? " *" : "");

          if (!phrase_documents (self, fragment, &n_docs, error))
            return FALSE;
        }
      g_string_append_printf (rank, "%s%" G_GINT64_FORMAT, n++ ? ", " : "", n_docs);
    }

  g_string_append_c (rank, ')');
  self->rank = g_string_free (g_steal_pointer (&rank), FALSE);
  return TRUE;
}

/* Finds the rowid of the IH_SEARCH_RANK_WINDOW-th newest match. */
static gboolean
probe_locked (IhSearch  *self,
              GError   **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (self->probed)
    return TRUE;

  if (!self->ranked)
    {
      /* Nothing to rank: all newest first */
      self->threshold = G_MAXINT64;
      self->n_ranked = 0;
      self->probed = TRUE;
      return TRUE;
    }

  if (self->dated)
    sql = g_strdup_printf ("SELECT insight_fts.rowid FROM insight_fts CROSS JOIN insight i ON i.rid = insight_fts.rowid"
                           " WHERE insight_fts MATCH :match%s ORDER BY insight_fts.rowid DESC LIMIT 1 OFFSET :offset",
                           date_clause (self));
  else
    sql = g_strdup ("SELECT insight_fts.rowid FROM insight_fts WHERE insight_fts MATCH :match"
                    " ORDER BY insight_fts.rowid DESC LIMIT 1 OFFSET :offset");

  if (!build_rank (self, error))
    return FALSE;

  stmt = _ih_store_prepare (self->store, sql, error);
  if (stmt == NULL)
    return FALSE;
  bind_common (self, stmt);
  bind_int (stmt, ":offset", IH_SEARCH_RANK_WINDOW - 1);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      self->threshold = sqlite3_column_int64 (stmt, 0);
      self->n_ranked = IH_SEARCH_RANK_WINDOW;
    }
  else if (rc == SQLITE_DONE)
    {
      /* Fewer matches than the window: rank them all */
      self->threshold = 0;
      self->n_ranked = G_MAXINT64;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return search_error (self, error);

  self->probed = TRUE;
  return TRUE;
}

static IhHit *
hit_from_row (sqlite3_stmt *stmt,
              gboolean      ranked)
{
  IhHit *hit = g_new0 (IhHit, 1);

  hit->rid = sqlite3_column_int64 (stmt, 0);
  hit->id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  hit->snippet = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  hit->date = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  hit->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  hit->sentiment = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  hit->activity_title = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  hit->score = ranked ? sqlite3_column_double (stmt, 7) : 0.0;

  return hit;
}

static gboolean
fetch_ranked_locked (IhSearch   *self,
                     GPtrArray  *hits,
                     guint64     offset,
                     guint       limit,
                     GError    **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  /* ORDER BY rank lets FTS5 sort the window itself and make snippets only
   * for the rows returned */
  sql = g_strdup_printf ("SELECT " HIT_COLUMNS ", insight_fts.rank" FROM_JOINED
                         " AND insight_fts.rank MATCH :rank"
                         " AND insight_fts.rowid >= :bound%s ORDER BY insight_fts.rank LIMIT :limit OFFSET :offset",
                         date_clause (self));
  stmt = _ih_store_prepare (self->store, sql, error);
  if (stmt == NULL)
    return FALSE;
  bind_common (self, stmt);
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":rank"), self->rank, -1, SQLITE_STATIC);
  bind_int (stmt, ":bound", self->threshold);
  bind_int (stmt, ":limit", limit);
  bind_int (stmt, ":offset", offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (hits, hit_from_row (stmt, TRUE));
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE ? TRUE : search_error (self, error);
}

static gboolean
fetch_tail_locked (IhSearch   *self,
                   GPtrArray  *hits,
                   guint64     offset,
                   guint       limit,
                   GError    **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 bound = self->threshold;
  guint64 skip = offset;
  gint64 *key;
  gint64 last = 0;
  guint n = 0;
  int rc;

  /* Continue from where an earlier page ended rather than skipping rows */
  key = g_hash_table_lookup (self->tail_keys, &offset);
  if (key != NULL)
    {
      bound = *key;
      skip = 0;
    }

  sql = g_strdup_printf ("SELECT " HIT_COLUMNS FROM_JOINED
                         " AND insight_fts.rowid < :bound%s ORDER BY insight_fts.rowid DESC LIMIT :limit OFFSET :offset",
                         date_clause (self));
  stmt = _ih_store_prepare (self->store, sql, error);
  if (stmt == NULL)
    return FALSE;
  bind_common (self, stmt);
  bind_int (stmt, ":bound", bound);
  bind_int (stmt, ":limit", limit);
  bind_int (stmt, ":offset", skip);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      IhHit *hit = hit_from_row (stmt, FALSE);

      last = hit->rid;
      n++;
      g_ptr_array_add (hits, hit);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return search_error (self, error);

  if (n > 0 && g_hash_table_size (self->tail_keys) < 100000)
    {
      guint64 next = offset + n;
      g_hash_table_insert (self->tail_keys, g_memdup2 (&next, sizeof next), g_memdup2 (&last, sizeof last));
    }

  return TRUE;
}

GPtrArray *
ih_search_fetch (IhSearch  *self,
                 guint64    offset,
                 guint      limit,
                 GError   **error)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) ih_hit_free);
  gboolean ok;

  g_return_val_if_fail (self != NULL, NULL);

  search_lock (self);
  ok = probe_locked (self, error);
  if (ok && limit > 0 && self->ranked && offset < (guint64) self->n_ranked)
    {
      guint64 room = (guint64) self->n_ranked - offset;
      guint want = room < limit ? (guint) room : limit;

      ok = fetch_ranked_locked (self, hits, offset, want, error);
      /* A short ranked page means there are no more matches at all */
      if (ok && hits->len == want && hits->len < limit && self->threshold > 0)
        ok = fetch_tail_locked (self, hits, 0, limit - hits->len, error);
    }
  else if (ok && limit > 0 && self->threshold > 0)
    {
      guint64 tail_offset = self->ranked ? offset - self->n_ranked : offset;
      ok = fetch_tail_locked (self, hits, tail_offset, limit, error);
    }
  search_unlock (self);

  return ok ? g_steal_pointer (&hits) : NULL;
}

gboolean
ih_search_foreach_id (IhSearch    *self,
                      gboolean   (*func) (const char *id, gpointer user_data),
                      gpointer     user_data,
                      GError     **error)
{
  g_autofree char *sql = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gint64 after = 0;
  gboolean more = TRUE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  sql = g_strdup_printf ("SELECT insight_fts.rowid, i.id FROM insight_fts CROSS JOIN insight i ON i.rid = insight_fts.rowid"
                         " WHERE insight_fts MATCH :match AND insight_fts.rowid > :cursor%s ORDER BY insight_fts.rowid LIMIT 1000",
                         date_clause (self));

  /* In batches, so the callback may use the store between them */
  while (more)
    {
      int rc;

      g_ptr_array_set_size (batch, 0);
      search_lock (self);
      stmt = _ih_store_prepare (self->store, sql, error);
      if (stmt == NULL)
        {
          search_unlock (self);
          return FALSE;
        }
      bind_common (self, stmt);
      bind_int (stmt, ":cursor", after);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          after = sqlite3_column_int64 (stmt, 0);
          g_ptr_array_add (batch, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          search_error (self, error);
          search_unlock (self);
          return FALSE;
        }
      search_unlock (self);

      more = batch->len == 1000;
      for (guint i = 0; i < batch->len; i++)
        if (!func (g_ptr_array_index (batch, i), user_data))
          return TRUE;
    }

  return TRUE;
}

/*
 * Facets
 */

static IhFacet *
facet_new (const char *name)
{
  IhFacet *facet = g_new0 (IhFacet, 1);

  facet->name = name;
  facet->values = g_ptr_array_new ();
  return facet;
}

static void
facet_value_free (IhFacetValue *value)
{
  g_free (value->key);
  g_free (value->label);
  g_free (value);
}

void
ih_facet_free (IhFacet *facet)
{
  if (facet == NULL)
    return;
  g_ptr_array_foreach (facet->values, (GFunc) facet_value_free, NULL);
  g_ptr_array_unref (facet->values);
  g_free (facet);
}

static int
compare_facet_values (gconstpointer a,
                      gconstpointer b)
{
  const IhFacetValue *va = *(const IhFacetValue **) a;
  const IhFacetValue *vb = *(const IhFacetValue **) b;

  if (va->count != vb->count)
    return va->count > vb->count ? -1 : 1;
  return g_utf8_collate (va->label, vb->label);
}

static int
compare_facet_keys_descending (gconstpointer a,
                               gconstpointer b)
{
  const IhFacetValue *va = *(const IhFacetValue **) a;
  const IhFacetValue *vb = *(const IhFacetValue **) b;

  return strcmp (vb->key, va->key);
}

/* Turns a table of key → count into a facet, labelled by @vocab. */
static IhFacet *
facet_from_counts (const char *name,
                   GHashTable *counts,
                   const char *vocab,
                   GHashTable *labels)
{
  IhFacet *facet = facet_new (name);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      IhFacetValue *v = g_new0 (IhFacetValue, 1);
      const char *label = vocab ? ih_vocab_label (vocab, key) : NULL;

      if (label == NULL && vocab != NULL && strcmp (vocab, "insight-kind") == 0)
        label = ih_vocab_label ("activity-kind", key);
      if (label == NULL && labels != NULL)
        label = g_hash_table_lookup (labels, key);

      v->key = g_strdup (key);
      v->label = g_strdup (label ? label : key);
      v->count = *(gint64 *) value;
      g_ptr_array_add (facet->values, v);
    }

  g_ptr_array_sort (facet->values, (GCompareFunc) compare_facet_values);

  return facet;
}

static void
count_key (GHashTable *counts,
           const char *key,
           gint64      n)
{
  gint64 *value;

  if (key == NULL || *key == '\0')
    return;

  value = g_hash_table_lookup (counts, key);
  if (value == NULL)
    {
      value = g_new0 (gint64, 1);
      g_hash_table_insert (counts, g_strdup (key), value);
    }
  *value += n;
}

GPtrArray *
ih_search_facets (IhSearch  *self,
                  GError   **error)
{
  g_autoptr(GPtrArray) facets = g_ptr_array_new_with_free_func ((GDestroyNotify) ih_facet_free);
  g_autoptr(GHashTable) kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) sentiments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) years = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) places = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) themes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) theme_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *sql = NULL;
  g_autofree char *theme_sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);

  /* Grouped in SQL by the few columns facets need, then folded in C */
  sql = g_strdup_printf ("SELECT i.kind, a.kind, i.sentiment, substr (i.date, 1, 4), a.place, count(*)"
                         " FROM insight_fts CROSS JOIN insight i ON i.rid = insight_fts.rowid"
                         " LEFT JOIN activity a ON a.rid = i.activity_rid"
                         " WHERE insight_fts MATCH :match%s GROUP BY 1, 2, 3, 4, 5",
                         date_clause (self));
  theme_sql = g_strdup_printf ("SELECT t.id, t.name, count(*) FROM insight_fts"
                               " CROSS JOIN insight_theme it ON it.insight_rid = insight_fts.rowid"
                               " JOIN theme t ON t.rid = it.theme_rid%s"
                               " WHERE insight_fts MATCH :match%s GROUP BY t.rid",
                               self->dated ? " JOIN insight i ON i.rid = insight_fts.rowid" : "",
                               date_clause (self));

  search_lock (self);
  stmt = _ih_store_prepare (self->store, sql, error);
  if (stmt == NULL)
    goto failed;
  bind_common (self, stmt);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 n = sqlite3_column_int64 (stmt, 5);

      count_key (kinds, (const char *) sqlite3_column_text (stmt, 0), n);
      count_key (kinds, (const char *) sqlite3_column_text (stmt, 1), n);
      count_key (sentiments, (const char *) sqlite3_column_text (stmt, 2), n);
      count_key (years, (const char *) sqlite3_column_text (stmt, 3), n);
      count_key (places, (const char *) sqlite3_column_text (stmt, 4), n);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      search_error (self, error);
      goto failed;
    }

  stmt = _ih_store_prepare (self->store, theme_sql, error);
  if (stmt == NULL)
    goto failed;
  bind_common (self, stmt);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);

      count_key (themes, id, sqlite3_column_int64 (stmt, 2));
      if (id != NULL && !g_hash_table_contains (theme_names, id))
        g_hash_table_insert (theme_names, g_strdup (id),
                             g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      search_error (self, error);
      goto failed;
    }
  search_unlock (self);

  g_ptr_array_add (facets, facet_from_counts ("theme", themes, NULL, theme_names));
  /* Kinds come from two vocabularies, labelled by whichever knows them */
  g_ptr_array_add (facets, facet_from_counts ("kind", kinds, "insight-kind", NULL));
  g_ptr_array_add (facets, facet_from_counts ("place", places, NULL, NULL));
  g_ptr_array_add (facets, facet_from_counts ("sentiment", sentiments, "sentiment", NULL));
  {
    IhFacet *facet = facet_from_counts ("year", years, NULL, NULL);

    /* Years read best in order, newest first */
    g_ptr_array_sort (facet->values, compare_facet_keys_descending);
    g_ptr_array_add (facets, facet);
  }

  return g_steal_pointer (&facets);

failed:
  search_unlock (self);
  return NULL;
}

void
ih_hit_free (IhHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->id);
  g_free (hit->snippet);
  g_free (hit->date);
  g_free (hit->kind);
  g_free (hit->sentiment);
  g_free (hit->activity_title);
  g_free (hit);
}

char *
ih_hit_format_snippet (const IhHit *hit,
                       const char  *open,
                       const char  *close)
{
  GString *out;

  g_return_val_if_fail (hit != NULL, NULL);

  out = g_string_new (NULL);
  for (const char *p = hit->snippet ? hit->snippet : ""; *p; p++)
    {
      if (*p == IH_HIT_MARK_START[0])
        g_string_append (out, open);
      else if (*p == IH_HIT_MARK_END[0])
        g_string_append (out, close);
      else if (*p == '\n' || *p == '\r')
        g_string_append_c (out, ' ');
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}
