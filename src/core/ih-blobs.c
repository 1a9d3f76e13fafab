/* ih-blobs.c — the content-addressed file store beside the database
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-blobs"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "ih-blobs.h"

#define CHUNK (256 * 1024)
#define STALE_SECONDS (24 * 60 * 60)

struct _IhBlobs
{
  GObject  parent_instance;
  char    *folder;
};

G_DEFINE_FINAL_TYPE (IhBlobs, ih_blobs, G_TYPE_OBJECT)
G_DEFINE_QUARK (ih-blobs-error-quark, ih_blobs_error)

static void
ih_blobs_finalize (GObject *object)
{
  IhBlobs *self = (IhBlobs *) object;

  g_clear_pointer (&self->folder, g_free);

  G_OBJECT_CLASS (ih_blobs_parent_class)->finalize (object);
}

static void
ih_blobs_class_init (IhBlobsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ih_blobs_finalize;
}

static void
ih_blobs_init (IhBlobs *self)
{
}

gboolean
ih_blobs_is_valid_hash (const char *sha256)
{
  if (sha256 == NULL)
    return FALSE;

  for (int i = 0; i < 64; i++)
    if (!((sha256[i] >= '0' && sha256[i] <= '9') || (sha256[i] >= 'a' && sha256[i] <= 'f')))
      return FALSE;

  return sha256[64] == '\0';
}

IhBlobs *
ih_blobs_new (const char *folder)
{
  IhBlobs *self;

  g_return_val_if_fail (folder != NULL, NULL);

  self = g_object_new (IH_TYPE_BLOBS, NULL);
  self->folder = g_strdup (folder);
  return self;
}

IhBlobs *
ih_blobs_new_for_database (const char *db_path)
{
  g_autofree char *dir = NULL;
  g_autofree char *folder = NULL;

  g_return_val_if_fail (db_path != NULL, NULL);

  dir = g_path_get_dirname (db_path);
  folder = g_build_filename (dir, "blobs", NULL);
  return ih_blobs_new (folder);
}

const char *
ih_blobs_get_folder (IhBlobs *self)
{
  g_return_val_if_fail (IH_IS_BLOBS (self), NULL);

  return self->folder;
}

static gboolean
check_hash (const char  *sha256,
            GError     **error)
{
  if (ih_blobs_is_valid_hash (sha256))
    return TRUE;

  g_set_error (error, IH_BLOBS_ERROR, IH_BLOBS_ERROR_BAD_HASH,
               _("“%s” is not a file hash (it must be 64 lowercase hexadecimal digits)"),
               sha256 ? sha256 : "");
  return FALSE;
}

char *
ih_blobs_build_path (IhBlobs     *self,
                     const char  *sha256,
                     GError     **error)
{
  char prefix[3];

  g_return_val_if_fail (IH_IS_BLOBS (self), NULL);

  if (!check_hash (sha256, error))
    return NULL;

  prefix[0] = sha256[0];
  prefix[1] = sha256[1];
  prefix[2] = '\0';
  return g_build_filename (self->folder, prefix, sha256, NULL);
}

gboolean
ih_blobs_has (IhBlobs    *self,
              const char *sha256)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (IH_IS_BLOBS (self), FALSE);

  path = ih_blobs_build_path (self, sha256, NULL);
  return path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

char *
ih_blobs_get_path (IhBlobs     *self,
                   const char  *sha256,
                   GError     **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (IH_IS_BLOBS (self), NULL);

  path = ih_blobs_build_path (self, sha256, error);
  if (path == NULL)
    return NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, IH_BLOBS_ERROR, IH_BLOBS_ERROR_MISSING,
                   _("The file %.12s… is not on this computer"), sha256);
      return NULL;
    }

  return g_steal_pointer (&path);
}

GInputStream *
ih_blobs_open (IhBlobs     *self,
               const char  *sha256,
               GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) local_error = NULL;
  GFileInputStream *stream;

  g_return_val_if_fail (IH_IS_BLOBS (self), NULL);

  path = ih_blobs_get_path (self, sha256, error);
  if (path == NULL)
    return NULL;

  file = g_file_new_for_path (path);
  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, IH_BLOBS_ERROR,
                   g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                   ? IH_BLOBS_ERROR_MISSING : IH_BLOBS_ERROR_IO,
                   _("Cannot read “%s”: %s"), path, local_error->message);
      return NULL;
    }

  return G_INPUT_STREAM (stream);
}

static char *
hash_stream (GInputStream  *stream,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (CHUNK);

  for (;;)
    {
      gssize n = g_input_stream_read (stream, buffer, CHUNK, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      g_checksum_update (checksum, buffer, n);
    }

  return g_strdup (g_checksum_get_string (checksum));
}

char *
ih_blobs_hash_file (const char    *path,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_file_new_for_path (path);
  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  return hash_stream (G_INPUT_STREAM (stream), cancellable, error);
}

gboolean
ih_blobs_verify (IhBlobs       *self,
                 const char    *sha256,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *actual = NULL;

  g_return_val_if_fail (IH_IS_BLOBS (self), FALSE);

  stream = ih_blobs_open (self, sha256, error);
  if (stream == NULL)
    return FALSE;

  actual = hash_stream (stream, cancellable, error);
  if (actual == NULL)
    return FALSE;

  if (strcmp (actual, sha256) != 0)
    {
      g_set_error (error, IH_BLOBS_ERROR, IH_BLOBS_ERROR_MISMATCH,
                   _("The stored file %.12s… is damaged (its contents have changed)"), sha256);
      return FALSE;
    }

  return TRUE;
}

/* Removes temporary files left by a crash, once they are a day old */
static void
remove_stale (IhBlobs *self)
{
  g_autoptr(GDir) dir = g_dir_open (self->folder, 0, NULL);
  const char *name;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf st;

      if (!g_str_has_prefix (name, ".tmp-"))
        continue;
      path = g_build_filename (self->folder, name, NULL);
      if (g_stat (path, &st) == 0 && now - (gint64) st.st_mtime > STALE_SECONDS)
        g_unlink (path);
    }
}

static gboolean
io_error (GError     **error,
          const char  *what,
          const char  *path,
          int          saved)
{
  g_set_error (error, IH_BLOBS_ERROR, IH_BLOBS_ERROR_IO, "%s “%s”: %s", what, path,
               g_strerror (saved));
  return FALSE;
}

static gboolean
write_all (int            fd,
           const guint8  *data,
           gsize          len,
           const char    *path,
           GError       **error)
{
  while (len > 0)
    {
      gssize n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return io_error (error, _("Cannot write"), path, errno);
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

static void
sync_folder (const char *folder)
{
  int fd = g_open (folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

char *
ih_blobs_add_stream (IhBlobs       *self,
                     GInputStream  *stream,
                     const char    *expected_sha256,
                     gboolean      *already_present,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *dest = NULL;
  g_autofree char *dest_dir = NULL;
  g_autofree char *reread = NULL;
  gboolean present = FALSE;
  int fd;

  g_return_val_if_fail (IH_IS_BLOBS (self), NULL);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  if (expected_sha256 != NULL && !check_hash (expected_sha256, error))
    return NULL;

  if (g_mkdir_with_parents (self->folder, 0700) != 0)
    {
      io_error (error, _("Cannot create the folder"), self->folder, errno);
      return NULL;
    }
  remove_stale (self);

  tmp_path = g_build_filename (self->folder, ".tmp-XXXXXX", NULL);
  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      io_error (error, _("Cannot create a file in"), self->folder, errno);
      return NULL;
    }

  buffer = g_malloc (CHUNK);
  for (;;)
    {
      gssize n = g_input_stream_read (stream, buffer, CHUNK, cancellable, error);

      if (n < 0)
        goto fail;
      if (n == 0)
        break;
      g_checksum_update (checksum, buffer, n);
      if (!write_all (fd, buffer, (gsize) n, tmp_path, error))
        goto fail;
    }

  if (fsync (fd) != 0)
    {
      io_error (error, _("Cannot write"), tmp_path, errno);
      goto fail;
    }

  sha256 = g_strdup (g_checksum_get_string (checksum));
  if (expected_sha256 != NULL && strcmp (sha256, expected_sha256) != 0)
    {
      g_set_error (error, IH_BLOBS_ERROR, IH_BLOBS_ERROR_MISMATCH,
                   _("The file received is not the one expected: its hash is %.12s…, not %.12s…"),
                   sha256, expected_sha256);
      goto fail;
    }

  /* What reached the disk is what was read */
  reread = ih_blobs_hash_file (tmp_path, cancellable, error);
  if (reread == NULL)
    goto fail;
  if (strcmp (reread, sha256) != 0)
    {
      g_set_error (error, IH_BLOBS_ERROR, IH_BLOBS_ERROR_IO,
                   _("The copy in “%s” does not match what was read: the disk may be failing"),
                   tmp_path);
      goto fail;
    }
  close (fd);
  fd = -1;

  dest = ih_blobs_build_path (self, sha256, error);
  g_assert (dest != NULL);
  dest_dir = g_path_get_dirname (dest);
  if (g_mkdir_with_parents (dest_dir, 0700) != 0)
    {
      io_error (error, _("Cannot create the folder"), dest_dir, errno);
      goto fail;
    }

  if (g_file_test (dest, G_FILE_TEST_IS_REGULAR) &&
      ih_blobs_verify (self, sha256, cancellable, NULL))
    {
      present = TRUE;
      g_unlink (tmp_path);
    }
  else if (g_rename (tmp_path, dest) != 0)
    {
      io_error (error, _("Cannot move the file into"), dest_dir, errno);
      goto fail;
    }
  else
    sync_folder (dest_dir);

  if (already_present != NULL)
    *already_present = present;
  return g_steal_pointer (&sha256);

fail:
  if (fd >= 0)
    close (fd);
  g_unlink (tmp_path);
  return NULL;
}

char *
ih_blobs_add_file (IhBlobs       *self,
                   const char    *path,
                   gboolean      *already_present,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;

  g_return_val_if_fail (IH_IS_BLOBS (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  file = g_file_new_for_path (path);
  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  return ih_blobs_add_stream (self, G_INPUT_STREAM (stream), NULL, already_present,
                              cancellable, error);
}
