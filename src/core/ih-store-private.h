/* ih-store-private.h — what the search, import and sync code share with
 * the store
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "ih-store.h"

G_BEGIN_DECLS

/* Every use of the connection happens between lock and unlock. */
void          _ih_store_lock            (IhStore     *self);
void          _ih_store_unlock          (IhStore     *self);
gboolean      _ih_store_has_waiters     (IhStore     *self);
sqlite3      *_ih_store_get_db          (IhStore     *self);
/* A cached prepared statement, reset and cleared of bindings. */
sqlite3_stmt *_ih_store_prepare         (IhStore     *self,
                                         const char  *sql,
                                         GError     **error);
/* Sets @error from the connection's last error. Always returns FALSE. */
gboolean      _ih_store_set_error       (IhStore     *self,
                                         GError     **error,
                                         const char  *what);
/* Opens the file and applies migrations only up to @version (tests use it
 * to make files as older releases wrote them). */
IhStore      *_ih_store_open_at_version (const char  *path,
                                         int          version,
                                         GError     **error);
/* Compares every term, document, column and position of the search index
 * with an index built afresh from the records. FALSE with a message
 * naming the first difference. Slow: for tests and repairs. */
gboolean      _ih_store_check_index     (IhStore     *self,
                                         GError     **error);
/* The page cache of the connection, normally IH_STORE_CACHE_KIB */
#define IH_STORE_CACHE_KIB 32768
/* Around many large transactions in a row (a big import, a first sync):
 * fewer copies of the write-ahead log, and a page cache of @cache_kib if
 * that is larger than usual; nested calls count */
void          _ih_store_bulk_begin      (IhStore     *self,
                                         int          cache_kib);
void          _ih_store_bulk_end        (IhStore     *self);
/* Saves inside a transaction the caller holds and rolls back if this
 * fails: no savepoint of its own. */
gboolean      _ih_store_save_in_transaction (IhStore  *self,
                                             gpointer  record,
                                             GError  **error);
/* Saves a record as the sync server sent it, inside a transaction the
 * caller holds: it does not enter the sync outbox and keeps its
 * updated_at. */
gboolean      _ih_store_apply           (IhStore     *self,
                                         gpointer     record,
                                         GError     **error);
/* The same when the caller has just looked the record up and has checked
 * it with ih_record_validate(): @rid is its row, or 0 when the store does
 * not hold it (saves the lookup; a record that is there after all is
 * refused, not overwritten under another row). */
gboolean      _ih_store_apply_at        (IhStore     *self,
                                         gpointer     record,
                                         gint64       rid,
                                         GError     **error);
/* Deletes the row itself (no tombstone) and its links and index entry:
 * for a consent purge. Inside a transaction the caller holds. */
gboolean      _ih_store_purge           (IhStore              *self,
                                         const IhRecordClass  *klass,
                                         const char           *id,
                                         GError              **error);
/* ih_store_load() for a caller holding a transaction: the SQL is made
 * once per class, not per call (the sync server's change feed). */
gpointer      _ih_store_load_in_transaction (IhStore              *self,
                                             const IhRecordClass  *klass,
                                             const char           *id,
                                             GError              **error);
/* Called after each statement of a save in tests, to simulate a crash. */
extern void (*_ih_store_test_hook) (const char *step);

G_END_DECLS
