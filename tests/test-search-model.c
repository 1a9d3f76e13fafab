/* test-search-model.c — the lazily loaded list model of search hits,
 * without a display
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <pango/pango.h>
#include <string.h>

#include "ih-search-model.h"
#include "ih-search.h"

#define N_INSIGHT 1050

/* Longest wait for anything asynchronous before the test fails */
#define TIMEOUT_SECONDS 30

/*
 * Helpers
 */

typedef gboolean (*Condition) (gpointer data);

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the default main context until @condition holds. A periodic wake-up
 * lets conditions set by worker threads be seen; the deadline turns a hang
 * into a failure. */
static void
wait_until (Condition    condition,
            gpointer     data,
            const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_SECONDS * G_USEC_PER_SEC;
  guint wake = g_timeout_add (5, wake_cb, NULL);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out after %d s waiting for %s", TIMEOUT_SECONDS, what);
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (wake);
}

/* Dispatches whatever is ready, without waiting */
static void
run_pending (void)
{
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

typedef struct
{
  IhStore *store;
  int      refs;
} StoreRefs;

static gboolean
store_has_refs (gpointer data)
{
  StoreRefs *s = data;

  return g_atomic_int_get ((int *) &G_OBJECT (s->store)->ref_count) == s->refs;
}

/* Every task holds the store, by its data or by its IhSearch: when only
 * @refs remain, no work of the model is in flight any more. */
static void
wait_for_store_refs (IhStore *store,
                     int      refs)
{
  StoreRefs s = { store, refs };

  wait_until (store_has_refs, &s, "work in flight to finish");
}

static gboolean
item_is_loaded (gpointer data)
{
  return ih_hit_item_get_loaded (data);
}

static void
wait_for_loaded (IhHitItem *item)
{
  wait_until (item_is_loaded, item, "an item to load");
}

static gboolean
model_is_idle (gpointer data)
{
  return !ih_search_model_get_busy (data);
}

static gboolean
model_is_busy (gpointer data)
{
  return ih_search_model_get_busy (data);
}

static void
save (IhStore  *store,
      gpointer  record)
{
  g_autoptr(GError) error = NULL;

  ih_store_save (store, record, &error);
  g_assert_no_error (error);
}

static gint64
direct_count (IhStore    *store,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhSearch) search = ih_search_new (store, text, IH_QUERY_FLAG_PREFIX_LAST, &error);
  gint64 n;

  g_assert_no_error (error);
  n = ih_search_count (search, &error);
  g_assert_no_error (error);
  return n;
}

static char *
direct_id_at (IhStore    *store,
              const char *text,
              guint       position)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhSearch) search = ih_search_new (store, text, IH_QUERY_FLAG_PREFIX_LAST, &error);
  g_autoptr(GPtrArray) hits = NULL;

  g_assert_no_error (error);
  hits = ih_search_fetch (search, position, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  return g_strdup (((IhHit *) g_ptr_array_index (hits, 0))->id);
}

/*
 * Fixture: a store of N_INSIGHT insight and a model over it
 */

typedef struct
{
  IhStore       *store;
  IhSearchModel *model;
  char          *zebra;           /* the one insight with "zebra" and markup characters */
  char          *newest;          /* the last insight added */

  /* items-changed so far, and the last one's arguments */
  guint          n_changes;
  guint          position;
  guint          removed;
  guint          added;
  guint          n_busy_notifies;
  guint          n_error_notifies;
} Fixture;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *f)
{
  f->n_changes++;
  f->position = position;
  f->removed = removed;
  f->added = added;
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *counter)
{
  (*counter)++;
}

typedef struct
{
  Fixture *f;
  guint    n_changes;
} ChangesWait;

static gboolean
has_changes (gpointer data)
{
  ChangesWait *w = data;

  return w->f->n_changes >= w->n_changes;
}

/* Waits for the next items-changed, the end of the current search */
static void
wait_for_changes (Fixture *f)
{
  ChangesWait w = { f, f->n_changes + 1 };

  wait_until (has_changes, &w, "items-changed");
}

static void
run_search (Fixture    *f,
            const char *text)
{
  ih_search_model_set_query (f->model, text);
  g_assert_true (ih_search_model_get_busy (f->model));
  wait_for_changes (f);
  /* Many matches come in two steps: the first rows, then the count */
  wait_until (model_is_idle, f->model, "the count");
  g_assert_true (ih_search_model_get_exact (f->model));
}

/* Filling a store takes a while under sanitizers: it is made once, and
 * each test gets a copy. */
static char *template_path;
static char *template_zebra;
static char *template_newest;

static void
make_template (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhActivity) activity = ih_activity_new ();
  g_autoptr(IhStore) store = NULL;
  g_autofree char *dir = NULL;

  dir = g_dir_make_tmp ("test-search-model-XXXXXX", &error);
  g_assert_no_error (error);
  template_path = g_build_filename (dir, "template.db", NULL);
  store = ih_store_open (template_path, &error);
  g_assert_no_error (error);

  activity->title = g_strdup ("Stroud maternity workshop");
  activity->kind = g_strdup ("workshop");
  save (store, activity);

  ih_store_begin (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_INSIGHT; i++)
    {
      g_autoptr(IhInsight) insight = ih_insight_new ();

      if (i == 7)
        {
          insight->text = g_strdup ("Parking & <fees> at the zebra crossing\nnear A&E");
          insight->kind = g_strdup ("quote");
          insight->sentiment = g_strdup ("negative");
          insight->date = g_strdup ("2025-03-04");
          insight->activity_id = g_strdup (activity->parent.id);
          template_zebra = g_strdup (insight->parent.id);
        }
      else
        {
          insight->text = g_strdup_printf ("Visit %u:%s%s the staff were kind", i,
                                           i % 2 == 0 ? " the waiting room was busy;" : "",
                                           i % 3 == 0 ? " parking was hard;" : "");
        }
      save (store, insight);
      if (i == N_INSIGHT - 1)
        template_newest = g_strdup (insight->parent.id);
    }
  ih_store_commit (store, &error);
  g_assert_no_error (error);

  /* Closing checkpoints the WAL: the one file is the whole store */
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
remove_template (void)
{
  g_autofree char *dir = g_path_get_dirname (template_path);

  g_remove (template_path);
  g_rmdir (dir);
  g_clear_pointer (&template_path, g_free);
  g_clear_pointer (&template_zebra, g_free);
  g_clear_pointer (&template_newest, g_free);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) source = g_file_new_for_path (template_path);
  g_autoptr(GFile) target = NULL;
  g_autofree char *path = NULL;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), "model.db", NULL);
  target = g_file_new_for_path (path);
  g_file_copy (source, target, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  f->store = ih_store_open (path, &error);
  g_assert_no_error (error);
  f->zebra = g_strdup (template_zebra);
  f->newest = g_strdup (template_newest);

  /* The refcount checks below count on nobody else holding the store */
  g_assert_cmpint (G_OBJECT (f->store)->ref_count, ==, 1);

  f->model = ih_search_model_new (f->store);
  g_signal_connect (f->model, "items-changed", G_CALLBACK (items_changed_cb), f);
  g_signal_connect (f->model, "notify::busy", G_CALLBACK (notify_cb), &f->n_busy_notifies);
  g_signal_connect (f->model, "notify::error", G_CALLBACK (notify_cb), &f->n_error_notifies);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->model);
  /* No worker may outlive the test's folder */
  wait_for_store_refs (f->store, 1);
  run_pending ();
  g_assert_finalize_object (f->store);
  g_free (f->zebra);
  g_free (f->newest);
}

/*
 * Tests
 */

static void
test_count (Fixture       *f,
            gconstpointer  data)
{
  gint64 expected = direct_count (f->store, "waiting");
  guint n_items_notifies = 0;
  guint n = 0;

  g_signal_connect (f->model, "notify::n-items", G_CALLBACK (notify_cb), &n_items_notifies);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 0);
  g_assert_false (ih_search_model_get_busy (f->model));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (f->model)) == IH_TYPE_HIT_ITEM);

  run_search (f, "waiting");
  g_assert_cmpint (expected, >, 0);
  g_assert_cmpint (expected, <, N_INSIGHT);
  g_assert_cmpuint (f->n_changes, ==, 1);
  g_assert_cmpuint (f->position, ==, 0);
  g_assert_cmpuint (f->removed, ==, 0);
  g_assert_cmpuint (f->added, ==, expected);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, expected);
  g_object_get (f->model, "n-items", &n, NULL);
  g_assert_cmpuint (n, ==, expected);
  g_assert_cmpuint (n_items_notifies, ==, 1);
  g_assert_cmpstr (ih_search_model_get_query (f->model), ==, "waiting");
  g_assert_null (ih_search_model_get_error (f->model));
  g_assert_true (ih_search_model_get_store (f->model) == f->store);

  /* Busy went up and came down; nothing was asked for, so nothing loads */
  g_assert_false (ih_search_model_get_busy (f->model));
  g_assert_cmpuint (f->n_busy_notifies, ==, 2);
  g_assert_cmpuint (ih_search_model_get_n_windows (f->model), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (f->model), expected));

  /* The last word is a prefix: "wai" finds as much as "waiting" */
  run_search (f, "wai");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, expected);
  g_assert_cmpuint (f->removed, ==, expected);
  g_assert_cmpuint (f->added, ==, expected);
  g_assert_cmpint (direct_count (f->store, "wai"), ==, expected);
}

static void
log_notify_cb (GObject    *object,
               GParamSpec *pspec,
               GString    *names)
{
  g_string_append_printf (names, "%s%s", names->len ? " " : "", pspec->name);
}

static void
test_placeholder_then_loaded (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(IhHitItem) item = NULL;
  g_autoptr(IhHitItem) again = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *text = NULL;
  g_autofree char *id = NULL;
  gboolean loaded = TRUE;

  run_search (f, "zebra");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 1);

  item = g_list_model_get_item (G_LIST_MODEL (f->model), 0);
  g_assert_true (IH_IS_HIT_ITEM (item));
  g_assert_false (ih_hit_item_get_loaded (item));
  g_assert_cmpstr (ih_hit_item_get_id (item), ==, "");
  g_assert_cmpstr (ih_hit_item_get_snippet_markup (item), ==, "");
  g_assert_cmpstr (ih_hit_item_get_date (item), ==, "");
  g_assert_cmpstr (ih_hit_item_get_summary (item), ==, "");
  g_assert_cmpuint (ih_search_model_get_n_windows (f->model), ==, 1);

  /* Asking again before it loads gives the same object */
  again = g_list_model_get_item (G_LIST_MODEL (f->model), 0);
  g_assert_true (again == item);
  g_clear_object (&again);

  g_signal_connect (item, "notify", G_CALLBACK (log_notify_cb), names);
  wait_for_loaded (item);

  /* Filled in place: no items-changed, each property notified, loaded last */
  g_assert_cmpuint (f->n_changes, ==, 1);
  g_assert_cmpstr (names->str, ==, "id snippet-markup date summary loaded");
  g_assert_cmpstr (ih_hit_item_get_id (item), ==, f->zebra);
  g_assert_cmpstr (ih_hit_item_get_snippet_markup (item), ==,
                   "Parking &amp; &lt;fees&gt; at the <b>zebra</b> crossing near A&amp;E");
  g_assert_cmpstr (ih_hit_item_get_date (item), ==, "2025-03-04");
  g_assert_cmpstr (ih_hit_item_get_summary (item), ==, "Quote · Negative · Stroud maternity workshop");

  /* Pango reads it back to the text */
  g_assert_true (pango_parse_markup (ih_hit_item_get_snippet_markup (item), -1, 0, NULL, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "Parking & <fees> at the zebra crossing near A&E");

  g_object_get (item, "loaded", &loaded, "snippet-markup", &markup, "id", &id, NULL);
  g_assert_true (loaded);
  g_assert_cmpstr (markup, ==, ih_hit_item_get_snippet_markup (item));
  g_assert_cmpstr (id, ==, f->zebra);

  /* Loaded rows come back loaded */
  again = g_list_model_get_item (G_LIST_MODEL (f->model), 0);
  g_assert_true (again == item);
  g_assert_false (ih_search_model_get_busy (f->model));

  /* A row without kind, sentiment or activity has an empty summary, and
   * the empty query is newest first */
  g_clear_object (&item);
  run_search (f, "");
  item = g_list_model_get_item (G_LIST_MODEL (f->model), 0);
  wait_for_loaded (item);
  g_assert_cmpstr (ih_hit_item_get_id (item), ==, f->newest);
  g_assert_cmpstr (ih_hit_item_get_summary (item), ==, "");
  g_assert_cmpstr (ih_hit_item_get_date (item), ==, "");
  g_assert_cmpstr (ih_hit_item_get_snippet_markup (item), ==,
                   "Visit 1049: the staff were kind");
}

static void
test_positions (Fixture       *f,
                gconstpointer  data)
{
  const guint positions[] = { 0, 500, N_INSIGHT - 1 };
  IhHitItem *items[G_N_ELEMENTS (positions)];

  run_search (f, "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, N_INSIGHT);

  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    items[i] = g_list_model_get_item (G_LIST_MODEL (f->model), positions[i]);
  g_assert_cmpuint (ih_search_model_get_n_windows (f->model), ==, 3);

  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    {
      g_autofree char *expected = direct_id_at (f->store, "", positions[i]);

      wait_for_loaded (items[i]);
      g_assert_cmpstr (ih_hit_item_get_id (items[i]), ==, expected);
    }

  /* The rest of a window came with it */
  for (guint position = 500; position < 600; position += 33)
    {
      g_autoptr(IhHitItem) item = g_list_model_get_item (G_LIST_MODEL (f->model), position);
      g_autofree char *expected = direct_id_at (f->store, "", position);

      g_assert_true (ih_hit_item_get_loaded (item));
      g_assert_cmpstr (ih_hit_item_get_id (item), ==, expected);
    }

  wait_until (model_is_idle, f->model, "loads to finish");
  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    g_object_unref (items[i]);
}

static void
test_window_bound (Fixture       *f,
                   gconstpointer  data)
{
  guint n_windows = (N_INSIGHT + IH_SEARCH_MODEL_WINDOW - 1) / IH_SEARCH_MODEL_WINDOW;
  g_autoptr(GPtrArray) firsts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(IhHitItem) again = NULL;
  IhHitItem *first;

  g_assert_cmpuint (n_windows, >, IH_SEARCH_MODEL_MAX_WINDOWS);

  run_search (f, "");
  for (guint position = 0; position < N_INSIGHT; position++)
    {
      /* Rows as a list scrolled end to end would ask for them */
      IhHitItem *item = g_list_model_get_item (G_LIST_MODEL (f->model), position);

      g_assert_cmpuint (ih_search_model_get_n_windows (f->model), <=, IH_SEARCH_MODEL_MAX_WINDOWS);
      if (position % IH_SEARCH_MODEL_WINDOW == 0)
        g_ptr_array_add (firsts, item);
      else
        g_object_unref (item);
    }
  g_assert_cmpuint (ih_search_model_get_n_windows (f->model), ==, IH_SEARCH_MODEL_MAX_WINDOWS);
  g_assert_cmpuint (firsts->len, ==, n_windows);

  /* The windows kept all load; the evicted ones never do, but their items
   * stay valid */
  for (guint k = n_windows - IH_SEARCH_MODEL_MAX_WINDOWS; k < n_windows; k++)
    wait_for_loaded (g_ptr_array_index (firsts, k));
  wait_until (model_is_idle, f->model, "loads to finish");
  /* (The first window of a search with this many matches came with its
   * count, loaded) */
  g_assert_true (ih_hit_item_get_loaded (g_ptr_array_index (firsts, 0)));
  for (guint k = 1; k < n_windows - IH_SEARCH_MODEL_MAX_WINDOWS; k++)
    {
      IhHitItem *item = g_ptr_array_index (firsts, k);

      g_assert_false (ih_hit_item_get_loaded (item));
      g_assert_cmpstr (ih_hit_item_get_id (item), ==, "");
    }

  /* Coming back to an evicted window reads it again, into new items */
  first = g_ptr_array_index (firsts, 1);
  again = g_list_model_get_item (G_LIST_MODEL (f->model), IH_SEARCH_MODEL_WINDOW);
  g_assert_true (again != first);
  g_assert_cmpuint (ih_search_model_get_n_windows (f->model), ==, IH_SEARCH_MODEL_MAX_WINDOWS);
  wait_for_loaded (again);
  {
    g_autofree char *expected = direct_id_at (f->store, "", IH_SEARCH_MODEL_WINDOW);

    g_assert_cmpstr (ih_hit_item_get_id (again), ==, expected);
  }
  g_assert_false (ih_hit_item_get_loaded (first));
}

static void
test_superseded (Fixture       *f,
                 gconstpointer  data)
{
  gint64 expected = direct_count (f->store, "waiting");

  g_assert_cmpint (expected, !=, direct_count (f->store, "parking"));
  g_assert_cmpint (expected, !=, direct_count (f->store, "visit"));

  /* Three as fast as someone types: only the last one shows */
  ih_search_model_set_query (f->model, "visit");
  ih_search_model_set_query (f->model, "parking");
  ih_search_model_set_query (f->model, "waiting");
  wait_for_changes (f);
  /* model, its search, and ours: the other two counts have finished too */
  wait_for_store_refs (f->store, 3);
  run_pending ();

  g_assert_cmpuint (f->n_changes, ==, 1);
  g_assert_cmpuint (f->added, ==, expected);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, expected);
  g_assert_cmpstr (ih_search_model_get_query (f->model), ==, "waiting");
  g_assert_false (ih_search_model_get_busy (f->model));

  /* Rows asked for while a newer search counts are read for the newer one */
  {
    g_autoptr(IhHitItem) stale = g_list_model_get_item (G_LIST_MODEL (f->model), 0);
    g_autoptr(IhHitItem) item = NULL;
    g_autofree char *zebra_first = NULL;

    ih_search_model_set_query (f->model, "zebra");
    wait_for_changes (f);
    g_assert_cmpuint (f->n_changes, ==, 2);
    g_assert_cmpuint (f->removed, ==, expected);
    g_assert_cmpuint (f->added, ==, 1);
    item = g_list_model_get_item (G_LIST_MODEL (f->model), 0);
    g_assert_true (item != stale);
    wait_for_loaded (item);
    g_assert_cmpstr (ih_hit_item_get_id (item), ==, f->zebra);
    wait_until (model_is_idle, f->model, "loads to finish");
    wait_for_store_refs (f->store, 3);
    run_pending ();
    /* The placeholder of the older search is never filled */
    g_assert_false (ih_hit_item_get_loaded (stale));
  }
}

typedef struct
{
  IhStore *store;
} RaceWait;

static gboolean
count_has_search (gpointer data)
{
  RaceWait *w = data;

  /* ours, the model's, the task's, and the IhSearch made in the worker */
  return g_atomic_int_get ((int *) &G_OBJECT (w->store)->ref_count) >= 4;
}

static void
test_finished_race (Fixture       *f,
                    gconstpointer  data)
{
  RaceWait w = { f->store };
  gint64 expected = direct_count (f->store, "parking");

  /* A count that has finished in its worker, its callback not yet run,
   * must lose against a newer query. Best effort: wait (without running
   * the main context) until the worker has made its search. */
  ih_search_model_set_query (f->model, "zebra");
  {
    gint64 deadline = g_get_monotonic_time () + TIMEOUT_SECONDS * G_USEC_PER_SEC;

    while (!count_has_search (&w))
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (1000);
      }
    /* Time for the count of 1,050 rows to return */
    g_usleep (50 * 1000);
  }
  ih_search_model_set_query (f->model, "parking");
  wait_for_changes (f);
  wait_for_store_refs (f->store, 3);
  run_pending ();

  g_assert_cmpuint (f->n_changes, ==, 1);
  g_assert_cmpuint (f->added, ==, expected);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, expected);
}

typedef struct
{
  Fixture *f;
  guint    n_items;
  gboolean busy;
  gboolean exact;
  gboolean first_loaded;
  char    *first_id;
} FirstChange;

static void
first_change_cb (GListModel  *model,
                 guint        position,
                 guint        removed,
                 guint        added,
                 FirstChange *seen)
{
  g_autoptr(IhHitItem) item = NULL;

  if (seen->n_items > 0)
    return;
  seen->n_items = g_list_model_get_n_items (model);
  seen->busy = ih_search_model_get_busy (IH_SEARCH_MODEL (model));
  seen->exact = ih_search_model_get_exact (IH_SEARCH_MODEL (model));
  item = g_list_model_get_item (model, 0);
  seen->first_loaded = ih_hit_item_get_loaded (item);
  seen->first_id = g_strdup (ih_hit_item_get_id (item));
}

/* More matches than are counted at once: the first rows show with a lower
 * bound, then the rest are added at the end once counted */
static void
test_list_before_count (Fixture       *f,
                        gconstpointer  data)
{
  const guint positions[] = { 0, IH_SEARCH_MODEL_EXACT_UP_TO - 1, IH_SEARCH_MODEL_EXACT_UP_TO,
                              IH_SEARCH_MODEL_EXACT_UP_TO + 1, N_INSIGHT - 1 };
  FirstChange seen = { f, 0, };
  gulong handler;

  g_assert_cmpint (direct_count (f->store, ""), >, IH_SEARCH_MODEL_EXACT_UP_TO + 1);

  handler = g_signal_connect (f->model, "items-changed", G_CALLBACK (first_change_cb), &seen);
  run_search (f, "");
  g_signal_handler_disconnect (f->model, handler);

  /* First: a lower bound, busy counting, the first rows already read */
  g_assert_cmpuint (seen.n_items, ==, IH_SEARCH_MODEL_EXACT_UP_TO + 1);
  g_assert_true (seen.busy);
  g_assert_false (seen.exact);
  g_assert_true (seen.first_loaded);
  g_assert_cmpstr (seen.first_id, ==, f->newest);
  g_free (seen.first_id);

  /* Then the rest, at the end */
  g_assert_cmpuint (f->n_changes, ==, 2);
  g_assert_cmpuint (f->position + f->removed, ==, IH_SEARCH_MODEL_EXACT_UP_TO + 1);
  g_assert_cmpuint (f->position + f->added, ==, N_INSIGHT);
  g_assert_cmpuint (f->position % IH_SEARCH_MODEL_WINDOW, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, N_INSIGHT);
  g_assert_true (ih_search_model_get_exact (f->model));

  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    {
      g_autoptr(IhHitItem) item = g_list_model_get_item (G_LIST_MODEL (f->model), positions[i]);
      g_autofree char *expected = direct_id_at (f->store, "", positions[i]);

      wait_for_loaded (item);
      g_assert_cmpstr (ih_hit_item_get_id (item), ==, expected);
    }
  wait_until (model_is_idle, f->model, "loads to finish");

  /* A narrower search typed while the count runs wins, with one change */
  ih_search_model_set_query (f->model, "visit");
  wait_for_changes (f);
  ih_search_model_set_query (f->model, "waiting");
  wait_for_changes (f);
  wait_until (model_is_idle, f->model, "the count");
  /* model, its search, and ours: the superseded count has finished too */
  wait_for_store_refs (f->store, 3);
  run_pending ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, direct_count (f->store, "waiting"));
  g_assert_true (ih_search_model_get_exact (f->model));
  g_assert_cmpuint (f->n_changes, ==, 4);
}

static void
test_bad_query (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *error = NULL;

  run_search (f, "waiting");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), >, 0);
  g_assert_cmpuint (f->n_error_notifies, ==, 0);

  run_search (f, "sentiment:angry");
  g_assert_nonnull (ih_search_model_get_error (f->model));
  g_assert_nonnull (strstr (ih_search_model_get_error (f->model), "angry"));
  g_object_get (f->model, "error", &error, NULL);
  g_assert_cmpstr (error, ==, ih_search_model_get_error (f->model));
  g_assert_cmpuint (f->n_error_notifies, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 0);
  g_assert_cmpuint (f->added, ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (f->model), 0));
  g_assert_false (ih_search_model_get_busy (f->model));

  run_search (f, "sentiment:negative");
  g_assert_null (ih_search_model_get_error (f->model));
  g_assert_cmpuint (f->n_error_notifies, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 1);
}

static void
test_empty_query (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhHitItem) item = NULL;

  ih_store_delete (f->store, &ih_insight_class, f->newest, &error);
  g_assert_no_error (error);

  run_search (f, "");
  g_assert_cmpstr (ih_search_model_get_query (f->model), ==, "");
  g_assert_cmpint (ih_store_count (f->store, &ih_insight_class), ==, N_INSIGHT - 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, N_INSIGHT - 1);

  /* The tombstone is not listed: the newest live one comes first */
  item = g_list_model_get_item (G_LIST_MODEL (f->model), 0);
  wait_for_loaded (item);
  g_assert_cmpstr (ih_hit_item_get_id (item), !=, f->newest);
  g_assert_cmpstr (ih_hit_item_get_snippet_markup (item), ==, "Visit 1048: the waiting room was busy; the staff were kind");

  /* NULL means the same as "" */
  run_search (f, NULL);
  g_assert_cmpstr (ih_search_model_get_query (f->model), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, N_INSIGHT - 1);
}

static void
test_dispose_in_flight (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(IhHitItem) item = NULL;
  IhSearchModel *model;

  /* A load in flight (past the first window, which came with the count) */
  run_search (f, "");
  item = g_list_model_get_item (G_LIST_MODEL (f->model), IH_SEARCH_MODEL_WINDOW + 50);
  wait_until (model_is_busy, f->model, "a load to start");
  g_clear_object (&f->model);
  wait_for_store_refs (f->store, 1);
  run_pending ();
  /* Items outlive their model; the load's result was dropped */
  g_assert_false (ih_hit_item_get_loaded (item));
  g_assert_cmpstr (ih_hit_item_get_id (item), ==, "");

  /* A count in flight, with rows waiting to be read */
  model = ih_search_model_new (f->store);
  ih_search_model_set_query (model, "waiting");
  wait_until (model_is_idle, model, "the count");
  ih_search_model_set_query (model, "visit");
  g_clear_object (&item);
  item = g_list_model_get_item (G_LIST_MODEL (model), 3);
  g_assert_true (ih_search_model_get_busy (model));
  g_assert_finalize_object (model);
  wait_for_store_refs (f->store, 1);
  run_pending ();
  g_assert_false (ih_hit_item_get_loaded (item));

  /* And for the teardown */
  f->model = ih_search_model_new (f->store);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  make_template ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/search-model/count", test_count);
  ADD ("/search-model/placeholder-then-loaded", test_placeholder_then_loaded);
  ADD ("/search-model/positions", test_positions);
  ADD ("/search-model/list-before-count", test_list_before_count);
  ADD ("/search-model/window-bound", test_window_bound);
  ADD ("/search-model/superseded", test_superseded);
  ADD ("/search-model/finished-race", test_finished_race);
  ADD ("/search-model/bad-query", test_bad_query);
  ADD ("/search-model/empty-query", test_empty_query);
  ADD ("/search-model/dispose-in-flight", test_dispose_in_flight);
#undef ADD

  ret = g_test_run ();
  remove_template ();
  return ret;
}
