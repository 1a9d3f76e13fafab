/* test-report-ui.c — "Already heard" in the activity form, the "Who we
 * heard from" window and the actions view, driven through their real
 * widgets under Xvfb and rendered to PNGs to look at
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ih-actions.h"
#include "ih-actions-view.h"
#include "ih-activity-editor-private.h"
#include "ih-library-view.h"
#include "ih-population.h"
#include "ih-represent-window.h"
#include "ih-ui-test.h"

typedef struct
{
  char      *dir;
  IhStore   *store;
  GtkWindow *window;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("test-report-ui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "report-ui.db", NULL);
  f->store = ih_store_open (path, &error);
  g_assert_no_error (error);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 960, 1000);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFileEnumerator) children = NULL;
  GFile *child;

  gtk_window_destroy (f->window);
  ih_ui_settle ();
  g_clear_object (&f->store);

  dir = g_file_new_for_path (f->dir);
  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  while (children && g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) && child)
    g_file_delete (child, NULL, NULL);
  g_file_delete (dir, NULL, NULL);
  g_clear_pointer (&f->dir, g_free);
}

/* "YYYY-MM-DD" of @months months before today */
static char *
months_ago (int months)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_months (now, -months);

  return g_date_time_format (then, "%Y-%m-%d");
}

static IhActivity *
save_activity (Fixture    *f,
               const char *title,
               const char *programme,
               const char *place,
               const char *communities,
               int         months)
{
  g_autoptr(GError) error = NULL;
  IhActivity *activity = ih_activity_new ();

  activity->title = g_strdup (title);
  activity->programme = g_strdup (programme);
  activity->place = g_strdup (place);
  activity->communities = g_strsplit (communities, ";", -1);
  activity->start_date = months_ago (months);
  g_assert_true (ih_store_save (f->store, activity, &error));
  g_assert_no_error (error);
  return activity;
}

static AdwEntryRow *
entry_row_titled (GtkWidget  *widget,
                  const char *prefix)
{
  if (ADW_IS_ENTRY_ROW (widget))
    {
      GString *s = g_string_new (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
      g_autofree char *plain = NULL;

      g_string_replace (s, "_", "", 0);
      plain = g_string_free (s, FALSE);
      if (g_str_has_prefix (plain, prefix))
        return ADW_ENTRY_ROW (widget);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      AdwEntryRow *found = entry_row_titled (child, prefix);
      if (found)
        return found;
    }
  return NULL;
}

static void
type_into (GtkWidget  *form,
           const char *row_title,
           const char *text)
{
  AdwEntryRow *row = entry_row_titled (form, row_title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static gboolean
fatigue_done (gpointer data)
{
  return !_ih_activity_editor_fatigue_pending (data);
}

/* The row of "Already heard" for the record @id, if it is listed */
static GtkWidget *
fatigue_row (GtkWidget  *editor,
             const char *id)
{
  return ih_ui_find_child (editor, ADW_TYPE_ACTION_ROW, id);
}

static gboolean
label_showing_containing (GtkWidget  *widget,
                          const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (label_showing_containing (child, text))
      return TRUE;
  return FALSE;
}

static void
test_fatigue_panel (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(IhActivity) related = save_activity (f, "Maternity listening event", "Maternity",
                                                 "Stroud", "Young parents;Polish community", 4);
  g_autoptr(IhActivity) unrelated = save_activity (f, "Dental access survey", "Dental",
                                                   "Cheltenham", "Older people", 1);
  g_autoptr(IhActivity) too_old = save_activity (f, "Maternity focus group", "Maternity",
                                                 "Stroud", "Young parents", 30);
  GtkWidget *editor = ih_activity_editor_new (f->store);
  GtkWidget *row;
  const char *subtitle;

  gtk_window_set_child (f->window, editor);
  gtk_window_present (f->window);
  ih_ui_wait_for (ih_ui_widget_mapped, f->window);

  /* Nothing to compare yet: says what to fill in */
  g_assert_true (label_showing_containing (editor, "Fill in the programme or topic"));

  type_into (editor, "Title", "Drop-in for new parents");
  type_into (editor, "Place", "Stroud");
  type_into (editor, "Target communities", "Young parents; Travellers");
  g_assert_true (_ih_activity_editor_fatigue_pending (IH_ACTIVITY_EDITOR (editor)));
  ih_ui_wait_for (fatigue_done, editor);

  row = fatigue_row (editor, related->parent.id);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_is_drawable (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Maternity listening event");
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_assert_nonnull (strstr (subtitle, "Same place: Stroud"));
  g_assert_nonnull (strstr (subtitle, "Young parents"));
  g_assert_nonnull (strstr (subtitle, "4 months earlier"));
  /* Neither the unrelated activity nor one beyond the 12 months */
  g_assert_null (fatigue_row (editor, unrelated->parent.id));
  g_assert_null (fatigue_row (editor, too_old->parent.id));
  ih_ui_save_png (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP), "report-ui-fatigue.png");

  /* A longer window, from the preference, brings the older one in */
  {
    g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

    g_settings_set_uint (settings, "fatigue-months", 36);
    ih_ui_wait_for (fatigue_done, editor);
    g_assert_nonnull (fatigue_row (editor, too_old->parent.id));
    g_settings_reset (settings, "fatigue-months");
    ih_ui_wait_for (fatigue_done, editor);
    g_assert_null (fatigue_row (editor, too_old->parent.id));
  }

  /* Somewhere nobody was asked: says so in plain words */
  type_into (editor, "Place", "Tewkesbury");
  type_into (editor, "Target communities", "Travellers");
  type_into (editor, "Title", "Drop-in");
  ih_ui_wait_for (fatigue_done, editor);
  g_assert_null (fatigue_row (editor, related->parent.id));
  g_assert_true (label_showing_containing (editor, "Nothing was heard on this topic"));
}


/* An activity in Stroud whose 60 respondents are all aged 45 to 74: the
 * young are missing */
static IhActivity *
save_survey (Fixture *f)
{
  const char *ages[] = { "45-54", "55-64", "65-74" };
  IhActivity *activity = save_activity (f, "Walk-in centre survey", "Urgent care", "Stroud", "Everyone", 1);

  for (guint i = 0; i < 60; i++)
    {
      g_autoptr(IhInsight) insight = ih_insight_new ();
      g_autoptr(GError) error = NULL;

      insight->text = g_strdup_printf ("Answer %u about the walk-in centre", i);
      insight->activity_id = g_strdup (activity->parent.id);
      insight->age_band = g_strdup (ages[i % G_N_ELEMENTS (ages)]);
      insight->sex = g_strdup (i % 2 ? "female" : "male");
      insight->consent = g_strdup ("may-quote");
      g_assert_true (ih_store_save (f->store, insight, &error));
      g_assert_no_error (error);
    }
  return activity;
}

static void
import_profile (Fixture *f)
{
  g_autofree char *example = g_test_build_filename (G_TEST_DIST, "..", "data", "examples",
                                                    "population-profile.csv", NULL);
  g_autoptr(GError) error = NULL;
  guint n_places = 0, n_rows = 0;

  g_assert_true (ih_population_import (f->store, example, &n_places, &n_rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_places, >, 0);
}

/* The row of @table for @group of @characteristic */
static const IhRepresentRow *
find_group (const IhRepresentTable *table,
            const char             *characteristic,
            const char             *group)
{
  for (guint i = 0; i < table->characteristics->len; i++)
    {
      const IhRepresentCharacteristic *c = g_ptr_array_index (table->characteristics, i);

      if (g_strcmp0 (c->characteristic->key, characteristic) != 0)
        continue;
      for (guint j = 0; j < c->rows->len; j++)
        {
          const IhRepresentRow *row = g_ptr_array_index (c->rows, j);

          if (g_strcmp0 (row->group, group) == 0)
            return row;
        }
    }
  return NULL;
}

/* The label right after the one showing @text in the same grid row, the
 * way the table is laid out: group, respondents, share, population, flag */
static GtkWidget *
grid_cell (GtkWidget  *window,
           const char *group_label,
           int         column)
{
  GtkWidget *label = ih_ui_find_label (window, group_label);
  GtkWidget *grid;
  int row;

  g_assert_nonnull (label);
  grid = gtk_widget_get_parent (label);
  g_assert_true (GTK_IS_GRID (grid));
  gtk_grid_query_child (GTK_GRID (grid), label, NULL, &row, NULL, NULL);
  return gtk_grid_get_child_at (GTK_GRID (grid), column, row);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static void
test_represent_window (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(IhActivity) survey = save_survey (f);
  g_autoptr(GArray) rids = NULL;
  g_autoptr(IhRepresentTable) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_csv = NULL;
  g_autofree char *csv_path = g_build_filename (f->dir, "heard.csv", NULL);
  g_autofree char *pdf_path = g_build_filename (f->dir, "heard.pdf", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *pdf = NULL;
  gsize pdf_len = 0;
  const IhRepresentRow *young;
  IhRepresentWindow *window;
  GtkWidget *flag;

  import_profile (f);

  /* What the core library says, worked out apart from the window */
  rids = ih_scope_collect (f->store, IH_SCOPE_ACTIVITY, survey->parent.id, &error);
  g_assert_no_error (error);
  expected = ih_represent_compute (f->store, rids, NULL, NULL, &error);
  g_assert_no_error (error);
  young = find_group (expected, "age-band", "under-16");
  g_assert_nonnull (young);
  g_assert_cmpint (young->flag, ==, IH_REPRESENT_UNDER);

  /* Opened from the activity form, as a person would (Ctrl+Shift+H) */
  {
    GtkWidget *editor = ih_activity_editor_new (f->store);

    gtk_window_set_child (f->window, editor);
    gtk_window_present (f->window);
    ih_ui_wait_for (ih_ui_widget_mapped, f->window);
    g_assert_true (ih_activity_editor_load (IH_ACTIVITY_EDITOR (editor), survey->parent.id));
    g_assert_true (ih_ui_press_key (editor, GDK_KEY_h, GDK_CONTROL_MASK | GDK_SHIFT_MASK));
  }
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    window = NULL;
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

        if (IH_IS_REPRESENT_WINDOW (w))
          window = IH_REPRESENT_WINDOW (w);
      }
  }
  g_assert_nonnull (window);
  ih_ui_wait_for (ih_ui_widget_mapped, window);
  g_assert_nonnull (ih_represent_window_get_table (window));
  g_assert_cmpstr (ih_represent_window_get_table (window)->place, ==, "Stroud");

  /* The under-16s are shown as under-represented, with their counts */
  flag = grid_cell (GTK_WIDGET (window), young->label, 4);
  g_assert_nonnull (flag);
  g_assert_true (gtk_widget_is_drawable (flag));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (flag)), ==, "Under-represented");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (grid_cell (GTK_WIDGET (window), young->label, 1))), ==, "0");
  ih_ui_save_png (GTK_WIDGET (window), "report-ui-represent.png");

  /* Export CSV… through its shortcut writes what the core library makes */
  ih_represent_window_set_answer (csv_path);
  g_assert_true (ih_ui_press_key (GTK_WIDGET (window), GDK_KEY_e, GDK_CONTROL_MASK));
  ih_ui_wait_for (file_exists, csv_path);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  g_assert_no_error (error);
  {
    g_autofree char *scope = ih_scope_describe (f->store, IH_SCOPE_ACTIVITY, survey->parent.id);

    g_clear_pointer (&expected, ih_represent_table_free);
    expected = ih_represent_compute (f->store, rids, scope, NULL, &error);
    g_assert_no_error (error);
  }
  expected_csv = ih_represent_to_csv (expected);
  g_assert_cmpstr (csv, ==, expected_csv);

  /* … and Export PDF… a PDF */
  ih_represent_window_set_answer (pdf_path);
  g_assert_true (ih_ui_press_key (GTK_WIDGET (window), GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK));
  ih_ui_wait_for (file_exists, pdf_path);
  g_assert_true (g_file_get_contents (pdf_path, &pdf, &pdf_len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pdf_len, >, 5);
  g_assert_true (memcmp (pdf, "%PDF-", 5) == 0);

  /* The place chooser: compared with Gloucester instead, then back */
  {
    GtkWidget *dropdown = ih_ui_find_child (GTK_WIDGET (window), GTK_TYPE_DROP_DOWN, NULL);
    GListModel *places;
    guint gloucester = G_MAXUINT;

    g_assert_nonnull (dropdown);
    g_assert_true (gtk_widget_is_drawable (dropdown));
    places = gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown));
    for (guint i = 0; i < g_list_model_get_n_items (places); i++)
      if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (places), i), "Gloucester") == 0)
        gloucester = i;
    g_assert_cmpuint (gloucester, !=, G_MAXUINT);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), gloucester);
    g_assert_cmpstr (ih_represent_window_get_table (window)->place, ==, "Gloucester");
    g_assert_true (label_showing_containing (GTK_WIDGET (window), "compared with the population of Gloucester"));
    g_assert_true (ih_represent_window_set_place (window, "Stroud"));
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (places),
                                                 gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown))), ==, "Stroud");
    /* A place without a profile is refused and the table stays */
    g_assert_false (ih_represent_window_set_place (window, "Atlantis"));
    g_assert_cmpstr (ih_represent_window_get_table (window)->place, ==, "Stroud");
  }

  /* Cancelled: nothing written, nothing changes */
  ih_represent_window_set_answer (NULL);
  g_assert_true (ih_ui_press_key (GTK_WIDGET (window), GDK_KEY_e, GDK_CONTROL_MASK));
  ih_represent_window_clear_answer ();

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_represent_no_profile (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(IhActivity) survey = save_survey (f);
  g_autofree char *csv_path = g_build_filename (f->dir, "heard.csv", NULL);
  GtkWidget *window = ih_represent_window_new (f->store, survey->parent.id);

  gtk_window_present (GTK_WINDOW (window));
  ih_ui_wait_for (ih_ui_widget_mapped, window);
  g_assert_null (ih_represent_window_get_table (IH_REPRESENT_WINDOW (window)));
  g_assert_true (label_showing_containing (window, "Import a population profile with insight-hub-cli population import FILE"));
  /* Nothing to export: the export (answered at once in tests) writes nothing */
  ih_represent_window_set_answer (csv_path);
  ih_ui_press_key (window, GDK_KEY_e, GDK_CONTROL_MASK);
  ih_represent_window_clear_answer ();
  g_assert_false (g_file_test (csv_path, G_FILE_TEST_EXISTS));
  ih_ui_save_png (window, "report-ui-represent-empty.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static IhInsight *
save_insight (Fixture    *f,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  IhInsight *insight = ih_insight_new ();

  insight->text = g_strdup (text);
  g_assert_true (ih_store_save (f->store, insight, &error));
  g_assert_no_error (error);
  return insight;
}

typedef struct
{
  GtkWidget  *view;
  const char *id;
} RowWait;

static gboolean
row_listed (gpointer data)
{
  RowWait *wait = data;

  return ih_ui_find_child (wait->view, ADW_TYPE_ACTION_ROW, wait->id) != NULL;
}

/* Clicks the button inside the row for the record @id */
static void
click_row_button (GtkWidget  *view,
                  const char *id)
{
  GtkWidget *row = ih_ui_find_child (view, ADW_TYPE_ACTION_ROW, id);
  GtkWidget *button;

  g_assert_nonnull (row);
  button = ih_ui_find_child (row, GTK_TYPE_BUTTON, NULL);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
has_id (GPtrArray  *records,
        const char *id)
{
  for (guint i = 0; records != NULL && i < records->len; i++)
    if (g_strcmp0 (((IhRecord *) g_ptr_array_index (records, i))->id, id) == 0)
      return TRUE;
  return FALSE;
}

static void
test_actions_view (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(IhInsight) wait = save_insight (f, "The walk-in centre closes before people finish work");
  g_autoptr(IhInsight) parking = save_insight (f, "There is nowhere to park at the hospital");
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GPtrArray) insight = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *view = ih_actions_view_new (f->store);
  GtkWidget *search;
  g_autofree char *action_id = NULL;
  RowWait row_wait = { view, wait->parent.id };

  gtk_window_set_child (f->window, view);
  gtk_window_present (f->window);
  ih_ui_wait_for (ih_ui_widget_mapped, f->window);

  /* A title is needed: nothing is saved without one */
  g_assert_nonnull (entry_row_titled (view, "What changed"));
  g_assert_true (ih_ui_press_key (GTK_WIDGET (entry_row_titled (view, "What changed")), GDK_KEY_s, GDK_CONTROL_MASK));
  g_assert_null (ih_actions_view_get_action_id (IH_ACTIONS_VIEW (view)));
  g_assert_true (label_showing_containing (view, "Say what changed"));
  g_assert_cmpint (ih_store_count (f->store, &ih_action_class), ==, 0);

  type_into (view, "What changed", "Evening opening on Thursdays");
  type_into (view, "Owner", "Urgent care team");
  type_into (view, "Date fed back", "31/03/2026");
  g_assert_true (ih_ui_press_key (GTK_WIDGET (entry_row_titled (view, "Owner")), GDK_KEY_s, GDK_CONTROL_MASK));
  g_assert_nonnull (ih_actions_view_get_action_id (IH_ACTIONS_VIEW (view)));
  action_id = g_strdup (ih_actions_view_get_action_id (IH_ACTIONS_VIEW (view)));

  /* Find the insight by its words and link it */
  search = ih_ui_find_child (view, GTK_TYPE_SEARCH_ENTRY, NULL);
  g_assert_nonnull (search);
  gtk_editable_set_text (GTK_EDITABLE (search), "walk-in centre");
  ih_ui_wait_for (row_listed, &row_wait);
  g_assert_null (ih_ui_find_child (view, ADW_TYPE_ACTION_ROW, parking->parent.id));
  click_row_button (view, wait->parent.id);

  /* In the store both ways */
  actions = ih_actions_for_insight (f->store, wait->parent.id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (actions->len, ==, 1);
  g_assert_cmpstr (((IhAction *) g_ptr_array_index (actions, 0))->title, ==, "Evening opening on Thursdays");
  g_assert_cmpstr (((IhAction *) g_ptr_array_index (actions, 0))->fed_back_date, ==, "2026-03-31");
  insight = ih_actions_insights (f->store, action_id, &error);
  g_assert_no_error (error);
  g_assert_true (has_id (insight, wait->parent.id));
  g_assert_false (has_id (insight, parking->parent.id));
  g_clear_pointer (&actions, g_ptr_array_unref);
  g_clear_pointer (&insight, g_ptr_array_unref);

  /* From the action, its insight: the action chosen again */
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  g_assert_true (ih_actions_view_load (IH_ACTIONS_VIEW (view), action_id));
  g_assert_nonnull (ih_ui_find_label (view, "The walk-in centre closes before people finish work"));
  ih_ui_save_png (view, "report-ui-actions.png");

  /* Unlink it again */
  click_row_button (view, wait->parent.id);
  actions = ih_actions_for_insight (f->store, wait->parent.id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (actions->len, ==, 0);
  insight = ih_actions_insights (f->store, action_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (insight->len, ==, 0);
  g_assert_true (label_showing_containing (view, "No insight is linked yet"));
}

static gboolean
library_searched (gpointer data)
{
  IhLibraryView *library = data;
  IhSearchModel *model = ih_library_view_get_model (library);

  return !ih_search_model_get_busy (model) &&
         g_strcmp0 (ih_search_model_get_query (model), "answer 1*") == 0;
}

/* The Library's "Who We Heard From" covers exactly what the search finds */
static void
test_represent_search (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(IhActivity) survey = save_survey (f);
  IhLibraryView *library;
  IhRepresentWindow *window = NULL;
  const IhRepresentTable *table;
  g_autoptr(GList) before = NULL;
  g_autoptr(GList) after = NULL;

  import_profile (f);
  library = IH_LIBRARY_VIEW (ih_library_view_new (f->store));
  gtk_window_set_child (f->window, GTK_WIDGET (library));
  gtk_window_present (f->window);
  ih_ui_wait_for (ih_ui_widget_mapped, f->window);

  /* "Answer 1…" matches 11 of the 60: 1 and 10–19 */
  gtk_editable_set_text (GTK_EDITABLE (ih_ui_find_child (GTK_WIDGET (library), GTK_TYPE_SEARCH_ENTRY, NULL)), "answer 1*");
  ih_ui_wait_for (library_searched, library);

  before = gtk_window_list_toplevels ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (library), "library.who-we-heard-from", NULL));
  after = gtk_window_list_toplevels ();
  for (GList *l = after; l != NULL; l = l->next)
    if (IH_IS_REPRESENT_WINDOW (l->data) && g_list_find (before, l->data) == NULL)
      window = l->data;
  g_assert_nonnull (window);
  table = ih_represent_window_get_table (window);
  g_assert_nonnull (table);
  g_assert_cmpint (table->n_respondents, ==, 11);
  g_assert_nonnull (strstr (table->scope, "answer 1*"));
  ih_ui_wait_for (ih_ui_widget_mapped, window);
  ih_ui_save_png (GTK_WIDGET (window), "report-ui-represent-search.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/report-ui/fatigue-panel", Fixture, NULL, fixture_setup, test_fatigue_panel, fixture_teardown);

  g_test_add ("/report-ui/represent-window", Fixture, NULL, fixture_setup, test_represent_window, fixture_teardown);
  g_test_add ("/report-ui/represent-no-profile", Fixture, NULL, fixture_setup, test_represent_no_profile, fixture_teardown);
  g_test_add ("/report-ui/represent-search", Fixture, NULL, fixture_setup, test_represent_search, fixture_teardown);
  g_test_add ("/report-ui/actions-view", Fixture, NULL, fixture_setup, test_actions_view, fixture_teardown);

  return g_test_run ();
}
