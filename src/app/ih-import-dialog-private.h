/* ih-import-dialog-private.h — for tests of the import dialog
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ih-import-dialog.h"

G_BEGIN_DECLS

/* While @hold is TRUE, the import waits at its first progress report
 * until it is stopped, so that a test can stop it midway whatever the
 * speed of the machine */
void _ih_import_dialog_hold_progress (IhImportDialog *self,
                                      gboolean        hold);

G_END_DECLS
