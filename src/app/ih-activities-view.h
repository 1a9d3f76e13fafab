/* ih-activities-view.h — the activities: a list beside the form for the
 * one chosen
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ih-activity-editor.h"
#include "ih-store.h"

G_BEGIN_DECLS

#define IH_TYPE_ACTIVITIES_VIEW (ih_activities_view_get_type ())
G_DECLARE_FINAL_TYPE (IhActivitiesView, ih_activities_view, IH, ACTIVITIES_VIEW, AdwBin)

GtkWidget        *ih_activities_view_new          (IhStore          *store);
/* Reads the activities from the store again, keeping the selection */
void              ih_activities_view_refresh      (IhActivitiesView *self);
/* Selects the activity @id and puts it in the form (NULL: a new one) */
void              ih_activities_view_select       (IhActivitiesView *self,
                                                   const char       *id);
/* Empties the form for a new activity and shows it (action
 * "activities.new") */
void              ih_activities_view_new_activity (IhActivitiesView *self);
IhActivityEditor *ih_activities_view_get_editor   (IhActivitiesView *self);
/* The list model of the activities shown (IhActivity records inside
 * GObjects: use ih_activities_view_get_n_activities() and friends) */
guint             ih_activities_view_get_n_activities (IhActivitiesView *self);
/* The title of the @position-th activity listed, or NULL */
const char       *ih_activities_view_get_title    (IhActivitiesView *self,
                                                   guint             position);
/* The id of the selected activity, or NULL */
const char       *ih_activities_view_get_selected_id (IhActivitiesView *self);
/* "empty" or "list" */
const char       *ih_activities_view_get_state    (IhActivitiesView *self);

G_END_DECLS
