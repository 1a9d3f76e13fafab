/* ih-sync-server.h — the server side of sync as plain functions on a
 * store, so the HTTP layer only moves JSON (docs/protocol.md)
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ih-store.h"
#include "ih-sync.h"
#include "ih-types.h"

G_BEGIN_DECLS

#define IH_SYNC_MAX_PUSH       1000   /* changes in one push */
#define IH_SYNC_DEFAULT_LIMIT  1000   /* feed entries in one pull */
#define IH_SYNC_MAX_LIMIT      5000

/* Applies a push request {"epoch", "device", "changes"} by @author in one
 * transaction and returns {"epoch", "results"}. A malformed request is
 * IH_SYNC_ERROR_PROTOCOL (the message names the member); an epoch other
 * than the server's is IH_SYNC_ERROR_EPOCH. Refusals are results. */
JsonObject  *ih_sync_server_push       (IhStore     *store,
                                        const char  *author,
                                        IhRole       role,
                                        JsonObject  *request,
                                        GError     **error);
/* One batch of the change feed after @since, at most @limit entries (0
 * for the default), filtered for @role: the text of
 * ih_sync_server_changes_text() parsed. */
JsonObject  *ih_sync_server_changes    (IhStore     *store,
                                        gint64       since,
                                        guint        limit,
                                        IhRole       role,
                                        GError     **error);
/* The same batch as compact JSON text, written as it is read (no JSON
 * tree): what the HTTP server sends. @length (may be NULL) is set to its
 * length in bytes. */
char        *ih_sync_server_changes_text (IhStore   *store,
                                          gint64     since,
                                          guint      limit,
                                          IhRole     role,
                                          gsize     *length,
                                          GError   **error);
char        *ih_sync_server_get_epoch  (IhStore     *store,
                                        GError     **error);
/* After restoring the server's database from a backup: clients re-push
 * what they have and pull from the start. */
gboolean     ih_sync_server_new_epoch  (IhStore     *store,
                                        GError     **error);
/* Takes @epoch as the sync epoch (the HTTP server keeps its own, reset by
 * `insight-hub-server reset-epoch`); a change starts a new epoch. */
gboolean     ih_sync_server_use_epoch  (IhStore     *store,
                                        const char  *epoch,
                                        GError     **error);
gboolean     ih_sync_server_may_write  (IhRole               role,
                                        const IhRecordClass *klass);

G_END_DECLS
