/* ih-app-bench.c — the app's start-up to first frame, keystroke to results
 * and memory after scrolling every result, each beside a reference measured
 * in the same process. Prints a tab-separated report. Run under Xvfb with
 * GSK_RENDERER=cairo (bench/app-bench.sh does).
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <string.h>

#include "ih-application.h"
#include "ih-search.h"
#include "ih-search-model.h"
#include "ih-store.h"
#include "ih-window.h"

#define STARTUP_RUNS 5
#define HANG_GUARD_USEC (120 * G_USEC_PER_SEC)

/* Five words from bench/queries.txt, typed a character at a time */
static const char *const typed[] = {
  "appointment", "wheelchair", "diabetes", "dementia", "respite",
};

typedef gboolean (*Condition) (gpointer data);

/* Iterates the main loop until @cond holds; aborts after a long guard
 * (a hang, not a timing) */
static void
wait_for (Condition cond,
          gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + HANG_GUARD_USEC;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("gave up waiting after %d s", (int) (HANG_GUARD_USEC / G_USEC_PER_SEC));
      g_main_context_iteration (NULL, TRUE);
    }
}

static double
ms_since (gint64 t0)
{
  return (g_get_monotonic_time () - t0) / 1000.0;
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *values,
            double  p)
{
  g_array_sort (values, cmp_double);
  return g_array_index (values, double, (guint) (p * (values->len - 1) + 0.5));
}

/* A line of /proc/self/status, in kB */
static gint64
proc_status_kb (const char *key)
{
  g_autofree char *status = NULL;
  g_auto(GStrv) lines = NULL;
  gsize key_len = strlen (key);

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strncmp (lines[i], key, key_len) == 0 && lines[i][key_len] == ':')
      return g_ascii_strtoll (lines[i] + key_len + 1, NULL, 10);
  return -1;
}

/*
 * Start-up to first frame
 */

typedef struct
{
  gint64         painted_at;
  GdkFrameClock *clock;
  gulong         handler;
} FirstFrame;

static void
after_paint_cb (GdkFrameClock *clock,
                FirstFrame    *frame)
{
  if (frame->painted_at == 0)
    frame->painted_at = g_get_monotonic_time ();
}

static void
realize_cb (GtkWidget  *widget,
            FirstFrame *frame)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (widget));

  frame->clock = g_object_ref (gdk_surface_get_frame_clock (surface));
  frame->handler = g_signal_connect (frame->clock, "after-paint",
                                     G_CALLBACK (after_paint_cb), frame);
}

static gboolean
frame_painted (gpointer data)
{
  return ((FirstFrame *) data)->painted_at != 0;
}

static GtkWindow *
new_reference_window (IhApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));

  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window),
                                      gtk_label_new ("Insight Hub"));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  return GTK_WINDOW (window);
}

/* Milliseconds from creating the window to its first after-paint */
static double
time_first_frame (IhApplication *app,
                  IhStore       *store)
{
  FirstFrame frame = { 0 };
  gint64 t0 = g_get_monotonic_time ();
  GtkWindow *window;
  double ms;

  if (store != NULL)
    window = GTK_WINDOW (ih_window_new (app, store));
  else
    window = new_reference_window (app);
  g_signal_connect (window, "realize", G_CALLBACK (realize_cb), &frame);
  gtk_window_present (window);
  wait_for (frame_painted, &frame);
  ms = (frame.painted_at - t0) / 1000.0;

  g_clear_signal_handler (&frame.handler, frame.clock);
  g_clear_object (&frame.clock);
  g_signal_handlers_disconnect_by_data (window, &frame);
  gtk_window_destroy (window);
  /* Let the destroyed window's idles and the model's workers finish */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return ms;
}

/*
 * Keystroke to results
 */

typedef struct
{
  guint      changes;
  guint      wanted;
  IhHitItem *first;
} Typing;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Typing     *typing)
{
  typing->changes++;
}

static gboolean
query_done (gpointer data)
{
  Typing *typing = data;

  return typing->changes >= typing->wanted;
}

static gboolean
model_counted (gpointer data)
{
  return ih_search_model_get_exact (data);
}

static gboolean
item_loaded (gpointer data)
{
  return ih_hit_item_get_loaded (data);
}

static double
time_model_keystroke (IhSearchModel *model,
                      Typing        *typing,
                      const char    *prefix)
{
  gint64 t0 = g_get_monotonic_time ();

  typing->wanted = typing->changes + 1;
  ih_search_model_set_query (model, prefix);
  wait_for (query_done, typing);
  if (g_list_model_get_n_items (G_LIST_MODEL (model)) > 0)
    {
      g_autoptr(IhHitItem) first = g_list_model_get_item (G_LIST_MODEL (model), 0);

      wait_for (item_loaded, first);
    }
  return ms_since (t0);
}

static double
time_core_keystroke (IhStore    *store,
                     const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhSearch) search = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  gint64 t0 = g_get_monotonic_time ();

  search = ih_search_new (store, prefix, IH_QUERY_FLAG_PREFIX_LAST, &error);
  if (search != NULL)
    {
      hits = ih_search_fetch (search, 0, 100, &error);
      if (hits != NULL)
        ih_search_count (search, &error);
    }
  if (error != NULL)
    g_error ("core search \"%s\": %s", prefix, error->message);
  return ms_since (t0);
}

/*
 * Memory after scrolling every result
 */

typedef struct
{
  guint  n_items;
  double ms;
  gint64 rss_before_kb;
  gint64 rss_after_kb;
  gint64 hwm_kb;
  guint  n_windows;
} Scroll;

static Scroll
scroll_all (IhStore    *store,
            const char *query)
{
  g_autoptr(IhSearchModel) model = ih_search_model_new (store);
  Typing typing = { 0, 1, NULL };
  Scroll scroll = { 0 };
  gint64 t0;

  scroll.rss_before_kb = proc_status_kb ("VmRSS");
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &typing);
  t0 = g_get_monotonic_time ();
  ih_search_model_set_query (model, query);
  wait_for (query_done, &typing);
  /* Many matches show before they are all counted: scroll them all */
  wait_for (model_counted, model);
  scroll.n_items = g_list_model_get_n_items (G_LIST_MODEL (model));

  for (guint i = 0; i < scroll.n_items; i++)
    {
      g_autoptr(IhHitItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      /* Once per window: wait for its rows before moving on, as a list
       * scrolled to the end would */
      if (i % IH_SEARCH_MODEL_WINDOW == IH_SEARCH_MODEL_WINDOW - 1 || i == scroll.n_items - 1)
        wait_for (item_loaded, item);
    }
  scroll.ms = ms_since (t0);
  scroll.rss_after_kb = proc_status_kb ("VmRSS");
  scroll.hwm_kb = proc_status_kb ("VmHWM");
  scroll.n_windows = ih_search_model_get_n_windows (model);
  g_signal_handlers_disconnect_by_data (model, &typing);
  return scroll;
}

static void
print_scroll (const char   *name,
              const char   *query,
              const Scroll *scroll)
{
  printf ("memory_%s_query\t%s\n", name, query);
  printf ("memory_%s_items\t%u\n", name, scroll->n_items);
  printf ("memory_%s_scroll_ms\t%.1f\n", name, scroll->ms);
  printf ("memory_%s_rss_before_mb\t%.1f\n", name, scroll->rss_before_kb / 1024.0);
  printf ("memory_%s_rss_after_mb\t%.1f\n", name, scroll->rss_after_kb / 1024.0);
  printf ("memory_%s_hwm_mb\t%.1f\n", name, scroll->hwm_kb / 1024.0);
  printf ("memory_%s_windows_held\t%u\n", name, scroll->n_windows);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(IhStore) store = NULL;
  g_autoptr(IhApplication) app = NULL;
  g_autoptr(IhSearchModel) model = NULL;
  g_autoptr(GArray) ours_startup = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ref_startup = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ours_keys = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ref_keys = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *db = NULL;
  g_autofree char *narrow = g_strdup ("chiropody");
  Typing typing = { 0 };
  Scroll narrow_scroll, broad_scroll;
  gboolean skip_memory = FALSE;
  gboolean skip_startup = FALSE;
  gint64 t0;
  double open_ms, warm_ms;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Database to open", "PATH" },
    { "memory-narrow", 0, 0, G_OPTION_ARG_STRING, &narrow, "Narrow query for the memory reference", "TEXT" },
    { "skip-startup", 0, 0, G_OPTION_ARG_NONE, &skip_startup, "Leave out the start-up runs", NULL },
    { "skip-memory", 0, 0, G_OPTION_ARG_NONE, &skip_memory, "Leave out the scroll through every result", NULL },
    { NULL }
  };

  context = g_option_context_new ("— Insight Hub app benchmark");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || db == NULL)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--db is required");
      return 2;
    }

  gtk_init ();
  adw_init ();

  t0 = g_get_monotonic_time ();
  store = ih_store_open (db, &error);
  if (store == NULL)
    {
      g_printerr ("%s: %s\n", db, error->message);
      return 1;
    }
  open_ms = ms_since (t0);

  /* One application for the process: a second with the same id would
   * collide on the session bus, so it is not part of the timed span */
  app = g_object_new (IH_TYPE_APPLICATION,
                      "application-id", IH_APPLICATION_ID,
                      "flags", G_APPLICATION_NON_UNIQUE,
                      NULL);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("register: %s\n", error->message);
      return 1;
    }

  printf ("figure\tvalue\n");
  printf ("db\t%s\n", db);
  printf ("store_open_ms\t%.1f\n", open_ms);

  /* Keystrokes: the model as the search entry drives it, then the core
   * API alone on the same prefixes */
  model = ih_search_model_new (store);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &typing);
  for (guint w = 0; w < G_N_ELEMENTS (typed); w++)
    for (gsize len = 1; len <= strlen (typed[w]); len++)
      {
        g_autofree char *prefix = g_strndup (typed[w], len);
        double ms = time_model_keystroke (model, &typing, prefix);

        g_array_append_val (ours_keys, ms);
      }
  for (guint w = 0; w < G_N_ELEMENTS (typed); w++)
    for (gsize len = 1; len <= strlen (typed[w]); len++)
      {
        g_autofree char *prefix = g_strndup (typed[w], len);
        double ms = time_core_keystroke (store, prefix);

        g_array_append_val (ref_keys, ms);
      }
  g_signal_handlers_disconnect_by_data (model, &typing);
  g_clear_object (&model);
  {
    guint k = 0;

    /* Per keystroke, before the arrays are sorted */
    for (guint w = 0; w < G_N_ELEMENTS (typed); w++)
      for (gsize len = 1; len <= strlen (typed[w]); len++, k++)
        printf ("keystroke_ms\t%.*s\t%.1f\t%.1f\n", (int) len, typed[w],
                g_array_index (ours_keys, double, k), g_array_index (ref_keys, double, k));
  }
  {
    double ours50 = percentile (ours_keys, 0.5), ours95 = percentile (ours_keys, 0.95);
    double ref50 = percentile (ref_keys, 0.5), ref95 = percentile (ref_keys, 0.95);

    printf ("keystrokes\t%u\n", ours_keys->len);
    printf ("keystroke_ours_p50_ms\t%.1f\n", ours50);
    printf ("keystroke_ours_p95_ms\t%.1f\n", ours95);
    printf ("keystroke_ours_max_ms\t%.1f\n", percentile (ours_keys, 1.0));
    printf ("keystroke_reference_p50_ms\t%.1f\n", ref50);
    printf ("keystroke_reference_p95_ms\t%.1f\n", ref95);
    printf ("keystroke_ratio_p50\t%.2f\n", ours50 / ref50);
    printf ("keystroke_ratio_p95\t%.2f\n", ours95 / ref95);
  }

  if (!skip_memory)
    {
      /* Narrow first, so that VmHWM after it is the narrow peak */
      narrow_scroll = scroll_all (store, narrow);
      print_scroll ("narrow", narrow, &narrow_scroll);
      broad_scroll = scroll_all (store, "");
      print_scroll ("all", "", &broad_scroll);
      printf ("memory_ratio_rss_after\t%.2f\n",
              (double) broad_scroll.rss_after_kb / narrow_scroll.rss_after_kb);
      printf ("memory_ratio_hwm\t%.2f\n",
              (double) broad_scroll.hwm_kb / narrow_scroll.hwm_kb);
    }

  /* Start-up last: a closed window's search keeps the store busy for a
   * while, which would otherwise land on the figures above. The first
   * window of the process also pays for loading the theme and icons:
   * reported apart, then alternating runs on a warm process */
  if (!skip_startup)
    {
      warm_ms = time_first_frame (app, NULL);
      printf ("startup_cold_reference_ms\t%.1f\n", warm_ms);
      for (guint run = 0; run < STARTUP_RUNS; run++)
        {
          double ours = time_first_frame (app, store);
          double ref = time_first_frame (app, NULL);

          g_array_append_val (ours_startup, ours);
          g_array_append_val (ref_startup, ref);
        }
      {
        double ours = percentile (ours_startup, 0.5);
        double ref = percentile (ref_startup, 0.5);

        printf ("startup_ours_p50_ms\t%.1f\n", ours);
        printf ("startup_ours_max_ms\t%.1f\n", percentile (ours_startup, 1.0));
        printf ("startup_reference_p50_ms\t%.1f\n", ref);
        printf ("startup_ratio\t%.2f\n", ours / ref);
      }
    }

  fflush (stdout);
  return 0;
}
