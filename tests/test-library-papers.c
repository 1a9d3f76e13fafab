/* test-library-papers.c — the library search finds board paper pages as
 * well as insight: driven through the real search entry and rows under
 * Xvfb, and rendered to PNGs to look at
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "ih-library-view.h"
#include "ih-paper-import.h"
#include "ih-paper-window.h"
#include "ih-papers.h"
#include "ih-test-pdf.h"
#include "ih-test-util.h"
#include "ih-ui-test.h"

typedef struct
{
  char          *dir;
  IhStore       *store;
  GtkWindow     *window;
  IhLibraryView *library;
} Fixture;

static void
save (IhStore  *store,
      gpointer  record)
{
  g_autoptr(GError) error = NULL;

  ih_store_save (store, record, &error);
  g_assert_no_error (error);
}

static void
add_insight (IhStore    *store,
             const char *text)
{
  g_autoptr(IhInsight) insight = ih_insight_new ();

  insight->text = g_strdup (text);
  insight->kind = g_strdup ("quote");
  insight->date = g_strdup ("2026-10-01");
  save (store, insight);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhMeeting) meeting = ih_meeting_new ();
  g_autoptr(IhPaper) paper = NULL;
  g_autofree char *path = NULL;
  g_autofree char *pdf = NULL;

  f->dir = g_dir_make_tmp ("test-library-papers-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "library.db", NULL);
  f->store = ih_store_open (path, &error);
  g_assert_no_error (error);

  add_insight (f->store, "Nobody told my mother about her discharge until the morning she left.");
  add_insight (f->store, "The discharge lounge had no chairs for relatives.");
  add_insight (f->store, "Parking costs more than the prescription.");

  meeting->body = g_strdup ("ICB Board");
  meeting->title = g_strdup ("Meeting in public");
  meeting->date = g_strdup ("2026-12-03");
  save (f->store, meeting);

  /* A real PDF: "discharge" written on page 3 of 5 and nowhere else */
  pdf = g_build_filename (f->dir, "discharge-report.pdf", NULL);
  test_make_pdf_full (pdf, 5, TEST_PAGE_WIDTH, TEST_PAGE_HEIGHT, 10, 2, "discharge", FALSE);
  paper = ih_paper_add_file (f->store, pdf, meeting->parent.id, "Hospital report", NULL,
                             NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (paper);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1000, 700);
  f->library = IH_LIBRARY_VIEW (ih_library_view_new (f->store));
  gtk_window_set_child (f->window, GTK_WIDGET (f->library));
  gtk_window_present (f->window);
  ih_ui_wait_for (ih_ui_widget_mapped, f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->window);
  ih_ui_settle ();
  /* Paper windows the view opened (and any other) */
  ih_ui_destroy_all_windows ();
  g_clear_object (&f->store);
  ih_test_remove_tree (f->dir);
  g_clear_pointer (&f->dir, g_free);
}

typedef struct
{
  Fixture    *f;
  const char *text;
} Search;

/* Both searches for @text have ended */
static gboolean
searched (gpointer data)
{
  Search *search = data;
  IhSearchModel *model = ih_library_view_get_model (search->f->library);

  return g_strcmp0 (ih_search_model_get_query (model), search->text) == 0 &&
         !ih_search_model_get_busy (model) &&
         !ih_library_view_get_papers_busy (search->f->library);
}

static void
type_search (Fixture    *f,
             const char *text)
{
  GtkWidget *entry = ih_ui_find_child (GTK_WIDGET (f->library), GTK_TYPE_SEARCH_ENTRY, NULL);
  Search search = { f, text };

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  ih_ui_wait_for (searched, &search);
  ih_ui_settle ();
}

static GtkListBox *
papers_list (Fixture *f)
{
  GtkWidget *list = ih_ui_find_child (GTK_WIDGET (f->library), GTK_TYPE_LIST_BOX, "papers-list");

  g_assert_nonnull (list);
  return GTK_LIST_BOX (list);
}

static guint
n_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

/* The section is on screen: the list and everything above it visible */
static gboolean
papers_visible (Fixture *f)
{
  return gtk_widget_is_visible (GTK_WIDGET (papers_list (f)));
}

static IhPaperWindow *
find_paper_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (IH_IS_PAPER_WINDOW (window))
        return IH_PAPER_WINDOW (window);
    }
  return NULL;
}

static gboolean
paper_found (gpointer data)
{
  IhPaperWindow *window = data;
  IhPdfView *view = ih_paper_window_get_view (window);

  if (g_strcmp0 (ih_paper_window_get_state (window), "error") == 0)
    return TRUE;
  return g_strcmp0 (ih_paper_window_get_state (window), "document") == 0 &&
         !ih_pdf_view_get_find_busy (view) && ih_pdf_view_get_current_match (view) >= 0;
}

static gboolean
leaflet_folded (gpointer data)
{
  return adw_leaflet_get_folded (data);
}

static void
test_found (Fixture       *f,
            gconstpointer  data)
{
  GtkListBox *list;
  GtkListBoxRow *row;
  GtkWidget *list_view;
  IhPaperWindow *window;
  IhPdfView *view;
  IhPdfRect rect;
  int page_index = -1;

  /* Nothing typed: no papers section */
  g_assert_false (papers_visible (f));

  type_search (f, "discharge");
  g_assert_cmpstr (ih_library_view_get_state (f->library), ==, "results");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ih_library_view_get_model (f->library))), ==, 2);
  g_assert_cmpuint (ih_library_view_get_n_paper_hits (f->library), ==, 1);
  g_assert_true (papers_visible (f));

  list = papers_list (f);
  g_assert_cmpuint (n_rows (list), ==, 1);
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_nonnull (ih_ui_find_label (GTK_WIDGET (row), "Hospital report · page 3"));
  g_assert_nonnull (ih_ui_find_label (GTK_WIDGET (f->library), "Board papers (1 page)"));
  ih_ui_save_png (GTK_WIDGET (f->window), "library-papers-wide.png");

  /* Activating the row (Enter or a click) opens the paper at that page,
   * the word found */
  g_assert_null (find_paper_window ());
  g_assert_true (gtk_widget_activate (GTK_WIDGET (row)));
  window = find_paper_window ();
  g_assert_nonnull (window);
  ih_ui_wait_for (paper_found, window);
  g_assert_cmpstr (ih_paper_window_get_state (window), ==, "document");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Hospital report");
  view = ih_paper_window_get_view (window);
  g_assert_cmpuint (ih_pdf_view_get_n_matches (view), ==, 1);
  g_assert_true (ih_pdf_view_get_current_match_rect (view, &page_index, &rect));
  g_assert_cmpint (page_index, ==, 2);
  g_assert_cmpint (ih_pdf_view_get_page (view), ==, 2);
  {
    g_autoptr(GArray) highlights = ih_pdf_view_get_highlights (view, 2);

    g_assert_cmpuint (highlights->len, >=, 1);
  }
  /* The find bar shows the words, so next/previous are at hand */
  {
    GtkWidget *entry = ih_ui_find_child (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY, NULL);
    GtkWidget *bar = ih_ui_find_child (GTK_WIDGET (window), GTK_TYPE_SEARCH_BAR, NULL);

    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "discharge");
    g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (bar)));
  }
  /* The entry's own delayed "search-changed" does not start it again */
  ih_ui_iterate (400);
  g_assert_false (ih_pdf_view_get_find_busy (view));
  g_assert_cmpint (ih_pdf_view_get_current_match (view), ==, 0);
  ih_ui_save_png (GTK_WIDGET (window), "library-papers-opened.png");
  gtk_window_destroy (GTK_WINDOW (window));
  ih_ui_settle ();

  /* Narrow: the section stays above an insight list that still shows */
  gtk_window_set_default_size (f->window, 360, 640);
  ih_ui_wait_for (leaflet_folded, ih_ui_find_child (GTK_WIDGET (f->library), ADW_TYPE_LEAFLET, NULL));
  ih_ui_settle ();
  g_assert_true (papers_visible (f));
  list_view = ih_ui_find_child (GTK_WIDGET (f->library), GTK_TYPE_LIST_VIEW, NULL);
  g_assert_cmpint (gtk_widget_get_height (list_view), >=, 200);
  ih_ui_save_png (GTK_WIDGET (f->window), "library-papers-narrow.png");
}

static void
test_no_match (Fixture       *f,
               gconstpointer  data)
{
  /* Insight found, no page: no section */
  type_search (f, "parking");
  g_assert_cmpstr (ih_library_view_get_state (f->library), ==, "results");
  g_assert_cmpuint (ih_library_view_get_n_paper_hits (f->library), ==, 0);
  g_assert_false (papers_visible (f));

  /* A page found first, then a search with none: the section goes */
  type_search (f, "discharge");
  g_assert_true (papers_visible (f));
  type_search (f, "prescription");
  g_assert_false (papers_visible (f));

  /* A search overtaken by the next one never shows its pages */
  {
    GtkWidget *entry = ih_ui_find_child (GTK_WIDGET (f->library), GTK_TYPE_SEARCH_ENTRY, NULL);
    Search search = { f, "parking" };

    gtk_editable_set_text (GTK_EDITABLE (entry), "discharge");
    ih_ui_wait_for ((IhUiCondition) ih_library_view_get_papers_busy, f->library);
    gtk_editable_set_text (GTK_EDITABLE (entry), "parking");
    ih_library_view_refresh (f->library);
    ih_ui_wait_for (searched, &search);
    ih_ui_iterate (400);
    g_assert_false (ih_library_view_get_papers_busy (f->library));
    g_assert_cmpuint (ih_library_view_get_n_paper_hits (f->library), ==, 0);
    g_assert_false (papers_visible (f));
  }

  /* Neither */
  type_search (f, "zebra");
  g_assert_cmpstr (ih_library_view_get_state (f->library), ==, "no-results");
  g_assert_nonnull (ih_ui_find_label (GTK_WIDGET (f->library), "Nothing Found"));
  g_assert_false (papers_visible (f));

  /* Filters alone, known or not, search no pages and are no error */
  type_search (f, "theme:x");
  g_assert_cmpstr (ih_library_view_get_state (f->library), !=, "error");
  g_assert_false (papers_visible (f));
  type_search (f, "discharge theme:x");
  g_assert_cmpstr (ih_library_view_get_state (f->library), !=, "error");
  g_assert_false (papers_visible (f));
  /* A search that cannot run says so in the insight list only */
  type_search (f, "discharge OR");
  g_assert_cmpstr (ih_library_view_get_state (f->library), ==, "error");
  g_assert_false (papers_visible (f));
}

static void
test_more_and_missing (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(IhPaper) paper = ih_paper_new ();
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GtkListBox *list;
  GtkListBoxRow *more;
  IhPaperWindow *window;

  /* A paper a sync listed but has not fetched: pages, no file here */
  paper->title = g_strdup ("Winter plan");
  paper->file_name = g_strdup ("winter-plan.pdf");
  paper->sha256 = g_strdup ("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  for (int i = 1; i <= 5; i++)
    g_ptr_array_add (pages, g_strdup_printf ("Page %d of the plan for winter pressures.", i));
  ih_papers_save (f->store, paper, pages, &error);
  g_assert_no_error (error);

  type_search (f, "winter");
  g_assert_cmpuint (ih_library_view_get_n_paper_hits (f->library), ==, 5);
  /* No insight has the word: the list says so without saying "nothing" */
  g_assert_cmpstr (ih_library_view_get_state (f->library), ==, "no-results");
  g_assert_nonnull (ih_ui_find_label (GTK_WIDGET (f->library), "No Insight Found"));
  g_assert_null (ih_ui_find_label (GTK_WIDGET (f->library), "Nothing Found"));
  list = papers_list (f);
  /* Three pages, then "2 more pages" */
  g_assert_cmpuint (n_rows (list), ==, 4);
  more = gtk_list_box_get_row_at_index (list, 3);
  g_assert_nonnull (ih_ui_find_label (GTK_WIDGET (more), "2 more pages"));
  g_assert_true (gtk_widget_activate (GTK_WIDGET (more)));
  g_assert_cmpuint (n_rows (list), ==, 5);
  g_assert_null (ih_ui_find_label (GTK_WIDGET (list), "2 more pages"));
  /* The keyboard goes on from the first page that was hidden */
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (list, 3))));
  ih_ui_save_png (GTK_WIDGET (f->window), "library-papers-more.png");

  /* Opening one says plainly it is not on this computer */
  g_assert_true (gtk_widget_activate (GTK_WIDGET (gtk_list_box_get_row_at_index (list, 0))));
  window = find_paper_window ();
  g_assert_nonnull (window);
  ih_ui_wait_for (paper_found, window);
  g_assert_cmpstr (ih_paper_window_get_state (window), ==, "error");
  g_assert_nonnull (ih_paper_window_get_error (window));
  g_assert_nonnull (ih_ui_find_label (GTK_WIDGET (window), "Not on This Computer"));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Winter plan");
  ih_ui_save_png (GTK_WIDGET (window), "library-papers-missing.png");

  gtk_window_destroy (GTK_WINDOW (window));
  ih_ui_settle ();

  /* A new search starts from three again */
  type_search (f, "winter pressures");
  g_assert_cmpuint (n_rows (papers_list (f)), ==, 4);

  /* A paper deleted since the search was run cannot be opened, and the
   * window says so rather than that it is missing */
  ih_store_delete (f->store, &ih_paper_class, paper->parent.id, &error);
  g_assert_no_error (error);
  g_assert_null (find_paper_window ());
  g_assert_true (gtk_widget_activate (GTK_WIDGET (gtk_list_box_get_row_at_index (papers_list (f), 0))));
  window = find_paper_window ();
  g_assert_nonnull (window);
  g_assert_cmpstr (ih_paper_window_get_state (window), ==, "error");
  g_assert_nonnull (ih_ui_find_label (GTK_WIDGET (window), "This Paper Cannot Be Opened"));
  g_assert_cmpstr (ih_paper_window_get_error (window), ==, "“Winter plan” has been deleted.");
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/library-papers/found", Fixture, NULL, fixture_setup, test_found, fixture_teardown);
  g_test_add ("/library-papers/no-match", Fixture, NULL, fixture_setup, test_no_match, fixture_teardown);
  g_test_add ("/library-papers/more-and-missing", Fixture, NULL, fixture_setup, test_more_and_missing, fixture_teardown);

  return g_test_run ();
}
