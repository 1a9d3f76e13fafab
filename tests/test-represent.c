/* test-represent.c — population profiles and the representativeness table,
 * checked against numbers worked out by hand
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "ih-population.h"
#include "ih-query.h"
#include "ih-represent.h"
#include "ih-store-private.h"

static char *
data_path (const char *name)
{
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

static char *
write_file (const char *name,
            const char *contents)
{
  char *path = data_path (name);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static IhStore *
new_store (void)
{
  g_autofree char *path = data_path ("represent.db");
  g_autoptr(GError) error = NULL;
  IhStore *store = ih_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static gint64
sql_int (IhStore    *store,
         const char *sql)
{
  sqlite3_stmt *stmt;
  gint64 v = -1;

  _ih_store_lock (store);
  g_assert_cmpint (sqlite3_prepare_v2 (_ih_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  _ih_store_unlock (store);
  return v;
}

/* A made-up place whose shares are round numbers, so expected counts can
 * be worked out in one's head. 75 and over, Black and the other groups
 * are left out on purpose. */
static const char testshire[] =
  "Place,Characteristic,Group,Share,Source\n"
  "Testshire,sex,Female,50%,Made up for the test\n"
  "Testshire,sex,male,0.5,\n"
  "Testshire,age band,16 to 24,0.2,\n"
  "Testshire,age-band,25-34,0.2,\n"
  "Testshire,age-band,35-44,0.2,\n"
  "Testshire,age-band,45-54,0.2,\n"
  "Testshire,age-band,55-64,0.1,\n"
  "Testshire,age-band,65-74,0.1,\n"
  "Testshire,ethnic-group,white,0.8,\n"
  "Testshire,ethnic-group,asian,0.2,\n"
  "Testshire,disability,yes,0.2,\n"
  "Testshire,disability,no,0.8,\n"
  "Testshire,deprivation-decile,1,0.5,\n"
  "Testshire,deprivation-decile,10,0.5,\n";

static void
import_testshire (IhStore *store)
{
  g_autofree char *path = write_file ("testshire.csv", testshire);
  g_autoptr(GError) error = NULL;
  guint n_places = 0, n_rows = 0;

  g_assert_true (ih_population_import (store, path, &n_places, &n_rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_places, ==, 1);
  g_assert_cmpuint (n_rows, ==, 14);
}

static void
test_population_import (void)
{
  g_autoptr(IhStore) store = new_store ();
  g_autofree char *example = g_test_build_filename (G_TEST_DIST, "..", "data", "examples",
                                                    "population-profile.csv", NULL);
  g_autoptr(IhPopulationProfile) profile = NULL;
  g_autoptr(GPtrArray) places = NULL;
  g_autoptr(GError) error = NULL;
  guint n_places, n_rows;

  /* The example file shipped with the project imports */
  g_assert_true (ih_population_import (store, example, &n_places, &n_rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_places, ==, 2);
  g_assert_cmpuint (n_rows, ==, 62);   /* 54 shares and 8 districts */

  import_testshire (store);
  places = ih_population_list_places (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (places->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (places, 0), ==, "Gloucester");
  g_assert_cmpstr (g_ptr_array_index (places, 1), ==, "Stroud");
  g_assert_cmpstr (g_ptr_array_index (places, 2), ==, "Testshire");

  /* Any case finds the place; labels and spellings became keys; 50% is 0.5 */
  profile = ih_population_get (store, "TESTSHIRE", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (profile->place, ==, "Testshire");
  g_assert_cmpstr (profile->source, ==, "Made up for the test");
  g_assert_cmpuint (profile->shares->len, ==, 14);
  g_assert_cmpfloat_with_epsilon (ih_population_profile_share (profile, "sex", "female"), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (ih_population_profile_share (profile, "age-band", "16-24"), 0.2, 1e-12);
  g_assert_true (isnan (ih_population_profile_share (profile, "age-band", "75-plus")));
  /* Profile order: characteristics as listed, groups in vocabulary order */
  g_assert_cmpstr (((IhPopulationShare *) g_ptr_array_index (profile->shares, 0))->group, ==, "16-24");
  g_assert_cmpstr (((IhPopulationShare *) g_ptr_array_index (profile->shares, 6))->group, ==, "female");
  g_assert_cmpstr (((IhPopulationShare *) g_ptr_array_index (profile->shares, 13))->group, ==, "10");
  g_clear_pointer (&profile, ih_population_profile_free);

  profile = ih_population_get (store, "Atlantis", &error);
  g_assert_error (error, IH_POPULATION_ERROR, IH_POPULATION_ERROR_NOT_FOUND);
  g_assert_null (profile);
  g_assert_nonnull (strstr (error->message, "Atlantis"));
}

static void
test_population_bad_file (void)
{
  g_autoptr(IhStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *bad = write_file ("bad.csv",
                                     "place,characteristic,group,share\n"
                                     "Testshire,sex,female,0.5\n"
                                     "Testshire,sex,male,0.4\n"              /* sum 0.9: lines 2–3 */
                                     "Testshire,age-band,16-24,1\n"
                                     "Testshire,hair colour,red,0.1\n"       /* line 5 */
                                     "Testshire,ethnic-group,martian,0.1\n"  /* line 6 */
                                     "Testshire,disability,yes,abc\n"        /* line 7 */
                                     "Testshire,disability,no,1.5\n"         /* line 8 */
                                     "Testshire,age-band,16-24,0\n"          /* line 9: twice */
                                     ",sex,female,1\n");                     /* line 10 */
  g_autofree char *no_header = write_file ("noheader.csv", "where,what\nStroud,1\n");

  import_testshire (store);

  g_assert_false (ih_population_import (store, bad, NULL, NULL, &error));
  g_assert_error (error, IH_POPULATION_ERROR, IH_POPULATION_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "line 5: “hair colour” is not a characteristic"));
  g_assert_nonnull (strstr (error->message, "line 6: “martian” is not a group of Ethnic group"));
  g_assert_nonnull (strstr (error->message, "line 7: the share “abc”"));
  g_assert_nonnull (strstr (error->message, "line 8: the share “1.5”"));
  g_assert_nonnull (strstr (error->message, "line 9: Testshire, Age band, “16-24” is given twice (first on line 4)"));
  g_assert_nonnull (strstr (error->message, "line 10: the place is empty"));
  g_assert_nonnull (strstr (error->message, "lines 2–3: the shares of Sex in Testshire add up to 0.900"));

  /* Nothing of the bad file went in: the earlier profile is whole */
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM population_share"), ==, 14);
  g_assert_cmpint (sql_int (store, "SELECT round (share * 10) FROM population_share WHERE group_key = 'male'"), ==, 5);

  g_clear_error (&error);
  g_assert_false (ih_population_import (store, no_header, NULL, NULL, &error));
  g_assert_error (error, IH_POPULATION_ERROR, IH_POPULATION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "line 1"));
}

static void
test_population_reimport (void)
{
  g_autoptr(IhStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(IhPopulationProfile) profile = NULL;
  g_autofree char *other = write_file ("other.csv",
                                       "place,characteristic,group,share\n"
                                       "Elsewhere,sex,female,0.52\n"
                                       "Elsewhere,sex,male,0.48\n");
  /* Testshire again with sex only, within the rounding allowance (0.99) */
  g_autofree char *again = write_file ("again.csv",
                                       "place,characteristic,group,share\n"
                                       "testshire,sex,female,0.6\n"
                                       "testshire,sex,male,0.39\n");

  import_testshire (store);
  g_assert_true (ih_population_import (store, other, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ih_population_import (store, again, NULL, NULL, &error));
  g_assert_no_error (error);

  /* The place's whole profile was replaced; the other place is untouched */
  profile = ih_population_get (store, "Testshire", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profile->shares->len, ==, 2);
  g_assert_cmpfloat_with_epsilon (ih_population_profile_share (profile, "sex", "female"), 0.6, 1e-12);
  g_assert_true (isnan (ih_population_profile_share (profile, "age-band", "16-24")));
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM population_share WHERE place = 'Elsewhere'"), ==, 2);
}

static void
test_statistics (void)
{
  double p[4];

  /* Worked by hand: with n = 10 and p = ½ every outcome i has probability
   * C(10,i)/1024. k = 0: only 0 and 10 are as unlikely: 2/1024. k = 2:
   * 0, 1, 2, 8, 9, 10: 2 × (1 + 10 + 45)/1024 = 112/1024. */
  g_assert_cmpfloat_with_epsilon (ih_represent_binomial_p (0, 10, 0.5), 2.0 / 1024, 1e-12);
  g_assert_cmpfloat_with_epsilon (ih_represent_binomial_p (2, 10, 0.5), 112.0 / 1024, 1e-12);
  g_assert_cmpfloat_with_epsilon (ih_represent_binomial_p (8, 10, 0.5), 112.0 / 1024, 1e-12);
  g_assert_cmpfloat_with_epsilon (ih_represent_binomial_p (5, 10, 0.5), 1.0, 1e-12);
  /* Unequal p: n = 3, p = 0.2: P = .512 .384 .096 .008 for 0..3; k = 2
   * gives .096 + .008 = .104 */
  g_assert_cmpfloat_with_epsilon (ih_represent_binomial_p (2, 3, 0.2), 0.104, 1e-12);
  /* A share of 0 seen at all is as far from it as can be */
  g_assert_cmpfloat (ih_represent_binomial_p (1, 10, 0.0), ==, 0.0);
  g_assert_cmpfloat (ih_represent_binomial_p (0, 10, 0.0), ==, 1.0);

  /* Score test: n = 100, p = ½, k = 40: z = (|40 − 50| − ½)/5 = 1.9,
   * two-sided 2 × (1 − Φ(1.9)) = 0.057433 */
  g_assert_cmpfloat_with_epsilon (ih_represent_score_p (40, 100, 0.5), 0.057433, 1e-5);
  g_assert_cmpfloat (ih_represent_score_p (50, 100, 0.5), ==, 1.0);

  /* Holm: sorted .01 .02 .03 .04 → ×4 ×3 ×2 ×1 = .04 .06 .06 .04, each
   * at least the one before: .04 .06 .06 .06 */
  p[0] = 0.03;
  p[1] = 0.01;
  p[2] = 0.04;
  p[3] = 0.02;
  ih_represent_holm (p, 4);
  g_assert_cmpfloat_with_epsilon (p[1], 0.04, 1e-12);
  g_assert_cmpfloat_with_epsilon (p[3], 0.06, 1e-12);
  g_assert_cmpfloat_with_epsilon (p[0], 0.06, 1e-12);
  g_assert_cmpfloat_with_epsilon (p[2], 0.06, 1e-12);
}

/* Respondents from per-characteristic counts: row i takes the i-th value
 * of each expanded list (NULL = not answered). */
typedef struct
{
  const char *value;
  guint       count;
} Count;

static void
expand (const Count *counts,
        GPtrArray   *out)
{
  for (guint i = 0; counts[i].count; i++)
    for (guint j = 0; j < counts[i].count; j++)
      g_ptr_array_add (out, (gpointer) counts[i].value);
}

static char *
add_activity (IhStore    *store,
              const char *title,
              const char *place,
              const char *programme)
{
  g_autoptr(IhActivity) activity = ih_activity_new ();
  g_autoptr(GError) error = NULL;

  activity->title = g_strdup (title);
  activity->place = g_strdup (place);
  activity->programme = g_strdup (programme);
  activity->start_date = g_strdup ("2026-03-02");
  g_assert_true (ih_store_save (store, activity, &error));
  g_assert_no_error (error);
  return g_strdup (activity->parent.id);
}

static void
add_respondents (IhStore     *store,
                 const char  *activity_id,
                 guint        n,
                 const Count *sex,
                 const Count *age,
                 const Count *ethnic,
                 const Count *disability)
{
  g_autoptr(GPtrArray) s = g_ptr_array_new ();
  g_autoptr(GPtrArray) a = g_ptr_array_new ();
  g_autoptr(GPtrArray) e = g_ptr_array_new ();
  g_autoptr(GPtrArray) d = g_ptr_array_new ();

  expand (sex, s);
  expand (age, a);
  expand (ethnic, e);
  expand (disability, d);
  g_assert_cmpuint (s->len, ==, n);
  g_assert_cmpuint (a->len, ==, n);
  g_assert_cmpuint (e->len, ==, n);
  g_assert_cmpuint (d->len, ==, n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IhInsight) insight = ih_insight_new ();
      g_autoptr(GError) error = NULL;

      insight->text = g_strdup_printf ("Answer %u about the walk-in centre", i);
      insight->activity_id = g_strdup (activity_id);
      insight->sex = g_strdup (g_ptr_array_index (s, i));
      insight->age_band = g_strdup (g_ptr_array_index (a, i));
      insight->ethnic_group = g_strdup (g_ptr_array_index (e, i));
      insight->disability = g_strdup (g_ptr_array_index (d, i));
      insight->consent = g_strdup ("may-quote");
      g_assert_true (ih_store_save (store, insight, &error));
      g_assert_no_error (error);
    }
}

static void
add_plain (IhStore    *store,
           const char *activity_id,
           const char *text,
           const char *consent,
           gboolean    with_demographics,
           gboolean    tombstone)
{
  g_autoptr(IhInsight) insight = ih_insight_new ();
  g_autoptr(GError) error = NULL;

  insight->text = g_strdup (text);
  insight->activity_id = g_strdup (activity_id);
  insight->consent = g_strdup (consent);
  if (with_demographics)
    {
      insight->sex = g_strdup ("female");
      insight->age_band = g_strdup ("16-24");
      insight->ethnic_group = g_strdup ("asian");
    }
  g_assert_true (ih_store_save (store, insight, &error));
  g_assert_no_error (error);
  if (tombstone)
    {
      g_assert_true (ih_store_delete (store, &ih_insight_class, insight->parent.id, &error));
      g_assert_no_error (error);
    }
}

static IhRepresentCharacteristic *
find_char (IhRepresentTable *table,
           const char       *key)
{
  for (guint i = 0; i < table->characteristics->len; i++)
    {
      IhRepresentCharacteristic *c = g_ptr_array_index (table->characteristics, i);

      if (strcmp (c->characteristic->key, key) == 0)
        return c;
    }
  g_assert_not_reached ();
}

static IhRepresentRow *
find_row (IhRepresentCharacteristic *c,
          IhRepresentRowKind         kind,
          const char                *group)
{
  for (guint i = 0; i < c->rows->len; i++)
    {
      IhRepresentRow *row = g_ptr_array_index (c->rows, i);

      if (row->kind == kind && g_strcmp0 (row->group, group) == 0)
        return row;
    }
  g_assert_not_reached ();
}

static void
assert_group (IhRepresentCharacteristic *c,
              const char                *group,
              gint64                     count,
              double                     observed,
              double                     expected_share,
              double                     expected_count,
              double                     p,
              double                     p_holm,
              IhRepresentFlag            flag)
{
  IhRepresentRow *row = find_row (c, IH_REPRESENT_ROW_GROUP, group);

  g_test_message ("%s %s: %" G_GINT64_FORMAT " p=%g holm=%g", c->characteristic->key, group,
                  row->count, row->p_value, row->p_adjusted);
  g_assert_cmpint (row->count, ==, count);
  g_assert_cmpfloat_with_epsilon (row->observed_share, observed, 1e-9);
  g_assert_cmpfloat_with_epsilon (row->expected_share, expected_share, 1e-9);
  g_assert_cmpfloat_with_epsilon (row->expected_count, expected_count, 1e-9);
  if (isnan (p))
    g_assert_true (isnan (row->p_value));
  else
    {
      g_assert_cmpfloat_with_epsilon (row->p_value, p, p * 1e-5);
      g_assert_cmpfloat_with_epsilon (row->p_adjusted, p_holm, p_holm * 1e-5);
    }
  g_assert_cmpint (row->flag, ==, flag);
}

/* The "Walk-in survey": 60 insight in Testshire. 55 are respondents (they
 * answered at least one question about themselves), 5 are summaries with
 * no demographics. Also a withdrawn and a tombstoned answer from a young
 * Asian woman, which must count nowhere. */
static const Count survey_sex[] = {
  { "female", 35 }, { "male", 15 }, { "prefer-not-to-say", 3 }, { NULL, 2 }, { NULL, 0 } };
static const Count survey_age[] = {
  { "16-24", 1 }, { "25-34", 13 }, { "35-44", 11 }, { "45-54", 10 }, { "55-64", 9 }, { "65-74", 6 },
  { "75-plus", 2 }, { "prefer-not-to-say", 2 }, { NULL, 1 }, { NULL, 0 } };
static const Count survey_ethnic[] = {
  { "white", 45 }, { "asian", 3 }, { "black", 1 }, { "prefer-not-to-say", 4 }, { NULL, 2 }, { NULL, 0 } };
static const Count survey_disability[] = {
  { NULL, 25 }, { "yes", 6 }, { "no", 24 }, { NULL, 0 } };

static void
test_table_by_hand (void)
{
  g_autoptr(IhStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rids = NULL;
  g_autoptr(IhRepresentTable) table = NULL;
  g_autofree char *survey = NULL;
  g_autofree char *csv = NULL;
  IhRepresentCharacteristic *c;
  IhRepresentRow *row;

  import_testshire (store);
  survey = add_activity (store, "Walk-in survey", "Testshire", "Urgent care");
  add_respondents (store, survey, 55, survey_sex, survey_age, survey_ethnic, survey_disability);
  for (guint i = 0; i < 5; i++)
    add_plain (store, survey, "Workshop table summary", "may-quote", FALSE, FALSE);
  add_plain (store, survey, "Withdrawn answer", "withdrawn", TRUE, FALSE);
  add_plain (store, survey, "Deleted answer", "may-quote", TRUE, TRUE);

  rids = ih_scope_collect (store, IH_SCOPE_ACTIVITY, survey, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rids->len, ==, 60);

  table = ih_represent_compute (store, rids, "Walk-in survey", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (table->place, ==, "Testshire");
  g_assert_null (table->place_note);
  g_assert_cmpint (table->n_insight, ==, 60);
  g_assert_cmpint (table->n_respondents, ==, 55);
  /* Age, sex, ethnic group, disability, and deprivation from districts */
  g_assert_cmpuint (table->characteristics->len, ==, 5);
  /* Testshire's profile has decile shares but no districts: said so */
  c = find_char (table, "deprivation-decile");
  g_assert_cmpint (c->missing, ==, 55);
  g_assert_cmpint (c->test, ==, IH_REPRESENT_TEST_NONE);
  g_assert_nonnull (strstr (c->note, "postcode districts"));

  /* Sex. 35 + 15 = 50 answered (3 preferred not to say, 2 left it blank:
   * 50 + 3 + 2 = 55). Expected ½ × 50 = 25 each. Observed 35/50 = 0.70.
   * Exact test (n = 50 ≤ 5000): P(X ≥ 35) + P(X ≤ 15) for Bin(50, ½)
   * = 0.0066004 (exact fractions); Holm over 2 groups: 2 × 0.0066 =
   * 0.0132 < 0.05 for both: female over, male under. */
  c = find_char (table, "sex");
  g_assert_cmpint (c->answered, ==, 50);
  g_assert_cmpint (c->prefer_not, ==, 3);
  g_assert_cmpint (c->missing, ==, 2);
  g_assert_cmpint (c->test, ==, IH_REPRESENT_TEST_EXACT);
  assert_group (c, "female", 35, 0.70, 0.5, 25, 0.00660045, 0.0132009, IH_REPRESENT_OVER);
  assert_group (c, "male", 15, 0.30, 0.5, 25, 0.00660045, 0.0132009, IH_REPRESENT_UNDER);
  /* "Prefer not to say" and blanks are shown, not hidden */
  g_assert_cmpint (find_row (c, IH_REPRESENT_ROW_PREFER_NOT, "prefer-not-to-say")->count, ==, 3);
  g_assert_cmpint (find_row (c, IH_REPRESENT_ROW_MISSING, NULL)->count, ==, 2);

  /* Age. In profile groups: 1 + 13 + 11 + 10 + 9 + 6 = 50 answered; 2 are
   * 75 and over, which the profile leaves out; 2 prefer not; 1 blank
   * (50 + 2 + 2 + 1 = 55). Expected 0.2 × 50 = 10 for 16–24 … 45–54 and
   * 0.1 × 50 = 5 for 55–64, 65–74. 16–24: 1 seen, p = 0.000294853, Holm
   * × 6 = 0.00176912: under-represented. 55–64: 9 seen against 5, p =
   * 0.0917: not significant even before the correction. */
  c = find_char (table, "age-band");
  g_assert_cmpint (c->answered, ==, 50);
  g_assert_cmpint (c->not_in_profile, ==, 2);
  g_assert_cmpint (c->prefer_not, ==, 2);
  g_assert_cmpint (c->missing, ==, 1);
  assert_group (c, "16-24", 1, 0.02, 0.2, 10, 0.000294853, 0.00176912, IH_REPRESENT_UNDER);
  assert_group (c, "25-34", 13, 0.26, 0.2, 10, 0.289455, 1.0, IH_REPRESENT_AS_EXPECTED);
  assert_group (c, "45-54", 10, 0.20, 0.2, 10, 1.0, 1.0, IH_REPRESENT_AS_EXPECTED);
  assert_group (c, "55-64", 9, 0.18, 0.1, 5, 0.0916531, 0.458265, IH_REPRESENT_AS_EXPECTED);
  row = find_row (c, IH_REPRESENT_ROW_NOT_IN_PROFILE, "75-plus");
  g_assert_cmpint (row->count, ==, 2);
  g_assert_true (isnan (row->p_value));
  g_assert_cmpint (row->flag, ==, IH_REPRESENT_AS_EXPECTED);

  /* Ethnic group. 45 + 3 = 48 answered (1 Black respondent, not in the
   * profile; 4 prefer not; 2 blank: 48 + 1 + 4 + 2 = 55). Expected
   * 0.8 × 48 = 38.4 and 0.2 × 48 = 9.6. p = 0.0172075 for both, Holm
   * × 2 = 0.034415 < 0.05: Asian under-, White over-represented. */
  c = find_char (table, "ethnic-group");
  g_assert_cmpint (c->answered, ==, 48);
  assert_group (c, "white", 45, 45.0 / 48, 0.8, 38.4, 0.0172075, 0.034415, IH_REPRESENT_OVER);
  assert_group (c, "asian", 3, 3.0 / 48, 0.2, 9.6, 0.0172075, 0.034415, IH_REPRESENT_UNDER);

  /* Disability: 6 + 24 = 30 answered, 25 blank. Expected 6 and 24: seen
   * exactly, p = 1. */
  c = find_char (table, "disability");
  g_assert_cmpint (c->answered, ==, 30);
  g_assert_cmpint (c->missing, ==, 25);
  assert_group (c, "yes", 6, 0.2, 0.2, 6, 1.0, 1.0, IH_REPRESENT_AS_EXPECTED);

  /* The CSV has the same figures */
  csv = ih_represent_to_csv (table);
  g_test_message ("%s", csv);
  g_assert_true (g_str_has_prefix (csv, "Characteristic,Group,Respondents,Share of those who answered,"
                                        "Population share,Expected respondents,p (two-sided),"
                                        "p (Holm–Bonferroni),Representation,Test,Place\r\n"));
  g_assert_nonnull (strstr (csv, "\r\nSex,Female,35,0.7000,0.5000,25.0000,0.00660045,0.0132009,"
                                 "Over-represented,exact binomial,Testshire\r\n"));
  g_assert_nonnull (strstr (csv, "\r\nAge band,16 to 24,1,0.0200,0.2000,10.0000,0.000294853,0.00176912,"
                                 "Under-represented,exact binomial,Testshire\r\n"));
  g_assert_nonnull (strstr (csv, "\r\nSex,Prefer not to say,3,,,,,,,,Testshire\r\n"));
  g_assert_nonnull (strstr (csv, "\r\nSex,Not answered,2,,,,,,,,Testshire\r\n"));
  g_assert_nonnull (strstr (csv, "\r\nAge band,75 and over,2,,,,,,,,Testshire\r\n"));
}

/* The same 70 % women with fewer people is not flagged: at n = 30 the
 * exact p is 0.0428 for each sex but Holm over two groups makes it 0.0855;
 * at n = 10 there are too few answers to test at all. */
static void
test_small_n_not_flagged (void)
{
  static const Count sex30[] = { { "female", 21 }, { "male", 9 }, { NULL, 0 } };
  static const Count sex10[] = { { "female", 7 }, { "male", 3 }, { NULL, 0 } };
  static const Count blank30[] = { { NULL, 30 }, { NULL, 0 } };
  static const Count blank10[] = { { NULL, 10 }, { NULL, 0 } };
  g_autoptr(IhStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *mid = NULL;
  g_autofree char *small = NULL;
  g_autoptr(GArray) rids = NULL;
  g_autoptr(IhRepresentTable) table = NULL;
  IhRepresentCharacteristic *c;

  import_testshire (store);
  mid = add_activity (store, "Thirty", "Testshire", "Mid");
  small = add_activity (store, "Ten", "Testshire", "Small");
  add_respondents (store, mid, 30, sex30, blank30, blank30, blank30);
  add_respondents (store, small, 10, sex10, blank10, blank10, blank10);

  rids = ih_scope_collect (store, IH_SCOPE_PROGRAMME, "mid", &error);
  g_assert_no_error (error);
  table = ih_represent_compute (store, rids, "Thirty", NULL, &error);
  g_assert_no_error (error);
  c = find_char (table, "sex");
  g_assert_cmpint (c->test, ==, IH_REPRESENT_TEST_EXACT);
  assert_group (c, "female", 21, 0.7, 0.5, 15, 0.0427739, 0.0855479, IH_REPRESENT_AS_EXPECTED);
  assert_group (c, "male", 9, 0.3, 0.5, 15, 0.0427739, 0.0855479, IH_REPRESENT_AS_EXPECTED);
  /* Nobody answered the other questions: shown as blanks, not tested */
  c = find_char (table, "age-band");
  g_assert_cmpint (c->missing, ==, 30);
  g_assert_cmpint (c->test, ==, IH_REPRESENT_TEST_NONE);
  g_assert_nonnull (c->note);
  g_clear_pointer (&table, ih_represent_table_free);
  g_clear_pointer (&rids, g_array_unref);

  rids = ih_scope_collect (store, IH_SCOPE_ACTIVITY, small, &error);
  g_assert_no_error (error);
  table = ih_represent_compute (store, rids, "Ten", NULL, &error);
  g_assert_no_error (error);
  c = find_char (table, "sex");
  g_assert_cmpint (c->answered, ==, 10);
  g_assert_cmpint (c->test, ==, IH_REPRESENT_TEST_NONE);
  assert_group (c, "female", 7, 0.7, 0.5, 5, NAN, NAN, IH_REPRESENT_AS_EXPECTED);
  g_assert_nonnull (strstr (c->note, "at least 30"));
}

/* Above 5,000 answers the score test is used: 3,100 women and 2,900 men
 * against ½ each: z = (|3100 − 3000| − ½) / √(6000 × ¼) = 99.5 / 38.730
 * = 2.56908, two-sided p = 0.0101969, Holm × 2 = 0.0203938: flagged. */
static void
test_large_n_score_test (void)
{
  g_autoptr(IhStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rids = NULL;
  g_autoptr(IhRepresentTable) table = NULL;
  g_autofree char *big = NULL;
  IhRepresentCharacteristic *c;

  import_testshire (store);
  big = add_activity (store, "County survey", "Testshire", "County");
  g_assert_true (ih_store_begin (store, &error));
  for (guint i = 0; i < 6000; i++)
    {
      g_autoptr(IhInsight) insight = ih_insight_new ();

      insight->text = g_strdup ("A county survey answer");
      insight->activity_id = g_strdup (big);
      insight->sex = g_strdup (i < 3100 ? "female" : "male");
      g_assert_true (_ih_store_save_in_transaction (store, insight, &error));
      g_assert_no_error (error);
    }
  g_assert_true (ih_store_commit (store, &error));
  g_assert_no_error (error);

  rids = ih_scope_collect (store, IH_SCOPE_QUERY, "county", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rids->len, ==, 6000);
  table = ih_represent_compute (store, rids, "County", NULL, &error);
  g_assert_no_error (error);
  c = find_char (table, "sex");
  g_assert_cmpint (c->answered, ==, 6000);
  g_assert_cmpint (c->test, ==, IH_REPRESENT_TEST_SCORE);
  assert_group (c, "female", 3100, 3100.0 / 6000, 0.5, 3000, 0.0101969, 0.0203938, IH_REPRESENT_OVER);
  assert_group (c, "male", 2900, 2900.0 / 6000, 0.5, 3000, 0.0101969, 0.0203938, IH_REPRESENT_UNDER);
}

/* Deprivation through postcode districts: the profile places TS1 in
 * decile 1 and TS2 in decile 10, half the people in each. 5 respondents
 * from TS1, 40 from TS2 (45 answered), 3 from ZZ9 which the profile does
 * not know, 2 without a district. Expected 22.5 each; exact p for 5 of 45
 * at ½ = 7.87838e-08, Holm × 2 = 1.57568e-07: decile 1 under-, decile 10
 * over-represented. */
static void
test_deprivation_by_district (void)
{
  static const Count sex[] = { { "female", 50 }, { NULL, 0 } };
  static const Count blank[] = { { NULL, 50 }, { NULL, 0 } };
  static const char * const districts[] = { "TS1", "TS2", "ZZ9" };
  g_autoptr(IhStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *profile = write_file ("districts.csv",
                                         "place,characteristic,group,value\n"
                                         "Deepdale,deprivation-decile,1,0.5\n"
                                         "Deepdale,deprivation-decile,10,0.5\n"
                                         "Deepdale,postcode-district,ts1,1\n"
                                         "Deepdale,postcode district,TS2 4AB,10\n");
  g_autofree char *bad = write_file ("bad-districts.csv",
                                     "place,characteristic,group,share\n"
                                     "Deepdale,postcode-district,not a district,1\n"
                                     "Deepdale,postcode-district,TS3,11\n"
                                     "Deepdale,postcode-district,ts1,2\n"
                                     "Deepdale,postcode-district,TS1,3\n");
  g_autofree char *act = add_activity (store, "Deepdale survey", "Deepdale", "Deep");
  g_autoptr(GArray) rids = NULL;
  g_autoptr(IhRepresentTable) table = NULL;
  g_autoptr(IhPopulationProfile) p = NULL;
  IhRepresentCharacteristic *c;
  IhRepresentRow *row;
  guint n_rows = 0;

  g_assert_true (ih_population_import (store, profile, NULL, &n_rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 4);
  p = ih_population_get (store, "deepdale", &error);
  g_assert_no_error (error);
  /* A full postcode is cut to its district */
  g_assert_cmpint (ih_population_profile_decile (p, "ts2"), ==, 10);
  g_assert_cmpint (ih_population_profile_decile (p, "TS1"), ==, 1);
  g_assert_cmpint (ih_population_profile_decile (p, "ZZ9"), ==, 0);

  g_assert_false (ih_population_import (store, bad, NULL, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "line 2: “not a district” is not a postcode district"));
  g_assert_nonnull (strstr (error->message, "line 3: the deprivation decile of TS3 must be a whole number from 1 to 10, not “11”"));
  g_assert_nonnull (strstr (error->message, "line 5: the district TS1 of Deepdale is given twice (first on line 4)"));
  g_clear_error (&error);

  add_respondents (store, act, 50, sex, blank, blank, blank);
  rids = ih_scope_collect (store, IH_SCOPE_ACTIVITY, act, &error);
  g_assert_no_error (error);
  /* Give each respondent a district: 5 × TS1, 40 × TS2, 3 × ZZ9, 2 none */
  for (guint i = 0; i < 48; i++)
    {
      g_autoptr(IhInsight) insight = NULL;
      sqlite3_stmt *stmt;
      g_autofree char *id = NULL;

      _ih_store_lock (store);
      g_assert_cmpint (sqlite3_prepare_v2 (_ih_store_get_db (store), "SELECT id FROM insight WHERE rid = ?",
                                           -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_int64 (stmt, 1, g_array_index (rids, gint64, i));
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_finalize (stmt);
      _ih_store_unlock (store);

      insight = ih_store_load (store, &ih_insight_class, id, &error);
      g_assert_no_error (error);
      insight->postcode_district = g_strdup (districts[i < 5 ? 0 : i < 45 ? 1 : 2]);
      g_assert_true (ih_store_save (store, insight, &error));
      g_assert_no_error (error);
    }

  table = ih_represent_compute (store, rids, "Deepdale", NULL, &error);
  g_assert_no_error (error);
  c = find_char (table, "deprivation-decile");
  g_assert_cmpint (c->answered, ==, 45);
  g_assert_cmpint (c->not_in_profile, ==, 3);
  g_assert_cmpint (c->missing, ==, 2);
  g_assert_cmpint (c->test, ==, IH_REPRESENT_TEST_EXACT);
  assert_group (c, "1", 5, 5.0 / 45, 0.5, 22.5, 7.87838e-08, 1.57568e-07, IH_REPRESENT_UNDER);
  assert_group (c, "10", 40, 40.0 / 45, 0.5, 22.5, 7.87838e-08, 1.57568e-07, IH_REPRESENT_OVER);
  g_assert_cmpstr (find_row (c, IH_REPRESENT_ROW_GROUP, "1")->label, ==, "1 (most deprived)");
  row = find_row (c, IH_REPRESENT_ROW_NOT_IN_PROFILE, "unknown-district");
  g_assert_cmpint (row->count, ==, 3);
}

static void
test_scopes_and_places (void)
{
  static const Count two[] = { { "female", 1 }, { "male", 1 }, { NULL, 0 } };
  static const Count blank[] = { { NULL, 2 }, { NULL, 0 } };
  g_autoptr(IhStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autoptr(GArray) rids = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(IhRepresentTable) table = NULL;
  g_autofree char *described = NULL;

  import_testshire (store);
  a = add_activity (store, "Clinic chat", "Testshire", "Access");
  b = add_activity (store, "Clinic chat two", "Testshire", "Access");
  c = add_activity (store, "Clinic chat far", "Nowhere", "Access");
  add_respondents (store, a, 2, two, blank, blank, blank);
  add_respondents (store, b, 2, two, blank, blank, blank);
  add_respondents (store, c, 2, two, blank, blank, blank);
  add_plain (store, a, "Withdrawn walk-in remark", "withdrawn", TRUE, FALSE);

  /* A programme: every insight of its activities, never the withdrawn */
  rids = ih_scope_collect (store, IH_SCOPE_PROGRAMME, "ACCESS", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rids->len, ==, 6);

  /* A search finds the same (the text says walk-in centre) */
  all = ih_scope_collect (store, IH_SCOPE_QUERY, "walk-in", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 6);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpint (g_array_index (all, gint64, i), ==, g_array_index (rids, gint64, i));

  /* Two places: the one most insight comes from, said so */
  table = ih_represent_compute (store, rids, "Access", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (table->place, ==, "Testshire");
  g_assert_nonnull (table->place_note);
  g_assert_nonnull (strstr (table->place_note, "4 of 6"));
  g_clear_pointer (&table, ih_represent_table_free);

  /* A place without a profile is refused with a message saying how */
  table = ih_represent_compute (store, rids, "Access", "Nowhere", &error);
  g_assert_error (error, IH_POPULATION_ERROR, IH_POPULATION_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "population import"));
  g_clear_error (&error);

  /* Bad scopes */
  g_assert_null (ih_scope_collect (store, IH_SCOPE_PROGRAMME, "Nothing", &error));
  g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (ih_scope_collect (store, IH_SCOPE_ACTIVITY, "no-such-id", &error));
  g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (ih_scope_collect (store, IH_SCOPE_QUERY, "colour:red", &error));
  g_assert_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_UNKNOWN_FILTER);
  g_clear_error (&error);

  described = ih_scope_describe (store, IH_SCOPE_ACTIVITY, a);
  g_assert_cmpstr (described, ==, "Activity “Clinic chat”");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/represent/population/import", test_population_import);
  g_test_add_func ("/represent/population/bad-file", test_population_bad_file);
  g_test_add_func ("/represent/population/reimport", test_population_reimport);
  g_test_add_func ("/represent/statistics", test_statistics);
  g_test_add_func ("/represent/table-by-hand", test_table_by_hand);
  g_test_add_func ("/represent/small-n-not-flagged", test_small_n_not_flagged);
  g_test_add_func ("/represent/large-n-score-test", test_large_n_score_test);
  g_test_add_func ("/represent/deprivation-by-district", test_deprivation_by_district);
  g_test_add_func ("/represent/scopes-and-places", test_scopes_and_places);

  return g_test_run ();
}
