/* ih-page-cache.c — rendered pages, bounded by bytes, least recently used out
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-page-cache"

#include "config.h"

#include <math.h>

#include "ih-pdf.h"

typedef struct
{
  guint64 serial;      /* of the document: pointers can be reused */
  int     page_index;
  gint64  scale;       /* scale × 10000, rounded */
} Key;

typedef struct
{
  Key              key;
  cairo_surface_t *surface;
  gsize            bytes;
  GList            link;  /* in lru, data = the entry */
} Entry;

struct _IhPageCache
{
  GObject     parent_instance;

  GMutex      lock;
  GHashTable *entries;    /* Key → Entry (owned) */
  GQueue      lru;        /* head = most recently used */
  gsize       bytes;
  gsize       max_bytes;
  guint64     hits;
  guint64     misses;
  guint64     evictions;
};

G_DEFINE_FINAL_TYPE (IhPageCache, ih_page_cache, G_TYPE_OBJECT)

static guint
key_hash (gconstpointer data)
{
  const Key *key = data;

  return (guint) (key->serial * 1000003u) ^ (guint) key->page_index * 7919u ^ (guint) key->scale;
}

static gboolean
key_equal (gconstpointer a,
           gconstpointer b)
{
  const Key *ka = a, *kb = b;

  return ka->serial == kb->serial && ka->page_index == kb->page_index && ka->scale == kb->scale;
}

static void
entry_free (Entry *entry)
{
  cairo_surface_destroy (entry->surface);
  g_free (entry);
}

static void
make_key (Key           *key,
          IhPdfDocument *document,
          int            page_index,
          double         scale)
{
  key->serial = ih_pdf_document_get_serial (document);
  key->page_index = page_index;
  key->scale = (gint64) llround (scale * 10000);
}

/* With the lock held */
static void
remove_entry (IhPageCache *self,
              Entry       *entry)
{
  g_queue_unlink (&self->lru, &entry->link);
  self->bytes -= entry->bytes;
  g_hash_table_remove (self->entries, &entry->key);
}

static void
ih_page_cache_finalize (GObject *object)
{
  IhPageCache *self = (IhPageCache *) object;

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ih_page_cache_parent_class)->finalize (object);
}

static void
ih_page_cache_class_init (IhPageCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ih_page_cache_finalize;
}

static void
ih_page_cache_init (IhPageCache *self)
{
  g_mutex_init (&self->lock);
  self->entries = g_hash_table_new_full (key_hash, key_equal, NULL, (GDestroyNotify) entry_free);
  g_queue_init (&self->lru);
}

IhPageCache *
ih_page_cache_new (gsize max_bytes)
{
  IhPageCache *self = g_object_new (IH_TYPE_PAGE_CACHE, NULL);

  self->max_bytes = max_bytes;
  return self;
}

cairo_surface_t *
ih_page_cache_lookup (IhPageCache   *self,
                      IhPdfDocument *document,
                      int            page_index,
                      double         scale)
{
  cairo_surface_t *surface = NULL;
  Entry *entry;
  Key key;

  g_return_val_if_fail (IH_IS_PAGE_CACHE (self), NULL);
  g_return_val_if_fail (IH_IS_PDF_DOCUMENT (document), NULL);

  make_key (&key, document, page_index, scale);

  g_mutex_lock (&self->lock);
  entry = g_hash_table_lookup (self->entries, &key);
  if (entry != NULL)
    {
      g_queue_unlink (&self->lru, &entry->link);
      g_queue_push_head_link (&self->lru, &entry->link);
      surface = cairo_surface_reference (entry->surface);
      self->hits++;
    }
  else
    self->misses++;
  g_mutex_unlock (&self->lock);

  return surface;
}

void
ih_page_cache_insert (IhPageCache     *self,
                      IhPdfDocument   *document,
                      int              page_index,
                      double           scale,
                      cairo_surface_t *surface)
{
  Entry *entry;
  gsize bytes;
  Key key;

  g_return_if_fail (IH_IS_PAGE_CACHE (self));
  g_return_if_fail (IH_IS_PDF_DOCUMENT (document));
  g_return_if_fail (surface != NULL);
  g_return_if_fail (cairo_surface_get_type (surface) == CAIRO_SURFACE_TYPE_IMAGE);

  bytes = (gsize) cairo_image_surface_get_stride (surface) *
          (gsize) cairo_image_surface_get_height (surface);
  make_key (&key, document, page_index, scale);

  g_mutex_lock (&self->lock);

  entry = g_hash_table_lookup (self->entries, &key);
  if (entry != NULL)
    remove_entry (self, entry);

  if (bytes <= self->max_bytes)
    {
      while (self->bytes + bytes > self->max_bytes && self->lru.tail != NULL)
        {
          remove_entry (self, self->lru.tail->data);
          self->evictions++;
        }

      entry = g_new0 (Entry, 1);
      entry->key = key;
      entry->surface = cairo_surface_reference (surface);
      entry->bytes = bytes;
      entry->link.data = entry;
      g_queue_push_head_link (&self->lru, &entry->link);
      g_hash_table_insert (self->entries, &entry->key, entry);
      self->bytes += bytes;
    }

  g_mutex_unlock (&self->lock);
}

void
ih_page_cache_remove_document (IhPageCache   *self,
                               IhPdfDocument *document)
{
  guint64 serial;
  GList *l;

  g_return_if_fail (IH_IS_PAGE_CACHE (self));
  g_return_if_fail (IH_IS_PDF_DOCUMENT (document));

  serial = ih_pdf_document_get_serial (document);

  g_mutex_lock (&self->lock);
  l = self->lru.head;
  while (l != NULL)
    {
      Entry *entry = l->data;

      l = l->next;
      if (entry->key.serial == serial)
        remove_entry (self, entry);
    }
  g_mutex_unlock (&self->lock);
}

void
ih_page_cache_clear (IhPageCache *self)
{
  g_return_if_fail (IH_IS_PAGE_CACHE (self));

  g_mutex_lock (&self->lock);
  while (self->lru.head != NULL)
    remove_entry (self, self->lru.head->data);
  g_mutex_unlock (&self->lock);
}

void
ih_page_cache_get_stats (IhPageCache      *self,
                         IhPageCacheStats *stats)
{
  g_return_if_fail (IH_IS_PAGE_CACHE (self));
  g_return_if_fail (stats != NULL);

  g_mutex_lock (&self->lock);
  stats->bytes = self->bytes;
  stats->max_bytes = self->max_bytes;
  stats->n_pages = self->lru.length;
  stats->hits = self->hits;
  stats->misses = self->misses;
  stats->evictions = self->evictions;
  g_mutex_unlock (&self->lock);
}

typedef struct
{
  IhPdfDocument *document;
  int            page_index;
  double         scale;
} RenderData;

static void
render_data_free (RenderData *data)
{
  g_clear_object (&data->document);
  g_free (data);
}

static void
render_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  IhPageCache *self = g_task_get_source_object (task);
  RenderData *data = g_task_get_task_data (task);
  GError *error = NULL;
  cairo_surface_t *surface;

  surface = ih_pdf_document_render_page_finish (IH_PDF_DOCUMENT (object), result, &error);
  if (surface == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  ih_page_cache_insert (self, data->document, data->page_index, data->scale, surface);
  g_task_return_pointer (task, surface, (GDestroyNotify) cairo_surface_destroy);
}

void
ih_page_cache_render_async (IhPageCache         *self,
                            IhPdfDocument       *document,
                            int                  page_index,
                            double               scale,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  cairo_surface_t *surface;
  RenderData *data;

  g_return_if_fail (IH_IS_PAGE_CACHE (self));
  g_return_if_fail (IH_IS_PDF_DOCUMENT (document));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ih_page_cache_render_async);
  g_task_set_priority (task, io_priority);

  surface = ih_page_cache_lookup (self, document, page_index, scale);
  if (surface != NULL)
    {
      g_task_return_pointer (task, surface, (GDestroyNotify) cairo_surface_destroy);
      return;
    }

  data = g_new0 (RenderData, 1);
  data->document = g_object_ref (document);
  data->page_index = page_index;
  data->scale = scale;
  g_task_set_task_data (task, data, (GDestroyNotify) render_data_free);

  ih_pdf_document_render_page_async (document, page_index, scale, io_priority, cancellable,
                                     render_cb, g_steal_pointer (&task));
}

cairo_surface_t *
ih_page_cache_render_finish (IhPageCache   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
