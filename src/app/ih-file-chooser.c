/* ih-file-chooser.c — asking for a file to open or save, replaceable in
 * tests
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-file-chooser"

#include "config.h"

#include <glib/gi18n.h>

#include "ih-file-chooser.h"

static gboolean answer_set;
static char *answer_path;

typedef struct
{
  GObject          *owner;
  IhFileChosenFunc  callback;
  gpointer          user_data;
  GFile            *answer;
} Choice;

static void
choice_free (Choice *choice)
{
  g_clear_object (&choice->owner);
  g_clear_object (&choice->answer);
  g_free (choice);
}

static gboolean
answer_idle_cb (gpointer data)
{
  Choice *choice = data;

  choice->callback (choice->owner, choice->answer, choice->user_data);
  return G_SOURCE_REMOVE;
}

static void
response_cb (GtkNativeDialog *native,
             int              response,
             gpointer         data)
{
  Choice *choice = data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

  choice->callback (choice->owner, file, choice->user_data);
  choice_free (choice);
  g_object_unref (native);
}

static void
choose (GtkWidget            *parent,
        GtkFileChooserAction  action,
        const char           *title,
        const char           *accept_label,
        const char           *suggested_name,
        gboolean              pdf,
        GObject              *owner,
        IhFileChosenFunc      callback,
        gpointer              user_data)
{
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autoptr(GtkFileFilter) any = NULL;
  GtkRoot *root;
  Choice *choice;

  g_return_if_fail (GTK_IS_WIDGET (parent));
  g_return_if_fail (G_IS_OBJECT (owner));
  g_return_if_fail (callback != NULL);

  choice = g_new0 (Choice, 1);
  choice->owner = g_object_ref (owner);
  choice->callback = callback;
  choice->user_data = user_data;

  if (answer_set)
    {
      choice->answer = answer_path != NULL ? g_file_new_for_path (answer_path) : NULL;
      g_idle_add_full (G_PRIORITY_DEFAULT, answer_idle_cb, choice, (GDestroyNotify) choice_free);
      return;
    }

  root = gtk_widget_get_root (parent);
  native = gtk_file_chooser_native_new (title,
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        action, accept_label, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);

  filter = gtk_file_filter_new ();
  if (pdf)
    {
      gtk_file_filter_set_name (filter, _("PDF documents"));
      gtk_file_filter_add_pattern (filter, "*.pdf");
      gtk_file_filter_add_pattern (filter, "*.PDF");
      gtk_file_filter_add_mime_type (filter, "application/pdf");
    }
  else
    {
      gtk_file_filter_set_name (filter, _("Spreadsheets (CSV)"));
      gtk_file_filter_add_pattern (filter, "*.csv");
      gtk_file_filter_add_pattern (filter, "*.CSV");
      gtk_file_filter_add_mime_type (filter, "text/csv");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  any = gtk_file_filter_new ();
  gtk_file_filter_set_name (any, _("All files"));
  gtk_file_filter_add_pattern (any, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), any);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (native), filter);

  if (suggested_name != NULL && action == GTK_FILE_CHOOSER_ACTION_SAVE)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), suggested_name);

  g_signal_connect (native, "response", G_CALLBACK (response_cb), choice);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

void
ih_file_chooser_choose_csv (GtkWidget            *parent,
                            GtkFileChooserAction  action,
                            const char           *title,
                            const char           *accept_label,
                            const char           *suggested_name,
                            GObject              *owner,
                            IhFileChosenFunc      callback,
                            gpointer              user_data)
{
  choose (parent, action, title, accept_label, suggested_name, FALSE, owner, callback, user_data);
}

void
ih_file_chooser_save_pdf (GtkWidget        *parent,
                          const char       *title,
                          const char       *accept_label,
                          const char       *suggested_name,
                          GObject          *owner,
                          IhFileChosenFunc  callback,
                          gpointer          user_data)
{
  choose (parent, GTK_FILE_CHOOSER_ACTION_SAVE, title, accept_label, suggested_name, TRUE,
          owner, callback, user_data);
}

void
ih_file_chooser_set_answer (const char *path)
{
  g_free (answer_path);
  answer_path = g_strdup (path);
  answer_set = TRUE;
}

void
ih_file_chooser_clear_answer (void)
{
  g_clear_pointer (&answer_path, g_free);
  answer_set = FALSE;
}
