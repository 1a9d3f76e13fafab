/* test-desktop.c — the app as a desktop sees it: running in Welsh
 * (LANGUAGE=cy) with the build's translations, and F1 opening the HTML
 * copy of the user guide when no Help viewer handles help: URIs
 *
 * The whole program runs in Welsh: LANGUAGE is set before GTK starts.
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "ih-application.h"
#include "ih-library-view.h"
#include "ih-window.h"
#include "ih-ui-test.h"

static IhApplication *app;
static char *home;

static char *
without_mnemonic (const char *text)
{
  g_autoptr(GString) s = g_string_new (text);

  g_string_replace (s, "_", "", 1);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static IhWindow *
open_window (IhStore **store_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (home, "desktop.db", NULL);
  IhWindow *window;

  *store_out = ih_store_open (path, &error);
  g_assert_no_error (error);
  window = ih_window_new (app, *store_out);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  ih_ui_wait_for (ih_ui_widget_mapped, window);
  return window;
}

static void
close_window (IhWindow *window,
              IhStore  *store)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (store);
}

/* The build's Welsh catalogue is used and the window shows it */
static void
test_welsh (void)
{
  g_autoptr(IhStore) store = NULL;
  const char *library = g_dgettext (GETTEXT_PACKAGE, "_Library");
  const char *record = g_dgettext (GETTEXT_PACKAGE, "_Record");
  g_autofree char *library_label = NULL;
  g_autofree char *record_label = NULL;
  IhWindow *window;

  /* The catalogue is there and has these words (po/cy.po) */
  g_assert_cmpstr (library, !=, "_Library");
  g_assert_cmpstr (record, !=, "_Record");

  window = open_window (&store);
  /* A development build (-Dprofile=development) has the striped header bar */
  g_assert_cmpint (gtk_widget_has_css_class (GTK_WIDGET (window), "devel"), ==,
                   g_strcmp0 (PROFILE, "development") == 0);
  library_label = without_mnemonic (library);
  record_label = without_mnemonic (record);
  g_assert_nonnull (ih_ui_find_label (GTK_WIDGET (window), library_label));
  g_assert_nonnull (ih_ui_find_label (GTK_WIDGET (window), record_label));
  /* and nothing is left showing the English word */
  g_assert_null (ih_ui_find_label (GTK_WIDGET (window), "Library"));
  ih_ui_save_png (GTK_WIDGET (window), "window-welsh.png");

  ih_window_set_view (window, "record");
  /* let the view switcher restyle the chosen button before drawing */
  ih_ui_settle ();
  ih_ui_save_png (GTK_WIDGET (window), "record-welsh.png");
  close_window (window, g_steal_pointer (&store));
}

/* The Library's five filter chips are longer in Welsh than the list is
 * wide: they wrap, so every chip is drawn whole inside the list, and Tab
 * goes from chip to chip */
static void
test_welsh_facets (void)
{
  static const char *const names[] = { "theme", "kind", "place", "sentiment", "year" };
  g_autoptr(IhStore) store = NULL;
  GtkWidget *library;
  GtkWidget *entry;
  GtkWidget *pane;
  GtkWidget *chips[G_N_ELEMENTS (names)];
  guint reached = 0;
  IhWindow *window;

  window = open_window (&store);
  ih_window_set_view (window, "library");
  library = ih_window_get_library (window);
  entry = ih_ui_find_child (library, GTK_TYPE_SEARCH_ENTRY, NULL);
  g_assert_nonnull (entry);
  /* The list pane: the box holding the search entry and the chips */
  pane = gtk_widget_get_parent (entry);
  ih_ui_settle ();

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      graphene_rect_t bounds;

      chips[i] = ih_ui_find_child (library, GTK_TYPE_MENU_BUTTON, names[i]);
      g_assert_nonnull (chips[i]);
      g_assert_true (gtk_widget_get_mapped (chips[i]));
      g_assert_true (gtk_widget_compute_bounds (chips[i], pane, &bounds));
      g_test_message ("%s: x %.0f, y %.0f, width %.0f in a pane %d wide", names[i],
                      bounds.origin.x, bounds.origin.y, bounds.size.width, gtk_widget_get_width (pane));
      g_assert_cmpfloat (bounds.size.width, >, 0);
      g_assert_cmpfloat (bounds.origin.x, >=, 0);
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (pane));
      /* at its own width, not stretched to a column */
      {
        int natural;

        gtk_widget_measure (chips[i], GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
        g_assert_cmpfloat (bounds.size.width, ==, natural);
      }
      /* and no chip over another */
      for (guint j = 0; j < i; j++)
        {
          graphene_rect_t other;

          g_assert_true (gtk_widget_compute_bounds (chips[j], pane, &other));
          g_assert_false (graphene_rect_intersection (&bounds, &other, NULL));
        }
    }

  /* From the search entry, Tab reaches the chips one after another */
  gtk_widget_grab_focus (entry);
  for (guint step = 0; step < 40 && reached < G_N_ELEMENTS (names); step++)
    {
      GtkWidget *focus;

      g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_assert_nonnull (focus);
      if (focus == chips[reached] || gtk_widget_is_ancestor (focus, chips[reached]))
        reached++;
    }
  g_assert_cmpuint (reached, ==, G_N_ELEMENTS (names));

  ih_ui_save_png (GTK_WIDGET (window), "library-welsh.png");
  close_window (window, g_steal_pointer (&store));
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

/* With help: URIs unhandled, F1 opens the HTML guide in the browser */
static void
test_help_html_fallback (void)
{
  g_autoptr(IhStore) store = NULL;
  g_autofree char *launched = g_build_filename (home, "launched", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *index = NULL;
  g_autoptr(GError) error = NULL;
  IhWindow *window;

  /* In Welsh, the Welsh pages */
  index = g_build_filename (g_getenv ("INSIGHT_HUB_HELP_HTML"), "cy", "index.html", NULL);
  g_assert_true (g_file_test (index, G_FILE_TEST_IS_REGULAR));
  expected = g_filename_to_uri (index, NULL, NULL);

  window = open_window (&store);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.help", NULL));
  ih_ui_wait_for (file_exists, launched);

  /* The stand-in browser writes the URI it was given, then a newline */
  for (gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC; ; )
    {
      g_clear_pointer (&contents, g_free);
      g_file_get_contents (launched, &contents, NULL, &error);
      g_assert_no_error (error);
      if (g_str_has_suffix (contents, "\n"))
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10000);
    }
  g_strchomp (contents);
  /* a browser may be handed a path or a URI: the same file either way */
  {
    g_autoptr(GFile) opened = g_file_new_for_commandline_arg (contents);
    g_autoptr(GFile) wanted = g_file_new_for_uri (expected);

    g_test_message ("the browser was asked to open %s", contents);
    g_assert_true (g_file_equal (opened, wanted));
  }
  close_window (window, g_steal_pointer (&store));
}

/* A desktop where help: has no handler and web pages open in a stand-in
 * browser that records what it was asked to open */
static void
setup_desktop (void)
{
  g_autofree char *apps = g_build_filename (home, "data", "applications", NULL);
  g_autofree char *config = g_build_filename (home, "config", NULL);
  g_autofree char *browser = g_build_filename (home, "browser.sh", NULL);
  g_autofree char *launched = g_build_filename (home, "launched", NULL);
  g_autofree char *script = NULL;
  g_autofree char *desktop = NULL;
  g_autofree char *desktop_path = g_build_filename (apps, "ih-test-browser.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (config, "mimeapps.list", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (apps, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config, 0700), ==, 0);

  script = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$1\" > '%s.tmp' && mv '%s.tmp' '%s'\n",
                            launched, launched, launched);
  g_file_set_contents (browser, script, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (browser, 0755), ==, 0);

  desktop = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test Browser\n"
                             "Exec=%s %%u\nMimeType=text/html;\nNoDisplay=true\n", browser);
  g_file_set_contents (desktop_path, desktop, -1, &error);
  g_assert_no_error (error);

  /* Yelp may be installed: take help: away from it */
  g_file_set_contents (mimeapps,
                       "[Default Applications]\ntext/html=ih-test-browser.desktop\n"
                       "[Removed Associations]\nx-scheme-handler/help=yelp.desktop\n",
                       -1, &error);
  g_assert_no_error (error);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;
  g_autofree char *config = NULL;
  g_autofree char *data = NULL;
  g_autofree char *localedir = NULL;
  g_autofree char *help_html = NULL;
  int status;

  home = g_dir_make_tmp ("test-desktop-XXXXXX", NULL);
  state = g_build_filename (home, "state", NULL);
  config = g_build_filename (home, "config", NULL);
  data = g_build_filename (home, "data", NULL);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  setup_desktop ();

  /* Welsh, from the catalogue this build made (po/) */
  g_setenv ("LANGUAGE", "cy", TRUE);
  setlocale (LC_ALL, "");
  /* g_test_build_filename() needs gtk_test_init(), which must come after
   * LANGUAGE is set */
  g_assert_nonnull (g_getenv ("G_TEST_BUILDDIR"));
  localedir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  help_html = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "help", "html", NULL);
  g_setenv ("INSIGHT_HUB_HELP_HTML", help_html, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = g_object_new (IH_TYPE_APPLICATION,
                      "application-id", IH_APPLICATION_ID,
                      "flags", G_APPLICATION_NON_UNIQUE,
                      NULL);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/desktop/welsh", test_welsh);
  g_test_add_func ("/desktop/welsh-facets", test_welsh_facets);
  g_test_add_func ("/desktop/help-html-fallback", test_help_html_fallback);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
