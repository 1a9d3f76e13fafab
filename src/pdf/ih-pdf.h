/* ih-pdf.h — PDF documents for board papers: open, render, find, text
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A thin, safe wrapper over poppler-glib. No GTK here: the viewer in
 * src/app turns the cairo image surfaces into textures.
 *
 * Units and numbering
 *   - Pages are numbered from 0 in this API (@page_index); people see
 *     page_index + 1. The store (ih-papers.h) numbers pages from 1.
 *   - Positions and sizes are in PDF points (1/72 inch), origin at the
 *     top-left corner of the page, y growing downwards (as on screen).
 *   - @scale is pixels per point: 1.0 renders a page at 100 % (72 dpi),
 *     2.0 at 200 %. A page of W × H points renders to
 *     ih_pdf_pixel_size (W, H, scale) pixels.
 *
 * Threads
 *   poppler documents are not thread-safe. Each IhPdfDocument owns one
 *   PopplerDocument and a mutex: every call, synchronous or asynchronous,
 *   takes the mutex, so calls on one document from several threads are
 *   safe but run one at a time. The _async functions run on GTask worker
 *   threads and may be called from any thread with a main context; their
 *   callbacks run in the caller's thread-default main context. To render
 *   and extract text at the same time, open a second document with
 *   ih_pdf_document_dup() (its own PopplerDocument, its own mutex).
 *
 * Cancellation
 *   poppler cannot stop half-way through a page. A cancelled _async call
 *   completes at once with G_IO_ERROR_CANCELLED; the worker finishes the
 *   page in the background and its result is dropped (and later calls on
 *   the same document wait for it). Loops over many pages (find, text)
 *   stop between pages.
 *
 * Errors
 *   Opening a bad file never crashes or hangs the caller: it fails with an
 *   IH_PDF_ERROR whose message is a translated sentence naming the file,
 *   ready to show to a person.
 */

#pragma once

#include <cairo.h>
#include <gio/gio.h>

G_BEGIN_DECLS

#define IH_PDF_ERROR (ih_pdf_error_quark ())

typedef enum
{
  IH_PDF_ERROR_NOT_FOUND,     /* no such file */
  IH_PDF_ERROR_READ,          /* it exists but cannot be read (permissions, I/O) */
  IH_PDF_ERROR_EMPTY,         /* zero bytes */
  IH_PDF_ERROR_NOT_PDF,       /* another kind of file (the message says which, if known) */
  IH_PDF_ERROR_DAMAGED,       /* a PDF, but truncated or corrupt beyond repair */
  IH_PDF_ERROR_ENCRYPTED,     /* needs a password: ask for one and open again */
  IH_PDF_ERROR_BAD_PASSWORD,  /* a password was given and it is wrong */
  IH_PDF_ERROR_TOO_LARGE,     /* a rendering above IH_PDF_MAX_PIXELS, or a file above IH_PDF_MAX_FILE_SIZE */
  IH_PDF_ERROR_NO_PAGE,       /* page index out of range */
  IH_PDF_ERROR_NO_PAGES,      /* a PDF with no pages at all */
} IhPdfError;

/* Largest rendering in pixels (width × height) and per side, so that one
 * page can never take more than 256 MiB (4 bytes a pixel). Above this,
 * render a smaller scale or only the visible area (render_area). */
#define IH_PDF_MAX_PIXELS (64 * 1024 * 1024)
#define IH_PDF_MAX_SIDE   32767
/* Files above this are refused with TOO_LARGE (4 GiB). */
#define IH_PDF_MAX_FILE_SIZE (G_GINT64_CONSTANT (4) * 1024 * 1024 * 1024)

/* A rectangle in points, top-left origin; x1 <= x2, y1 <= y2. */
typedef struct
{
  double x1;
  double y1;
  double x2;
  double y2;
} IhPdfRect;

/* One rectangle of a match of ih_pdf_document_find(). A phrase broken
 * over lines gives one rectangle per line: the later ones have
 * @continued set, so a viewer stepping from match to match skips them. */
typedef struct
{
  int       page_index;
  IhPdfRect rect;
  gboolean  continued;
} IhPdfMatch;

typedef enum
{
  IH_PDF_FIND_DEFAULT        = 0,       /* any case, accents ignored, across line breaks */
  IH_PDF_FIND_CASE_SENSITIVE = 1 << 0,
  IH_PDF_FIND_WHOLE_WORDS    = 1 << 1,
} IhPdfFindFlags;

/* How a drag selects text: glyph by glyph, whole words, whole lines. */
typedef enum
{
  IH_PDF_SELECT_GLYPHS,
  IH_PDF_SELECT_WORDS,
  IH_PDF_SELECT_LINES,
} IhPdfSelectionStyle;

/* One entry of a document's outline (bookmarks). @page_index is -1 when
 * the entry points nowhere in this document. @children holds
 * IhPdfOutlineItem, never NULL (maybe empty). */
typedef struct _IhPdfOutlineItem IhPdfOutlineItem;
struct _IhPdfOutlineItem
{
  char      *title;
  int        page_index;
  GPtrArray *children;
};

/* A link on a page: to another page of the document (@page_index >= 0,
 * @uri NULL) or to the outside world (@uri set, @page_index -1). */
typedef struct
{
  IhPdfRect  rect;
  int        page_index;
  char      *uri;
} IhPdfLink;

GQuark       ih_pdf_error_quark          (void);

/* Width and height in pixels of a W × H point page at @scale: each side
 * rounded up, at least 1. */
void         ih_pdf_pixel_size           (double                 width,
                                          double                 height,
                                          double                 scale,
                                          int                   *pixel_width,
                                          int                   *pixel_height);

void         ih_pdf_outline_item_free    (IhPdfOutlineItem      *item);
void         ih_pdf_link_free            (IhPdfLink             *link);


/*
 * IhPdfDocument
 */

#define IH_TYPE_PDF_DOCUMENT (ih_pdf_document_get_type ())
G_DECLARE_FINAL_TYPE (IhPdfDocument, ih_pdf_document, IH, PDF_DOCUMENT, GObject)

/* Opens a PDF file. @password may be NULL. The file is checked before
 * poppler sees it (missing, unreadable, empty, not a PDF), then opened;
 * poppler's own complaints go to the debug log, never to stderr. */
IhPdfDocument *ih_pdf_document_open        (const char           *path,
                                            const char           *password,
                                            GCancellable         *cancellable,
                                            GError              **error);
void           ih_pdf_document_open_async  (const char           *path,
                                            const char           *password,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
IhPdfDocument *ih_pdf_document_open_finish (GAsyncResult         *result,
                                            GError              **error);
/* A second, independent handle on the same file (same password). */
IhPdfDocument *ih_pdf_document_dup         (IhPdfDocument        *self,
                                            GError              **error);

const char    *ih_pdf_document_get_path    (IhPdfDocument        *self);
/* A number unique to this document in this process (cache keys). */
guint64        ih_pdf_document_get_serial  (IhPdfDocument        *self);
int            ih_pdf_document_get_n_pages (IhPdfDocument        *self);
/* The document's own title from its metadata, or NULL. */
char          *ih_pdf_document_dup_title   (IhPdfDocument        *self);
/* FALSE with IH_PDF_ERROR_NO_PAGE when @page_index is out of range. */
gboolean       ih_pdf_document_get_page_size (IhPdfDocument      *self,
                                              int                 page_index,
                                              double             *width,
                                              double             *height,
                                              GError            **error);
/* The label printed on the page ("iv", "A-3"), or the page number. */
char          *ih_pdf_document_dup_page_label (IhPdfDocument     *self,
                                               int                page_index);

/* The text of one page in reading order, lines separated by "\n"; always
 * valid UTF-8 (an empty string for a page without text). */
char          *ih_pdf_document_get_page_text (IhPdfDocument      *self,
                                              int                 page_index,
                                              GError            **error);
/* The text of every page, in order (GPtrArray of char *). @progress (may
 * be NULL) is called in this thread after each page with (done, n_pages);
 * returning FALSE stops with G_IO_ERROR_CANCELLED, as does @cancellable. */
GPtrArray     *ih_pdf_document_extract_text (IhPdfDocument       *self,
                                             gboolean          (*progress) (guint64  done,
                                                                            guint64  total,
                                                                            gpointer user_data),
                                             gpointer             user_data,
                                             GCancellable        *cancellable,
                                             GError             **error);

/* Every place @text occurs, on one page (@page_index >= 0) or in the
 * whole document (-1), in page then reading order. An empty array when
 * nothing matches. GArray of IhPdfMatch. */
GArray        *ih_pdf_document_find        (IhPdfDocument        *self,
                                            const char           *text,
                                            int                   page_index,
                                            IhPdfFindFlags        flags,
                                            GCancellable         *cancellable,
                                            GError              **error);
void           ih_pdf_document_find_async  (IhPdfDocument        *self,
                                            const char           *text,
                                            int                   page_index,
                                            IhPdfFindFlags        flags,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GArray        *ih_pdf_document_find_finish (IhPdfDocument        *self,
                                            GAsyncResult         *result,
                                            GError              **error);

/* The outline as a tree: GPtrArray of IhPdfOutlineItem (empty when the
 * document has none). */
GPtrArray     *ih_pdf_document_get_outline (IhPdfDocument        *self);
/* Links on a page: GPtrArray of IhPdfLink. */
GPtrArray     *ih_pdf_document_get_links   (IhPdfDocument        *self,
                                            int                   page_index);

/* Selection: the text a drag over @area selects (for copying) and the
 * region to paint as selected, in pixels at @scale. */
char          *ih_pdf_document_get_selected_text   (IhPdfDocument       *self,
                                                    int                  page_index,
                                                    const IhPdfRect     *area,
                                                    IhPdfSelectionStyle  style);
cairo_region_t *ih_pdf_document_get_selected_region (IhPdfDocument      *self,
                                                    int                  page_index,
                                                    const IhPdfRect     *area,
                                                    IhPdfSelectionStyle  style,
                                                    double               scale);

/* Renders a page at @scale on white into a new CAIRO_FORMAT_ARGB32 image
 * surface of ih_pdf_pixel_size() pixels (pixels of large surfaces are in
 * their own memory mapping, given back to the system on destruction). Fails with TOO_LARGE (saying the
 * size and the limit) above IH_PDF_MAX_PIXELS / IH_PDF_MAX_SIDE, NO_PAGE
 * for a bad index, G_IO_ERROR_CANCELLED if cancelled before starting. */
cairo_surface_t *ih_pdf_document_render_page        (IhPdfDocument       *self,
                                                     int                  page_index,
                                                     double               scale,
                                                     GCancellable        *cancellable,
                                                     GError             **error);
/* The part of the page at @scale whose top-left pixel is (@x, @y) and
 * size @width × @height pixels (tiles of a page too big to render whole). */
cairo_surface_t *ih_pdf_document_render_area        (IhPdfDocument       *self,
                                                     int                  page_index,
                                                     double               scale,
                                                     int                  x,
                                                     int                  y,
                                                     int                  width,
                                                     int                  height,
                                                     GCancellable        *cancellable,
                                                     GError             **error);
void             ih_pdf_document_render_page_async  (IhPdfDocument       *self,
                                                     int                  page_index,
                                                     double               scale,
                                                     int                  io_priority,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
cairo_surface_t *ih_pdf_document_render_page_finish (IhPdfDocument       *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);


/*
 * IhPageCache — rendered pages shared by views of any number of documents
 */

#define IH_TYPE_PAGE_CACHE (ih_page_cache_get_type ())
G_DECLARE_FINAL_TYPE (IhPageCache, ih_page_cache, IH, PAGE_CACHE, GObject)

typedef struct
{
  gsize   bytes;        /* pixel bytes held now */
  gsize   max_bytes;
  guint   n_pages;      /* surfaces held now */
  guint64 hits;
  guint64 misses;
  guint64 evictions;
} IhPageCacheStats;

/* Keeps rendered pages keyed by (document, page, scale) while their
 * pixel bytes total at most @max_bytes, evicting the least recently used.
 * Thread-safe. A surface larger than @max_bytes is not kept. */
IhPageCache     *ih_page_cache_new             (gsize                 max_bytes);
/* A new reference to the cached surface, or NULL (counts a hit or miss).
 * A hit makes the page the most recently used. */
cairo_surface_t *ih_page_cache_lookup          (IhPageCache          *self,
                                                IhPdfDocument        *document,
                                                int                   page_index,
                                                double                scale);
/* Adds (or replaces) a page; the cache takes its own reference. */
void             ih_page_cache_insert          (IhPageCache          *self,
                                                IhPdfDocument        *document,
                                                int                   page_index,
                                                double                scale,
                                                cairo_surface_t      *surface);
/* Drops every page of @document (call when closing it). */
void             ih_page_cache_remove_document (IhPageCache          *self,
                                                IhPdfDocument        *document);
void             ih_page_cache_clear           (IhPageCache          *self);
void             ih_page_cache_get_stats       (IhPageCache          *self,
                                                IhPageCacheStats     *stats);
/* The cached page if there is one (completing on the next main-loop
 * iteration), otherwise ih_pdf_document_render_page_async() and the
 * result is inserted before the callback runs. */
void             ih_page_cache_render_async    (IhPageCache          *self,
                                                IhPdfDocument        *document,
                                                int                   page_index,
                                                double                scale,
                                                int                   io_priority,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
cairo_surface_t *ih_page_cache_render_finish   (IhPageCache          *self,
                                                GAsyncResult         *result,
                                                GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhPdfOutlineItem, ih_pdf_outline_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhPdfLink, ih_pdf_link_free)

G_END_DECLS
