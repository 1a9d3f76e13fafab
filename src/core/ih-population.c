/* ih-population.c — importing and reading reference population profiles
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-population"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ih-csv.h"
#include "ih-population.h"
#include "ih-store-private.h"

G_DEFINE_QUARK (ih-population-error-quark, ih_population_error)

/* At most this many problems are listed in one message */
#define MAX_PROBLEMS 20

static const IhCharacteristic characteristics[] = {
  { "age-band", N_("Age band"), "age-band", "age_band" },
  { "sex", N_("Sex"), "sex", "sex" },
  { "ethnic-group", N_("Ethnic group"), "ethnic-group", "ethnic_group" },
  { "disability", N_("Disability"), "disability", "disability" },
  { "deprivation-decile", N_("Deprivation decile"), NULL, "postcode_district", TRUE },
};

const IhCharacteristic *
ih_population_characteristics (guint *n)
{
  static gsize initialized;
  static IhCharacteristic list[G_N_ELEMENTS (characteristics) + 1];

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < G_N_ELEMENTS (characteristics); i++)
        {
          list[i] = characteristics[i];
          list[i].label = _(characteristics[i].label);
        }
      g_once_init_leave (&initialized, 1);
    }
  if (n != NULL)
    *n = G_N_ELEMENTS (characteristics);
  return list;
}

/* "Age band", "age_band" and "AGE-BAND" are all "age-band" */
static char *
squash (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  GString *out = g_string_new (NULL);

  for (const char *p = g_strstrip (folded); *p; p++)
    g_string_append_c (out, (*p == ' ' || *p == '_') ? '-' : *p);
  return g_string_free (out, FALSE);
}

const IhCharacteristic *
ih_population_characteristic (const char *name)
{
  g_autofree char *key = NULL;
  const IhCharacteristic *list;
  guint n;

  g_return_val_if_fail (name != NULL, NULL);

  list = ih_population_characteristics (&n);
  if (!g_utf8_validate (name, -1, NULL))
    return NULL;
  key = squash (name);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *label = squash (characteristics[i].label);

      if (strcmp (key, list[i].key) == 0 || strcmp (key, label) == 0)
        return &list[i];
    }
  /* The census calls it "Index of Multiple Deprivation" */
  if (strcmp (key, "deprivation") == 0 || strcmp (key, "imd-decile") == 0)
    return ih_population_characteristic ("deprivation-decile");
  return NULL;
}

/* The group key for what the file says, or NULL. Population tables have
 * no "prefer not to say". */
static const char *
normalize_group (const IhCharacteristic *c,
                 const char             *text)
{
  static const char * const deciles[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "10" };

  if (c->vocab == NULL)
    {
      g_autofree char *t = g_strstrip (g_strdup (text));

      for (guint i = 0; i < G_N_ELEMENTS (deciles); i++)
        if (strcmp (t, deciles[i]) == 0)
          return deciles[i];
      return NULL;
    }
  else
    {
      const char *key = ih_vocab_normalize (c->vocab, text);

      if (key != NULL && strcmp (key, "prefer-not-to-say") == 0)
        return NULL;
      return key;
    }
}

/* Position of a group in display order */
static int
group_order (const IhCharacteristic *c,
             const char             *group)
{
  if (c->vocab == NULL)
    return atoi (group);
  {
    const char * const *keys = ih_vocab_keys (c->vocab);

    for (int i = 0; keys[i]; i++)
      if (strcmp (keys[i], group) == 0)
        return i;
  }
  return 1000;
}

static int
characteristic_order (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (characteristics); i++)
    if (strcmp (characteristics[i].key, name) == 0)
      return i;
  return 1000;
}

static gboolean
parse_share (const char *text,
             double     *out)
{
  g_autofree char *t = g_strstrip (g_strdup (text));
  gboolean percent = FALSE;
  gsize len = strlen (t);
  char *end = NULL;
  double v;

  if (len > 0 && t[len - 1] == '%')
    {
      percent = TRUE;
      t[len - 1] = '\0';
      g_strchomp (t);
    }
  if (*t == '\0')
    return FALSE;
  v = g_ascii_strtod (t, &end);
  if (end == NULL || *end != '\0' || !isfinite (v))
    return FALSE;
  if (percent)
    v /= 100.0;
  if (v < 0 || v > 1)
    return FALSE;
  *out = v;
  return TRUE;
}

typedef struct
{
  char   *place;          /* as written */
  char   *source;
  GPtrArray *rows;        /* of Row */
  GPtrArray *districts;   /* of District */
} PlaceRows;

typedef struct
{
  char *district;
  int   decile;
} District;

static void
district_free (District *d)
{
  g_free (d->district);
  g_free (d);
}

/* "postcode-district", "district" */
static gboolean
is_district_row (const char *name)
{
  g_autofree char *key = squash (name);

  return strcmp (key, "postcode-district") == 0 || strcmp (key, "district") == 0;
}

static gboolean
parse_decile (const char *text,
              int        *out)
{
  g_autofree char *t = g_strstrip (g_strdup (text));
  char *end = NULL;
  gint64 v = g_ascii_strtoll (t, &end, 10);

  if (*t == '\0' || end == NULL || *end != '\0' || v < 1 || v > 10)
    return FALSE;
  *out = (int) v;
  return TRUE;
}

typedef struct
{
  const IhCharacteristic *c;
  const char *group;
  double      share;
  guint       line;
} Row;

static void
place_rows_free (PlaceRows *p)
{
  g_free (p->place);
  g_free (p->source);
  g_ptr_array_unref (p->rows);
  g_ptr_array_unref (p->districts);
  g_free (p);
}

static void
add_problem (GPtrArray  *problems,
             char       *text)
{
  g_ptr_array_add (problems, text);
}

static int
column_index (GPtrArray  *header,
              const char *name)
{
  for (guint i = 0; i < header->len; i++)
    {
      g_autofree char *h = squash (g_ptr_array_index (header, i));

      if (strcmp (h, name) == 0)
        return i;
    }
  return -1;
}

static gboolean
write_profiles (IhStore     *store,
                GPtrArray   *places,
                GError     **error)
{
  gint64 now = ih_now_ms ();

  if (!ih_store_begin (store, error))
    return FALSE;

  for (guint i = 0; i < places->len; i++)
    {
      PlaceRows *p = g_ptr_array_index (places, i);
      sqlite3_stmt *stmt;

      stmt = _ih_store_prepare (store, "DELETE FROM population_share WHERE place = ?", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, p->place, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          sqlite3_reset (stmt);
          _ih_store_set_error (store, error, _("Could not save the population profile"));
          goto fail;
        }
      sqlite3_reset (stmt);

      stmt = _ih_store_prepare (store, "DELETE FROM population_district WHERE place = ?", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, p->place, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          sqlite3_reset (stmt);
          _ih_store_set_error (store, error, _("Could not save the population profile"));
          goto fail;
        }
      sqlite3_reset (stmt);

      for (guint j = 0; j < p->districts->len; j++)
        {
          District *d = g_ptr_array_index (p->districts, j);

          stmt = _ih_store_prepare (store,
                                    "INSERT INTO population_district (place, district, decile) VALUES (?, ?, ?)",
                                    error);
          if (stmt == NULL)
            goto fail;
          sqlite3_bind_text (stmt, 1, p->place, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, d->district, -1, SQLITE_STATIC);
          sqlite3_bind_int (stmt, 3, d->decile);
          if (sqlite3_step (stmt) != SQLITE_DONE)
            {
              sqlite3_reset (stmt);
              _ih_store_set_error (store, error, _("Could not save the population profile"));
              goto fail;
            }
          sqlite3_reset (stmt);
        }

      for (guint j = 0; j < p->rows->len; j++)
        {
          Row *row = g_ptr_array_index (p->rows, j);

          stmt = _ih_store_prepare (store,
                                    "INSERT INTO population_share"
                                    " (place, characteristic, group_key, share, source, imported_at)"
                                    " VALUES (?, ?, ?, ?, ?, ?)",
                                    error);
          if (stmt == NULL)
            goto fail;
          sqlite3_bind_text (stmt, 1, p->place, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, row->c->key, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 3, row->group, -1, SQLITE_STATIC);
          sqlite3_bind_double (stmt, 4, row->share);
          if (p->source != NULL)
            sqlite3_bind_text (stmt, 5, p->source, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 6, now);
          if (sqlite3_step (stmt) != SQLITE_DONE)
            {
              sqlite3_reset (stmt);
              _ih_store_set_error (store, error, _("Could not save the population profile"));
              goto fail;
            }
          sqlite3_reset (stmt);
        }
    }

  return ih_store_commit (store, error);

fail:
  ih_store_rollback (store);
  return FALSE;
}

gboolean
ih_population_import (IhStore     *store,
                      const char  *path,
                      guint       *n_places,
                      guint       *n_rows,
                      GError     **error)
{
  g_autoptr(IhCsvReader) reader = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) places = g_ptr_array_new_with_free_func ((GDestroyNotify) place_rows_free);
  g_autoptr(GHashTable) by_place = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) local_error = NULL;
  int col_place, col_char, col_group, col_share, col_source;
  guint total_rows = 0;
  IhCsvStatus status;

  g_return_val_if_fail (IH_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  reader = ih_csv_reader_new_from_file (path, error);
  if (reader == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }

  status = ih_csv_reader_next (reader, &header, &local_error);
  if (status != IH_CSV_ROW)
    {
      g_set_error (error, IH_POPULATION_ERROR, IH_POPULATION_ERROR_INVALID,
                   _("%s: the file is empty or its header cannot be read; it needs the columns "
                     "place, characteristic, group, share"),
                   path);
      return FALSE;
    }

  col_place = column_index (header, "place");
  col_char = column_index (header, "characteristic");
  col_group = column_index (header, "group");
  col_share = column_index (header, "share");
  if (col_share < 0)
    col_share = column_index (header, "value");
  col_source = column_index (header, "source");
  if (col_place < 0 || col_char < 0 || col_group < 0 || col_share < 0)
    {
      g_set_error (error, IH_POPULATION_ERROR, IH_POPULATION_ERROR_INVALID,
                   _("%s: line %u: the header needs the columns place, characteristic, group and "
                     "share (and may have source)"),
                   path, ih_csv_reader_get_line (reader));
      return FALSE;
    }

  for (;;)
    {
      g_autoptr(GPtrArray) fields = NULL;
      g_autoptr(GError) row_error = NULL;
      g_autofree char *place_key = NULL;
      g_autofree char *seen_key = NULL;
      const IhCharacteristic *c;
      const char *place, *charname, *grouptext, *sharetext;
      const char *group;
      PlaceRows *p;
      Row *row;
      double share;
      guint line;

      status = ih_csv_reader_next (reader, &fields, &row_error);
      if (status == IH_CSV_END)
        break;
      line = ih_csv_reader_get_line (reader);
      if (status == IH_CSV_BAD)
        {
          add_problem (problems, g_strdup_printf (_("line %u: %s"), line, row_error->message));
          continue;
        }

#define FIELD(i) ((i) >= 0 && (guint) (i) < fields->len ? (const char *) g_ptr_array_index (fields, i) : "")
      place = FIELD (col_place);
      charname = FIELD (col_char);
      grouptext = FIELD (col_group);
      sharetext = FIELD (col_share);

      if (*place == '\0')
        {
          add_problem (problems, g_strdup_printf (_("line %u: the place is empty"), line));
          continue;
        }

      place_key = g_utf8_casefold (place, -1);
      p = g_hash_table_lookup (by_place, place_key);
      if (p == NULL)
        {
          p = g_new0 (PlaceRows, 1);
          p->place = g_strdup (place);
          p->rows = g_ptr_array_new_with_free_func (g_free);
          p->districts = g_ptr_array_new_with_free_func ((GDestroyNotify) district_free);
          g_ptr_array_add (places, p);
          g_hash_table_insert (by_place, g_strdup (place_key), p);
        }
      if (p->source == NULL && *FIELD (col_source) != '\0')
        p->source = g_strdup (FIELD (col_source));

      /* A postcode district and its deprivation decile */
      if (is_district_row (charname))
        {
          g_autofree char *district = ih_postcode_district (grouptext);
          District *d;
          int decile;

          if (district == NULL)
            {
              add_problem (problems,
                           g_strdup_printf (_("line %u: “%s” is not a postcode district"), line, grouptext));
              continue;
            }
          if (!parse_decile (sharetext, &decile))
            {
              add_problem (problems,
                           g_strdup_printf (_("line %u: the deprivation decile of %s must be a whole "
                                              "number from 1 to 10, not “%s”"),
                                            line, district, sharetext));
              continue;
            }
          seen_key = g_strdup_printf ("%s\x1f" "district\x1f%s", place_key, district);
          if (g_hash_table_contains (seen, seen_key))
            {
              add_problem (problems,
                           g_strdup_printf (_("line %u: the district %s of %s is given twice (first on line %u)"),
                                            line, district, place,
                                            GPOINTER_TO_UINT (g_hash_table_lookup (seen, seen_key))));
              continue;
            }
          g_hash_table_insert (seen, g_steal_pointer (&seen_key), GUINT_TO_POINTER (line));
          d = g_new0 (District, 1);
          d->district = g_steal_pointer (&district);
          d->decile = decile;
          g_ptr_array_add (p->districts, d);
          total_rows++;
          continue;
        }

      c = ih_population_characteristic (charname);
      if (c == NULL)
        {
          add_problem (problems,
                       g_strdup_printf (_("line %u: “%s” is not a characteristic (use age-band, sex, "
                                          "ethnic-group, disability, deprivation-decile or "
                                          "postcode-district)"),
                                        line, charname));
          continue;
        }
      group = normalize_group (c, grouptext);
      if (group == NULL)
        {
          add_problem (problems,
                       g_strdup_printf (_("line %u: “%s” is not a group of %s"), line, grouptext,
                                        c->label));
          continue;
        }
      if (!parse_share (sharetext, &share))
        {
          add_problem (problems,
                       g_strdup_printf (_("line %u: the share “%s” is not a number from 0 to 1 "
                                          "or a percentage"),
                                        line, sharetext));
          continue;
        }

      seen_key = g_strdup_printf ("%s\x1f%s\x1f%s", place_key, c->key, group);
      if (g_hash_table_contains (seen, seen_key))
        {
          add_problem (problems,
                       g_strdup_printf (_("line %u: %s, %s, “%s” is given twice (first on line %u)"),
                                        line, place, c->label, grouptext,
                                        GPOINTER_TO_UINT (g_hash_table_lookup (seen, seen_key))));
          continue;
        }
      g_hash_table_insert (seen, g_steal_pointer (&seen_key), GUINT_TO_POINTER (line));
#undef FIELD

      row = g_new0 (Row, 1);
      row->c = c;
      row->group = group;
      row->share = share;
      row->line = line;
      g_ptr_array_add (p->rows, row);
      total_rows++;
    }

  /* Each characteristic of each place adds up to about 1 */
  for (guint i = 0; i < places->len; i++)
    {
      PlaceRows *p = g_ptr_array_index (places, i);
      guint n;
      const IhCharacteristic *list = ih_population_characteristics (&n);

      for (guint k = 0; k < n; k++)
        {
          double sum = 0;
          guint first = 0, last = 0, count = 0;

          for (guint j = 0; j < p->rows->len; j++)
            {
              Row *row = g_ptr_array_index (p->rows, j);

              if (row->c != &list[k])
                continue;
              sum += row->share;
              if (count++ == 0)
                first = row->line;
              last = row->line;
            }
          if (count > 0 && fabs (sum - 1.0) > IH_POPULATION_SUM_TOLERANCE)
            add_problem (problems,
                         g_strdup_printf (_("lines %u–%u: the shares of %s in %s add up to %.3f, "
                                            "not 1 (each characteristic must cover the whole population)"),
                                          first, last, list[k].label, p->place, sum));
        }
    }

  if (problems->len > 0)
    {
      GString *msg = g_string_new (NULL);

      g_string_append_printf (msg,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%s: nothing imported, %u problem:",
                                           "%s: nothing imported, %u problems:",
                                           problems->len),
                              path, problems->len);
      for (guint i = 0; i < problems->len && i < MAX_PROBLEMS; i++)
        g_string_append_printf (msg, "\n  %s", (char *) g_ptr_array_index (problems, i));
      if (problems->len > MAX_PROBLEMS)
        g_string_append_printf (msg, _("\n  … and %u more"), problems->len - MAX_PROBLEMS);
      g_set_error_literal (error, IH_POPULATION_ERROR, IH_POPULATION_ERROR_INVALID, msg->str);
      g_string_free (msg, TRUE);
      return FALSE;
    }

  if (places->len == 0)
    {
      g_set_error (error, IH_POPULATION_ERROR, IH_POPULATION_ERROR_INVALID,
                   _("%s: the file has a header but no rows"), path);
      return FALSE;
    }

  if (!write_profiles (store, places, error))
    return FALSE;

  if (n_places)
    *n_places = places->len;
  if (n_rows)
    *n_rows = total_rows;
  return TRUE;
}

GPtrArray *
ih_population_list_places (IhStore  *store,
                           GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  _ih_store_lock (store);
  stmt = _ih_store_prepare (store,
                            "SELECT place FROM population_share GROUP BY place ORDER BY place",
                            error);
  if (stmt == NULL)
    {
      _ih_store_unlock (store);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ih_store_set_error (store, error, _("Could not read the population profiles"));
      _ih_store_unlock (store);
      return NULL;
    }
  _ih_store_unlock (store);
  return g_steal_pointer (&list);
}

static void
share_free (IhPopulationShare *s)
{
  g_free (s->characteristic);
  g_free (s->group);
  g_free (s);
}

static int
compare_shares (gconstpointer a,
                gconstpointer b)
{
  const IhPopulationShare *x = *(IhPopulationShare **) a;
  const IhPopulationShare *y = *(IhPopulationShare **) b;
  int cx = characteristic_order (x->characteristic);
  int cy = characteristic_order (y->characteristic);

  if (cx != cy)
    return cx - cy;
  return group_order (ih_population_characteristic (x->characteristic), x->group) -
         group_order (ih_population_characteristic (y->characteristic), y->group);
}

IhPopulationProfile *
ih_population_get (IhStore     *store,
                   const char  *place,
                   GError     **error)
{
  g_autoptr(IhPopulationProfile) profile = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  g_return_val_if_fail (place != NULL, NULL);

  profile = g_new0 (IhPopulationProfile, 1);
  profile->shares = g_ptr_array_new_with_free_func ((GDestroyNotify) share_free);
  profile->districts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  _ih_store_lock (store);
  stmt = _ih_store_prepare (store,
                            "SELECT place, characteristic, group_key, share, source, imported_at"
                            " FROM population_share WHERE place = ?",
                            error);
  if (stmt == NULL)
    {
      _ih_store_unlock (store);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, place, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      IhPopulationShare *s = g_new0 (IhPopulationShare, 1);

      if (profile->place == NULL)
        {
          profile->place = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          profile->source = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
          profile->imported_at = sqlite3_column_int64 (stmt, 5);
        }
      s->characteristic = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      s->group = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      s->share = sqlite3_column_double (stmt, 3);
      g_ptr_array_add (profile->shares, s);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ih_store_set_error (store, error, _("Could not read the population profiles"));
      _ih_store_unlock (store);
      return NULL;
    }

  stmt = _ih_store_prepare (store, "SELECT place, district, decile FROM population_district WHERE place = ?",
                            error);
  if (stmt == NULL)
    {
      _ih_store_unlock (store);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, place, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (profile->place == NULL)
        profile->place = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      g_hash_table_insert (profile->districts,
                           g_ascii_strup ((const char *) sqlite3_column_text (stmt, 1), -1),
                           GINT_TO_POINTER (sqlite3_column_int (stmt, 2)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ih_store_set_error (store, error, _("Could not read the population profiles"));
      _ih_store_unlock (store);
      return NULL;
    }
  _ih_store_unlock (store);

  if (profile->place == NULL)
    {
      g_set_error (error, IH_POPULATION_ERROR, IH_POPULATION_ERROR_NOT_FOUND,
                   _("There is no population profile for “%s” (import one with "
                     "“insight-hub-cli population import FILE”)"),
                   place);
      return NULL;
    }

  g_ptr_array_sort (profile->shares, compare_shares);
  return g_steal_pointer (&profile);
}

void
ih_population_profile_free (IhPopulationProfile *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->place);
  g_free (profile->source);
  g_clear_pointer (&profile->shares, g_ptr_array_unref);
  g_clear_pointer (&profile->districts, g_hash_table_unref);
  g_free (profile);
}

int
ih_population_profile_decile (IhPopulationProfile *profile,
                              const char          *district)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (profile != NULL, 0);

  if (district == NULL)
    return 0;
  key = g_ascii_strup (district, -1);
  return GPOINTER_TO_INT (g_hash_table_lookup (profile->districts, key));
}

double
ih_population_profile_share (IhPopulationProfile *profile,
                             const char          *characteristic,
                             const char          *group)
{
  g_return_val_if_fail (profile != NULL, NAN);

  for (guint i = 0; i < profile->shares->len; i++)
    {
      IhPopulationShare *s = g_ptr_array_index (profile->shares, i);

      if (strcmp (s->characteristic, characteristic) == 0 && g_strcmp0 (s->group, group) == 0)
        return s->share;
    }
  return NAN;
}
