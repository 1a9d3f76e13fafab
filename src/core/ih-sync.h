/* ih-sync.h — the client side of sync on a local store: the outbox of
 * local changes, applying what the server sends, conflicts
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ih-record.h"
#include "ih-store.h"

G_BEGIN_DECLS

#define IH_SYNC_ERROR (ih_sync_error_quark ())

typedef enum
{
  IH_SYNC_ERROR_PROTOCOL,       /* a malformed request or reply; the message names the member */
  IH_SYNC_ERROR_EPOCH,          /* the server was restored: pull first */
  IH_SYNC_ERROR_NOT_SET_UP,     /* the store has no sync server */
  IH_SYNC_ERROR_NOT_FOUND,
  IH_SYNC_ERROR_FORBIDDEN,      /* signed in, but the account's role may not do this (403);
                                 * a sign-in that is missing, wrong or out of date is
                                 * G_IO_ERROR_PERMISSION_DENIED (401) */
} IhSyncError;

GQuark       ih_sync_error_quark      (void);

typedef struct
{
  guint     applied;            /* records written */
  guint     skipped;            /* records already as the server has them */
  guint     purged;             /* records removed (consent, restricted) */
  guint     conflicts;          /* conflicts received */
  gboolean  epoch_changed;      /* the batch was not applied: push, then pull from 0 */
  gint64    cursor;
  gboolean  more;
} IhSyncStats;

typedef struct
{
  char                *id;
  const IhRecordClass *klass;
  char                *record_id;
  GStrv                fields;      /* the fields both sides changed */
  IhRecord            *winner;      /* the version the record now has */
  IhRecord            *loser;       /* the other version, kept whole */
  char                *loser_author;
  gint64               rev;
  gboolean             resolved;
} IhSyncConflict;

void         ih_sync_conflict_free    (IhSyncConflict *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhSyncConflict, ih_sync_conflict_free)

/* Sets the store up to sync with @server_url: from now on every local save
 * is queued; the first time, every record already there is queued too. */
gboolean     ih_sync_setup            (IhStore       *store,
                                       const char    *server_url,
                                       GError       **error);
gboolean     ih_sync_is_set_up        (IhStore       *store);
char        *ih_sync_get_server_url   (IhStore       *store);
gint64       ih_sync_get_cursor       (IhStore       *store);
/* Local changes waiting to be pushed (not counting refused ones) */
gint64       ih_sync_count_pending    (IhStore       *store);
/* Local changes the server refused; they stay until edited again */
gint64       ih_sync_count_refused    (IhStore       *store);

/* A push request with up to @limit pending changes (docs/protocol.md);
 * its "changes" is empty when nothing waits. */
JsonObject  *ih_sync_take_outbox      (IhStore       *store,
                                       guint          limit,
                                       GError       **error);
/* Applies the server's reply to a push, in one transaction. */
gboolean     ih_sync_push_done        (IhStore       *store,
                                       JsonObject    *reply,
                                       GError       **error);
/* Applies one batch of the change feed and stores its cursor, in one
 * transaction. @stats may be NULL. */
gboolean     ih_sync_apply_pull       (IhStore       *store,
                                       JsonObject    *batch,
                                       IhSyncStats   *stats,
                                       GError       **error);

/* GPtrArray of IhSyncConflict, oldest first */
GPtrArray   *ih_sync_list_conflicts   (IhStore       *store,
                                       gboolean       unresolved_only,
                                       GError       **error);
/* Saves @record (the version a person chose) and marks the conflict to be
 * resolved with the next push. */
gboolean     ih_sync_resolve_conflict (IhStore       *store,
                                       const char    *conflict_id,
                                       gpointer       record,
                                       GError       **error);

G_END_DECLS
