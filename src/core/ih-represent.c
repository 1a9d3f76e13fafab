/* ih-represent.c — respondents beside the population: counts, the exact
 * binomial (or score) test and the Holm–Bonferroni correction
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-represent"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ih-csv.h"
#include "ih-query.h"
#include "ih-represent-private.h"
#include "ih-store-private.h"

/*
 * Scopes
 */

static gboolean
collect_sql (IhStore     *store,
             const char  *sql,
             const char  *value,
             GArray      *rids,
             GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  _ih_store_lock (store);
  stmt = _ih_store_prepare (store, sql, error);
  if (stmt == NULL)
    {
      _ih_store_unlock (store);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rid = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (rids, rid);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ih_store_set_error (store, error, _("Could not read the insight"));
      _ih_store_unlock (store);
      return FALSE;
    }
  _ih_store_unlock (store);
  return TRUE;
}

char *
_ih_scope_rids_json (GArray *rids)
{
  GString *json = g_string_sized_new (rids->len * 8 + 2);

  g_string_append_c (json, '[');
  for (guint i = 0; i < rids->len; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index (rids, gint64, i));
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

/* The matches of a search, in one statement: the same MATCH and date
 * bounds as IhSearch, without ranking or snippets */
static gboolean
collect_query (IhStore     *store,
               const char  *text,
               GArray      *rids,
               GError     **error)
{
  g_autoptr(IhQuery) query = ih_query_parse (text, IH_QUERY_FLAG_NONE, error);
  const char *match;
  sqlite3_stmt *stmt;
  int rc;

  if (query == NULL)
    return FALSE;
  /* Every insight in the index has the tag "ihall" */
  match = ih_query_get_match (query);
  if (match == NULL)
    match = "tags : \"ihall\"";

  _ih_store_lock (store);
  stmt = _ih_store_prepare (store,
                            "SELECT insight_fts.rowid FROM insight_fts"
                            " JOIN insight i ON i.rid = insight_fts.rowid"
                            " WHERE insight_fts MATCH ?1 AND (?2 IS NULL OR i.date >= ?2)"
                            " AND (?3 IS NULL OR i.date < ?3)"
                            " AND i.deleted = 0 AND i.consent IS NOT 'withdrawn'"
                            " ORDER BY insight_fts.rowid",
                            error);
  if (stmt == NULL)
    {
      _ih_store_unlock (store);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  if (ih_query_get_after (query))
    sqlite3_bind_text (stmt, 2, ih_query_get_after (query), -1, SQLITE_STATIC);
  if (ih_query_get_before (query))
    sqlite3_bind_text (stmt, 3, ih_query_get_before (query), -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rid = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (rids, rid);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ih_store_set_error (store, error, _("Search failed"));
      _ih_store_unlock (store);
      return FALSE;
    }
  _ih_store_unlock (store);
  return TRUE;
}

GArray *
ih_scope_collect (IhStore      *store,
                  IhScopeKind   kind,
                  const char   *value,
                  GError      **error)
{
  g_autoptr(GArray) rids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  g_return_val_if_fail (value != NULL, NULL);

  switch (kind)
    {
    case IH_SCOPE_ACTIVITY:
      if (!ih_store_exists (store, &ih_activity_class, value))
        {
          g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_FOUND,
                       _("There is no activity with id “%s”"), value);
          return NULL;
        }
      if (!collect_sql (store,
                        "SELECT i.rid FROM insight i JOIN activity a ON a.rid = i.activity_rid"
                        " WHERE a.id = ? AND i.deleted = 0 AND i.consent IS NOT 'withdrawn'"
                        " ORDER BY i.rid",
                        value, rids, error))
        return NULL;
      break;

    case IH_SCOPE_PROGRAMME:
      {
        g_autoptr(GArray) activities = g_array_new (FALSE, FALSE, sizeof (gint64));

        if (!collect_sql (store,
                          "SELECT rid FROM activity WHERE programme = ? COLLATE NOCASE AND deleted = 0",
                          value, activities, error))
          return NULL;
        if (activities->len == 0)
          {
            g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_FOUND,
                         _("No activity belongs to the programme “%s”"), value);
            return NULL;
          }
        if (!collect_sql (store,
                          "SELECT i.rid FROM insight i JOIN activity a ON a.rid = i.activity_rid"
                          " WHERE a.programme = ? COLLATE NOCASE AND a.deleted = 0"
                          " AND i.deleted = 0 AND i.consent IS NOT 'withdrawn' ORDER BY i.rid",
                          value, rids, error))
          return NULL;
      }
      break;

    case IH_SCOPE_QUERY:
      if (!collect_query (store, value, rids, error))
        return NULL;
      break;

    default:
      g_return_val_if_reached (NULL);
    }

  return g_steal_pointer (&rids);
}

char *
ih_scope_describe (IhStore     *store,
                   IhScopeKind  kind,
                   const char  *value)
{
  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  g_return_val_if_fail (value != NULL, NULL);

  switch (kind)
    {
    case IH_SCOPE_ACTIVITY:
      {
        g_autoptr(IhActivity) activity = ih_store_load (store, &ih_activity_class, value, NULL);

        return g_strdup_printf (_("Activity “%s”"), activity ? activity->title : value);
      }
    case IH_SCOPE_PROGRAMME:
      return g_strdup_printf (_("Programme “%s”"), value);
    case IH_SCOPE_QUERY:
      if (*value == '\0')
        return g_strdup (_("All insight"));
      return g_strdup_printf (_("Search “%s”"), value);
    default:
      g_return_val_if_reached (NULL);
    }
}

/*
 * Statistics
 */

static double
log_pmf (gint64 i,
         gint64 n,
         double p)
{
  return lgamma (n + 1.0) - lgamma (i + 1.0) - lgamma (n - i + 1.0) +
         i * log (p) + (n - i) * log1p (-p);
}

double
ih_represent_binomial_p (gint64 k,
                         gint64 n,
                         double p)
{
  double d, sum = 0;

  g_return_val_if_fail (n >= 0 && k >= 0 && k <= n, NAN);
  g_return_val_if_fail (p >= 0 && p <= 1, NAN);

  if (p == 0)
    return k == 0 ? 1.0 : 0.0;
  if (p == 1)
    return k == n ? 1.0 : 0.0;

  /* Every outcome at most as likely as the one seen; the small relative
   * allowance keeps outcomes exactly as likely (rounding aside) */
  d = log_pmf (k, n, p) + log1p (1e-7);
  for (gint64 i = 0; i <= n; i++)
    {
      double l = log_pmf (i, n, p);

      if (l <= d)
        sum += exp (l);
    }
  return MIN (sum, 1.0);
}

double
ih_represent_score_p (gint64 k,
                      gint64 n,
                      double p)
{
  double diff, z;

  g_return_val_if_fail (n >= 0 && k >= 0 && k <= n, NAN);
  g_return_val_if_fail (p >= 0 && p <= 1, NAN);

  if (p == 0)
    return k == 0 ? 1.0 : 0.0;
  if (p == 1)
    return k == n ? 1.0 : 0.0;

  diff = fabs (k - n * p) - 0.5;
  if (diff <= 0)
    return 1.0;
  z = diff / sqrt (n * p * (1 - p));
  return MIN (erfc (z / G_SQRT2), 1.0);
}

void
ih_represent_holm (double *p,
                   guint   n)
{
  g_autofree guint *order = g_new (guint, n);
  double running = 0;

  g_return_if_fail (n == 0 || p != NULL);

  for (guint i = 0; i < n; i++)
    order[i] = i;
  /* Insertion sort by p: a characteristic has a handful of groups */
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && p[order[j]] < p[order[j - 1]]; j--)
      {
        guint t = order[j];
        order[j] = order[j - 1];
        order[j - 1] = t;
      }
  for (guint i = 0; i < n; i++)
    {
      double adj = MIN (1.0, (n - i) * p[order[i]]);

      running = MAX (running, adj);
      p[order[i]] = running;
    }
}

/*
 * The table
 */

static void
row_free (IhRepresentRow *row)
{
  g_free (row->group);
  g_free (row->label);
  g_free (row);
}

static void
characteristic_free (IhRepresentCharacteristic *c)
{
  g_free (c->note);
  g_clear_pointer (&c->rows, g_ptr_array_unref);
  g_free (c);
}

void
ih_represent_table_free (IhRepresentTable *table)
{
  if (table == NULL)
    return;
  g_free (table->scope);
  g_free (table->place);
  g_free (table->place_note);
  g_clear_pointer (&table->characteristics, g_ptr_array_unref);
  g_free (table);
}

static IhRepresentRow *
row_new (IhRepresentRowKind  kind,
         const char         *group,
         const char         *label,
         gint64              count)
{
  IhRepresentRow *row = g_new0 (IhRepresentRow, 1);

  row->kind = kind;
  row->group = g_strdup (group);
  row->label = g_strdup (label);
  row->count = count;
  row->observed_share = NAN;
  row->expected_share = NAN;
  row->expected_count = NAN;
  row->p_value = NAN;
  row->p_adjusted = NAN;
  row->flag = IH_REPRESENT_AS_EXPECTED;
  return row;
}

#define N_ASKED 5

typedef struct
{
  /* age band, sex, ethnic group, disability, postcode district */
  char   *answers[N_ASKED];
} Respondent;

/* The groups of the deprivation decile, and of a district the profile
 * does not place in one */
static const char * const decile_keys[] = {
  "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "unknown-district", NULL
};

static const char *
group_label (const IhCharacteristic *c,
             const char             *group)
{
  const char *label;

  if (c->vocab != NULL)
    {
      label = ih_vocab_label (c->vocab, group);
      return label ? label : group;
    }
  if (strcmp (group, "1") == 0)
    return _("1 (most deprived)");
  if (strcmp (group, "10") == 0)
    return _("10 (least deprived)");
  if (strcmp (group, "unknown-district") == 0)
    return _("Postcode district not in the profile");
  return group;
}

static IhRepresentCharacteristic *
compute_characteristic (const IhCharacteristic *c,
                        guint                   index,
                        IhPopulationProfile    *profile,
                        GPtrArray              *respondents)
{
  IhRepresentCharacteristic *out = g_new0 (IhRepresentCharacteristic, 1);
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) tested = g_array_new (FALSE, FALSE, sizeof (guint));
  const char * const *keys = c->vocab ? ih_vocab_keys (c->vocab) : decile_keys;
  double profile_sum = 0;
  guint n_profile_groups = 0;

  out->characteristic = c;
  out->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);

  for (guint i = 0; i < respondents->len; i++)
    {
      Respondent *r = g_ptr_array_index (respondents, i);
      const char *answer = r->answers[index];

      if (answer == NULL || *answer == '\0')
        {
          out->missing++;
          continue;
        }
      if (c->by_district)
        {
          /* The decile of the respondent's postcode district */
          int decile = ih_population_profile_decile (profile, answer);

          answer = decile_keys[decile >= 1 && decile <= 10 ? decile - 1 : 10];
        }
      if (strcmp (answer, "prefer-not-to-say") == 0)
        out->prefer_not++;
      else
        g_hash_table_insert (counts, (gpointer) answer,
                             GSIZE_TO_POINTER (GPOINTER_TO_SIZE (g_hash_table_lookup (counts, answer)) + 1));
    }

  /* The profile's groups, rescaled so they add up to exactly 1 */
  for (guint i = 0; i < profile->shares->len; i++)
    {
      IhPopulationShare *s = g_ptr_array_index (profile->shares, i);

      if (strcmp (s->characteristic, c->key) == 0)
        {
          profile_sum += s->share;
          n_profile_groups++;
        }
    }

  for (guint i = 0; i < profile->shares->len; i++)
    {
      IhPopulationShare *s = g_ptr_array_index (profile->shares, i);
      IhRepresentRow *row;
      gint64 count;

      if (strcmp (s->characteristic, c->key) != 0)
        continue;
      count = GPOINTER_TO_SIZE (g_hash_table_lookup (counts, s->group));
      row = row_new (IH_REPRESENT_ROW_GROUP, s->group, group_label (c, s->group), count);
      row->expected_share = profile_sum > 0 ? s->share / profile_sum : 0;
      out->answered += count;
      g_ptr_array_add (out->rows, row);
    }

  /* Answers the profile has no figure for, in vocabulary order */
  for (guint i = 0; keys && keys[i]; i++)
    {
      gint64 count = GPOINTER_TO_SIZE (g_hash_table_lookup (counts, keys[i]));

      if (count == 0 || strcmp (keys[i], "prefer-not-to-say") == 0 ||
          !isnan (ih_population_profile_share (profile, c->key, keys[i])))
        continue;
      g_ptr_array_add (out->rows,
                       row_new (IH_REPRESENT_ROW_NOT_IN_PROFILE, keys[i], group_label (c, keys[i]), count));
      out->not_in_profile += count;
    }

  g_ptr_array_add (out->rows,
                   row_new (IH_REPRESENT_ROW_PREFER_NOT, "prefer-not-to-say", _("Prefer not to say"),
                            out->prefer_not));
  g_ptr_array_add (out->rows, row_new (IH_REPRESENT_ROW_MISSING, NULL, _("Not answered"), out->missing));

  for (guint i = 0; i < out->rows->len; i++)
    {
      IhRepresentRow *row = g_ptr_array_index (out->rows, i);

      if (row->kind != IH_REPRESENT_ROW_GROUP)
        continue;
      if (out->answered > 0)
        {
          row->observed_share = (double) row->count / out->answered;
          row->expected_count = row->expected_share * out->answered;
        }
      g_array_append_val (tested, i);
    }

  if (n_profile_groups == 0)
    out->note = g_strdup_printf (_("The profile of %s has no figures for this characteristic."),
                                 profile->place);
  else if (c->by_district && g_hash_table_size (profile->districts) == 0)
    out->note = g_strdup_printf (_("The profile of %s does not give the deprivation decile of its "
                                   "postcode districts, so respondents cannot be placed in a decile."),
                                 profile->place);
  else if (out->answered == 0)
    out->note = g_strdup (_("Nobody answered this question."));
  else if (out->answered < IH_REPRESENT_MIN_ANSWERS)
    out->note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Only %d answer: at least %d are needed "
                                              "before any group is called under- or over-represented.",
                                              "Only %d answers: at least %d are needed "
                                              "before any group is called under- or over-represented.",
                                              (gulong) out->answered),
                                 (int) out->answered, IH_REPRESENT_MIN_ANSWERS);
  else
    {
      g_autofree double *p = g_new (double, tested->len);

      out->test = out->answered <= IH_REPRESENT_EXACT_MAX ? IH_REPRESENT_TEST_EXACT : IH_REPRESENT_TEST_SCORE;
      for (guint i = 0; i < tested->len; i++)
        {
          IhRepresentRow *row = g_ptr_array_index (out->rows, g_array_index (tested, guint, i));

          row->p_value = out->test == IH_REPRESENT_TEST_EXACT
                           ? ih_represent_binomial_p (row->count, out->answered, row->expected_share)
                           : ih_represent_score_p (row->count, out->answered, row->expected_share);
          p[i] = row->p_value;
        }
      ih_represent_holm (p, tested->len);
      for (guint i = 0; i < tested->len; i++)
        {
          IhRepresentRow *row = g_ptr_array_index (out->rows, g_array_index (tested, guint, i));

          row->p_adjusted = p[i];
          if (p[i] < IH_REPRESENT_ALPHA)
            row->flag = row->count < row->expected_count ? IH_REPRESENT_UNDER : IH_REPRESENT_OVER;
        }
    }

  return out;
}

static void
respondent_free (Respondent *r)
{
  for (guint i = 0; i < N_ASKED; i++)
    g_free (r->answers[i]);
  g_free (r);
}

static gboolean
read_respondents (IhStore    *store,
                  GArray     *rids,
                  GPtrArray  *respondents,
                  GHashTable *places,
                  GError    **error)
{
  g_autofree char *json = _ih_scope_rids_json (rids);
  sqlite3_stmt *stmt;
  int rc;

  _ih_store_lock (store);
  stmt = _ih_store_prepare (store,
                            "SELECT i.age_band, i.sex, i.ethnic_group, i.disability, i.postcode_district, a.place"
                            " FROM insight i LEFT JOIN activity a ON a.rid = i.activity_rid"
                            " WHERE i.rid IN (SELECT value FROM json_each (?))"
                            " AND i.deleted = 0 AND i.consent IS NOT 'withdrawn'",
                            error);
  if (stmt == NULL)
    {
      _ih_store_unlock (store);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Respondent *r = g_new0 (Respondent, 1);
      gboolean any = FALSE;
      const char *place = (const char *) sqlite3_column_text (stmt, N_ASKED);

      for (guint j = 0; j < N_ASKED; j++)
        {
          const char *v = (const char *) sqlite3_column_text (stmt, j);

          if (v != NULL && *v != '\0')
            {
              r->answers[j] = g_strdup (v);
              any = TRUE;
            }
        }
      if (place != NULL && *place != '\0')
        {
          gsize n = GPOINTER_TO_SIZE (g_hash_table_lookup (places, place));

          g_hash_table_replace (places, g_strdup (place), GSIZE_TO_POINTER (n + 1));
        }
      if (any)
        g_ptr_array_add (respondents, r);
      else
        respondent_free (r);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ih_store_set_error (store, error, _("Could not read the insight"));
      _ih_store_unlock (store);
      return FALSE;
    }
  _ih_store_unlock (store);
  return TRUE;
}

IhRepresentTable *
ih_represent_compute (IhStore     *store,
                      GArray      *rids,
                      const char  *scope_label,
                      const char  *place,
                      GError     **error)
{
  g_autoptr(IhRepresentTable) table = NULL;
  g_autoptr(GPtrArray) respondents = g_ptr_array_new_with_free_func ((GDestroyNotify) respondent_free);
  g_autoptr(GHashTable) places = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(IhPopulationProfile) profile = NULL;
  const IhCharacteristic *list;
  guint n_chars;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  g_return_val_if_fail (rids != NULL, NULL);

  table = g_new0 (IhRepresentTable, 1);
  table->scope = g_strdup (scope_label);
  table->characteristics = g_ptr_array_new_with_free_func ((GDestroyNotify) characteristic_free);
  table->n_insight = rids->len;

  if (!read_respondents (store, rids, respondents, places, error))
    return NULL;
  table->n_respondents = respondents->len;

  if (place == NULL)
    {
      /* The place most of the insight comes from; ties go to the first
       * in alphabetical order, so the choice does not vary */
      GHashTableIter iter;
      gpointer key, value;
      const char *best = NULL;
      gsize best_n = 0;

      g_hash_table_iter_init (&iter, places);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          gsize n = GPOINTER_TO_SIZE (value);

          if (n > best_n || (n == best_n && g_utf8_collate (key, best) < 0))
            {
              best = key;
              best_n = n;
            }
        }
      if (best == NULL)
        {
          g_set_error (error, IH_POPULATION_ERROR, IH_POPULATION_ERROR_NOT_FOUND,
                       _("None of this insight comes from an activity with a place: say which "
                         "place’s population to compare with"));
          return NULL;
        }
      table->place = g_strdup (best);
      if (g_hash_table_size (places) > 1)
        {
          g_autofree char *most = g_strdup_printf ("%" G_GSIZE_FORMAT, best_n);
          g_autofree char *all = g_strdup_printf ("%" G_GINT64_FORMAT, table->n_insight);

          table->place_note = g_strdup_printf (_("The insight comes from %u places; it is compared with "
                                                 "the population of %s, where most of it (%s of %s) comes from."),
                                               g_hash_table_size (places), best, most, all);
        }
    }
  else
    table->place = g_strdup (place);

  profile = ih_population_get (store, table->place, error);
  if (profile == NULL)
    return NULL;
  g_free (table->place);
  table->place = g_strdup (profile->place);

  list = ih_population_characteristics (&n_chars);
  for (guint i = 0, asked = 0; i < n_chars; i++)
    {
      if (list[i].column == NULL)
        continue;
      g_assert (asked < N_ASKED);
      g_ptr_array_add (table->characteristics,
                       compute_characteristic (&list[i], asked++, profile, respondents));
    }

  return g_steal_pointer (&table);
}

/*
 * CSV
 */

static char *
format_number (double v,
               int    digits)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (v))
    return g_strdup ("");
  return g_strdup (g_ascii_formatd (buf, sizeof buf, digits == 4 ? "%.4f" : "%.6g", v));
}

const char *
ih_represent_flag_label (IhRepresentFlag flag)
{
  switch (flag)
    {
    case IH_REPRESENT_UNDER:
      return _("Under-represented");
    case IH_REPRESENT_OVER:
      return _("Over-represented");
    case IH_REPRESENT_AS_EXPECTED:
    default:
      return "";
    }
}

char *
ih_represent_to_csv (const IhRepresentTable *table)
{
  GString *out = g_string_new (NULL);
  const char *header[] = {
    _("Characteristic"), _("Group"), _("Respondents"), _("Share of those who answered"),
    _("Population share"), _("Expected respondents"), _("p (two-sided)"),
    _("p (Holm–Bonferroni)"), _("Representation"), _("Test"), _("Place"),
  };

  g_return_val_if_fail (table != NULL, NULL);

  ih_csv_append_row (out, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < table->characteristics->len; i++)
    {
      IhRepresentCharacteristic *c = g_ptr_array_index (table->characteristics, i);

      for (guint j = 0; j < c->rows->len; j++)
        {
          IhRepresentRow *row = g_ptr_array_index (c->rows, j);
          g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, row->count);
          g_autofree char *obs = format_number (row->observed_share, 4);
          g_autofree char *exp_share = format_number (row->expected_share, 4);
          g_autofree char *exp_count = format_number (row->expected_count, 4);
          g_autofree char *p = format_number (row->p_value, 6);
          g_autofree char *padj = format_number (row->p_adjusted, 6);
          const char *test = "";
          const char *fields[11];

          if (!isnan (row->p_value))
            test = c->test == IH_REPRESENT_TEST_EXACT ? _("exact binomial") : _("score test, continuity-corrected");
          fields[0] = c->characteristic->label;
          fields[1] = row->label;
          fields[2] = count;
          fields[3] = obs;
          fields[4] = exp_share;
          fields[5] = exp_count;
          fields[6] = p;
          fields[7] = padj;
          fields[8] = ih_represent_flag_label (row->flag);
          fields[9] = test;
          fields[10] = table->place;
          ih_csv_append_row (out, fields, G_N_ELEMENTS (fields));
        }
    }
  return g_string_free (out, FALSE);
}
