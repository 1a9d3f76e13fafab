/* test-activities.c — the activity form and the activities view driven
 * through their real widgets under Xvfb, and rendered to PNGs to look at
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ih-activities-view.h"
#include "ih-activity-editor.h"
#include "ih-search.h"
#include "ih-ui-test.h"

typedef struct
{
  char             *dir;
  IhStore          *store;
  GtkWindow        *window;
  IhActivityEditor *editor;
  IhActivitiesView *view;
  guint             n_saved;
} Fixture;

static void
saved_cb (IhActivityEditor *editor,
          IhActivity       *activity,
          Fixture          *f)
{
  g_assert_nonnull (activity);
  g_assert_nonnull (activity->title);
  f->n_saved++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  with_view)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  /* gtk_test_init() does not isolate directories: a fresh one per case */
  f->dir = g_dir_make_tmp ("test-activities-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "activities.db", NULL);
  f->store = ih_store_open (path, &error);
  g_assert_no_error (error);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 960, 900);
  if (with_view)
    {
      f->view = IH_ACTIVITIES_VIEW (ih_activities_view_new (f->store));
      f->editor = ih_activities_view_get_editor (f->view);
      gtk_window_set_child (f->window, GTK_WIDGET (f->view));
    }
  else
    {
      f->editor = IH_ACTIVITY_EDITOR (ih_activity_editor_new (f->store));
      gtk_window_set_child (f->window, GTK_WIDGET (f->editor));
    }
  g_signal_connect (f->editor, "saved", G_CALLBACK (saved_cb), f);
  gtk_window_present (f->window);
  ih_ui_wait_for (ih_ui_widget_mapped, f->window);
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

/*
 * Finding the real widgets, by their accessible names
 */

static gboolean
has_label (GtkWidget  *widget,
           const char *label)
{
  /* GTK 4.8 has no getter for accessible properties: the rows' titles are
   * what a person sees, and each row's accessible name repeats it */
  if (ADW_IS_PREFERENCES_ROW (widget))
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
      g_autofree char *plain = NULL;
      GString *s = g_string_new (title);

      g_string_replace (s, "_", "", 0);
      plain = g_string_free (s, FALSE);
      return g_str_has_prefix (plain, label);
    }
  return FALSE;
}

static GtkWidget *
find_row (GtkWidget  *widget,
          const char *label)
{
  if (has_label (widget, label))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, label);
      if (found)
        return found;
    }
  return NULL;
}

/* The error label shown right after @row's group, if any shows */
static gboolean
error_showing_with_text (GtkWidget  *widget,
                         const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error") &&
      gtk_widget_get_visible (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (error_showing_with_text (child, text))
      return TRUE;
  return FALSE;
}

static void
type_into (Fixture    *f,
           const char *label,
           const char *text)
{
  GtkWidget *row = find_row (GTK_WIDGET (f->editor), label);

  g_assert_nonnull (row);
  g_assert_true (ADW_IS_ENTRY_ROW (row));
  gtk_widget_grab_focus (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
choose (Fixture    *f,
        const char *label,
        const char *choice)
{
  AdwComboRow *row = ADW_COMBO_ROW (find_row (GTK_WIDGET (f->editor), label));
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), choice))
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }
  g_assert_not_reached ();
}

static void
type_notes (Fixture    *f,
            const char *text)
{
  GtkTextView *view = GTK_TEXT_VIEW (ih_ui_find_child (GTK_WIDGET (f->editor), GTK_TYPE_TEXT_VIEW, NULL));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
}

static void
fill_workshop (Fixture *f)
{
  type_into (f, "Title", "Maternity voices workshop");
  choose (f, "Kind", "Workshop");
  choose (f, "Status", "Completed");
  type_into (f, "Start date", "12/03/2024");
  type_into (f, "End date", "2024-03-13");
  type_into (f, "Integrated care system", "Gloucestershire");
  type_into (f, "Place", "Stroud Library");
  type_into (f, "Locality", "Stroud");
  type_into (f, "Partner organisations", "Healthwatch; Maternity Voices Partnership;; ");
  type_into (f, "Target communities", "New parents;Young mums");
  type_into (f, "Programme or topic", "Maternity");
  type_into (f, "Attendance or reach", " 25 ");
  type_notes (f, "Held in the children's corner.\n");
}

/* Presses the real button, as a click would */
static void
press_save (Fixture *f)
{
  GtkWidget *button = NULL;

  /* The save button is the one with the action */
  {
    GtkWidget *stack[64];
    int top = 0;

    stack[top++] = GTK_WIDGET (f->editor);
    while (top > 0 && button == NULL)
      {
        GtkWidget *w = stack[--top];

        if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), "activity.save") == 0)
          button = w;
        for (GtkWidget *c = gtk_widget_get_first_child (w); c && top < 64; c = gtk_widget_get_next_sibling (c))
          stack[top++] = c;
      }
  }
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  ih_ui_settle ();
}

static IhActivity *
only_activity (Fixture *f)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  list = ih_store_list (f->store, &ih_activity_class, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  return ih_store_load (f->store, &ih_activity_class, ((IhRecord *) list->pdata[0])->id, &error);
}

/*
 * Cases
 */

static void
test_save_new (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(IhActivity) activity = NULL;

  fill_workshop (f);
  press_save (f);

  g_assert_cmpuint (f->n_saved, ==, 1);
  activity = only_activity (f);
  g_assert_cmpstr (activity->title, ==, "Maternity voices workshop");
  g_assert_cmpstr (activity->kind, ==, "workshop");
  g_assert_cmpstr (activity->status, ==, "completed");
  g_assert_cmpstr (activity->start_date, ==, "2024-03-12");
  g_assert_cmpstr (activity->end_date, ==, "2024-03-13");
  g_assert_cmpstr (activity->ics, ==, "Gloucestershire");
  g_assert_cmpstr (activity->place, ==, "Stroud Library");
  g_assert_cmpstr (activity->locality, ==, "Stroud");
  g_assert_cmpstrv (activity->partners, ((const char *[]) { "Healthwatch", "Maternity Voices Partnership", NULL }));
  g_assert_cmpstrv (activity->communities, ((const char *[]) { "New parents", "Young mums", NULL }));
  g_assert_cmpstr (activity->programme, ==, "Maternity");
  g_assert_cmpint (activity->attendance, ==, 25);
  g_assert_cmpstr (activity->notes, ==, "Held in the children's corner.");
  g_assert_cmpstr (ih_activity_editor_get_activity_id (f->editor), ==, activity->parent.id);

  /* Saving again updates the same one, by Ctrl+S's action */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "activity.save", NULL));
  g_assert_cmpuint (f->n_saved, ==, 2);
  g_assert_cmpint (ih_store_count (f->store, &ih_activity_class), ==, 1);

  /* Empty optional fields are stored as unknown */
  ih_activity_editor_clear (f->editor);
  type_into (f, "Title", "Bare");
  g_assert_true (ih_activity_editor_save (f->editor));
  {
    g_autoptr(IhActivity) bare = ih_store_load (f->store, &ih_activity_class,
                                                ih_activity_editor_get_activity_id (f->editor), NULL);

    g_assert_nonnull (bare);
    g_assert_null (bare->kind);
    g_assert_null (bare->start_date);
    g_assert_null (bare->partners);
    g_assert_cmpint (bare->attendance, ==, -1);
    g_assert_null (bare->notes);
  }
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *editor = GTK_WIDGET (f->editor);
  GtkWidget *title_row = find_row (editor, "Title");
  GtkWidget *end_row = find_row (editor, "End date");

  /* Nothing typed at all */
  press_save (f);
  g_assert_true (error_showing_with_text (editor, "Give the activity a title"));
  g_assert_true (gtk_widget_has_css_class (title_row, "error"));
  g_assert_cmpint (ih_store_count (f->store, &ih_activity_class), ==, 0);

  fill_workshop (f);
  /* Typing a title takes its message away */
  g_assert_false (error_showing_with_text (editor, "Give the activity a title"));
  g_assert_false (gtk_widget_has_css_class (title_row, "error"));

  type_into (f, "Start date", "31/02/2024");
  type_into (f, "End date", "soon");
  type_into (f, "Attendance or reach", "lots");
  press_save (f);
  g_assert_true (error_showing_with_text (editor, "The start date is not a real date"));
  g_assert_true (error_showing_with_text (editor, "The end date is not a real date"));
  g_assert_true (error_showing_with_text (editor, "whole number"));
  g_assert_true (gtk_widget_has_css_class (end_row, "error"));
  g_assert_cmpint (ih_store_count (f->store, &ih_activity_class), ==, 0);
  ih_ui_save_png (GTK_WIDGET (f->window), "activity-editor-errors.png");

  type_into (f, "Start date", "14/03/2024");
  type_into (f, "End date", "2024-03-13");
  type_into (f, "Attendance or reach", "-3");
  press_save (f);
  g_assert_false (error_showing_with_text (editor, "not a real date"));
  g_assert_true (error_showing_with_text (editor, "The end date is before the start date"));
  g_assert_true (error_showing_with_text (editor, "whole number"));
  g_assert_cmpint (ih_store_count (f->store, &ih_activity_class), ==, 0);

  type_into (f, "Title", "   ");
  type_into (f, "End date", "");
  type_into (f, "Attendance or reach", "0");
  press_save (f);
  g_assert_true (error_showing_with_text (editor, "Give the activity a title"));
  g_assert_false (error_showing_with_text (editor, "end date"));
  g_assert_false (error_showing_with_text (editor, "whole number"));
  g_assert_cmpint (ih_store_count (f->store, &ih_activity_class), ==, 0);
  g_assert_cmpuint (f->n_saved, ==, 0);

  type_into (f, "Title", "Fixed");
  press_save (f);
  g_assert_cmpint (ih_store_count (f->store, &ih_activity_class), ==, 1);
  g_assert_false (error_showing_with_text (editor, " "));
}

static gint64
count_hits (IhStore    *store,
            const char *text)
{
  g_autoptr(IhSearch) search = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n;

  search = ih_search_new (store, text, 0, &error);
  g_assert_no_error (error);
  n = ih_search_count (search, &error);
  g_assert_no_error (error);
  return n;
}

static void
test_edit_existing (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(IhActivity) activity = ih_activity_new ();
  g_autoptr(IhInsight) insight = ih_insight_new ();
  g_autoptr(IhActivity) edited = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *title_row;

  activity->title = g_strdup ("Drop-in at the market");
  activity->kind = g_strdup ("drop-in");
  activity->start_date = g_strdup ("2024-05-01");
  activity->attendance = 40;
  activity->partners = g_strdupv ((char *[]) { "Age UK", NULL });
  g_assert_true (ih_store_save (f->store, activity, &error));
  g_assert_no_error (error);

  insight->text = g_strdup ("The car park costs too much.");
  insight->activity_id = g_strdup (activity->parent.id);
  g_assert_true (ih_store_save (f->store, insight, &error));
  g_assert_no_error (error);

  g_assert_true (ih_activity_editor_load (f->editor, activity->parent.id));
  title_row = find_row (GTK_WIDGET (f->editor), "Title");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (title_row)), ==, "Drop-in at the market");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (GTK_WIDGET (f->editor), "Attendance"))), ==, "40");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (GTK_WIDGET (f->editor), "Partner"))), ==, "Age UK");

  type_into (f, "Title", "Kingfisher market stall");
  type_into (f, "Attendance or reach", "55");
  press_save (f);

  g_assert_cmpint (ih_store_count (f->store, &ih_activity_class), ==, 1);
  edited = ih_store_load (f->store, &ih_activity_class, activity->parent.id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (edited->title, ==, "Kingfisher market stall");
  g_assert_cmpint (edited->attendance, ==, 55);
  g_assert_cmpstr (edited->kind, ==, "drop-in");
  g_assert_cmpstr (edited->start_date, ==, "2024-05-01");
  g_assert_cmpint (edited->parent.created_at, ==, activity->parent.created_at);

  /* The feedback heard there is found by the activity's new title */
  g_assert_cmpint (count_hits (f->store, "Kingfisher"), ==, 1);

  g_assert_false (ih_activity_editor_load (f->editor, "no-such-id"));
  g_assert_null (ih_activity_editor_get_activity_id (f->editor));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (title_row)), ==, "");
}

static void
test_render_editor (Fixture       *f,
                    gconstpointer  data)
{
  fill_workshop (f);
  ih_ui_settle ();
  ih_ui_save_png (GTK_WIDGET (f->window), "activity-editor-wide.png");

  gtk_window_set_default_size (f->window, 360, 900);
  ih_ui_settle ();
  ih_ui_settle ();
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, 400);
  ih_ui_save_png (GTK_WIDGET (f->window), "activity-editor-narrow.png");
}

static void
add_activity (IhStore    *store,
              const char *title,
              const char *kind,
              const char *date,
              const char *place)
{
  g_autoptr(IhActivity) activity = ih_activity_new ();
  g_autoptr(GError) error = NULL;

  activity->title = g_strdup (title);
  activity->kind = g_strdup (kind);
  activity->start_date = g_strdup (date);
  activity->place = g_strdup (place);
  g_assert_true (ih_store_save (store, activity, &error));
  g_assert_no_error (error);
}

static void
test_view (Fixture       *f,
           gconstpointer  data)
{
  GtkWidget *status_page = ih_ui_find_child (GTK_WIDGET (f->view), ADW_TYPE_STATUS_PAGE, NULL);
  AdwLeaflet *leaflet = ADW_LEAFLET (ih_ui_find_child (GTK_WIDGET (f->view), ADW_TYPE_LEAFLET, NULL));

  /* None yet */
  g_assert_cmpstr (ih_activities_view_get_state (f->view), ==, "empty");
  g_assert_true (gtk_widget_get_mapped (status_page));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status_page)), ==, "No Activities Yet");
  g_assert_cmpuint (ih_activities_view_get_n_activities (f->view), ==, 0);
  ih_ui_save_png (GTK_WIDGET (f->window), "activities-empty.png");

  /* A new one from the form shows in the list, selected */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "activities.new", NULL));
  fill_workshop (f);
  press_save (f);
  g_assert_cmpstr (ih_activities_view_get_state (f->view), ==, "list");
  g_assert_cmpuint (ih_activities_view_get_n_activities (f->view), ==, 1);
  g_assert_cmpstr (ih_activities_view_get_selected_id (f->view), ==,
                   ih_activity_editor_get_activity_id (f->editor));

  add_activity (f->store, "Autumn survey of GP access", "survey", "2024-09-01", NULL);
  add_activity (f->store, "Young carers focus group", "focus-group", "2024-06-20", "Gloucester Guildhall");
  ih_activities_view_refresh (f->view);
  g_assert_cmpuint (ih_activities_view_get_n_activities (f->view), ==, 3);
  g_assert_cmpstr (ih_activities_view_get_title (f->view, 0), ==, "Autumn survey of GP access");
  /* The selection stays with the activity */
  g_assert_cmpstr (ih_activities_view_get_title (f->view, 1), ==, "Maternity voices workshop");
  g_assert_cmpstr (ih_activities_view_get_selected_id (f->view), ==,
                   ih_activity_editor_get_activity_id (f->editor));

  /* Renaming moves it in the list and keeps it selected */
  type_into (f, "Title", "Zebra crossing walkabout");
  press_save (f);
  g_assert_cmpstr (ih_activities_view_get_title (f->view, 2), ==, "Zebra crossing walkabout");
  g_assert_cmpstr (ih_activities_view_get_selected_id (f->view), ==,
                   ih_activity_editor_get_activity_id (f->editor));
  g_assert_cmpint (ih_store_count (f->store, &ih_activity_class), ==, 3);

  /* Choosing another puts it in the form */
  {
    g_autoptr(GPtrArray) list = ih_store_list (f->store, &ih_activity_class, NULL);
    const char *id = ((IhRecord *) list->pdata[0])->id;

    ih_activities_view_select (f->view, id);
    g_assert_cmpstr (ih_activity_editor_get_activity_id (f->editor), ==, id);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (GTK_WIDGET (f->editor), "Title"))), ==,
                     "Autumn survey of GP access");
  }
  ih_ui_settle ();
  ih_ui_save_png (GTK_WIDGET (f->window), "activities-wide.png");
  g_assert_false (adw_leaflet_get_folded (leaflet));

  /* A phone's width: the list and the form one at a time */
  gtk_window_set_default_size (f->window, 360, 720);
  ih_ui_settle ();
  ih_ui_settle ();
  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "activities.back", NULL));
  ih_ui_settle ();
  ih_ui_settle ();
  ih_ui_save_png (GTK_WIDGET (f->window), "activities-narrow-list.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "activities.new", NULL));
  ih_ui_settle ();
  ih_ui_settle ();
  ih_ui_save_png (GTK_WIDGET (f->window), "activities-narrow-form.png");
  g_assert_null (ih_activity_editor_get_activity_id (f->editor));
  g_assert_null (ih_activities_view_get_selected_id (f->view));
}

static void
save_place (IhStore    *store,
            const char *title,
            const char *ics,
            const char *place,
            const char *locality)
{
  g_autoptr(IhActivity) activity = ih_activity_new ();
  g_autoptr(GError) error = NULL;

  activity->title = g_strdup (title);
  activity->ics = g_strdup (ics);
  activity->place = g_strdup (place);
  activity->locality = g_strdup (locality);
  g_assert_true (ih_store_save (store, activity, &error));
  g_assert_no_error (error);
}

/* The list button of an entry row, and the list in its popover */
static GtkListBox *
open_place_choices (Fixture    *f,
                    const char *label)
{
  GtkWidget *row = find_row (GTK_WIDGET (f->editor), label);
  GtkWidget *button = ih_ui_find_child (row, GTK_TYPE_MENU_BUTTON, NULL);
  GtkPopover *popover;

  g_assert_nonnull (button);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  ih_ui_wait_for (ih_ui_widget_mapped, popover);
  return GTK_LIST_BOX (ih_ui_find_child (GTK_WIDGET (popover), GTK_TYPE_LIST_BOX, NULL));
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child; child = gtk_widget_get_next_sibling (child))
    if (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (child)))
      n++;
  return n;
}

/* Places used before are offered, filtered by what is typed, and choosing
 * a locality fills the place and care system above it */
static void
test_place_choices (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(IhActivity) saved = NULL;
  GtkListBox *list;
  GtkListBoxRow *row;

  save_place (f->store, "Walk-in survey", "Gloucestershire", "Stroud", "Stonehouse");
  save_place (f->store, "Carers café", "Gloucestershire", "Stroud", "Nailsworth");
  save_place (f->store, "Ferry drop-in", "Cheshire and Merseyside", "Wirral", "Birkenhead");
  ih_activity_editor_clear (f->editor);

  /* Every locality, once each, with nothing typed */
  list = open_place_choices (f, "Locality");
  g_assert_cmpuint (count_rows (list), ==, 3);
  ih_ui_save_png (gtk_widget_get_ancestor (GTK_WIDGET (list), GTK_TYPE_POPOVER), "activity-editor-localities.png");
  gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (GTK_WIDGET (list), GTK_TYPE_POPOVER)));

  type_into (f, "Locality", "sto");
  list = open_place_choices (f, "Locality");
  g_assert_cmpuint (count_rows (list), ==, 1);
  row = gtk_list_box_get_row_at_index (list, 0);
  ih_ui_save_png (gtk_widget_get_ancestor (GTK_WIDGET (list), GTK_TYPE_POPOVER), "activity-editor-place-choices.png");
  g_signal_emit_by_name (list, "row-activated", row);

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (GTK_WIDGET (f->editor), "Locality"))), ==, "Stonehouse");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (GTK_WIDGET (f->editor), "Place"))), ==, "Stroud");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (GTK_WIDGET (f->editor), "Integrated care system"))), ==, "Gloucestershire");

  /* Places within the care system already given */
  type_into (f, "Integrated care system", "Cheshire and Merseyside");
  type_into (f, "Place", "");
  list = open_place_choices (f, "Place");
  g_assert_cmpuint (count_rows (list), ==, 1);
  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 0));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (GTK_WIDGET (f->editor), "Place"))), ==, "Wirral");

  /* What was chosen is what is saved */
  type_into (f, "Title", "Ferry follow-up");
  g_assert_true (ih_activity_editor_save (f->editor));
  saved = ih_store_load (f->store, &ih_activity_class, ih_activity_editor_get_activity_id (f->editor), NULL);
  g_assert_cmpstr (saved->place, ==, "Wirral");
  g_assert_cmpstr (saved->ics, ==, "Cheshire and Merseyside");

  /* Nothing matches: a plain line, nothing to choose */
  type_into (f, "Locality", "zzz");
  list = open_place_choices (f, "Locality");
  g_assert_cmpuint (count_rows (list), ==, 0);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/activities/save-new", Fixture, NULL, fixture_setup, test_save_new, fixture_teardown);
  g_test_add ("/activities/refused", Fixture, NULL, fixture_setup, test_refused, fixture_teardown);
  g_test_add ("/activities/edit-existing", Fixture, NULL, fixture_setup, test_edit_existing, fixture_teardown);
  g_test_add ("/activities/render-editor", Fixture, NULL, fixture_setup, test_render_editor, fixture_teardown);
  g_test_add ("/activities/place-choices", Fixture, NULL, fixture_setup, test_place_choices, fixture_teardown);
  g_test_add ("/activities/view", Fixture, GINT_TO_POINTER (TRUE), fixture_setup, test_view, fixture_teardown);

  return g_test_run ();
}
