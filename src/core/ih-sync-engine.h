/* ih-sync-engine.h — one sync run: push the outbox, pull the feed in
 * batches, off the main thread, over any transport (HTTP in the app and
 * CLI, direct calls in tests)
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ih-store.h"
#include "ih-sync.h"

G_BEGIN_DECLS

/* How requests reach the server. Both are called in the engine's worker
 * thread and may block; they return the reply's JSON object or NULL with
 * an error. A server that was restored answers a push with
 * IH_SYNC_ERROR_EPOCH. */
typedef struct
{
  JsonObject *(*push)    (gpointer       data,
                          JsonObject    *request,
                          GCancellable  *cancellable,
                          GError       **error);
  JsonObject *(*changes) (gpointer       data,
                          gint64         since,
                          guint          limit,
                          GCancellable  *cancellable,
                          GError       **error);
  /* Optional: papers' files. put_blob sends the file at @path;
   * get_blob appends to @partial from its current size (HTTP Range) and
   * adds the bytes it received to @received. */
  gboolean    (*put_blob) (gpointer       data,
                           const char    *sha256,
                           const char    *path,
                           GCancellable  *cancellable,
                           GError       **error);
  gboolean    (*get_blob) (gpointer       data,
                           const char    *sha256,
                           GFile         *partial,
                           guint64       *received,
                           GCancellable  *cancellable,
                           GError       **error);
} IhSyncTransport;

typedef struct
{
  guint   pushed;       /* changes the server took */
  guint   refused;      /* changes it refused */
  guint   pulled;       /* records written from the server */
  guint   purged;
  guint   conflicts;
  guint   batches;
  guint   blobs_sent;     /* papers' files uploaded */
  guint   blobs_fetched;  /* papers' files of offline meetings downloaded */
  guint64 blob_bytes;     /* bytes downloaded (a resumed download counts the rest only) */
} IhSyncSummary;

#define IH_TYPE_SYNC_ENGINE (ih_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (IhSyncEngine, ih_sync_engine, IH, SYNC_ENGINE, GObject)

/* @store must be set up with ih_sync_setup(). */
IhSyncEngine *ih_sync_engine_new             (IhStore               *store,
                                              const IhSyncTransport *transport,
                                              gpointer               transport_data,
                                              GDestroyNotify         transport_destroy);
/* Records a batch holds: small enough that a person saving meanwhile
 * waits for at most one batch. By default 500, and for a first sync (no
 * cursor yet) as many as the server gives in one batch (5000) after a
 * first batch of 500; setting
 * it uses @batch_size for every pull, and for pushes up to the 1000
 * changes a push may hold. At most 5000. */
void          ih_sync_engine_set_batch_size  (IhSyncEngine          *self,
                                              guint                  batch_size);
/* One whole run in the calling thread: sends the files of papers about to
 * be pushed, pushes everything pending, pulls until the server has
 * nothing more, then fetches the files of papers of meetings marked
 * offline (resuming a download cut short, checking each file's hash). */
gboolean      ih_sync_engine_run             (IhSyncEngine          *self,
                                              IhSyncSummary         *summary,
                                              GCancellable          *cancellable,
                                              GError               **error);
/* The same in a worker thread; "progress" is emitted in the caller's
 * main context. */
void          ih_sync_engine_run_async       (IhSyncEngine          *self,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
gboolean      ih_sync_engine_run_finish      (IhSyncEngine          *self,
                                              GAsyncResult          *result,
                                              IhSyncSummary         *summary,
                                              GError               **error);
gboolean      ih_sync_engine_is_running      (IhSyncEngine          *self);

/* Milliseconds to wait before the next attempt: 0 after a success; after
 * failures doubling from 2 s up to 10 min, each with ±50 % jitter so many
 * laptops do not retry in step. */
guint         ih_sync_engine_get_retry_delay (IhSyncEngine          *self);
guint         ih_sync_engine_get_failures    (IhSyncEngine          *self);
/* For tests: the jitter's random numbers */
void          ih_sync_engine_set_seed        (IhSyncEngine          *self,
                                              guint32                seed);

G_END_DECLS
