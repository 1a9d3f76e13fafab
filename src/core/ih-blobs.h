/* ih-blobs.h — the content-addressed file store beside the database
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files (board papers) are kept once each, named by the sha256 of their
 * bytes, in a "blobs" folder next to the database file:
 *   insight-hub.db
 *   blobs/ab/abcdef0123…   (64 lowercase hex digits; the folder is the first two)
 * A blob is written to a temporary file in blobs/, synced to disk, checked
 * against its hash and only then renamed into place, so a blob path that
 * exists always holds the right bytes (a crash leaves at most a stray
 * ".tmp-" file in blobs/, removed by a later add once it is a day old).
 */

#pragma once

#include <gio/gio.h>

#include "ih-types.h"

G_BEGIN_DECLS

#define IH_BLOBS_ERROR (ih_blobs_error_quark ())

typedef enum
{
  IH_BLOBS_ERROR_BAD_HASH,    /* not 64 lowercase hex digits */
  IH_BLOBS_ERROR_MISSING,     /* not on this computer */
  IH_BLOBS_ERROR_MISMATCH,    /* the bytes do not have the expected hash */
  IH_BLOBS_ERROR_IO,          /* reading or writing failed; the message says what */
} IhBlobsError;

#define IH_TYPE_BLOBS (ih_blobs_get_type ())
G_DECLARE_FINAL_TYPE (IhBlobs, ih_blobs, IH, BLOBS, GObject)

GQuark        ih_blobs_error_quark   (void);
/* TRUE for exactly 64 lowercase hexadecimal digits */
gboolean      ih_blobs_is_valid_hash (const char    *sha256);

/* The blob store in @folder (created when first written to). */
IhBlobs      *ih_blobs_new           (const char    *folder);
/* The blob store beside a database file: dirname (@db_path)/blobs */
IhBlobs      *ih_blobs_new_for_database (const char *db_path);
const char   *ih_blobs_get_folder    (IhBlobs       *self);

/* The sha256 of a file, read in chunks (lowercase hex). */
char         *ih_blobs_hash_file     (const char    *path,
                                      GCancellable  *cancellable,
                                      GError       **error);

/* Copies @path into the store, hashing while copying. Returns the
 * sha256; @already_present (may be NULL) says whether the blob was there
 * before (a damaged copy already there is replaced). */
char         *ih_blobs_add_file      (IhBlobs       *self,
                                      const char    *path,
                                      gboolean      *already_present,
                                      GCancellable  *cancellable,
                                      GError       **error);
/* Writes @stream into the store. With @expected_sha256 set, bytes of
 * another hash are refused with MISMATCH and nothing is kept (for
 * downloads). Returns the sha256. */
char         *ih_blobs_add_stream    (IhBlobs       *self,
                                      GInputStream  *stream,
                                      const char    *expected_sha256,
                                      gboolean      *already_present,
                                      GCancellable  *cancellable,
                                      GError       **error);

/* FALSE for a malformed hash or a blob not on this computer */
gboolean      ih_blobs_has           (IhBlobs       *self,
                                      const char    *sha256);
/* Where the blob is or would be; NULL with BAD_HASH for a malformed hash. */
char         *ih_blobs_build_path    (IhBlobs       *self,
                                      const char    *sha256,
                                      GError       **error);
/* The path of a blob that is here; NULL with MISSING ("not on this
 * computer") or BAD_HASH. */
char         *ih_blobs_get_path      (IhBlobs       *self,
                                      const char    *sha256,
                                      GError       **error);
GInputStream *ih_blobs_open          (IhBlobs       *self,
                                      const char    *sha256,
                                      GError       **error);
/* Re-reads the blob and checks its hash. */
gboolean      ih_blobs_verify        (IhBlobs       *self,
                                      const char    *sha256,
                                      GCancellable  *cancellable,
                                      GError       **error);

G_END_DECLS
