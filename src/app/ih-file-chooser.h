/* ih-file-chooser.h — asking for a file to open or save, replaceable in
 * tests
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* @file is NULL when the person cancelled */
typedef void (*IhFileChosenFunc) (GObject *owner,
                                  GFile   *file,
                                  gpointer user_data);

/* Shows the native file chooser for a CSV file, modal to @parent's window,
 * and calls @callback with @owner (kept alive meanwhile) once a file is
 * chosen or the chooser is cancelled. @suggested_name is for saving. */
void ih_file_chooser_choose_csv       (GtkWidget            *parent,
                                       GtkFileChooserAction  action,
                                       const char           *title,
                                       const char           *accept_label,
                                       const char           *suggested_name,
                                       GObject              *owner,
                                       IhFileChosenFunc      callback,
                                       gpointer              user_data);

/* For tests: every later choice is answered with @path at once, without a
 * chooser (NULL: as if cancelled), until ih_file_chooser_clear_answer() */
/* The same for saving a PDF */
void ih_file_chooser_save_pdf         (GtkWidget            *parent,
                                       const char           *title,
                                       const char           *accept_label,
                                       const char           *suggested_name,
                                       GObject              *owner,
                                       IhFileChosenFunc      callback,
                                       gpointer              user_data);
void ih_file_chooser_set_answer       (const char           *path);
void ih_file_chooser_clear_answer     (void);

G_END_DECLS
