/* ih-activity-editor-private.h — for tests of the activity form
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ih-activity-editor.h"

G_BEGIN_DECLS

/* TRUE while "Already heard" is waiting for the fields to be still or
 * for its look-up to finish */
gboolean _ih_activity_editor_fatigue_pending (IhActivityEditor *self);

G_END_DECLS
