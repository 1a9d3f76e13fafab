/* test-search.c — ranked pages, snippets, filters, counts and facets of a
 * search
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "ih-search.h"
#include "ih-store-private.h"

/*
 * Helpers
 */

static IhStore *
open_store (const char *name)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  IhStore *store;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), name, NULL);
  store = ih_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
save (IhStore  *store,
      gpointer  record)
{
  g_autoptr(GError) error = NULL;

  ih_store_save (store, record, &error);
  g_assert_no_error (error);
}

static char *
add_activity (IhStore    *store,
              const char *title,
              const char *kind,
              const char *ics,
              const char *place,
              const char *locality)
{
  g_autoptr(IhActivity) activity = ih_activity_new ();

  activity->title = g_strdup (title);
  activity->kind = g_strdup (kind);
  activity->ics = g_strdup (ics);
  activity->place = g_strdup (place);
  activity->locality = g_strdup (locality);
  save (store, activity);
  return g_strdup (activity->parent.id);
}

static char *
add_theme (IhStore    *store,
           const char *name,
           const char *parent_id)
{
  g_autoptr(IhTheme) theme = ih_theme_new ();

  theme->name = g_strdup (name);
  theme->parent_id = g_strdup (parent_id);
  save (store, theme);
  return g_strdup (theme->parent.id);
}

/* @themes: up to two theme ids, either may be NULL. */
static char *
add_insight (IhStore    *store,
             const char *text,
             const char *kind,
             const char *date,
             const char *sentiment,
             const char *activity_id,
             const char *theme1,
             const char *theme2)
{
  g_autoptr(IhInsight) insight = ih_insight_new ();
  g_autoptr(GStrvBuilder) themes = g_strv_builder_new ();

  insight->text = g_strdup (text);
  insight->kind = g_strdup (kind);
  insight->date = g_strdup (date);
  insight->sentiment = g_strdup (sentiment);
  insight->activity_id = g_strdup (activity_id);
  if (theme1)
    g_strv_builder_add (themes, theme1);
  if (theme2)
    g_strv_builder_add (themes, theme2);
  insight->theme_ids = g_strv_builder_end (themes);
  save (store, insight);
  return g_strdup (insight->parent.id);
}

static char *
add_text (IhStore    *store,
          const char *text)
{
  return add_insight (store, text, NULL, NULL, NULL, NULL, NULL, NULL);
}

static IhSearch *
new_search (IhStore    *store,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  IhSearch *search = ih_search_new (store, text, IH_QUERY_FLAG_NONE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (search);
  return search;
}

static gint64
count (IhStore    *store,
       const char *text)
{
  g_autoptr(IhSearch) search = new_search (store, text);
  g_autoptr(GError) error = NULL;
  gint64 n = ih_search_count (search, &error);

  g_assert_no_error (error);
  return n;
}

static GPtrArray *
fetch (IhSearch *search,
       guint64   offset,
       guint     limit)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *hits = ih_search_fetch (search, offset, limit, &error);

  g_assert_no_error (error);
  g_assert_nonnull (hits);
  g_assert_cmpuint (hits->len, <=, limit);
  return hits;
}

static IhHit *
hit_at (GPtrArray *hits,
        guint      i)
{
  return g_ptr_array_index (hits, i);
}

/* Every hit of @text, in result order. */
static GPtrArray *
fetch_all (IhStore    *store,
           const char *text)
{
  g_autoptr(IhSearch) search = new_search (store, text);

  return fetch (search, 0, 10000);
}

/* Asserts that @text finds exactly the insight given as NULL-terminated ids
 * (in any order), by count and by fetch. */
static void
assert_finds (IhStore    *store,
              const char *text,
              ...)
{
  g_autoptr(GHashTable) expected = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) hits = NULL;
  const char *id;
  va_list args;

  va_start (args, text);
  while ((id = va_arg (args, const char *)) != NULL)
    g_hash_table_add (expected, (gpointer) id);
  va_end (args);

  g_test_message ("query: %s", text);
  g_assert_cmpint (count (store, text), ==, g_hash_table_size (expected));
  hits = fetch_all (store, text);
  g_assert_cmpuint (hits->len, ==, g_hash_table_size (expected));
  for (guint i = 0; i < hits->len; i++)
    g_assert_true (g_hash_table_contains (expected, hit_at (hits, i)->id));
}

/*
 * A small data set shared by the filter, facet and ordering tests
 */

typedef struct
{
  IhStore *store;
  char    *access;       /* theme "Access to services" */
  char    *transport;    /* its child "Transport" */
  char    *staff;        /* theme "Staff attitude" */
  char    *stroud;       /* workshop: Gloucestershire / Stroud / Cainscross */
  char    *wirral;       /* survey: Cheshire and Merseyside / Wirral / Birkenhead */
  char    *i[7];         /* i[1]..i[6]; i[0] unused */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->store = open_store ("fixture.db");
  f->access = add_theme (f->store, "Access to services", NULL);
  f->transport = add_theme (f->store, "Transport", f->access);
  f->staff = add_theme (f->store, "Staff attitude", NULL);
  f->stroud = add_activity (f->store, "Stroud maternity workshop", "workshop",
                            "Gloucestershire", "Stroud", "Cainscross");
  f->wirral = add_activity (f->store, "Online travel survey", "survey",
                            "Cheshire and Merseyside", "Wirral", "Birkenhead");

  f->i[1] = add_insight (f->store, "The bus to the hospital only runs twice a day",
                         "quote", "2023-05-04", "negative", f->stroud, f->transport, NULL);
  f->i[2] = add_insight (f->store, "Reception staff were kind and patient",
                         "story", "2023-06-01", "positive", f->stroud, f->staff, NULL);
  f->i[3] = add_insight (f->store, "Parking costs too much at the hospital",
                         "summary", "2024-01-01", "negative", f->wirral, f->access, NULL);
  f->i[4] = add_insight (f->store, "The train station is far from the clinic",
                         "question", "2024-03-15", "neutral", NULL, NULL, NULL);
  f->i[5] = add_insight (f->store, "Bus and train tickets are expensive",
                         "survey-answer", "2022-12-31", "mixed", f->wirral, f->transport, f->staff);
  f->i[6] = add_insight (f->store, "Our station has no train on Sundays",
                         "quote", "2021-07-07", "neutral", NULL, NULL, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  g_free (f->access);
  g_free (f->transport);
  g_free (f->staff);
  g_free (f->stroud);
  g_free (f->wirral);
  for (guint i = 0; i < G_N_ELEMENTS (f->i); i++)
    g_free (f->i[i]);
}

/*
 * 1. Ranking
 */

static void
test_ranking (void)
{
  g_autoptr(IhStore) store = open_store ("ranking.db");
  g_autofree char *often = NULL;
  g_autofree char *once = NULL;
  g_autofree char *in_text = NULL;
  g_autofree char *in_title = NULL;
  g_autofree char *parking_review = NULL;
  g_autoptr(GPtrArray) hits = NULL;

  /* Filler so the collection has some length to compare against */
  for (guint i = 0; i < 10; i++)
    g_free (add_text (store, "The waiting room was clean and the nurses were helpful"));

  once = add_text (store,
                   "I went to the surgery in the morning and waited for a long time before "
                   "anyone could see me, and when the doctor finally came she was kind but "
                   "rushed, and afterwards I had to walk home because the bus never came "
                   "and nobody told us about the change to the timetable in our village");
  often = add_text (store, "Bus late, bus full, bus gone");

  hits = fetch_all (store, "bus");
  g_assert_cmpuint (hits->len, ==, 2);
  g_assert_cmpstr (hit_at (hits, 0)->id, ==, often);
  g_assert_cmpstr (hit_at (hits, 1)->id, ==, once);
  g_assert_cmpfloat (hit_at (hits, 0)->score, !=, 0.0);
  g_assert_cmpfloat (hit_at (hits, 1)->score, !=, 0.0);
  g_assert_cmpfloat (hit_at (hits, 0)->score, <, hit_at (hits, 1)->score);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* The same word in the text beats it only in the activity title */
  parking_review = add_activity (store, "Parking review", "workshop", NULL, NULL, NULL);
  in_title = add_insight (store, "Spaces are never free in the morning", NULL, NULL, NULL,
                          parking_review, NULL, NULL);
  in_text = add_text (store, "Parking is never free in the morning");

  hits = fetch_all (store, "parking");
  g_assert_cmpuint (hits->len, ==, 2);
  g_assert_cmpstr (hit_at (hits, 0)->id, ==, in_text);
  g_assert_cmpstr (hit_at (hits, 1)->id, ==, in_title);
  g_assert_cmpfloat (hit_at (hits, 0)->score, <, hit_at (hits, 1)->score);
  g_assert_cmpfloat (hit_at (hits, 1)->score, !=, 0.0);
  /* The hit carries the activity title; without an activity it is NULL */
  g_assert_cmpstr (hit_at (hits, 1)->activity_title, ==, "Parking review");
  g_assert_null (hit_at (hits, 0)->activity_title);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* The same order whichever was added first */
  {
    g_autofree char *title_first = NULL;
    g_autofree char *text_first = NULL;
    g_autofree char *clinic = add_activity (store, "Dentist forum", NULL, NULL, NULL, NULL);

    title_first = add_insight (store, "Appointments are hard to get", NULL, NULL, NULL,
                               clinic, NULL, NULL);
    text_first = add_text (store, "Dentist appointments are hard to get");
    hits = fetch_all (store, "dentist");
    g_assert_cmpuint (hits->len, ==, 2);
    g_assert_cmpstr (hit_at (hits, 0)->id, ==, text_first);
    g_assert_cmpstr (hit_at (hits, 1)->id, ==, title_first);
  }
}

/*
 * 2. Snippets
 */

static void
assert_snippet (IhStore    *store,
                const char *query,
                const char *id,
                const char *formatted)
{
  g_autoptr(GPtrArray) hits = fetch_all (store, query);
  g_autofree char *text = NULL;

  g_test_message ("query: %s", query);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (hit_at (hits, 0)->id, ==, id);
  text = ih_hit_format_snippet (hit_at (hits, 0), "[", "]");
  g_assert_cmpstr (text, ==, formatted);
}

static void
test_snippets (void)
{
  g_autoptr(IhStore) store = open_store ("snippets.db");
  g_autofree char *buses = add_text (store, "The buses were late again");
  g_autofree char *waiting = add_text (store, "We were waiting for hours");
  g_autofree char *cafe = add_text (store, "The café by the clinic closed");
  g_autofree char *lines = add_text (store, "First line\nthe pharmacy\r\nwas shut");
  g_autofree char *long_text = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *formatted = NULL;
  const IhHit *hit;

  hits = fetch_all (store, "buses");
  g_assert_cmpuint (hits->len, ==, 1);
  hit = hit_at (hits, 0);
  g_assert_cmpstr (hit->snippet, ==, "The " IH_HIT_MARK_START "buses" IH_HIT_MARK_END " were late again");
  formatted = ih_hit_format_snippet (hit, "[", "]");
  g_assert_cmpstr (formatted, ==, "The [buses] were late again");
  g_clear_pointer (&formatted, g_free);
  formatted = ih_hit_format_snippet (hit, "<b>", "</b>");
  g_assert_cmpstr (formatted, ==, "The <b>buses</b> were late again");
  g_clear_pointer (&formatted, g_free);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Stemmed (porter), case-insensitive, several words. The Porter stemmer
   * makes "buses" "buse" but "bus" "bu", so a stem that it does conflate is
   * used here. */
  assert_snippet (store, "wait", waiting, "We were [waiting] for hours");
  assert_snippet (store, "waited", waiting, "We were [waiting] for hours");
  assert_snippet (store, "BUSES", buses, "The [buses] were late again");
  assert_snippet (store, "buses late", buses, "The [buses] were [late] again");
  assert_snippet (store, "bus*", buses, "The [buses] were late again");
  assert_snippet (store, "\"buses were\"", buses, "The [buses were] late again");

  /* Diacritics both ways */
  assert_snippet (store, "cafe", cafe, "The [café] by the clinic closed");
  assert_snippet (store, "CAFÉ", cafe, "The [café] by the clinic closed");

  /* Line breaks become spaces in the formatted snippet */
  assert_snippet (store, "pharmacy", lines, "First line the [pharmacy]  was shut");

  /* A long text is cut around the match, with an ellipsis */
  for (guint i = 0; i < 60; i++)
    g_string_append_printf (text, "word%u ", i);
  g_string_append (text, "ambulance ");
  for (guint i = 60; i < 120; i++)
    g_string_append_printf (text, "word%u ", i);
  long_text = add_text (store, text->str);
  hits = fetch_all (store, "ambulance");
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (hit_at (hits, 0)->id, ==, long_text);
  formatted = ih_hit_format_snippet (hit_at (hits, 0), "[", "]");
  g_assert_true (g_str_has_prefix (formatted, "…"));
  g_assert_true (g_str_has_suffix (formatted, "…"));
  g_assert_nonnull (strstr (formatted, "[ambulance]"));
  g_assert_null (strstr (formatted, "word0 "));
  g_assert_cmpuint (g_utf8_strlen (formatted, -1), <, 300);
}

/*
 * 3. Filters
 */

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  IhStore *s = f->store;
  char **i = f->i;

  /* theme:, a child found through its parent's name */
  assert_finds (s, "theme:\"Access to services\"", i[1], i[3], i[5], NULL);
  assert_finds (s, "theme:transport", i[1], i[5], NULL);
  assert_finds (s, "theme:\"staff attitude\"", i[2], i[5], NULL);
  assert_finds (s, "theme:StaffAttitude", i[2], i[5], NULL);
  assert_finds (s, "theme:access", NULL);

  /* kind: both vocabularies */
  assert_finds (s, "kind:quote", i[1], i[6], NULL);
  assert_finds (s, "kind:workshop", i[1], i[2], NULL);
  assert_finds (s, "kind:survey", i[3], i[5], NULL);
  assert_finds (s, "kind:\"Survey answer\"", i[5], NULL);
  assert_finds (s, "kind:focus-group", NULL);

  /* place: ICS, place and locality */
  assert_finds (s, "place:gloucestershire", i[1], i[2], NULL);
  assert_finds (s, "place:Stroud", i[1], i[2], NULL);
  assert_finds (s, "place:cainscross", i[1], i[2], NULL);
  assert_finds (s, "place:\"Cheshire and Merseyside\"", i[3], i[5], NULL);
  assert_finds (s, "place:wirral", i[3], i[5], NULL);
  assert_finds (s, "place:birkenhead", i[3], i[5], NULL);
  assert_finds (s, "place:cheshire", NULL);

  /* sentiment: */
  assert_finds (s, "sentiment:negative", i[1], i[3], NULL);
  assert_finds (s, "sentiment:Mixed", i[5], NULL);
  assert_finds (s, "sentiment:neutral", i[4], i[6], NULL);

  /* after: inclusive, before: exclusive */
  assert_finds (s, "after:2023-05-04", i[1], i[2], i[3], i[4], NULL);
  assert_finds (s, "after:2023-05-05", i[2], i[3], i[4], NULL);
  assert_finds (s, "before:2023-05-04", i[5], i[6], NULL);
  assert_finds (s, "before:2023-05-05", i[1], i[5], i[6], NULL);
  assert_finds (s, "after:2023-05-04 before:2024-01-01", i[1], i[2], NULL);
  assert_finds (s, "after:2024", i[3], i[4], NULL);
  assert_finds (s, "before:2023-06", i[1], i[5], i[6], NULL);
  assert_finds (s, "after:2022-12-31 before:2023-01-01", i[5], NULL);
  assert_finds (s, "train after:2022", i[4], i[5], NULL);
  assert_finds (s, "train before:2022", i[6], NULL);

  /* has:paper follows the papers of the activity */
  assert_finds (s, "has:paper", NULL);
  {
    g_autoptr(IhPaper) paper = ih_paper_new ();
    g_autoptr(GError) error = NULL;

    paper->title = g_strdup ("Travel survey full report");
    paper->activity_id = g_strdup (f->wirral);
    save (s, paper);
    assert_finds (s, "has:paper", i[3], i[5], NULL);
    assert_finds (s, "hospital has:paper", i[3], NULL);
    assert_finds (s, "-has:paper", i[1], i[2], i[4], i[6], NULL);

    ih_store_delete (s, &ih_paper_class, paper->parent.id, &error);
    g_assert_no_error (error);
    assert_finds (s, "has:paper", NULL);
  }

  /* Exclusion */
  assert_finds (s, "hospital", i[1], i[3], NULL);
  assert_finds (s, "hospital -parking", i[1], NULL);
  assert_finds (s, "-bus", i[2], i[3], i[4], i[6], NULL);
  assert_finds (s, "-theme:transport", i[2], i[3], i[4], i[6], NULL);
  assert_finds (s, "train -\"train station\"", i[5], i[6], NULL);

  /* OR */
  assert_finds (s, "parking OR train", i[3], i[4], i[5], i[6], NULL);
  assert_finds (s, "parking OR reception OR sundays", i[2], i[3], i[6], NULL);
  assert_finds (s, "bus OR theme:\"staff attitude\"", i[1], i[2], i[5], NULL);
  assert_finds (s, "hospital OR clinic sentiment:negative", i[1], i[3], NULL);

  /* Phrase vs words */
  assert_finds (s, "train station", i[4], i[6], NULL);
  assert_finds (s, "station train", i[4], i[6], NULL);
  assert_finds (s, "\"train station\"", i[4], NULL);
  assert_finds (s, "\"station train\"", NULL);

  /* Prefixes, and words found through the context (activity title, themes) */
  assert_finds (s, "tick*", i[5], NULL);
  assert_finds (s, "maternity", i[1], i[2], NULL);
  assert_finds (s, "attitude", i[2], i[5], NULL);

  /* Filters combined */
  assert_finds (s, "hospital sentiment:negative kind:workshop", i[1], NULL);
  assert_finds (s, "theme:transport place:wirral after:2022", i[5], NULL);
}

/*
 * 4. Tombstones and withdrawn consent
 */

static void
test_tombstones (void)
{
  g_autoptr(IhStore) store = open_store ("tombstones.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *keep = add_text (store, "The pharmacy opened late");
  g_autofree char *gone = add_text (store, "The pharmacy closed early");
  g_autofree char *withdrawn = add_text (store, "The pharmacy ran out of insulin");
  g_autoptr(IhInsight) insight = NULL;

  assert_finds (store, "pharmacy", keep, gone, withdrawn, NULL);
  g_assert_cmpint (count (store, ""), ==, 3);

  /* Tombstoned */
  ih_store_delete (store, &ih_insight_class, gone, &error);
  g_assert_no_error (error);
  assert_finds (store, "pharmacy", keep, withdrawn, NULL);
  assert_finds (store, "closed", NULL);
  assert_finds (store, "", keep, withdrawn, NULL);

  /* Brought back */
  insight = ih_store_load (store, &ih_insight_class, gone, &error);
  g_assert_no_error (error);
  g_assert_true (insight->parent.deleted);
  insight->parent.deleted = FALSE;
  save (store, insight);
  assert_finds (store, "pharmacy", keep, gone, withdrawn, NULL);
  assert_finds (store, "closed", gone, NULL);
  g_clear_pointer (&insight, ih_record_free);

  /* Consent withdrawn, then given again */
  insight = ih_store_load (store, &ih_insight_class, withdrawn, &error);
  g_assert_no_error (error);
  insight->consent = g_strdup ("withdrawn");
  save (store, insight);
  assert_finds (store, "pharmacy", keep, gone, NULL);
  assert_finds (store, "insulin", NULL);
  assert_finds (store, "", keep, gone, NULL);

  g_free (insight->consent);
  insight->consent = g_strdup ("may-quote");
  save (store, insight);
  assert_finds (store, "insulin", withdrawn, NULL);
  assert_finds (store, "", keep, gone, withdrawn, NULL);
  g_clear_pointer (&insight, ih_record_free);

  /* Saved withdrawn from the start: never indexed */
  insight = ih_insight_new ();
  insight->text = g_strdup ("The pharmacy lost my prescription");
  insight->consent = g_strdup ("withdrawn");
  save (store, insight);
  assert_finds (store, "prescription", NULL);
  assert_finds (store, "pharmacy", keep, gone, withdrawn, NULL);
}

/*
 * 5. Edits are followed
 */

static void
test_edits (void)
{
  g_autoptr(IhStore) store = open_store ("edits.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = add_theme (store, "Access", NULL);
  g_autofree char *child = add_theme (store, "Transport", parent);
  g_autofree char *activity = add_activity (store, "Stroud listening event", "drop-in",
                                            NULL, "Stroud", NULL);
  g_autofree char *id = add_insight (store, "The ambulance took an hour", NULL, NULL, NULL,
                                     activity, child, NULL);
  g_autoptr(IhInsight) insight = NULL;
  g_autoptr(IhActivity) loaded_activity = NULL;
  g_autoptr(IhTheme) theme = NULL;

  assert_finds (store, "ambulance", id, NULL);

  /* Text */
  insight = ih_store_load (store, &ih_insight_class, id, &error);
  g_assert_no_error (error);
  g_free (insight->text);
  insight->text = g_strdup ("The paramedics took an hour");
  save (store, insight);
  assert_finds (store, "ambulance", NULL);
  assert_finds (store, "paramedics", id, NULL);

  /* Activity title and place */
  assert_finds (store, "stroud", id, NULL);
  assert_finds (store, "place:stroud", id, NULL);
  loaded_activity = ih_store_load (store, &ih_activity_class, activity, &error);
  g_assert_no_error (error);
  g_free (loaded_activity->title);
  loaded_activity->title = g_strdup ("Nailsworth listening event");
  g_free (loaded_activity->place);
  loaded_activity->place = g_strdup ("Nailsworth");
  save (store, loaded_activity);
  assert_finds (store, "stroud", NULL);
  assert_finds (store, "place:stroud", NULL);
  assert_finds (store, "nailsworth", id, NULL);
  assert_finds (store, "place:nailsworth", id, NULL);
  {
    g_autoptr(GPtrArray) hits = fetch_all (store, "paramedics");

    g_assert_cmpuint (hits->len, ==, 1);
    g_assert_cmpstr (hit_at (hits, 0)->activity_title, ==, "Nailsworth listening event");
  }

  /* Kind of the activity */
  assert_finds (store, "kind:drop-in", id, NULL);
  g_free (loaded_activity->kind);
  loaded_activity->kind = g_strdup ("outreach");
  save (store, loaded_activity);
  assert_finds (store, "kind:drop-in", NULL);
  assert_finds (store, "kind:outreach", id, NULL);

  /* The theme itself */
  assert_finds (store, "theme:transport", id, NULL);
  assert_finds (store, "transport", id, NULL);
  theme = ih_store_load (store, &ih_theme_class, child, &error);
  g_assert_no_error (error);
  g_free (theme->name);
  theme->name = g_strdup ("Travel");
  save (store, theme);
  assert_finds (store, "theme:transport", NULL);
  assert_finds (store, "transport", NULL);
  assert_finds (store, "theme:travel", id, NULL);
  g_clear_pointer (&theme, ih_record_free);

  /* Its parent: the child's insight follows */
  assert_finds (store, "theme:access", id, NULL);
  theme = ih_store_load (store, &ih_theme_class, parent, &error);
  g_assert_no_error (error);
  g_free (theme->name);
  theme->name = g_strdup ("Getting there");
  save (store, theme);
  assert_finds (store, "theme:access", NULL);
  assert_finds (store, "theme:\"getting there\"", id, NULL);
  g_clear_pointer (&theme, ih_record_free);

  /* Themes of the insight replaced */
  g_strfreev (insight->theme_ids);
  insight->theme_ids = NULL;
  save (store, insight);
  assert_finds (store, "theme:travel", NULL);
  assert_finds (store, "theme:\"getting there\"", NULL);
  assert_finds (store, "paramedics", id, NULL);

  /* Sentiment and date */
  insight->sentiment = g_strdup ("negative");
  insight->date = g_strdup ("2024-02-02");
  save (store, insight);
  assert_finds (store, "sentiment:negative after:2024", id, NULL);
  g_free (insight->sentiment);
  insight->sentiment = g_strdup ("positive");
  g_free (insight->date);
  insight->date = g_strdup ("2023-02-02");
  save (store, insight);
  assert_finds (store, "sentiment:negative", NULL);
  assert_finds (store, "after:2024", NULL);
  assert_finds (store, "sentiment:positive before:2024", id, NULL);
}

typedef struct
{
  GPtrArray *ids;
  guint      stop_after;   /* return FALSE once this many were seen */
} Visit;

static gboolean
visit_id (const char *id,
          gpointer    user_data)
{
  Visit *visit = user_data;

  g_assert_nonnull (id);
  g_ptr_array_add (visit->ids, g_strdup (id));
  return visit->ids->len < visit->stop_after;
}

static int
compare_hit_rid (gconstpointer a,
                 gconstpointer b)
{
  const IhHit *ha = *(const IhHit **) a;
  const IhHit *hb = *(const IhHit **) b;

  return ha->rid < hb->rid ? -1 : ha->rid > hb->rid;
}

/*
 * 6. Count and paging across the rank window
 */

#define N_BIG 2600
#define N_OTHER 120
#define DATED_AFTER "2020-03-01"

static void
test_paging (void)
{
  g_autoptr(IhStore) store = open_store ("paging.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) ih_hit_free);
  g_autoptr(IhSearch) search = NULL;
  static const char * const filler[] = { "late", "again", "crowded", "cold", "slow", "dirty", "rude" };
  gint64 min_ranked_rid = G_MAXINT64;
  gint64 n_dated = 0;
  char date_text[16];
  GDate date;
  guint64 offset;
  gint64 n;

  g_date_clear (&date, 1);
  ih_store_begin (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_BIG + N_OTHER; i++)
    {
      g_autoptr(IhInsight) insight = ih_insight_new ();
      g_autoptr(GString) text = g_string_new (NULL);

      /* One in 20 of the first 2400 does not mention the word */
      if (i % 20 == 7 && i / 20 < N_OTHER)
        g_string_append (text, "The train");
      else
        g_string_append (text, "The bus");
      /* Varied lengths and repetitions so scores differ */
      for (guint j = 0; j < i % 11; j++)
        g_string_append_printf (text, " %s", filler[(i + j) % G_N_ELEMENTS (filler)]);
      if (i % 5 == 0)
        g_string_append (text, " and the bus");

      insight->text = g_string_free (g_steal_pointer (&text), FALSE);
      g_date_set_dmy (&date, 1, 1, 2020);
      g_date_add_days (&date, i % 730);
      g_date_strftime (date_text, sizeof date_text, "%Y-%m-%d", &date);
      insight->date = g_strdup (date_text);
      ih_store_save (store, insight, &error);
      g_assert_no_error (error);
      if (g_str_has_prefix (insight->text, "The bus"))
        {
          g_hash_table_add (expected, g_strdup (insight->parent.id));
          if (strcmp (date_text, DATED_AFTER) >= 0)
            n_dated++;
        }
    }
  ih_store_commit (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (expected), ==, N_BIG);

  search = new_search (store, "bus");
  n = ih_search_count (search, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, N_BIG);
  g_assert_cmpint (count (store, ""), ==, N_BIG + N_OTHER);

  /* Pages of 100 to the end */
  for (offset = 0; ; offset += 100)
    {
      g_autoptr(GPtrArray) page = fetch (search, offset, 100);

      if (page->len == 0)
        break;
      g_assert_cmpuint (offset, <, N_BIG);
      g_ptr_array_extend_and_steal (all, g_steal_pointer (&page));
    }
  g_assert_cmpuint (all->len, ==, n);
  for (guint i = 0; i < all->len; i++)
    {
      const IhHit *hit = hit_at (all, i);

      g_assert_true (g_hash_table_contains (expected, hit->id));
      g_assert_true (g_hash_table_add (seen, hit->id));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, N_BIG);

  /* The ranked window: the newest 2000, best first */
  for (guint i = 0; i < IH_SEARCH_RANK_WINDOW; i++)
    {
      const IhHit *hit = hit_at (all, i);

      g_assert_cmpfloat (hit->score, !=, 0.0);
      if (i > 0)
        g_assert_cmpfloat (hit_at (all, i - 1)->score, <=, hit->score);
      min_ranked_rid = MIN (min_ranked_rid, hit->rid);
    }
  /* The tail: older, newest first */
  for (guint i = IH_SEARCH_RANK_WINDOW; i < all->len; i++)
    {
      const IhHit *hit = hit_at (all, i);

      g_assert_cmpfloat (hit->score, ==, 0.0);
      g_assert_cmpint (hit->rid, <, min_ranked_rid);
      if (i > IH_SEARCH_RANK_WINDOW)
        g_assert_cmpint (hit_at (all, i - 1)->rid, >, hit->rid);
    }

  /* Past the end */
  {
    g_autoptr(GPtrArray) page = fetch (search, N_BIG, 100);
    g_autoptr(GPtrArray) far = fetch (search, 1000000, 100);
    g_autoptr(GPtrArray) last = fetch (search, N_BIG - 30, 100);
    g_autoptr(GPtrArray) none = fetch (search, 0, 0);

    g_assert_cmpuint (page->len, ==, 0);
    g_assert_cmpuint (far->len, ==, 0);
    g_assert_cmpuint (none->len, ==, 0);
    g_assert_cmpuint (last->len, ==, 30);
    for (guint i = 0; i < last->len; i++)
      g_assert_cmpstr (hit_at (last, i)->id, ==, hit_at (all, N_BIG - 30 + i)->id);
  }

  /* The same pages again, on the same search (cached keys) and on a fresh
   * one, in order, out of order and with odd sizes across the window */
  for (guint round = 0; round < 2; round++)
    {
      static const struct { guint64 offset; guint limit; } pages[] = {
        { 2100, 100 }, { 2300, 100 }, { 2100, 100 }, { 2200, 100 },
        { 1950, 100 }, { 2050, 100 }, { 2000, 1 }, { 2001, 250 },
        { 0, 100 }, { 1900, 100 }, { 1990, 700 }, { 2550, 100 },
        { 2251, 3 }, { 2254, 3 },
      };
      g_autoptr(IhSearch) fresh = new_search (store, "bus");
      IhSearch *which = round == 0 ? search : fresh;

      for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
        {
          g_autoptr(GPtrArray) page = fetch (which, pages[p].offset, pages[p].limit);
          guint expect = MIN (pages[p].limit, N_BIG - pages[p].offset);

          g_test_message ("round %u: page at %" G_GUINT64_FORMAT " (%u)", round, pages[p].offset, pages[p].limit);
          g_assert_cmpuint (page->len, ==, expect);
          for (guint i = 0; i < page->len; i++)
            g_assert_cmpstr (hit_at (page, i)->id, ==, hit_at (all, pages[p].offset + i)->id);
        }
    }

  /* A dated query with more matches than the window pages the same way */
  {
    g_autoptr(IhSearch) dated = new_search (store, "bus after:" DATED_AFTER);
    g_autoptr(GHashTable) dated_seen = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GPtrArray) dated_all = g_ptr_array_new_with_free_func ((GDestroyNotify) ih_hit_free);

    n = ih_search_count (dated, &error);
    g_assert_no_error (error);
    g_assert_cmpint (n, ==, n_dated);
    g_assert_cmpint (n, >, IH_SEARCH_RANK_WINDOW);
    for (offset = 0; ; offset += 300)
      {
        g_autoptr(GPtrArray) page = fetch (dated, offset, 300);

        if (page->len == 0)
          break;
        g_assert_cmpuint (offset, <, N_BIG);
        g_ptr_array_extend_and_steal (dated_all, g_steal_pointer (&page));
      }
    g_assert_cmpint (dated_all->len, ==, n);
    min_ranked_rid = G_MAXINT64;
    for (guint i = 0; i < dated_all->len; i++)
      {
        const IhHit *hit = hit_at (dated_all, i);

        g_assert_true (g_hash_table_add (dated_seen, hit->id));
        g_assert_true (g_hash_table_contains (expected, hit->id));
        g_assert_cmpstr (hit->date, >=, DATED_AFTER);
        if (i < IH_SEARCH_RANK_WINDOW)
          {
            g_assert_cmpfloat (hit->score, !=, 0.0);
            if (i > 0)
              g_assert_cmpfloat (hit_at (dated_all, i - 1)->score, <=, hit->score);
            min_ranked_rid = MIN (min_ranked_rid, hit->rid);
          }
        else
          {
            g_assert_cmpint (hit->rid, <, min_ranked_rid);
            if (i > IH_SEARCH_RANK_WINDOW)
              g_assert_cmpint (hit_at (dated_all, i - 1)->rid, >, hit->rid);
          }
      }
  }

  /* foreach_id over more than one batch: every match once, by rowid */
  {
    g_autoptr(GPtrArray) by_rid = g_ptr_array_copy (all, NULL, NULL);
    Visit visit = { g_ptr_array_new_with_free_func (g_free), G_MAXUINT };
    gboolean ok;

    /* The copy shares the hits: it must not free them */
    g_ptr_array_set_free_func (by_rid, NULL);
    g_ptr_array_sort (by_rid, compare_hit_rid);
    ok = ih_search_foreach_id (search, visit_id, &visit, &error);
    g_assert_no_error (error);
    g_assert_true (ok);
    g_assert_cmpuint (visit.ids->len, ==, N_BIG);
    for (guint i = 0; i < visit.ids->len; i++)
      g_assert_cmpstr (g_ptr_array_index (visit.ids, i), ==, hit_at (by_rid, i)->id);
    g_ptr_array_unref (visit.ids);

    /* Stopping in the second batch */
    visit.ids = g_ptr_array_new_with_free_func (g_free);
    visit.stop_after = 1500;
    ok = ih_search_foreach_id (search, visit_id, &visit, &error);
    g_assert_no_error (error);
    g_assert_true (ok);
    g_assert_cmpuint (visit.ids->len, ==, 1500);
    g_ptr_array_unref (visit.ids);
  }
}

/*
 * 7. Small result sets are ranked throughout
 */

static void
test_small_ranked (void)
{
  g_autoptr(IhStore) store = open_store ("small.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(IhSearch) search = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) ih_hit_free);
  guint n_clinic = 0;

  ih_store_begin (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(GString) text = g_string_new (i % 6 == 0 ? "The pharmacy" : "The clinic");

      for (guint j = 0; j < i % 13; j++)
        g_string_append (text, " was busy");
      for (guint j = 0; j < i % 3; j++)
        g_string_append (text, " and the clinic");
      g_free (add_text (store, text->str));
      if (strstr (text->str, "clinic"))
        n_clinic++;
    }
  ih_store_commit (store, &error);
  g_assert_no_error (error);

  search = new_search (store, "clinic");
  g_assert_cmpint (ih_search_count (search, &error), ==, n_clinic);
  g_assert_no_error (error);
  g_assert_cmpuint (n_clinic, <, IH_SEARCH_RANK_WINDOW);

  for (guint64 offset = 0; offset < n_clinic + 60; offset += 30)
    {
      g_autoptr(GPtrArray) page = fetch (search, offset, 30);

      g_assert_cmpuint (page->len, ==, MIN (30, offset < n_clinic ? n_clinic - offset : 0));
      if (page->len > 0)
        g_ptr_array_extend_and_steal (all, g_steal_pointer (&page));
    }
  g_assert_cmpuint (all->len, ==, n_clinic);
  for (guint i = 0; i < all->len; i++)
    {
      const IhHit *hit = hit_at (all, i);

      g_assert_true (g_hash_table_add (seen, hit->id));
      g_assert_cmpfloat (hit->score, !=, 0.0);
      g_assert_cmpfloat (hit->score, <, 0.0);
      if (i > 0)
        g_assert_cmpfloat (hit_at (all, i - 1)->score, <=, hit->score);
    }
  /* The best is a short text with the word several times */
  g_assert_nonnull (strstr (hit_at (all, 0)->snippet, "and the " IH_HIT_MARK_START "clinic"));
}

/*
 * 8. Filter-only and empty queries: newest first
 */

static void
assert_newest_first (IhStore    *store,
                     const char *text,
                     gint64      expected)
{
  g_autoptr(IhSearch) search = new_search (store, text);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) ih_hit_free);

  g_test_message ("query: %s", text);
  g_assert_cmpint (ih_search_count (search, &error), ==, expected);
  g_assert_no_error (error);

  /* In pages of two, so the tail keys are used */
  for (guint64 offset = 0; ; offset += 2)
    {
      g_autoptr(GPtrArray) page = fetch (search, offset, 2);

      if (page->len == 0)
        break;
      g_ptr_array_extend_and_steal (all, g_steal_pointer (&page));
    }
  g_assert_cmpuint (all->len, ==, expected);
  for (guint i = 0; i < all->len; i++)
    {
      g_assert_cmpfloat (hit_at (all, i)->score, ==, 0.0);
      if (i > 0)
        g_assert_cmpint (hit_at (all, i - 1)->rid, >, hit_at (all, i)->rid);
    }
}

static void
test_newest_first (Fixture       *f,
                   gconstpointer  data)
{
  IhStore *s = f->store;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(IhSearch) search = NULL;

  assert_newest_first (s, "", 6);
  assert_newest_first (s, "   ", 6);
  g_assert_cmpint (count (s, ""), ==, ih_store_count (s, &ih_insight_class));
  assert_newest_first (s, "sentiment:negative", 2);
  assert_newest_first (s, "kind:survey", 2);
  assert_newest_first (s, "after:2023", 4);
  assert_newest_first (s, "-bus", 4);
  assert_newest_first (s, "-bus theme:transport", 0);

  hits = fetch_all (s, "");
  g_assert_cmpstr (hit_at (hits, 0)->id, ==, f->i[6]);
  g_assert_cmpstr (hit_at (hits, 5)->id, ==, f->i[1]);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Hits carry the insight's fields */
  hits = fetch_all (s, "sentiment:negative");
  g_assert_cmpstr (hit_at (hits, 0)->id, ==, f->i[3]);
  g_assert_cmpstr (hit_at (hits, 0)->date, ==, "2024-01-01");
  g_assert_cmpstr (hit_at (hits, 0)->kind, ==, "summary");
  g_assert_cmpstr (hit_at (hits, 0)->sentiment, ==, "negative");
  g_assert_cmpstr (hit_at (hits, 0)->activity_title, ==, "Online travel survey");
  g_assert_cmpstr (hit_at (hits, 0)->snippet, ==, "Parking costs too much at the hospital");
  g_assert_cmpstr (hit_at (hits, 1)->id, ==, f->i[1]);

  /* Same pages again, and out of order */
  search = new_search (s, "");
  {
    g_autoptr(GPtrArray) p4 = fetch (search, 4, 2);
    g_autoptr(GPtrArray) p2 = fetch (search, 2, 2);
    g_autoptr(GPtrArray) p4b = fetch (search, 4, 2);
    g_autoptr(GPtrArray) p0 = fetch (search, 0, 2);
    g_autoptr(GPtrArray) p5 = fetch (search, 5, 10);
    g_autoptr(GPtrArray) p6 = fetch (search, 6, 10);

    g_assert_cmpstr (hit_at (p0, 0)->id, ==, f->i[6]);
    g_assert_cmpstr (hit_at (p0, 1)->id, ==, f->i[5]);
    g_assert_cmpstr (hit_at (p2, 0)->id, ==, f->i[4]);
    g_assert_cmpstr (hit_at (p2, 1)->id, ==, f->i[3]);
    g_assert_cmpstr (hit_at (p4, 0)->id, ==, f->i[2]);
    g_assert_cmpstr (hit_at (p4, 1)->id, ==, f->i[1]);
    g_assert_cmpstr (hit_at (p4b, 0)->id, ==, f->i[2]);
    g_assert_cmpstr (hit_at (p4b, 1)->id, ==, f->i[1]);
    g_assert_cmpuint (p5->len, ==, 1);
    g_assert_cmpstr (hit_at (p5, 0)->id, ==, f->i[1]);
    g_assert_cmpuint (p6->len, ==, 0);
  }
}

/*
 * 9. Facets
 */

static const IhFacet *
find_facet (GPtrArray  *facets,
            const char *name)
{
  for (guint i = 0; i < facets->len; i++)
    {
      const IhFacet *facet = g_ptr_array_index (facets, i);

      if (strcmp (facet->name, name) == 0)
        return facet;
    }
  g_assert_not_reached ();
  return NULL;
}

/* "label=count, …" in facet order (labels, so themes read by name). */
static char *
facet_string (GPtrArray  *facets,
              const char *name)
{
  const IhFacet *facet = find_facet (facets, name);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < facet->values->len; i++)
    {
      const IhFacetValue *v = g_ptr_array_index (facet->values, i);

      g_string_append_printf (out, "%s%s=%" G_GINT64_FORMAT, i ? ", " : "", v->label, v->count);
    }
  return g_string_free (out, FALSE);
}

static char *
facet_keys (GPtrArray  *facets,
            const char *name)
{
  const IhFacet *facet = find_facet (facets, name);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < facet->values->len; i++)
    {
      const IhFacetValue *v = g_ptr_array_index (facet->values, i);

      g_string_append_printf (out, "%s%s", i ? " " : "", v->key);
    }
  return g_string_free (out, FALSE);
}

static GPtrArray *
get_facets (IhStore    *store,
            const char *text)
{
  g_autoptr(IhSearch) search = new_search (store, text);
  g_autoptr(GError) error = NULL;
  GPtrArray *facets = ih_search_facets (search, &error);

  g_assert_no_error (error);
  g_assert_nonnull (facets);
  g_assert_cmpuint (facets->len, ==, 5);
  return facets;
}

#define assert_facet(facets, name, expected) \
  G_STMT_START { \
    g_autofree char *_s = facet_string (facets, name); \
    g_assert_cmpstr (_s, ==, expected); \
  } G_STMT_END

#define assert_facet_keys(facets, name, expected) \
  G_STMT_START { \
    g_autofree char *_s = facet_keys (facets, name); \
    g_assert_cmpstr (_s, ==, expected); \
  } G_STMT_END

static void
test_facets (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) facets = NULL;

  /* Everything */
  facets = get_facets (f->store, "");
  assert_facet (facets, "theme", "Staff attitude=2, Transport=2, Access to services=1");
  assert_facet (facets, "kind",
                "Quote=2, Survey=2, Workshop=2, Question=1, Story=1, Summary=1, Survey answer=1");
  assert_facet_keys (facets, "kind",
                     "quote survey workshop question story summary survey-answer");
  assert_facet (facets, "place", "Stroud=2, Wirral=2");
  assert_facet (facets, "sentiment", "Negative=2, Neutral=2, Mixed=1, Positive=1");
  assert_facet_keys (facets, "sentiment", "negative neutral mixed positive");
  assert_facet (facets, "year", "2024=2, 2023=2, 2022=1, 2021=1");
  {
    g_autofree char *keys = facet_keys (facets, "theme");
    g_autofree char *ids = g_strjoin (" ", f->staff, f->transport, f->access, NULL);

    g_test_message ("theme facet keys: %s", keys);
    /* Keyed by id, so same-named themes under different parents stay apart */
    g_assert_cmpstr (keys, ==, ids);
  }
  g_clear_pointer (&facets, g_ptr_array_unref);

  /* Words */
  facets = get_facets (f->store, "hospital");
  assert_facet (facets, "theme", "Access to services=1, Transport=1");
  assert_facet (facets, "kind", "Quote=1, Summary=1, Survey=1, Workshop=1");
  assert_facet (facets, "place", "Stroud=1, Wirral=1");
  assert_facet (facets, "sentiment", "Negative=2");
  assert_facet (facets, "year", "2024=1, 2023=1");
  g_clear_pointer (&facets, g_ptr_array_unref);

  /* Dated */
  facets = get_facets (f->store, "after:2023-06-01");
  assert_facet (facets, "theme", "Access to services=1, Staff attitude=1");
  assert_facet (facets, "kind", "Question=1, Story=1, Summary=1, Survey=1, Workshop=1");
  assert_facet (facets, "place", "Stroud=1, Wirral=1");
  assert_facet (facets, "sentiment", "Negative=1, Neutral=1, Positive=1");
  assert_facet (facets, "year", "2024=2, 2023=1");
  g_clear_pointer (&facets, g_ptr_array_unref);

  /* Words and dates */
  facets = get_facets (f->store, "train before:2024");
  assert_facet (facets, "theme", "Staff attitude=1, Transport=1");
  {
    g_autofree char *kinds = facet_string (facets, "kind");

    /* Ties are in label order, activity kinds included */
    g_assert_cmpstr (kinds, ==, "Quote=1, Survey=1, Survey answer=1");
  }
  assert_facet (facets, "place", "Wirral=1");
  assert_facet (facets, "sentiment", "Mixed=1, Neutral=1");
  assert_facet (facets, "year", "2022=1, 2021=1");
  g_clear_pointer (&facets, g_ptr_array_unref);

  /* Nothing found: every facet empty */
  facets = get_facets (f->store, "helicopter");
  for (guint i = 0; i < facets->len; i++)
    g_assert_cmpuint (((IhFacet *) g_ptr_array_index (facets, i))->values->len, ==, 0);
  g_clear_pointer (&facets, g_ptr_array_unref);

  /* Tombstoned insight leaves the facets */
  {
    g_autoptr(GError) error = NULL;

    ih_store_delete (f->store, &ih_insight_class, f->i[5], &error);
    g_assert_no_error (error);
    facets = get_facets (f->store, "");
    assert_facet (facets, "theme", "Access to services=1, Staff attitude=1, Transport=1");
    assert_facet (facets, "sentiment", "Negative=2, Neutral=2, Positive=1");
    assert_facet (facets, "year", "2024=2, 2023=2, 2021=1");
  }
}

/*
 * 10. foreach_id
 */

static void
test_foreach_id (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Visit visit = { g_ptr_array_new_with_free_func (g_free), G_MAXUINT };
  g_autoptr(IhSearch) search = new_search (f->store, "");
  gboolean ok;

  ok = ih_search_foreach_id (search, visit_id, &visit, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (visit.ids->len, ==, 6);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpstr (g_ptr_array_index (visit.ids, i), ==, f->i[i + 1]);
  g_ptr_array_unref (visit.ids);

  /* Ranked queries are still visited oldest first */
  g_clear_pointer (&search, ih_search_free);
  search = new_search (f->store, "train OR hospital");
  visit.ids = g_ptr_array_new_with_free_func (g_free);
  ok = ih_search_foreach_id (search, visit_id, &visit, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (visit.ids->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (visit.ids, 0), ==, f->i[1]);
  g_assert_cmpstr (g_ptr_array_index (visit.ids, 1), ==, f->i[3]);
  g_assert_cmpstr (g_ptr_array_index (visit.ids, 2), ==, f->i[4]);
  g_assert_cmpstr (g_ptr_array_index (visit.ids, 3), ==, f->i[5]);
  g_assert_cmpstr (g_ptr_array_index (visit.ids, 4), ==, f->i[6]);
  g_ptr_array_unref (visit.ids);

  /* Dated */
  g_clear_pointer (&search, ih_search_free);
  search = new_search (f->store, "train before:2024");
  visit.ids = g_ptr_array_new_with_free_func (g_free);
  ok = ih_search_foreach_id (search, visit_id, &visit, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (visit.ids->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (visit.ids, 0), ==, f->i[5]);
  g_assert_cmpstr (g_ptr_array_index (visit.ids, 1), ==, f->i[6]);
  g_ptr_array_unref (visit.ids);

  g_clear_pointer (&search, ih_search_free);
  search = new_search (f->store, "after:2023 before:2024");
  visit.ids = g_ptr_array_new_with_free_func (g_free);
  ok = ih_search_foreach_id (search, visit_id, &visit, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  /* after: holds while paging through the matches */
  g_assert_cmpuint (visit.ids->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (visit.ids, 0), ==, f->i[1]);
  g_assert_cmpstr (g_ptr_array_index (visit.ids, 1), ==, f->i[2]);
  g_ptr_array_unref (visit.ids);

  /* Stopping early */
  g_clear_pointer (&search, ih_search_free);
  search = new_search (f->store, "");
  visit.ids = g_ptr_array_new_with_free_func (g_free);
  visit.stop_after = 2;
  ok = ih_search_foreach_id (search, visit_id, &visit, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (visit.ids->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (visit.ids, 0), ==, f->i[1]);
  g_assert_cmpstr (g_ptr_array_index (visit.ids, 1), ==, f->i[2]);
  g_ptr_array_unref (visit.ids);

  /* Nothing to visit */
  g_clear_pointer (&search, ih_search_free);
  search = new_search (f->store, "helicopter");
  visit.ids = g_ptr_array_new_with_free_func (g_free);
  visit.stop_after = G_MAXUINT;
  ok = ih_search_foreach_id (search, visit_id, &visit, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (visit.ids->len, ==, 0);
  g_ptr_array_unref (visit.ids);
}

/*
 * 11. Bad and hostile queries
 */

static void
test_bad_queries (Fixture       *f,
                  gconstpointer  data)
{
  static const struct { const char *text; int code; } bad[] = {
    { "sentiment:angry", IH_QUERY_ERROR_BAD_VALUE },
    { "bus \xff", IH_QUERY_ERROR_ENCODING },
    { "\xff", IH_QUERY_ERROR_ENCODING },
    { "colour:red", IH_QUERY_ERROR_UNKNOWN_FILTER },
    { "kind:picnic", IH_QUERY_ERROR_BAD_VALUE },
    { "has:minutes", IH_QUERY_ERROR_BAD_VALUE },
    { "after:2024-13-45", IH_QUERY_ERROR_BAD_VALUE },
    { "after:2024 before:2023", IH_QUERY_ERROR_BAD_VALUE },
    { "theme:", IH_QUERY_ERROR_BAD_VALUE },
    { "OR bus", IH_QUERY_ERROR_SYNTAX },
    { "bus OR", IH_QUERY_ERROR_SYNTAX },
    { "bus OR -train", IH_QUERY_ERROR_SYNTAX },
    { "-after:2020", IH_QUERY_ERROR_SYNTAX },
  };
  static const char * const hostile[] = {
    "\"'; DROP TABLE insight; --",
    "'; DROP TABLE insight; --",
    "bus\"; DELETE FROM insight_fts; --",
    "NEAR(bus train)",
    "bus AND train",
    "bus NOT train",
    "{text context} : bus",
    "text:bus",
    "^bus",
    "(bus",
    "bus)",
    "\"unclosed phrase",
    "\"\"",
    "*",
    "bus**",
    "\"bus\"*",
    "- -- ---",
    "tags : ihall",
    "rank:1",
    "10:30 https://example.org/a?b=c",
    "theme:\"a\"\"b\"",
    "\xe2\x80\x9ctrain station\xe2\x80\x9d",
    "bus\x01train\ttrain",
    "ORDER BY 1; --",
    "%",
    "_",
    "\\",
  };
  gint64 before = count (f->store, "");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(IhSearch) search = NULL;
      g_autofree char *shown = g_strescape (bad[i].text, NULL);

      g_test_message ("bad query: %s", shown);
      search = ih_search_new (f->store, bad[i].text, IH_QUERY_FLAG_NONE, &error);
      g_assert_null (search);
      g_assert_error (error, IH_QUERY_ERROR, bad[i].code);
      g_assert_nonnull (error->message);
      g_assert_cmpstr (error->message, !=, "");
    }

  /* Over the length limit */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *text = g_strnfill (IH_QUERY_MAX_CHARS + 1, 'a');
    g_autoptr(IhSearch) search = ih_search_new (f->store, text, IH_QUERY_FLAG_NONE, &error);

    g_assert_null (search);
    g_assert_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_TOO_LONG);
  }

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(IhSearch) search = NULL;
      g_autoptr(GPtrArray) hits = NULL;
      g_autoptr(GPtrArray) facets = NULL;
      gint64 n;

      g_test_message ("hostile query: %s", hostile[i]);
      search = ih_search_new (f->store, hostile[i], IH_QUERY_FLAG_NONE, &error);
      if (search == NULL)
        {
          /* Refused is fine, as long as it is a query error */
          g_assert_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_UNKNOWN_FILTER);
          continue;
        }
      g_assert_no_error (error);
      n = ih_search_count (search, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, >=, 0);
      hits = ih_search_fetch (search, 0, 100, &error);
      g_assert_no_error (error);
      g_assert_nonnull (hits);
      g_assert_cmpint (hits->len, ==, n);
      facets = ih_search_facets (search, &error);
      g_assert_no_error (error);
      g_assert_nonnull (facets);
    }

  /* With search-as-you-type too */
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(IhSearch) search = ih_search_new (f->store, hostile[i], IH_QUERY_FLAG_PREFIX_LAST, &error);

      if (search == NULL)
        {
          g_assert_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_UNKNOWN_FILTER);
          continue;
        }
      g_assert_cmpint (ih_search_count (search, &error), >=, 0);
      g_assert_no_error (error);
    }

  /* A few that must find what they say, not act as syntax */
  assert_finds (f->store, "\"'; DROP TABLE insight; --", NULL);
  assert_finds (f->store, "bus AND train", f->i[5], NULL);
  assert_finds (f->store, "\xe2\x80\x9ctrain station\xe2\x80\x9d", f->i[4], NULL);
  assert_finds (f->store, "tags : ihall", NULL);

  /* The tables are still there and whole */
  g_assert_cmpint (count (f->store, ""), ==, before);
  g_assert_cmpint (ih_store_count (f->store, &ih_insight_class), ==, 6);
  assert_finds (f->store, "hospital", f->i[1], f->i[3], NULL);
}

/* With exact document counts (under 5,000 matches) ih_rank() is FTS5's
 * own bm25 with the same column weights, score for score */
static double
bm25_of (IhStore    *store,
         const char *match,
         gint64      rid)
{
  sqlite3_stmt *stmt;
  double score;

  _ih_store_lock (store);
  g_assert_cmpint (sqlite3_prepare_v2 (_ih_store_get_db (store),
                                       "SELECT bm25 (insight_fts, 1.0, 0.4, 0.0) FROM insight_fts"
                                       " WHERE insight_fts MATCH ?1 AND rowid = ?2",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, rid);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  score = sqlite3_column_double (stmt, 0);
  sqlite3_finalize (stmt);
  _ih_store_unlock (store);
  return score;
}

static void
test_rank_is_bm25 (void)
{
  g_autoptr(IhStore) store = open_store ("bm25.db");
  static const char * const queries[] = {
    "bus", "bus stop", "\"bus stop\" hospital", "hosp* -parking", "bus OR train late", NULL
  };
  static const char * const words[] = {
    "bus", "stop", "hospital", "parking", "train", "late", "nurse", "kind", "waiting", "the", "a", "was"
  };
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (7);

  ih_store_begin (store, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 300; i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      int n = g_rand_int_range (rand, 3, 40);

      for (int j = 0; j < n; j++)
        g_string_append_printf (text, "%s ", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      g_free (add_text (store, text->str));
    }
  ih_store_commit (store, &error);
  g_assert_no_error (error);
  g_rand_free (rand);

  for (guint q = 0; queries[q]; q++)
    {
      g_autoptr(IhSearch) search = new_search (store, queries[q]);
      g_autoptr(GPtrArray) hits = ih_search_fetch (search, 0, 50, &error);
      const char *match = ih_query_get_match (ih_search_get_query (search));

      g_assert_no_error (error);
      g_assert_cmpuint (hits->len, >, 0);
      for (guint i = 0; i < hits->len; i++)
        {
          IhHit *hit = g_ptr_array_index (hits, i);

          g_assert_cmpfloat_with_epsilon (hit->score, bm25_of (store, match, hit->rid), 1e-9);
        }
    }
}

/* A cancelled search stops inside SQLite and says so; the store is free
 * for the next one */
static void
test_cancel (void)
{
  g_autoptr(IhStore) store = open_store ("cancel.db");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(IhSearch) search = NULL;
  g_autoptr(IhSearch) next = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;

  ih_store_begin (store, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 3000; i++)
    {
      g_autofree char *text = g_strdup_printf ("The bus was late again, trip %d", i);
      g_free (add_text (store, text));
    }
  ih_store_commit (store, &error);
  g_assert_no_error (error);

  search = new_search (store, "bus");
  ih_search_set_cancellable (search, cancellable);
  g_cancellable_cancel (cancellable);

  g_assert_cmpint (ih_search_count (search, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  hits = ih_search_fetch (search, 0, 20, &error);
  g_assert_null (hits);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* The connection is not left interrupted */
  next = new_search (store, "bus");
  g_assert_cmpint (ih_search_count (next, &error), ==, 3000);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/search/ranking", test_ranking);
  g_test_add_func ("/search/rank-is-bm25", test_rank_is_bm25);
  g_test_add_func ("/search/cancel", test_cancel);
  g_test_add_func ("/search/snippets", test_snippets);
  g_test_add ("/search/filters", Fixture, NULL, fixture_setup, test_filters, fixture_teardown);
  g_test_add_func ("/search/tombstones", test_tombstones);
  g_test_add_func ("/search/edits", test_edits);
  g_test_add_func ("/search/paging", test_paging);
  g_test_add_func ("/search/small-ranked", test_small_ranked);
  g_test_add ("/search/newest-first", Fixture, NULL, fixture_setup, test_newest_first, fixture_teardown);
  g_test_add ("/search/facets", Fixture, NULL, fixture_setup, test_facets, fixture_teardown);
  g_test_add ("/search/foreach-id", Fixture, NULL, fixture_setup, test_foreach_id, fixture_teardown);
  g_test_add ("/search/bad-queries", Fixture, NULL, fixture_setup, test_bad_queries, fixture_teardown);

  return g_test_run ();
}
