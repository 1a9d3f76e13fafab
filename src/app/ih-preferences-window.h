/* ih-preferences-window.h — Preferences: the sync server, signing in and
 * how often to sync
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ih-sync-controller.h"

G_BEGIN_DECLS

#define IH_TYPE_PREFERENCES_WINDOW (ih_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (IhPreferencesWindow, ih_preferences_window, IH, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* @settings may be NULL (no schema installed): the interval is then not kept */
GtkWidget  *ih_preferences_window_new            (GtkWindow        *parent,
                                                  IhSyncController *sync,
                                                  GSettings        *settings);
/* What the sign-in line says: "Signed in as …", or why signing in failed */
const char *ih_preferences_window_get_sign_in_status (IhPreferencesWindow *self);

G_END_DECLS
