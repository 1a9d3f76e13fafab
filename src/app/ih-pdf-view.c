/* ih-pdf-view.c — the pages of a PDF, one under the other, to scroll
 * through, zoom, search and select
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Layout, in the view's logical pixels at zoom z: a page of W × H points
 * is W·z × H·z pixels; pages are stacked with GAP pixels around each and
 * centred across. Positions in the whole column ("document coordinates")
 * become widget coordinates by subtracting the adjustments' values.
 */

#define G_LOG_DOMAIN "ih-pdf-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ih-pdf-view.h"

#define GAP 12.0
/* Largest rendering kept for one page, whatever the zoom: 16 Mpixels
 * (64 MiB); beyond it the page is drawn from a smaller rendering */
#define MAX_RENDER_PIXELS (16.0 * 1024 * 1024)
#define DEFAULT_CACHE_BYTES ((gsize) 192 * 1024 * 1024)

static const double zoom_steps[] = {
  0.25, 0.33, 0.5, 0.67, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0,
};

typedef struct _Request Request;

typedef struct
{
  double      width;        /* points */
  double      height;
  double      y;            /* document coordinates at the current zoom */
  GdkTexture *texture;      /* NULL until rendered */
  double      texture_scale;
  Request    *request;      /* the rendering under way, or NULL */
  GPtrArray  *links;        /* IhPdfLink, loaded when first needed */
  gboolean    failed;       /* poppler could not render it at failed_scale */
  double      failed_scale;
} Page;

struct _Request
{
  IhPdfView    *view;       /* owned */
  GCancellable *cancellable;
  int           page_index;
  double        scale;
};

struct _IhPdfView
{
  GtkWidget       parent_instance;

  /* Owned References */
  IhPdfDocument  *document;
  IhPdfDocument  *text_document;   /* a second handle for find, links, selection */
  IhPageCache    *cache;
  GtkAdjustment  *hadjustment;
  GtkAdjustment  *vadjustment;
  GCancellable   *find_cancellable;
  GArray         *matches;         /* IhPdfMatch */
  char           *find_text;
  cairo_region_t *selection_region;

  Page           *pages;
  int             n_pages;
  double          max_width;       /* points */
  double          max_height;

  double          zoom;
  IhPdfZoomMode   zoom_mode;
  int             page;
  guint           n_pending;
  int             current_match;   /* index into matches, or -1 */

  /* Selection, on one page, in points */
  int             sel_page;
  IhPdfRect       sel_area;
  IhPdfSelectionStyle sel_style;
  double          sel_region_scale;

  /* Pointer and gestures */
  double          pointer_x;
  double          pointer_y;
  double          drag_x;
  double          drag_y;
  double          pinch_zoom;
  gboolean        dragging;
  gboolean        find_busy;

  guint           hscroll_policy : 1;
  guint           vscroll_policy : 1;
  guint           in_scroll : 1;   /* our own change of the adjustments */
  guint           in_allocate : 1;
  guint           zoom_changed : 1; /* in size_allocate, told in an idle */
  guint           notify_source;
};

enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_PAGE,
  PROP_N_PAGES,
  PROP_ZOOM,
  PROP_ZOOM_MODE,
  PROP_N_MATCHES,
  PROP_CURRENT_MATCH,
  PROP_FIND_BUSY,
  N_PROPS,

  /* GtkScrollable */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE_WITH_CODE (IhPdfView, ih_pdf_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

static void update_visible   (IhPdfView *self);
static void update_page      (IhPdfView *self);

IhPageCache *
ih_pdf_view_get_default_cache (void)
{
  static IhPageCache *cache;

  if (g_once_init_enter (&cache))
    g_once_init_leave (&cache, ih_page_cache_new (DEFAULT_CACHE_BYTES));

  return cache;
}

GtkWidget *
ih_pdf_view_new (void)
{
  return g_object_new (IH_TYPE_PDF_VIEW, NULL);
}

/*
 * Geometry
 */

static double
view_width (IhPdfView *self)
{
  return gtk_widget_get_width (GTK_WIDGET (self));
}

static double
view_height (IhPdfView *self)
{
  return gtk_widget_get_height (GTK_WIDGET (self));
}

static double
content_width (IhPdfView *self)
{
  return MAX (view_width (self), self->max_width * self->zoom + 2 * GAP);
}

static double
content_height (IhPdfView *self)
{
  if (self->n_pages == 0)
    return 0;

  return self->pages[self->n_pages - 1].y + self->pages[self->n_pages - 1].height * self->zoom + GAP;
}

static double
page_x (IhPdfView *self,
        int        i)
{
  return floor ((content_width (self) - self->pages[i].width * self->zoom) / 2);
}

static double
hvalue (IhPdfView *self)
{
  return self->hadjustment ? gtk_adjustment_get_value (self->hadjustment) : 0;
}

static double
vvalue (IhPdfView *self)
{
  return self->vadjustment ? gtk_adjustment_get_value (self->vadjustment) : 0;
}

static void
layout_pages (IhPdfView *self)
{
  double y = GAP;

  for (int i = 0; i < self->n_pages; i++)
    {
      self->pages[i].y = y;
      y += floor (self->pages[i].height * self->zoom) + GAP;
    }
}

/* The page whose band (the page and the gap above it) holds @y, in
 * document coordinates */
static int
page_at_y (IhPdfView *self,
           double     y)
{
  int lo = 0;
  int hi = self->n_pages - 1;

  if (self->n_pages == 0)
    return -1;

  while (lo < hi)
    {
      int mid = (lo + hi + 1) / 2;

      if (self->pages[mid].y - GAP <= y)
        lo = mid;
      else
        hi = mid - 1;
    }
  return lo;
}

/* The zoom the fit modes ask for at the current size */
static double
fit_zoom (IhPdfView     *self,
          IhPdfZoomMode  mode)
{
  double w = view_width (self) - 2 * GAP;
  double h = view_height (self) - 2 * GAP;
  double zoom;

  if (self->n_pages == 0 || w <= 0 || h <= 0)
    return self->zoom;

  zoom = w / self->max_width;
  if (mode == IH_PDF_ZOOM_FIT_PAGE)
    {
      Page *page = &self->pages[CLAMP (self->page, 0, self->n_pages - 1)];

      zoom = MIN (w / page->width, h / page->height);
    }
  return CLAMP (zoom, IH_PDF_ZOOM_MIN, IH_PDF_ZOOM_MAX);
}

static void
configure_adjustments (IhPdfView *self)
{
  double width = view_width (self);
  double height = view_height (self);

  self->in_scroll = TRUE;
  if (self->hadjustment != NULL)
    {
      double upper = content_width (self);

      gtk_adjustment_configure (self->hadjustment,
                                CLAMP (gtk_adjustment_get_value (self->hadjustment), 0, MAX (0, upper - width)),
                                0, upper, 40, width * 0.9, width);
    }
  if (self->vadjustment != NULL)
    {
      double upper = MAX (content_height (self), height);

      gtk_adjustment_configure (self->vadjustment,
                                CLAMP (gtk_adjustment_get_value (self->vadjustment), 0, MAX (0, upper - height)),
                                0, upper, 40, height * 0.9, height);
    }
  self->in_scroll = FALSE;
}

static void
scroll_to (IhPdfView *self,
           double     x,
           double     y)
{
  self->in_scroll = TRUE;
  if (self->hadjustment != NULL)
    gtk_adjustment_set_value (self->hadjustment, x);
  if (self->vadjustment != NULL)
    gtk_adjustment_set_value (self->vadjustment, y);
  self->in_scroll = FALSE;
  update_visible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Changes the zoom keeping the point at (@ax, @ay) in the view over the
 * same spot of the same page */
static void
apply_zoom (IhPdfView *self,
            double     zoom,
            double     ax,
            double     ay)
{
  double old_zoom = self->zoom;
  double doc_x;
  double doc_y;
  double px;
  double py;
  int i;

  zoom = CLAMP (zoom, IH_PDF_ZOOM_MIN, IH_PDF_ZOOM_MAX);
  if (fabs (zoom - old_zoom) < 1e-6 || self->n_pages == 0)
    {
      self->zoom = zoom;
      return;
    }

  doc_x = hvalue (self) + ax;
  doc_y = vvalue (self) + ay;
  i = page_at_y (self, doc_y);
  px = (doc_x - page_x (self, i)) / old_zoom;
  py = (doc_y - self->pages[i].y) / old_zoom;

  self->zoom = zoom;
  layout_pages (self);
  configure_adjustments (self);
  ih_pdf_view_clear_selection (self);

  scroll_to (self,
             page_x (self, i) + px * zoom - ax,
             self->pages[i].y + py * zoom - ay);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

/*
 * Rendering
 */

static double
render_scale (IhPdfView *self,
              int        i)
{
  double scale = self->zoom * gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double pixels = self->pages[i].width * self->pages[i].height * scale * scale;

  if (pixels > MAX_RENDER_PIXELS)
    scale *= sqrt (MAX_RENDER_PIXELS / pixels);
  return scale;
}

GdkTexture *
ih_pdf_texture_new (cairo_surface_t *surface)
{
  g_autoptr(GBytes) bytes = NULL;
  int height;
  int stride;

  g_return_val_if_fail (surface != NULL, NULL);
  g_return_val_if_fail (cairo_image_surface_get_format (surface) == CAIRO_FORMAT_ARGB32, NULL);

  height = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);

  /* The texture shares the cache's pixels: no copy */
  cairo_surface_flush (surface);
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) stride * height,
                                      (GDestroyNotify) cairo_surface_destroy,
                                      cairo_surface_reference (surface));
  return gdk_memory_texture_new (cairo_image_surface_get_width (surface), height,
                                 GDK_MEMORY_DEFAULT, bytes, stride);
}

static void
request_free (Request *request)
{
  g_clear_object (&request->cancellable);
  g_clear_object (&request->view);
  g_free (request);
}

static void
cancel_request (IhPdfView *self,
                Page      *page)
{
  if (page->request == NULL)
    return;

  /* The callback still runs, sees the cancellation and frees it */
  g_cancellable_cancel (page->request->cancellable);
  page->request = NULL;
  self->n_pending--;
}

static void
set_texture (IhPdfView       *self,
             Page            *page,
             cairo_surface_t *surface,
             double           scale)
{
  g_clear_object (&page->texture);
  page->texture = ih_pdf_texture_new (surface);
  page->texture_scale = scale;
  page->failed = FALSE;
}

static void
render_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Request *request = user_data;
  IhPdfView *self = request->view;
  cairo_surface_t *surface;
  g_autoptr(GError) error = NULL;
  Page *page;

  surface = ih_page_cache_render_finish (IH_PAGE_CACHE (object), result, &error);

  /* Cancelled, or replaced by another rendering of the page */
  if (g_cancellable_is_cancelled (request->cancellable) ||
      request->page_index >= self->n_pages ||
      self->pages[request->page_index].request != request)
    {
      g_clear_pointer (&surface, cairo_surface_destroy);
      request_free (request);
      return;
    }

  page = &self->pages[request->page_index];
  page->request = NULL;
  self->n_pending--;

  if (surface != NULL)
    {
      set_texture (self, page, surface, request->scale);
      cairo_surface_destroy (surface);
    }
  else
    {
      /* A damaged page in a readable file: said on the page itself */
      g_debug ("Page %d: %s", request->page_index + 1, error->message);
      page->failed = TRUE;
      page->failed_scale = request->scale;
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
  /* Last: it may hold the last reference to the view */
  request_free (request);
}

static void
request_page (IhPdfView *self,
              int        i,
              int        priority)
{
  Page *page = &self->pages[i];
  double scale = render_scale (self, i);
  cairo_surface_t *surface;
  Request *request;

  if (page->texture != NULL && page->texture_scale == scale)
    return;
  if (page->request != NULL && page->request->scale == scale)
    return;
  if (page->failed && page->failed_scale == scale)
    return;

  cancel_request (self, page);

  /* Already in the cache: no placeholder, not even for one frame */
  surface = ih_page_cache_lookup (self->cache, self->document, i, scale);
  if (surface != NULL)
    {
      set_texture (self, page, surface, scale);
      cairo_surface_destroy (surface);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  request = g_new0 (Request, 1);
  request->view = g_object_ref (self);
  request->cancellable = g_cancellable_new ();
  request->page_index = i;
  request->scale = scale;
  page->request = request;
  page->failed = FALSE;
  page->texture_scale = page->texture ? page->texture_scale : 0;
  self->n_pending++;

  ih_page_cache_render_async (self->cache, self->document, i, scale, priority,
                              request->cancellable, render_cb, request);
}

/* Renders the pages in view and one either side; cancels and forgets the
 * rest */
static void
update_visible (IhPdfView *self)
{
  int first;
  int last;

  /* Not before the first layout: the zoom of a fit mode is not known */
  if (self->n_pages == 0 || !gtk_widget_get_realized (GTK_WIDGET (self)) ||
      view_width (self) <= 0 || view_height (self) <= 0)
    return;

  first = page_at_y (self, vvalue (self));
  last = page_at_y (self, vvalue (self) + view_height (self));

  for (int i = first; i <= last; i++)
    request_page (self, i, G_PRIORITY_DEFAULT);
  if (first > 0)
    request_page (self, first - 1, G_PRIORITY_LOW);
  if (last + 1 < self->n_pages)
    request_page (self, last + 1, G_PRIORITY_LOW);

  for (int i = 0; i < self->n_pages; i++)
    {
      if (i >= first - 1 && i <= last + 1)
        continue;
      cancel_request (self, &self->pages[i]);
      g_clear_object (&self->pages[i].texture);
      self->pages[i].failed = FALSE;
    }

  if (!self->in_scroll && !self->in_allocate)
    update_page (self);
}

/*
 * The current page
 */

static void
announce_page (IhPdfView *self)
{
  g_autofree char *text = NULL;

  if (self->n_pages == 0)
    return;

  /* Translators: said by screen readers as the page changes */
  text = g_strdup_printf (_("Page %d of %d"), self->page + 1, self->n_pages);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

static void
set_current_page (IhPdfView *self,
                  int        page)
{
  if (page == self->page)
    return;

  self->page = page;
  announce_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

/* The first page in view that fills at least half of the view or half of
 * itself */
static void
update_page (IhPdfView *self)
{
  double top = vvalue (self);
  double height = view_height (self);
  double bottom = top + height;
  int first;

  if (self->n_pages == 0 || height <= 0)
    return;

  first = page_at_y (self, top);
  for (int i = first; i < self->n_pages && self->pages[i].y < bottom; i++)
    {
      double page_top = self->pages[i].y;
      double page_height = self->pages[i].height * self->zoom;
      double shown = MIN (bottom, page_top + page_height) - MAX (top, page_top);

      if (shown >= 0.5 * MIN (page_height, height) - 1)
        {
          set_current_page (self, i);
          return;
        }
    }
  set_current_page (self, first);
}

int
ih_pdf_view_get_page (IhPdfView *self)
{
  g_return_val_if_fail (IH_IS_PDF_VIEW (self), 0);
  return self->page;
}

void
ih_pdf_view_set_page (IhPdfView *self,
                      int        page_index)
{
  g_return_if_fail (IH_IS_PDF_VIEW (self));

  if (self->n_pages == 0)
    return;

  page_index = CLAMP (page_index, 0, self->n_pages - 1);
  if (self->zoom_mode == IH_PDF_ZOOM_FIT_PAGE)
    {
      /* Each page may have its own size */
      self->page = page_index;
      self->zoom = fit_zoom (self, IH_PDF_ZOOM_FIT_PAGE);
      layout_pages (self);
      configure_adjustments (self);
    }
  self->page = -1;
  scroll_to (self, hvalue (self), self->pages[page_index].y - GAP);
  set_current_page (self, page_index);
}

int
ih_pdf_view_get_n_pages (IhPdfView *self)
{
  g_return_val_if_fail (IH_IS_PDF_VIEW (self), 0);
  return self->n_pages;
}

/*
 * Document
 */

static void
clear_pages (IhPdfView *self)
{
  for (int i = 0; i < self->n_pages; i++)
    {
      cancel_request (self, &self->pages[i]);
      g_clear_object (&self->pages[i].texture);
      g_clear_pointer (&self->pages[i].links, g_ptr_array_unref);
    }
  g_clear_pointer (&self->pages, g_free);
  self->n_pages = 0;
}

static IhPdfDocument *
get_text_document (IhPdfView *self)
{
  g_autoptr(GError) error = NULL;

  if (self->text_document == NULL && self->document != NULL)
    {
      self->text_document = ih_pdf_document_dup (self->document, &error);
      if (self->text_document == NULL)
        {
          /* Find and select then wait for renderings; still correct */
          g_debug ("Second handle refused: %s", error->message);
          self->text_document = g_object_ref (self->document);
        }
    }
  return self->text_document;
}

void
ih_pdf_view_set_document (IhPdfView     *self,
                          IhPdfDocument *document)
{
  g_return_if_fail (IH_IS_PDF_VIEW (self));
  g_return_if_fail (document == NULL || IH_IS_PDF_DOCUMENT (document));

  if (self->document == document)
    return;

  ih_pdf_view_find (self, NULL);
  ih_pdf_view_clear_selection (self);
  clear_pages (self);
  g_clear_object (&self->text_document);
  g_set_object (&self->document, document);
  self->max_width = 0;
  self->max_height = 0;
  self->page = 0;

  if (document != NULL)
    {
      self->n_pages = ih_pdf_document_get_n_pages (document);
      self->pages = g_new0 (Page, MAX (self->n_pages, 1));
      for (int i = 0; i < self->n_pages; i++)
        {
          Page *page = &self->pages[i];

          /* A page without a size gets A4's rather than nothing */
          if (!ih_pdf_document_get_page_size (document, i, &page->width, &page->height, NULL) ||
              !(page->width > 0 && page->height > 0))
            {
              page->width = 595;
              page->height = 842;
            }
          self->max_width = MAX (self->max_width, page->width);
          self->max_height = MAX (self->max_height, page->height);
        }
    }

  if (self->zoom_mode != IH_PDF_ZOOM_FREE)
    self->zoom = fit_zoom (self, self->zoom_mode);
  layout_pages (self);
  configure_adjustments (self);
  scroll_to (self, 0, 0);
  announce_page (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PAGES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

IhPdfDocument *
ih_pdf_view_get_document (IhPdfView *self)
{
  g_return_val_if_fail (IH_IS_PDF_VIEW (self), NULL);
  return self->document;
}

void
ih_pdf_view_set_cache (IhPdfView   *self,
                       IhPageCache *cache)
{
  g_return_if_fail (IH_IS_PDF_VIEW (self));
  g_return_if_fail (IH_IS_PAGE_CACHE (cache));

  for (int i = 0; i < self->n_pages; i++)
    cancel_request (self, &self->pages[i]);
  g_set_object (&self->cache, cache);
  update_visible (self);
}

IhPageCache *
ih_pdf_view_get_cache (IhPdfView *self)
{
  g_return_val_if_fail (IH_IS_PDF_VIEW (self), NULL);
  return self->cache;
}

/*
 * Zoom
 */

double
ih_pdf_view_get_zoom (IhPdfView *self)
{
  g_return_val_if_fail (IH_IS_PDF_VIEW (self), 1.0);
  return self->zoom;
}

static void
set_zoom_mode_internal (IhPdfView     *self,
                        IhPdfZoomMode  mode)
{
  if (self->zoom_mode == mode)
    return;
  self->zoom_mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_MODE]);
}

void
ih_pdf_view_set_zoom (IhPdfView *self,
                      double     zoom)
{
  g_return_if_fail (IH_IS_PDF_VIEW (self));

  set_zoom_mode_internal (self, IH_PDF_ZOOM_FREE);
  /* About the top of the view: the page being read stays in place */
  apply_zoom (self, zoom, view_width (self) / 2, 0);
}

IhPdfZoomMode
ih_pdf_view_get_zoom_mode (IhPdfView *self)
{
  g_return_val_if_fail (IH_IS_PDF_VIEW (self), IH_PDF_ZOOM_FREE);
  return self->zoom_mode;
}

void
ih_pdf_view_set_zoom_mode (IhPdfView     *self,
                           IhPdfZoomMode  mode)
{
  g_return_if_fail (IH_IS_PDF_VIEW (self));

  set_zoom_mode_internal (self, mode);
  if (mode != IH_PDF_ZOOM_FREE)
    apply_zoom (self, fit_zoom (self, mode), view_width (self) / 2, 0);
}

void
ih_pdf_view_zoom_in (IhPdfView *self)
{
  g_return_if_fail (IH_IS_PDF_VIEW (self));

  for (guint i = 0; i < G_N_ELEMENTS (zoom_steps); i++)
    if (zoom_steps[i] > self->zoom * 1.01)
      {
        ih_pdf_view_set_zoom (self, zoom_steps[i]);
        return;
      }
}

void
ih_pdf_view_zoom_out (IhPdfView *self)
{
  g_return_if_fail (IH_IS_PDF_VIEW (self));

  for (guint i = G_N_ELEMENTS (zoom_steps); i > 0; i--)
    if (zoom_steps[i - 1] < self->zoom * 0.99)
      {
        ih_pdf_view_set_zoom (self, zoom_steps[i - 1]);
        return;
      }
}

/*
 * Find
 */

/* Index into matches of the @n-th match that is not a continuation */
static int
match_index (IhPdfView *self,
             int        n)
{
  int seen = -1;

  if (self->matches == NULL)
    return -1;

  for (guint i = 0; i < self->matches->len; i++)
    if (!g_array_index (self->matches, IhPdfMatch, i).continued && ++seen == n)
      return i;
  return -1;
}

guint
ih_pdf_view_get_n_matches (IhPdfView *self)
{
  guint n = 0;

  g_return_val_if_fail (IH_IS_PDF_VIEW (self), 0);

  if (self->matches == NULL)
    return 0;
  for (guint i = 0; i < self->matches->len; i++)
    if (!g_array_index (self->matches, IhPdfMatch, i).continued)
      n++;
  return n;
}

int
ih_pdf_view_get_current_match (IhPdfView *self)
{
  g_return_val_if_fail (IH_IS_PDF_VIEW (self), -1);
  return self->current_match;
}

gboolean
ih_pdf_view_get_current_match_rect (IhPdfView *self,
                                    int       *page_index,
                                    IhPdfRect *rect)
{
  int i;
  const IhPdfMatch *match;

  g_return_val_if_fail (IH_IS_PDF_VIEW (self), FALSE);

  i = match_index (self, self->current_match);
  if (i < 0)
    return FALSE;

  match = &g_array_index (self->matches, IhPdfMatch, i);
  if (page_index != NULL)
    *page_index = match->page_index;
  if (rect != NULL)
    *rect = match->rect;
  return TRUE;
}

gboolean
ih_pdf_view_get_find_busy (IhPdfView *self)
{
  g_return_val_if_fail (IH_IS_PDF_VIEW (self), FALSE);
  return self->find_busy;
}

static void
scroll_rect_into_view (IhPdfView       *self,
                       int              page_index,
                       const IhPdfRect *rect)
{
  double x1 = page_x (self, page_index) + rect->x1 * self->zoom;
  double x2 = page_x (self, page_index) + rect->x2 * self->zoom;
  double y1 = self->pages[page_index].y + rect->y1 * self->zoom;
  double y2 = self->pages[page_index].y + rect->y2 * self->zoom;
  double x = hvalue (self);
  double y = vvalue (self);
  double width = view_width (self);
  double height = view_height (self);

  /* Where it is already in view, nothing moves; otherwise it comes to a
   * third of the way down */
  if (y1 < y || y2 > y + height)
    y = y1 - height / 3;
  if (x1 < x || x2 > x + width)
    x = x1 - width / 3;
  scroll_to (self, x, y);
  update_page (self);
}

static void
set_current_match (IhPdfView *self,
                   int        n)
{
  int page_index;
  IhPdfRect rect;

  self->current_match = n;
  if (ih_pdf_view_get_current_match_rect (self, &page_index, &rect))
    scroll_rect_into_view (self, page_index, &rect);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_MATCH]);
}

static void
set_find_busy (IhPdfView *self,
               gboolean   busy)
{
  if (self->find_busy == busy)
    return;
  self->find_busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIND_BUSY]);
}

static void
find_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(IhPdfView) self = user_data;
  g_autoptr(GError) error = NULL;
  GArray *matches;
  int first = -1;
  int n = 0;

  matches = ih_pdf_document_find_finish (IH_PDF_DOCUMENT (object), result, &error);
  if (matches == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Find: %s", error->message);
          set_find_busy (self, FALSE);
        }
      return;
    }

  g_clear_pointer (&self->matches, g_array_unref);
  self->matches = matches;
  set_find_busy (self, FALSE);

  /* The first match on or after the page being read, else the first */
  for (guint i = 0; i < matches->len; i++)
    {
      const IhPdfMatch *match = &g_array_index (matches, IhPdfMatch, i);

      if (match->continued)
        continue;
      if (match->page_index >= self->page)
        {
          first = n;
          break;
        }
      n++;
    }
  if (first < 0 && ih_pdf_view_get_n_matches (self) > 0)
    first = 0;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MATCHES]);
  set_current_match (self, first);
}

void
ih_pdf_view_find (IhPdfView  *self,
                  const char *text)
{
  g_return_if_fail (IH_IS_PDF_VIEW (self));

  if (self->find_cancellable != NULL)
    g_cancellable_cancel (self->find_cancellable);
  g_clear_object (&self->find_cancellable);
  g_clear_pointer (&self->find_text, g_free);
  g_clear_pointer (&self->matches, g_array_unref);
  self->current_match = -1;

  if (text != NULL && *text != '\0' && self->document != NULL)
    {
      self->find_text = g_strdup (text);
      self->find_cancellable = g_cancellable_new ();
      set_find_busy (self, TRUE);
      ih_pdf_document_find_async (get_text_document (self), text, -1, IH_PDF_FIND_DEFAULT,
                                  self->find_cancellable, find_cb, g_object_ref (self));
    }
  else
    set_find_busy (self, FALSE);

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MATCHES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_MATCH]);
}

void
ih_pdf_view_find_next (IhPdfView *self)
{
  guint n;

  g_return_if_fail (IH_IS_PDF_VIEW (self));

  n = ih_pdf_view_get_n_matches (self);
  if (n > 0)
    set_current_match (self, (self->current_match + 1) % n);
}

void
ih_pdf_view_find_previous (IhPdfView *self)
{
  guint n;

  g_return_if_fail (IH_IS_PDF_VIEW (self));

  n = ih_pdf_view_get_n_matches (self);
  if (n > 0)
    set_current_match (self, (self->current_match + n - 1) % n);
}

GArray *
ih_pdf_view_get_highlights (IhPdfView *self,
                            int        page_index)
{
  GArray *rects;

  g_return_val_if_fail (IH_IS_PDF_VIEW (self), NULL);

  rects = g_array_new (FALSE, FALSE, sizeof (IhPdfRect));
  if (self->matches == NULL)
    return rects;

  for (guint i = 0; i < self->matches->len; i++)
    {
      const IhPdfMatch *match = &g_array_index (self->matches, IhPdfMatch, i);

      if (match->page_index == page_index)
        g_array_append_val (rects, match->rect);
    }
  return rects;
}

/*
 * Selection
 */

void
ih_pdf_view_clear_selection (IhPdfView *self)
{
  g_return_if_fail (IH_IS_PDF_VIEW (self));

  self->sel_page = -1;
  g_clear_pointer (&self->selection_region, cairo_region_destroy);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
select_internal (IhPdfView           *self,
                 int                  page_index,
                 const IhPdfRect     *area,
                 IhPdfSelectionStyle  style)
{
  ih_pdf_view_clear_selection (self);
  if (page_index < 0 || page_index >= self->n_pages)
    return;

  self->sel_page = page_index;
  self->sel_area = *area;
  self->sel_style = style;
  self->sel_region_scale = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ih_pdf_view_select (IhPdfView       *self,
                    int              page_index,
                    const IhPdfRect *area)
{
  g_return_if_fail (IH_IS_PDF_VIEW (self));
  g_return_if_fail (area != NULL);

  select_internal (self, page_index, area, IH_PDF_SELECT_GLYPHS);
}

char *
ih_pdf_view_dup_selected_text (IhPdfView *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (IH_IS_PDF_VIEW (self), NULL);

  if (self->sel_page < 0 || self->document == NULL)
    return NULL;

  text = ih_pdf_document_get_selected_text (get_text_document (self), self->sel_page,
                                            &self->sel_area, self->sel_style);
  if (text == NULL || *text == '\0')
    return NULL;
  return g_steal_pointer (&text);
}

gboolean
ih_pdf_view_copy (IhPdfView *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (IH_IS_PDF_VIEW (self), FALSE);

  text = ih_pdf_view_dup_selected_text (self);
  if (text == NULL)
    return FALSE;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  return TRUE;
}

/*
 * Points and pages
 */

/* The page under (@x, @y) in the view and the point on it in points;
 * FALSE when the point is between pages (then @page_index is the nearest
 * and the point is clamped to it) */
static gboolean
point_on_page (IhPdfView *self,
               double     x,
               double     y,
               int       *page_index,
               double    *px,
               double    *py)
{
  double doc_x = hvalue (self) + x;
  double doc_y = vvalue (self) + y;
  int i = page_at_y (self, doc_y);
  Page *page;
  double u;
  double v;

  if (i < 0)
    return FALSE;

  page = &self->pages[i];
  u = (doc_x - page_x (self, i)) / self->zoom;
  v = (doc_y - page->y) / self->zoom;
  *page_index = i;
  *px = CLAMP (u, 0, page->width);
  *py = CLAMP (v, 0, page->height);
  return u >= 0 && v >= 0 && u <= page->width && v <= page->height;
}

static const IhPdfLink *
link_at (IhPdfView *self,
         double     x,
         double     y)
{
  int i;
  double px;
  double py;
  Page *page;

  if (self->document == NULL || !point_on_page (self, x, y, &i, &px, &py))
    return NULL;

  page = &self->pages[i];
  if (page->links == NULL)
    page->links = ih_pdf_document_get_links (get_text_document (self), i);

  for (guint j = 0; j < page->links->len; j++)
    {
      const IhPdfLink *link = g_ptr_array_index (page->links, j);

      if (px >= link->rect.x1 && px <= link->rect.x2 &&
          py >= link->rect.y1 && py <= link->rect.y2)
        return link;
    }
  return NULL;
}

GdkTexture *
ih_pdf_view_get_page_texture (IhPdfView *self,
                              int        page_index)
{
  g_return_val_if_fail (IH_IS_PDF_VIEW (self), NULL);

  if (page_index < 0 || page_index >= self->n_pages)
    return NULL;
  /* A texture from another zoom is shown stretched until the new one
   * comes, but it is not the page at this zoom */
  if (self->pages[page_index].texture_scale != render_scale (self, page_index))
    return NULL;
  return self->pages[page_index].texture;
}

gboolean
ih_pdf_view_get_page_area (IhPdfView       *self,
                           int              page_index,
                           graphene_rect_t *area)
{
  g_return_val_if_fail (IH_IS_PDF_VIEW (self), FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  if (page_index < 0 || page_index >= self->n_pages)
    return FALSE;

  graphene_rect_init (area,
                      page_x (self, page_index) - hvalue (self),
                      self->pages[page_index].y - vvalue (self),
                      floor (self->pages[page_index].width * self->zoom),
                      floor (self->pages[page_index].height * self->zoom));
  return TRUE;
}

guint
ih_pdf_view_get_n_pending (IhPdfView *self)
{
  g_return_val_if_fail (IH_IS_PDF_VIEW (self), 0);
  return self->n_pending;
}

/*
 * Drawing
 */

static void
append_rect (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             double         x,
             double         y,
             double         width,
             double         height)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

static void
draw_highlights (IhPdfView   *self,
                 GtkSnapshot *snapshot,
                 int          i,
                 double       x,
                 double       y)
{
  static const GdkRGBA match_color = { 1.0, 0.85, 0.0, 0.35 };
  static const GdkRGBA current_color = { 1.0, 0.45, 0.0, 0.5 };
  int current = match_index (self, self->current_match);

  if (self->matches == NULL)
    return;

  for (guint j = 0; j < self->matches->len; j++)
    {
      const IhPdfMatch *match = &g_array_index (self->matches, IhPdfMatch, j);
      gboolean is_current;

      if (match->page_index != i)
        continue;

      /* A phrase over two lines is current on both */
      is_current = (int) j == current;
      for (int k = j; !is_current && k > 0 && g_array_index (self->matches, IhPdfMatch, k).continued; k--)
        is_current = k - 1 == current;

      append_rect (snapshot, is_current ? &current_color : &match_color,
                   x + match->rect.x1 * self->zoom - 1,
                   y + match->rect.y1 * self->zoom - 1,
                   (match->rect.x2 - match->rect.x1) * self->zoom + 2,
                   (match->rect.y2 - match->rect.y1) * self->zoom + 2);
    }
}

static void
draw_selection (IhPdfView   *self,
                GtkSnapshot *snapshot,
                int          i,
                double       x,
                double       y)
{
  static const GdkRGBA color = { 0.21, 0.52, 0.89, 0.35 };
  int n;

  if (self->sel_page != i)
    return;

  if (self->selection_region == NULL || self->sel_region_scale != self->zoom)
    {
      g_clear_pointer (&self->selection_region, cairo_region_destroy);
      self->selection_region = ih_pdf_document_get_selected_region (get_text_document (self), i,
                                                                    &self->sel_area,
                                                                    self->sel_style,
                                                                    self->zoom);
      self->sel_region_scale = self->zoom;
    }
  if (self->selection_region == NULL)
    return;

  n = cairo_region_num_rectangles (self->selection_region);
  for (int k = 0; k < n; k++)
    {
      cairo_rectangle_int_t r;

      cairo_region_get_rectangle (self->selection_region, k, &r);
      append_rect (snapshot, &color, x + r.x, y + r.y, r.width, r.height);
    }
}

static void
draw_failed (IhPdfView   *self,
             GtkSnapshot *snapshot,
             int          i,
             double       x,
             double       y,
             double       width)
{
  g_autofree char *text = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  GdkRGBA color = { 0.2, 0.2, 0.2, 1.0 };
  int text_width;

  /* Translators: drawn on a page that poppler could not render */
  text = g_strdup_printf (_("Page %d could not be shown"), i + 1);
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  pango_layout_get_pixel_size (layout, &text_width, NULL);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + MAX (0, (width - text_width) / 2), y + 24));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
ih_pdf_view_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  IhPdfView *self = IH_PDF_VIEW (widget);
  static const GdkRGBA background = { 0.5, 0.5, 0.5, 0.15 };
  static const GdkRGBA border = { 0, 0, 0, 0.25 };
  static const GdkRGBA placeholder = { 0.97, 0.97, 0.96, 1.0 };
  static const GdkRGBA white = { 1, 1, 1, 1 };
  double width = view_width (self);
  double height = view_height (self);
  double top = vvalue (self);
  int first;

  append_rect (snapshot, &background, 0, 0, width, height);
  if (self->n_pages == 0)
    return;

  first = page_at_y (self, top);
  for (int i = first; i < self->n_pages && self->pages[i].y < top + height; i++)
    {
      Page *page = &self->pages[i];
      double x = page_x (self, i) - hvalue (self);
      double y = page->y - top;
      double w = floor (page->width * self->zoom);
      double h = floor (page->height * self->zoom);

      append_rect (snapshot, &border, x - 1, y - 1, w + 2, h + 2);
      if (page->texture != NULL)
        {
          append_rect (snapshot, &white, x, y, w, h);
          gtk_snapshot_append_texture (snapshot, page->texture, &GRAPHENE_RECT_INIT (x, y, w, h));
        }
      else
        {
          append_rect (snapshot, &placeholder, x, y, w, h);
          if (page->failed)
            draw_failed (self, snapshot, i, x, y, w);
        }

      draw_highlights (self, snapshot, i, x, y);
      draw_selection (self, snapshot, i, x, y);
    }
}

/*
 * Size
 */

static void
ih_pdf_view_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  *minimum = 0;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 600 : 400;
}

static gboolean
notify_after_allocate (gpointer data)
{
  IhPdfView *self = data;

  self->notify_source = 0;
  if (self->zoom_changed)
    {
      self->zoom_changed = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }
  update_page (self);
  return G_SOURCE_REMOVE;
}

static void
ih_pdf_view_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  IhPdfView *self = IH_PDF_VIEW (widget);
  int page = self->page;
  double offset = 0;

  /* The page being read stays at the top through a change of size */
  if (self->n_pages > 0)
    offset = (vvalue (self) - self->pages[page].y) / self->zoom;

  if (self->zoom_mode != IH_PDF_ZOOM_FREE)
    {
      double zoom = fit_zoom (self, self->zoom_mode);

      if (fabs (zoom - self->zoom) > 1e-6)
        {
          self->zoom = zoom;
          self->zoom_changed = TRUE;
        }
    }
  self->in_allocate = TRUE;
  layout_pages (self);
  configure_adjustments (self);
  if (self->n_pages > 0)
    {
      self->in_scroll = TRUE;
      if (self->vadjustment != NULL)
        gtk_adjustment_set_value (self->vadjustment, self->pages[page].y + offset * self->zoom);
      self->in_scroll = FALSE;
    }
  update_visible (self);
  self->in_allocate = FALSE;

  /* What depends on the new size is told after the layout, not during:
   * a header showing the zoom or the page must not change size now */
  if (self->notify_source == 0)
    self->notify_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, notify_after_allocate, self, NULL);
}

/*
 * Input
 */

static void
scroll_by_page (IhPdfView *self,
                int        direction)
{
  double top = vvalue (self);
  double height = view_height (self);
  double target;
  int i;

  if (self->n_pages == 0)
    return;

  /* A screenful, but never past the top of the next page */
  if (direction > 0)
    {
      target = top + height * 0.9;
      i = page_at_y (self, top + 1);
      if (i + 1 < self->n_pages && self->pages[i + 1].y - GAP < target)
        target = self->pages[i + 1].y - GAP;
    }
  else
    {
      target = top - height * 0.9;
      i = page_at_y (self, top - 1);
      if (i >= 0 && self->pages[i].y - GAP > target && self->pages[i].y - GAP < top - 1)
        target = self->pages[i].y - GAP;
    }
  scroll_to (self, hvalue (self), target);
  update_page (self);
}

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  IhPdfView *self = IH_PDF_VIEW (widget);

  if (g_str_equal (action_name, "view.next-screen"))
    scroll_by_page (self, 1);
  else if (g_str_equal (action_name, "view.previous-screen"))
    scroll_by_page (self, -1);
  else if (g_str_equal (action_name, "view.first-page"))
    ih_pdf_view_set_page (self, 0);
  else if (g_str_equal (action_name, "view.last-page"))
    ih_pdf_view_set_page (self, self->n_pages - 1);
  else if (g_str_equal (action_name, "view.next-page"))
    ih_pdf_view_set_page (self, self->page + 1);
  else if (g_str_equal (action_name, "view.previous-page"))
    ih_pdf_view_set_page (self, self->page - 1);
  else if (g_str_equal (action_name, "view.scroll-down"))
    scroll_to (self, hvalue (self), vvalue (self) + 40);
  else if (g_str_equal (action_name, "view.scroll-up"))
    scroll_to (self, hvalue (self), vvalue (self) - 40);
  else if (g_str_equal (action_name, "view.scroll-left"))
    scroll_to (self, hvalue (self) - 40, vvalue (self));
  else if (g_str_equal (action_name, "view.scroll-right"))
    scroll_to (self, hvalue (self) + 40, vvalue (self));
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  IhPdfView *self = IH_PDF_VIEW (widget);

  if (g_str_equal (action_name, "view.zoom-in"))
    ih_pdf_view_zoom_in (self);
  else if (g_str_equal (action_name, "view.zoom-out"))
    ih_pdf_view_zoom_out (self);
  else if (g_str_equal (action_name, "view.fit-page"))
    ih_pdf_view_set_zoom_mode (self, IH_PDF_ZOOM_FIT_PAGE);
  else
    ih_pdf_view_set_zoom_mode (self, IH_PDF_ZOOM_FIT_WIDTH);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  IhPdfView *self = IH_PDF_VIEW (widget);

  if (g_str_equal (action_name, "view.copy"))
    ih_pdf_view_copy (self);
  else if (g_str_equal (action_name, "view.find-next"))
    ih_pdf_view_find_next (self);
  else if (g_str_equal (action_name, "view.find-previous"))
    ih_pdf_view_find_previous (self);
  else if (g_str_equal (action_name, "view.select-none"))
    ih_pdf_view_clear_selection (self);
}

static void
motion_cb (IhPdfView                *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *controller)
{
  self->pointer_x = x;
  self->pointer_y = y;

  if (!self->dragging)
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), link_at (self, x, y) ? "pointer" : "text");
}

static gboolean
scroll_cb (IhPdfView                *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (!(state & GDK_CONTROL_MASK) || dy == 0)
    return FALSE;

  set_zoom_mode_internal (self, IH_PDF_ZOOM_FREE);
  apply_zoom (self, self->zoom * pow (1.1, -dy), self->pointer_x, self->pointer_y);
  return TRUE;
}

static void
pinch_begin_cb (IhPdfView      *self,
                GdkEventSequence *sequence,
                GtkGestureZoom *gesture)
{
  self->pinch_zoom = self->zoom;
}

static void
pinch_scale_changed_cb (IhPdfView      *self,
                        double          scale,
                        GtkGestureZoom *gesture)
{
  double x;
  double y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    {
      x = view_width (self) / 2;
      y = view_height (self) / 2;
    }
  set_zoom_mode_internal (self, IH_PDF_ZOOM_FREE);
  apply_zoom (self, self->pinch_zoom * scale, x, y);
}

static void
drag_begin_cb (IhPdfView      *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  self->drag_x = x;
  self->drag_y = y;
  self->dragging = FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
drag_update_cb (IhPdfView      *self,
                double          dx,
                double          dy,
                GtkGestureDrag *gesture)
{
  int start_page;
  int end_page;
  double x1, y1, x2, y2;
  IhPdfRect area;

  if (!self->dragging && fabs (dx) < 3 && fabs (dy) < 3)
    return;
  self->dragging = TRUE;

  point_on_page (self, self->drag_x, self->drag_y, &start_page, &x1, &y1);
  point_on_page (self, self->drag_x + dx, self->drag_y + dy, &end_page, &x2, &y2);

  /* A selection stays on the page it started on */
  if (end_page != start_page)
    {
      Page *page = &self->pages[start_page];

      if (end_page > start_page)
        {
          x2 = page->width;
          y2 = page->height;
        }
      else
        {
          x2 = 0;
          y2 = 0;
        }
    }

  area.x1 = x1;
  area.y1 = y1;
  area.x2 = x2;
  area.y2 = y2;
  select_internal (self, start_page, &area, IH_PDF_SELECT_GLYPHS);
}

static void
drag_end_cb (IhPdfView      *self,
             double          dx,
             double          dy,
             GtkGestureDrag *gesture)
{
  const IhPdfLink *link;

  if (self->dragging)
    {
      self->dragging = FALSE;
      return;
    }

  /* A click: a link is followed, a selection let go */
  link = link_at (self, self->drag_x, self->drag_y);
  if (link == NULL)
    {
      ih_pdf_view_clear_selection (self);
      return;
    }
  if (link->page_index >= 0)
    ih_pdf_view_set_page (self, link->page_index);
  else if (link->uri != NULL)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, link->uri, GDK_CURRENT_TIME);
    }
}

static void
click_pressed_cb (IhPdfView       *self,
                  int              n_press,
                  double           x,
                  double           y,
                  GtkGestureClick *gesture)
{
  int i;
  double px;
  double py;
  IhPdfRect area;

  /* Double click: a word; triple: a line */
  if (n_press < 2 || !point_on_page (self, x, y, &i, &px, &py))
    return;

  area.x1 = area.x2 = px;
  area.y1 = area.y2 = py;
  select_internal (self, i, &area, n_press == 2 ? IH_PDF_SELECT_WORDS : IH_PDF_SELECT_LINES);
}

/*
 * GtkScrollable
 */

static void
adjustment_value_changed_cb (IhPdfView     *self,
                             GtkAdjustment *adjustment)
{
  if (self->in_scroll)
    return;

  update_visible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (IhPdfView      *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment)
{
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);

  if (*slot == adjustment)
    return;

  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, adjustment_value_changed_cb, self);
      g_object_unref (*slot);
    }
  *slot = g_object_ref_sink (adjustment);
  g_signal_connect_object (adjustment, "value-changed",
                           G_CALLBACK (adjustment_value_changed_cb), self, G_CONNECT_SWAPPED);
  configure_adjustments (self);
}

/*
 * GtkWidget and GObject overrides
 */

static void
ih_pdf_view_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ih_pdf_view_parent_class)->realize (widget);
  update_visible (IH_PDF_VIEW (widget));
}

static void
scale_factor_cb (IhPdfView  *self,
                 GParamSpec *pspec,
                 gpointer    data)
{
  update_visible (self);
}

static void
ih_pdf_view_dispose (GObject *object)
{
  IhPdfView *self = (IhPdfView *) object;

  if (self->find_cancellable != NULL)
    g_cancellable_cancel (self->find_cancellable);
  g_clear_handle_id (&self->notify_source, g_source_remove);
  clear_pages (self);

  G_OBJECT_CLASS (ih_pdf_view_parent_class)->dispose (object);
}

static void
ih_pdf_view_finalize (GObject *object)
{
  IhPdfView *self = (IhPdfView *) object;

  g_clear_object (&self->document);
  g_clear_object (&self->text_document);
  g_clear_object (&self->cache);
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, adjustment_value_changed_cb, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, adjustment_value_changed_cb, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  g_clear_object (&self->find_cancellable);
  g_clear_pointer (&self->matches, g_array_unref);
  g_clear_pointer (&self->find_text, g_free);
  g_clear_pointer (&self->selection_region, cairo_region_destroy);

  G_OBJECT_CLASS (ih_pdf_view_parent_class)->finalize (object);
}

static void
ih_pdf_view_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  IhPdfView *self = IH_PDF_VIEW (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;

    case PROP_PAGE:
      g_value_set_int (value, self->page);
      break;

    case PROP_N_PAGES:
      g_value_set_int (value, self->n_pages);
      break;

    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;

    case PROP_ZOOM_MODE:
      g_value_set_int (value, self->zoom_mode);
      break;

    case PROP_N_MATCHES:
      g_value_set_uint (value, ih_pdf_view_get_n_matches (self));
      break;

    case PROP_CURRENT_MATCH:
      g_value_set_int (value, self->current_match);
      break;

    case PROP_FIND_BUSY:
      g_value_set_boolean (value, self->find_busy);
      break;

    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;

    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;

    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;

    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ih_pdf_view_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  IhPdfView *self = IH_PDF_VIEW (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      ih_pdf_view_set_document (self, g_value_get_object (value));
      break;

    case PROP_PAGE:
      ih_pdf_view_set_page (self, g_value_get_int (value));
      break;

    case PROP_ZOOM:
      ih_pdf_view_set_zoom (self, g_value_get_double (value));
      break;

    case PROP_ZOOM_MODE:
      ih_pdf_view_set_zoom_mode (self, g_value_get_int (value));
      break;

    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;

    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;

    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;

    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;

    case PROP_N_PAGES:
    case PROP_N_MATCHES:
    case PROP_CURRENT_MATCH:
    case PROP_FIND_BUSY:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
add_key (GtkWidgetClass  *widget_class,
         guint            key,
         GdkModifierType  mods,
         const char      *action)
{
  gtk_widget_class_add_binding_action (widget_class, key, mods, action, NULL);
}

static void
ih_pdf_view_class_init (IhPdfViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const char *page_actions[] = {
    "view.next-screen", "view.previous-screen", "view.first-page", "view.last-page",
    "view.next-page", "view.previous-page", "view.scroll-down", "view.scroll-up",
    "view.scroll-left", "view.scroll-right",
  };
  const char *zoom_actions[] = {
    "view.zoom-in", "view.zoom-out", "view.fit-width", "view.fit-page",
  };
  const char *edit_actions[] = {
    "view.copy", "view.find-next", "view.find-previous", "view.select-none",
  };

  object_class->dispose = ih_pdf_view_dispose;
  object_class->finalize = ih_pdf_view_finalize;
  object_class->get_property = ih_pdf_view_get_property;
  object_class->set_property = ih_pdf_view_set_property;

  widget_class->snapshot = ih_pdf_view_snapshot;
  widget_class->measure = ih_pdf_view_measure;
  widget_class->size_allocate = ih_pdf_view_size_allocate;
  widget_class->realize = ih_pdf_view_realize;

  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, IH_TYPE_PDF_DOCUMENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PAGE] =
    g_param_spec_int ("page", NULL, NULL, 0, G_MAXINT, 0,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_PAGES] =
    g_param_spec_int ("n-pages", NULL, NULL, 0, G_MAXINT, 0,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, IH_PDF_ZOOM_MIN, IH_PDF_ZOOM_MAX, 1.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ZOOM_MODE] =
    g_param_spec_int ("zoom-mode", NULL, NULL, IH_PDF_ZOOM_FREE, IH_PDF_ZOOM_FIT_PAGE, IH_PDF_ZOOM_FIT_WIDTH,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_MATCHES] =
    g_param_spec_uint ("n-matches", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CURRENT_MATCH] =
    g_param_spec_int ("current-match", NULL, NULL, -1, G_MAXINT, -1,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_FIND_BUSY] =
    g_param_spec_boolean ("find-busy", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  for (guint i = 0; i < G_N_ELEMENTS (page_actions); i++)
    gtk_widget_class_install_action (widget_class, page_actions[i], NULL, page_action);
  for (guint i = 0; i < G_N_ELEMENTS (zoom_actions); i++)
    gtk_widget_class_install_action (widget_class, zoom_actions[i], NULL, zoom_action);
  for (guint i = 0; i < G_N_ELEMENTS (edit_actions); i++)
    gtk_widget_class_install_action (widget_class, edit_actions[i], NULL, edit_action);

  add_key (widget_class, GDK_KEY_Page_Down, 0, "view.next-screen");
  add_key (widget_class, GDK_KEY_KP_Page_Down, 0, "view.next-screen");
  add_key (widget_class, GDK_KEY_space, 0, "view.next-screen");
  add_key (widget_class, GDK_KEY_Page_Up, 0, "view.previous-screen");
  add_key (widget_class, GDK_KEY_KP_Page_Up, 0, "view.previous-screen");
  add_key (widget_class, GDK_KEY_space, GDK_SHIFT_MASK, "view.previous-screen");
  add_key (widget_class, GDK_KEY_Home, 0, "view.first-page");
  add_key (widget_class, GDK_KEY_Home, GDK_CONTROL_MASK, "view.first-page");
  add_key (widget_class, GDK_KEY_End, 0, "view.last-page");
  add_key (widget_class, GDK_KEY_End, GDK_CONTROL_MASK, "view.last-page");
  add_key (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK, "view.next-page");
  add_key (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK, "view.previous-page");
  add_key (widget_class, GDK_KEY_Down, 0, "view.scroll-down");
  add_key (widget_class, GDK_KEY_Up, 0, "view.scroll-up");
  add_key (widget_class, GDK_KEY_Left, 0, "view.scroll-left");
  add_key (widget_class, GDK_KEY_Right, 0, "view.scroll-right");
  add_key (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "view.zoom-in");
  add_key (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "view.zoom-in");
  add_key (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "view.zoom-in");
  add_key (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "view.zoom-out");
  add_key (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "view.zoom-out");
  add_key (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "view.fit-width");
  add_key (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "view.fit-width");
  add_key (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "view.copy");
  add_key (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "view.find-next");
  add_key (widget_class, GDK_KEY_g, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "view.find-previous");
  add_key (widget_class, GDK_KEY_G, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "view.find-previous");
  add_key (widget_class, GDK_KEY_Escape, 0, "view.select-none");

  gtk_widget_class_set_css_name (widget_class, "pdfview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_DOCUMENT);
}

static void
ih_pdf_view_init (IhPdfView *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->zoom = 1.0;
  self->zoom_mode = IH_PDF_ZOOM_FIT_WIDTH;
  self->sel_page = -1;
  self->current_match = -1;
  self->cache = g_object_ref (ih_pdf_view_get_default_cache ());

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "text");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Document"),
                                  -1);

  set_adjustment (self, &self->hadjustment, NULL);
  set_adjustment (self, &self->vadjustment, NULL);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect_swapped (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect_swapped (gesture, "begin", G_CALLBACK (pinch_begin_cb), self);
  g_signal_connect_swapped (gesture, "scale-changed", G_CALLBACK (pinch_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect_swapped (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect_swapped (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect_swapped (gesture, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_factor_cb), NULL);
}
