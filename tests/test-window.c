/* test-window.c — the main window driven through its real widgets under
 * Xvfb: search states, view switching by keyboard, and each view rendered
 * to a PNG to look at
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ih-activities-view.h"
#include "ih-actions-view.h"
#include "ih-application.h"
#include "ih-file-chooser.h"
#include "ih-import-dialog.h"
#include "ih-import.h"
#include "ih-search.h"
#include "ih-insight-editor.h"
#include "ih-library-view.h"
#include "ih-pdf.h"
#include "ih-ui-test.h"
#include "ih-window.h"

/* One application for the process: a second with the same id would
 * collide on the session bus */
static IhApplication *app;

typedef struct
{
  char          *dir;
  IhStore       *store;
  IhWindow      *window;
  IhLibraryView *library;
} Fixture;

static void
add_insight (IhStore    *store,
             const char *text,
             const char *sentiment)
{
  g_autoptr(IhInsight) insight = ih_insight_new ();
  g_autoptr(GError) error = NULL;

  insight->text = g_strdup (text);
  insight->sentiment = g_strdup (sentiment);
  insight->date = g_strdup ("2024-03-12");
  insight->kind = g_strdup ("quote");
  ih_store_save (store, insight, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  with_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  /* Each case starts from the default window settings (the memory
   * backend keeps them for the whole process) */
  {
    g_autoptr(GSettings) settings = g_settings_new (IH_APPLICATION_ID);
    g_autoptr(GSettingsSchema) schema = NULL;
    g_auto(GStrv) keys = NULL;

    g_object_get (settings, "settings-schema", &schema, NULL);
    keys = g_settings_schema_list_keys (schema);
    for (guint i = 0; keys[i]; i++)
      g_settings_reset (settings, keys[i]);
  }

  /* gtk_test_init() does not isolate directories: a fresh one per case */
  f->dir = g_dir_make_tmp ("test-window-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "window.db", NULL);
  f->store = ih_store_open (path, &error);
  g_assert_no_error (error);

  if (with_data)
    {
      add_insight (f->store, "The bus to Gloucester Royal only comes twice a day, so I missed my scan.", "negative");
      add_insight (f->store, "Reception staff were kind & explained the <long> wait.", "positive");
      add_insight (f->store, "Could there be a bus from Stroud to the new birth centre?", "neutral");
      for (int i = 0; i < 40; i++)
        {
          g_autofree char *text = g_strdup_printf ("Waiting %d weeks for a GP appointment is normal now.", i + 2);
          add_insight (f->store, text, "negative");
        }
    }

  f->window = ih_window_new (app, f->store);
  f->library = IH_LIBRARY_VIEW (ih_window_get_library (f->window));
  gtk_window_present (GTK_WINDOW (f->window));
  ih_ui_wait_for (ih_ui_widget_mapped, f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFileEnumerator) children = NULL;
  GFile *child;

  gtk_window_destroy (GTK_WINDOW (f->window));
  ih_ui_settle ();
  g_clear_object (&f->store);

  dir = g_file_new_for_path (f->dir);
  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  while (children && g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) && child)
    g_file_delete (child, NULL, NULL);
  g_file_delete (dir, NULL, NULL);
  g_clear_pointer (&f->dir, g_free);
}

typedef struct
{
  IhLibraryView *library;
  const char    *state;
  guint          n_items;
} StateWanted;

static gboolean
library_in_state (gpointer data)
{
  StateWanted *want = data;
  IhSearchModel *model = ih_library_view_get_model (want->library);

  return !ih_search_model_get_busy (model) &&
         g_strcmp0 (ih_library_view_get_state (want->library), want->state) == 0 &&
         g_list_model_get_n_items (G_LIST_MODEL (model)) == want->n_items;
}

static void
type_search (Fixture    *f,
             const char *text)
{
  GtkWidget *entry = ih_ui_find_child (GTK_WIDGET (f->library), GTK_TYPE_SEARCH_ENTRY, NULL);

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
}

static void
test_library_states (Fixture       *f,
                     gconstpointer  data)
{
  StateWanted want = { f->library, "results", 43 };

  /* Everything, newest first, before anything is typed */
  ih_ui_wait_for (library_in_state, &want);
  ih_ui_settle ();
  ih_ui_save_png (GTK_WIDGET (f->window), "window-library.png");

  type_search (f, "bus");
  want.n_items = 2;
  ih_ui_wait_for (library_in_state, &want);
  ih_ui_settle ();
  ih_ui_save_png (GTK_WIDGET (f->window), "window-library-search.png");

  /* The first rows arrive and show the matched words */
  {
    IhSearchModel *model = ih_library_view_get_model (f->library);
    g_autoptr(IhHitItem) item = g_list_model_get_item (G_LIST_MODEL (model), 0);

    g_assert_true (ih_hit_item_get_loaded (item));
    g_assert_nonnull (strstr (ih_hit_item_get_snippet_markup (item), "<b>bus</b>"));
  }

  type_search (f, "helicopter");
  want.state = "no-results";
  want.n_items = 0;
  ih_ui_wait_for (library_in_state, &want);

  type_search (f, "sentiment:furious");
  want.state = "error";
  ih_ui_wait_for (library_in_state, &want);
  g_assert_nonnull (ih_search_model_get_error (ih_library_view_get_model (f->library)));
  ih_ui_settle ();
  ih_ui_save_png (GTK_WIDGET (f->window), "window-library-error.png");

  /* Search as you type: the half-typed last word is a prefix */
  type_search (f, "recep");
  want.state = "results";
  want.n_items = 1;
  ih_ui_wait_for (library_in_state, &want);
}

static void
test_empty_library (Fixture       *f,
                    gconstpointer  data)
{
  StateWanted want = { f->library, "empty", 0 };

  ih_ui_wait_for (library_in_state, &want);
  ih_ui_settle ();
  ih_ui_save_png (GTK_WIDGET (f->window), "window-empty.png");
}

static void
test_keyboard_views (Fixture       *f,
                     gconstpointer  data)
{
  g_assert_cmpstr (ih_window_get_view (f->window), ==, "library");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-insight", NULL));
  g_assert_cmpstr (ih_window_get_view (f->window), ==, "record");
  ih_ui_settle ();
  ih_ui_save_png (GTK_WIDGET (f->window), "window-record.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.search", NULL));
  g_assert_cmpstr (ih_window_get_view (f->window), ==, "library");
}

static int
text_height (GtkWidget *widget)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, "Waiting list");
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  return height;
}

/* Waits (hang guard only) until the text is taller (@sign > 0) or shorter
 * than @than, and returns its height */
static int
wait_for_text_height (GtkWidget *widget,
                      int        than,
                      int        sign)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  int height;

  while ((height = text_height (widget)), sign > 0 ? height <= than : height >= than)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return height;
}

/* Ctrl+plus / Ctrl+minus / Ctrl+0 change the size of all text, and it is
 * remembered */
static void
test_text_size (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *library = GTK_WIDGET (f->library);
  g_autoptr(GSettings) settings = g_settings_new (IH_APPLICATION_ID);
  int normal, larger, smaller;

  g_assert_cmpfloat (ih_window_get_text_size (f->window), ==, 1.0);
  normal = text_height (library);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.text-larger", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.text-larger", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.text-larger", NULL));
  g_assert_cmpfloat_with_epsilon (ih_window_get_text_size (f->window), 1.3, 1e-9);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "text-size"), 1.3, 1e-9);
  /* The new style reaches the widgets with the next frame */
  larger = wait_for_text_height (library, normal, +1);
  g_assert_cmpint (larger, >, normal);
  ih_ui_save_png (GTK_WIDGET (f->window), "window-text-larger.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.text-reset", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.text-smaller", NULL));
  g_assert_cmpfloat_with_epsilon (ih_window_get_text_size (f->window), 0.9, 1e-9);
  smaller = wait_for_text_height (library, normal, -1);
  g_assert_cmpint (smaller, <, normal);

  /* Bounded: it never becomes unreadable */
  for (int i = 0; i < 20; i++)
    gtk_widget_activate_action (GTK_WIDGET (f->window), "win.text-smaller", NULL);
  g_assert_cmpfloat_with_epsilon (ih_window_get_text_size (f->window), 0.5, 1e-9);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.text-reset", NULL));
}

/* Ctrl+S in the Record view saves the feedback being written */
static void
test_save_shortcut (Fixture       *f,
                    gconstpointer  data)
{
  IhInsightEditor *editor = IH_INSIGHT_EDITOR (ih_window_get_editor (f->window));
  GtkWidget *view = ih_ui_find_child (GTK_WIDGET (editor), GTK_TYPE_TEXT_VIEW, NULL);
  gint64 before = ih_store_count (f->store, &ih_insight_class);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-insight", NULL));
  g_assert_nonnull (view);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)),
                            "Saved with Ctrl+S from the keyboard", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.save", NULL));
  ih_ui_settle ();
  g_assert_cmpint (ih_store_count (f->store, &ih_insight_class), ==, before + 1);
}

static gboolean
view_is_record (gpointer data)
{
  return g_strcmp0 (ih_window_get_view (data), "record") == 0;
}

/* An activity made in the Activities view is offered in the feedback form
 * at once, and its "Record feedback" button opens the form with it chosen */
static void
test_record_for_activity (Fixture       *f,
                          gconstpointer  data)
{
  IhActivitiesView *view = IH_ACTIVITIES_VIEW (ih_ui_find_child (GTK_WIDGET (f->window), IH_TYPE_ACTIVITIES_VIEW, NULL));
  IhActivityEditor *activity_editor = ih_activities_view_get_editor (view);
  IhInsightEditor *editor = IH_INSIGHT_EDITOR (ih_window_get_editor (f->window));
  GtkWidget *title = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (activity_editor), IH_TYPE_ACTIVITY_EDITOR, "title_row"));
  GtkWidget *button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (activity_editor), IH_TYPE_ACTIVITY_EDITOR, "record_feedback_button"));
  GtkDropDown *choice = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (editor), IH_TYPE_INSIGHT_EDITOR, "activity_dropdown"));
  GtkWidget *text = ih_ui_find_child (GTK_WIDGET (editor), GTK_TYPE_TEXT_VIEW, NULL);
  g_autoptr(GPtrArray) insights = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  guint n_choices;

  ih_window_set_view (f->window, "record");
  ih_ui_settle ();
  n_choices = g_list_model_get_n_items (gtk_drop_down_get_model (choice));

  ih_window_set_view (f->window, "activities");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "activities.new", NULL));
  /* Nothing stored yet: nothing to record feedback for */
  g_assert_false (gtk_widget_is_sensitive (button));
  gtk_editable_set_text (GTK_EDITABLE (title), "Stroud maternity workshop");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (activity_editor), "activity.save", NULL));
  id = g_strdup (ih_activity_editor_get_activity_id (activity_editor));
  g_assert_nonnull (id);
  /* Offered in the form without it being shown again */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (choice)), ==, n_choices + 1);

  g_assert_true (gtk_widget_is_sensitive (button));
  /* Reached by the keyboard; shown at the end of the form */
  g_assert_true (gtk_widget_grab_focus (button));
  ih_ui_settle ();
  {
    GtkWidget *scroller = gtk_widget_get_ancestor (button, GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  }
  ih_ui_settle ();
  ih_ui_save_png (GTK_WIDGET (f->window), "window-activity-record-button.png");
  /* Activated as by the keyboard: the click follows a short press */
  g_assert_true (gtk_widget_activate (button));
  ih_ui_wait_for (view_is_record, f->window);
  g_assert_cmpstr (ih_insight_editor_get_activity (editor), ==, id);
  g_assert_cmpstr (gtk_string_object_get_string (gtk_drop_down_get_selected_item (choice)), ==,
                   "Stroud maternity workshop");
  ih_ui_settle ();
  ih_ui_save_png (GTK_WIDGET (f->window), "window-record-for-activity.png");

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text)),
                            "The workshop was too far from the bus stop.", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.save", NULL));
  insights = ih_store_list (f->store, &ih_insight_class, &error);
  g_assert_no_error (error);
  g_ptr_array_set_free_func (insights, ih_record_free);
  g_assert_cmpuint (insights->len, ==, 1);
  g_assert_cmpstr (((IhInsight *) g_ptr_array_index (insights, 0))->activity_id, ==, id);
}

static gboolean
not_exporting (gpointer data)
{
  return !ih_library_view_get_exporting (data);
}

static gboolean
collect_id (const char *id,
            gpointer    user_data)
{
  g_ptr_array_add (user_data, g_strdup (id));
  return TRUE;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The ids of the live insight in @store matching @text, sorted */
static GPtrArray *
matching_ids (IhStore    *store,
              const char *text)
{
  g_autoptr(IhSearch) search = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  search = ih_search_new (store, text, IH_QUERY_FLAG_PREFIX_LAST, &error);
  g_assert_no_error (error);
  g_assert_true (ih_search_foreach_id (search, collect_id, ids, &error));
  g_assert_no_error (error);
  g_ptr_array_sort (ids, compare_ids);
  return ids;
}

/* Ctrl+E writes the results of the search as CSV: read back into an empty
 * store, they are the same insight */
static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  StateWanted want = { f->library, "results", 2 };
  g_autofree char *path = g_build_filename (f->dir, "bus.csv", NULL);
  g_autofree char *copy_path = g_build_filename (f->dir, "copy.db", NULL);
  g_autoptr(IhStore) copy = NULL;
  g_autoptr(IhImportReport) report = NULL;
  g_autoptr(GPtrArray) exported = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *toast = NULL;

  type_search (f, "bus");
  ih_ui_wait_for (library_in_state, &want);

  /* Cancelled at the file chooser: nothing written */
  ih_file_chooser_set_answer (NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.export-results", NULL));
  ih_ui_wait_for (not_exporting, f->library);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  ih_file_chooser_set_answer (path);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.export-results", NULL));
  g_assert_true (ih_library_view_get_exporting (f->library));
  ih_ui_wait_for (not_exporting, f->library);
  ih_file_chooser_clear_answer ();
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  toast = g_strdup_printf ("Exported 2 insights to bus.csv");
  g_assert_cmpstr (ih_window_get_last_toast (f->window), ==, toast);
  ih_ui_save_png (GTK_WIDGET (f->window), "window-exported.png");

  copy = ih_store_open (copy_path, &error);
  g_assert_no_error (error);
  g_assert_true (ih_import_csv (copy, path, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->added, ==, 2);
  g_assert_cmpuint (report->refused, ==, 0);
  exported = matching_ids (copy, "");
  expected = matching_ids (f->store, "bus");
  g_assert_cmpuint (exported->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      g_autoptr(IhInsight) a = ih_store_load (f->store, &ih_insight_class, expected->pdata[i], &error);
      g_autoptr(IhInsight) b = ih_store_load (copy, &ih_insight_class, exported->pdata[i], &error);

      g_assert_cmpstr (exported->pdata[i], ==, expected->pdata[i]);
      g_assert_nonnull (a);
      g_assert_nonnull (b);
      g_assert_cmpstr (a->text, ==, b->text);
      g_assert_cmpstr (a->sentiment, ==, b->sentiment);
      g_assert_cmpstr (a->date, ==, b->date);
    }
}

static gboolean
import_dialog_shown (gpointer data)
{
  IhImportDialog **dialog = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (IH_IS_IMPORT_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        {
          *dialog = IH_IMPORT_DIALOG (window);
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
import_reported (gpointer data)
{
  return g_strcmp0 (ih_import_dialog_get_page (data), "report") == 0;
}

/* Ctrl+I: a spreadsheet imported through the dialog shows in the library */
static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", "workshop-feedback.csv", NULL);
  IhImportDialog *dialog = NULL;
  const IhImportReport *report;
  StateWanted want = { f->library, "results", 0 };

  ih_file_chooser_set_answer (path);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.import", NULL));
  ih_ui_wait_for (import_dialog_shown, &dialog);
  ih_file_chooser_clear_answer ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (f->window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.start", NULL));
  ih_ui_wait_for (import_reported, dialog);
  report = ih_import_dialog_get_report (dialog);
  g_assert_cmpuint (report->added, >, 0);

  /* The library shows them without being asked */
  want.n_items = report->added;
  ih_ui_wait_for (library_in_state, &want);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Down to a phone's width: the view switcher moves to the bottom */
static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  StateWanted want = { f->library, "results", 43 };

  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  ih_ui_wait_for (library_in_state, &want);
  ih_ui_settle ();
  ih_ui_save_png (GTK_WIDGET (f->window), "window-narrow.png");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, 400);
}

/* The main menu's "You Said, We Did" opens the actions in their own window */
static void
test_actions_window (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GList) before = gtk_window_list_toplevels ();
  g_autoptr(GList) after = NULL;
  GtkWidget *opened = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.actions", NULL));
  after = gtk_window_list_toplevels ();
  for (GList *l = after; l != NULL; l = l->next)
    if (g_list_find (before, l->data) == NULL && ih_ui_find_child (l->data, IH_TYPE_ACTIONS_VIEW, NULL) != NULL)
      opened = l->data;
  g_assert_nonnull (opened);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (opened)) == GTK_WINDOW (f->window));
  ih_ui_wait_for (ih_ui_widget_mapped, opened);
  ih_ui_save_png (opened, "window-actions.png");
  gtk_window_destroy (GTK_WINDOW (opened));
}

static gboolean
toast_is (gpointer data)
{
  const char **want = data;

  return g_strcmp0 (ih_window_get_last_toast (IH_WINDOW ((gpointer) want[0])), want[1]) == 0;
}

static gboolean
toast_starts_with (gpointer data)
{
  const char **want = data;

  return g_str_has_prefix (ih_window_get_last_toast (IH_WINDOW ((gpointer) want[0])), want[1]);
}

/* Shift+Ctrl+B writes a board report of the search as PDF, in a worker */
static void
test_board_report (Fixture       *f,
                   gconstpointer  data)
{
  StateWanted want = { f->library, "results", 2 };
  g_autofree char *path = g_build_filename (f->dir, "bus-report.pdf", NULL);
  const char *toast[] = { (const char *) f->window, "Board report saved as bus-report.pdf" };
  g_autoptr(IhPdfDocument) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_page = NULL;

  type_search (f, "bus");
  ih_ui_wait_for (library_in_state, &want);

  ih_file_chooser_set_answer (path);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->library), "library.board-report", NULL));
  ih_ui_wait_for (toast_is, toast);
  ih_file_chooser_clear_answer ();

  /* A real PDF, about this search */
  pdf = ih_pdf_document_open (path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ih_pdf_document_get_n_pages (pdf), >=, 1);
  first_page = ih_pdf_document_get_page_text (pdf, 0, &error);
  g_assert_no_error (error);
  g_test_message ("first page: %s", first_page);
  g_assert_nonnull (strstr (first_page, "bus"));

  /* A folder that does not exist: said plainly, nothing written; then a
   * report can be written again */
  {
    g_autofree char *bad = g_build_filename (f->dir, "no-such-folder", "report.pdf", NULL);
    g_autofree char *again = g_build_filename (f->dir, "again.pdf", NULL);
    const char *failed[] = { (const char *) f->window, "Could not write the board report report.pdf: " };
    const char *saved[] = { (const char *) f->window, "Board report saved as again.pdf" };

    ih_file_chooser_set_answer (bad);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->library), "library.board-report", NULL));
    ih_ui_wait_for (toast_starts_with, failed);
    g_test_message ("%s", ih_window_get_last_toast (f->window));
    g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));

    ih_file_chooser_set_answer (again);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->library), "library.board-report", NULL));
    ih_ui_wait_for (toast_is, saved);
    ih_file_chooser_clear_answer ();
    g_assert_true (g_file_test (again, G_FILE_TEST_IS_REGULAR));
  }
}

/* Preferences: how far back "Already heard" looks is a setting */
static void
test_preferences_fatigue (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (IH_APPLICATION_ID);
  GtkWidget *prefs = ih_window_show_preferences (f->window);
  GtkWidget *spin;

  ih_ui_wait_for (ih_ui_widget_mapped, prefs);
  spin = ih_ui_find_child (prefs, GTK_TYPE_SPIN_BUTTON, "fatigue-months");
  g_assert_nonnull (spin);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 12);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 30);
  g_assert_cmpuint (g_settings_get_uint (settings, "fatigue-months"), ==, 30);
  g_settings_set_uint (settings, "fatigue-months", 6);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 6);
  gtk_window_destroy (GTK_WINDOW (prefs));
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* gtk_test_init() does not isolate directories: keep drafts and state
   * out of the real profile */
  {
    g_autofree char *home = g_dir_make_tmp ("test-window-home-XXXXXX", NULL);
    g_autofree char *state = g_build_filename (home, "state", NULL);
    g_autofree char *config = g_build_filename (home, "config", NULL);

    g_setenv ("XDG_STATE_HOME", state, TRUE);
    g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = g_object_new (IH_TYPE_APPLICATION,
                      "application-id", IH_APPLICATION_ID,
                      "flags", G_APPLICATION_NON_UNIQUE,
                      NULL);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add ("/window/library-states", Fixture, GINT_TO_POINTER (TRUE), fixture_setup, test_library_states, fixture_teardown);
  g_test_add ("/window/empty-library", Fixture, NULL, fixture_setup, test_empty_library, fixture_teardown);
  g_test_add ("/window/keyboard-views", Fixture, GINT_TO_POINTER (TRUE), fixture_setup, test_keyboard_views, fixture_teardown);
  g_test_add ("/window/narrow", Fixture, GINT_TO_POINTER (TRUE), fixture_setup, test_narrow, fixture_teardown);
  g_test_add ("/window/text-size", Fixture, GINT_TO_POINTER (TRUE), fixture_setup, test_text_size, fixture_teardown);
  g_test_add ("/window/board-report", Fixture, GINT_TO_POINTER (TRUE), fixture_setup, test_board_report, fixture_teardown);
  g_test_add ("/window/preferences-fatigue", Fixture, NULL, fixture_setup, test_preferences_fatigue, fixture_teardown);
  g_test_add ("/window/actions-window", Fixture, GINT_TO_POINTER (TRUE), fixture_setup, test_actions_window, fixture_teardown);
  g_test_add ("/window/save-shortcut", Fixture, GINT_TO_POINTER (TRUE), fixture_setup, test_save_shortcut, fixture_teardown);
  g_test_add ("/window/import", Fixture, NULL, fixture_setup, test_import, fixture_teardown);
  g_test_add ("/window/export", Fixture, GINT_TO_POINTER (TRUE), fixture_setup, test_export, fixture_teardown);
  g_test_add ("/window/record-for-activity", Fixture, NULL, fixture_setup, test_record_for_activity, fixture_teardown);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
