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

#include "ih-activity-editor-private.h"
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
    g_autoptr(GSettings) settings = g_settings_new ("org.insighthub.InsightHub");

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

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/report-ui/fatigue-panel", Fixture, NULL, fixture_setup, test_fatigue_panel, fixture_teardown);

  return g_test_run ();
}
