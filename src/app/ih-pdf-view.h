/* ih-pdf-view.h — the pages of a PDF, one under the other, to scroll
 * through, zoom, search and select
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * IhPdfView is a GtkScrollable: put it in a GtkScrolledWindow. Only the
 * pages in view (and one either side) are rendered, off the main thread,
 * through an IhPageCache at the current zoom times the display's scale;
 * a page that leaves the view before it is drawn has its rendering
 * cancelled. Page numbers in this API count from 0, as in ih-pdf.h.
 *
 * Keys (when the view has the focus): Page Up/Down, Space, arrows, Home
 * and End (first and last page), Ctrl+plus/minus/0, Ctrl+C, Ctrl+G and
 * Shift+Ctrl+G (next and previous match). Ctrl+scroll and pinch zoom
 * about the pointer.
 */

#pragma once

#include <gtk/gtk.h>

#include "ih-pdf.h"

G_BEGIN_DECLS

typedef enum
{
  IH_PDF_ZOOM_FREE,
  IH_PDF_ZOOM_FIT_WIDTH,
  IH_PDF_ZOOM_FIT_PAGE,
} IhPdfZoomMode;

#define IH_PDF_ZOOM_MIN 0.25
#define IH_PDF_ZOOM_MAX 4.0

#define IH_TYPE_PDF_VIEW (ih_pdf_view_get_type ())
G_DECLARE_FINAL_TYPE (IhPdfView, ih_pdf_view, IH, PDF_VIEW, GtkWidget)

/* The cache views share unless given another: 192 MiB of pixels */
IhPageCache   *ih_pdf_view_get_default_cache (void);

/* A texture over a rendered page's pixels (shared, not copied) */
GdkTexture    *ih_pdf_texture_new            (cairo_surface_t *surface);

GtkWidget     *ih_pdf_view_new               (void);
void           ih_pdf_view_set_cache         (IhPdfView     *self,
                                              IhPageCache   *cache);
IhPageCache   *ih_pdf_view_get_cache         (IhPdfView     *self);
/* Shows @document (NULL: nothing), from its first page */
void           ih_pdf_view_set_document      (IhPdfView     *self,
                                              IhPdfDocument *document);
IhPdfDocument *ih_pdf_view_get_document      (IhPdfView     *self);
int            ih_pdf_view_get_n_pages       (IhPdfView     *self);

/* The page being read: the first page that fills at least half of what
 * is shown of it */
int            ih_pdf_view_get_page          (IhPdfView     *self);
/* Scrolls the top of @page_index into view */
void           ih_pdf_view_set_page          (IhPdfView     *self,
                                              int            page_index);

double         ih_pdf_view_get_zoom          (IhPdfView     *self);
/* Sets a free zoom (clamped to 25 %–400 %), keeping the page in place */
void           ih_pdf_view_set_zoom          (IhPdfView     *self,
                                              double         zoom);
IhPdfZoomMode  ih_pdf_view_get_zoom_mode     (IhPdfView     *self);
void           ih_pdf_view_set_zoom_mode     (IhPdfView     *self,
                                              IhPdfZoomMode  mode);
void           ih_pdf_view_zoom_in           (IhPdfView     *self);
void           ih_pdf_view_zoom_out          (IhPdfView     *self);

/* Finding: starts a search of the whole document (NULL or "" clears it).
 * When it is done, "n-matches" is notified and the first match on or
 * after the current page becomes the current match, scrolled into view. */
void           ih_pdf_view_find              (IhPdfView     *self,
                                              const char    *text);
gboolean       ih_pdf_view_get_find_busy     (IhPdfView     *self);
/* Matches, counting a phrase broken over lines once */
guint          ih_pdf_view_get_n_matches     (IhPdfView     *self);
/* The index (among those) of the current match, or -1 */
int            ih_pdf_view_get_current_match (IhPdfView     *self);
/* The first rectangle of the current match, FALSE when there is none */
gboolean       ih_pdf_view_get_current_match_rect (IhPdfView *self,
                                                   int       *page_index,
                                                   IhPdfRect *rect);
void           ih_pdf_view_find_next         (IhPdfView     *self);
void           ih_pdf_view_find_previous     (IhPdfView     *self);
/* Every rectangle highlighted on @page_index (GArray of IhPdfRect) */
GArray        *ih_pdf_view_get_highlights    (IhPdfView     *self,
                                              int            page_index);

/* Selection: as a drag from one point of a page to another would make */
void           ih_pdf_view_select            (IhPdfView     *self,
                                              int            page_index,
                                              const IhPdfRect *area);
void           ih_pdf_view_clear_selection   (IhPdfView     *self);
/* The selected text, or NULL when nothing is selected */
char          *ih_pdf_view_dup_selected_text (IhPdfView     *self);
/* Puts the selected text on the clipboard (Ctrl+C); FALSE if none */
gboolean       ih_pdf_view_copy              (IhPdfView     *self);

/* For tests and the thumbnails: the texture shown for @page_index now
 * (NULL while it is being rendered), and where the page is drawn, in the
 * view's coordinates. */
GdkTexture    *ih_pdf_view_get_page_texture  (IhPdfView     *self,
                                              int            page_index);
gboolean       ih_pdf_view_get_page_area     (IhPdfView     *self,
                                              int            page_index,
                                              graphene_rect_t *area);
/* Renderings started and not yet finished or cancelled */
guint          ih_pdf_view_get_n_pending     (IhPdfView     *self);

G_END_DECLS
