/* ih-server-blobs.c — PUT/GET/HEAD /api/v1/blobs/{sha256}: content-addressed
 * files (board papers) beside the database
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "ih-server-private.h"

gboolean
_ih_blob_name_is_valid (const char *name)
{
  if (name == NULL || strlen (name) != 64)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
      return FALSE;
  return TRUE;
}

/* The blob's name from the path, or NULL after replying 400. */
static const char *
blob_name (IhServerRequest *req)
{
  const char *name = ih_server_request_get_rest (req);

  if (!_ih_blob_name_is_valid (name))
    {
      ih_server_request_reply_error (req, SOUP_STATUS_BAD_REQUEST, "bad-blob-name",
                                     _("A blob is named by the sha256 of its bytes: 64 lower-case "
                                       "hex digits, nothing else (got “%s”)"),
                                     name);
      return NULL;
    }
  return name;
}

static char *
blob_path (IhServer   *server,
           const char *name)
{
  char shard[3] = { name[0], name[1], '\0' };

  return g_build_filename (_ih_server_get_blobs_dir (server), shard, name, NULL);
}

static gboolean
fsync_dir (const char *dir)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY, 0);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = fsync (fd) == 0;
  close (fd);
  return ok;
}

/* Writes to a temporary file in the same folder, syncs, then renames: a
 * crash leaves either no blob or the whole blob. */
static gboolean
write_blob (const char  *path,
            GBytes      *bytes,
            GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp = g_build_filename (dir, ".upload-XXXXXX", NULL);
  const guint8 *data;
  gsize size, done = 0;
  int fd, saved;

  if (g_mkdir_with_parents (dir, 0750) != 0)
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0640);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create a file in %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  data = g_bytes_get_data (bytes, &size);
  while (done < size)
    {
      gssize n = write (fd, data + done, size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        break;
      done += n;
    }

  if (done < size || fsync (fd) != 0)
    {
      saved = errno;
      close (fd);
      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot write %s: %s"), tmp, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  if (g_rename (tmp, path) != 0)
    {
      saved = errno;
      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot move the blob into place at %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  fsync_dir (dir);
  return TRUE;
}

static JsonNode *
blob_json (const char *name,
           gsize       size)
{
  JsonObject *object = json_object_new ();
  JsonNode *node;

  json_object_set_string_member (object, "sha256", name);
  json_object_set_int_member (object, "size", (gint64) size);
  node = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  return node;
}

static void
blob_put_cb (IhServer        *server,
             IhServerRequest *req,
             gpointer         user_data)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *actual = NULL;
  g_autofree char *path = NULL;
  g_autofree char *size_text = NULL;
  const char *name;
  gboolean ok;

  if ((name = blob_name (req)) == NULL)
    return;

  body = ih_server_request_get_body (req);
  actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
  if (strcmp (actual, name) != 0)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, g_bytes_get_size (body));

      ih_server_request_reply_error (req, SOUP_STATUS_UNPROCESSABLE_ENTITY, "hash-mismatch",
                                     _("The %s bytes sent have sha256 %s, not %s: nothing was kept"),
                                     count, actual, name);
      return;
    }

  path = blob_path (server, name);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      /* Content-addressed: the same name holds the same bytes */
      ih_server_request_reply_json (req, SOUP_STATUS_OK, blob_json (name, g_bytes_get_size (body)));
      return;
    }

  if (!write_blob (path, body, &error))
    {
      g_warning ("%s", error->message);
      ih_server_request_reply_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "store",
                                     _("The server cannot keep the blob"));
      return;
    }

  size_text = g_strdup_printf ("%" G_GSIZE_FORMAT " bytes", g_bytes_get_size (body));
  ok = ih_server_request_audit (req, "blob-put", "blob", name, size_text, &error);
  if (!ok)
    g_warning ("Cannot audit a blob upload: %s", error->message);

  ih_server_request_reply_json (req, SOUP_STATUS_CREATED, blob_json (name, g_bytes_get_size (body)));
}

/* 1: one satisfiable range [*start, *end]; 0: no usable Range header
 * (absent, several ranges or bad syntax: the whole blob is sent, as
 * RFC 9110 allows); -1: unsatisfiable. */
static int
parse_range (const char *header,
             gint64      size,
             gint64     *start,
             gint64     *end)
{
  const char *spec, *dash;
  guint64 a = 0, b = 0;
  gboolean has_a, has_b;

  if (header == NULL || g_ascii_strncasecmp (header, "bytes=", 6) != 0)
    return 0;
  spec = header + 6;
  while (*spec == ' ')
    spec++;
  if (strchr (spec, ',') != NULL || (dash = strchr (spec, '-')) == NULL)
    return 0;

  {
    g_autofree char *first = g_strstrip (g_strndup (spec, dash - spec));
    g_autofree char *second = g_strstrip (g_strdup (dash + 1));

    has_a = *first != '\0';
    has_b = *second != '\0';
    if ((!has_a && !has_b) ||
        (has_a && !g_ascii_string_to_unsigned (first, 10, 0, G_MAXINT64, &a, NULL)) ||
        (has_b && !g_ascii_string_to_unsigned (second, 10, 0, G_MAXINT64, &b, NULL)) ||
        (has_a && has_b && b < a))
      return 0;
  }

  if (!has_a)
    {
      /* The last b bytes */
      if (b == 0 || size == 0)
        return -1;
      *start = size - (gint64) MIN (b, (guint64) size);
      *end = size - 1;
      return 1;
    }

  if ((gint64) a >= size)
    return -1;
  *start = a;
  *end = has_b ? MIN ((gint64) b, size - 1) : size - 1;
  return 1;
}

static void
blob_get_cb (IhServer        *server,
             IhServerRequest *req,
             gpointer         user_data)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *etag = NULL;
  const char *name;
  gint64 size, start = 0, end = 0;
  int range;

  if ((name = blob_name (req)) == NULL)
    return;

  path = blob_path (server, name);
  mapped = g_mapped_file_new (path, FALSE, &error);
  if (mapped == NULL)
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        ih_server_request_reply_error (req, SOUP_STATUS_NOT_FOUND, "no-blob",
                                       _("There is no blob %s on this server"), name);
      else
        {
          g_warning ("%s", error->message);
          ih_server_request_reply_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "store",
                                         _("The server cannot read the blob"));
        }
      return;
    }

  bytes = g_mapped_file_get_bytes (mapped);
  size = (gint64) g_bytes_get_size (bytes);
  etag = g_strdup_printf ("\"%s\"", name);
  ih_server_request_set_header (req, "Accept-Ranges", "bytes");
  ih_server_request_set_header (req, "ETag", etag);
  /* Immutable: the name is the content */
  ih_server_request_set_header (req, "Cache-Control", "private, max-age=31536000, immutable");

  range = parse_range (ih_server_request_get_header (req, "Range"), size, &start, &end);
  if (range < 0)
    {
      g_autofree char *content_range = g_strdup_printf ("bytes */%" G_GINT64_FORMAT, size);

      ih_server_request_set_header (req, "Content-Range", content_range);
      ih_server_request_reply_error (req, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE, "bad-range",
                                     _("The range “%s” lies outside the blob's %s bytes"),
                                     ih_server_request_get_header (req, "Range"), content_range + 8);
      return;
    }
  if (range > 0)
    {
      g_autofree char *content_range =
        g_strdup_printf ("bytes %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                         start, end, size);
      g_autoptr(GBytes) part = g_bytes_new_from_bytes (bytes, start, end - start + 1);

      ih_server_request_set_header (req, "Content-Range", content_range);
      ih_server_request_reply_bytes (req, SOUP_STATUS_PARTIAL_CONTENT, "application/octet-stream", part);
      return;
    }

  ih_server_request_reply_bytes (req, SOUP_STATUS_OK, "application/octet-stream", bytes);
}

void
_ih_server_blobs_register (IhServer *server)
{
  ih_server_add_route (server, "PUT", "/api/v1/blobs/", IH_ROLE_OFFICER, blob_put_cb, NULL);
  ih_server_add_route (server, "GET", "/api/v1/blobs/", IH_ROLE_VIEWER, blob_get_cb, NULL);
  ih_server_add_route (server, "HEAD", "/api/v1/blobs/", IH_ROLE_VIEWER, blob_get_cb, NULL);
}
