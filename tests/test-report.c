/* test-report.c — actions both ways, involvement fatigue, and the board
 * report PDF read back with poppler
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <poppler.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include "ih-actions.h"
#include "ih-fatigue.h"
#include "ih-population.h"
#include "ih-report.h"
#include "ih-store-private.h"

/* poppler-glib 22.12 has no g_autoptr support of its own */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

static char *
data_path (const char *name)
{
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

static IhStore *
open_store (void)
{
  g_autofree char *path = data_path ("report.db");
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

static char *
add_activity (IhStore            *store,
              const char         *title,
              const char         *date,
              const char         *place,
              const char         *programme,
              const char * const *communities)
{
  g_autoptr(IhActivity) activity = ih_activity_new ();
  g_autoptr(GError) error = NULL;

  activity->title = g_strdup (title);
  activity->start_date = g_strdup (date);
  activity->place = g_strdup (place);
  activity->programme = g_strdup (programme);
  activity->communities = g_strdupv ((char **) communities);
  g_assert_true (ih_store_save (store, activity, &error));
  g_assert_no_error (error);
  return g_strdup (activity->parent.id);
}

static char *
add_insight (IhStore    *store,
             const char *activity_id,
             const char *text,
             const char *date,
             const char *consent,
             const char *theme_id)
{
  g_autoptr(IhInsight) insight = ih_insight_new ();
  g_autoptr(GError) error = NULL;

  insight->text = g_strdup (text);
  insight->activity_id = g_strdup (activity_id);
  insight->date = g_strdup (date);
  insight->consent = g_strdup (consent);
  insight->kind = g_strdup ("quote");
  if (theme_id != NULL)
    {
      insight->theme_ids = g_new0 (char *, 2);
      insight->theme_ids[0] = g_strdup (theme_id);
    }
  g_assert_true (ih_store_save (store, insight, &error));
  g_assert_no_error (error);
  return g_strdup (insight->parent.id);
}

static char *
add_theme (IhStore    *store,
           const char *name)
{
  g_autoptr(IhTheme) theme = ih_theme_new ();
  g_autoptr(GError) error = NULL;

  theme->name = g_strdup (name);
  g_assert_true (ih_store_save (store, theme, &error));
  g_assert_no_error (error);
  return g_strdup (theme->parent.id);
}

static gboolean
has_id (GPtrArray  *records,
        const char *id)
{
  for (guint i = 0; i < records->len; i++)
    if (strcmp (((IhRecord *) g_ptr_array_index (records, i))->id, id) == 0)
      return TRUE;
  return FALSE;
}

/*
 * Actions
 */

static void
test_actions_both_ways (void)
{
  g_autoptr(IhStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(IhAction) action = ih_action_new ();
  g_autoptr(IhAction) loaded = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *act = add_activity (store, "Parking forum", "2026-02-01", "Stroud", NULL, NULL);
  g_autofree char *i1 = add_insight (store, act, "Parking is impossible before 9", "2026-02-01", "may-quote", NULL);
  g_autofree char *i2 = add_insight (store, act, "The car park machine takes no cards", "2026-02-01", "may-quote", NULL);
  g_autofree char *i3 = add_insight (store, act, "Blue badge bays are always full", "2026-02-01", "may-quote", NULL);
  g_autofree char *gone = add_insight (store, act, "Withdrawn remark", "2026-02-01", "withdrawn", NULL);
  g_autofree char *path = g_strdup (ih_store_get_path (store));
  gint64 before;

  action->title = g_strdup ("Card payment at the car park");
  action->description = g_strdup ("New machines take cards and phones.");
  action->owner = g_strdup ("Estates");
  action->status = g_strdup ("done");
  action->fed_back_date = g_strdup ("2026-04-10");
  action->insight_ids = g_strsplit (i2, "\n", -1);
  g_assert_true (ih_store_save (store, action, &error));
  g_assert_no_error (error);

  /* Link one more: both directions see it, and the link table has it */
  before = sql_int (store, "SELECT updated_at FROM action");
  g_usleep (2000);
  g_assert_true (ih_actions_link (store, action->parent.id, i1, &error));
  g_assert_no_error (error);
  g_assert_true (ih_actions_link (store, action->parent.id, i1, &error));   /* twice: no change */
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM action_insight"), ==, 2);
  /* The link is an edit of the action, so it syncs */
  g_assert_cmpint (sql_int (store, "SELECT updated_at FROM action"), >, before);

  list = ih_actions_insights (store, action->parent.id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_true (has_id (list, i1));
  g_assert_true (has_id (list, i2));
  g_clear_pointer (&list, g_ptr_array_unref);

  list = ih_actions_for_insight (store, i1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((IhAction *) g_ptr_array_index (list, 0))->title, ==, "Card payment at the car park");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = ih_actions_for_insight (store, i3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Withdrawn insight cannot be linked; nothing changed */
  g_assert_false (ih_actions_link (store, action->parent.id, gone, &error));
  g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ih_actions_link (store, action->parent.id, "no-such-insight", &error));
  g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM action_insight"), ==, 2);

  /* Unlink */
  g_assert_true (ih_actions_unlink (store, action->parent.id, i2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM action_insight"), ==, 1);

  /* The synced fields and the link survive closing and opening the file */
  g_clear_object (&store);
  store = ih_store_open (path, &error);
  g_assert_no_error (error);
  loaded = ih_store_load (store, &ih_action_class, action->parent.id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->title, ==, "Card payment at the car park");
  g_assert_cmpstr (loaded->owner, ==, "Estates");
  g_assert_cmpstr (loaded->status, ==, "done");
  g_assert_cmpstr (loaded->fed_back_date, ==, "2026-04-10");
  g_assert_cmpstr (loaded->description, ==, "New machines take cards and phones.");
  g_assert_nonnull (loaded->insight_ids);
  g_assert_cmpstr (loaded->insight_ids[0], ==, i1);
  g_assert_null (loaded->insight_ids[1]);

  /* A tombstoned insight leaves the action's list but keeps its link */
  g_assert_true (ih_store_delete (store, &ih_insight_class, i1, &error));
  g_assert_no_error (error);
  list = ih_actions_insights (store, action->parent.id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM action_insight"), ==, 1);

  /* A tombstoned action leaves the insight's list, and takes no links */
  g_assert_true (ih_actions_link (store, action->parent.id, i3, &error));
  g_assert_no_error (error);
  g_assert_true (ih_store_delete (store, &ih_action_class, action->parent.id, &error));
  g_assert_no_error (error);
  list = ih_actions_for_insight (store, i3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM action_insight"), ==, 2);
  g_assert_false (ih_actions_link (store, action->parent.id, i2, &error));
  g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID);
}

/*
 * Involvement fatigue
 */

static IhFatigueHit *
find_hit (GPtrArray        *hits,
          IhFatigueHitKind  kind,
          const char       *id,
          guint            *position)
{
  guint n = 0;

  for (guint i = 0; i < hits->len; i++)
    {
      IhFatigueHit *hit = g_ptr_array_index (hits, i);

      if (hit->kind != kind)
        continue;
      if (strcmp (hit->id, id) == 0)
        {
          if (position)
            *position = n;
          return hit;
        }
      n++;
    }
  return NULL;
}

static gboolean
has_reason (IhFatigueHit *hit,
            const char   *text)
{
  for (guint i = 0; i < hit->reasons->len; i++)
    if (strstr (g_ptr_array_index (hit->reasons, i), text) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_fatigue_ranking (void)
{
  static const char * const young[] = { "young parents", NULL };
  static const char * const young_cap[] = { "Young Parents", NULL };
  static const char * const planned_communities[] = { "young parents", "Polish community", NULL };
  g_autoptr(IhStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(IhFatigueQuery) query = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  /* Planned for 1 June 2026; the window is the 12 months before */
  g_autofree char *planned = add_activity (store, "Maternity continuity workshop", "2026-06-01", "Stroud",
                                           "Maternity", planned_communities);
  /* Same programme, place, community and topic, a month earlier */
  g_autofree char *a1 = add_activity (store, "Maternity services listening event", "2026-05-01", "Stroud",
                                      "Maternity", young);
  /* Same programme and place, eleven months earlier */
  g_autofree char *a2 = add_activity (store, "Maternity survey", "2025-07-01", "Stroud", "Maternity", NULL);
  /* Another topic and place; one insight mentions continuity */
  g_autofree char *a3 = add_activity (store, "Dental access drop-in", "2026-05-15", "Gloucester", "Dental", NULL);
  /* Only the community in common */
  g_autofree char *a4 = add_activity (store, "Coffee morning", "2026-04-01", "Gloucester", "Family hubs",
                                      young_cap);
  /* Everything in common but outside the window */
  g_autofree char *a5 = add_activity (store, "Maternity event", "2024-01-10", "Stroud", "Maternity", young);
  /* Nothing in common */
  g_autofree char *a6 = add_activity (store, "Hospital parking survey", "2026-05-20", "Cheltenham", "Estates", NULL);
  g_autofree char *n1 = add_insight (store, a1, "Seeing the same midwife mattered most", "2026-05-01", "may-quote", NULL);
  g_autofree char *n2 = add_insight (store, a1, "Continuity of carer made me feel safe", "2026-05-01", "may-quote", NULL);
  g_autofree char *n3 = add_insight (store, a2, "Antenatal classes were full", "2025-07-01", "may-quote", NULL);
  g_autofree char *n4 = add_insight (store, a3, "No continuity: a new dentist each time", "2026-05-15", "may-quote", NULL);
  g_autofree char *n5 = add_insight (store, a5, "Continuity again and again", "2024-01-10", "may-quote", NULL);
  g_autofree char *n6 = add_insight (store, a6, "Parking costs too much", "2026-05-20", "may-quote", NULL);
  IhFatigueHit *h;
  guint pos = 0;

  query = ih_fatigue_query_for_activity (store, planned, 12, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (query->date, ==, "2026-06-01");
  hits = ih_fatigue_find (store, query, 10, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < hits->len; i++)
    {
      IhFatigueHit *hit = g_ptr_array_index (hits, i);
      g_autofree char *reasons = NULL;

      g_ptr_array_add (hit->reasons, NULL);
      reasons = g_strjoinv ("; ", (char **) hit->reasons->pdata);
      g_ptr_array_remove_index (hit->reasons, hit->reasons->len - 1);
      g_test_message ("%s %.3f %s: %s", hit->kind == IH_FATIGUE_HIT_ACTIVITY ? "activity" : "insight",
                      hit->score, hit->title, reasons);
    }

  /* Activities, by hand (score × recency, recency = 1 − ½ × days/365):
   *   a1: programme 3 + place 2 + community 2 + title word "maternity" 1
   *       + 2 insight on the topic (its title is in their context) 2 = 10,
   *       31 days: × 0.958 = 9.58
   *   a2: programme 3 + place 2 + title 1 + 1 insight 1 = 7, 335 days:
   *       × 0.541 = 3.79
   *   a4: community 2, 61 days: × 0.916 = 1.83
   *   a3: 1 insight mentions continuity: 1, 17 days: × 0.977 = 0.98
   *   a5 is outside the window, a6 has nothing in common, the planned
   *   activity is not its own hit. */
  h = find_hit (hits, IH_FATIGUE_HIT_ACTIVITY, a1, &pos);
  g_assert_nonnull (h);
  g_assert_cmpuint (pos, ==, 0);
  g_assert_cmpfloat_with_epsilon (h->score, 10 * (1 - 0.5 * 31 / 365.0), 1e-9);
  g_assert_true (has_reason (h, "Same programme: Maternity"));
  g_assert_true (has_reason (h, "Same place: Stroud"));
  g_assert_true (has_reason (h, "Also asked: young parents"));
  g_assert_true (has_reason (h, "2 pieces of insight"));
  g_assert_true (has_reason (h, "31 days earlier"));

  h = find_hit (hits, IH_FATIGUE_HIT_ACTIVITY, a2, &pos);
  g_assert_nonnull (h);
  g_assert_cmpuint (pos, ==, 1);
  g_assert_cmpfloat_with_epsilon (h->score, 7 * (1 - 0.5 * 335 / 365.0), 1e-9);
  g_assert_true (has_reason (h, "11 months earlier"));

  h = find_hit (hits, IH_FATIGUE_HIT_ACTIVITY, a4, &pos);
  g_assert_nonnull (h);
  g_assert_cmpuint (pos, ==, 2);
  g_assert_cmpfloat_with_epsilon (h->score, 2 * (1 - 0.5 * 61 / 365.0), 1e-9);
  g_assert_true (has_reason (h, "Also asked: Young Parents"));

  h = find_hit (hits, IH_FATIGUE_HIT_ACTIVITY, a3, &pos);
  g_assert_nonnull (h);
  g_assert_cmpuint (pos, ==, 3);
  g_assert_cmpfloat_with_epsilon (h->score, 1 * (1 - 0.5 * 17 / 365.0), 1e-9);

  g_assert_null (find_hit (hits, IH_FATIGUE_HIT_ACTIVITY, a5, NULL));
  g_assert_null (find_hit (hits, IH_FATIGUE_HIT_ACTIVITY, a6, NULL));
  g_assert_null (find_hit (hits, IH_FATIGUE_HIT_ACTIVITY, planned, NULL));

  /* Insight on the topic in the window, with what they mention: n2 (a1's
   * context too) above n4 (another place); n5 too old; n6 off topic */
  h = find_hit (hits, IH_FATIGUE_HIT_INSIGHT, n2, &pos);
  g_assert_nonnull (h);
  g_assert_true (has_reason (h, "Mentions"));
  g_assert_true (has_reason (h, "continuity"));
  {
    guint pos4 = 0;
    IhFatigueHit *h4 = find_hit (hits, IH_FATIGUE_HIT_INSIGHT, n4, &pos4);

    g_assert_nonnull (h4);
    g_assert_cmpuint (pos, <, pos4);
    g_assert_cmpfloat (h->score, >, h4->score);
  }
  g_assert_nonnull (find_hit (hits, IH_FATIGUE_HIT_INSIGHT, n1, NULL));   /* a1's title says maternity */
  g_assert_nonnull (find_hit (hits, IH_FATIGUE_HIT_INSIGHT, n3, NULL));
  g_assert_null (find_hit (hits, IH_FATIGUE_HIT_INSIGHT, n5, NULL));
  g_assert_null (find_hit (hits, IH_FATIGUE_HIT_INSIGHT, n6, NULL));

  /* A shorter window: only what is within 3 months */
  g_clear_pointer (&hits, g_ptr_array_unref);
  query->months = 3;
  hits = ih_fatigue_find (store, query, 10, &error);
  g_assert_no_error (error);
  g_assert_nonnull (find_hit (hits, IH_FATIGUE_HIT_ACTIVITY, a1, NULL));
  g_assert_null (find_hit (hits, IH_FATIGUE_HIT_ACTIVITY, a2, NULL));
  g_assert_null (find_hit (hits, IH_FATIGUE_HIT_INSIGHT, n3, NULL));

  /* A bad date is refused with the date in the message */
  g_free (query->date);
  query->date = g_strdup ("2026-13-01");
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = ih_fatigue_find (store, query, 10, &error);
  g_assert_null (hits);
  g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2026-13-01"));
}

/*
 * The board report
 */

static const char quote_text[] = "The 46 bus stops an hour before the clinic opens, so I wait outside in the cold.";
static const char anon_text[] = "My carer cannot get time off work for my appointments, call me on 07700 900123.";
static const char withdrawn_text[] = "Zebracrossing withdrawn words that must never be printed anywhere.";
static const char unknown_text[] = "Nobody asked this person about quoting, so it stays unquoted here.";
static const char restricted_text[] = "A restricted remark about a named member of staff on the ward.";

/* Page texts of a PDF, joined */
static char *
pdf_text (const char *path,
          int        *n_pages)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_filename_to_uri (path, NULL, &error);
  g_autoptr(PopplerDocument) doc = poppler_document_new_from_file (uri, NULL, &error);
  GString *all = g_string_new (NULL);

  g_assert_no_error (error);
  *n_pages = poppler_document_get_n_pages (doc);
  for (int i = 0; i < *n_pages; i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (doc, i);
      g_autofree char *text = poppler_page_get_text (page);

      g_string_append_printf (all, "%s\n\f", text);
    }
  return g_string_free (all, FALSE);
}

/* Each page to PNG in the build's tests folder, to look at */
static void
render_pages (const char *path,
              const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_filename_to_uri (path, NULL, &error);
  g_autoptr(PopplerDocument) doc = poppler_document_new_from_file (uri, NULL, &error);
  const char *dir = g_getenv ("G_TEST_BUILDDIR");

  g_assert_no_error (error);
  if (dir == NULL)
    dir = g_get_user_data_dir ();
  for (int i = 0; i < poppler_document_get_n_pages (doc); i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (doc, i);
      g_autofree char *name = g_strdup_printf ("%s-page-%d.png", prefix, i + 1);
      g_autofree char *out = g_build_filename (dir, name, NULL);
      double w, h;
      cairo_surface_t *surface;
      cairo_t *cr;
      guint non_white = 0;

      poppler_page_get_size (page, &w, &h);
      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) (w * 1.5), (int) (h * 1.5));
      cr = cairo_create (surface);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      cairo_scale (cr, 1.5, 1.5);
      poppler_page_render (page, cr);
      cairo_destroy (cr);
      cairo_surface_flush (surface);

      /* Something was drawn on every page */
      {
        guchar *data = cairo_image_surface_get_data (surface);
        int stride = cairo_image_surface_get_stride (surface);

        for (int y = 0; y < cairo_image_surface_get_height (surface); y += 4)
          for (int x = 0; x < cairo_image_surface_get_width (surface); x += 4)
            if ((*(guint32 *) (data + y * stride + x * 4) & 0xffffff) != 0xffffff)
              non_white++;
      }
      g_assert_cmpuint (non_white, >, 100);

      g_assert_cmpint (cairo_surface_write_to_png (surface, out), ==, CAIRO_STATUS_SUCCESS);
      g_test_message ("page %d: %s", i + 1, out);
      cairo_surface_destroy (surface);
    }
}

static const char profile_csv[] =
  "place,characteristic,group,share\n"
  "Testshire,sex,female,0.5\n"
  "Testshire,sex,male,0.5\n"
  "Testshire,age-band,16-24,0.2\n"
  "Testshire,age-band,25-34,0.2\n"
  "Testshire,age-band,35-44,0.2\n"
  "Testshire,age-band,45-54,0.2\n"
  "Testshire,age-band,55-64,0.1\n"
  "Testshire,age-band,65-74,0.1\n"
  "Testshire,ethnic-group,white,0.8\n"
  "Testshire,ethnic-group,asian,0.2\n"
  "Testshire,disability,yes,0.2\n"
  "Testshire,disability,no,0.8\n";

static void
test_board_report_pdf (void)
{
  static const char * const ages[] = { "25-34", "35-44", "45-54", "55-64", "65-74" };
  g_autoptr(IhStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(IhReport) report = NULL;
  g_autoptr(IhAction) action = ih_action_new ();
  g_autofree char *profile = data_path ("profile.csv");
  g_autofree char *pdf = data_path ("board.pdf");
  g_autofree char *text = NULL;
  g_autofree char *transport = add_theme (store, "Transport");
  g_autofree char *access = add_theme (store, "Access to care");
  g_autofree char *bus = add_activity (store, "Bus route survey", "2026-03-02", "Testshire", "Getting there", NULL);
  g_autofree char *quote = add_insight (store, bus, quote_text, "2026-03-02", "may-quote", transport);
  g_autofree char *anon = add_insight (store, bus, anon_text, "2026-03-03", "anonymised-only", access);
  g_autofree char *withdrawn = add_insight (store, bus, withdrawn_text, "2026-03-04", "withdrawn", transport);
  g_autofree char *unknown = add_insight (store, bus, unknown_text, "2026-03-05", NULL, transport);
  const char *anon_in_pdf;
  int n_pages = 0;

  g_assert_true (g_file_set_contents (profile, profile_csv, -1, NULL));
  g_assert_true (ih_population_import (store, profile, NULL, NULL, &error));
  g_assert_no_error (error);

  /* A restricted insight, and 40 respondents: 32 women and 8 men (80 %
   * against 50 %: flagged), nobody aged 16–24 (flagged) */
  {
    g_autoptr(IhInsight) r = NULL;
    g_autofree char *id = add_insight (store, bus, restricted_text, "2026-03-06", "may-quote", access);

    r = ih_store_load (store, &ih_insight_class, id, &error);
    g_assert_no_error (error);
    r->restricted = TRUE;
    g_assert_true (ih_store_save (store, r, &error));
    g_assert_no_error (error);
  }
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(IhInsight) insight = ih_insight_new ();

      insight->text = g_strdup_printf ("Survey answer %u about the bus timetable", i);
      insight->activity_id = g_strdup (bus);
      insight->date = g_strdup ("2026-03-10");
      insight->consent = g_strdup ("may-quote");
      insight->kind = g_strdup ("survey-answer");
      insight->sex = g_strdup (i < 32 ? "female" : "male");
      insight->age_band = g_strdup (ages[i % 5]);
      insight->ethnic_group = g_strdup (i < 2 ? "prefer-not-to-say" : "white");
      insight->theme_ids = g_strsplit (transport, "\n", -1);
      g_assert_true (ih_store_save (store, insight, &error));
      g_assert_no_error (error);
    }

  /* The withdrawn insight is linked to an action before consent was
   * withdrawn: the action shows, the words never */
  action->title = g_strdup ("Earlier first bus on route 46");
  action->description = g_strdup ("The operator agreed a 07:10 departure from September.");
  action->owner = g_strdup ("Travel team");
  action->status = g_strdup ("done");
  action->fed_back_date = g_strdup ("2026-05-01");
  action->insight_ids = g_new0 (char *, 3);
  action->insight_ids[0] = g_strdup (quote);
  action->insight_ids[1] = g_strdup (anon);
  g_assert_true (ih_store_save (store, action, &error));
  g_assert_no_error (error);
  {
    g_autoptr(IhInsight) w = ih_store_load (store, &ih_insight_class, withdrawn, &error);

    g_assert_no_error (error);
    (void) w;
  }

  report = ih_report_collect (store, IH_SCOPE_PROGRAMME, "Getting there", NULL, &error);
  g_assert_no_error (error);
  /* 45 saved, the withdrawn one is not part of it */
  g_assert_cmpint (report->n_insight, ==, 44);
  g_assert_cmpint (report->n_activities, ==, 1);
  g_assert_cmpuint (report->themes->len, ==, 2);
  g_assert_cmpstr (((IhReportTheme *) g_ptr_array_index (report->themes, 0))->name, ==, "Transport");
  /* Transport: quote + unknown + 40 answers = 42 (not the withdrawn) */
  g_assert_cmpint (((IhReportTheme *) g_ptr_array_index (report->themes, 0))->count, ==, 42);
  g_assert_cmpint (((IhReportTheme *) g_ptr_array_index (report->themes, 1))->count, ==, 2);
  g_assert_nonnull (report->represent);
  g_assert_cmpuint (report->actions->len, ==, 1);
  g_assert_cmpuint (((IhReportAction *) g_ptr_array_index (report->actions, 0))->n_insight, ==, 2);

  /* Quotes: the quote first for Transport (a quote beats survey answers),
   * then the newest answer; the anonymised one for Access (the restricted
   * one never); no consent recorded is never quoted */
  g_assert_cmpuint (report->quotes->len, ==, 3);
  for (guint i = 0; i < report->quotes->len; i++)
    {
      IhReportQuote *q = g_ptr_array_index (report->quotes, i);

      g_assert_cmpstr (q->insight_id, !=, withdrawn);
      g_assert_cmpstr (q->insight_id, !=, unknown);
      if (strcmp (q->insight_id, anon) == 0)
        {
          g_assert_true (q->anonymised);
          g_assert_null (q->attribution);
          /* The phone number is gone */
          g_assert_null (strstr (q->text, "07700"));
        }
    }
  g_assert_cmpstr (((IhReportQuote *) g_ptr_array_index (report->quotes, 0))->insight_id, ==, quote);
  g_assert_cmpstr (((IhReportQuote *) g_ptr_array_index (report->quotes, 0))->attribution, ==,
                   "Bus route survey, Testshire, March 2026");

  g_assert_true (ih_report_write_pdf (report, pdf, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  {
    g_autofree char *part = g_strdup_printf ("%s.part", pdf);
    g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  }

  text = pdf_text (pdf, &n_pages);
  g_test_message ("%d pages:\n%s", n_pages, text);
  g_assert_cmpint (n_pages, >=, 3);

  /* Title, sections, themes with counts */
  g_assert_nonnull (strstr (text, "What people told us"));
  g_assert_nonnull (strstr (text, "Programme “Getting there”"));
  g_assert_nonnull (strstr (text, "44 pieces of insight"));
  g_assert_nonnull (strstr (text, "Transport"));
  g_assert_nonnull (strstr (text, "42"));

  /* Withdrawn, unconsented and restricted words never appear */
  g_assert_null (strstr (text, "Zebracrossing"));
  g_assert_null (strstr (text, "Nobody asked this person"));
  g_assert_null (strstr (text, "named member of staff"));

  /* The quote with where and when it was said */
  g_assert_nonnull (strstr (text, "The 46 bus stops an hour before the clinic opens"));
  g_assert_nonnull (strstr (text, "Bus route survey, Testshire, March 2026"));

  /* The anonymised quote: its words, no phone number, and nothing but
   * "anonymised" up to the next quote or heading */
  anon_in_pdf = strstr (text, "My carer cannot get time off work");
  g_assert_nonnull (anon_in_pdf);
  g_assert_null (strstr (text, "07700"));
  {
    const char *after = anon_in_pdf + strlen ("My carer cannot get time off work");
    const char *end = strstr (after, "”");
    g_autofree char *tail = NULL;

    g_assert_nonnull (end);
    tail = g_strndup (end, 60);
    g_test_message ("after the anonymised quote: %s", tail);
    g_assert_nonnull (strstr (tail, "anonymised"));
    g_assert_null (strstr (tail, "Testshire"));
    g_assert_null (strstr (tail, "Bus route"));
    g_assert_null (strstr (tail, "2026"));
    g_assert_null (strstr (tail, "March"));
  }

  /* Who we heard from: the flags, with prefer-not-to-say shown */
  g_assert_nonnull (strstr (text, "Who we heard from"));
  g_assert_nonnull (strstr (text, "Under-represented"));
  g_assert_nonnull (strstr (text, "Over-represented"));
  g_assert_nonnull (strstr (text, "Prefer not to say"));

  /* What we did */
  g_assert_nonnull (strstr (text, "Earlier first bus on route 46"));
  g_assert_nonnull (strstr (text, "Travel team"));
  g_assert_nonnull (strstr (text, "2026-05-01"));

  render_pages (pdf, "report");
}

/* The chart function draws within the box it is given */
static void
test_chart_in_box (void)
{
  g_autoptr(IhStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *profile = data_path ("profile.csv");
  g_autofree char *act = add_activity (store, "Chart check", "2026-03-02", "Testshire", "Chart", NULL);
  g_autoptr(GArray) rids = NULL;
  g_autoptr(IhRepresentTable) table = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  guchar *data;
  int stride;
  guint inside = 0, outside = 0;

  g_assert_true (g_file_set_contents (profile, profile_csv, -1, NULL));
  g_assert_true (ih_population_import (store, profile, NULL, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 12; i++)
    {
      g_autoptr(IhInsight) insight = ih_insight_new ();

      insight->text = g_strdup ("An answer");
      insight->activity_id = g_strdup (act);
      insight->sex = g_strdup (i % 3 ? "female" : "male");
      g_assert_true (ih_store_save (store, insight, &error));
      g_assert_no_error (error);
    }
  rids = ih_scope_collect (store, IH_SCOPE_ACTIVITY, act, &error);
  g_assert_no_error (error);
  table = ih_represent_compute (store, rids, "Chart", NULL, &error);
  g_assert_no_error (error);

  /* Drawn at (50, 50) in a 300 × 200 box of a 400 × 300 white image */
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 300);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_translate (cr, 50, 50);
  ih_report_draw_representativeness (cr, table, 300, 200);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < 300; y++)
    for (int x = 0; x < 400; x++)
      if ((*(guint32 *) (data + y * stride + x * 4) & 0xffffff) != 0xffffff)
        {
          if (x >= 50 && x < 350 && y >= 50 && y < 250)
            inside++;
          else
            outside++;
        }
  g_assert_cmpuint (inside, >, 500);
  g_assert_cmpuint (outside, ==, 0);
  cairo_surface_destroy (surface);
}


/*
 * The commands
 */

static char *cli_path;

static int
run_cli (char       **out,
         char       **err,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *db = data_path ("cli.db");
  const char *arg;
  va_list args;
  int wait_status;

  g_clear_pointer (out, g_free);
  g_clear_pointer (err, g_free);
  g_ptr_array_add (argv, cli_path);
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, db);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  return WEXITSTATUS (wait_status);
}

static void
test_cli_commands (void)
{
  g_autofree char *profile = data_path ("cli-profile.csv");
  g_autofree char *bad = data_path ("cli-bad.csv");
  g_autofree char *feedback = data_path ("cli-feedback.csv");
  g_autofree char *csv = data_path ("cli-table.csv");
  g_autofree char *pdf = data_path ("cli-report.pdf");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *table = NULL;
  g_autofree char *text = NULL;
  g_autofree char *action_id = NULL;
  g_autoptr(GString) rows = g_string_new ("text,consent,activity,activity_date,place,sex,date\n");
  g_autofree char *insight_id = NULL;
  int n_pages;

#define RUN(...) run_cli (&out, &err, __VA_ARGS__, NULL)

  g_assert_true (g_file_set_contents (profile, profile_csv, -1, NULL));
  g_assert_true (g_file_set_contents (bad, "place,characteristic,group,share\nX,sex,female,0.5\nX,sex,robot,0.5\n", -1, NULL));
  for (guint i = 0; i < 40; i++)
    g_string_append_printf (rows, "\"Clinic bus answer %u\",may-quote,Clinic bus survey,2026-03-02,Testshire,%s,2026-03-02\n",
                            i, i < 32 ? "female" : "male");
  g_string_append (rows, "\"Zebracrossing withdrawn words about the clinic bus\",withdrawn,Clinic bus survey,2026-03-02,Testshire,female,2026-03-02\n");
  g_assert_true (g_file_set_contents (feedback, rows->str, -1, NULL));

  for (guint i = 0; i < 5; i++)
    {
      static const char * const commands[] = { "population", "represent", "fatigue", "action", "report" };
      g_assert_cmpint (RUN (commands[i], "--help"), ==, 0);
    }
  g_assert_cmpint (RUN ("population"), ==, 2);
  g_assert_cmpint (RUN ("population", "import", bad), ==, 1);
  g_assert_nonnull (strstr (err, "line 3: “robot” is not a group of Sex"));
  g_assert_cmpint (RUN ("population", "import", profile), ==, 0);
  g_assert_cmpint (RUN ("population", "list"), ==, 0);
  g_assert_cmpstr (out, ==, "Testshire\n");
  g_assert_cmpint (RUN ("import", feedback), ==, 0);

  /* represent: one way of choosing the insight, the table, the CSV */
  g_assert_cmpint (RUN ("represent"), ==, 2);
  g_assert_cmpint (RUN ("represent", "--programme", "x", "bus"), ==, 2);
  g_assert_cmpint (RUN ("represent", "colour:red"), ==, 2);
  g_assert_cmpint (RUN ("represent", "clinic", "--csv", csv, "--pdf", pdf), ==, 0);
  {
    g_autofree char *chart = pdf_text (pdf, &n_pages);

    g_assert_cmpint (n_pages, >=, 1);
    g_assert_nonnull (strstr (chart, "Representativeness"));
    g_assert_nonnull (strstr (chart, "Search “clinic”"));
    g_assert_nonnull (strstr (chart, "Over-represented"));
    g_assert_nonnull (strstr (chart, "40 of the 40 pieces of insight"));
    render_pages (pdf, "represent");
  }
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "40 respondents among 40 pieces of insight"));
  g_assert_nonnull (strstr (out, "Over-represented"));
  g_assert_true (g_file_get_contents (csv, &table, NULL, NULL));
  g_assert_nonnull (strstr (table, "\r\nSex,Female,32,0.8000,0.5000,20.0000,"));

  /* action add, then both ways */
  g_assert_cmpint (RUN ("search", "answer 7", "--limit", "1"), ==, 0);
  {
    g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
    insight_id = g_strdup (g_strstrip (lines[3]));
  }
  g_assert_cmpint (RUN ("action", "add", "--title", "A bus at 07:10", "--insight", insight_id,
                        "--status", "Done", "--fed-back", "01/05/2026"), ==, 0);
  action_id = g_strdup (g_strstrip (out));
  g_assert_cmpint (RUN ("action", "show", action_id), ==, 0);
  g_assert_nonnull (strstr (out, "Clinic bus answer 7"));
  g_assert_nonnull (strstr (out, "people told on 2026-05-01"));
  g_assert_cmpint (RUN ("action", "list", "--insight", insight_id), ==, 0);
  g_assert_nonnull (strstr (out, "A bus at 07:10"));
  g_assert_cmpint (RUN ("action", "add", "--title", "x", "--status", "maybe"), ==, 2);
  g_assert_cmpint (RUN ("action", "link", action_id, "no-such"), ==, 2);

  /* fatigue */
  g_assert_cmpint (RUN ("fatigue"), ==, 2);
  g_assert_cmpint (RUN ("fatigue", "--topic", "clinic bus", "--place", "Testshire", "--date", "2026-04-01"), ==, 0);
  g_assert_nonnull (strstr (out, "Clinic bus survey"));
  g_assert_nonnull (strstr (out, "Same place: Testshire"));
  g_assert_cmpint (RUN ("fatigue", "--topic", "clinic", "--date", "2026-99-01"), ==, 2);

  /* report */
  g_assert_cmpint (RUN ("report", "clinic"), ==, 2);
  g_assert_cmpint (RUN ("report", "clinic", "--output", pdf), ==, 0);
  text = pdf_text (pdf, &n_pages);
  g_assert_nonnull (strstr (text, "A bus at 07:10"));
  g_assert_nonnull (strstr (text, "Over-represented"));
  g_assert_null (strstr (text, "Zebracrossing"));
#undef RUN
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--cli") == 0 && i + 1 < argc)
      cli_path = argv[i + 1];
  if (cli_path == NULL)
    cli_path = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "insight-hub-cli", NULL);

  g_test_add_func ("/report/actions/both-ways", test_actions_both_ways);
  g_test_add_func ("/report/fatigue/ranking", test_fatigue_ranking);
  g_test_add_func ("/report/pdf/board", test_board_report_pdf);
  g_test_add_func ("/report/pdf/chart-in-box", test_chart_in_box);
  g_test_add_func ("/report/cli", test_cli_commands);

  return g_test_run ();
}
