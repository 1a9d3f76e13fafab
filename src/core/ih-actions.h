/* ih-actions.h — "you said, we did": the actions an insight led to, and
 * the insight behind an action
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ih-store.h"

G_BEGIN_DECLS

/* The live actions linked to @insight_id, oldest first: GPtrArray of
 * IhAction. Tombstoned actions are left out. */
GPtrArray   *ih_actions_for_insight  (IhStore     *store,
                                      const char  *insight_id,
                                      GError     **error);
/* The live insight behind @action_id, oldest first: GPtrArray of
 * IhInsight. Tombstoned and withdrawn insight is left out (the link itself
 * stays in the action, so it syncs as it was). */
GPtrArray   *ih_actions_insights     (IhStore     *store,
                                      const char  *action_id,
                                      GError     **error);
/* Adds or removes one link, by saving the action (so the change syncs as
 * an edit of the action), in one transaction. Linking twice or unlinking
 * what is not linked changes nothing and succeeds. Refuses a tombstoned
 * action or insight, and linking withdrawn insight. */
gboolean     ih_actions_link         (IhStore     *store,
                                      const char  *action_id,
                                      const char  *insight_id,
                                      GError     **error);
gboolean     ih_actions_unlink       (IhStore     *store,
                                      const char  *action_id,
                                      const char  *insight_id,
                                      GError     **error);

G_END_DECLS
