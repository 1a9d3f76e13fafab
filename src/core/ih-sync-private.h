/* ih-sync-private.h — what the store and the two sides of sync share
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ih-record.h"
#include "ih-sync-engine.h"
#include "ih-sync.h"

G_BEGIN_DECLS

/* Schema step 4: sync bookkeeping. Client side: sync_state (one row once
 * the store is set up for sync), sync_outbox (one pending change per
 * record), sync_conflict. Server side: sync_server (epoch and sequence),
 * sync_feed (the latest change of each record, conflict and purge),
 * sync_field_rev (when and by which device each field last changed),
 * sync_applied (results by change_id), sync_purged. */
#define _IH_SYNC_SCHEMA_SQL \
  "CREATE TABLE sync_state (" \
  "  one INTEGER PRIMARY KEY CHECK (one = 1)," \
  "  server_url TEXT," \
  "  device TEXT NOT NULL," \
  "  epoch TEXT," \
  "  cursor INTEGER NOT NULL DEFAULT 0," \
  "  last_sync INTEGER);" \
  "CREATE TABLE sync_outbox (" \
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT," \
  "  type TEXT NOT NULL," \
  "  id TEXT NOT NULL," \
  "  change_id TEXT NOT NULL," \
  "  base_rev INTEGER NOT NULL," \
  "  changed_fields TEXT NOT NULL," \
  "  sent INTEGER NOT NULL DEFAULT 0," \
  "  rebase INTEGER NOT NULL DEFAULT 0," \
  "  resolves TEXT," \
  "  refused TEXT," \
  "  UNIQUE (type, id));" \
  "CREATE TABLE sync_conflict (" \
  "  id TEXT PRIMARY KEY," \
  "  type TEXT NOT NULL," \
  "  record_id TEXT NOT NULL," \
  "  fields TEXT NOT NULL," \
  "  winner TEXT NOT NULL," \
  "  loser TEXT NOT NULL," \
  "  loser_author TEXT," \
  "  rev INTEGER NOT NULL," \
  "  resolved INTEGER NOT NULL DEFAULT 0);" \
  "CREATE INDEX sync_conflict_by_record ON sync_conflict (type, record_id);" \
  "CREATE TABLE sync_server (" \
  "  one INTEGER PRIMARY KEY CHECK (one = 1)," \
  "  epoch TEXT NOT NULL," \
  "  seq INTEGER NOT NULL," \
  "  epoch_start INTEGER NOT NULL);" \
  "CREATE TABLE sync_feed (" \
  "  seq INTEGER PRIMARY KEY," \
  "  kind TEXT NOT NULL," \
  "  type TEXT NOT NULL," \
  "  id TEXT NOT NULL," \
  "  UNIQUE (kind, type, id));" \
  "CREATE TABLE sync_field_rev (" \
  "  type TEXT NOT NULL," \
  "  id TEXT NOT NULL," \
  "  revs TEXT NOT NULL," \
  "  PRIMARY KEY (type, id)) WITHOUT ROWID;" \
  "CREATE TABLE sync_applied (" \
  "  change_id TEXT PRIMARY KEY," \
  "  result TEXT NOT NULL) WITHOUT ROWID;" \
  "CREATE TABLE sync_purged (" \
  "  type TEXT NOT NULL," \
  "  id TEXT NOT NULL," \
  "  seq INTEGER NOT NULL," \
  "  PRIMARY KEY (type, id)) WITHOUT ROWID;"

/* Runs a cached statement; @fmt has one letter a parameter: s text (NULL
 * for null), i gint64. The caller holds the store's lock. */
gboolean  _ih_sync_run            (IhStore     *store,
                                   const char  *sql,
                                   GError     **error,
                                   const char  *fmt,
                                   ...);

/* Called by the store inside every local save, before the row is written
 * (@existing_rid 0 for a new record): queues the change in the outbox. */
gboolean  _ih_sync_store_capture  (IhStore   *store,
                                   IhRecord  *record,
                                   gint64     existing_rid,
                                   GError   **error);

/* Applies a record from the server to a client store under the rules of
 * docs/protocol.md (older revs ignored, pending local fields kept).
 * Inside a transaction. */
gboolean  _ih_sync_store_apply_record (IhStore   *store,
                                       IhRecord  *remote,
                                       GError   **error);
/* Every REF and REFS target of @record as "type/id" keys, added to @keys. */
void      _ih_sync_record_refs    (const IhRecord *record,
                                   GPtrArray      *keys);
char     *_ih_sync_key            (const char     *type,
                                   const char     *id);
/* sha256 of the papers waiting in the outbox whose file is here, and of
 * the papers of meetings marked offline whose file is not */
GStrv     _ih_sync_blobs_to_send  (IhStore    *store);
GStrv     _ih_sync_blobs_to_fetch (IhStore    *store);
/* A conflict row as JSON (docs/protocol.md), or NULL */
JsonObject *_ih_sync_conflict_to_json (IhStore    *store,
                                       const char *conflict_id,
                                       GError    **error);
/* Writes a conflict object into sync_conflict (insert or replace). */
gboolean  _ih_sync_conflict_store (IhStore    *store,
                                   JsonObject *conflict,
                                   GError    **error);

/* A batch of the change feed checked and turned into records without
 * the store (so in any thread), then applied with its cursor in one
 * transaction: ih_sync_apply_pull() in two steps, so the engine can
 * fetch and prepare the next batch while one is applied. */
typedef struct _IhSyncPulled IhSyncPulled;

IhSyncPulled *_ih_sync_pull_prepare      (JsonObject          *batch,
                                          GError             **error);
gboolean      _ih_sync_pull_apply        (IhStore             *store,
                                          IhSyncPulled        *pulled,
                                          IhSyncStats         *stats,
                                          GError             **error);
gint64        _ih_sync_pulled_get_cursor (const IhSyncPulled  *pulled);
gboolean      _ih_sync_pulled_get_more   (const IhSyncPulled  *pulled);
void          _ih_sync_pulled_free       (IhSyncPulled        *pulled);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhSyncPulled, _ih_sync_pulled_free)

/* For benchmarks: pull as the engine did before it fetched ahead — one
 * batch fetched, then applied and committed, then the next — and
 * without the first sync's handling of the write-ahead log */
void          _ih_sync_engine_set_sequential (IhSyncEngine  *self,
                                              gboolean       sequential);

/* Around a first sync's batches: the write-ahead log checkpointed every
 * 256 MiB and at the end (emptied) instead of every 4 MiB */

G_END_DECLS
