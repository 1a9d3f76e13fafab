/* ih-pdf.c — PDF documents over poppler-glib
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-pdf"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <poppler.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ih-pdf.h"

struct _IhPdfDocument
{
  GObject          parent_instance;

  char            *path;
  char            *password;
  guint64          serial;
  int              n_pages;

  /* Every use of @poppler (and its pages) holds @lock */
  GMutex           lock;
  PopplerDocument *poppler;
};

/* poppler-glib 22.12 declares no cleanup function for its pages */
#ifndef POPPLER_PAGE_AUTOPTR_DEFINED
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)
#endif

G_DEFINE_FINAL_TYPE (IhPdfDocument, ih_pdf_document, G_TYPE_OBJECT)
G_DEFINE_QUARK (ih-pdf-error-quark, ih_pdf_error)

G_LOCK_DEFINE_STATIC (serial);
static guint64 last_serial;

void
ih_pdf_pixel_size (double  width,
                   double  height,
                   double  scale,
                   int    *pixel_width,
                   int    *pixel_height)
{
  double w = ceil (width * scale - 1e-6);
  double h = ceil (height * scale - 1e-6);

  /* Clamped so that callers can compare with the limits without overflow */
  if (pixel_width != NULL)
    *pixel_width = (int) CLAMP (w, 1, G_MAXINT / 2);
  if (pixel_height != NULL)
    *pixel_height = (int) CLAMP (h, 1, G_MAXINT / 2);
}

void
ih_pdf_outline_item_free (IhPdfOutlineItem *item)
{
  if (item == NULL)
    return;
  g_free (item->title);
  g_clear_pointer (&item->children, g_ptr_array_unref);
  g_free (item);
}

void
ih_pdf_link_free (IhPdfLink *link)
{
  if (link == NULL)
    return;
  g_free (link->uri);
  g_free (link);
}

static void
ih_pdf_document_finalize (GObject *object)
{
  IhPdfDocument *self = (IhPdfDocument *) object;

  g_clear_object (&self->poppler);
  g_clear_pointer (&self->path, g_free);
  if (self->password != NULL)
    {
      explicit_bzero (self->password, strlen (self->password));
      g_clear_pointer (&self->password, g_free);
    }
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ih_pdf_document_parent_class)->finalize (object);
}

static void
ih_pdf_document_class_init (IhPdfDocumentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ih_pdf_document_finalize;
}

static void
ih_pdf_document_init (IhPdfDocument *self)
{
  g_mutex_init (&self->lock);
  G_LOCK (serial);
  self->serial = ++last_serial;
  G_UNLOCK (serial);
}


/*
 * Opening
 */

/* What a file that is not a PDF probably is, from its first bytes */
static const char *
guess_kind (const guint8 *head,
            gsize         len)
{
  static const struct
  {
    const char *magic;
    gsize       len;
    const char *kind;
  } kinds[] = {
    { "\x89PNG", 4, N_("a PNG image") },
    { "\xff\xd8\xff", 3, N_("a JPEG image") },
    { "GIF8", 4, N_("a GIF image") },
    { "PK\x03\x04", 4, N_("a Word, Excel, PowerPoint or ZIP file") },
    { "\xd0\xcf\x11\xe0", 4, N_("an old Word or Excel file") },
    { "{\\rtf", 5, N_("an RTF document") },
    { "%!PS", 4, N_("a PostScript file") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (len >= kinds[i].len && memcmp (head, kinds[i].magic, kinds[i].len) == 0)
      return _(kinds[i].kind);

  if (len >= 5 && (g_ascii_strncasecmp ((const char *) head, "<html", 5) == 0 ||
                   g_ascii_strncasecmp ((const char *) head, "<!doc", 5) == 0))
    return _("a web page");

  return NULL;
}

static gboolean
has_pdf_header (const guint8 *head,
                gsize         len)
{
  for (gsize i = 0; i + 5 <= len; i++)
    if (memcmp (head + i, "%PDF-", 5) == 0)
      return TRUE;
  return FALSE;
}

/* The checks poppler does not do, or does with poor messages */
static gboolean
check_file (const char  *path,
            const char  *name,
            GError     **error)
{
  GStatBuf st;
  guint8 head[1024];
  gssize len;
  int fd;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      if (saved == ENOENT || saved == ENOTDIR)
        g_set_error (error, IH_PDF_ERROR, IH_PDF_ERROR_NOT_FOUND,
                     _("“%s” does not exist"), name);
      else
        g_set_error (error, IH_PDF_ERROR, IH_PDF_ERROR_READ,
                     _("“%s” cannot be read: %s"), name, g_strerror (saved));
      return FALSE;
    }

  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, IH_PDF_ERROR, IH_PDF_ERROR_NOT_PDF,
                   _("“%s” is a folder, not a PDF"), name);
      return FALSE;
    }

  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, IH_PDF_ERROR, IH_PDF_ERROR_NOT_PDF,
                   _("“%s” is not a regular file"), name);
      return FALSE;
    }

  if (st.st_size == 0)
    {
      g_set_error (error, IH_PDF_ERROR, IH_PDF_ERROR_EMPTY,
                   _("“%s” is empty (0 bytes): it may not have finished downloading or copying"),
                   name);
      return FALSE;
    }

  if ((gint64) st.st_size > IH_PDF_MAX_FILE_SIZE)
    {
      g_autofree char *size = g_format_size ((guint64) st.st_size);

      g_set_error (error, IH_PDF_ERROR, IH_PDF_ERROR_TOO_LARGE,
                   _("“%s” is too large to open (%s; the limit is 4 GB)"), name, size);
      return FALSE;
    }

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, IH_PDF_ERROR, IH_PDF_ERROR_READ,
                   _("“%s” cannot be read: %s"), name, g_strerror (saved));
      return FALSE;
    }
  do
    len = read (fd, head, sizeof head);
  while (len < 0 && errno == EINTR);
  if (len < 0)
    {
      int saved = errno;

      close (fd);
      g_set_error (error, IH_PDF_ERROR, IH_PDF_ERROR_READ,
                   _("“%s” cannot be read: %s"), name, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  /* The header may follow some junk, as readers allow, but must be near the start */
  if (!has_pdf_header (head, (gsize) len))
    {
      const char *kind = guess_kind (head, (gsize) len);

      if (kind != NULL)
        g_set_error (error, IH_PDF_ERROR, IH_PDF_ERROR_NOT_PDF,
                     _("“%s” is not a PDF: it is %s"), name, kind);
      else
        g_set_error (error, IH_PDF_ERROR, IH_PDF_ERROR_NOT_PDF,
                     _("“%s” is not a PDF file"), name);
      return FALSE;
    }

  return TRUE;
}

IhPdfDocument *
ih_pdf_document_open (const char    *path,
                      const char    *password,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(IhPdfDocument) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *uri = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = g_filename_display_basename (path);
  if (!check_file (path, name, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  absolute = g_canonicalize_filename (path, NULL);
  uri = g_filename_to_uri (absolute, NULL, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, IH_PDF_ERROR, IH_PDF_ERROR_READ,
                   _("“%s” cannot be read: %s"), name, local_error->message);
      return NULL;
    }

  self = g_object_new (IH_TYPE_PDF_DOCUMENT, NULL);
  self->path = g_strdup (path);
  self->password = g_strdup (password);
  self->poppler = poppler_document_new_from_file (uri, password, &local_error);
  if (self->poppler == NULL)
    {
      g_debug ("poppler refused %s: %s", path, local_error ? local_error->message : "?");

      if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        {
          if (password == NULL || password[0] == '\0')
            g_set_error (error, IH_PDF_ERROR, IH_PDF_ERROR_ENCRYPTED,
                         _("“%s” is protected by a password"), name);
          else
            g_set_error (error, IH_PDF_ERROR, IH_PDF_ERROR_BAD_PASSWORD,
                         _("The password for “%s” is not right"), name);
        }
      else if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_OPEN_FILE))
        g_set_error (error, IH_PDF_ERROR, IH_PDF_ERROR_READ,
                     _("“%s” cannot be read"), name);
      else
        g_set_error (error, IH_PDF_ERROR, IH_PDF_ERROR_DAMAGED,
                     _("“%s” is damaged or incomplete and cannot be opened; "
                       "try downloading or copying it again"), name);
      return NULL;
    }

  self->n_pages = poppler_document_get_n_pages (self->poppler);
  if (self->n_pages <= 0)
    {
      g_set_error (error, IH_PDF_ERROR, IH_PDF_ERROR_NO_PAGES,
                   _("“%s” has no pages: it is probably damaged or incomplete"), name);
      return NULL;
    }

  return g_steal_pointer (&self);
}

typedef struct
{
  char *path;
  char *password;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_free (data->path);
  if (data->password != NULL)
    explicit_bzero (data->password, strlen (data->password));
  g_free (data->password);
  g_free (data);
}

static void
open_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *data = task_data;
  GError *error = NULL;
  IhPdfDocument *document;

  document = ih_pdf_document_open (data->path, data->password, cancellable, &error);
  if (document == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, document, g_object_unref);
}

void
ih_pdf_document_open_async (const char          *path,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  g_return_if_fail (path != NULL);

  data = g_new0 (OpenData, 1);
  data->path = g_strdup (path);
  data->password = g_strdup (password);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ih_pdf_document_open_async);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, open_worker);
}

IhPdfDocument *
ih_pdf_document_open_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

IhPdfDocument *
ih_pdf_document_dup (IhPdfDocument  *self,
                     GError        **error)
{
  g_return_val_if_fail (IH_IS_PDF_DOCUMENT (self), NULL);

  return ih_pdf_document_open (self->path, self->password, NULL, error);
}

const char *
ih_pdf_document_get_path (IhPdfDocument *self)
{
  g_return_val_if_fail (IH_IS_PDF_DOCUMENT (self), NULL);

  return self->path;
}

guint64
ih_pdf_document_get_serial (IhPdfDocument *self)
{
  g_return_val_if_fail (IH_IS_PDF_DOCUMENT (self), 0);

  return self->serial;
}

int
ih_pdf_document_get_n_pages (IhPdfDocument *self)
{
  g_return_val_if_fail (IH_IS_PDF_DOCUMENT (self), 0);

  return self->n_pages;
}

char *
ih_pdf_document_dup_title (IhPdfDocument *self)
{
  g_autofree char *title = NULL;

  g_return_val_if_fail (IH_IS_PDF_DOCUMENT (self), NULL);

  g_mutex_lock (&self->lock);
  title = poppler_document_get_title (self->poppler);
  g_mutex_unlock (&self->lock);

  if (title != NULL)
    g_strstrip (title);
  if (title == NULL || title[0] == '\0' || !g_utf8_validate (title, -1, NULL))
    return NULL;

  return g_steal_pointer (&title);
}

/* With the lock held. NULL with NO_PAGE for a bad index. */
static PopplerPage *
get_page (IhPdfDocument  *self,
          int             page_index,
          GError        **error)
{
  PopplerPage *page = NULL;

  g_assert (IH_IS_PDF_DOCUMENT (self));

  if (page_index >= 0 && page_index < self->n_pages)
    page = poppler_document_get_page (self->poppler, page_index);

  if (page == NULL)
    {
      g_autofree char *name = g_filename_display_basename (self->path);

      g_set_error (error, IH_PDF_ERROR, IH_PDF_ERROR_NO_PAGE,
                   ngettext ("“%s” has no page %d: it has %d page",
                             "“%s” has no page %d: it has %d pages", self->n_pages),
                   name, page_index + 1, self->n_pages);
    }

  return page;
}

gboolean
ih_pdf_document_get_page_size (IhPdfDocument  *self,
                               int             page_index,
                               double         *width,
                               double         *height,
                               GError        **error)
{
  g_autoptr(PopplerPage) page = NULL;
  double w = 0, h = 0;

  g_return_val_if_fail (IH_IS_PDF_DOCUMENT (self), FALSE);

  g_mutex_lock (&self->lock);
  page = get_page (self, page_index, error);
  if (page != NULL)
    poppler_page_get_size (page, &w, &h);
  g_clear_object (&page);
  g_mutex_unlock (&self->lock);

  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;

  return w > 0;
}

char *
ih_pdf_document_dup_page_label (IhPdfDocument *self,
                                int            page_index)
{
  g_autoptr(PopplerPage) page = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (IH_IS_PDF_DOCUMENT (self), NULL);

  g_mutex_lock (&self->lock);
  page = get_page (self, page_index, NULL);
  if (page != NULL)
    label = poppler_page_get_label (page);
  g_clear_object (&page);
  g_mutex_unlock (&self->lock);

  if (label == NULL || label[0] == '\0' || !g_utf8_validate (label, -1, NULL))
    {
      g_free (label);
      return g_strdup_printf ("%d", page_index + 1);
    }

  return g_steal_pointer (&label);
}


/*
 * Text
 */

/* Valid UTF-8 without NULs or form feeds */
static char *
clean_text (char *text)
{
  char *clean;

  if (text == NULL)
    return g_strdup ("");

  clean = g_utf8_make_valid (text, -1);
  g_free (text);
  for (char *p = clean; *p != '\0'; p++)
    if (*p == '\f')
      *p = '\n';

  return clean;
}

char *
ih_pdf_document_get_page_text (IhPdfDocument  *self,
                               int             page_index,
                               GError        **error)
{
  g_autoptr(PopplerPage) page = NULL;
  char *text = NULL;

  g_return_val_if_fail (IH_IS_PDF_DOCUMENT (self), NULL);

  g_mutex_lock (&self->lock);
  page = get_page (self, page_index, error);
  if (page != NULL)
    text = poppler_page_get_text (page);
  g_clear_object (&page);
  g_mutex_unlock (&self->lock);

  if (text == NULL && page_index >= 0 && page_index < self->n_pages)
    return g_strdup ("");
  if (text == NULL)
    return NULL;

  return clean_text (text);
}

GPtrArray *
ih_pdf_document_extract_text (IhPdfDocument  *self,
                              gboolean      (*progress) (guint64  done,
                                                         guint64  total,
                                                         gpointer user_data),
                              gpointer        user_data,
                              GCancellable   *cancellable,
                              GError        **error)
{
  g_autoptr(GPtrArray) texts = NULL;

  g_return_val_if_fail (IH_IS_PDF_DOCUMENT (self), NULL);

  texts = g_ptr_array_new_full (self->n_pages, g_free);
  for (int i = 0; i < self->n_pages; i++)
    {
      char *text;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      text = ih_pdf_document_get_page_text (self, i, error);
      if (text == NULL)
        return NULL;
      g_ptr_array_add (texts, text);

      if (progress != NULL && !progress ((guint64) i + 1, (guint64) self->n_pages, user_data))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("Stopped"));
          return NULL;
        }
    }

  return g_steal_pointer (&texts);
}


/*
 * Find
 */

static void
find_on_page (IhPdfDocument *self,
              PopplerPage   *page,
              int            page_index,
              const char    *text,
              IhPdfFindFlags flags,
              GArray        *matches)
{
  PopplerFindFlags options = POPPLER_FIND_IGNORE_DIACRITICS | POPPLER_FIND_MULTILINE;
  GList *found;
  double height = 0;

  g_assert (IH_IS_PDF_DOCUMENT (self));

  if (flags & IH_PDF_FIND_CASE_SENSITIVE)
    options |= POPPLER_FIND_CASE_SENSITIVE;
  if (flags & IH_PDF_FIND_WHOLE_WORDS)
    options |= POPPLER_FIND_WHOLE_WORDS_ONLY;

  poppler_page_get_size (page, NULL, &height);
  found = poppler_page_find_text_with_options (page, text, options);
  for (GList *l = found; l != NULL; l = l->next)
    {
      PopplerRectangle *r = l->data;
      IhPdfMatch match;

      /* poppler gives the bottom-left origin of PDF */
      match.page_index = page_index;
      match.rect.x1 = MIN (r->x1, r->x2);
      match.rect.x2 = MAX (r->x1, r->x2);
      match.rect.y1 = height - MAX (r->y1, r->y2);
      match.rect.y2 = height - MIN (r->y1, r->y2);
      match.continued = poppler_rectangle_find_get_match_continued (r);
      g_array_append_val (matches, match);
    }
  g_list_free_full (found, (GDestroyNotify) poppler_rectangle_free);
}

GArray *
ih_pdf_document_find (IhPdfDocument   *self,
                      const char      *text,
                      int              page_index,
                      IhPdfFindFlags   flags,
                      GCancellable    *cancellable,
                      GError         **error)
{
  g_autoptr(GArray) matches = NULL;
  int first, last;

  g_return_val_if_fail (IH_IS_PDF_DOCUMENT (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (page_index >= self->n_pages || page_index < -1)
    {
      g_autoptr(PopplerPage) page = NULL;

      g_mutex_lock (&self->lock);
      page = get_page (self, page_index, error);
      g_mutex_unlock (&self->lock);
      return NULL;
    }

  matches = g_array_new (FALSE, FALSE, sizeof (IhPdfMatch));
  if (g_utf8_strlen (text, -1) == 0 || !g_utf8_validate (text, -1, NULL))
    return g_steal_pointer (&matches);

  first = page_index < 0 ? 0 : page_index;
  last = page_index < 0 ? self->n_pages - 1 : page_index;
  for (int i = first; i <= last; i++)
    {
      g_autoptr(PopplerPage) page = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      g_mutex_lock (&self->lock);
      page = get_page (self, i, NULL);
      if (page != NULL)
        find_on_page (self, page, i, text, flags, matches);
      g_clear_object (&page);
      g_mutex_unlock (&self->lock);
    }

  return g_steal_pointer (&matches);
}

typedef struct
{
  char           *text;
  int             page_index;
  IhPdfFindFlags  flags;
} FindData;

static void
find_data_free (FindData *data)
{
  g_free (data->text);
  g_free (data);
}

static void
find_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  FindData *data = task_data;
  GError *error = NULL;
  GArray *matches;

  matches = ih_pdf_document_find (source_object, data->text, data->page_index,
                                  data->flags, cancellable, &error);
  if (matches == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, matches, (GDestroyNotify) g_array_unref);
}

void
ih_pdf_document_find_async (IhPdfDocument       *self,
                            const char          *text,
                            int                  page_index,
                            IhPdfFindFlags       flags,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FindData *data;

  g_return_if_fail (IH_IS_PDF_DOCUMENT (self));
  g_return_if_fail (text != NULL);

  data = g_new0 (FindData, 1);
  data->text = g_strdup (text);
  data->page_index = page_index;
  data->flags = flags;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ih_pdf_document_find_async);
  g_task_set_task_data (task, data, (GDestroyNotify) find_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, find_worker);
}

GArray *
ih_pdf_document_find_finish (IhPdfDocument  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}


/*
 * Outline and links
 */

/* 0-based page of a destination, or -1. With the lock held. */
static int
dest_page (IhPdfDocument *self,
           PopplerDest   *dest)
{
  int page = -1;

  if (dest == NULL)
    return -1;

  if (dest->type == POPPLER_DEST_NAMED)
    {
      PopplerDest *found = poppler_document_find_dest (self->poppler, dest->named_dest);

      if (found != NULL)
        {
          page = found->page_num - 1;
          poppler_dest_free (found);
        }
    }
  else if (dest->type != POPPLER_DEST_UNKNOWN)
    page = dest->page_num - 1;

  return page >= 0 && page < self->n_pages ? page : -1;
}

static int
action_page (IhPdfDocument *self,
             PopplerAction *action)
{
  if (action != NULL && action->type == POPPLER_ACTION_GOTO_DEST)
    return dest_page (self, action->goto_dest.dest);
  return -1;
}

static GPtrArray *
read_outline (IhPdfDocument    *self,
              PopplerIndexIter *iter,
              int               depth)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) ih_pdf_outline_item_free);

  if (iter == NULL)
    return items;

  do
    {
      PopplerAction *action = poppler_index_iter_get_action (iter);
      PopplerIndexIter *child;
      IhPdfOutlineItem *item = g_new0 (IhPdfOutlineItem, 1);

      item->title = g_utf8_make_valid (action && action->any.title ? action->any.title : "", -1);
      item->page_index = action_page (self, action);
      child = depth < 32 ? poppler_index_iter_get_child (iter) : NULL;
      item->children = read_outline (self, child, depth + 1);
      g_clear_pointer (&child, poppler_index_iter_free);
      g_clear_pointer (&action, poppler_action_free);
      g_ptr_array_add (items, item);
    }
  while (poppler_index_iter_next (iter));

  return items;
}

GPtrArray *
ih_pdf_document_get_outline (IhPdfDocument *self)
{
  PopplerIndexIter *iter;
  GPtrArray *items;

  g_return_val_if_fail (IH_IS_PDF_DOCUMENT (self), NULL);

  g_mutex_lock (&self->lock);
  iter = poppler_index_iter_new (self->poppler);
  items = read_outline (self, iter, 0);
  g_clear_pointer (&iter, poppler_index_iter_free);
  g_mutex_unlock (&self->lock);

  return items;
}

GPtrArray *
ih_pdf_document_get_links (IhPdfDocument *self,
                           int            page_index)
{
  g_autoptr(PopplerPage) page = NULL;
  GPtrArray *links = g_ptr_array_new_with_free_func ((GDestroyNotify) ih_pdf_link_free);
  GList *mapping;
  double height = 0;

  g_return_val_if_fail (IH_IS_PDF_DOCUMENT (self), links);

  g_mutex_lock (&self->lock);
  page = get_page (self, page_index, NULL);
  if (page == NULL)
    {
      g_mutex_unlock (&self->lock);
      return links;
    }

  poppler_page_get_size (page, NULL, &height);
  mapping = poppler_page_get_link_mapping (page);
  for (GList *l = mapping; l != NULL; l = l->next)
    {
      PopplerLinkMapping *m = l->data;
      IhPdfLink *link;
      int target = -1;
      const char *uri = NULL;

      if (m->action == NULL)
        continue;
      if (m->action->type == POPPLER_ACTION_URI)
        uri = m->action->uri.uri;
      else
        target = action_page (self, m->action);
      if (uri == NULL && target < 0)
        continue;

      link = g_new0 (IhPdfLink, 1);
      link->rect.x1 = MIN (m->area.x1, m->area.x2);
      link->rect.x2 = MAX (m->area.x1, m->area.x2);
      link->rect.y1 = height - MAX (m->area.y1, m->area.y2);
      link->rect.y2 = height - MIN (m->area.y1, m->area.y2);
      link->page_index = target;
      link->uri = uri != NULL ? g_utf8_make_valid (uri, -1) : NULL;
      g_ptr_array_add (links, link);
    }
  poppler_page_free_link_mapping (mapping);
  g_clear_object (&page);
  g_mutex_unlock (&self->lock);

  return links;
}


/*
 * Selection
 */

static PopplerSelectionStyle
selection_style (IhPdfSelectionStyle style)
{
  switch (style)
    {
    case IH_PDF_SELECT_WORDS:
      return POPPLER_SELECTION_WORD;
    case IH_PDF_SELECT_LINES:
      return POPPLER_SELECTION_LINE;
    case IH_PDF_SELECT_GLYPHS:
    default:
      return POPPLER_SELECTION_GLYPH;
    }
}

char *
ih_pdf_document_get_selected_text (IhPdfDocument       *self,
                                   int                  page_index,
                                   const IhPdfRect     *area,
                                   IhPdfSelectionStyle  style)
{
  g_autoptr(PopplerPage) page = NULL;
  PopplerRectangle rect;
  char *text = NULL;

  g_return_val_if_fail (IH_IS_PDF_DOCUMENT (self), NULL);
  g_return_val_if_fail (area != NULL, NULL);

  rect.x1 = area->x1;
  rect.y1 = area->y1;
  rect.x2 = area->x2;
  rect.y2 = area->y2;

  g_mutex_lock (&self->lock);
  page = get_page (self, page_index, NULL);
  if (page != NULL)
    text = poppler_page_get_selected_text (page, selection_style (style), &rect);
  g_clear_object (&page);
  g_mutex_unlock (&self->lock);

  return clean_text (text);
}

cairo_region_t *
ih_pdf_document_get_selected_region (IhPdfDocument       *self,
                                     int                  page_index,
                                     const IhPdfRect     *area,
                                     IhPdfSelectionStyle  style,
                                     double               scale)
{
  g_autoptr(PopplerPage) page = NULL;
  PopplerRectangle rect;
  cairo_region_t *region = NULL;

  g_return_val_if_fail (IH_IS_PDF_DOCUMENT (self), NULL);
  g_return_val_if_fail (area != NULL, NULL);

  rect.x1 = area->x1;
  rect.y1 = area->y1;
  rect.x2 = area->x2;
  rect.y2 = area->y2;

  g_mutex_lock (&self->lock);
  page = get_page (self, page_index, NULL);
  if (page != NULL)
    region = poppler_page_get_selected_region (page, scale, selection_style (style), &rect);
  g_clear_object (&page);
  g_mutex_unlock (&self->lock);

  return region != NULL ? region : cairo_region_create ();
}


/*
 * Rendering
 */

static gboolean
check_pixels (IhPdfDocument  *self,
              int             page_index,
              double          scale,
              int             width,
              int             height,
              GError        **error)
{
  g_autofree char *name = NULL;

  if (width <= IH_PDF_MAX_SIDE && height <= IH_PDF_MAX_SIDE &&
      (gint64) width * height <= IH_PDF_MAX_PIXELS)
    return TRUE;

  name = g_filename_display_basename (self->path);
  g_set_error (error, IH_PDF_ERROR, IH_PDF_ERROR_TOO_LARGE,
               _("Page %d of “%s” at %d %% would be %d × %d pixels, more than "
                 "can be shown at once (%d million pixels); use a smaller zoom"),
               page_index + 1, name, (int) round (scale * 100), width, height,
               IH_PDF_MAX_PIXELS / (1024 * 1024));
  return FALSE;
}

/* Pixels of rendered pages live in their own memory mappings. From malloc,
 * pages rendered on one worker thread and freed on another pile up in
 * per-thread arenas, and resident memory crept up by tens of megabytes
 * page after page even with a bounded cache. A fresh mapping costs a page
 * fault per 4 KiB, so the mappings of destroyed surfaces are kept in a
 * small pool (at most POOL_MAX_BYTES) and reused for the next page of the
 * same size: rendering page after page at one zoom faults nothing. */
#define MAPPED_MIN_BYTES (256 * 1024)
#define POOL_MAX_BYTES   (24 * 1024 * 1024)

typedef struct
{
  void  *data;
  gsize  size;
} Mapping;

static const cairo_user_data_key_t mapping_key;

G_LOCK_DEFINE_STATIC (pool);
static GQueue pool = G_QUEUE_INIT;   /* of Mapping, most recently freed first */
static gsize pool_bytes;

static void
mapping_free (Mapping *mapping)
{
  munmap (mapping->data, mapping->size);
  g_free (mapping);
}

/* Called when a surface is destroyed */
static void
recycle_mapping (void *user_data)
{
  Mapping *mapping = user_data;
  GList *drop = NULL;

  G_LOCK (pool);
  if (mapping->size <= POOL_MAX_BYTES)
    {
      while (pool_bytes + mapping->size > POOL_MAX_BYTES)
        {
          Mapping *oldest = g_queue_pop_tail (&pool);

          pool_bytes -= oldest->size;
          drop = g_list_prepend (drop, oldest);
        }
      g_queue_push_head (&pool, mapping);
      pool_bytes += mapping->size;
      mapping = NULL;
    }
  G_UNLOCK (pool);

  /* Unmapped outside the lock */
  g_list_free_full (drop, (GDestroyNotify) mapping_free);
  if (mapping != NULL)
    mapping_free (mapping);
}

static Mapping *
take_mapping (gsize size)
{
  Mapping *mapping = NULL;
  void *data;

  G_LOCK (pool);
  for (GList *l = pool.head; l != NULL; l = l->next)
    if (((Mapping *) l->data)->size == size)
      {
        mapping = l->data;
        g_queue_delete_link (&pool, l);
        pool_bytes -= size;
        break;
      }
  G_UNLOCK (pool);

  if (mapping != NULL)
    return mapping;

  data = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (data == MAP_FAILED)
    return NULL;

  mapping = g_new (Mapping, 1);
  mapping->data = data;
  mapping->size = size;
  return mapping;
}

static cairo_surface_t *
create_surface (int width,
                int height)
{
  int stride = cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, width);
  gsize size = (gsize) stride * (gsize) height;
  cairo_surface_t *surface;
  Mapping *mapping;

  if (stride <= 0 || size < MAPPED_MIN_BYTES)
    return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);

  mapping = take_mapping (size);
  if (mapping == NULL)
    return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);

  surface = cairo_image_surface_create_for_data (mapping->data, CAIRO_FORMAT_ARGB32,
                                                 width, height, stride);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS ||
      cairo_surface_set_user_data (surface, &mapping_key, mapping, recycle_mapping) != CAIRO_STATUS_SUCCESS)
    {
      mapping_free (mapping);
      cairo_surface_destroy (surface);
      return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
    }

  return surface;
}

static cairo_surface_t *
render (IhPdfDocument  *self,
        int             page_index,
        double          scale,
        gboolean        whole,
        int             x,
        int             y,
        int             width,
        int             height,
        GCancellable   *cancellable,
        GError        **error)
{
  g_autoptr(PopplerPage) page = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_assert (IH_IS_PDF_DOCUMENT (self));

  if (!(scale > 0) || !isfinite (scale))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The zoom must be more than 0 %%"));
      return NULL;
    }

  g_mutex_lock (&self->lock);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto fail;

  page = get_page (self, page_index, error);
  if (page == NULL)
    goto fail;

  if (whole)
    {
      double w, h;

      poppler_page_get_size (page, &w, &h);
      ih_pdf_pixel_size (w, h, scale, &width, &height);
    }

  if (!check_pixels (self, page_index, scale, width, height, error))
    goto fail;

  surface = create_surface (width, height);
  status = cairo_surface_status (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _("Not enough memory to show page %d (%s)"),
                   page_index + 1, cairo_status_to_string (status));
      goto fail;
    }

  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_translate (cr, -x, -y);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  g_clear_object (&page);

  g_mutex_unlock (&self->lock);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, IH_PDF_ERROR, IH_PDF_ERROR_DAMAGED,
                   _("Page %d cannot be drawn (%s)"), page_index + 1,
                   cairo_status_to_string (status));
      return NULL;
    }

  cairo_surface_flush (surface);
  return surface;

fail:
  g_clear_object (&page);
  g_mutex_unlock (&self->lock);
  return NULL;
}

cairo_surface_t *
ih_pdf_document_render_page (IhPdfDocument  *self,
                             int             page_index,
                             double          scale,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_return_val_if_fail (IH_IS_PDF_DOCUMENT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return render (self, page_index, scale, TRUE, 0, 0, 0, 0, cancellable, error);
}

cairo_surface_t *
ih_pdf_document_render_area (IhPdfDocument  *self,
                             int             page_index,
                             double          scale,
                             int             x,
                             int             y,
                             int             width,
                             int             height,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_return_val_if_fail (IH_IS_PDF_DOCUMENT (self), NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return render (self, page_index, scale, FALSE, x, y, width, height, cancellable, error);
}

typedef struct
{
  int    page_index;
  double scale;
} RenderData;

static void
render_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderData *data = task_data;
  GError *error = NULL;
  cairo_surface_t *surface;

  surface = ih_pdf_document_render_page (source_object, data->page_index, data->scale,
                                         cancellable, &error);
  if (surface == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, surface, (GDestroyNotify) cairo_surface_destroy);
}

void
ih_pdf_document_render_page_async (IhPdfDocument       *self,
                                   int                  page_index,
                                   double               scale,
                                   int                  io_priority,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RenderData *data;

  g_return_if_fail (IH_IS_PDF_DOCUMENT (self));

  data = g_new0 (RenderData, 1);
  data->page_index = page_index;
  data->scale = scale;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ih_pdf_document_render_page_async);
  g_task_set_priority (task, io_priority);
  g_task_set_task_data (task, data, g_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, render_worker);
}

cairo_surface_t *
ih_pdf_document_render_page_finish (IhPdfDocument  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
