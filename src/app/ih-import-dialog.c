/* ih-import-dialog.c — importing a spreadsheet of feedback: its columns,
 * the import itself, and what became of each row
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-import-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "ih-csv.h"
#include "ih-import-dialog-private.h"
#include "ih-resources.h"

/* Rows of problems shown; Copy gives them all */
#define MAX_PROBLEMS_SHOWN 500

struct _IhImportDialog
{
  AdwWindow             parent_instance;

  /* Template Widgets */
  AdwWindowTitle       *window_title;
  GtkWidget            *close_button;
  GtkWidget            *import_button;
  GtkStack             *stack;
  AdwPreferencesGroup  *columns_group;
  GtkLabel             *columns_error_label;
  AdwStatusPage        *progress_page;
  GtkProgressBar       *progress_bar;
  GtkWidget            *stop_button;
  GtkLabel             *report_title_label;
  AdwPreferencesGroup  *counts_group;
  GtkWidget            *problems_group;
  GtkListBox           *problems_list;
  GtkWidget            *notes_group;
  GtkListBox           *notes_list;
  AdwStatusPage        *failed_page;

  /* Owned References */
  IhStore              *store;
  GFile                *file;
  GPtrArray            *headers;        /* the file's header row */
  GPtrArray            *column_rows;    /* AdwComboRow per header (borrowed) */
  GtkStringList        *field_labels;   /* "Not imported", then each field */
  IhImportReport       *report;
  GCancellable         *cancellable;    /* while importing */
  guint                 progress_source;

  /* Shared with the worker, under progress_lock */
  GMutex                progress_lock;
  GCond                 progress_cond;
  guint64               progress_done;
  guint64               progress_total;
  gboolean              hold_progress;

  gboolean              close_when_done;
};

enum {
  IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (IhImportDialog, ih_import_dialog, ADW_TYPE_WINDOW)

/* How each field of ih_import_fields() is offered */
static const struct
{
  const char *field;
  const char *label;
} field_labels[] = {
  { "id",                N_("Id (to update what an earlier import added)") },
  { "text",              N_("Feedback text") },
  { "kind",              N_("Kind of feedback") },
  { "date",              N_("Date") },
  { "themes",            N_("Themes") },
  { "sentiment",         N_("Sentiment") },
  { "consent",           N_("Consent") },
  { "restricted",        N_("Restricted") },
  { "status",            N_("Status") },
  { "author",            N_("Recorded by") },
  { "activity_id",       N_("Activity id") },
  { "activity",          N_("Activity") },
  { "activity_kind",     N_("Kind of activity") },
  { "activity_date",     N_("Activity date") },
  { "ics",               N_("Integrated care system") },
  { "place",             N_("Place") },
  { "locality",          N_("Locality") },
  { "age_band",          N_("Age band") },
  { "sex",               N_("Sex") },
  { "ethnic_group",      N_("Ethnic group") },
  { "disability",        N_("Disability") },
  { "postcode_district", N_("Postcode district") },
};

static const char *
field_label (const char *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_labels); i++)
    if (g_str_equal (field_labels[i].field, field))
      return _(field_labels[i].label);
  return field;
}

/* The field of choice @position of a column's list, or NULL */
static const char *
field_at (guint position)
{
  const char * const *fields = ih_import_fields ();

  if (position == 0 || position == GTK_INVALID_LIST_POSITION)
    return NULL;
  for (guint i = 0; fields[i] != NULL; i++)
    if (i + 1 == position)
      return fields[i];
  return NULL;
}

static guint
position_of (const char *field)
{
  const char * const *fields = ih_import_fields ();

  for (guint i = 0; field != NULL && fields[i] != NULL; i++)
    if (g_str_equal (fields[i], field))
      return i + 1;
  return 0;
}

static void
show_page (IhImportDialog *self,
           const char     *name)
{
  gboolean columns = g_str_equal (name, "columns");
  gboolean progress = g_str_equal (name, "progress");

  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_widget_set_visible (self->import_button, columns);
  gtk_widget_set_visible (self->close_button, !progress);
  gtk_button_set_label (GTK_BUTTON (self->close_button), columns ? _("_Cancel") : _("_Close"));

  if (progress)
    gtk_widget_grab_focus (self->stop_button);
  else if (!columns)
    gtk_widget_grab_focus (self->close_button);
}

/*
 * Columns
 */

/* Import is possible when one column holds the text and no field is read
 * from two columns */
static void
check_columns (IhImportDialog *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *problem = NULL;
  gboolean has_text = FALSE;

  g_assert (IH_IS_IMPORT_DIALOG (self));

  for (guint i = 0; i < self->column_rows->len && problem == NULL; i++)
    {
      AdwComboRow *row = g_ptr_array_index (self->column_rows, i);
      const char *field = field_at (adw_combo_row_get_selected (row));
      const char *other;

      if (field == NULL)
        continue;
      has_text |= g_str_equal (field, "text");
      other = g_hash_table_lookup (seen, field);
      if (other != NULL)
        problem = g_strdup_printf (_("The columns “%s” and “%s” are both read as %s: choose one"),
                                   other, (char *) g_ptr_array_index (self->headers, i),
                                   field_label (field));
      g_hash_table_insert (seen, (gpointer) field, g_ptr_array_index (self->headers, i));
    }

  if (problem == NULL && !has_text)
    problem = g_strdup (_("Choose the column that holds the feedback text"));

  gtk_label_set_text (self->columns_error_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->columns_error_label), problem != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.start", problem == NULL);
}

static void
show_failure (IhImportDialog *self,
              const char     *message)
{
  adw_status_page_set_description (self->failed_page, message);
  show_page (self, "failed");
}

/* Reads the header row and offers a choice for each column */
static void
load_columns (IhImportDialog *self)
{
  g_autoptr(IhCsvReader) reader = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (self->file);
  const char * const *fields = ih_import_fields ();
  IhCsvStatus status;

  self->field_labels = gtk_string_list_new (NULL);
  gtk_string_list_append (self->field_labels, _("Not imported"));
  for (guint i = 0; fields[i] != NULL; i++)
    gtk_string_list_append (self->field_labels, field_label (fields[i]));

  if (path == NULL)
    {
      show_failure (self, _("Only files on this computer can be imported"));
      return;
    }

  reader = ih_csv_reader_new_from_file (path, &error);
  if (reader == NULL)
    {
      show_failure (self, error->message);
      return;
    }

  status = ih_csv_reader_next (reader, &header, &error);
  if (status != IH_CSV_ROW)
    {
      g_autofree char *message = NULL;

      if (error != NULL)
        message = g_strdup_printf (_("Line %u: the header row cannot be read: %s"),
                                   ih_csv_reader_get_line (reader), error->message);
      else
        message = g_strdup (_("The file is empty: it needs a header row naming the columns"));
      show_failure (self, message);
      return;
    }

  self->headers = g_ptr_array_ref (header);
  g_ptr_array_set_free_func (self->headers, g_free);

  for (guint i = 0; i < header->len; i++)
    {
      const char *name = g_ptr_array_index (header, i);
      GtkWidget *row = adw_combo_row_new ();
      g_autofree char *accessible = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     name[0] != '\0' ? name : _("(column without a name)"));
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (self->field_labels));
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), position_of (ih_import_field_for_header (name)));
      /* Translators: the accessible name of a column's choice, "Column “Age group”" */
      accessible = g_strdup_printf (_("Column “%s”"), name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                      -1);
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (check_columns), self, G_CONNECT_SWAPPED);
      adw_preferences_group_add (self->columns_group, row);
      g_ptr_array_add (self->column_rows, row);
    }

  check_columns (self);
  show_page (self, "columns");
}

/*
 * Importing
 */

typedef struct
{
  IhStore    *store;
  char       *path;
  GHashTable *mapping;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_clear_object (&data->store);
  g_free (data->path);
  g_clear_pointer (&data->mapping, g_hash_table_unref);
  g_free (data);
}

/* In the worker thread */
static gboolean
progress_cb (guint64  done,
             guint64  total,
             gpointer user_data)
{
  IhImportDialog *self = user_data;
  gboolean go_on;

  g_mutex_lock (&self->progress_lock);
  self->progress_done = done;
  self->progress_total = total;
  while (self->hold_progress && !g_cancellable_is_cancelled (self->cancellable))
    g_cond_wait (&self->progress_cond, &self->progress_lock);
  go_on = !g_cancellable_is_cancelled (self->cancellable);
  g_mutex_unlock (&self->progress_lock);

  return go_on;
}

static void
import_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *data = task_data;
  IhImportReport *report = NULL;
  g_autoptr(GError) error = NULL;

  if (!ih_import_csv_mapped (data->store, data->path, data->mapping,
                             progress_cb, source_object, &report, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, report, (GDestroyNotify) ih_import_report_free);
}

static gboolean
update_progress_cb (gpointer user_data)
{
  IhImportDialog *self = user_data;
  guint64 done, total;
  g_autofree char *text = NULL;
  double fraction;

  g_mutex_lock (&self->progress_lock);
  done = self->progress_done;
  total = self->progress_total;
  g_mutex_unlock (&self->progress_lock);

  fraction = total > 0 ? MIN (1.0, (double) done / (double) total) : 0.0;
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  /* Translators: how much of the file is imported, "42 %" */
  text = g_strdup_printf (_("%d %%"), (int) (fraction * 100));
  gtk_progress_bar_set_text (self->progress_bar, text);

  return G_SOURCE_CONTINUE;
}

static GtkWidget *
text_row_new (const char *text)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  /* Selectable: a line number or a reason can be copied */
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 9);
  gtk_widget_set_margin_bottom (label, 9);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  return row;
}

static void
add_count_row (IhImportDialog *self,
               const char     *title,
               guint64         count,
               gboolean        always)
{
  g_autofree char *value = NULL;
  g_autofree char *accessible = NULL;
  GtkWidget *row;
  GtkWidget *label;

  if (count == 0 && !always)
    return;

  value = g_strdup_printf ("%'" G_GUINT64_FORMAT, count);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  label = gtk_label_new (value);
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  accessible = g_strdup_printf ("%s: %s", title, value);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  adw_preferences_group_add (self->counts_group, row);
}

static void
show_report (IhImportDialog *self)
{
  const IhImportReport *report = self->report;
  guint shown;

  gtk_label_set_text (self->report_title_label,
                      report->stopped ? _("Import Stopped") : _("Import Finished"));
  adw_preferences_group_set_description (self->counts_group,
                                         report->stopped
                                         ? _("Stopped before the end of the file: the rows read so far are imported. "
                                             "Import the file again to add the rest; rows already imported are not added twice.")
                                         : NULL);

  add_count_row (self, _("Rows read"), report->rows, TRUE);
  add_count_row (self, _("Added"), report->added, TRUE);
  add_count_row (self, _("Updated"), report->updated, TRUE);
  add_count_row (self, _("Unchanged (already there)"), report->unchanged, TRUE);
  add_count_row (self, _("Not imported"), report->refused, TRUE);
  add_count_row (self, _("New activities"), report->activities_added, FALSE);
  add_count_row (self, _("New themes"), report->themes_added, FALSE);

  shown = MIN (report->problems->len, MAX_PROBLEMS_SHOWN);
  for (guint i = 0; i < shown; i++)
    gtk_list_box_append (self->problems_list, text_row_new (g_ptr_array_index (report->problems, i)));
  if (report->problems->len > shown)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "…and %u more row: Copy gives the whole list",
                                                            "…and %u more rows: Copy gives the whole list",
                                                            report->problems->len - shown),
                                               report->problems->len - shown);
      gtk_list_box_append (self->problems_list, text_row_new (more));
    }
  gtk_widget_set_visible (self->problems_group, report->problems->len > 0);

  for (guint i = 0; i < report->notes->len; i++)
    gtk_list_box_append (self->notes_list, text_row_new (g_ptr_array_index (report->notes, i)));
  gtk_widget_set_visible (self->notes_group, report->notes->len > 0);

  show_page (self, "report");
}

static void
import_done_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  IhImportDialog *self = IH_IMPORT_DIALOG (source_object);
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->progress_source, g_source_remove);
  self->report = g_task_propagate_pointer (G_TASK (result), &error);

  g_mutex_lock (&self->progress_lock);
  g_clear_object (&self->cancellable);
  g_mutex_unlock (&self->progress_lock);

  if (self->report != NULL)
    show_report (self);
  else
    show_failure (self, error->message);

  g_signal_emit (self, signals[IMPORTED], 0);

  if (self->close_when_done)
    gtk_window_close (GTK_WINDOW (self));
}

static void
stop_import (IhImportDialog *self)
{
  if (self->cancellable == NULL)
    return;

  g_mutex_lock (&self->progress_lock);
  g_cancellable_cancel (self->cancellable);
  g_cond_broadcast (&self->progress_cond);
  g_mutex_unlock (&self->progress_lock);

  adw_status_page_set_title (self->progress_page, _("Stopping…"));
  gtk_widget_set_sensitive (self->stop_button, FALSE);
}

/*
 * Actions
 */

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  IhImportDialog *self = IH_IMPORT_DIALOG (widget);
  g_autoptr(GTask) task = NULL;
  ImportData *data;

  if (self->cancellable != NULL || self->report != NULL || self->headers == NULL)
    return;

  data = g_new0 (ImportData, 1);
  data->store = g_object_ref (self->store);
  data->path = g_file_get_path (self->file);
  data->mapping = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < self->column_rows->len; i++)
    {
      const char *field = field_at (adw_combo_row_get_selected (g_ptr_array_index (self->column_rows, i)));

      if (field != NULL)
        g_hash_table_insert (data->mapping, g_strdup (g_ptr_array_index (self->headers, i)), (gpointer) field);
    }

  self->cancellable = g_cancellable_new ();
  self->progress_done = 0;
  self->progress_total = 0;
  update_progress_cb (self);
  self->progress_source = g_timeout_add (100, update_progress_cb, self);
  show_page (self, "progress");

  /* Stopping is not failing: the report comes back either way, so the
   * task itself is not cancellable */
  task = g_task_new (self, NULL, import_done_cb, NULL);
  g_task_set_source_tag (task, start_action);
  g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);
  g_task_run_in_thread (task, import_worker);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  stop_import (IH_IMPORT_DIALOG (widget));
}

static void
copy_problems_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  IhImportDialog *self = IH_IMPORT_DIALOG (widget);
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->report == NULL)
    return;

  for (guint i = 0; i < self->report->problems->len; i++)
    g_string_append_printf (text, "%s\n", (char *) g_ptr_array_index (self->report->problems, i));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text->str);
}

/*
 * GObject overrides
 */

static gboolean
ih_import_dialog_close_request (GtkWindow *window)
{
  IhImportDialog *self = IH_IMPORT_DIALOG (window);

  /* Closing mid-import stops it, keeping what is imported; the window
   * goes once the worker is done */
  if (self->cancellable != NULL)
    {
      self->close_when_done = TRUE;
      stop_import (self);
      return TRUE;
    }

  return GTK_WINDOW_CLASS (ih_import_dialog_parent_class)->close_request (window);
}

static void
ih_import_dialog_dispose (GObject *object)
{
  IhImportDialog *self = (IhImportDialog *) object;

  g_clear_handle_id (&self->progress_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), IH_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (ih_import_dialog_parent_class)->dispose (object);
}

static void
ih_import_dialog_finalize (GObject *object)
{
  IhImportDialog *self = (IhImportDialog *) object;

  g_clear_object (&self->store);
  g_clear_object (&self->file);
  g_clear_object (&self->field_labels);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->headers, g_ptr_array_unref);
  g_clear_pointer (&self->column_rows, g_ptr_array_unref);
  g_clear_pointer (&self->report, ih_import_report_free);
  g_mutex_clear (&self->progress_lock);
  g_cond_clear (&self->progress_cond);

  G_OBJECT_CLASS (ih_import_dialog_parent_class)->finalize (object);
}

static void
ih_import_dialog_class_init (IhImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ih_import_dialog_dispose;
  object_class->finalize = ih_import_dialog_finalize;
  window_class->close_request = ih_import_dialog_close_request;

  signals[IMPORTED] =
    g_signal_new ("imported",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_assert (ih_get_resource () != NULL);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/insighthub/InsightHub/ui/ih-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, IhImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, IhImportDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, IhImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, IhImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, IhImportDialog, columns_group);
  gtk_widget_class_bind_template_child (widget_class, IhImportDialog, columns_error_label);
  gtk_widget_class_bind_template_child (widget_class, IhImportDialog, progress_page);
  gtk_widget_class_bind_template_child (widget_class, IhImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, IhImportDialog, stop_button);
  gtk_widget_class_bind_template_child (widget_class, IhImportDialog, report_title_label);
  gtk_widget_class_bind_template_child (widget_class, IhImportDialog, counts_group);
  gtk_widget_class_bind_template_child (widget_class, IhImportDialog, problems_group);
  gtk_widget_class_bind_template_child (widget_class, IhImportDialog, problems_list);
  gtk_widget_class_bind_template_child (widget_class, IhImportDialog, notes_group);
  gtk_widget_class_bind_template_child (widget_class, IhImportDialog, notes_list);
  gtk_widget_class_bind_template_child (widget_class, IhImportDialog, failed_page);

  gtk_widget_class_install_action (widget_class, "import.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "import.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "import.copy-problems", NULL, copy_problems_action);
  /* Escape closes, as in any dialog (mid-import: stops first) */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ih_import_dialog_init (IhImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_mutex_init (&self->progress_lock);
  g_cond_init (&self->progress_cond);
  self->column_rows = g_ptr_array_new ();
}

/*
 * Public API
 */

IhImportDialog *
ih_import_dialog_new (GtkWindow *parent,
                      IhStore   *store,
                      GFile     *file)
{
  IhImportDialog *self;
  g_autofree char *name = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (IH_TYPE_IMPORT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  self->file = g_object_ref (file);

  name = g_file_get_basename (file);
  adw_window_title_set_subtitle (self->window_title, name);

  load_columns (self);
  return self;
}

const char *
ih_import_dialog_get_page (IhImportDialog *self)
{
  g_return_val_if_fail (IH_IS_IMPORT_DIALOG (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
ih_import_dialog_get_field (IhImportDialog *self,
                            const char     *header)
{
  g_return_val_if_fail (IH_IS_IMPORT_DIALOG (self), NULL);
  g_return_val_if_fail (header != NULL, NULL);

  for (guint i = 0; self->headers != NULL && i < self->headers->len; i++)
    if (g_str_equal (g_ptr_array_index (self->headers, i), header))
      return field_at (adw_combo_row_get_selected (g_ptr_array_index (self->column_rows, i)));
  return NULL;
}

const IhImportReport *
ih_import_dialog_get_report (IhImportDialog *self)
{
  g_return_val_if_fail (IH_IS_IMPORT_DIALOG (self), NULL);

  return self->report;
}

void
_ih_import_dialog_hold_progress (IhImportDialog *self,
                                 gboolean        hold)
{
  g_return_if_fail (IH_IS_IMPORT_DIALOG (self));

  g_mutex_lock (&self->progress_lock);
  self->hold_progress = hold;
  g_cond_broadcast (&self->progress_cond);
  g_mutex_unlock (&self->progress_lock);
}
