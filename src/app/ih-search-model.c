/* ih-search-model.c
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A GListModel of search hits that stays small whatever the number of
 * matches: the count comes from a worker thread, and rows are read in
 * windows of IH_SEARCH_MODEL_WINDOW as the list asks for them. At most
 * IH_SEARCH_MODEL_MAX_WINDOWS windows are kept; the least recently used
 * goes first.
 *
 * Threads: the model lives in the main thread. Workers get everything they
 * need in their task data (a store reference, the query text or a
 * reference on the IhSearch) and hand results back through the GTask; they
 * never see the model. Tasks hold only a weak reference on the model, so
 * it can be disposed while work is in flight: dispose cancels the work and
 * late results are dropped. An IhSearch is not thread-safe, so each one is
 * used by one task at a time: the count creates it, then the loads of its
 * windows run one after the other.
 *
 * Counting every match of a broad prefix ("appo": a quarter of a million)
 * takes longer than a keystroke should. So the first worker only looks
 * whether there are more than IH_SEARCH_MODEL_EXACT_UP_TO matches: if not,
 * it counts them (quickly, there are few); if so, it reads the first
 * window and the model shows it with IH_SEARCH_MODEL_EXACT_UP_TO + 1 items
 * (a lower bound) while a second worker, with its own IhSearch, counts
 * them all; the rows beyond are then added at the end. */

#define G_LOG_DOMAIN "ih-search-model"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ih-search-model.h"
#include "ih-search.h"

/*
 * A shared IhSearch
 */

/* The model and a load in flight may both hold the search of a query that
 * has just been replaced; the last one to let go frees it. */
typedef struct
{
  IhSearch *search;
} SearchHandle;

static void
search_handle_clear (gpointer data)
{
  SearchHandle *handle = data;

  g_clear_pointer (&handle->search, ih_search_free);
}

static SearchHandle *
search_handle_new (IhSearch *search)
{
  SearchHandle *handle = g_atomic_rc_box_new0 (SearchHandle);

  handle->search = search;
  return handle;
}

static SearchHandle *
search_handle_ref (SearchHandle *handle)
{
  return g_atomic_rc_box_acquire (handle);
}

static void
search_handle_unref (SearchHandle *handle)
{
  g_atomic_rc_box_release_full (handle, search_handle_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SearchHandle, search_handle_unref)

/*
 * A row as the worker prepares it
 */

typedef struct
{
  char *id;
  char *snippet_markup;
  char *date;
  char *summary;
} HitRow;

static void
hit_row_free (HitRow *row)
{
  g_free (row->id);
  g_free (row->snippet_markup);
  g_free (row->date);
  g_free (row->summary);
  g_free (row);
}

/* Escapes the text for Pango, puts matches in <b></b> and joins lines. */
static char *
snippet_to_markup (const char *snippet)
{
  GString *out = g_string_new (NULL);
  const char *p = snippet ? snippet : "";
  gboolean open = FALSE;

  while (*p)
    {
      gsize len = strcspn (p, IH_HIT_MARK_START IH_HIT_MARK_END "\r\n");

      if (len > 0)
        {
          g_autofree char *escaped = g_markup_escape_text (p, len);

          g_string_append (out, escaped);
          p += len;
          continue;
        }

      if (*p == IH_HIT_MARK_START[0])
        {
          if (!open)
            g_string_append (out, "<b>");
          open = TRUE;
        }
      else if (*p == IH_HIT_MARK_END[0])
        {
          if (open)
            g_string_append (out, "</b>");
          open = FALSE;
        }
      else
        {
          /* One space for "\r\n" too */
          if (p[0] == '\r' && p[1] == '\n')
            p++;
          g_string_append_c (out, ' ');
        }
      p++;
    }

  /* A snippet cut inside a match must still be valid markup */
  if (open)
    g_string_append (out, "</b>");

  return g_string_free (out, FALSE);
}

/* "Quote · Negative · Stroud maternity workshop", skipping what is missing */
static char *
make_summary (const IhHit *hit)
{
  const char *parts[4] = { NULL, };
  guint n = 0;

  if (hit->kind != NULL && *hit->kind != '\0')
    {
      const char *label = ih_vocab_label ("insight-kind", hit->kind);

      /* Unknown keys are shown as stored rather than hidden */
      parts[n++] = label ? label : hit->kind;
    }
  if (hit->sentiment != NULL && *hit->sentiment != '\0')
    {
      const char *label = ih_vocab_label ("sentiment", hit->sentiment);

      parts[n++] = label ? label : hit->sentiment;
    }
  if (hit->activity_title != NULL && *hit->activity_title != '\0')
    parts[n++] = hit->activity_title;

  return g_strjoinv (" · ", (char **) parts);
}

static HitRow *
hit_row_new (const IhHit *hit)
{
  HitRow *row = g_new0 (HitRow, 1);

  row->id = g_strdup (hit->id ? hit->id : "");
  row->snippet_markup = snippet_to_markup (hit->snippet);
  row->date = g_strdup (hit->date ? hit->date : "");
  row->summary = make_summary (hit);
  return row;
}

/*
 * IhHitItem
 */

struct _IhHitItem
{
  GObject   parent_instance;

  char     *id;
  char     *snippet_markup;
  char     *date;
  char     *summary;
  gboolean  loaded;
};

G_DEFINE_FINAL_TYPE (IhHitItem, ih_hit_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_LOADED,
  ITEM_PROP_ID,
  ITEM_PROP_SNIPPET_MARKUP,
  ITEM_PROP_DATE,
  ITEM_PROP_SUMMARY,
  ITEM_N_PROPS
};

static GParamSpec *item_properties[ITEM_N_PROPS];

static IhHitItem *
ih_hit_item_new_placeholder (void)
{
  return g_object_new (IH_TYPE_HIT_ITEM, NULL);
}

static gboolean
replace_string (char **field,
                char **value)
{
  if (g_strcmp0 (*field, *value) == 0)
    {
      g_clear_pointer (value, g_free);
      return FALSE;
    }

  g_free (*field);
  *field = g_steal_pointer (value);
  return TRUE;
}

/* Takes the strings of @row. Everything is set before anything is
 * notified, and "loaded" last, so a handler sees the whole row. */
static void
ih_hit_item_fill (IhHitItem *self,
                  HitRow    *row)
{
  gboolean id_changed;
  gboolean markup_changed;
  gboolean date_changed;
  gboolean summary_changed;
  gboolean loaded_changed;

  g_assert (IH_IS_HIT_ITEM (self));
  g_assert (row != NULL);

  id_changed = replace_string (&self->id, &row->id);
  markup_changed = replace_string (&self->snippet_markup, &row->snippet_markup);
  date_changed = replace_string (&self->date, &row->date);
  summary_changed = replace_string (&self->summary, &row->summary);
  loaded_changed = !self->loaded;
  self->loaded = TRUE;

  if (id_changed)
    g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_ID]);
  if (markup_changed)
    g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_SNIPPET_MARKUP]);
  if (date_changed)
    g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_DATE]);
  if (summary_changed)
    g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_SUMMARY]);
  if (loaded_changed)
    g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_LOADED]);
}

static void
ih_hit_item_finalize (GObject *object)
{
  IhHitItem *self = (IhHitItem *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->snippet_markup, g_free);
  g_clear_pointer (&self->date, g_free);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (ih_hit_item_parent_class)->finalize (object);
}

static void
ih_hit_item_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  IhHitItem *self = IH_HIT_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_LOADED:
      g_value_set_boolean (value, ih_hit_item_get_loaded (self));
      break;

    case ITEM_PROP_ID:
      g_value_set_string (value, ih_hit_item_get_id (self));
      break;

    case ITEM_PROP_SNIPPET_MARKUP:
      g_value_set_string (value, ih_hit_item_get_snippet_markup (self));
      break;

    case ITEM_PROP_DATE:
      g_value_set_string (value, ih_hit_item_get_date (self));
      break;

    case ITEM_PROP_SUMMARY:
      g_value_set_string (value, ih_hit_item_get_summary (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ih_hit_item_class_init (IhHitItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ih_hit_item_finalize;
  object_class->get_property = ih_hit_item_get_property;

  item_properties[ITEM_PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_SNIPPET_MARKUP] =
    g_param_spec_string ("snippet-markup", NULL, NULL,
                         "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_DATE] =
    g_param_spec_string ("date", NULL, NULL,
                         "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL,
                         "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_properties);
}

static void
ih_hit_item_init (IhHitItem *self)
{
}

gboolean
ih_hit_item_get_loaded (IhHitItem *self)
{
  g_return_val_if_fail (IH_IS_HIT_ITEM (self), FALSE);

  return self->loaded;
}

const char *
ih_hit_item_get_id (IhHitItem *self)
{
  g_return_val_if_fail (IH_IS_HIT_ITEM (self), NULL);

  return self->id ? self->id : "";
}

const char *
ih_hit_item_get_snippet_markup (IhHitItem *self)
{
  g_return_val_if_fail (IH_IS_HIT_ITEM (self), NULL);

  return self->snippet_markup ? self->snippet_markup : "";
}

const char *
ih_hit_item_get_date (IhHitItem *self)
{
  g_return_val_if_fail (IH_IS_HIT_ITEM (self), NULL);

  return self->date ? self->date : "";
}

const char *
ih_hit_item_get_summary (IhHitItem *self)
{
  g_return_val_if_fail (IH_IS_HIT_ITEM (self), NULL);

  return self->summary ? self->summary : "";
}

/*
 * IhSearchModel
 */

typedef struct
{
  guint      index;       /* covers [index * W, (index + 1) * W) */
  GPtrArray *items;       /* of IhHitItem, placeholders until loaded */
  gboolean   loaded;
  gboolean   queued;      /* in self->pending */
} Window;

struct _IhSearchModel
{
  GObject       parent_instance;

  /* Owned References */
  IhStore      *store;
  GCancellable *cancellable;     /* the current query's count and loads */
  SearchHandle *search;          /* NULL until the current query is counted */

  char         *query;
  char         *error;
  guint         n_items;

  /* Bumped by every query and by dispose: a result from an older
   * generation is dropped even when it was ready before the cancel. */
  guint64       generation;

  GHashTable   *windows;         /* index → Window */
  GQueue        lru;             /* of Window, most recently used first */
  GQueue        pending;         /* of Window to read, most recent request first */
  guint         load_idle_id;

  guint         loading_index;   /* the window being read, when loading */
  guint         counting : 1;    /* until the exact count is known */
  guint         exact : 1;       /* n_items is the exact count */
  guint         loading : 1;
  guint         busy : 1;        /* as last notified */
};

static void ih_search_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (IhSearchModel, ih_search_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, ih_search_model_list_model_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_QUERY,
  PROP_BUSY,
  PROP_ERROR,
  PROP_ITEM_TYPE,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  GWeakRef  model;
  guint64   generation;
  IhStore  *store;
  char     *text;
} CountData;

typedef struct
{
  SearchHandle *search;
  gint64        count;
  GPtrArray    *rows;            /* of HitRow: the first window, when count is a lower bound */
} CountResult;

typedef struct
{
  GWeakRef      model;
  guint64       generation;
  SearchHandle *search;
  guint         index;
  guint64       offset;
  guint         limit;
} LoadData;

static void start_next_load (IhSearchModel *self);
static void start_exact_count (IhSearchModel *self,
                               const char    *text);

/*
 * Task data
 */

/* Task data may be freed in the worker thread: only thread-safe unrefs */
static void
count_data_free (CountData *data)
{
  g_weak_ref_clear (&data->model);
  g_clear_object (&data->store);
  g_clear_pointer (&data->text, g_free);
  g_free (data);
}

static void
count_result_free (CountResult *result)
{
  g_clear_pointer (&result->search, search_handle_unref);
  g_clear_pointer (&result->rows, g_ptr_array_unref);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CountResult, count_result_free)

static void
load_data_free (LoadData *data)
{
  g_weak_ref_clear (&data->model);
  g_clear_pointer (&data->search, search_handle_unref);
  g_free (data);
}

/*
 * Auxiliary methods
 */

static void
window_free (Window *window)
{
  g_clear_pointer (&window->items, g_ptr_array_unref);
  g_free (window);
}

static void
update_busy (IhSearchModel *self)
{
  gboolean busy;

  g_assert (IH_IS_SEARCH_MODEL (self));

  busy = self->counting || self->loading;
  if (busy == self->busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static gboolean
set_error (IhSearchModel *self,
           const char    *message)
{
  g_assert (IH_IS_SEARCH_MODEL (self));

  if (g_strcmp0 (self->error, message) == 0)
    return FALSE;

  g_free (self->error);
  self->error = g_strdup (message);
  return TRUE;
}

static void
clear_pending (IhSearchModel *self)
{
  Window *window;

  g_assert (IH_IS_SEARCH_MODEL (self));

  while ((window = g_queue_pop_head (&self->pending)))
    window->queued = FALSE;
  g_clear_handle_id (&self->load_idle_id, g_source_remove);
}

static void
drop_windows (IhSearchModel *self)
{
  g_assert (IH_IS_SEARCH_MODEL (self));

  clear_pending (self);
  g_queue_clear (&self->lru);
  g_hash_table_remove_all (self->windows);
}

static Window *
lookup_window (IhSearchModel *self,
               guint          index)
{
  g_assert (IH_IS_SEARCH_MODEL (self));

  return g_hash_table_lookup (self->windows, GUINT_TO_POINTER (index));
}

static void
touch_window (IhSearchModel *self,
              Window        *window)
{
  g_assert (IH_IS_SEARCH_MODEL (self));

  if (g_queue_peek_head (&self->lru) == window)
    return;

  g_queue_remove (&self->lru, window);
  g_queue_push_head (&self->lru, window);
}

static void
evict_window (IhSearchModel *self)
{
  Window *window;

  g_assert (IH_IS_SEARCH_MODEL (self));

  window = g_queue_pop_tail (&self->lru);
  if (window == NULL)
    return;

  /* Items handed out keep their last state; nothing updates them now */
  if (window->queued)
    g_queue_remove (&self->pending, window);
  g_hash_table_remove (self->windows, GUINT_TO_POINTER (window->index));
}

static Window *
add_window (IhSearchModel *self,
            guint          index)
{
  Window *window;
  guint first = index * IH_SEARCH_MODEL_WINDOW;
  guint size;

  g_assert (IH_IS_SEARCH_MODEL (self));
  g_assert (first < self->n_items);

  while (g_hash_table_size (self->windows) >= IH_SEARCH_MODEL_MAX_WINDOWS)
    evict_window (self);

  size = MIN (IH_SEARCH_MODEL_WINDOW, self->n_items - first);
  window = g_new0 (Window, 1);
  window->index = index;
  window->items = g_ptr_array_new_full (size, g_object_unref);
  for (guint i = 0; i < size; i++)
    g_ptr_array_add (window->items, ih_hit_item_new_placeholder ());

  g_hash_table_insert (self->windows, GUINT_TO_POINTER (index), window);
  g_queue_push_head (&self->lru, window);

  return window;
}

static void
start_loads_idle_cb (gpointer user_data)
{
  IhSearchModel *self = user_data;

  g_assert (IH_IS_SEARCH_MODEL (self));

  self->load_idle_id = 0;
  start_next_load (self);
}

/* Loads start from an idle so that a list asking for many rows in one
 * frame has asked for all of them first (the most recent goes first), and
 * so that "busy" is not notified from inside get_item(). */
static void
request_load (IhSearchModel *self,
              Window        *window)
{
  g_assert (IH_IS_SEARCH_MODEL (self));
  g_assert (!window->loaded);

  if (self->loading && self->loading_index == window->index)
    return;

  if (window->queued)
    {
      if (g_queue_peek_head (&self->pending) == window)
        return;
      g_queue_remove (&self->pending, window);
    }

  window->queued = TRUE;
  g_queue_push_head (&self->pending, window);

  if (self->load_idle_id == 0 && !self->loading)
    self->load_idle_id = g_idle_add_once (start_loads_idle_cb, self);
}

/*
 * Workers (no access to the model here)
 */

static void
count_worker (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CountData *data = task_data;
  g_autoptr(IhSearch) search = NULL;
  g_autoptr(GPtrArray) probe = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  CountResult *result;
  gint64 count;

  if (g_task_return_error_if_cancelled (task))
    return;

  search = ih_search_new (data->store, data->text, IH_QUERY_FLAG_PREFIX_LAST, &error);
  if (search == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The next keystroke cancels this query's count and loads in SQLite */
  ih_search_set_cancellable (search, cancellable);

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Is there a match past the first IH_SEARCH_MODEL_EXACT_UP_TO? */
  probe = ih_search_fetch (search, IH_SEARCH_MODEL_EXACT_UP_TO, 1, &error);
  if (probe == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (probe->len == 0)
    {
      count = ih_search_count (search, &error);
      if (count < 0)
        {
          if (error == NULL)
            g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Search failed"));
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  else
    {
      /* Many: show the first rows now, count them all afterwards */
      g_autoptr(GPtrArray) hits = ih_search_fetch (search, 0, IH_SEARCH_MODEL_WINDOW, &error);

      if (hits == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      rows = g_ptr_array_new_full (hits->len, (GDestroyNotify) hit_row_free);
      for (guint i = 0; i < hits->len; i++)
        g_ptr_array_add (rows, hit_row_new (g_ptr_array_index (hits, i)));
      count = IH_SEARCH_MODEL_EXACT_UP_TO + 1;
    }

  result = g_new0 (CountResult, 1);
  result->search = search_handle_new (g_steal_pointer (&search));
  result->count = count;
  result->rows = g_steal_pointer (&rows);
  g_task_return_pointer (task, result, (GDestroyNotify) count_result_free);
}

/* The exact count of a search with many matches, with a search of its
 * own: the model's may be reading rows meanwhile */
static void
exact_count_worker (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  CountData *data = task_data;
  g_autoptr(IhSearch) search = NULL;
  g_autoptr(GError) error = NULL;
  gint64 count;

  if (g_task_return_error_if_cancelled (task))
    return;

  search = ih_search_new (data->store, data->text, IH_QUERY_FLAG_PREFIX_LAST, &error);
  if (search == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  ih_search_set_cancellable (search, cancellable);

  count = ih_search_count (search, &error);
  if (count < 0)
    {
      if (error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Search failed"));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_int (task, count);
}

static void
load_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  hits = ih_search_fetch (data->search->search, data->offset, data->limit, &error);
  if (hits == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Formatting here keeps the main thread's share small */
  rows = g_ptr_array_new_full (hits->len, (GDestroyNotify) hit_row_free);
  for (guint i = 0; i < hits->len; i++)
    g_ptr_array_add (rows, hit_row_new (g_ptr_array_index (hits, i)));

  g_task_return_pointer (task, g_steal_pointer (&rows), (GDestroyNotify) g_ptr_array_unref);
}

/*
 * Callbacks
 */

static void
load_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = G_TASK (result);
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(IhSearchModel) self = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  Window *window;

  rows = g_task_propagate_pointer (task, &error);

  /* Disposed, or a newer query took over */
  self = g_weak_ref_get (&data->model);
  if (self == NULL || data->generation != self->generation)
    return;

  self->loading = FALSE;

  if (rows == NULL)
    {
      /* Left unloaded: asked for again, it is read again */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read search results: %s", error->message);
      start_next_load (self);
      return;
    }

  /* Evicted meanwhile, or evicted and made again: fill what is there now */
  window = lookup_window (self, data->index);
  /* Made again at another size (the list grew when counted): read again */
  if (window != NULL && !window->loaded && window->items->len != data->limit)
    {
      request_load (self, window);
      window = NULL;
    }
  if (window != NULL && !window->loaded)
    {
      window->loaded = TRUE;
      if (window->queued)
        {
          g_queue_remove (&self->pending, window);
          window->queued = FALSE;
        }

      /* Handlers may call get_item() and evict this very window */
      items = g_ptr_array_ref (window->items);
      for (guint i = 0; i < MIN (rows->len, items->len); i++)
        ih_hit_item_fill (g_ptr_array_index (items, i), g_ptr_array_index (rows, i));
    }

  start_next_load (self);
}

static void
start_next_load (IhSearchModel *self)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;
  Window *window;

  g_assert (IH_IS_SEARCH_MODEL (self));

  g_clear_handle_id (&self->load_idle_id, g_source_remove);

  /* One at a time: the IhSearch is not thread-safe. Windows asked for
   * while counting wait for the new search. */
  if (self->loading || self->search == NULL)
    {
      update_busy (self);
      return;
    }

  window = g_queue_pop_head (&self->pending);
  if (window == NULL)
    {
      update_busy (self);
      return;
    }
  g_assert (!window->loaded);
  window->queued = FALSE;

  data = g_new0 (LoadData, 1);
  g_weak_ref_init (&data->model, self);
  data->generation = self->generation;
  data->search = search_handle_ref (self->search);
  data->index = window->index;
  data->offset = (guint64) window->index * IH_SEARCH_MODEL_WINDOW;
  data->limit = window->items->len;

  /* No source object: the task must not keep the model alive */
  task = g_task_new (NULL, self->cancellable, load_cb, NULL);
  g_task_set_source_tag (task, start_next_load);
  g_task_set_priority (task, G_PRIORITY_DEFAULT);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  self->loading = TRUE;
  self->loading_index = window->index;
  update_busy (self);

  g_task_run_in_thread (task, load_worker);
}

static void
exact_count_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = G_TASK (result);
  CountData *data = g_task_get_task_data (task);
  g_autoptr(IhSearchModel) self = NULL;
  g_autoptr(GError) error = NULL;
  gint64 count;
  guint old_n;
  guint new_n;
  guint position;

  count = g_task_propagate_int (task, &error);

  self = g_weak_ref_get (&data->model);
  if (self == NULL || data->generation != self->generation)
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->counting = FALSE;
  self->exact = TRUE;
  old_n = self->n_items;

  if (error != NULL)
    {
      /* The rows shown stay; only the total is unknown */
      g_warning ("Could not count the search results: %s", error->message);
      update_busy (self);
      return;
    }

  new_n = (guint) CLAMP (count, 0, (gint64) G_MAXUINT);
  if (new_n < old_n)
    {
      /* The store changed meanwhile: start the list again */
      drop_windows (self);
      position = 0;
    }
  else
    {
      Window *last;

      /* The last window was cut at the lower bound: it is made again at
       * its full size when asked for */
      position = (old_n / IH_SEARCH_MODEL_WINDOW) * IH_SEARCH_MODEL_WINDOW;
      last = lookup_window (self, old_n / IH_SEARCH_MODEL_WINDOW);
      if (position == old_n)
        last = NULL;
      if (last != NULL)
        {
          if (last->queued)
            {
              g_queue_remove (&self->pending, last);
              last->queued = FALSE;
            }
          g_queue_remove (&self->lru, last);
          g_hash_table_remove (self->windows, GUINT_TO_POINTER (last->index));
        }
    }

  self->n_items = new_n;
  g_list_model_items_changed (G_LIST_MODEL (self), position, old_n - position, new_n - position);
  if (old_n != new_n)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  update_busy (self);
}

static void
start_exact_count (IhSearchModel *self,
                   const char    *text)
{
  g_autoptr(GTask) task = NULL;
  CountData *data;

  g_assert (IH_IS_SEARCH_MODEL (self));

  data = g_new0 (CountData, 1);
  g_weak_ref_init (&data->model, self);
  data->generation = self->generation;
  data->store = g_object_ref (self->store);
  data->text = g_strdup (text);

  /* Behind the first rows, which are already here */
  task = g_task_new (NULL, self->cancellable, exact_count_cb, NULL);
  g_task_set_source_tag (task, start_exact_count);
  g_task_set_priority (task, G_PRIORITY_LOW);
  g_task_set_task_data (task, data, (GDestroyNotify) count_data_free);
  g_task_run_in_thread (task, exact_count_worker);
}

static void
count_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = G_TASK (result);
  CountData *data = g_task_get_task_data (task);
  g_autoptr(IhSearchModel) self = NULL;
  g_autoptr(CountResult) counted = NULL;
  g_autoptr(GError) error = NULL;
  guint old_n;
  guint new_n;
  gboolean error_changed;

  counted = g_task_propagate_pointer (task, &error);

  /* Disposed, superseded, or finished just before a newer query came */
  self = g_weak_ref_get (&data->model);
  if (self == NULL || data->generation != self->generation)
    {
      g_debug ("Dropped the count of an older search (%s)", error ? error->message : "finished");
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  old_n = self->n_items;

  drop_windows (self);
  g_clear_pointer (&self->search, search_handle_unref);
  self->counting = FALSE;
  self->exact = TRUE;

  if (counted != NULL)
    {
      self->search = g_steal_pointer (&counted->search);
      new_n = (guint) CLAMP (counted->count, 0, (gint64) G_MAXUINT);
      error_changed = set_error (self, NULL);
    }
  else
    {
      new_n = 0;
      error_changed = set_error (self, error->message);
    }

  self->n_items = new_n;

  /* Many matches: the first window is here, the exact count to come */
  if (counted != NULL && counted->rows != NULL)
    {
      Window *first = add_window (self, 0);

      first->loaded = TRUE;
      for (guint i = 0; i < MIN (counted->rows->len, first->items->len); i++)
        ih_hit_item_fill (g_ptr_array_index (first->items, i), g_ptr_array_index (counted->rows, i));

      self->counting = TRUE;
      self->exact = FALSE;
      start_exact_count (self, data->text);
    }

  /* Every row may differ, even when the number does not */
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, new_n);

  if (old_n != new_n)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  if (error_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);

  /* Rows the list asked for during items-changed are loaded from an idle */
  update_busy (self);
}

/*
 * GListModel
 */

static GType
ih_search_model_get_item_type (GListModel *model)
{
  return IH_TYPE_HIT_ITEM;
}

static guint
ih_search_model_get_n_items (GListModel *model)
{
  IhSearchModel *self = IH_SEARCH_MODEL (model);

  return self->n_items;
}

static gpointer
ih_search_model_get_item (GListModel *model,
                          guint       position)
{
  IhSearchModel *self = IH_SEARCH_MODEL (model);
  Window *window;
  guint index;

  if (position >= self->n_items)
    return NULL;

  index = position / IH_SEARCH_MODEL_WINDOW;
  window = lookup_window (self, index);
  if (window == NULL)
    window = add_window (self, index);
  else
    touch_window (self, window);

  if (!window->loaded)
    request_load (self, window);

  return g_object_ref (g_ptr_array_index (window->items, position - index * IH_SEARCH_MODEL_WINDOW));
}

static void
ih_search_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = ih_search_model_get_item_type;
  iface->get_n_items = ih_search_model_get_n_items;
  iface->get_item = ih_search_model_get_item;
}

/*
 * GObject overrides
 */

static void
ih_search_model_dispose (GObject *object)
{
  IhSearchModel *self = (IhSearchModel *) object;

  /* Work in flight finds the model gone, or a newer generation */
  self->generation++;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_pending (self);
  self->counting = FALSE;
  self->loading = FALSE;
  g_clear_pointer (&self->search, search_handle_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ih_search_model_parent_class)->dispose (object);
}

static void
ih_search_model_finalize (GObject *object)
{
  IhSearchModel *self = (IhSearchModel *) object;

  g_queue_clear (&self->pending);
  g_queue_clear (&self->lru);
  g_clear_pointer (&self->windows, g_hash_table_unref);
  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (ih_search_model_parent_class)->finalize (object);
}

static void
ih_search_model_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  IhSearchModel *self = IH_SEARCH_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_QUERY:
      g_value_set_string (value, self->query);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    case PROP_ITEM_TYPE:
      g_value_set_gtype (value, IH_TYPE_HIT_ITEM);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ih_search_model_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  IhSearchModel *self = IH_SEARCH_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_QUERY:
      ih_search_model_set_query (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ih_search_model_class_init (IhSearchModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ih_search_model_dispose;
  object_class->finalize = ih_search_model_finalize;
  object_class->get_property = ih_search_model_get_property;
  object_class->set_property = ih_search_model_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         IH_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* NULL until the first search */
  properties[PROP_QUERY] =
    g_param_spec_string ("query", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* GListModel has no properties of its own in GLib 2.74; these are the
   * two its documentation recommends. */
  properties[PROP_ITEM_TYPE] =
    g_param_spec_gtype ("item-type", NULL, NULL,
                        G_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ih_search_model_init (IhSearchModel *self)
{
  self->windows = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) window_free);
  g_queue_init (&self->lru);
  g_queue_init (&self->pending);
}

/*
 * Public API
 */

IhSearchModel *
ih_search_model_new (IhStore *store)
{
  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  return g_object_new (IH_TYPE_SEARCH_MODEL,
                       "store", store,
                       NULL);
}

IhStore *
ih_search_model_get_store (IhSearchModel *self)
{
  g_return_val_if_fail (IH_IS_SEARCH_MODEL (self), NULL);

  return self->store;
}

void
ih_search_model_set_query (IhSearchModel *self,
                           const char    *text)
{
  g_autoptr(GTask) task = NULL;
  CountData *data;

  g_return_if_fail (IH_IS_SEARCH_MODEL (self));
  g_return_if_fail (self->store != NULL);

  if (text == NULL)
    text = "";

  /* The same text runs again: it is how callers refresh after edits */
  self->generation++;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  /* The old rows stay until the new count is known; loads wait for it */
  g_clear_pointer (&self->search, search_handle_unref);
  clear_pending (self);
  self->loading = FALSE;
  self->counting = TRUE;
  self->exact = FALSE;

  if (g_strcmp0 (self->query, text) != 0)
    {
      g_free (self->query);
      self->query = g_strdup (text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
    }

  data = g_new0 (CountData, 1);
  g_weak_ref_init (&data->model, self);
  data->generation = self->generation;
  data->store = g_object_ref (self->store);
  data->text = g_strdup (text);

  task = g_task_new (NULL, self->cancellable, count_cb, NULL);
  g_task_set_source_tag (task, ih_search_model_set_query);
  g_task_set_priority (task, G_PRIORITY_DEFAULT);
  g_task_set_task_data (task, data, (GDestroyNotify) count_data_free);
  g_task_run_in_thread (task, count_worker);

  update_busy (self);
}

const char *
ih_search_model_get_query (IhSearchModel *self)
{
  g_return_val_if_fail (IH_IS_SEARCH_MODEL (self), NULL);

  return self->query;
}

gboolean
ih_search_model_get_busy (IhSearchModel *self)
{
  g_return_val_if_fail (IH_IS_SEARCH_MODEL (self), FALSE);

  return self->busy;
}

const char *
ih_search_model_get_error (IhSearchModel *self)
{
  g_return_val_if_fail (IH_IS_SEARCH_MODEL (self), NULL);

  return self->error;
}

gboolean
ih_search_model_get_exact (IhSearchModel *self)
{
  g_return_val_if_fail (IH_IS_SEARCH_MODEL (self), FALSE);

  return self->exact;
}

guint
ih_search_model_get_n_windows (IhSearchModel *self)
{
  g_return_val_if_fail (IH_IS_SEARCH_MODEL (self), 0);

  return g_hash_table_size (self->windows);
}
