/* ih-test-pdf.h — PDFs made by the tests themselves with cairo's PDF
 * surface, so every word and its place are known
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo-pdf.h>
#include <glib.h>

#define TEST_PAGE_WIDTH  595.0   /* A4 in points */
#define TEST_PAGE_HEIGHT 842.0

/* Where the known word is written on the page that has it: baseline at
 * (TEST_WORD_X, TEST_WORD_Y) in points, top-left origin */
#define TEST_WORD_X      100.0
#define TEST_WORD_Y      300.0
#define TEST_WORD_SIZE   20.0
/* A black square on every page: (TEST_BOX_X, TEST_BOX_Y), TEST_BOX_SIZE wide */
#define TEST_BOX_X       400.0
#define TEST_BOX_Y       600.0
#define TEST_BOX_SIZE    100.0

static const char * const test_filler[] = {
  "The", "board", "noted", "the", "report", "on", "community", "services", "and",
  "agreed", "to", "review", "waiting", "times", "with", "partners", "across", "the",
  "system", "before", "the", "next", "meeting", "of", "the", "committee",
};

/* The known word's advance width, for checking rectangles */
static inline double
test_word_width (const char *word)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  cairo_text_extents_t extents;

  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, TEST_WORD_SIZE);
  cairo_text_extents (cr, word, &extents);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  return extents.x_advance;
}

/* Writes @n_pages pages of @width × @height points. Every page has a
 * heading "Page N", @filler_lines lines of ordinary words and the black
 * square; page index @word_page (if >= 0) also has @word at the known
 * place. With @outline, an outline: "Introduction" → page 1 with child
 * "Background" → page 2, and "Discharge" → @word_page. */
static inline void
test_make_pdf_full (const char *path,
                    int         n_pages,
                    double      width,
                    double      height,
                    int         filler_lines,
                    int         word_page,
                    const char *word,
                    gboolean    outline)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, width, height);
  cairo_t *cr = cairo_create (surface);

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);

  if (outline)
    {
      g_autofree char *to_word = g_strdup_printf ("page=%d", MAX (word_page, 0) + 1);
      int intro = cairo_pdf_surface_add_outline (surface, CAIRO_PDF_OUTLINE_ROOT,
                                                 "Introduction", "page=1",
                                                 CAIRO_PDF_OUTLINE_FLAG_OPEN);

      cairo_pdf_surface_add_outline (surface, intro, "Background",
                                     n_pages > 1 ? "page=2" : "page=1", 0);
      cairo_pdf_surface_add_outline (surface, CAIRO_PDF_OUTLINE_ROOT, "Discharge", to_word, 0);
    }

  for (int i = 0; i < n_pages; i++)
    {
      g_autofree char *heading = g_strdup_printf ("Page %d", i + 1);

      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_set_font_size (cr, 18);
      cairo_move_to (cr, 72, 72);
      cairo_show_text (cr, heading);

      cairo_set_font_size (cr, 10);
      for (int line = 0; line < filler_lines; line++)
        {
          GString *text = g_string_new (NULL);

          for (int w = 0; w < 12; w++)
            {
              g_string_append (text, test_filler[(i * 7 + line * 12 + w) % G_N_ELEMENTS (test_filler)]);
              g_string_append_c (text, ' ');
            }
          cairo_move_to (cr, 72, 110 + line * 13);
          cairo_show_text (cr, text->str);
          g_string_free (text, TRUE);
        }

      if (i == word_page && word != NULL)
        {
          cairo_set_font_size (cr, TEST_WORD_SIZE);
          cairo_move_to (cr, TEST_WORD_X, TEST_WORD_Y);
          cairo_show_text (cr, word);
        }

      if (width >= TEST_BOX_X + TEST_BOX_SIZE && height >= TEST_BOX_Y + TEST_BOX_SIZE)
        {
          cairo_rectangle (cr, TEST_BOX_X, TEST_BOX_Y, TEST_BOX_SIZE, TEST_BOX_SIZE);
          cairo_fill (cr);
        }

      cairo_show_page (cr);
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

static inline void
test_make_pdf (const char *path,
               int         n_pages,
               int         word_page,
               const char *word)
{
  test_make_pdf_full (path, n_pages, TEST_PAGE_WIDTH, TEST_PAGE_HEIGHT, 10,
                      word_page, word, TRUE);
}
