/* ih-represent-window.c — who we heard from at an activity beside who
 * lives there: the chart, the table, and exports to CSV and PDF
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-represent-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ih-population.h"
#include "ih-record.h"
#include "ih-report.h"
#include "ih-represent-window.h"

/* The chart's height per line it draws (legend, headings, groups, notes) */
#define CHART_LINE_HEIGHT 20

struct _IhRepresentWindow
{
  AdwWindow          parent_instance;

  GtkWidget         *toast_overlay;
  GtkWidget         *stack;
  GtkWidget         *status_page;
  GtkWidget         *summary_label;
  GtkWidget         *place_box;
  GtkDropDown       *place_dropdown;
  GtkWidget         *note_label;
  GtkWidget         *chart;
  GtkWidget         *table_box;

  IhStore           *store;
  IhScopeKind        scope_kind;
  char              *scope_value;   /* an activity id, a programme, a search */
  GPtrArray         *places;       /* of char *: places with a profile */
  IhRepresentTable  *table;
  gboolean           updating_places;
};

G_DEFINE_FINAL_TYPE (IhRepresentWindow, ih_represent_window, ADW_TYPE_WINDOW)

static gboolean  answer_set;
static char     *answer_path;

/*
 * Auxiliary methods
 */

static GtkWidget *
cell_new (const char *text,
          float       xalign,
          gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  if (xalign > 0.5f)
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

static char *
format_share (double share)
{
  if (isnan (share))
    return g_strdup ("—");
  return g_strdup_printf ("%.1f%%", share * 100.0);
}

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);
}

/* One grid per characteristic: group, respondents, share, population
 * share, flag */
static void
fill_table (IhRepresentWindow *self)
{
  clear_box (self->table_box);

  for (guint i = 0; i < self->table->characteristics->len; i++)
    {
      const IhRepresentCharacteristic *c = g_ptr_array_index (self->table->characteristics, i);
      GtkWidget *heading = gtk_label_new (c->characteristic->label);
      GtkWidget *grid = gtk_grid_new ();
      const char *titles[] = { _("Group"), _("Respondents"), _("Share"), _("Population share"), _("Difference") };

      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "title-4");
      gtk_widget_set_margin_top (heading, 12);
      gtk_box_append (GTK_BOX (self->table_box), heading);

      gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
      gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
      for (guint col = 0; col < G_N_ELEMENTS (titles); col++)
        gtk_grid_attach (GTK_GRID (grid), cell_new (titles[col], col == 0 || col == 4 ? 0 : 1, TRUE),
                         col, 0, 1, 1);

      for (guint r = 0; r < c->rows->len; r++)
        {
          const IhRepresentRow *row = g_ptr_array_index (c->rows, r);
          g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, row->count);
          g_autofree char *observed = format_share (row->observed_share);
          g_autofree char *expected = format_share (row->expected_share);
          const char *label = row->label != NULL ? row->label : _("Left blank");
          GtkWidget *flag = cell_new (ih_represent_flag_label (row->flag), 0, FALSE);

          if (row->flag != IH_REPRESENT_AS_EXPECTED)
            gtk_widget_add_css_class (flag, row->flag == IH_REPRESENT_UNDER ? "error" : "accent");
          gtk_grid_attach (GTK_GRID (grid), cell_new (label, 0, FALSE), 0, r + 1, 1, 1);
          gtk_grid_attach (GTK_GRID (grid), cell_new (count, 1, FALSE), 1, r + 1, 1, 1);
          gtk_grid_attach (GTK_GRID (grid), cell_new (observed, 1, FALSE), 2, r + 1, 1, 1);
          gtk_grid_attach (GTK_GRID (grid), cell_new (expected, 1, FALSE), 3, r + 1, 1, 1);
          gtk_grid_attach (GTK_GRID (grid), flag, 4, r + 1, 1, 1);
        }
      gtk_box_append (GTK_BOX (self->table_box), grid);

      if (c->note != NULL)
        {
          GtkWidget *note = cell_new (c->note, 0, FALSE);

          gtk_widget_add_css_class (note, "dim-label");
          gtk_box_append (GTK_BOX (self->table_box), note);
        }
    }
}

static guint
chart_lines (const IhRepresentTable *table)
{
  guint lines = 1;

  for (guint i = 0; i < table->characteristics->len; i++)
    {
      const IhRepresentCharacteristic *c = g_ptr_array_index (table->characteristics, i);

      lines += c->rows->len + 2;
    }
  return lines;
}

static void
select_place (IhRepresentWindow *self,
              const char        *place)
{
  self->updating_places = TRUE;
  for (guint i = 0; self->places != NULL && i < self->places->len; i++)
    if (g_utf8_collate (g_ptr_array_index (self->places, i), place) == 0)
      gtk_drop_down_set_selected (self->place_dropdown, i);
  self->updating_places = FALSE;
}

/* Shows the table for @place (NULL: the activity's own), or why there is
 * none */
static gboolean
compute (IhRepresentWindow *self,
         const char        *place,
         GError           **error)
{
  g_autoptr(GArray) rids = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *summary = NULL;
  IhRepresentTable *table;

  g_assert (IH_IS_REPRESENT_WINDOW (self));

  if (self->places == NULL || self->places->len == 0)
    {
      adw_status_page_set_title (ADW_STATUS_PAGE (self->status_page), _("No Population Profile"));
      adw_status_page_set_description (ADW_STATUS_PAGE (self->status_page),
                                       _("Import a population profile with insight-hub-cli population import FILE"));
      gtk_stack_set_visible_child (GTK_STACK (self->stack), self->status_page);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "represent.export-csv", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "represent.export-pdf", FALSE);
      g_set_error_literal (error, IH_POPULATION_ERROR, IH_POPULATION_ERROR_NOT_FOUND,
                           _("Import a population profile with insight-hub-cli population import FILE"));
      return FALSE;
    }

  rids = ih_scope_collect (self->store, self->scope_kind, self->scope_value, error);
  if (rids == NULL)
    return FALSE;
  scope = ih_scope_describe (self->store, self->scope_kind, self->scope_value);

  /* The activity's place may have no profile: then the first one, and the
   * chooser shows it so it can be changed */
  table = ih_represent_compute (self->store, rids, scope, place, error);
  if (table == NULL && place == NULL)
    {
      g_clear_error (error);
      table = ih_represent_compute (self->store, rids, scope, g_ptr_array_index (self->places, 0), error);
      if (table != NULL)
        {
          g_free (table->place_note);
          table->place_note = g_strdup_printf (_("There is no population profile for where this insight comes from: "
                                                 "it is compared with the population of %s."), table->place);
          gtk_widget_set_visible (self->place_box, TRUE);
        }
    }
  if (table == NULL)
    return FALSE;

  g_clear_pointer (&self->table, ih_represent_table_free);
  self->table = table;

  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%s: %lld respondent answered about themselves, "
                                          "compared with the population of %s.",
                                          "%s: %lld respondents answered about themselves, "
                                          "compared with the population of %s.",
                                          table->n_respondents > G_MAXULONG ? G_MAXULONG : (gulong) table->n_respondents),
                             table->scope, (long long) table->n_respondents, table->place);
  gtk_label_set_text (GTK_LABEL (self->summary_label), summary);
  gtk_label_set_text (GTK_LABEL (self->note_label), table->place_note != NULL ? table->place_note : "");
  gtk_widget_set_visible (self->note_label, table->place_note != NULL);
  select_place (self, table->place);

  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->chart),
                                       chart_lines (table) * CHART_LINE_HEIGHT);
  gtk_widget_queue_draw (self->chart);
  fill_table (self);

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "table");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "represent.export-csv", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "represent.export-pdf", TRUE);
  return TRUE;
}

static void
show_toast (IhRepresentWindow *self,
            const char        *message)
{
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay), adw_toast_new (message));
}

typedef gboolean (*ExportFunc) (IhRepresentWindow *self,
                                const char        *path,
                                GError           **error);

static void
export_to (IhRepresentWindow *self,
           GFile             *file,
           ExportFunc         func)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;

  if (file == NULL)
    return;
  path = g_file_get_path (file);
  if (path == NULL)
    {
      show_toast (self, _("The file could not be saved there: choose a folder on this computer."));
      return;
    }
  if (!func (self, path, &error))
    message = g_strdup_printf (_("Could not save “%s”: %s"), path, error->message);
  else
    message = g_strdup_printf (_("Saved “%s”"), path);
  show_toast (self, message);
}

static void
chooser_response_cb (GtkNativeDialog *native,
                     int              response,
                     gpointer         user_data)
{
  IhRepresentWindow *self = IH_REPRESENT_WINDOW (g_object_get_data (G_OBJECT (native), "window"));
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  export_to (self, file, (ExportFunc) user_data);
  g_object_unref (native);
}

static void
choose_and_export (IhRepresentWindow *self,
                   const char        *title,
                   const char        *filter_name,
                   const char        *pattern,
                   const char        *suggested_name,
                   ExportFunc         func)
{
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = NULL;

  if (answer_set)
    {
      g_autoptr(GFile) file = answer_path != NULL ? g_file_new_for_path (answer_path) : NULL;

      export_to (self, file, func);
      return;
    }

  native = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, filter_name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), suggested_name);
  g_object_set_data_full (G_OBJECT (native), "window", g_object_ref (self), g_object_unref);
  g_signal_connect (native, "response", G_CALLBACK (chooser_response_cb), func);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/*
 * Callbacks
 */

static void
draw_chart_cb (GtkDrawingArea *area,
               cairo_t        *cr,
               int             width,
               int             height,
               gpointer        user_data)
{
  IhRepresentWindow *self = IH_REPRESENT_WINDOW (user_data);

  if (self->table != NULL)
    ih_report_draw_representativeness (cr, self->table, width, height);
}

static void
place_selected_cb (IhRepresentWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->place_dropdown);

  if (self->updating_places || self->places == NULL || selected >= self->places->len)
    return;
  ih_represent_window_set_place (self, g_ptr_array_index (self->places, selected));
}

/*
 * Actions
 */

static void
export_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  choose_and_export (IH_REPRESENT_WINDOW (widget), _("Export Who We Heard From as CSV"),
                     _("Spreadsheets (CSV)"), "*.csv", _("who-we-heard-from.csv"),
                     ih_represent_window_export_csv);
}

static void
export_pdf_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  choose_and_export (IH_REPRESENT_WINDOW (widget), _("Export Who We Heard From as PDF"),
                     _("PDF documents"), "*.pdf", _("who-we-heard-from.pdf"),
                     ih_represent_window_export_pdf);
}

/*
 * GObject overrides
 */

static void
ih_represent_window_finalize (GObject *object)
{
  IhRepresentWindow *self = (IhRepresentWindow *) object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->scope_value, g_free);
  g_clear_pointer (&self->places, g_ptr_array_unref);
  g_clear_pointer (&self->table, ih_represent_table_free);

  G_OBJECT_CLASS (ih_represent_window_parent_class)->finalize (object);
}

static void
ih_represent_window_class_init (IhRepresentWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ih_represent_window_finalize;

  gtk_widget_class_install_action (widget_class, "represent.export-csv", NULL, export_csv_action);
  gtk_widget_class_install_action (widget_class, "represent.export-pdf", NULL, export_pdf_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "represent.export-csv", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "represent.export-pdf", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_E, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "represent.export-pdf", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static GtkWidget *
header_button_new (const char *label,
                   const char *action,
                   const char *tooltip)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_tooltip_text (button, tooltip);
  return button;
}

static void
ih_represent_window_init (IhRepresentWindow *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *place_label;
  GtkWidget *csv_button, *pdf_button;

  gtk_window_set_title (GTK_WINDOW (self), _("Who We Heard From"));
  gtk_window_set_default_size (GTK_WINDOW (self), 820, 760);

  csv_button = header_button_new (_("Export _CSV…"), "represent.export-csv",
                                  _("Save the table as a spreadsheet (Ctrl+E)"));
  pdf_button = header_button_new (_("Export _PDF…"), "represent.export-pdf",
                                  _("Save the chart and table as a PDF (Ctrl+Shift+E)"));
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), csv_button);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), pdf_button);
  gtk_box_append (GTK_BOX (content), header);

  self->status_page = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->status_page), "x-office-spreadsheet-symbolic");
  gtk_widget_set_vexpand (self->status_page, TRUE);

  self->summary_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->summary_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->summary_label), TRUE);
  gtk_box_append (GTK_BOX (box), self->summary_label);

  self->place_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  place_label = gtk_label_new_with_mnemonic (_("Compare with the population _of"));
  self->place_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  gtk_label_set_mnemonic_widget (GTK_LABEL (place_label), GTK_WIDGET (self->place_dropdown));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->place_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Compare with the population of"),
                                  -1);
  gtk_box_append (GTK_BOX (self->place_box), place_label);
  gtk_box_append (GTK_BOX (self->place_box), GTK_WIDGET (self->place_dropdown));
  gtk_box_append (GTK_BOX (box), self->place_box);

  self->note_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->note_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->note_label), TRUE);
  gtk_widget_add_css_class (self->note_label, "dim-label");
  gtk_box_append (GTK_BOX (box), self->note_label);

  self->chart = gtk_drawing_area_new ();
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->chart), draw_chart_cb, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->chart),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Chart of the share of respondents in each group beside the population’s; the table below gives the same figures"),
                                  -1);
  gtk_box_append (GTK_BOX (box), self->chart);

  self->table_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), self->table_box);

  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 760);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_widget_set_vexpand (scrolled, TRUE);

  self->stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (self->stack), scrolled, "table");
  gtk_stack_add_named (GTK_STACK (self->stack), self->status_page, "status");
  gtk_box_append (GTK_BOX (content), self->stack);

  self->toast_overlay = adw_toast_overlay_new ();
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (self->toast_overlay), content);
  adw_window_set_content (ADW_WINDOW (self), self->toast_overlay);

  g_signal_connect_object (self->place_dropdown, "notify::selected",
                           G_CALLBACK (place_selected_cb), self, G_CONNECT_SWAPPED);
}

/*
 * Public API
 */

GtkWidget *
ih_represent_window_new (IhStore    *store,
                         const char *activity_id)
{
  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  g_return_val_if_fail (activity_id != NULL, NULL);

  return ih_represent_window_new_for_scope (store, IH_SCOPE_ACTIVITY, activity_id);
}

GtkWidget *
ih_represent_window_new_for_scope (IhStore     *store,
                                   IhScopeKind  kind,
                                   const char  *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) names = NULL;
  IhRepresentWindow *self;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  g_return_val_if_fail (value != NULL, NULL);

  self = g_object_new (IH_TYPE_REPRESENT_WINDOW, NULL);
  self->store = g_object_ref (store);
  self->scope_kind = kind;
  self->scope_value = g_strdup (value);

  self->places = ih_population_list_places (store, &error);
  if (self->places == NULL)
    g_debug ("Could not list population profiles: %s", error->message);
  g_clear_error (&error);

  names = gtk_string_list_new (NULL);
  for (guint i = 0; self->places != NULL && i < self->places->len; i++)
    gtk_string_list_append (names, g_ptr_array_index (self->places, i));
  self->updating_places = TRUE;
  gtk_drop_down_set_model (self->place_dropdown, G_LIST_MODEL (names));
  self->updating_places = FALSE;
  /* A choice only when there is one to make */
  gtk_widget_set_visible (self->place_box, self->places != NULL && self->places->len > 1);

  if (!compute (self, NULL, &error) && self->places != NULL && self->places->len > 0)
    {
      adw_status_page_set_title (ADW_STATUS_PAGE (self->status_page), _("Nothing to Compare"));
      adw_status_page_set_description (ADW_STATUS_PAGE (self->status_page), error->message);
      gtk_stack_set_visible_child (GTK_STACK (self->stack), self->status_page);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "represent.export-csv", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "represent.export-pdf", FALSE);
    }

  return GTK_WIDGET (self);
}

const IhRepresentTable *
ih_represent_window_get_table (IhRepresentWindow *self)
{
  g_return_val_if_fail (IH_IS_REPRESENT_WINDOW (self), NULL);

  return self->table;
}

gboolean
ih_represent_window_set_place (IhRepresentWindow *self,
                               const char        *place)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (IH_IS_REPRESENT_WINDOW (self), FALSE);
  g_return_val_if_fail (place != NULL, FALSE);

  if (!compute (self, place, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not compare with %s: %s"), place, error->message);

      show_toast (self, message);
      if (self->table != NULL)
        select_place (self, self->table->place);
      return FALSE;
    }
  return TRUE;
}

gboolean
ih_represent_window_export_csv (IhRepresentWindow *self,
                                const char        *path,
                                GError           **error)
{
  g_autofree char *csv = NULL;

  g_return_val_if_fail (IH_IS_REPRESENT_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->table == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("There is no table to export"));
      return FALSE;
    }
  csv = ih_represent_to_csv (self->table);
  return g_file_set_contents (path, csv, -1, error);
}

gboolean
ih_represent_window_export_pdf (IhRepresentWindow *self,
                                const char        *path,
                                GError           **error)
{
  g_return_val_if_fail (IH_IS_REPRESENT_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->table == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("There is no table to export"));
      return FALSE;
    }
  return ih_report_write_representativeness_pdf (self->table, path, error);
}

void
ih_represent_window_set_answer (const char *path)
{
  answer_set = TRUE;
  g_clear_pointer (&answer_path, g_free);
  answer_path = g_strdup (path);
}

void
ih_represent_window_clear_answer (void)
{
  answer_set = FALSE;
  g_clear_pointer (&answer_path, g_free);
}
