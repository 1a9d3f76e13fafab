/* pdf-bench.c — the PDF library on a generated board paper: first page,
 * page renders, text extraction and memory through the page cache.
 * bench/pdf-bench.sh runs it beside pdftoppm and pdftotext.
 *
 *   pdf-bench make --pages N --output FILE
 *   pdf-bench first-page FILE          ms from open to page 1 rendered at 100 %
 *   pdf-bench render FILE --scale S    ms a page, rendering every page
 *   pdf-bench text FILE                pages a second, extracting every page's text
 *   pdf-bench cache FILE --scale S --budget-mib M
 *                                      every page through IhPageCache: resident
 *                                      memory as it goes, peak, cache figures
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <cairo-pdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ih-pdf.h"

static const char * const words[] = {
  "the", "board", "noted", "report", "community", "services", "agreed", "review", "waiting",
  "times", "partners", "system", "meeting", "committee", "discharge", "hospital", "patients",
  "primary", "care", "mental", "health", "finance", "budget", "risk", "quality", "safety",
  "workforce", "vacancies", "urgent", "emergency", "demand", "winter", "plan", "performance",
  "assurance", "recommendation", "integrated", "locality", "people", "residents", "feedback",
  "engagement", "access", "digital", "estates", "capital", "revenue", "position", "forecast",
};

/* A page like a board paper's: heading, paragraphs, a table, a chart, a logo */
static void
make_pdf (const char *path,
          int         n_pages)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595, 842);
  cairo_surface_t *logo = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 240, 80);
  cairo_t *cr = cairo_create (surface);
  guint32 seed = 12345;

  {
    cairo_t *lc = cairo_create (logo);
    cairo_pattern_t *gradient = cairo_pattern_create_linear (0, 0, 240, 80);

    cairo_pattern_add_color_stop_rgb (gradient, 0, 0, 0.37, 0.72);
    cairo_pattern_add_color_stop_rgb (gradient, 1, 0.8, 0.9, 1);
    cairo_set_source (lc, gradient);
    cairo_paint (lc);
    cairo_pattern_destroy (gradient);
    cairo_destroy (lc);
  }

  cairo_pdf_surface_add_outline (surface, CAIRO_PDF_OUTLINE_ROOT, "Summary", "page=1", 0);
  for (int p = 0; p < n_pages; p++)
    {
      g_autofree char *heading = g_strdup_printf ("Item %d: Integrated performance report", p + 1);

      cairo_save (cr);
      cairo_translate (cr, 595 - 72 - 120, 30);
      cairo_scale (cr, 0.5, 0.5);
      cairo_set_source_surface (cr, logo, 0, 0);
      cairo_paint (cr);
      cairo_restore (cr);

      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
      cairo_set_font_size (cr, 16);
      cairo_move_to (cr, 72, 100);
      cairo_show_text (cr, heading);

      cairo_select_font_face (cr, "DejaVu Serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
      cairo_set_font_size (cr, 10);
      for (int line = 0; line < 34; line++)
        {
          GString *text = g_string_new (NULL);

          for (int w = 0; w < 13; w++)
            {
              seed = seed * 1103515245u + 12345u;
              g_string_append (text, words[(seed >> 16) % G_N_ELEMENTS (words)]);
              g_string_append_c (text, ' ');
            }
          cairo_move_to (cr, 72, 130 + line * 13);
          cairo_show_text (cr, text->str);
          g_string_free (text, TRUE);
        }

      /* A table */
      cairo_set_line_width (cr, 0.5);
      for (int row = 0; row <= 6; row++)
        {
          cairo_move_to (cr, 72, 590 + row * 16);
          cairo_line_to (cr, 523, 590 + row * 16);
        }
      for (int col = 0; col <= 4; col++)
        {
          cairo_move_to (cr, 72 + col * 112.75, 590);
          cairo_line_to (cr, 72 + col * 112.75, 686);
        }
      cairo_stroke (cr);
      cairo_set_font_size (cr, 8);
      for (int row = 0; row < 6; row++)
        for (int col = 0; col < 4; col++)
          {
            g_autofree char *cell = g_strdup_printf ("%d.%d %%", (p * 7 + row * 3 + col) % 97, row);

            cairo_move_to (cr, 76 + col * 112.75, 601 + row * 16);
            cairo_show_text (cr, cell);
          }

      /* A bar chart */
      for (int bar = 0; bar < 12; bar++)
        {
          double h = 20 + ((p * 13 + bar * 29) % 70);

          cairo_set_source_rgb (cr, 0.1 + bar * 0.05, 0.4, 0.7);
          cairo_rectangle (cr, 80 + bar * 36, 790 - h, 24, h);
          cairo_fill (cr);
        }
      cairo_set_source_rgb (cr, 0, 0, 0);

      cairo_show_page (cr);
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_printerr ("cannot write %s\n", path);
      exit (1);
    }
  cairo_surface_destroy (surface);
  cairo_surface_destroy (logo);
}

static IhPdfDocument *
open_or_die (const char *path)
{
  g_autoptr(GError) error = NULL;
  IhPdfDocument *document = ih_pdf_document_open (path, NULL, NULL, &error);

  if (document == NULL)
    {
      g_printerr ("%s\n", error->message);
      exit (1);
    }
  return document;
}

static cairo_surface_t *
render_or_die (IhPdfDocument *document,
               int            page,
               double         scale)
{
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface = ih_pdf_document_render_page (document, page, scale, NULL, &error);

  if (surface == NULL)
    {
      g_printerr ("%s\n", error->message);
      exit (1);
    }
  return surface;
}

/* Resident and peak resident memory in KiB, from /proc */
static void
memory_kib (gint64 *rss,
            gint64 *peak)
{
  g_autofree char *status = NULL;

  *rss = *peak = -1;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return;
  for (char *line = status; line != NULL && *line; line = strchr (line, '\n') ? strchr (line, '\n') + 1 : NULL)
    {
      if (g_str_has_prefix (line, "VmRSS:"))
        *rss = g_ascii_strtoll (line + 6, NULL, 10);
      else if (g_str_has_prefix (line, "VmHWM:"))
        *peak = g_ascii_strtoll (line + 6, NULL, 10);
    }
}

typedef struct
{
  cairo_surface_t *surface;
  GError          *error;
  gboolean         done;
} Wait;

static void
rendered (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *wait = user_data;

  wait->surface = ih_page_cache_render_finish (IH_PAGE_CACHE (object), result, &wait->error);
  wait->done = TRUE;
}

int
main (int argc, char *argv[])
{
  g_autofree char *output = NULL;
  int pages = 300;
  double scale = 1.0;
  int budget_mib = 64;
  const GOptionEntry entries[] = {
    { "pages", 0, 0, G_OPTION_ARG_INT, &pages, "Pages to make", "N" },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output, "PDF to write", "FILE" },
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &scale, "Pixels a point (1 = 100 %)", "S" },
    { "budget-mib", 0, 0, G_OPTION_ARG_INT, &budget_mib, "Page cache budget", "MIB" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("make|first-page|render|text|cache [FILE]");
  g_autoptr(GError) error = NULL;
  const char *mode;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc < 2)
    {
      g_printerr ("%s\n", error ? error->message : "usage: pdf-bench MODE [FILE]");
      return 2;
    }
  mode = argv[1];

  if (strcmp (mode, "make") == 0)
    {
      make_pdf (output, pages);
      return 0;
    }
  if (argc < 3)
    {
      g_printerr ("pdf-bench %s: name the PDF\n", mode);
      return 2;
    }

  if (strcmp (mode, "first-page") == 0)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(IhPdfDocument) document = open_or_die (argv[2]);
      cairo_surface_t *surface = render_or_die (document, 0, 1.0);
      gint64 t1 = g_get_monotonic_time ();

      cairo_surface_destroy (surface);
      g_print ("%.3f\n", (t1 - t0) / 1000.0);
      return 0;
    }

  if (strcmp (mode, "render") == 0)
    {
      g_autoptr(IhPdfDocument) document = open_or_die (argv[2]);
      int n = ih_pdf_document_get_n_pages (document);
      gint64 t0 = g_get_monotonic_time ();

      for (int i = 0; i < n; i++)
        cairo_surface_destroy (render_or_die (document, i, scale));
      g_print ("%.3f\n", (g_get_monotonic_time () - t0) / 1000.0 / n);
      return 0;
    }

  if (strcmp (mode, "text") == 0)
    {
      g_autoptr(IhPdfDocument) document = open_or_die (argv[2]);
      g_autoptr(GPtrArray) texts = NULL;
      gint64 t0 = g_get_monotonic_time ();
      gsize chars = 0;

      texts = ih_pdf_document_extract_text (document, NULL, NULL, NULL, &error);
      if (texts == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      for (guint i = 0; i < texts->len; i++)
        chars += strlen (texts->pdata[i]);
      g_print ("%.1f\t%zu\n", texts->len / ((g_get_monotonic_time () - t0) / 1e6), chars);
      return 0;
    }

  if (strcmp (mode, "cache") == 0)
    {
      g_autoptr(IhPdfDocument) document = open_or_die (argv[2]);
      g_autoptr(IhPageCache) cache = ih_page_cache_new ((gsize) budget_mib * 1024 * 1024);
      int n = ih_pdf_document_get_n_pages (document);
      IhPageCacheStats stats;
      gint64 rss, peak, full_at = -1, rss_full = -1, rss_max_after_full = 0;

      /* Forward through every page, then back over the last ten (cache hits) */
      for (int step = 0; step < n + 10; step++)
        {
          int page = step < n ? step : n - 1 - (step - n);
          Wait wait = { 0 };

          ih_page_cache_render_async (cache, document, page, scale, G_PRIORITY_DEFAULT, NULL,
                                      rendered, &wait);
          while (!wait.done)
            g_main_context_iteration (NULL, TRUE);
          if (wait.surface == NULL)
            {
              g_printerr ("%s\n", wait.error->message);
              return 1;
            }
          cairo_surface_destroy (wait.surface);

          ih_page_cache_get_stats (cache, &stats);
          memory_kib (&rss, &peak);
          if (full_at < 0 && stats.evictions > 0)
            {
              full_at = step;
              rss_full = rss;
            }
          if (full_at >= 0)
            rss_max_after_full = MAX (rss_max_after_full, rss);
        }

      ih_page_cache_get_stats (cache, &stats);
      memory_kib (&rss, &peak);
      g_print ("peak_kib\t%" G_GINT64_FORMAT "\n", peak);
      g_print ("rss_when_full_kib\t%" G_GINT64_FORMAT "\n", rss_full);
      g_print ("rss_max_after_full_kib\t%" G_GINT64_FORMAT "\n", rss_max_after_full);
      g_print ("full_at_page\t%" G_GINT64_FORMAT "\n", full_at + 1);
      g_print ("cache_bytes\t%zu\n", stats.bytes);
      g_print ("cache_pages\t%u\n", stats.n_pages);
      g_print ("hits\t%" G_GUINT64_FORMAT "\n", stats.hits);
      g_print ("misses\t%" G_GUINT64_FORMAT "\n", stats.misses);
      g_print ("evictions\t%" G_GUINT64_FORMAT "\n", stats.evictions);
      return 0;
    }

  g_printerr ("pdf-bench: unknown mode %s\n", mode);
  return 2;
}
