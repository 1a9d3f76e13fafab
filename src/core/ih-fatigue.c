/* ih-fatigue.c — earlier activities and insight on the same topic, place
 * and communities, ranked with the reasons for each
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-fatigue"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "ih-fatigue.h"
#include "ih-search.h"
#include "ih-store-private.h"

#define MAX_TOPIC_WORDS 12
/* How many of the best-matching insight are looked at */
#define INSIGHT_CANDIDATES 200

/* Words that say what kind of activity it was, not what it was about:
 * every workshop title has "workshop" */
static const char * const stop_words[] = {
  "about", "and", "are", "board", "citizens", "consultation", "drop", "engagement", "event",
  "focus", "for", "from", "group", "have", "interview", "meeting", "our", "outreach", "panel",
  "public", "question", "session", "story", "survey", "that", "the", "this", "was", "webinar",
  "were", "what", "with", "workshop", "you", "your",
};

static gboolean
is_stop_word (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (stop_words); i++)
    if (strcmp (stop_words[i], word) == 0)
      return TRUE;
  return FALSE;
}

/* The distinct words of @text worth searching for, case-folded */
static GPtrArray *
topic_words (const char *text)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *folded = NULL;
  GString *word = g_string_new (NULL);
  const char *p;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_string_free (word, TRUE);
      return g_steal_pointer (&words);
    }

  folded = g_utf8_casefold (text, -1);
  for (p = folded;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isalnum (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (g_utf8_strlen (word->str, -1) >= 3 && !is_stop_word (word->str) &&
          !g_ptr_array_find_with_equal_func (words, word->str, g_str_equal, NULL) &&
          words->len < MAX_TOPIC_WORDS)
        g_ptr_array_add (words, g_strdup (word->str));
      g_string_truncate (word, 0);
      if (c == 0)
        break;
    }
  g_string_free (word, TRUE);
  return g_steal_pointer (&words);
}

static gboolean
parse_date (const char *text,
            GDate      *date)
{
  int y, m, d;

  g_date_clear (date, 1);
  if (text == NULL || !ih_date_is_valid (text) || sscanf (text, "%d-%d-%d", &y, &m, &d) != 3)
    return FALSE;
  g_date_set_dmy (date, d, m, y);
  return g_date_valid (date);
}

static char *
format_date (const GDate *date)
{
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

static gboolean
same_text (const char *a,
           const char *b)
{
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;

  if (a == NULL || b == NULL || *a == '\0' || *b == '\0')
    return FALSE;
  x = g_utf8_casefold (a, -1);
  y = g_utf8_casefold (b, -1);
  return strcmp (g_strstrip (x), g_strstrip (y)) == 0;
}

void
ih_fatigue_query_free (IhFatigueQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->topic);
  g_free (query->programme);
  g_free (query->place);
  g_free (query->locality);
  g_strfreev (query->communities);
  g_free (query->date);
  g_free (query->exclude_activity_id);
  g_free (query);
}

IhFatigueQuery *
ih_fatigue_query_for_activity (IhStore     *store,
                               const char  *activity_id,
                               guint        months,
                               GError     **error)
{
  g_autoptr(IhActivity) activity = NULL;
  IhFatigueQuery *query;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  g_return_val_if_fail (activity_id != NULL, NULL);

  activity = ih_store_load (store, &ih_activity_class, activity_id, error);
  if (activity == NULL)
    return NULL;

  query = g_new0 (IhFatigueQuery, 1);
  query->topic = g_strdup (activity->title);
  query->programme = g_strdup (activity->programme);
  query->place = g_strdup (activity->place);
  query->locality = g_strdup (activity->locality);
  query->communities = g_strdupv (activity->communities);
  query->date = g_strdup (activity->start_date ? activity->start_date : activity->end_date);
  query->months = months;
  query->exclude_activity_id = g_strdup (activity_id);
  return query;
}

void
ih_fatigue_hit_free (IhFatigueHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->id);
  g_free (hit->title);
  g_free (hit->activity_title);
  g_free (hit->date);
  g_free (hit->place);
  g_clear_pointer (&hit->reasons, g_ptr_array_unref);
  g_free (hit);
}

static IhFatigueHit *
hit_new (IhFatigueHitKind kind)
{
  IhFatigueHit *hit = g_new0 (IhFatigueHit, 1);

  hit->kind = kind;
  hit->reasons = g_ptr_array_new_with_free_func (g_free);
  return hit;
}

/* Programme, place, locality and communities an activity shares with the
 * query: adds to @score and @reasons */
static double
score_context (const IhFatigueQuery *query,
               IhActivity           *activity,
               GPtrArray            *reasons)
{
  g_autoptr(GPtrArray) shared = g_ptr_array_new ();
  double score = 0;

  if (activity == NULL)
    return 0;

  if (same_text (query->programme, activity->programme))
    {
      score += 3;
      g_ptr_array_add (reasons, g_strdup_printf (_("Same programme: %s"), activity->programme));
    }
  if (same_text (query->place, activity->place))
    {
      score += 2;
      g_ptr_array_add (reasons, g_strdup_printf (_("Same place: %s"), activity->place));
    }
  if (same_text (query->locality, activity->locality))
    {
      score += 2;
      g_ptr_array_add (reasons, g_strdup_printf (_("Same locality: %s"), activity->locality));
    }
  for (guint i = 0; query->communities && query->communities[i]; i++)
    for (guint j = 0; activity->communities && activity->communities[j]; j++)
      if (same_text (query->communities[i], activity->communities[j]))
        {
          score += 2;
          g_ptr_array_add (shared, activity->communities[j]);
          break;
        }
  if (shared->len > 0)
    {
      g_autofree char *list = NULL;

      g_ptr_array_add (shared, NULL);
      list = g_strjoinv (", ", (char **) shared->pdata);
      g_ptr_array_add (reasons, g_strdup_printf (_("Also asked: %s"), list));
    }
  return score;
}

/* Weighs @score by how recent @date is: 1 at the query's date, ½ at the
 * far end of the window; adds the age to @reasons */
static double
weigh_recency (double       score,
               const GDate *date,
               const GDate *end,
               guint        window_days,
               GPtrArray   *reasons)
{
  int days = g_date_days_between (date, end);
  double factor = 1.0 - 0.5 * CLAMP ((double) days / MAX (window_days, 1), 0.0, 1.0);

  if (days < 1)
    g_ptr_array_add (reasons, g_strdup (_("The same day")));
  else if (days < 60)
    g_ptr_array_add (reasons, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day earlier",
                                                            "%d days earlier", days),
                                               days));
  else
    g_ptr_array_add (reasons, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d month earlier",
                                                            "%d months earlier", days / 30),
                                               days / 30));
  return score * factor;
}

static gint
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const IhFatigueHit *x = *(IhFatigueHit **) a;
  const IhFatigueHit *y = *(IhFatigueHit **) b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return -g_strcmp0 (x->date, y->date);
}

/* Insight matching the topic, counted by activity rid */
static GHashTable *
count_matches_by_activity (IhStore     *store,
                           const char  *match,
                           GError     **error)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  _ih_store_lock (store);
  stmt = _ih_store_prepare (store,
                            "SELECT i.activity_rid, count(*) FROM insight_fts"
                            " JOIN insight i ON i.rid = insight_fts.rowid"
                            " WHERE insight_fts MATCH ? AND i.activity_rid IS NOT NULL"
                            " GROUP BY i.activity_rid",
                            error);
  if (stmt == NULL)
    {
      _ih_store_unlock (store);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rid = sqlite3_column_int64 (stmt, 0);

      g_hash_table_insert (counts, g_memdup2 (&rid, sizeof rid),
                           GSIZE_TO_POINTER (sqlite3_column_int64 (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ih_store_set_error (store, error, _("Search failed"));
      _ih_store_unlock (store);
      return NULL;
    }
  _ih_store_unlock (store);
  return g_steal_pointer (&counts);
}

/* The matched words of a snippet, quoted and joined */
static char *
marked_words (const char *snippet)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  const char *p = snippet;

  while (p != NULL && (p = strchr (p, IH_HIT_MARK_START[0])) != NULL)
    {
      const char *end = strchr (p + 1, IH_HIT_MARK_END[0]);
      g_autofree char *word = NULL;
      g_autofree char *folded = NULL;

      if (end == NULL)
        break;
      word = g_strndup (p + 1, end - p - 1);
      folded = g_utf8_casefold (word, -1);
      if (!g_ptr_array_find_with_equal_func (words, folded, g_str_equal, NULL))
        g_ptr_array_add (words, g_steal_pointer (&folded));
      p = end + 1;
    }
  if (words->len == 0)
    return NULL;
  g_ptr_array_add (words, NULL);
  return g_strjoinv (", ", (char **) words->pdata);
}

GPtrArray *
ih_fatigue_find (IhStore              *store,
                 const IhFatigueQuery *query,
                 guint                 limit,
                 GError              **error)
{
  g_autoptr(GPtrArray) words = NULL;
  g_autoptr(GPtrArray) activities = NULL;
  g_autoptr(GPtrArray) activity_hits = g_ptr_array_new_with_free_func ((GDestroyNotify) ih_fatigue_hit_free);
  g_autoptr(GPtrArray) insight_hits = g_ptr_array_new_with_free_func ((GDestroyNotify) ih_fatigue_hit_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) matches = NULL;
  g_autofree char *search_text = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *after_end = NULL;
  GDate end, from, after;
  guint window_days;
  GPtrArray *out;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (query->date != NULL)
    {
      if (!parse_date (query->date, &end))
        {
          g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID,
                       _("“%s” is not a date (YYYY-MM-DD)"), query->date);
          return NULL;
        }
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      g_date_clear (&end, 1);
      g_date_set_dmy (&end, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                      g_date_time_get_year (now));
    }
  from = end;
  g_date_subtract_months (&from, query->months > 0 ? query->months : IH_FATIGUE_DEFAULT_MONTHS);
  window_days = g_date_days_between (&from, &end);
  after = end;
  g_date_add_days (&after, 1);
  from_text = format_date (&from);
  after_end = format_date (&after);

  /* The topic's words, searched for in the index */
  words = topic_words (query->topic);
  {
    g_autoptr(GPtrArray) more = topic_words (query->programme);

    for (guint i = 0; i < more->len && words->len < MAX_TOPIC_WORDS; i++)
      if (!g_ptr_array_find_with_equal_func (words, g_ptr_array_index (more, i), g_str_equal, NULL))
        g_ptr_array_add (words, g_strdup (g_ptr_array_index (more, i)));
  }
  if (words->len > 0)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(IhQuery) parsed = NULL;

      for (guint i = 0; i < words->len; i++)
        g_string_append_printf (text, "%s%s", i ? " OR " : "", (char *) g_ptr_array_index (words, i));
      parsed = ih_query_parse (text->str, IH_QUERY_FLAG_NONE, error);
      if (parsed == NULL)
        return NULL;
      matches = count_matches_by_activity (store, ih_query_get_match (parsed), error);
      if (matches == NULL)
        return NULL;
      search_text = g_strdup_printf ("%s after:%s before:%s", text->str, from_text, after_end);
    }

  /* Activities in the window */
  activities = ih_store_list (store, &ih_activity_class, error);
  if (activities == NULL)
    return NULL;
  for (guint i = 0; i < activities->len; i++)
    {
      IhActivity *a = g_ptr_array_index (activities, i);
      const char *date_text = a->start_date ? a->start_date : a->end_date;
      g_autoptr(IhFatigueHit) hit = NULL;
      g_autoptr(GPtrArray) shared = g_ptr_array_new ();
      g_autoptr(GPtrArray) title_words = NULL;
      double score;
      guint n;
      GDate date;

      g_hash_table_insert (by_id, a->parent.id, a);
      if (g_strcmp0 (a->parent.id, query->exclude_activity_id) == 0)
        continue;
      if (!parse_date (date_text, &date) || g_date_compare (&date, &from) < 0 ||
          g_date_compare (&date, &end) > 0)
        continue;

      hit = hit_new (IH_FATIGUE_HIT_ACTIVITY);
      score = score_context (query, a, hit->reasons);

      title_words = topic_words (a->title);
      {
        g_autoptr(GPtrArray) more = topic_words (a->programme);

        for (guint j = 0; j < more->len; j++)
          g_ptr_array_add (title_words, g_strdup (g_ptr_array_index (more, j)));
      }
      for (guint j = 0; j < words->len; j++)
        if (g_ptr_array_find_with_equal_func (title_words, g_ptr_array_index (words, j), g_str_equal, NULL))
          g_ptr_array_add (shared, g_ptr_array_index (words, j));
      if (shared->len > 0)
        {
          g_autofree char *list = NULL;

          score += MIN (shared->len, 3);
          g_ptr_array_add (shared, NULL);
          list = g_strjoinv (", ", (char **) shared->pdata);
          g_ptr_array_add (hit->reasons, g_strdup_printf (_("Same words in its title: %s"), list));
        }

      n = matches ? GPOINTER_TO_SIZE (g_hash_table_lookup (matches, &a->parent.rid)) : 0;
      if (n > 0)
        {
          score += MIN (n, 3);
          g_ptr_array_add (hit->reasons,
                           g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "%u piece of insight from it is on the topic",
                                                         "%u pieces of insight from it are on the topic", n),
                                            n));
        }

      if (score <= 0)
        continue;
      hit->score = weigh_recency (score, &date, &end, window_days, hit->reasons);
      hit->id = g_strdup (a->parent.id);
      hit->title = g_strdup (a->title);
      hit->date = g_strdup (date_text);
      hit->place = g_strdup (a->place);
      g_ptr_array_add (activity_hits, g_steal_pointer (&hit));
    }

  /* Insight on the topic in the window */
  if (search_text != NULL)
    {
      g_autoptr(IhSearch) search = ih_search_new (store, search_text, IH_QUERY_FLAG_NONE, error);
      g_autoptr(GPtrArray) hits = NULL;

      if (search == NULL)
        return NULL;
      hits = ih_search_fetch (search, 0, INSIGHT_CANDIDATES, error);
      if (hits == NULL)
        return NULL;
      for (guint i = 0; i < hits->len; i++)
        {
          IhHit *h = g_ptr_array_index (hits, i);
          g_autoptr(IhInsight) insight = ih_store_load (store, &ih_insight_class, h->id, NULL);
          g_autoptr(IhFatigueHit) hit = NULL;
          g_autofree char *marked = NULL;
          IhActivity *a;
          double score = 2;
          GDate date;

          if (insight == NULL || !parse_date (insight->date, &date))
            continue;
          if (g_strcmp0 (insight->activity_id, query->exclude_activity_id) == 0 &&
              query->exclude_activity_id != NULL)
            continue;
          a = insight->activity_id ? g_hash_table_lookup (by_id, insight->activity_id) : NULL;

          hit = hit_new (IH_FATIGUE_HIT_INSIGHT);
          marked = marked_words (h->snippet);
          if (marked != NULL)
            g_ptr_array_add (hit->reasons, g_strdup_printf (_("Mentions %s"), marked));
          score += score_context (query, a, hit->reasons);
          hit->score = weigh_recency (score, &date, &end, window_days, hit->reasons);
          hit->id = g_strdup (insight->parent.id);
          hit->title = g_strdup (insight->text);
          hit->activity_title = a ? g_strdup (a->title) : NULL;
          hit->date = g_strdup (insight->date);
          hit->place = a ? g_strdup (a->place) : NULL;
          g_ptr_array_add (insight_hits, g_steal_pointer (&hit));
        }
    }

  g_ptr_array_sort (activity_hits, compare_hits);
  g_ptr_array_sort (insight_hits, compare_hits);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) ih_fatigue_hit_free);
  for (guint i = 0; i < activity_hits->len && i < limit; i++)
    g_ptr_array_add (out, g_steal_pointer (&g_ptr_array_index (activity_hits, i)));
  for (guint i = 0; i < insight_hits->len && i < limit; i++)
    g_ptr_array_add (out, g_steal_pointer (&g_ptr_array_index (insight_hits, i)));
  return out;
}
