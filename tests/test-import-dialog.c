/* test-import-dialog.c — importing a spreadsheet through the dialog's real
 * widgets under Xvfb: the columns step, the import with Stop, the report
 * of refused rows; each page rendered to a PNG to look at
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ih-import-dialog-private.h"
#include "ih-search.h"
#include "ih-ui-test.h"

typedef struct
{
  char           *dir;
  IhStore        *store;
  IhImportDialog *dialog;
  guint           n_imported;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("test-import-dialog-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "import.db", NULL);
  f->store = ih_store_open (path, &error);
  g_assert_no_error (error);
}

static void
close_dialog (Fixture *f)
{
  if (f->dialog == NULL)
    return;
  gtk_window_destroy (GTK_WINDOW (f->dialog));
  ih_ui_iterate (20);
  g_assert_finalize_object (f->dialog);
  f->dialog = NULL;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  close_dialog (f);
  g_clear_object (&f->store);

  dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_clear_pointer (&f->dir, g_free);
}

static void
imported_cb (IhImportDialog *dialog,
             Fixture        *f)
{
  f->n_imported++;
}

/* The dialog for @path, shown */
static void
open_dialog (Fixture    *f,
             const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  close_dialog (f);
  f->n_imported = 0;
  f->dialog = g_object_ref_sink (ih_import_dialog_new (NULL, f->store, file));
  g_signal_connect (f->dialog, "imported", G_CALLBACK (imported_cb), f);
  gtk_window_present (GTK_WINDOW (f->dialog));
  ih_ui_wait_for (ih_ui_widget_mapped, f->dialog);
}

static gpointer
dialog_child (Fixture    *f,
              const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (f->dialog), IH_TYPE_IMPORT_DIALOG, name);

  g_assert_nonnull (child);
  return child;
}

static char *
example_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "examples", name, NULL);
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* The choice for the column headed @header */
static AdwComboRow *
column_row (Fixture    *f,
            const char *header)
{
  GtkWidget *group = dialog_child (f, "columns_group");
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, group);
  while (stack->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (ADW_IS_COMBO_ROW (widget) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), header) == 0)
        return ADW_COMBO_ROW (widget);
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_assert_not_reached ();
}

/* Chooses what the column @header holds by the label a person sees */
static void
choose_field (Fixture    *f,
              const char *header,
              const char *label)
{
  AdwComboRow *row = column_row (f, header);
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), label) == 0)
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }
  g_assert_not_reached ();
}

static gboolean
page_is_not_columns_or_progress (gpointer data)
{
  const char *page = ih_import_dialog_get_page (data);

  return g_strcmp0 (page, "columns") != 0 && g_strcmp0 (page, "progress") != 0;
}

/* Presses Import as a person would, and waits for the import to end */
static const IhImportReport *
press_import (Fixture *f)
{
  GtkWidget *button = dialog_child (f, "import_button");

  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_activate (button));
  ih_ui_wait_for (page_is_not_columns_or_progress, f->dialog);
  g_assert_cmpstr (ih_import_dialog_get_page (f->dialog), ==, "report");
  g_assert_cmpuint (f->n_imported, ==, 1);
  return ih_import_dialog_get_report (f->dialog);
}

static gint64
n_insight (Fixture *f)
{
  return ih_store_count (f->store, &ih_insight_class);
}

/* The text of each row of the list @name on the report page */
static GPtrArray *
list_texts (Fixture    *f,
            const char *name)
{
  GtkWidget *list = dialog_child (f, name);
  GPtrArray *texts = g_ptr_array_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *label = ih_ui_find_child (row, GTK_TYPE_LABEL, NULL);

      if (label != NULL)
        g_ptr_array_add (texts, (gpointer) gtk_label_get_text (GTK_LABEL (label)));
    }
  return texts;
}

/*
 * Tests
 */

/* A file whose headers are the field names: every column pre-filled, all
 * rows imported; imported again, nothing is added twice */
static void
test_workshop (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = example_path ("workshop-feedback.csv");
  const IhImportReport *report;
  gint64 n;

  open_dialog (f, path);
  g_assert_cmpstr (ih_import_dialog_get_page (f->dialog), ==, "columns");
  g_assert_cmpstr (ih_import_dialog_get_field (f->dialog, "text"), ==, "text");
  g_assert_cmpstr (ih_import_dialog_get_field (f->dialog, "activity"), ==, "activity");
  g_assert_cmpstr (ih_import_dialog_get_field (f->dialog, "age_band"), ==, "age_band");
  g_assert_cmpstr (ih_import_dialog_get_field (f->dialog, "place"), ==, "place");
  g_assert_false (gtk_widget_get_visible (dialog_child (f, "columns_error_label")));
  ih_ui_save_png (GTK_WIDGET (f->dialog), "import-columns.png");

  report = press_import (f);
  g_assert_false (report->stopped);
  g_assert_cmpuint (report->refused, ==, 0);
  g_assert_cmpuint (report->added, >, 0);
  g_assert_cmpuint (report->added, ==, report->rows);
  g_assert_cmpint (n_insight (f), ==, (gint64) report->added);
  g_assert_cmpuint (report->activities_added, >=, 1);
  g_assert_false (gtk_widget_get_visible (dialog_child (f, "problems_group")));
  ih_ui_save_png (GTK_WIDGET (f->dialog), "import-report.png");
  n = n_insight (f);

  open_dialog (f, path);
  report = press_import (f);
  g_assert_cmpuint (report->added, ==, 0);
  g_assert_cmpuint (report->unchanged, ==, (guint64) n);
  g_assert_cmpint (n_insight (f), ==, n);
}

static gboolean
collect_id (const char *id,
            gpointer    user_data)
{
  g_ptr_array_add (user_data, g_strdup (id));
  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
all_ids (IhStore *store)
{
  g_autoptr(IhSearch) search = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  search = ih_search_new (store, "", IH_QUERY_FLAG_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (ih_search_foreach_id (search, collect_id, ids, &error));
  g_assert_no_error (error);
  g_ptr_array_sort (ids, compare_strings);
  return ids;
}

/* A survey export whose columns have other names: the text column must be
 * chosen before Import is possible; chosen as the example mapping file
 * says, the records are those the command line makes with that file */
static void
test_survey_mapping (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = example_path ("survey-export.csv");
  g_autofree char *mapping = example_path ("survey-mapping.csv");
  g_autofree char *cli_db = g_build_filename (f->dir, "cli.db", NULL);
  const char *question = "What matters most to you about local health services?";
  g_autoptr(IhStore) cli_store = NULL;
  g_autoptr(IhImportReport) cli_report = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) cli_ids = NULL;
  g_autoptr(GError) error = NULL;
  const IhImportReport *report;

  /* The same names and synonyms as the command line */
  g_assert_cmpstr (ih_import_field_for_header ("Comments"), ==, "text");
  g_assert_cmpstr (ih_import_field_for_header ("Age group"), ==, "age_band");
  g_assert_null (ih_import_field_for_header (question));

  open_dialog (f, path);
  g_assert_null (ih_import_dialog_get_field (f->dialog, question));
  g_assert_cmpstr (ih_import_dialog_get_field (f->dialog, "Age group"), ==, "age_band");
  g_assert_cmpstr (ih_import_dialog_get_field (f->dialog, "Gender"), ==, "sex");
  g_assert_false (gtk_widget_is_sensitive (dialog_child (f, "import_button")));
  g_assert_true (gtk_widget_get_visible (dialog_child (f, "columns_error_label")));
  ih_ui_save_png (GTK_WIDGET (f->dialog), "import-columns-no-text.png");

  choose_field (f, question, "Feedback text");
  g_assert_true (gtk_widget_is_sensitive (dialog_child (f, "import_button")));
  /* One field from two columns is refused too */
  choose_field (f, "Response ID", "Feedback text");
  g_assert_false (gtk_widget_is_sensitive (dialog_child (f, "import_button")));
  g_assert_nonnull (strstr (gtk_label_get_text (dialog_child (f, "columns_error_label")), "Response ID"));
  choose_field (f, "Response ID", "Id (to update what an earlier import added)");
  /* The mapping file maps only these two */
  choose_field (f, "Age group", "Not imported");
  choose_field (f, "Gender", "Not imported");
  g_assert_cmpstr (ih_import_dialog_get_field (f->dialog, "Response ID"), ==, "id");

  report = press_import (f);
  g_assert_cmpuint (report->refused, ==, 0);
  g_assert_cmpuint (report->added, >, 0);

  cli_store = ih_store_open (cli_db, &error);
  g_assert_no_error (error);
  g_assert_true (ih_import_csv (cli_store, path, mapping, NULL, NULL, &cli_report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cli_report->added, ==, report->added);
  ids = all_ids (f->store);
  cli_ids = all_ids (cli_store);
  g_assert_cmpuint (ids->len, ==, cli_ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(IhInsight) a = ih_store_load (f->store, &ih_insight_class, ids->pdata[i], &error);
      g_autoptr(IhInsight) b = ih_store_load (cli_store, &ih_insight_class, cli_ids->pdata[i], &error);

      g_assert_cmpstr (ids->pdata[i], ==, cli_ids->pdata[i]);
      g_assert_cmpstr (a->text, ==, b->text);
    }
}

/* Bad rows are refused one by one, listed with their line numbers and
 * reasons, and can be copied; the good rows are imported */
static void
test_bad_rows (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = write_file (f, "bad.csv",
                                      "text,date,sentiment\n"
                                      "The bus is late,2024-03-01,negative\n"
                                      ",2024-03-02,negative\n"
                                      "The café is nice,31/02/2023,positive\n"
                                      "Parking is hard,2024-03-04,angry\n"
                                      "Staff were kind,2024-03-05,positive\n");
  const IhImportReport *report;
  g_autoptr(GPtrArray) problems = NULL;
  GdkContentProvider *content;
  g_auto(GValue) value = G_VALUE_INIT;

  open_dialog (f, path);
  report = press_import (f);
  g_assert_cmpuint (report->rows, ==, 5);
  g_assert_cmpuint (report->added, ==, 2);
  g_assert_cmpuint (report->refused, ==, 3);
  g_assert_cmpint (n_insight (f), ==, 2);

  g_assert_true (gtk_widget_get_visible (dialog_child (f, "problems_group")));
  problems = list_texts (f, "problems_list");
  g_assert_cmpuint (problems->len, ==, 3);
  g_assert_true (g_str_has_prefix (problems->pdata[0], "line 3: "));
  g_assert_nonnull (strstr (problems->pdata[0], "no feedback text"));
  g_assert_true (g_str_has_prefix (problems->pdata[1], "line 4: "));
  g_assert_nonnull (strstr (problems->pdata[1], "31/02/2023"));
  g_assert_true (g_str_has_prefix (problems->pdata[2], "line 5: "));
  g_assert_nonnull (strstr (problems->pdata[2], "angry"));
  ih_ui_save_png (GTK_WIDGET (f->dialog), "import-report-problems.png");

  /* Copy puts the whole list on the clipboard */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->dialog), "import.copy-problems", NULL));
  content = gdk_clipboard_get_content (gtk_widget_get_clipboard (GTK_WIDGET (f->dialog)));
  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
  g_assert_true (g_str_has_prefix (g_value_get_string (&value), problems->pdata[0]));
  g_assert_nonnull (strstr (g_value_get_string (&value), problems->pdata[2]));
}

static gboolean
progress_shown (gpointer data)
{
  return gtk_progress_bar_get_fraction (data) > 0;
}

/* Stopped midway: what is imported is whole rows, committed, and counted;
 * the same file imported again adds exactly the rest */
static void
test_stop (Fixture       *f,
           gconstpointer  data)
{
  const guint n_rows = 20000;
  g_autoptr(GString) csv = g_string_new ("id,text,date,sentiment\n");
  g_autofree char *path = NULL;
  const IhImportReport *report;
  guint64 first;

  for (guint i = 0; i < n_rows; i++)
    g_string_append_printf (csv, "00000000-0000-4000-8000-%012u,Comment number %u about the bus,2024-01-%02u,%s\n",
                            i, i, i % 28 + 1, i % 2 ? "negative" : "positive");
  path = write_file (f, "large.csv", csv->str);

  open_dialog (f, path);
  /* Held at its first progress report, whatever the machine's speed */
  _ih_import_dialog_hold_progress (f->dialog, TRUE);
  g_assert_true (gtk_widget_activate (dialog_child (f, "import_button")));
  ih_ui_wait_for (progress_shown, dialog_child (f, "progress_bar"));
  g_assert_cmpstr (ih_import_dialog_get_page (f->dialog), ==, "progress");
  ih_ui_save_png (GTK_WIDGET (f->dialog), "import-progress.png");
  g_assert_true (gtk_widget_activate (dialog_child (f, "stop_button")));
  ih_ui_wait_for (page_is_not_columns_or_progress, f->dialog);
  g_assert_cmpstr (ih_import_dialog_get_page (f->dialog), ==, "report");

  report = ih_import_dialog_get_report (f->dialog);
  g_assert_true (report->stopped);
  g_assert_cmpuint (report->added, >, 0);
  g_assert_cmpuint (report->added, <, n_rows);
  g_assert_cmpuint (report->refused, ==, 0);
  g_assert_cmpint (n_insight (f), ==, (gint64) report->added);
  ih_ui_save_png (GTK_WIDGET (f->dialog), "import-report-stopped.png");
  first = report->added;

  open_dialog (f, path);
  report = press_import (f);
  g_assert_false (report->stopped);
  g_assert_cmpuint (report->unchanged, ==, first);
  g_assert_cmpuint (report->added, ==, n_rows - first);
  g_assert_cmpint (n_insight (f), ==, n_rows);
}

/* Escape closes the dialog; during an import it stops it first, keeping
 * what is imported */
static void
test_escape (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = example_path ("workshop-feedback.csv");
  g_autoptr(GString) csv = g_string_new ("text\n");
  g_autofree char *large = NULL;
  GtkWidget *focus;

  open_dialog (f, path);
  focus = gtk_root_get_focus (GTK_ROOT (f->dialog));
  g_assert_true (ih_ui_press_key (focus ? focus : GTK_WIDGET (f->dialog), GDK_KEY_Escape, 0));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->dialog)));
  g_assert_cmpint (n_insight (f), ==, 0);

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (csv, "Comment %u\n", i);
  large = write_file (f, "escape.csv", csv->str);
  open_dialog (f, large);
  _ih_import_dialog_hold_progress (f->dialog, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->dialog), "import.start", NULL));
  ih_ui_wait_for (progress_shown, dialog_child (f, "progress_bar"));
  g_assert_true (ih_ui_press_key (dialog_child (f, "stop_button"), GDK_KEY_Escape, 0));
  /* Closed once the import has stopped */
  ih_ui_wait_for (page_is_not_columns_or_progress, f->dialog);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->dialog)));
  g_assert_cmpuint (f->n_imported, ==, 1);
  g_assert_true (ih_import_dialog_get_report (f->dialog)->stopped);
  g_assert_cmpint (n_insight (f), ==, (gint64) ih_import_dialog_get_report (f->dialog)->added);
}

/* A file that cannot be read as a spreadsheet says why */
static void
test_failed (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = write_file (f, "empty.csv", "");

  open_dialog (f, path);
  g_assert_cmpstr (ih_import_dialog_get_page (f->dialog), ==, "failed");
  g_assert_nonnull (adw_status_page_get_description (dialog_child (f, "failed_page")));
  g_assert_false (gtk_widget_get_visible (dialog_child (f, "import_button")));
  ih_ui_save_png (GTK_WIDGET (f->dialog), "import-failed.png");
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/import-dialog/workshop", Fixture, NULL, fixture_setup, test_workshop, fixture_teardown);
  g_test_add ("/import-dialog/survey-mapping", Fixture, NULL, fixture_setup, test_survey_mapping, fixture_teardown);
  g_test_add ("/import-dialog/bad-rows", Fixture, NULL, fixture_setup, test_bad_rows, fixture_teardown);
  g_test_add ("/import-dialog/stop", Fixture, NULL, fixture_setup, test_stop, fixture_teardown);
  g_test_add ("/import-dialog/escape", Fixture, NULL, fixture_setup, test_escape, fixture_teardown);
  g_test_add ("/import-dialog/failed", Fixture, NULL, fixture_setup, test_failed, fixture_teardown);

  return g_test_run ();
}
