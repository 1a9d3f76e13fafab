/* ih-sync-controller.h — when the app syncs, and what it says about it:
 * on start, after saves, every few minutes and on demand, off the main
 * thread, backing off after failures
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ih-store.h"

G_BEGIN_DECLS

typedef enum
{
  IH_SYNC_STATE_SIGNED_OUT,     /* no server, or not signed in */
  IH_SYNC_STATE_IDLE,
  IH_SYNC_STATE_SYNCING,
  IH_SYNC_STATE_OFFLINE,        /* the server cannot be reached: retrying */
  IH_SYNC_STATE_ERROR,          /* the server refused or answered wrongly: retrying */
} IhSyncState;

GType ih_sync_state_get_type (void) G_GNUC_CONST;
#define IH_TYPE_SYNC_STATE (ih_sync_state_get_type ())

#define IH_TYPE_SYNC_CONTROLLER (ih_sync_controller_get_type ())
G_DECLARE_FINAL_TYPE (IhSyncController, ih_sync_controller, IH, SYNC_CONTROLLER, GObject)

/* @use_keyring: keep the sign-in in the desktop keyring (libsecret) when
 * one is there; otherwise it lasts until the app quits */
IhSyncController *ih_sync_controller_new              (IhStore          *store,
                                                       gboolean          use_keyring);
/* Looks the sign-in up in the keyring and syncs once if there is one */
void              ih_sync_controller_start            (IhSyncController *self);
/* Something was saved: sync in a few seconds (several saves, one run) */
void              ih_sync_controller_changed          (IhSyncController *self);
/* Sync now (or once more right after the run under way) */
void              ih_sync_controller_sync_now         (IhSyncController *self);
/* Minutes between runs while nothing happens; 0: never */
void              ih_sync_controller_set_interval     (IhSyncController *self,
                                                       guint             minutes);
/* Milliseconds to wait after a save (default 5000) */
void              ih_sync_controller_set_debounce     (IhSyncController *self,
                                                       guint             ms);

/* Signs in off the main thread; on success sets the store up to sync with
 * @server, keeps the sign-in and syncs. The error is in plain words. */
void              ih_sync_controller_sign_in_async    (IhSyncController *self,
                                                       const char       *server,
                                                       const char       *email,
                                                       const char       *password,
                                                       GCancellable     *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer          user_data);
gboolean          ih_sync_controller_sign_in_finish   (IhSyncController *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);
void              ih_sync_controller_sign_out         (IhSyncController *self);

IhStore          *ih_sync_controller_get_store        (IhSyncController *self);
IhSyncState       ih_sync_controller_get_state        (IhSyncController *self);
const char       *ih_sync_controller_get_user         (IhSyncController *self);
/* Unix time of the last run that succeeded, 0 if none yet */
gint64            ih_sync_controller_get_last_sync    (IhSyncController *self);
gint64            ih_sync_controller_get_pending      (IhSyncController *self);
guint             ih_sync_controller_get_conflicts    (IhSyncController *self);
/* The last failure in plain words, or NULL */
const char       *ih_sync_controller_get_last_error   (IhSyncController *self);
/* Seconds until the next attempt after a failure, 0 if none is due */
guint             ih_sync_controller_get_retry_in     (IhSyncController *self);
/* TRUE when the sign-in is kept in the keyring, FALSE in memory only */
gboolean          ih_sync_controller_get_remembered   (IhSyncController *self);
/* What the status area says, one line: "Synced 2 minutes ago" … */
char             *ih_sync_controller_dup_summary      (IhSyncController *self);
/* Counts again the changes waiting and the conflicts */
void              ih_sync_controller_refresh          (IhSyncController *self);

G_END_DECLS
