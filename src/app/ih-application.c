/* ih-application.c
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-application"

#include "config.h"

#include <glib/gi18n.h>

#include "ih-application.h"
#include "ih-window.h"

struct _IhApplication
{
  AdwApplication  parent_instance;

  /* Owned References */
  IhStore        *store;
  char           *db_path;
};

G_DEFINE_FINAL_TYPE (IhApplication, ih_application, ADW_TYPE_APPLICATION)

IhApplication *
ih_application_new (void)
{
  return g_object_new (IH_TYPE_APPLICATION,
                       "application-id", IH_APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

IhStore *
ih_application_get_store (IhApplication  *self,
                          GError        **error)
{
  g_return_val_if_fail (IH_IS_APPLICATION (self), NULL);

  if (self->store == NULL)
    {
      g_autofree char *path = self->db_path ? g_strdup (self->db_path) : ih_store_default_path ();

      self->store = ih_store_open (path, error);
    }

  return self->store;
}

/*
 * Actions
 */

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  IhApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "Insight Hub contributors", NULL };

  adw_show_about_window (window,
                         "application-name", _("Insight Hub"),
                         "application-icon", IH_APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Record and search what people tell you about health and care services"),
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static void
sync_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  while (window != NULL && !IH_IS_WINDOW (window))
    window = gtk_window_get_transient_for (window);
  if (window != NULL)
    ih_window_sync_now (IH_WINDOW (window));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  /* From Preferences itself, or a dialog: the main window behind it */
  while (window != NULL && !IH_IS_WINDOW (window))
    window = gtk_window_get_transient_for (window);
  if (window != NULL)
    ih_window_show_preferences (IH_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "sync", sync_action },
  { "preferences", preferences_action },
};

/*
 * GApplication overrides
 */

static void
ih_application_activate (GApplication *app)
{
  IhApplication *self = IH_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  IhStore *store;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  store = ih_application_get_store (self, &error);
  if (store == NULL)
    {
      /* Nothing can be shown without the database: say why, plainly */
      GtkWidget *dialog = adw_message_dialog_new (NULL, _("Insight Hub cannot open its database"),
                                                  error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (app));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  window = GTK_WINDOW (ih_window_new (self, store));
  gtk_window_present (window);
}

static int
ih_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  IhApplication *self = IH_APPLICATION (app);
  const char *db = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("insight-hub %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "db", "^&ay", &db))
    {
      g_free (self->db_path);
      self->db_path = g_strdup (db);
      /* Another database is another instance */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  return -1;
}

static void
ih_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *sync_accels[] = { "<Control>r", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  /* The resources (gtk/help-overlay.ui, the icons) are under the release
   * id's path, also in a development build (org.insighthub.InsightHub.Devel) */
  g_application_set_resource_base_path (app, "/org/insighthub/InsightHub");
  G_APPLICATION_CLASS (ih_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.sync", sync_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);
}

static void
ih_application_finalize (GObject *object)
{
  IhApplication *self = (IhApplication *) object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->db_path, g_free);

  G_OBJECT_CLASS (ih_application_parent_class)->finalize (object);
}

static void
ih_application_class_init (IhApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = ih_application_finalize;
  app_class->activate = ih_application_activate;
  app_class->startup = ih_application_startup;
  app_class->handle_local_options = ih_application_handle_local_options;
}

static void
ih_application_init (IhApplication *self)
{
  static const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Open this database file instead of your own"), N_("PATH") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}
