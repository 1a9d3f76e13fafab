/* ih-viewer-bench.c — the paper window's "open to first page shown" beside
 * the PDF library alone opening the file and rendering that page at the
 * same scale, in the same process. Prints a tab-separated report. Run
 * under Xvfb with GSK_RENDERER=cairo (bench/viewer-bench.sh does).
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "ih-paper-window.h"
#include "../tests/ih-test-pdf.h"

#define RUNS 15
#define HANG_GUARD_USEC (120 * G_USEC_PER_SEC)

typedef gboolean (*Condition) (gpointer data);

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

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), cmp_double);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

typedef struct
{
  IhPaperWindow *window;
  gboolean       painted;
  gint64         painted_at;
} Run;

static gboolean
mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (((Run *) data)->window));
}

static gboolean
first_page_ready (gpointer data)
{
  Run *run = data;
  IhPdfView *view = ih_paper_window_get_view (run->window);

  return gtk_widget_get_width (GTK_WIDGET (view)) > 0 &&
         ih_pdf_view_get_page_texture (view, 0) != NULL;
}

static gboolean
painted (gpointer data)
{
  return ((Run *) data)->painted;
}

/* The first frame drawn once page 1's rendering is there shows it */
static void
after_paint_cb (GdkFrameClock *clock,
                Run           *run)
{
  if (!run->painted && first_page_ready (run))
    {
      run->painted = TRUE;
      run->painted_at = g_get_monotonic_time ();
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("ih-viewer-bench-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (dir, "state", NULL);
  g_autofree char *path = g_build_filename (dir, "board-pack.pdf", NULL);
  double viewer[RUNS];
  double library[RUNS];
  double scale = 0;
  int n_pages = argc > 1 ? atoi (argv[1]) : 200;

  g_setenv ("XDG_STATE_HOME", state, TRUE);
  gtk_init ();
  adw_init ();

  /* A board pack of full pages of text */
  test_make_pdf_full (path, n_pages, TEST_PAGE_WIDTH, TEST_PAGE_HEIGHT, 45, n_pages / 2, "discharge", TRUE);

  for (int i = 0; i < RUNS; i++)
    {
      Run run = { NULL, FALSE };
      GdkFrameClock *clock;
      gint64 t0;
      gulong handler;

      ih_page_cache_clear (ih_pdf_view_get_default_cache ());
      run.window = ih_paper_window_new (NULL);
      gtk_window_set_default_size (GTK_WINDOW (run.window), 1000, 800);
      gtk_window_present (GTK_WINDOW (run.window));
      wait_for (mapped, &run);

      /* From asking to open the file to the end of the frame that shows
       * page 1 */
      clock = gtk_widget_get_frame_clock (GTK_WIDGET (run.window));
      handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &run);
      t0 = g_get_monotonic_time ();
      ih_paper_window_open (run.window, path, NULL, NULL);
      wait_for (painted, &run);
      viewer[i] = (run.painted_at - t0) / 1000.0;
      g_signal_handler_disconnect (clock, handler);

      scale = ih_pdf_view_get_zoom (ih_paper_window_get_view (run.window)) *
              gtk_widget_get_scale_factor (GTK_WIDGET (run.window));
      gtk_window_destroy (GTK_WINDOW (run.window));
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }

  /* The reference: the library alone, open and render page 1 at the
   * viewer's scale, in this thread */
  for (int i = 0; i < RUNS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(IhPdfDocument) document = NULL;
      cairo_surface_t *surface;
      gint64 t0 = g_get_monotonic_time ();

      document = ih_pdf_document_open (path, NULL, NULL, &error);
      if (document == NULL)
        g_error ("%s", error->message);
      surface = ih_pdf_document_render_page (document, 0, scale, NULL, &error);
      if (surface == NULL)
        g_error ("%s", error->message);
      library[i] = (g_get_monotonic_time () - t0) / 1000.0;
      cairo_surface_destroy (surface);
    }

  printf ("measure\tmedian_ms\tratio\n");
  printf ("library_open_and_render_page1\t%.1f\t1.00\n", median (library, RUNS));
  printf ("viewer_open_to_page1_shown\t%.1f\t%.2f\n", median (viewer, RUNS),
          median (viewer, RUNS) / median (library, RUNS));
  printf ("# %d pages, page 1 at scale %.3f, %d runs each\n", n_pages, scale, RUNS);

  g_remove (path);
  g_rmdir (state);
  g_rmdir (dir);
  return 0;
}
