/* ih-preferences-window.c — Preferences: the sync server, signing in and
 * how often to sync
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-preferences-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ih-preferences-window.h"
#include "ih-sync.h"

struct _IhPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template Widgets */
  AdwEntryRow          *server_row;
  AdwEntryRow          *email_row;
  GtkEntry             *password_entry;
  AdwActionRow         *status_row;
  GtkSpinner           *spinner;
  GtkButton            *sign_in_button;
  GtkSpinButton        *interval_spin;
  GtkSpinButton        *fatigue_spin;

  /* Owned References */
  IhSyncController     *sync;
  GSettings            *settings;
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (IhPreferencesWindow, ih_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
show_status (IhPreferencesWindow *self,
             const char          *text)
{
  g_assert (IH_IS_PREFERENCES_WINDOW (self));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static void
show_signed_in (IhPreferencesWindow *self)
{
  const char *user = ih_sync_controller_get_user (self->sync);
  g_autofree char *text = NULL;

  g_assert (IH_IS_PREFERENCES_WINDOW (self));

  if (user == NULL)
    {
      show_status (self, _("Not signed in"));
      return;
    }
  if (ih_sync_controller_get_remembered (self->sync))
    text = g_strdup_printf (_("Signed in as %s"), user);
  else
    text = g_strdup_printf (_("Signed in as %s (until Insight Hub is closed: no keyring to keep the sign-in in)"),
                            user);
  show_status (self, text);
}

const char *
ih_preferences_window_get_sign_in_status (IhPreferencesWindow *self)
{
  g_return_val_if_fail (IH_IS_PREFERENCES_WINDOW (self), NULL);
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->status_row));
}

static void
set_busy (IhPreferencesWindow *self,
          gboolean             busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), !busy);
}

static void
sign_in_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(IhPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = ih_sync_controller_sign_in_finish (IH_SYNC_CONTROLLER (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (!ok)
    {
      g_autofree char *text = g_strdup_printf (_("Could not sign in: %s"), error->message);
      show_status (self, text);
      return;
    }
  /* The password is not kept: the server's token is */
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "server-address",
                           gtk_editable_get_text (GTK_EDITABLE (self->server_row)));
  show_signed_in (self);
}

static void
sign_in_clicked_cb (IhPreferencesWindow *self)
{
  g_autofree char *server = NULL;
  const char *email;

  g_assert (IH_IS_PREFERENCES_WINDOW (self));

  server = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));
  email = gtk_editable_get_text (GTK_EDITABLE (self->email_row));
  set_busy (self, TRUE);
  show_status (self, _("Signing in…"));
  ih_sync_controller_sign_in_async (self->sync, server, email,
                                    gtk_editable_get_text (GTK_EDITABLE (self->password_entry)),
                                    self->cancellable, sign_in_done, g_object_ref (self));
}

static void
sync_user_cb (IhPreferencesWindow *self)
{
  if (!gtk_spinner_get_spinning (self->spinner))
    show_signed_in (self);
}

static void
interval_changed_cb (IhPreferencesWindow *self)
{
  guint minutes = (guint) gtk_spin_button_get_value_as_int (self->interval_spin);

  if (self->settings != NULL)
    g_settings_set_uint (self->settings, "sync-interval", minutes);
  else
    ih_sync_controller_set_interval (self->sync, minutes);
}

GtkWidget *
ih_preferences_window_new (GtkWindow        *parent,
                           IhSyncController *sync,
                           GSettings        *settings)
{
  IhPreferencesWindow *self;
  g_autofree char *server = NULL;
  const char *user;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (IH_IS_SYNC_CONTROLLER (sync), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (IH_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  self->sync = g_object_ref (sync);
  self->settings = settings ? g_object_ref (settings) : NULL;

  server = ih_sync_get_server_url (ih_sync_controller_get_store (sync));
  if (server == NULL && settings != NULL)
    server = g_settings_get_string (settings, "server-address");
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server ? server : "");
  user = ih_sync_controller_get_user (sync);
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), user ? user : "");
  if (settings != NULL)
    {
      gtk_spin_button_set_value (self->interval_spin, g_settings_get_uint (settings, "sync-interval"));
      /* How far back the activity form's "Already heard" looks */
      g_settings_bind (settings, "fatigue-months",
                       gtk_spin_button_get_adjustment (self->fatigue_spin), "value",
                       G_SETTINGS_BIND_DEFAULT);
    }
  show_signed_in (self);

  /* "changed" also comes when the keyring has (or has not) kept the sign-in */
  g_signal_connect_object (sync, "changed", G_CALLBACK (sync_user_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->interval_spin, "value-changed", G_CALLBACK (interval_changed_cb),
                           self, G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}

static void
ih_preferences_window_dispose (GObject *object)
{
  IhPreferencesWindow *self = (IhPreferencesWindow *) object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), IH_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (ih_preferences_window_parent_class)->dispose (object);
}

static void
ih_preferences_window_finalize (GObject *object)
{
  IhPreferencesWindow *self = (IhPreferencesWindow *) object;

  g_clear_object (&self->sync);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ih_preferences_window_parent_class)->finalize (object);
}

static void
ih_preferences_window_class_init (IhPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ih_preferences_window_dispose;
  object_class->finalize = ih_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insighthub/InsightHub/ui/ih-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, IhPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, IhPreferencesWindow, email_row);
  gtk_widget_class_bind_template_child (widget_class, IhPreferencesWindow, password_entry);
  gtk_widget_class_bind_template_child (widget_class, IhPreferencesWindow, status_row);
  gtk_widget_class_bind_template_child (widget_class, IhPreferencesWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, IhPreferencesWindow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, IhPreferencesWindow, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, IhPreferencesWindow, fatigue_spin);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_clicked_cb);
}

static void
ih_preferences_window_init (IhPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}
