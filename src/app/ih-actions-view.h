/* ih-actions-view.h — "you said, we did": the actions taken, each with
 * the insight behind it
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ih-store.h"

G_BEGIN_DECLS

#define IH_TYPE_ACTIONS_VIEW (ih_actions_view_get_type ())
G_DECLARE_FINAL_TYPE (IhActionsView, ih_actions_view, IH, ACTIONS_VIEW, AdwBin)

GtkWidget  *ih_actions_view_new           (IhStore       *store);
/* Lists the actions again from the store */
void        ih_actions_view_reload        (IhActionsView *self);
/* Shows the stored action @id in the form; FALSE (and an empty form)
 * when there is none */
gboolean    ih_actions_view_load          (IhActionsView *self,
                                           const char    *id);
/* Empties the form for a new action (also "actions.new", Ctrl+N) */
void        ih_actions_view_clear         (IhActionsView *self);
/* The id of the action in the form, or NULL for a new one */
const char *ih_actions_view_get_action_id (IhActionsView *self);
/* Validates and saves the form (also "actions.save", Ctrl+S); on failure
 * shows why and saves nothing */
gboolean    ih_actions_view_save          (IhActionsView *self);

G_END_DECLS
