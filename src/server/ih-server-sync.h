/* ih-server-sync.h — the sync endpoints of insight-hub-server
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ih-server.h"

G_BEGIN_DECLS

/* Adds GET /api/v1/changes, POST /api/v1/push and
 * POST /api/v1/conflicts/{id}/resolve (docs/protocol.md), and makes the
 * server's epoch the sync epoch. Returns FALSE when the store fails. */
gboolean  _ih_server_sync_register (IhServer  *server,
                                    GError   **error);

G_END_DECLS
