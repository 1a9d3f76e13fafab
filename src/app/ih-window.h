/* ih-window.h
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ih-application.h"
#include "ih-store.h"
#include "ih-sync-controller.h"

G_BEGIN_DECLS

#define IH_TYPE_WINDOW (ih_window_get_type ())
G_DECLARE_FINAL_TYPE (IhWindow, ih_window, IH, WINDOW, AdwApplicationWindow)

IhWindow   *ih_window_new            (IhApplication *app,
                                      IhStore       *store);
/* "library" or "record" */
void        ih_window_set_view       (IhWindow      *self,
                                      const char    *name);
const char *ih_window_get_view       (IhWindow      *self);
GtkWidget  *ih_window_get_library    (IhWindow      *self);
GtkWidget  *ih_window_get_editor     (IhWindow      *self);
/* The text of the last toast shown, or NULL */
const char *ih_window_get_last_toast (IhWindow      *self);
/* 1.0 is the desktop's size; Ctrl+plus and Ctrl+minus change it in 10 % steps */
double      ih_window_get_text_size  (IhWindow      *self);
IhSyncController *ih_window_get_sync_controller (IhWindow *self);
/* Opens Preferences (Ctrl+comma) and returns it */
GtkWidget  *ih_window_show_preferences (IhWindow    *self);
/* Opens the conflicts to resolve and returns that window */
GtkWidget  *ih_window_show_conflicts (IhWindow      *self);
/* Sync Now (Ctrl+R) */
void        ih_window_sync_now       (IhWindow      *self);

G_END_DECLS
