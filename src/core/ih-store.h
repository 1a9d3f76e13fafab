/* ih-store.h — the local SQLite store
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ih-record.h"
#include "ih-types.h"

G_BEGIN_DECLS

#define IH_STORE_ERROR (ih_store_error_quark ())

typedef enum
{
  IH_STORE_ERROR_OPEN,            /* cannot open or create the file */
  IH_STORE_ERROR_NOT_A_DATABASE,  /* the file is something else */
  IH_STORE_ERROR_TOO_NEW,         /* written by a newer Insight Hub */
  IH_STORE_ERROR_CORRUPT,
  IH_STORE_ERROR_BUSY,            /* another program holds a lock too long */
  IH_STORE_ERROR_NOT_FOUND,
  IH_STORE_ERROR_INVALID,         /* a record refused: the message says why */
  IH_STORE_ERROR_FAILED,          /* anything else SQLite reports */
} IhStoreError;

/* The schema this build writes; older files are upgraded when opened. */
#define IH_STORE_SCHEMA_VERSION 5

#define IH_TYPE_STORE (ih_store_get_type ())
G_DECLARE_FINAL_TYPE (IhStore, ih_store, IH, STORE, GObject)

GQuark       ih_store_error_quark        (void);
/* $XDG_DATA_HOME/insight-hub/insight-hub.db */
char        *ih_store_default_path       (void);
/* Opens @path, creating it (and its folder) when missing, and upgrades an
 * older schema in place. */
IhStore     *ih_store_open               (const char           *path,
                                          GError              **error);
const char  *ih_store_get_path           (IhStore              *self);
int          ih_store_get_schema_version (IhStore              *self);

/* Transactions nest (inner ones are savepoints). A failed save inside a
 * transaction leaves the transaction open: the caller decides. */
gboolean     ih_store_begin              (IhStore              *self,
                                          GError              **error);
gboolean     ih_store_commit             (IhStore              *self,
                                          GError              **error);
void         ih_store_rollback           (IhStore              *self);

/* Inserts or updates by id. Validates first; sets created_at (when new) and
 * updated_at; fills record->rid. Refused records leave the store as it was. */
gboolean     ih_store_save               (IhStore              *self,
                                          gpointer              record,
                                          GError              **error);
/* Returns a new record, or NULL with IH_STORE_ERROR_NOT_FOUND. Tombstoned
 * records are returned too (deleted = TRUE). */
gpointer     ih_store_load               (IhStore              *self,
                                          const IhRecordClass  *klass,
                                          const char           *id,
                                          GError              **error);
/* Marks the record deleted (a tombstone kept for sync); it leaves search. */
gboolean     ih_store_delete             (IhStore              *self,
                                          const IhRecordClass  *klass,
                                          const char           *id,
                                          GError              **error);
gboolean     ih_store_exists             (IhStore              *self,
                                          const IhRecordClass  *klass,
                                          const char           *id);
/* Live (not deleted) records of a class. */
gint64       ih_store_count              (IhStore              *self,
                                          const IhRecordClass  *klass);
/* All live records of a class, ordered by their first text field; for the
 * small tables (themes, activities, meetings). GPtrArray of records. */
GPtrArray   *ih_store_list               (IhStore              *self,
                                          const IhRecordClass  *klass,
                                          GError              **error);
/* The id of the live theme whose name equals @name (case-insensitive). */
char        *ih_store_find_theme         (IhStore              *self,
                                          const char           *name);

/* Size of the database file(s) in bytes. */
guint64      ih_store_get_size           (IhStore              *self);

G_END_DECLS
