/* ih-window.c — the main window: the library to search and the form to
 * record feedback, as two views
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ih-actions-view.h"
#include "ih-activities-view.h"
#include "ih-conflicts-window.h"
#include "ih-file-chooser.h"
#include "ih-import-dialog.h"
#include "ih-insight-editor.h"
#include "ih-library-view.h"
#include "ih-meetings-view.h"
#include "ih-preferences-window.h"
#include "ih-window.h"

struct _IhWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template Widgets */
  AdwViewStack         *stack;
  AdwToastOverlay      *toast_overlay;
  GtkBox               *library_box;
  GtkBox               *record_box;
  GtkBox               *activities_box;
  GtkBox               *meetings_box;
  GtkMenuButton        *sync_button;
  GtkLabel             *sync_summary;
  GtkLabel             *sync_pending;
  GtkButton            *sync_conflicts;
  GtkButton            *sync_sign_in;

  /* Borrowed References */
  GtkWidget            *library;
  GtkWidget            *editor;
  GtkWidget            *activities;
  GtkWidget            *meetings;

  /* Owned References */
  IhStore              *store;
  GSettings            *settings;
  GtkCssProvider       *text_size_css;
  IhSyncController     *sync;

  guint                 sync_tick_id;

  double                text_size;
  char                 *last_toast;
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (IhWindow, ih_window, ADW_TYPE_APPLICATION_WINDOW)

IhWindow *
ih_window_new (IhApplication *app,
               IhStore       *store)
{
  g_return_val_if_fail (IH_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  return g_object_new (IH_TYPE_WINDOW,
                       "application", app,
                       "store", store,
                       NULL);
}

void
ih_window_set_view (IhWindow   *self,
                    const char *name)
{
  g_return_if_fail (IH_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  adw_view_stack_set_visible_child_name (self->stack, name);
}

const char *
ih_window_get_view (IhWindow *self)
{
  g_return_val_if_fail (IH_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->stack);
}

GtkWidget *
ih_window_get_library (IhWindow *self)
{
  g_return_val_if_fail (IH_IS_WINDOW (self), NULL);
  return self->library;
}

const char *
ih_window_get_last_toast (IhWindow *self)
{
  g_return_val_if_fail (IH_IS_WINDOW (self), NULL);
  return self->last_toast;
}

GtkWidget *
ih_window_get_editor (IhWindow *self)
{
  g_return_val_if_fail (IH_IS_WINDOW (self), NULL);
  return self->editor;
}

IhSyncController *
ih_window_get_sync_controller (IhWindow *self)
{
  g_return_val_if_fail (IH_IS_WINDOW (self), NULL);
  return self->sync;
}

GtkWidget *
ih_window_show_preferences (IhWindow *self)
{
  GtkWidget *prefs;

  g_return_val_if_fail (IH_IS_WINDOW (self), NULL);

  prefs = ih_preferences_window_new (GTK_WINDOW (self), self->sync, self->settings);
  gtk_window_present (GTK_WINDOW (prefs));
  return prefs;
}

GtkWidget *
ih_window_show_conflicts (IhWindow *self)
{
  GtkWidget *conflicts;

  g_return_val_if_fail (IH_IS_WINDOW (self), NULL);

  conflicts = ih_conflicts_window_new (GTK_WINDOW (self), self->sync);
  gtk_window_present (GTK_WINDOW (conflicts));
  return conflicts;
}

void
ih_window_sync_now (IhWindow *self)
{
  g_return_if_fail (IH_IS_WINDOW (self));
  ih_sync_controller_sync_now (self->sync);
}

/*
 * Auxiliary methods
 */

/* NULL when the schema is neither installed nor in GSETTINGS_SCHEMA_DIR:
 * the window then simply does not remember its state */
static GSettings *
create_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, IH_APPLICATION_ID, TRUE);
  if (schema == NULL)
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}

static void
restore_state (IhWindow *self)
{
  g_autofree char *view = NULL;
  int width;
  int height;

  g_assert (IH_IS_WINDOW (self));

  if (self->settings == NULL)
    return;

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  view = g_settings_get_string (self->settings, "last-view");
  if (adw_view_stack_get_child_by_name (self->stack, view) != NULL)
    adw_view_stack_set_visible_child_name (self->stack, view);
}

static void
save_size (IhWindow *self)
{
  gboolean maximized;
  int width;
  int height;

  g_assert (IH_IS_WINDOW (self));

  if (self->settings == NULL)
    return;

  maximized = gtk_window_is_maximized (GTK_WINDOW (self));
  g_settings_set_boolean (self->settings, "window-maximized", maximized);

  /* The size to come back to when unmaximized, not the screen's */
  if (maximized)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

/*
 * Callbacks
 */

static void
stack_visible_child_name_cb (IhWindow     *self,
                             GParamSpec   *pspec,
                             AdwViewStack *stack)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) key = NULL;
  g_autoptr(GVariant) value = NULL;
  const char *name;

  g_assert (IH_IS_WINDOW (self));

  if (self->settings == NULL)
    return;

  name = adw_view_stack_get_visible_child_name (stack);
  if (name == NULL)
    return;

  /* Only the views the schema lists as choices can be remembered */
  g_object_get (self->settings, "settings-schema", &schema, NULL);
  key = g_settings_schema_get_key (schema, "last-view");
  value = g_variant_ref_sink (g_variant_new_string (name));
  if (g_settings_schema_key_range_check (key, value))
    g_settings_set_value (self->settings, "last-view", value);
}

/* Shows @title in a toast, for @timeout seconds (0: until dismissed) */
static void
show_toast (IhWindow   *self,
            const char *title,
            guint       timeout)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, timeout);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
}

static void
activity_saved_cb (IhWindow *self)
{
  g_assert (IH_IS_WINDOW (self));

  /* The feedback form offers the new or renamed activity at once */
  ih_insight_editor_reload_activities (IH_INSIGHT_EDITOR (self->editor));
  ih_sync_controller_changed (self->sync);
}

static void
library_exported_cb (IhWindow      *self,
                     GFile         *file,
                     gint64         rows,
                     const GError  *error,
                     IhLibraryView *library)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *title = NULL;

  g_assert (IH_IS_WINDOW (self));

  if (error != NULL)
    title = g_strdup_printf (_("Could not export to %s: %s"), name, error->message);
  else
    {
      g_autofree char *count = g_strdup_printf ("%'" G_GINT64_FORMAT, rows);

      /* Translators: "Exported 1,204 insights to insight-2026-01-31.csv" */
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Exported %s insight to %s",
                                            "Exported %s insights to %s",
                                            (gulong) rows),
                               count, name);
    }
  /* A failure stays until read */
  show_toast (self, title, error != NULL ? 0 : 5);
}

static void
library_report_written_cb (IhWindow      *self,
                           GFile         *file,
                           const GError  *error,
                           IhLibraryView *library)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *title = NULL;

  g_assert (IH_IS_WINDOW (self));

  if (error != NULL)
    title = g_strdup_printf (_("Could not write the board report %s: %s"), name, error->message);
  else
    title = g_strdup_printf (_("Board report saved as %s"), name);
  show_toast (self, title, error != NULL ? 0 : 5);
}

static void
editor_saved_cb (IhWindow        *self,
                 gpointer         insight,
                 IhInsightEditor *editor)
{
  g_assert (IH_IS_WINDOW (self));

  show_toast (self, _("Feedback saved"), 5);
  ih_library_view_refresh (IH_LIBRARY_VIEW (self->library));
  ih_sync_controller_changed (self->sync);
}

/*
 * Sync status
 */

static void update_sync_status (IhWindow *self);

static gboolean
sync_tick_cb (gpointer user_data)
{
  IhWindow *self = user_data;

  update_sync_status (self);
  return G_SOURCE_CONTINUE;
}

static void
update_sync_status (IhWindow *self)
{
  IhSyncState state = ih_sync_controller_get_state (self->sync);
  g_autofree char *summary = ih_sync_controller_dup_summary (self->sync);
  g_autofree char *pending = NULL;
  g_autofree char *conflicts_text = NULL;
  g_autofree char *tooltip = NULL;
  gint64 n_pending = ih_sync_controller_get_pending (self->sync);
  guint n_conflicts = ih_sync_controller_get_conflicts (self->sync);
  const char *icon;
  gboolean counting;

  g_assert (IH_IS_WINDOW (self));

  if (n_pending == 0)
    pending = g_strdup (_("Nothing waiting to sync"));
  else
    pending = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld change waiting to sync",
                                            "%lld changes waiting to sync", (gulong) n_pending),
                               (long long) n_pending);
  conflicts_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u conflict to resolve",
                                                 "%u conflicts to resolve", n_conflicts), n_conflicts);
  gtk_label_set_text (self->sync_summary, summary);
  gtk_label_set_text (self->sync_pending, pending);
  gtk_button_set_label (self->sync_conflicts, conflicts_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sync_conflicts),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, conflicts_text, -1);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_conflicts), n_conflicts > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_sign_in), state == IH_SYNC_STATE_SIGNED_OUT);

  switch (state)
    {
    case IH_SYNC_STATE_SYNCING:
      icon = "emblem-synchronizing-symbolic";
      break;
    case IH_SYNC_STATE_OFFLINE:
      icon = "network-offline-symbolic";
      break;
    case IH_SYNC_STATE_ERROR:
      icon = "dialog-warning-symbolic";
      break;
    case IH_SYNC_STATE_SIGNED_OUT:
      icon = "emblem-synchronizing-symbolic";
      break;
    case IH_SYNC_STATE_IDLE:
    default:
      icon = n_conflicts > 0 ? "dialog-warning-symbolic" : "emblem-ok-symbolic";
      break;
    }
  gtk_menu_button_set_icon_name (self->sync_button, icon);
  tooltip = g_strdup_printf ("%s — %s", summary, pending);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_button), tooltip);

  /* "will try again in 40 s" counts down; "Synced 2 minutes ago" ages */
  counting = state == IH_SYNC_STATE_OFFLINE || state == IH_SYNC_STATE_ERROR ||
             ih_sync_controller_get_last_sync (self->sync) > 0;
  if (counting && self->sync_tick_id == 0)
    self->sync_tick_id = g_timeout_add_seconds (1, sync_tick_cb, self);
  else if (!counting)
    g_clear_handle_id (&self->sync_tick_id, g_source_remove);
}

static void
conflicts_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  IhWindow *self = IH_WINDOW (widget);

  gtk_menu_button_popdown (self->sync_button);
  ih_window_show_conflicts (self);
}

/* "You said, we did": the actions and the insight behind them, in a
 * window of their own beside the main views */
static void
actions_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  IhWindow *self = IH_WINDOW (widget);
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *view = ih_actions_view_new (self->store);
  GtkEventController *keys = gtk_shortcut_controller_new ();

  gtk_window_set_title (GTK_WINDOW (window), _("You Said, We Did"));
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  gtk_widget_set_vexpand (view, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), view);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, keys);
  gtk_window_present (GTK_WINDOW (window));
}

static void
settings_interval_cb (IhWindow *self)
{
  ih_sync_controller_set_interval (self->sync, g_settings_get_uint (self->settings, "sync-interval"));
}

/*
 * Text size: larger and smaller as the organisations' own web sites offer
 */

#define TEXT_SIZE_MIN  0.5
#define TEXT_SIZE_MAX  2.5
#define TEXT_SIZE_STEP 0.1

static void
apply_text_size (IhWindow *self,
                 double    size)
{
  g_autofree char *css = NULL;

  /* Whole steps, so repeated presses come back to exactly 100 % */
  size = CLAMP (round (size / TEXT_SIZE_STEP) * TEXT_SIZE_STEP, TEXT_SIZE_MIN, TEXT_SIZE_MAX);
  self->text_size = size;

  css = g_strdup_printf ("window.ih-window { font-size: %d%%; }", (int) round (size * 100));
  gtk_css_provider_load_from_data (self->text_size_css, css, -1);

  if (self->settings != NULL &&
      g_settings_get_double (self->settings, "text-size") != size)
    g_settings_set_double (self->settings, "text-size", size);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.text-larger", size < TEXT_SIZE_MAX);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.text-smaller", size > TEXT_SIZE_MIN);
}

double
ih_window_get_text_size (IhWindow *self)
{
  g_return_val_if_fail (IH_IS_WINDOW (self), 1.0);
  return self->text_size;
}

static void
text_size_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  IhWindow *self = IH_WINDOW (widget);

  if (g_str_equal (action_name, "win.text-larger"))
    apply_text_size (self, self->text_size + TEXT_SIZE_STEP);
  else if (g_str_equal (action_name, "win.text-smaller"))
    apply_text_size (self, self->text_size - TEXT_SIZE_STEP);
  else
    apply_text_size (self, 1.0);
}

/*
 * Actions
 */

/* The HTML copy of the guide: the build tree's when run uninstalled, else
 * the installed one; in the first of the user's languages it is translated
 * into (html/cy/ for Welsh), else in English (html/, the C pages). NULL
 * when neither is there */
static char *
help_html_uri (void)
{
  const char *dirs[] = { g_getenv ("INSIGHT_HUB_HELP_HTML"), HELP_HTML_DIR };
  const char * const *languages = g_get_language_names ();

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      if (dirs[i] == NULL || *dirs[i] == '\0')
        continue;
      /* "cy_GB.UTF-8", "cy_GB", "cy.UTF-8", "cy", …, "C" */
      for (guint j = 0; languages[j] != NULL; j++)
        {
          g_autofree char *index = NULL;

          if (strcmp (languages[j], "C") == 0 || strchr (languages[j], '/') != NULL)
            index = g_build_filename (dirs[i], "index.html", NULL);
          else
            index = g_build_filename (dirs[i], languages[j], "index.html", NULL);
          if (g_file_test (index, G_FILE_TEST_IS_REGULAR))
            return g_filename_to_uri (index, NULL, NULL);
        }
      {
        g_autofree char *index = g_build_filename (dirs[i], "index.html", NULL);

        if (g_file_test (index, G_FILE_TEST_IS_REGULAR))
          return g_filename_to_uri (index, NULL, NULL);
      }
    }
  return NULL;
}

static void
help_unavailable (IhWindow     *self,
                  const GError *error)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("The User Guide Cannot Be Opened"),
                                                       NULL));
  adw_message_dialog_format_body (dialog,
                                  _("Neither the Help viewer (Yelp) nor a web browser could show it: %s"),
                                  error->message);
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_help_html_shown (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(IhWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error))
    help_unavailable (self, error);
}

static void
on_help_shown (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(IhWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;

  if (gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error))
    return;

  /* No Yelp (help: has no handler): the same guide as web pages */
  g_debug ("Cannot show help:insight-hub: %s", error->message);
  html = help_html_uri ();
  if (html == NULL)
    {
      help_unavailable (self, error);
      return;
    }
  gtk_show_uri_full (GTK_WINDOW (self), html, GDK_CURRENT_TIME, NULL,
                     on_help_html_shown, g_object_ref (self));
}

static void
help_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  /* The user guide, installed from help/ and shown by Yelp; its HTML copy
   * in a browser when Yelp is missing */
  gtk_show_uri_full (GTK_WINDOW (widget), "help:insight-hub", GDK_CURRENT_TIME, NULL,
                     on_help_shown, g_object_ref (widget));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  IhWindow *self = IH_WINDOW (widget);

  /* Ctrl+S saves the feedback being written; elsewhere there is nothing
   * unsaved to save */
  if (g_strcmp0 (ih_window_get_view (self), "record") == 0)
    ih_insight_editor_save (IH_INSIGHT_EDITOR (self->editor));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  IhWindow *self = IH_WINDOW (widget);

  ih_window_set_view (self, "library");
  ih_library_view_focus_search (IH_LIBRARY_VIEW (self->library));
}

/* "Record feedback for this activity" in the activity form: the feedback
 * form, with that activity chosen */
static void
record_feedback_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  IhWindow *self = IH_WINDOW (widget);
  IhInsightEditor *editor = IH_INSIGHT_EDITOR (self->editor);

  ih_insight_editor_set_activity (editor, g_variant_get_string (param, NULL));
  ih_window_set_view (self, "record");
  gtk_widget_grab_focus (self->editor);
}

static void
export_results_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  IhWindow *self = IH_WINDOW (widget);

  /* The results of the search in the Library, whichever view is shown */
  ih_window_set_view (self, "library");
  ih_library_view_export (IH_LIBRARY_VIEW (self->library));
}

static void
import_finished_cb (IhWindow       *self,
                    IhImportDialog *dialog)
{
  g_assert (IH_IS_WINDOW (self));

  /* New insight, activities and themes show everywhere */
  ih_library_view_refresh (IH_LIBRARY_VIEW (self->library));
  ih_activities_view_refresh (IH_ACTIVITIES_VIEW (self->activities));
  ih_insight_editor_reload_activities (IH_INSIGHT_EDITOR (self->editor));
  ih_sync_controller_changed (self->sync);
}

static void
import_file_chosen_cb (GObject *owner,
                       GFile   *file,
                       gpointer user_data)
{
  IhWindow *self = IH_WINDOW (owner);
  IhImportDialog *dialog;

  if (file == NULL)
    return;

  dialog = ih_import_dialog_new (GTK_WINDOW (self), self->store, file);
  g_signal_connect_object (dialog, "imported", G_CALLBACK (import_finished_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ih_file_chooser_choose_csv (widget, GTK_FILE_CHOOSER_ACTION_OPEN,
                              _("Import Spreadsheet"), _("_Open"), NULL,
                              G_OBJECT (widget), import_file_chosen_cb, NULL);
}

static void
new_insight_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  IhWindow *self = IH_WINDOW (widget);

  ih_window_set_view (self, "record");
  gtk_widget_grab_focus (self->editor);
}

/*
 * GtkWindow overrides
 */

static gboolean
ih_window_close_request (GtkWindow *window)
{
  GtkWindowClass *parent_class = GTK_WINDOW_CLASS (ih_window_parent_class);

  save_size (IH_WINDOW (window));

  if (parent_class->close_request != NULL)
    return parent_class->close_request (window);

  return FALSE;
}

/*
 * GObject overrides
 */

static void
ih_window_constructed (GObject *object)
{
  IhWindow *self = (IhWindow *) object;

  G_OBJECT_CLASS (ih_window_parent_class)->constructed (object);

  /* The views need the store, which only arrives as a property */
  self->library = ih_library_view_new (self->store);
  gtk_widget_set_hexpand (self->library, TRUE);
  gtk_box_append (self->library_box, self->library);
  g_signal_connect_object (self->library, "exported", G_CALLBACK (library_exported_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->library, "report-written", G_CALLBACK (library_report_written_cb), self, G_CONNECT_SWAPPED);

  self->editor = ih_insight_editor_new (self->store);
  gtk_widget_set_hexpand (self->editor, TRUE);
  gtk_box_append (self->record_box, self->editor);
  g_signal_connect_object (self->editor, "saved", G_CALLBACK (editor_saved_cb), self, G_CONNECT_SWAPPED);

  self->activities = ih_activities_view_new (self->store);
  gtk_widget_set_hexpand (self->activities, TRUE);
  gtk_box_append (self->activities_box, self->activities);
  g_signal_connect_object (ih_activities_view_get_editor (IH_ACTIVITIES_VIEW (self->activities)), "saved",
                           G_CALLBACK (activity_saved_cb), self, G_CONNECT_SWAPPED);

  self->meetings = ih_meetings_view_new (self->store);
  gtk_widget_set_hexpand (self->meetings, TRUE);
  gtk_box_append (self->meetings_box, self->meetings);

  /* Sync: at once if signed in, then after saves and every few minutes */
  self->sync = ih_sync_controller_new (self->store, TRUE);
  g_signal_connect_object (self->sync, "changed", G_CALLBACK (update_sync_status), self, G_CONNECT_SWAPPED);
  if (self->settings != NULL)
    {
      ih_sync_controller_set_interval (self->sync, g_settings_get_uint (self->settings, "sync-interval"));
      g_signal_connect_object (self->settings, "changed::sync-interval", G_CALLBACK (settings_interval_cb),
                               self, G_CONNECT_SWAPPED);
    }
  update_sync_status (self);
  ih_sync_controller_start (self->sync);

  /* Size, maximized state and view come back as they were left */
  restore_state (self);
  g_signal_connect_object (self->stack, "notify::visible-child-name",
                           G_CALLBACK (stack_visible_child_name_cb), self, G_CONNECT_SWAPPED);
}

static void
ih_window_dispose (GObject *object)
{
  IhWindow *self = (IhWindow *) object;

  g_clear_handle_id (&self->sync_tick_id, g_source_remove);
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_clear_object (&self->sync);
  gtk_widget_dispose_template (GTK_WIDGET (self), IH_TYPE_WINDOW);

  G_OBJECT_CLASS (ih_window_parent_class)->dispose (object);
}

static void
ih_window_finalize (GObject *object)
{
  IhWindow *self = (IhWindow *) object;

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->last_toast, g_free);
  if (self->text_size_css != NULL)
    gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                   GTK_STYLE_PROVIDER (self->text_size_css));
  g_clear_object (&self->text_size_css);

  G_OBJECT_CLASS (ih_window_parent_class)->finalize (object);
}

static void
ih_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  IhWindow *self = IH_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ih_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  IhWindow *self = IH_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ih_window_class_init (IhWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = ih_window_constructed;
  object_class->dispose = ih_window_dispose;
  object_class->finalize = ih_window_finalize;
  object_class->get_property = ih_window_get_property;
  object_class->set_property = ih_window_set_property;

  window_class->close_request = ih_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         IH_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/insighthub/InsightHub/ui/ih-window.ui");
  gtk_widget_class_bind_template_child (widget_class, IhWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, IhWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, IhWindow, library_box);
  gtk_widget_class_bind_template_child (widget_class, IhWindow, record_box);
  gtk_widget_class_bind_template_child (widget_class, IhWindow, activities_box);
  gtk_widget_class_bind_template_child (widget_class, IhWindow, meetings_box);
  gtk_widget_class_bind_template_child (widget_class, IhWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, IhWindow, sync_summary);
  gtk_widget_class_bind_template_child (widget_class, IhWindow, sync_pending);
  gtk_widget_class_bind_template_child (widget_class, IhWindow, sync_conflicts);
  gtk_widget_class_bind_template_child (widget_class, IhWindow, sync_sign_in);
  gtk_widget_class_install_action (widget_class, "win.conflicts", NULL, conflicts_action);
  gtk_widget_class_install_action (widget_class, "win.actions", NULL, actions_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_A, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.actions", NULL);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.new-insight", NULL, new_insight_action);
  gtk_widget_class_install_action (widget_class, "win.record-feedback", "s", record_feedback_action);
  gtk_widget_class_install_action (widget_class, "win.export-results", NULL, export_results_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export-results", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-insight", NULL);

  gtk_widget_class_install_action (widget_class, "win.help", NULL, help_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F1, 0, "win.help", NULL);

  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL);

  gtk_widget_class_install_action (widget_class, "win.text-larger", NULL, text_size_action);
  gtk_widget_class_install_action (widget_class, "win.text-smaller", NULL, text_size_action);
  gtk_widget_class_install_action (widget_class, "win.text-reset", NULL, text_size_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "win.text-larger", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "win.text-larger", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "win.text-larger", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "win.text-smaller", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "win.text-smaller", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "win.text-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "win.text-reset", NULL);

  g_type_ensure (IH_TYPE_LIBRARY_VIEW);
  g_type_ensure (IH_TYPE_INSIGHT_EDITOR);
  g_type_ensure (IH_TYPE_ACTIVITIES_VIEW);
  g_type_ensure (IH_TYPE_MEETINGS_VIEW);
}

static void
ih_window_init (IhWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = create_settings ();

  gtk_widget_add_css_class (GTK_WIDGET (self), "ih-window");
  /* A development build's header bar is striped, as in other GNOME apps */
  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
  self->text_size_css = gtk_css_provider_new ();
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                              GTK_STYLE_PROVIDER (self->text_size_css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  apply_text_size (self, self->settings ? g_settings_get_double (self->settings, "text-size") : 1.0);
}
