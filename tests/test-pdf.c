/* test-pdf.c — the PDF library on PDFs the test makes itself: text, find,
 * outline, rendering, the page cache, cancellation and bad files
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ih-paper-import.h"
#include "ih-papers.h"
#include "ih-pdf.h"
#include "ih-test-pdf.h"

/* In the test's own data folder (G_TEST_OPTION_ISOLATE_DIRS removes it) */
static char *
tmp_file (const char *name)
{
  char *path = g_build_filename (g_get_user_data_dir (), name, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_mkdir_with_parents (dir, 0700);
  return path;
}

/* A 6-page paper with "discharge" on page 3 (index 2) */
static char *
sample_pdf (void)
{
  char *path = tmp_file ("sample.pdf");

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    test_make_pdf (path, 6, 2, "discharge");
  return path;
}

static IhPdfDocument *
open_ok (const char *path)
{
  g_autoptr(GError) error = NULL;
  IhPdfDocument *document = ih_pdf_document_open (path, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (document);
  return document;
}

static void
test_pages_and_text (void)
{
  g_autofree char *path = sample_pdf ();
  g_autoptr(IhPdfDocument) document = open_ok (path);
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GError) error = NULL;
  double width, height;

  g_assert_cmpint (ih_pdf_document_get_n_pages (document), ==, 6);
  g_assert_true (ih_pdf_document_get_page_size (document, 5, &width, &height, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (width, TEST_PAGE_WIDTH, 0.01);
  g_assert_cmpfloat_with_epsilon (height, TEST_PAGE_HEIGHT, 0.01);

  texts = ih_pdf_document_extract_text (document, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (texts->len, ==, 6);
  for (guint i = 0; i < texts->len; i++)
    {
      g_autofree char *heading = g_strdup_printf ("Page %u\n", i + 1);
      const char *text = texts->pdata[i];

      g_assert_true (g_str_has_prefix (text, heading));
      g_assert_nonnull (strstr (text, "community"));
      g_assert_true ((strstr (text, "discharge") != NULL) == (i == 2));
    }

  /* One page at a time gives the same text */
  {
    g_autofree char *third = ih_pdf_document_get_page_text (document, 2, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (third, ==, texts->pdata[2]);
  }

  /* Pages out of range are refused with the page count */
  g_assert_null (ih_pdf_document_get_page_text (document, 6, &error));
  g_assert_error (error, IH_PDF_ERROR, IH_PDF_ERROR_NO_PAGE);
  g_assert_nonnull (strstr (error->message, "6 pages"));
  g_clear_error (&error);
  g_assert_false (ih_pdf_document_get_page_size (document, -1, &width, &height, &error));
  g_assert_error (error, IH_PDF_ERROR, IH_PDF_ERROR_NO_PAGE);
}

static void
test_find (void)
{
  g_autofree char *path = sample_pdf ();
  g_autoptr(IhPdfDocument) document = open_ok (path);
  g_autoptr(GArray) matches = NULL;
  g_autoptr(GArray) on_page = NULL;
  g_autoptr(GArray) none = NULL;
  g_autoptr(GError) error = NULL;
  double advance = test_word_width ("discharge");
  IhPdfMatch *m;

  /* Any case, the whole document */
  matches = ih_pdf_document_find (document, "DISCHARGE", -1, IH_PDF_FIND_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matches->len, ==, 1);
  m = &g_array_index (matches, IhPdfMatch, 0);
  g_assert_cmpint (m->page_index, ==, 2);
  g_assert_false (m->continued);
  /* The rectangle sits on the baseline where the word was written */
  g_assert_cmpfloat_with_epsilon (m->rect.x1, TEST_WORD_X, 2.0);
  g_assert_cmpfloat_with_epsilon (m->rect.x2, TEST_WORD_X + advance, 2.0);
  g_assert_cmpfloat (m->rect.y1, <, TEST_WORD_Y);
  g_assert_cmpfloat (m->rect.y1, >, TEST_WORD_Y - TEST_WORD_SIZE * 1.5);
  g_assert_cmpfloat (m->rect.y2, >=, TEST_WORD_Y - 1);
  g_assert_cmpfloat (m->rect.y2, <, TEST_WORD_Y + TEST_WORD_SIZE * 0.5);

  /* On its page only; not on another */
  on_page = ih_pdf_document_find (document, "discharge", 2, IH_PDF_FIND_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (on_page->len, ==, 1);
  none = ih_pdf_document_find (document, "discharge", 3, IH_PDF_FIND_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  g_clear_pointer (&none, g_array_unref);

  /* Case-sensitive finds nothing for the wrong case */
  none = ih_pdf_document_find (document, "DISCHARGE", -1, IH_PDF_FIND_CASE_SENSITIVE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  g_clear_pointer (&none, g_array_unref);

  /* A filler word is on every page */
  g_clear_pointer (&matches, g_array_unref);
  matches = ih_pdf_document_find (document, "committee", -1, IH_PDF_FIND_WHOLE_WORDS, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matches->len, >=, 6);
  for (guint i = 1; i < matches->len; i++)
    g_assert_cmpint (g_array_index (matches, IhPdfMatch, i - 1).page_index, <=,
                     g_array_index (matches, IhPdfMatch, i).page_index);

  /* The selection over the match's rectangle gives the word back */
  {
    g_autofree char *selected = NULL;
    IhPdfRect area;
    cairo_region_t *region;
    cairo_rectangle_int_t extents;

    g_clear_pointer (&matches, g_array_unref);
    matches = ih_pdf_document_find (document, "discharge", 2, IH_PDF_FIND_DEFAULT, NULL, &error);
    area = g_array_index (matches, IhPdfMatch, 0).rect;
    selected = ih_pdf_document_get_selected_text (document, 2, &area, IH_PDF_SELECT_WORDS);
    g_assert_cmpstr (g_strstrip (selected), ==, "discharge");

    region = ih_pdf_document_get_selected_region (document, 2, &area, IH_PDF_SELECT_WORDS, 2.0);
    g_assert_false (cairo_region_is_empty (region));
    cairo_region_get_extents (region, &extents);
    g_assert_cmpint (ABS (extents.x - (int) (TEST_WORD_X * 2)), <=, 4);
    cairo_region_destroy (region);
  }

  /* Out of range */
  g_assert_null (ih_pdf_document_find (document, "x", 99, IH_PDF_FIND_DEFAULT, NULL, &error));
  g_assert_error (error, IH_PDF_ERROR, IH_PDF_ERROR_NO_PAGE);
}

static void
test_outline (void)
{
  g_autofree char *path = sample_pdf ();
  g_autoptr(IhPdfDocument) document = open_ok (path);
  g_autoptr(GPtrArray) outline = ih_pdf_document_get_outline (document);
  IhPdfOutlineItem *intro, *background, *discharge;

  g_assert_cmpuint (outline->len, ==, 2);
  intro = outline->pdata[0];
  discharge = outline->pdata[1];
  g_assert_cmpstr (intro->title, ==, "Introduction");
  g_assert_cmpint (intro->page_index, ==, 0);
  g_assert_cmpuint (intro->children->len, ==, 1);
  background = intro->children->pdata[0];
  g_assert_cmpstr (background->title, ==, "Background");
  g_assert_cmpint (background->page_index, ==, 1);
  g_assert_cmpuint (background->children->len, ==, 0);
  g_assert_cmpstr (discharge->title, ==, "Discharge");
  g_assert_cmpint (discharge->page_index, ==, 2);
}

/* Page 1 links to page 3 and to a web page; page labels are numbers */
static void
test_links (void)
{
  g_autofree char *path = tmp_file ("links.pdf");
  g_autoptr(IhPdfDocument) document = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autofree char *label = NULL;
  cairo_surface_t *surface = cairo_pdf_surface_create (path, TEST_PAGE_WIDTH, TEST_PAGE_HEIGHT);
  cairo_t *cr = cairo_create (surface);
  gboolean saw_page = FALSE, saw_uri = FALSE;

  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 12);
  /* A named destination (cairo 1.16 writes "page=" links without one) */
  cairo_tag_begin (cr, CAIRO_TAG_LINK, "rect=[100 200 150 20] dest='finance'");
  cairo_tag_end (cr, CAIRO_TAG_LINK);
  cairo_tag_begin (cr, CAIRO_TAG_LINK, "rect=[100 400 150 20] uri='https://example.nhs.uk/board'");
  cairo_tag_end (cr, CAIRO_TAG_LINK);
  cairo_move_to (cr, 100, 215);
  cairo_show_text (cr, "See the finance report");
  cairo_show_page (cr);
  cairo_show_page (cr);
  cairo_tag_begin (cr, CAIRO_TAG_DEST, "name='finance'");
  cairo_move_to (cr, 72, 100);
  cairo_show_text (cr, "Finance report");
  cairo_tag_end (cr, CAIRO_TAG_DEST);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  document = open_ok (path);
  links = ih_pdf_document_get_links (document, 0);
  g_assert_cmpuint (links->len, ==, 2);
  for (guint i = 0; i < links->len; i++)
    {
      IhPdfLink *link = links->pdata[i];

      g_assert_cmpfloat_with_epsilon (link->rect.x1, 100, 1);
      g_assert_cmpfloat_with_epsilon (link->rect.x2, 250, 1);
      if (link->uri == NULL)
        {
          g_assert_cmpint (link->page_index, ==, 2);
          g_assert_cmpfloat_with_epsilon (link->rect.y1, 200, 1);
          g_assert_cmpfloat_with_epsilon (link->rect.y2, 220, 1);
          saw_page = TRUE;
        }
      else
        {
          g_assert_cmpstr (link->uri, ==, "https://example.nhs.uk/board");
          g_assert_cmpint (link->page_index, ==, -1);
          g_assert_cmpfloat_with_epsilon (link->rect.y1, 400, 1);
          saw_uri = TRUE;
        }
    }
  g_assert_true (saw_page && saw_uri);

  none = ih_pdf_document_get_links (document, 1);
  g_assert_cmpuint (none->len, ==, 0);
  label = ih_pdf_document_dup_page_label (document, 1);
  g_assert_cmpstr (label, ==, "2");
}

static gboolean
is_black (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  guint32 pixel = *(const guint32 *) (data + y * cairo_image_surface_get_stride (surface) + x * 4);

  return (pixel & 0xffffff) == 0;
}

static gboolean
is_white (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  guint32 pixel = *(const guint32 *) (data + y * cairo_image_surface_get_stride (surface) + x * 4);

  return pixel == 0xffffffff;
}

static void
test_render (void)
{
  g_autofree char *path = sample_pdf ();
  g_autoptr(IhPdfDocument) document = open_ok (path);
  static const struct
  {
    double scale;
    int    width;
    int    height;
  } zooms[] = {
    { 0.5, 298, 421 },
    { 1.0, 595, 842 },
    { 2.0, 1190, 1684 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (zooms); i++)
    {
      g_autoptr(GError) error = NULL;
      cairo_surface_t *surface;
      double s = zooms[i].scale;
      int pw, ph;
      guint dark = 0;

      surface = ih_pdf_document_render_page (document, 2, s, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (surface);
      g_assert_cmpint (cairo_image_surface_get_format (surface), ==, CAIRO_FORMAT_ARGB32);
      g_assert_cmpint (cairo_image_surface_get_width (surface), ==, zooms[i].width);
      g_assert_cmpint (cairo_image_surface_get_height (surface), ==, zooms[i].height);
      ih_pdf_pixel_size (TEST_PAGE_WIDTH, TEST_PAGE_HEIGHT, s, &pw, &ph);
      g_assert_cmpint (pw, ==, zooms[i].width);
      g_assert_cmpint (ph, ==, zooms[i].height);

      /* The square is black, the margin white, and the text shows */
      g_assert_true (is_black (surface, (int) ((TEST_BOX_X + TEST_BOX_SIZE / 2) * s),
                               (int) ((TEST_BOX_Y + TEST_BOX_SIZE / 2) * s)));
      g_assert_true (is_white (surface, (int) (10 * s), (int) (10 * s)));
      for (int y = (int) ((TEST_WORD_Y - TEST_WORD_SIZE) * s); y < (int) (TEST_WORD_Y * s); y++)
        for (int x = (int) (TEST_WORD_X * s); x < (int) ((TEST_WORD_X + 50) * s); x++)
          dark += !is_white (surface, x, y);
      g_assert_cmpuint (dark, >, 20 * s * s);
      cairo_surface_destroy (surface);
    }

  /* An area of the page: the square's corner at pixel (0, 0) */
  {
    g_autoptr(GError) error = NULL;
    cairo_surface_t *area;

    area = ih_pdf_document_render_area (document, 0, 1.0, (int) TEST_BOX_X - 10,
                                        (int) TEST_BOX_Y - 10, 40, 30, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (cairo_image_surface_get_width (area), ==, 40);
    g_assert_cmpint (cairo_image_surface_get_height (area), ==, 30);
    g_assert_true (is_white (area, 5, 5));
    g_assert_true (is_black (area, 15, 15));
    cairo_surface_destroy (area);
  }

  /* A bad zoom or page is an error, not a crash */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (ih_pdf_document_render_page (document, 0, 0.0, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    g_assert_null (ih_pdf_document_render_page (document, 6, 1.0, NULL, &error));
    g_assert_error (error, IH_PDF_ERROR, IH_PDF_ERROR_NO_PAGE);
  }
}

static cairo_surface_t *
blank_surface (int width,
               int height)
{
  return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
}

static void
test_cache (void)
{
  g_autofree char *path = sample_pdf ();
  g_autoptr(IhPdfDocument) document = open_ok (path);
  g_autoptr(IhPdfDocument) other = open_ok (path);
  gsize page_bytes = 100 * 100 * 4;
  g_autoptr(IhPageCache) cache = ih_page_cache_new (3 * page_bytes);
  IhPageCacheStats stats;
  cairo_surface_t *s;

  for (int i = 0; i < 3; i++)
    {
      cairo_surface_t *surface = blank_surface (100, 100);

      ih_page_cache_insert (cache, document, i, 1.0, surface);
      cairo_surface_destroy (surface);
    }
  ih_page_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.bytes, ==, 3 * page_bytes);
  g_assert_cmpuint (stats.n_pages, ==, 3);

  /* Page 0 is used again, so page 1 is now the least recently used */
  s = ih_page_cache_lookup (cache, document, 0, 1.0);
  g_assert_nonnull (s);
  cairo_surface_destroy (s);

  /* Keyed by scale and document too */
  g_assert_null (ih_page_cache_lookup (cache, document, 0, 2.0));
  g_assert_null (ih_page_cache_lookup (cache, other, 0, 1.0));

  {
    cairo_surface_t *surface = blank_surface (100, 100);

    ih_page_cache_insert (cache, document, 3, 1.0, surface);
    cairo_surface_destroy (surface);
  }
  ih_page_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.bytes, <=, stats.max_bytes);
  g_assert_cmpuint (stats.n_pages, ==, 3);
  g_assert_cmpuint (stats.evictions, ==, 1);
  g_assert_null (ih_page_cache_lookup (cache, document, 1, 1.0));
  for (int i = 0; i < 4; i++)
    if (i != 1)
      {
        s = ih_page_cache_lookup (cache, document, i, 1.0);
        g_assert_nonnull (s);
        cairo_surface_destroy (s);
      }
  ih_page_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.hits, ==, 4);
  g_assert_cmpuint (stats.misses, ==, 3);

  /* A surface bigger than the whole cache is not kept, and evicts nothing */
  {
    cairo_surface_t *big = blank_surface (400, 400);

    ih_page_cache_insert (cache, document, 5, 1.0, big);
    cairo_surface_destroy (big);
  }
  ih_page_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.n_pages, ==, 3);

  /* Closing a document drops its pages */
  {
    cairo_surface_t *surface = blank_surface (10, 10);

    ih_page_cache_insert (cache, other, 0, 1.0, surface);
    cairo_surface_destroy (surface);
  }
  ih_page_cache_remove_document (cache, document);
  ih_page_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.n_pages, ==, 1);
  g_assert_cmpuint (stats.bytes, ==, 10 * 10 * 4);
  ih_page_cache_clear (cache);
  ih_page_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.n_pages, ==, 0);
  g_assert_cmpuint (stats.bytes, ==, 0);
}

/* Rendering every page of a long paper through the cache: the bytes held
 * stop growing once it is full */
static void
test_cache_render_bounded (void)
{
  g_autofree char *path = tmp_file ("forty.pdf");
  g_autoptr(IhPdfDocument) document = NULL;
  g_autoptr(IhPageCache) cache = NULL;
  gsize page_bytes;
  IhPageCacheStats stats;

  test_make_pdf (path, 40, -1, NULL);
  document = open_ok (path);
  page_bytes = (gsize) cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, 298) * 421;
  cache = ih_page_cache_new (5 * page_bytes);

  for (int i = 0; i < 40; i++)
    {
      g_autoptr(GError) error = NULL;
      cairo_surface_t *surface;

      surface = ih_page_cache_lookup (cache, document, i, 0.5);
      if (surface == NULL)
        {
          surface = ih_pdf_document_render_page (document, i, 0.5, NULL, &error);
          g_assert_no_error (error);
          ih_page_cache_insert (cache, document, i, 0.5, surface);
        }
      /* Pixel memory is recycled from evicted pages: each page is drawn
       * afresh on white */
      g_assert_true (is_white (surface, 5, 5));
      g_assert_true (is_white (surface, 290, 60));
      g_assert_true (is_black (surface, (int) ((TEST_BOX_X + 50) / 2), (int) ((TEST_BOX_Y + 50) / 2)));
      cairo_surface_destroy (surface);
      ih_page_cache_get_stats (cache, &stats);
      g_assert_cmpuint (stats.bytes, <=, 5 * page_bytes);
      g_assert_cmpuint (stats.n_pages, ==, MIN (i + 1, 5));
    }
}

static void
got_result (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_async_and_cancel (void)
{
  g_autofree char *path = sample_pdf ();
  g_autoptr(IhPdfDocument) document = NULL;
  g_autoptr(IhPageCache) cache = ih_page_cache_new (64 * 1024 * 1024);
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  cairo_surface_t *surface;
  IhPageCacheStats stats;

  ih_pdf_document_open_async (path, NULL, NULL, got_result, &result);
  document = ih_pdf_document_open_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpint (ih_pdf_document_get_n_pages (document), ==, 6);

  ih_pdf_document_render_page_async (document, 1, 1.0, G_PRIORITY_DEFAULT, NULL, got_result, &result);
  surface = ih_pdf_document_render_page_finish (document, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 595);
  cairo_surface_destroy (surface);
  g_clear_object (&result);

  /* Through the cache: a miss renders, the second time is a hit */
  for (int round = 0; round < 2; round++)
    {
      ih_page_cache_render_async (cache, document, 4, 1.5, G_PRIORITY_DEFAULT, NULL, got_result, &result);
      surface = ih_page_cache_render_finish (cache, wait_for (&result), &error);
      g_assert_no_error (error);
      g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 893);
      cairo_surface_destroy (surface);
      g_clear_object (&result);
    }
  ih_page_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.misses, ==, 1);
  g_assert_cmpuint (stats.hits, ==, 1);

  /* Cancelled before it starts */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    ih_pdf_document_render_page_async (document, 0, 1.0, G_PRIORITY_DEFAULT, cancellable, got_result, &result);
    g_assert_null (ih_pdf_document_render_page_finish (document, wait_for (&result), &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_clear_object (&result);
  }

  /* Cancelled while it runs: the caller hears at once */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    ih_pdf_document_render_page_async (document, 0, 3.0, G_PRIORITY_DEFAULT, cancellable, got_result, &result);
    g_cancellable_cancel (cancellable);
    g_assert_null (ih_pdf_document_render_page_finish (document, wait_for (&result), &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_clear_object (&result);
  }

  /* Find in the whole document, cancelled and not */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GArray) matches = NULL;

    ih_pdf_document_find_async (document, "discharge", -1, IH_PDF_FIND_DEFAULT, NULL, got_result, &result);
    matches = ih_pdf_document_find_finish (document, wait_for (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (matches->len, ==, 1);
    g_clear_object (&result);

    g_cancellable_cancel (cancellable);
    ih_pdf_document_find_async (document, "discharge", -1, IH_PDF_FIND_DEFAULT, cancellable, got_result, &result);
    g_assert_null (ih_pdf_document_find_finish (document, wait_for (&result), &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_clear_object (&result);
  }

  /* The document still works after the cancelled calls */
  surface = ih_pdf_document_render_page (document, 5, 0.5, NULL, &error);
  g_assert_no_error (error);
  cairo_surface_destroy (surface);
}

static gboolean
stop_after_three (guint64  done,
                  guint64  total,
                  gpointer user_data)
{
  guint *calls = user_data;

  (*calls)++;
  g_assert_cmpuint (total, ==, 6);
  g_assert_cmpuint (done, ==, *calls);
  return done < 3;
}

static void
test_text_progress_stop (void)
{
  g_autofree char *path = sample_pdf ();
  g_autoptr(IhPdfDocument) document = open_ok (path);
  g_autoptr(GError) error = NULL;
  guint calls = 0;

  g_assert_null (ih_pdf_document_extract_text (document, stop_after_three, &calls, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (calls, ==, 3);
}

/* Each bad file gets its own error, naming the file */
static void
assert_refused (const char *path,
                const char *password,
                int         code,
                const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhPdfDocument) document = ih_pdf_document_open (path, password, NULL, &error);
  g_autofree char *name = g_path_get_basename (path);

  g_assert_null (document);
  g_assert_error (error, IH_PDF_ERROR, code);
  g_test_message ("%s: %s", name, error->message);
  g_assert_nonnull (strstr (error->message, name));
  if (words != NULL)
    g_assert_nonnull (strstr (error->message, words));
}

static void
write_bytes (const char   *path,
             const void   *data,
             gsize         len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, (gssize) len, &error);
  g_assert_no_error (error);
}

static void
test_bad_files (void)
{
  g_autofree char *sample = sample_pdf ();
  g_autofree char *missing = tmp_file ("missing.pdf");
  g_autofree char *empty = tmp_file ("empty.pdf");
  g_autofree char *random = tmp_file ("random.pdf");
  g_autofree char *png = tmp_file ("picture.pdf");
  g_autofree char *header_only = tmp_file ("header-only.pdf");
  g_autofree char *garbage = tmp_file ("garbage-after-header.pdf");
  g_autofree char *contents = NULL;
  gsize len;
  guint8 noise[4096];
  GRand *rand = g_rand_new_with_seed (7);

  assert_refused (missing, NULL, IH_PDF_ERROR_NOT_FOUND, "does not exist");
  assert_refused (g_get_user_data_dir (), NULL, IH_PDF_ERROR_NOT_PDF, "folder");

  write_bytes (empty, "", 0);
  assert_refused (empty, NULL, IH_PDF_ERROR_EMPTY, "empty");

  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = (guint8) g_rand_int_range (rand, 0, 256);
  noise[0] = 'x';
  write_bytes (random, noise, sizeof noise);
  assert_refused (random, NULL, IH_PDF_ERROR_NOT_PDF, "not a PDF");

  /* A PNG renamed .pdf */
  {
    cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 20, 20);

    g_assert_cmpint (cairo_surface_write_to_png (image, png), ==, CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy (image);
    assert_refused (png, NULL, IH_PDF_ERROR_NOT_PDF, "PNG image");
  }

  write_bytes (header_only, "%PDF-1.7\n", 9);
  assert_refused (header_only, NULL, IH_PDF_ERROR_DAMAGED, "damaged");

  memcpy (noise, "%PDF-1.5\n", 9);
  write_bytes (garbage, noise, sizeof noise);
  assert_refused (garbage, NULL, IH_PDF_ERROR_DAMAGED, "damaged");

  /* Truncated at several points: refused as damaged, or opened with
   * every page readable or refused page by page */
  g_assert_true (g_file_get_contents (sample, &contents, &len, NULL));
  for (guint cut = 1; cut < 10; cut++)
    {
      g_autofree char *name = g_strdup_printf ("truncated-%u0-percent.pdf", cut);
      g_autofree char *path = tmp_file (name);
      g_autoptr(GError) error = NULL;
      g_autoptr(IhPdfDocument) document = NULL;

      write_bytes (path, contents, len * cut / 10);
      document = ih_pdf_document_open (path, NULL, NULL, &error);
      if (document == NULL)
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == IH_PDF_ERROR);
          g_assert_true (error->code == IH_PDF_ERROR_DAMAGED || error->code == IH_PDF_ERROR_NO_PAGES);
          g_assert_nonnull (strstr (error->message, name));
          continue;
        }
      g_assert_no_error (error);
      for (int i = 0; i < ih_pdf_document_get_n_pages (document); i++)
        {
          g_autoptr(GError) page_error = NULL;
          g_autofree char *text = ih_pdf_document_get_page_text (document, i, &page_error);
          cairo_surface_t *surface = ih_pdf_document_render_page (document, i, 0.25, NULL, &page_error);

          g_assert_no_error (page_error);
          g_assert_true (g_utf8_validate (text, -1, NULL));
          cairo_surface_destroy (surface);
        }
    }

  g_rand_free (rand);
}

static void
test_encrypted (void)
{
  g_autofree char *sample = sample_pdf ();
  g_autofree char *locked = tmp_file ("locked.pdf");
  g_autofree char *qpdf = g_find_program_in_path ("qpdf");
  g_autoptr(GError) error = NULL;
  g_autoptr(IhPdfDocument) document = NULL;
  g_autofree char *text = NULL;
  int status;
  const char *argv[] = { "qpdf", "--encrypt", "board-secret", "owner-secret", "256", "--",
                         sample, locked, NULL };

  /* qpdf is a test dependency (build-aux/setup.sh installs it) */
  g_assert_nonnull (qpdf);
  argv[0] = qpdf;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);

  assert_refused (locked, NULL, IH_PDF_ERROR_ENCRYPTED, "password");
  assert_refused (locked, "wrong", IH_PDF_ERROR_BAD_PASSWORD, "password");

  document = ih_pdf_document_open (locked, "board-secret", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ih_pdf_document_get_n_pages (document), ==, 6);
  text = ih_pdf_document_get_page_text (document, 2, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "discharge"));

  /* A second handle remembers the password */
  {
    g_autoptr(IhPdfDocument) again = ih_pdf_document_dup (document, &error);

    g_assert_no_error (error);
    g_assert_cmpint (ih_pdf_document_get_n_pages (again), ==, 6);
  }
}

static void
test_thousands_of_pages (void)
{
  g_autofree char *path = tmp_file ("three-thousand.pdf");
  g_autoptr(IhPdfDocument) document = NULL;
  g_autoptr(GArray) matches = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *last = NULL;
  cairo_surface_t *surface;

  test_make_pdf_full (path, 3000, TEST_PAGE_WIDTH, TEST_PAGE_HEIGHT, 1, 2998, "zebra", FALSE);
  document = open_ok (path);
  g_assert_cmpint (ih_pdf_document_get_n_pages (document), ==, 3000);
  last = ih_pdf_document_get_page_text (document, 2999, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (last, "Page 3000"));

  matches = ih_pdf_document_find (document, "zebra", -1, IH_PDF_FIND_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matches->len, ==, 1);
  g_assert_cmpint (g_array_index (matches, IhPdfMatch, 0).page_index, ==, 2998);

  surface = ih_pdf_document_render_page (document, 2999, 1.0, NULL, &error);
  g_assert_no_error (error);
  cairo_surface_destroy (surface);
}

static void
test_huge_page (void)
{
  g_autofree char *path = tmp_file ("poster.pdf");
  g_autoptr(IhPdfDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  double width, height;

  test_make_pdf_full (path, 1, 14400, 14400, 3, 0, "poster", FALSE);
  document = open_ok (path);
  g_assert_true (ih_pdf_document_get_page_size (document, 0, &width, &height, NULL));
  g_assert_cmpfloat_with_epsilon (width, 14400, 0.01);

  /* 14,400 pixels square at 100 %: refused with the size, no allocation */
  g_assert_null (ih_pdf_document_render_page (document, 0, 1.0, NULL, &error));
  g_assert_error (error, IH_PDF_ERROR, IH_PDF_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "14400 × 14400"));
  g_clear_error (&error);

  /* Smaller zooms work, and so does the visible area at full size */
  surface = ih_pdf_document_render_page (document, 0, 0.1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 1440);
  cairo_surface_destroy (surface);

  surface = ih_pdf_document_render_area (document, 0, 1.0, 0, 0, 800, 800, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 800);
  g_assert_true (is_white (surface, 5, 5));
  g_assert_true (is_black (surface, (int) (TEST_BOX_X + TEST_BOX_SIZE / 2),
                           (int) (TEST_BOX_Y + TEST_BOX_SIZE / 2)));
  cairo_surface_destroy (surface);

  /* The text of a huge page is read like any other */
  {
    g_autofree char *text = ih_pdf_document_get_page_text (document, 0, &error);

    g_assert_no_error (error);
    g_assert_nonnull (strstr (text, "poster"));
  }
}

typedef struct
{
  guint64 last_done;
  guint64 total;
  guint   calls;
} Progress;

static gboolean
note_progress (guint64  done,
               guint64  total,
               gpointer user_data)
{
  Progress *p = user_data;

  g_assert_cmpuint (done, >=, p->last_done);
  p->last_done = done;
  p->total = total;
  p->calls++;
  return TRUE;
}

/* Adding a paper in a worker: progress arrives in this thread, the pages
 * are searchable, a second add finds it present, a cancelled one leaves
 * nothing */
static void
test_paper_import (void)
{
  g_autofree char *db = tmp_file ("import/insight-hub.db");
  g_autofree char *path = tmp_file ("import-long.pdf");
  g_autofree char *other = tmp_file ("import-other.pdf");
  g_autoptr(IhStore) store = NULL;
  g_autoptr(IhPaper) paper = NULL;
  g_autoptr(IhPaper) again = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  IhPaperAddResult added;
  Progress progress = { 0 };

  test_make_pdf_full (path, 150, TEST_PAGE_WIDTH, TEST_PAGE_HEIGHT, 2, 140, "readmission", FALSE);
  store = ih_store_open (db, &error);
  g_assert_no_error (error);

  ih_paper_add_file_async (store, path, NULL, NULL, NULL, note_progress, &progress, NULL,
                           got_result, &result);
  paper = ih_paper_add_file_finish (wait_for (&result), &added, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpint (added, ==, IH_PAPER_ADDED);
  g_assert_cmpint (paper->page_count, ==, 150);
  g_assert_cmpstr (paper->title, ==, "import long");
  g_assert_cmpstr (paper->file_name, ==, "import-long.pdf");
  /* Drain reports still queued, then check the last said "all done" */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (progress.calls, >=, 1);
  g_assert_cmpuint (progress.last_done, ==, 150);
  g_assert_cmpuint (progress.total, ==, 150);

  hits = ih_papers_search (store, "readmission", IH_QUERY_FLAG_NONE, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (((IhPaperHit *) hits->pdata[0])->page, ==, 141);

  /* The page the search found is where find-in-document finds the word */
  {
    g_autofree char *file = ih_papers_get_file (store, paper, &error);
    g_autoptr(IhPdfDocument) document = NULL;
    g_autoptr(GArray) matches = NULL;

    g_assert_no_error (error);
    document = open_ok (file);
    matches = ih_pdf_document_find (document, "readmission",
                                    ((IhPaperHit *) hits->pdata[0])->page - 1,
                                    IH_PDF_FIND_DEFAULT, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (matches->len, ==, 1);
    g_assert_cmpfloat_with_epsilon (g_array_index (matches, IhPdfMatch, 0).rect.x1, TEST_WORD_X, 2.0);
  }

  /* The PDF's own title when it is a real one, the file name when not */
  {
    const char *titles[] = { "Winter plan 2026/27", "Microsoft Word - ITEM 7.docx" };
    const char *expected[] = { "Winter plan 2026/27", "titled 1" };

    for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
      {
        g_autofree char *name = g_strdup_printf ("titled_%u.pdf", i);
        g_autofree char *titled = tmp_file (name);
        g_autoptr(IhPaper) with_title = NULL;
        cairo_surface_t *pdf = cairo_pdf_surface_create (titled, 200, 200);
        cairo_t *cr = cairo_create (pdf);

        cairo_pdf_surface_set_metadata (pdf, CAIRO_PDF_METADATA_TITLE, titles[i]);
        cairo_rectangle (cr, 10, 10, 20 + i, 20);
        cairo_fill (cr);
        cairo_destroy (cr);
        cairo_surface_destroy (pdf);

        with_title = ih_paper_add_file (store, titled, NULL, NULL, NULL, NULL, NULL, &added, NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpint (added, ==, IH_PAPER_ADDED);
        g_assert_cmpstr (with_title->title, ==, expected[i]);
        g_assert_true (ih_store_delete (store, &ih_paper_class, with_title->parent.id, &error));
      }
  }

  again = ih_paper_add_file (store, path, NULL, "Another title", NULL, NULL, NULL, &added, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (added, ==, IH_PAPER_ALREADY_PRESENT);
  g_assert_cmpstr (again->parent.id, ==, paper->parent.id);

  /* Cancelled: no paper, no pages */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    test_make_pdf_full (other, 30, TEST_PAGE_WIDTH, TEST_PAGE_HEIGHT, 2, -1, NULL, FALSE);
    g_cancellable_cancel (cancellable);
    ih_paper_add_file_async (store, other, NULL, NULL, NULL, NULL, NULL, cancellable,
                             got_result, &result);
    g_assert_null (ih_paper_add_file_finish (wait_for (&result), &added, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_clear_object (&result);
    g_assert_cmpint (ih_store_count (store, &ih_paper_class), ==, 1);
  }

  /* A bad file: the PDF library's message, nothing stored */
  {
    g_autofree char *empty = tmp_file ("import-empty.pdf");

    write_bytes (empty, "", 0);
    g_assert_null (ih_paper_add_file (store, empty, NULL, NULL, NULL, NULL, NULL, &added, NULL, &error));
    g_assert_error (error, IH_PDF_ERROR, IH_PDF_ERROR_EMPTY);
    g_assert_cmpint (ih_store_count (store, &ih_paper_class), ==, 1);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/pdf/pages-and-text", test_pages_and_text);
  g_test_add_func ("/pdf/find", test_find);
  g_test_add_func ("/pdf/outline", test_outline);
  g_test_add_func ("/pdf/links", test_links);
  g_test_add_func ("/pdf/render", test_render);
  g_test_add_func ("/pdf/cache/lru", test_cache);
  g_test_add_func ("/pdf/cache/bounded", test_cache_render_bounded);
  g_test_add_func ("/pdf/async-and-cancel", test_async_and_cancel);
  g_test_add_func ("/pdf/text-progress-stop", test_text_progress_stop);
  g_test_add_func ("/pdf/bad/files", test_bad_files);
  g_test_add_func ("/pdf/bad/encrypted", test_encrypted);
  g_test_add_func ("/pdf/bad/thousands-of-pages", test_thousands_of_pages);
  g_test_add_func ("/pdf/bad/huge-page", test_huge_page);
  g_test_add_func ("/pdf/paper-import", test_paper_import);

  return g_test_run ();
}
