/* ih-sync-client.h — sync over HTTP(S): signing in, and the transport the
 * sync engine uses to reach insight-hub-server
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ih-store.h"
#include "ih-sync-engine.h"

G_BEGIN_DECLS

#define IH_TYPE_SYNC_CLIENT (ih_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (IhSyncClient, ih_sync_client, IH, SYNC_CLIENT, GObject)

/* @base_url: "https://sync.example.org" (plain http only for loopback
 * and tests) */
IhSyncClient *ih_sync_client_new           (const char     *base_url);
const char   *ih_sync_client_get_base_url  (IhSyncClient   *self);
/* POST /api/v1/login; keeps the token. Blocking: call it off the main
 * thread in an app. */
gboolean      ih_sync_client_login         (IhSyncClient   *self,
                                            const char     *email,
                                            const char     *password,
                                            GCancellable   *cancellable,
                                            GError        **error);
void          ih_sync_client_set_token     (IhSyncClient   *self,
                                            const char     *token);
char         *ih_sync_client_dup_token     (IhSyncClient   *self);
/* An engine that syncs @store with this server */
IhSyncEngine *ih_sync_client_new_engine    (IhSyncClient   *self,
                                            IhStore        *store);

G_END_DECLS
