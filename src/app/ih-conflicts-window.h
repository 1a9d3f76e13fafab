/* ih-conflicts-window.h — the sync conflicts to resolve: both versions
 * side by side, keep mine, keep theirs or edit a merged one
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ih-sync-controller.h"

G_BEGIN_DECLS

#define IH_TYPE_CONFLICTS_WINDOW (ih_conflicts_window_get_type ())
G_DECLARE_FINAL_TYPE (IhConflictsWindow, ih_conflicts_window, IH, CONFLICTS_WINDOW, AdwWindow)

GtkWidget *ih_conflicts_window_new     (GtkWindow         *parent,
                                        IhSyncController  *sync);
/* Lists the unresolved conflicts again */
void       ih_conflicts_window_reload  (IhConflictsWindow *self);

G_END_DECLS
