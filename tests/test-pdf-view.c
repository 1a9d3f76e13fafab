/* test-pdf-view.c — the paper viewer driven through its real widgets under
 * Xvfb, on PDFs the test writes with cairo, and rendered to PNGs to look at
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ih-paper-window.h"
#include "ih-pdf-view.h"
#include "ih-test-pdf.h"
#include "ih-test-util.h"

#define N_PAGES   40
#define WORD_PAGE 17
#define WORD      "Discharge"

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @cond holds; fails the test after 30 s (a hang
 * guard, not a timing check) */
static void
wait_for (Condition cond,
          gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!cond (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
settle (void)
{
  gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 5;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

/* What @widget draws now, as a texture */
static GdkTexture *
render_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  for (gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC; ; )
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      settle ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                              gtk_widget_get_width (widget), gtk_widget_get_height (widget));
      node = gtk_snapshot_free_to_node (snapshot);
      if (node != NULL)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  return gsk_renderer_render_texture (renderer, node, NULL);
}

static void
save_png (GtkWidget  *widget,
          const char *name)
{
  g_autoptr(GdkTexture) texture = render_widget (widget);
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);

  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("rendered %s", path);
}

/* Pixels of a texture, to look at */
typedef struct
{
  guchar *data;
  int     width;
  int     height;
} Pixels;

static Pixels *
pixels_new (GdkTexture *texture)
{
  Pixels *pixels = g_new0 (Pixels, 1);

  pixels->width = gdk_texture_get_width (texture);
  pixels->height = gdk_texture_get_height (texture);
  pixels->data = g_malloc ((gsize) pixels->width * pixels->height * 4);
  gdk_texture_download (texture, pixels->data, pixels->width * 4);
  return pixels;
}

static void
pixels_free (Pixels *pixels)
{
  g_free (pixels->data);
  g_free (pixels);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pixels, pixels_free)

/* How many pixels of the rectangle are dark (all channels below 80) */
static int
count_dark (Pixels *pixels,
            double  x,
            double  y,
            double  width,
            double  height)
{
  int n = 0;

  for (int j = MAX (0, (int) y); j < MIN (pixels->height, (int) (y + height)); j++)
    for (int i = MAX (0, (int) x); i < MIN (pixels->width, (int) (x + width)); i++)
      {
        const guchar *p = pixels->data + ((gsize) j * pixels->width + i) * 4;

        if (p[0] < 80 && p[1] < 80 && p[2] < 80)
          n++;
      }
  return n;
}

/* Activates the key binding written @trigger ("<Control>plus") of
 * @widget or the first of its ancestors that has one, as the shortcut
 * controller does when the key is pressed with the focus in @widget */
static void
press_key (GtkWidget  *widget,
           const char *trigger)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (w);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

          if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
            continue;
          for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
              g_autofree char *text = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
              g_auto(GStrv) alternatives = g_strsplit (text, "|", -1);

              if (g_strv_contains ((const char * const *) alternatives, trigger))
                {
                  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, w,
                                                               gtk_shortcut_get_arguments (shortcut)));
                  return;
                }
            }
        }
    }
  g_error ("No key binding %s for %s", trigger, G_OBJECT_TYPE_NAME (widget));
}

static GtkGesture *
drag_gesture (IhPdfView *view)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (view));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_DRAG (controller))
        return GTK_GESTURE (controller);   /* the view keeps it alive */
    }
  g_error ("The view has no drag gesture");
}

/* Where a point of a page is in the view */
static void
page_point (IhPdfView *view,
            int        page,
            double     px,
            double     py,
            double    *x,
            double    *y)
{
  graphene_rect_t area;

  g_assert_true (ih_pdf_view_get_page_area (view, page, &area));
  *x = area.origin.x + px * ih_pdf_view_get_zoom (view);
  *y = area.origin.y + py * ih_pdf_view_get_zoom (view);
}

/*
 * Fixture: a 40-page PDF with "Discharge" on page 18 (index 17), open in a
 * paper window
 */

typedef struct
{
  char          *dir;
  char          *path;
  IhPaperWindow *window;
  IhPdfView     *view;
} Fixture;

typedef struct
{
  IhPdfView *view;
  int        page;
} PageWait;

static gboolean
page_rendered (gpointer data)
{
  PageWait *wait = data;

  /* Laid out, and drawn at the zoom of that layout */
  return gtk_widget_get_width (GTK_WIDGET (wait->view)) > 0 &&
         ih_pdf_view_get_page_texture (wait->view, wait->page) != NULL;
}

static void
wait_for_page (IhPdfView *view,
               int        page)
{
  PageWait wait = { view, page };

  wait_for (page_rendered, &wait);
}

static gboolean
window_has_state (gpointer data)
{
  IhPaperWindow *window = data;

  return g_strcmp0 (ih_paper_window_get_state (window), "loading") != 0;
}

static IhPaperWindow *
open_window (const char *path,
             const char *key)
{
  IhPaperWindow *window = ih_paper_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 800);
  gtk_window_present (GTK_WINDOW (window));
  ih_paper_window_open (window, path, NULL, key);
  wait_for (window_has_state, window);
  return window;
}

static char *
tmp_path (Fixture    *f,
          const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-pdf-view-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = tmp_path (f, "board-pack.pdf");
  test_make_pdf (f->path, N_PAGES, WORD_PAGE, WORD);

  f->window = open_window (f->path, NULL);
  g_assert_cmpstr (ih_paper_window_get_state (f->window), ==, "document");
  f->view = ih_paper_window_get_view (f->window);
  wait_for_page (f->view, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  settle ();
  ih_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static GtkWidget *
template_child (IhPaperWindow *window,
                const char    *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (window), IH_TYPE_PAPER_WINDOW, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

/*
 * Cases
 */

static void
test_open (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(Pixels) pixels = NULL;
  graphene_rect_t area;
  double zoom = ih_pdf_view_get_zoom (f->view);
  int dark_box;

  g_assert_cmpint (ih_pdf_view_get_n_pages (f->view), ==, N_PAGES);
  g_assert_cmpint (ih_pdf_view_get_page (f->view), ==, 0);
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (f->view)), ==,
                   GTK_ACCESSIBLE_ROLE_DOCUMENT);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (template_child (f->window, "page_entry"))), ==, "1");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (template_child (f->window, "n_pages_label"))), ==, "of 40");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "board-pack.pdf");

  /* Fit to width by default: the page fills the view less its margins */
  g_assert_cmpint (ih_pdf_view_get_zoom_mode (f->view), ==, IH_PDF_ZOOM_FIT_WIDTH);
  g_assert_cmpfloat_with_epsilon (zoom * TEST_PAGE_WIDTH, gtk_widget_get_width (GTK_WIDGET (f->view)) - 24, 1.0);

  save_png (GTK_WIDGET (f->window), "pdf-view.png");

  /* The whole page in view, drawn where the page is: the black square is
   * black, the heading has ink, the margin beside the square has none */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.fit-page", NULL));
  zoom = ih_pdf_view_get_zoom (f->view);
  wait_for_page (f->view, 0);
  texture = render_widget (GTK_WIDGET (f->view));
  pixels = pixels_new (texture);
  g_assert_true (ih_pdf_view_get_page_area (f->view, 0, &area));
  dark_box = count_dark (pixels,
                         area.origin.x + (TEST_BOX_X + 5) * zoom, area.origin.y + (TEST_BOX_Y + 5) * zoom,
                         (TEST_BOX_SIZE - 10) * zoom, (TEST_BOX_SIZE - 10) * zoom);
  /* (all of it, give or take the edge pixels) */
  g_assert_cmpint (dark_box, >=, (int) (0.9 * pow ((TEST_BOX_SIZE - 10) * zoom - 1, 2)));
  g_assert_cmpint (count_dark (pixels, area.origin.x + 72 * zoom, area.origin.y + 54 * zoom,
                               60 * zoom, 20 * zoom), >, 20);
  g_assert_cmpint (count_dark (pixels, area.origin.x + 520 * zoom, area.origin.y + 20 * zoom,
                               60 * zoom, 60 * zoom), ==, 0);

  /* A phone-sized window (with GNOME's usual close button alone): the
   * zoom button and "of 40" give way (the zoom is in the main menu too),
   * and the page still fits the width */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "menu:close", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.fit-width", NULL));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  wait_for_page (f->view, 0);
  save_png (GTK_WIDGET (f->window), "pdf-view-narrow.png");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, 360);
  g_assert_cmpfloat_with_epsilon (ih_pdf_view_get_zoom (f->view) * TEST_PAGE_WIDTH,
                                  gtk_widget_get_width (GTK_WIDGET (f->view)) - 24, 1.0);
  gtk_settings_reset_property (gtk_settings_get_default (), "gtk-decoration-layout");
}

static void
test_zoom (Fixture       *f,
           gconstpointer  data)
{
  int scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (f->view));
  GtkWidget *view = GTK_WIDGET (f->view);
  int width;

  gtk_widget_grab_focus (view);
  ih_pdf_view_set_page (f->view, 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.zoom", "d", 1.0));
  g_assert_cmpfloat (ih_pdf_view_get_zoom (f->view), ==, 1.0);
  g_assert_cmpint (ih_pdf_view_get_zoom_mode (f->view), ==, IH_PDF_ZOOM_FREE);
  wait_for_page (f->view, 10);
  width = gdk_texture_get_width (ih_pdf_view_get_page_texture (f->view, 10));
  g_assert_cmpint (width, ==, (int) ceil (TEST_PAGE_WIDTH * scale_factor));
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (template_child (f->window, "zoom_button"))), ==, "100 %");

  /* Ctrl+plus: the next step, rendered larger, the same page in view */
  press_key (view, "<Control>plus");
  g_assert_cmpfloat_with_epsilon (ih_pdf_view_get_zoom (f->view), 1.1, 1e-9);
  g_assert_cmpint (ih_pdf_view_get_page (f->view), ==, 10);
  wait_for_page (f->view, 10);
  g_assert_cmpint (gdk_texture_get_width (ih_pdf_view_get_page_texture (f->view, 10)), ==,
                   (int) ceil (TEST_PAGE_WIDTH * 1.1 * scale_factor));
  save_png (GTK_WIDGET (f->window), "pdf-view-zoom-110.png");

  /* Ctrl+minus twice: smaller than at first */
  press_key (view, "<Control>minus");
  press_key (view, "<Control>minus");
  g_assert_cmpfloat_with_epsilon (ih_pdf_view_get_zoom (f->view), 0.9, 1e-9);
  g_assert_cmpint (ih_pdf_view_get_page (f->view), ==, 10);
  wait_for_page (f->view, 10);
  g_assert_cmpint (gdk_texture_get_width (ih_pdf_view_get_page_texture (f->view, 10)), <, width);

  /* Never beyond 25 %-400 % */
  for (int i = 0; i < 30; i++)
    press_key (view, "<Control>minus");
  g_assert_cmpfloat (ih_pdf_view_get_zoom (f->view), ==, IH_PDF_ZOOM_MIN);
  for (int i = 0; i < 30; i++)
    press_key (view, "<Control>plus");
  g_assert_cmpfloat (ih_pdf_view_get_zoom (f->view), ==, IH_PDF_ZOOM_MAX);
  g_assert_cmpint (ih_pdf_view_get_page (f->view), ==, 10);

  /* Fit page: the whole page in view; Ctrl+0 back to the width */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.fit-page", NULL));
  g_assert_cmpfloat (ih_pdf_view_get_zoom (f->view) * TEST_PAGE_HEIGHT, <=, gtk_widget_get_height (view));
  g_assert_cmpint (ih_pdf_view_get_page (f->view), ==, 10);
  wait_for_page (f->view, 10);
  save_png (GTK_WIDGET (f->window), "pdf-view-fit-page.png");
  press_key (view, "<Control>0");
  g_assert_cmpint (ih_pdf_view_get_zoom_mode (f->view), ==, IH_PDF_ZOOM_FIT_WIDTH);
  g_assert_cmpfloat_with_epsilon (ih_pdf_view_get_zoom (f->view) * TEST_PAGE_WIDTH,
                                  gtk_widget_get_width (view) - 24, 1.0);
}

static void
test_keys (Fixture       *f,
           gconstpointer  data)
{
  GtkWidget *view = GTK_WIDGET (f->view);
  GtkWidget *entry = template_child (f->window, "page_entry");

  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == view);

  /* At fit width a page is taller than the view: Page Down goes a screen
   * at a time but stops at the top of the next page */
  press_key (view, "Page_Down");
  g_assert_cmpint (ih_pdf_view_get_page (f->view), <=, 1);
  while (ih_pdf_view_get_page (f->view) == 0)
    press_key (view, "Page_Down");
  g_assert_cmpint (ih_pdf_view_get_page (f->view), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "2");
  wait_for_page (f->view, 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.fit-page", NULL));
  press_key (view, "Page_Down");
  g_assert_cmpint (ih_pdf_view_get_page (f->view), ==, 2);
  press_key (view, "Page_Up");
  g_assert_cmpint (ih_pdf_view_get_page (f->view), ==, 1);

  press_key (view, "End");
  g_assert_cmpint (ih_pdf_view_get_page (f->view), ==, N_PAGES - 1);
  wait_for_page (f->view, N_PAGES - 1);
  press_key (view, "<Control>Home");
  g_assert_cmpint (ih_pdf_view_get_page (f->view), ==, 0);

  /* Ctrl+L, a number, Enter */
  press_key (view, "<Control>l");
  g_assert_true (gtk_widget_has_focus (entry) || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), "25");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpint (ih_pdf_view_get_page (f->view), ==, 24);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == view);

  /* A page that is not there: the entry says so, nothing moves */
  gtk_editable_set_text (GTK_EDITABLE (entry), "99");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpint (ih_pdf_view_get_page (f->view), ==, 24);
  g_assert_true (gtk_widget_has_css_class (entry, "error"));

  /* Screen readers hear the page */
  g_assert_cmpint (ih_pdf_view_get_page (f->view), ==, 24);
}

typedef struct
{
  IhPdfView *view;
} FindWait;

static gboolean
find_done (gpointer data)
{
  return !ih_pdf_view_get_find_busy (data);
}

static void
test_find (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(IhPdfDocument) document = NULL;
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GArray) highlights = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *search_bar = template_child (f->window, "search_bar");
  GtkWidget *entry = template_child (f->window, "search_entry");
  GtkWidget *label = template_child (f->window, "match_label");
  IhPdfRect rect;
  int page;
  guint n;

  document = ih_pdf_document_open (f->path, NULL, NULL, &error);
  g_assert_no_error (error);

  /* Ctrl+F opens the bar with the focus in the entry */
  press_key (GTK_WIDGET (f->view), "<Control>f");
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (search_bar)));
  settle ();
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), entry));

  /* One match, on its page, scrolled into view */
  gtk_editable_set_text (GTK_EDITABLE (entry), "discharge");
  g_signal_emit_by_name (entry, "search-changed");
  wait_for (find_done, f->view);
  g_assert_cmpuint (ih_pdf_view_get_n_matches (f->view), ==, 1);
  g_assert_true (ih_pdf_view_get_current_match_rect (f->view, &page, &rect));
  g_assert_cmpint (page, ==, WORD_PAGE);
  g_assert_cmpint (ih_pdf_view_get_page (f->view), ==, WORD_PAGE);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "1 of 1");

  /* The highlights are the library's rectangles */
  expected = ih_pdf_document_find (document, "discharge", WORD_PAGE, IH_PDF_FIND_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  highlights = ih_pdf_view_get_highlights (f->view, WORD_PAGE);
  g_assert_cmpuint (highlights->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      IhPdfRect *a = &g_array_index (highlights, IhPdfRect, i);
      IhPdfRect *b = &g_array_index (expected, IhPdfMatch, i).rect;

      g_assert_cmpfloat (a->x1, ==, b->x1);
      g_assert_cmpfloat (a->y1, ==, b->y1);
      g_assert_cmpfloat (a->x2, ==, b->x2);
      g_assert_cmpfloat (a->y2, ==, b->y2);
    }
  /* ...and where the word was written */
  g_assert_cmpfloat_with_epsilon (rect.x1, TEST_WORD_X, 2.0);
  g_assert_cmpfloat (rect.y1, <, TEST_WORD_Y);
  g_assert_cmpfloat (rect.y2, >, TEST_WORD_Y - 5);
  wait_for_page (f->view, WORD_PAGE);
  save_png (GTK_WIDGET (f->window), "pdf-view-find.png");

  /* A word on many pages: next and previous go round */
  g_array_unref (expected);
  expected = ih_pdf_document_find (document, "committee", -1, IH_PDF_FIND_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expected->len, >, 3);
  ih_pdf_view_set_page (f->view, 0);
  gtk_editable_set_text (GTK_EDITABLE (entry), "committee");
  g_signal_emit_by_name (entry, "search-changed");
  wait_for (find_done, f->view);
  n = ih_pdf_view_get_n_matches (f->view);
  g_assert_cmpuint (n, ==, expected->len);
  g_assert_cmpint (ih_pdf_view_get_current_match (f->view), ==, 0);

  g_signal_emit_by_name (entry, "activate");    /* Enter */
  g_assert_cmpint (ih_pdf_view_get_current_match (f->view), ==, 1);
  g_assert_true (ih_pdf_view_get_current_match_rect (f->view, &page, &rect));
  g_assert_cmpint (page, ==, g_array_index (expected, IhPdfMatch, 1).page_index);
  g_assert_cmpint (ih_pdf_view_get_page (f->view), ==, page);
  press_key (entry, "<Control>g");
  g_assert_cmpint (ih_pdf_view_get_current_match (f->view), ==, 2);
  press_key (entry, "<Shift><Control>g");
  press_key (entry, "<Shift><Control>g");
  press_key (entry, "<Shift><Control>g");
  g_assert_cmpint (ih_pdf_view_get_current_match (f->view), ==, (int) n - 1);
  g_assert_true (ih_pdf_view_get_current_match_rect (f->view, &page, &rect));
  g_assert_cmpint (ih_pdf_view_get_page (f->view), ==, page);
  g_assert_cmpint (page, ==, g_array_index (expected, IhPdfMatch, n - 1).page_index);
  g_assert_true (g_str_has_suffix (gtk_label_get_text (GTK_LABEL (label)), "of 40") ||
                 strstr (gtk_label_get_text (GTK_LABEL (label)), " of ") != NULL);

  /* Closing the bar clears the highlights */
  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (search_bar), FALSE);
  g_assert_cmpuint (ih_pdf_view_get_n_matches (f->view), ==, 0);
  g_array_unref (highlights);
  highlights = ih_pdf_view_get_highlights (f->view, page);
  g_assert_cmpuint (highlights->len, ==, 0);
}

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
string_set (gpointer data)
{
  return *(char **) data != NULL;
}

static void
test_select_copy (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(IhPdfDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *selected = NULL;
  g_autofree char *copied = NULL;
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->view));
  double width = test_word_width (WORD);
  IhPdfRect area = { TEST_WORD_X - 2, TEST_WORD_Y - TEST_WORD_SIZE / 2,
                     TEST_WORD_X + width + 2, TEST_WORD_Y - TEST_WORD_SIZE / 2 + 1 };

  document = ih_pdf_document_open (f->path, NULL, NULL, &error);
  g_assert_no_error (error);
  expected = ih_pdf_document_get_selected_text (document, WORD_PAGE, &area, IH_PDF_SELECT_GLYPHS);
  g_assert_nonnull (strstr (expected, WORD));

  /* Nothing selected, nothing copied */
  g_assert_null (ih_pdf_view_dup_selected_text (f->view));
  g_assert_false (ih_pdf_view_copy (f->view));

  ih_pdf_view_set_page (f->view, WORD_PAGE);
  ih_pdf_view_select (f->view, WORD_PAGE, &area);
  selected = ih_pdf_view_dup_selected_text (f->view);
  g_assert_cmpstr (selected, ==, expected);

  /* Ctrl+C puts it on the clipboard */
  gdk_clipboard_set_text (clipboard, "something else");
  press_key (GTK_WIDGET (f->view), "<Control>c");
  gdk_clipboard_read_text_async (clipboard, NULL, read_text_cb, &copied);
  wait_for (string_set, &copied);
  g_assert_cmpstr (copied, ==, expected);

  wait_for_page (f->view, WORD_PAGE);
  save_png (GTK_WIDGET (f->window), "pdf-view-selection.png");

  /* Dragging over the word selects it, as the library would */
  ih_pdf_view_clear_selection (f->view);
  {
    GtkGesture *drag = drag_gesture (f->view);
    double x1, y1, x2, y2;

    page_point (f->view, WORD_PAGE, area.x1, (area.y1 + area.y2) / 2, &x1, &y1);
    page_point (f->view, WORD_PAGE, area.x2, (area.y1 + area.y2) / 2, &x2, &y2);
    g_signal_emit_by_name (drag, "drag-begin", x1, y1);
    g_signal_emit_by_name (drag, "drag-update", x2 - x1, y2 - y1);
    g_signal_emit_by_name (drag, "drag-end", x2 - x1, y2 - y1);
    g_free (selected);
    selected = ih_pdf_view_dup_selected_text (f->view);
    g_assert_nonnull (selected);
    g_assert_nonnull (strstr (selected, WORD));
  }

  /* Escape lets it go */
  press_key (GTK_WIDGET (f->view), "Escape");
  g_assert_null (ih_pdf_view_dup_selected_text (f->view));
}

static void
test_last_page (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *copy = tmp_path (f, "copy.pdf");
  g_autofree char *contents = NULL;
  gsize length;
  IhPaperWindow *again;

  ih_pdf_view_set_page (f->view, 22);
  gtk_window_close (GTK_WINDOW (f->window));
  f->window = NULL;
  settle ();

  /* Back where it was left */
  again = open_window (f->path, NULL);
  g_assert_cmpstr (ih_paper_window_get_state (again), ==, "document");
  g_assert_cmpint (ih_pdf_view_get_page (ih_paper_window_get_view (again)), ==, 22);
  wait_for_page (ih_paper_window_get_view (again), 22);
  save_png (GTK_WIDGET (again), "pdf-view-last-page.png");

  /* Moving on is remembered too, even without closing (a second later) */
  ih_pdf_view_set_page (ih_paper_window_get_view (again), 30);
  ih_paper_window_save_state (again);
  gtk_window_destroy (GTK_WINDOW (again));

  /* Another file has its own page; the same file by its key shares it */
  g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (copy, contents, length, NULL));
  again = open_window (copy, NULL);
  g_assert_cmpint (ih_pdf_view_get_page (ih_paper_window_get_view (again)), ==, 0);
  ih_pdf_view_set_page (ih_paper_window_get_view (again), 5);
  gtk_window_destroy (GTK_WINDOW (again));
  again = open_window (f->path, NULL);
  g_assert_cmpint (ih_pdf_view_get_page (ih_paper_window_get_view (again)), ==, 30);
  gtk_window_destroy (GTK_WINDOW (again));
  again = open_window (copy, NULL);
  g_assert_cmpint (ih_pdf_view_get_page (ih_paper_window_get_view (again)), ==, 5);
  gtk_window_destroy (GTK_WINDOW (again));

  /* A page asked for (a search hit) wins over the last page read */
  again = ih_paper_window_new (NULL);
  gtk_window_present (GTK_WINDOW (again));
  ih_paper_window_open (again, f->path, NULL, NULL);
  ih_paper_window_show_page (again, 12);
  wait_for (window_has_state, again);
  g_assert_cmpint (ih_pdf_view_get_page (ih_paper_window_get_view (again)), ==, 12);
  ih_paper_window_show_page (again, 3);
  g_assert_cmpint (ih_pdf_view_get_page (ih_paper_window_get_view (again)), ==, 3);
  gtk_window_destroy (GTK_WINDOW (again));
}

static AdwMessageDialog *
find_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) &&
          gtk_widget_get_visible (GTK_WIDGET (window)) &&
          gtk_window_get_transient_for (window) == parent)
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog (data) != NULL;
}

static void
answer_password (IhPaperWindow *window,
                 const char    *password,
                 const char    *expected_body)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  wait_for (dialog_shown, window);
  dialog = find_dialog (GTK_WINDOW (window));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), expected_body));
  entry = adw_message_dialog_get_extra_child (dialog);
  g_assert_true (GTK_IS_ENTRY (entry));
  g_assert_false (gtk_entry_get_visibility (GTK_ENTRY (entry)));
  gtk_editable_set_text (GTK_EDITABLE (entry), password);
  /* As the button does: the response, then the dialog closes */
  adw_message_dialog_response (dialog, "unlock");
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
test_encrypted (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *locked = tmp_path (f, "locked.pdf");
  g_autofree char *qpdf = g_find_program_in_path ("qpdf");
  g_autoptr(GError) error = NULL;
  IhPaperWindow *window;
  int status;
  const char *argv[] = { "qpdf", "--encrypt", "board-secret", "owner-secret", "256", "--",
                         f->path, locked, NULL };

  /* qpdf is a test dependency (build-aux/setup.sh installs it) */
  g_assert_nonnull (qpdf);
  argv[0] = qpdf;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);

  window = open_window (locked, NULL);
  g_assert_cmpstr (ih_paper_window_get_state (window), ==, "password");
  save_png (GTK_WIDGET (find_dialog (GTK_WINDOW (window))), "pdf-view-password.png");

  /* A wrong password asks again, saying so */
  answer_password (window, "wrong", "is locked");
  wait_for (dialog_shown, window);
  g_assert_cmpstr (ih_paper_window_get_state (window), ==, "password");
  answer_password (window, "board-secret", "does not unlock");
  wait_for (window_has_state, window);
  g_assert_cmpstr (ih_paper_window_get_state (window), ==, "document");
  g_assert_cmpint (ih_pdf_view_get_n_pages (ih_paper_window_get_view (window)), ==, N_PAGES);
  wait_for_page (ih_paper_window_get_view (window), 0);
  gtk_window_destroy (GTK_WINDOW (window));

  /* Cancelling says the paper is locked, plainly */
  window = open_window (locked, NULL);
  wait_for (dialog_shown, window);
  {
    AdwMessageDialog *dialog = find_dialog (GTK_WINDOW (window));

    adw_message_dialog_response (dialog, "cancel");
    gtk_window_close (GTK_WINDOW (dialog));
  }
  g_assert_cmpstr (ih_paper_window_get_state (window), ==, "error");
  g_assert_nonnull (strstr (ih_paper_window_get_error (window), "password"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
assert_error_page (const char *path,
                   const char *png,
                   const char *expected_title)
{
  IhPaperWindow *window = open_window (path, NULL);
  g_autofree char *name = g_path_get_basename (path);
  AdwStatusPage *page;

  g_assert_cmpstr (ih_paper_window_get_state (window), ==, "error");
  /* The message names the file */
  g_assert_nonnull (ih_paper_window_get_error (window));
  g_assert_nonnull (strstr (ih_paper_window_get_error (window), name));
  page = ADW_STATUS_PAGE (template_child (window, "error_page"));
  g_assert_cmpstr (adw_status_page_get_title (page), ==, expected_title);
  g_assert_false (gtk_widget_get_visible (template_child (window, "page_box")));
  if (png != NULL)
    save_png (GTK_WIDGET (window), png);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_bad_files (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *damaged = tmp_path (f, "damaged.pdf");
  g_autofree char *empty = tmp_path (f, "empty.pdf");
  g_autofree char *text = tmp_path (f, "minutes.pdf");
  g_autofree char *missing = tmp_path (f, "not-here.pdf");
  g_autofree char *contents = NULL;
  gsize length;

  /* The first kilobyte of a real PDF, the rest lost */
  g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (damaged, contents, MIN (length, 1024), NULL));
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_true (g_file_set_contents (text, "Minutes of the meeting\n", -1, NULL));

  assert_error_page (damaged, "pdf-view-damaged.png", "This Paper Cannot Be Opened");
  assert_error_page (empty, NULL, "This Paper Cannot Be Opened");
  assert_error_page (text, NULL, "This Paper Cannot Be Opened");
  assert_error_page (missing, "pdf-view-missing.png", "Not on This Computer");

  /* Closed, or sent to another file, while still opening: nothing
   * happens to the window that is gone, and the second file shows */
  for (int i = 0; i < 2; i++)
    {
      IhPaperWindow *window = ih_paper_window_new (NULL);

      gtk_window_present (GTK_WINDOW (window));
      ih_paper_window_open (window, f->path, NULL, NULL);
      if (i == 0)
        {
          gtk_window_destroy (GTK_WINDOW (window));
          settle ();
          continue;
        }
      ih_paper_window_open (window, damaged, NULL, NULL);
      wait_for (window_has_state, window);
      settle ();
      g_assert_cmpstr (ih_paper_window_get_state (window), ==, "error");
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

static void
test_scroll_cache (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(IhPageCache) cache = ih_page_cache_new (12 * 1024 * 1024);
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (f->view));
  IhPageCacheStats stats;
  guint max_pending = 0;

  ih_pdf_view_set_cache (f->view, cache);
  wait_for_page (f->view, 0);

  /* Through every page, quicker than they render: the cache never holds
   * more than its bound, and renderings of pages scrolled past are
   * cancelled rather than queued up */
  for (double y = 0; y < gtk_adjustment_get_upper (vadjustment); y += 300)
    {
      gtk_adjustment_set_value (vadjustment, y);
      g_main_context_iteration (NULL, FALSE);
      ih_page_cache_get_stats (cache, &stats);
      g_assert_cmpuint (stats.bytes, <=, stats.max_bytes);
      max_pending = MAX (max_pending, ih_pdf_view_get_n_pending (f->view));
    }
  g_assert_cmpuint (max_pending, <=, 4);
  g_assert_cmpint (ih_pdf_view_get_page (f->view), ==, N_PAGES - 1);
  wait_for_page (f->view, N_PAGES - 1);
  ih_page_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.bytes, <=, stats.max_bytes);
  g_assert_cmpuint (stats.bytes, >, 0);
  /* The first pages went out of view: nothing of theirs is drawn now */
  g_assert_null (ih_pdf_view_get_page_texture (f->view, 0));

  /* Back up, stopping on every fourth page until it is drawn: far more
   * pages than the cache holds, so the oldest go */
  for (int i = N_PAGES - 1; i >= 0; i -= 4)
    {
      ih_pdf_view_set_page (f->view, i);
      wait_for_page (f->view, i);
      ih_page_cache_get_stats (cache, &stats);
      g_assert_cmpuint (stats.bytes, <=, stats.max_bytes);
    }
  g_assert_cmpuint (stats.evictions, >, 0);
  g_assert_null (ih_pdf_view_get_page_texture (f->view, N_PAGES - 1));
}

static gboolean
thumbnails_drawn (gpointer data)
{
  GtkWidget *list = data;

  /* The first row's picture has its page */
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *box = gtk_widget_get_first_child (row);

      if (box != NULL && GTK_IS_BOX (box) &&
          g_object_get_data (G_OBJECT (gtk_widget_get_first_child (box)), "ih-surface") != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_sidebar (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *sidebar = template_child (f->window, "sidebar");
  GtkWidget *thumbnails = template_child (f->window, "thumbnails");
  GtkWidget *outline = template_child (f->window, "outline_list");
  GtkStack *sidebar_stack = GTK_STACK (template_child (f->window, "sidebar_stack"));
  const char *titles[] = { "Introduction", "Background", "Discharge" };
  const int pages[] = { 0, 1, WORD_PAGE };
  int n = 0;

  /* F9 shows the pages */
  g_assert_false (gtk_widget_get_visible (sidebar));
  press_key (GTK_WIDGET (f->view), "F9");
  g_assert_true (gtk_widget_get_visible (sidebar));
  wait_for (thumbnails_drawn, thumbnails);
  save_png (GTK_WIDGET (f->window), "pdf-view-thumbnails.png");

  /* Choosing a page shows it */
  g_signal_emit_by_name (thumbnails, "activate", 7);
  g_assert_cmpint (ih_pdf_view_get_page (f->view), ==, 7);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (thumbnails)))), ==, 7);

  /* The outline, indented by level, each entry going to its page */
  gtk_stack_set_visible_child_name (sidebar_stack, "outline");
  for (GtkWidget *row = gtk_widget_get_first_child (outline); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *label = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));

      g_assert_cmpint (n, <, G_N_ELEMENTS (titles));
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, titles[n]);
      g_assert_cmpint (gtk_widget_get_margin_start (label), ==, n == 1 ? 22 : 6);
      g_signal_emit_by_name (outline, "row-activated", row);
      g_assert_cmpint (ih_pdf_view_get_page (f->view), ==, pages[n]);
      n++;
    }
  g_assert_cmpint (n, ==, G_N_ELEMENTS (titles));
  wait_for_page (f->view, WORD_PAGE);
  save_png (GTK_WIDGET (f->window), "pdf-view-outline.png");
}

static void
test_links (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *path = tmp_path (f, "linked.pdf");
  g_autoptr(IhPdfDocument) document = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GError) error = NULL;
  /* Written by hand (cairo 1.16's link tags make a broken file): five
   * blank pages, and on the first a link to the fifth */
  const char *objects[] = {
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R 6 0 R 7 0 R] /Count 5 /MediaBox [0 0 595 842] >>",
    "<< /Type /Page /Parent 2 0 R /Annots [8 0 R] >>",
    "<< /Type /Page /Parent 2 0 R >>",
    "<< /Type /Page /Parent 2 0 R >>",
    "<< /Type /Page /Parent 2 0 R >>",
    "<< /Type /Page /Parent 2 0 R >>",
    "<< /Type /Annot /Subtype /Link /Rect [72 600 300 640] /Border [0 0 0] /Dest [7 0 R /XYZ 0 842 0] >>",
  };
  g_autoptr(GString) pdf = g_string_new ("%PDF-1.4\n");
  gsize offsets[G_N_ELEMENTS (objects)];
  gsize xref;
  IhPaperWindow *window;
  IhPdfView *view;
  const IhPdfLink *link;
  double x;
  double y;

  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    {
      offsets[i] = pdf->len;
      g_string_append_printf (pdf, "%u 0 obj\n%s\nendobj\n", i + 1, objects[i]);
    }
  xref = pdf->len;
  g_string_append_printf (pdf, "xref\n0 %u\n0000000000 65535 f \n", (guint) G_N_ELEMENTS (objects) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    g_string_append_printf (pdf, "%010" G_GSIZE_FORMAT " 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer\n<< /Size %u /Root 1 0 R >>\nstartxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n",
                          (guint) G_N_ELEMENTS (objects) + 1, xref);
  g_assert_true (g_file_set_contents (path, pdf->str, pdf->len, NULL));

  document = ih_pdf_document_open (path, NULL, NULL, &error);
  g_assert_no_error (error);
  links = ih_pdf_document_get_links (document, 0);
  g_assert_cmpuint (links->len, ==, 1);
  link = g_ptr_array_index (links, 0);
  g_assert_cmpint (link->page_index, ==, 4);

  window = open_window (path, NULL);
  view = ih_paper_window_get_view (window);
  wait_for_page (view, 0);

  /* A click on it goes there; a click beside it does nothing */
  page_point (view, 0, link->rect.x2 + 40, (link->rect.y1 + link->rect.y2) / 2, &x, &y);
  g_signal_emit_by_name (drag_gesture (view), "drag-begin", x, y);
  g_signal_emit_by_name (drag_gesture (view), "drag-end", 0.0, 0.0);
  g_assert_cmpint (ih_pdf_view_get_page (view), ==, 0);
  page_point (view, 0, (link->rect.x1 + link->rect.x2) / 2, (link->rect.y1 + link->rect.y2) / 2, &x, &y);
  g_signal_emit_by_name (drag_gesture (view), "drag-begin", x, y);
  g_signal_emit_by_name (drag_gesture (view), "drag-end", 0.0, 0.0);
  g_assert_cmpint (ih_pdf_view_get_page (view), ==, 4);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_print (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *printed = tmp_path (f, "printed.pdf");
  g_autoptr(IhPdfDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  double width;
  double height;
  int stride;
  int dark = 0;
  guchar *data_;
  double zoom;

  g_assert_true (ih_paper_window_print_to_file (f->window, printed, &error));
  g_assert_no_error (error);

  /* Every page, each with its black square where it was */
  document = ih_pdf_document_open (printed, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ih_pdf_document_get_n_pages (document), ==, N_PAGES);
  g_assert_true (ih_pdf_document_get_page_size (document, 3, &width, &height, NULL));
  surface = ih_pdf_document_render_page (document, 3, 0.5, NULL, &error);
  g_assert_no_error (error);
  cairo_surface_flush (surface);
  data_ = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  /* The square is at the same place relative to the page wherever the
   * margins put it: look for a dark run in the lower right quarter */
  for (int y = cairo_image_surface_get_height (surface) / 2; y < cairo_image_surface_get_height (surface); y++)
    for (int x = cairo_image_surface_get_width (surface) / 2; x < cairo_image_surface_get_width (surface); x++)
      if (data_[y * stride + x * 4 + 1] < 60)
        dark++;
  zoom = 0.5;
  g_assert_cmpint (dark, >, (int) (0.3 * TEST_BOX_SIZE * TEST_BOX_SIZE * zoom * zoom));
  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state = g_dir_make_tmp ("test-pdf-view-state-XXXXXX", NULL);

  /* "Last page read" goes to a directory of this run's own */
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/pdf-view/open", test_open);
  ADD ("/pdf-view/zoom", test_zoom);
  ADD ("/pdf-view/keys", test_keys);
  ADD ("/pdf-view/find", test_find);
  ADD ("/pdf-view/select-copy", test_select_copy);
  ADD ("/pdf-view/last-page", test_last_page);
  ADD ("/pdf-view/encrypted", test_encrypted);
  ADD ("/pdf-view/bad-files", test_bad_files);
  ADD ("/pdf-view/scroll-cache", test_scroll_cache);
  ADD ("/pdf-view/sidebar", test_sidebar);
  ADD ("/pdf-view/links", test_links);
  ADD ("/pdf-view/print", test_print);
#undef ADD

  return g_test_run ();
}
