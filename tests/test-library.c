/* test-library.c — the library view driven through its real widgets under
 * Xvfb: facet counts and filters, the detail pane, and the fold to one
 * column, rendered to PNGs to look at
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "ih-library-view.h"
#include "ih-search-model.h"
#include "ih-ui-test.h"

#define N_INSIGHTS 30

static const char *theme_names[] = { "Transport", "Mental health", "Staff attitude" };
static const char *sentiments[] = { "negative", "positive", "neutral", "mixed" };

typedef struct
{
  char          *dir;
  IhStore       *store;
  GtkWindow     *window;
  IhLibraryView *library;
  char          *theme_ids[3];
  GHashTable    *texts;              /* insight id → text */
  /* What the data set holds, for the expected counts */
  int            theme_of[N_INSIGHTS];
  int            year_of[N_INSIGHTS];
  gboolean       clinic[N_INSIGHTS];
} Fixture;

static void
save (IhStore  *store,
      gpointer  record)
{
  g_autoptr(GError) error = NULL;

  ih_store_save (store, record, &error);
  g_assert_no_error (error);
}

static char *
add_activity (IhStore    *store,
              const char *title,
              const char *place)
{
  g_autoptr(IhActivity) activity = ih_activity_new ();

  activity->title = g_strdup (title);
  activity->kind = g_strdup ("workshop");
  activity->place = g_strdup (place);
  save (store, activity);
  return g_strdup (activity->parent.id);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *stroud = NULL;
  g_autofree char *wirral = NULL;

  f->dir = g_dir_make_tmp ("test-library-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "library.db", NULL);
  f->store = ih_store_open (path, &error);
  g_assert_no_error (error);
  f->texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < G_N_ELEMENTS (theme_names); i++)
    {
      g_autoptr(IhTheme) theme = ih_theme_new ();

      theme->name = g_strdup (theme_names[i]);
      save (f->store, theme);
      f->theme_ids[i] = g_strdup (theme->parent.id);
    }
  stroud = add_activity (f->store, "Stroud maternity workshop", "Stroud");
  wirral = add_activity (f->store, "Wirral travel survey", "Wirral");

  for (int i = 0; i < N_INSIGHTS; i++)
    {
      g_autoptr(IhInsight) insight = ih_insight_new ();

      f->theme_of[i] = i % 3;
      f->year_of[i] = 2021 + (i % 4);
      f->clinic[i] = i % 5 != 0;

      if (f->clinic[i])
        insight->text = g_strdup_printf ("Visit %d: the clinic moved and nobody told us, so the journey "
                                         "took two buses and most of a morning with a pushchair.", i);
      else
        insight->text = g_strdup_printf ("Visit %d: parking costs more than the prescription.", i);
      insight->kind = g_strdup (i % 2 ? "quote" : "story");
      insight->date = g_strdup_printf ("%d-%02d-%02d", f->year_of[i], 1 + i % 12, 1 + i % 28);
      insight->sentiment = g_strdup (sentiments[i % 4]);
      insight->activity_id = g_strdup (i % 2 ? stroud : wirral);
      insight->theme_ids = g_new0 (char *, 2);
      insight->theme_ids[0] = g_strdup (f->theme_ids[f->theme_of[i]]);
      if (i % 7 == 0)
        {
          insight->age_band = g_strdup (ih_vocab_keys ("age-band")[0]);
          insight->postcode_district = g_strdup ("GL5");
        }
      save (f->store, insight);
      g_hash_table_insert (f->texts, g_strdup (insight->parent.id), g_strdup (insight->text));
    }

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
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFileEnumerator) children = NULL;
  GFile *child;

  gtk_window_destroy (f->window);
  ih_ui_settle ();
  g_clear_object (&f->store);
  g_clear_pointer (&f->texts, g_hash_table_unref);
  for (guint i = 0; i < G_N_ELEMENTS (f->theme_ids); i++)
    g_clear_pointer (&f->theme_ids[i], g_free);

  dir = g_file_new_for_path (f->dir);
  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  while (children && g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) && child)
    g_file_delete (child, NULL, NULL);
  g_file_delete (dir, NULL, NULL);
  g_clear_pointer (&f->dir, g_free);
}

static GtkEditable *
get_entry (Fixture *f)
{
  GtkWidget *entry = ih_ui_find_child (GTK_WIDGET (f->library), GTK_TYPE_SEARCH_ENTRY, NULL);

  g_assert_nonnull (entry);
  return GTK_EDITABLE (entry);
}

static GtkListBox *
facet_list (Fixture    *f,
            const char *name)
{
  GtkWidget *button = ih_ui_find_child (GTK_WIDGET (f->library), GTK_TYPE_MENU_BUTTON, name);
  GtkWidget *list;

  g_assert_nonnull (button);
  list = ih_ui_find_child (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button))), GTK_TYPE_LIST_BOX, NULL);
  g_assert_nonnull (list);
  return GTK_LIST_BOX (list);
}

/* The row's value label and count label */
static void
row_labels (GtkListBoxRow  *row,
            const char    **label,
            const char    **count)
{
  GtkWidget *box = gtk_list_box_row_get_child (row);
  GtkWidget *first = gtk_widget_get_first_child (box);

  *label = gtk_label_get_text (GTK_LABEL (first));
  *count = gtk_label_get_text (GTK_LABEL (gtk_widget_get_next_sibling (first)));
}

static GtkListBoxRow *
find_facet_row (Fixture    *f,
                const char *facet,
                const char *label)
{
  GtkListBox *list = facet_list (f, facet);
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      const char *l, *c;

      row_labels (row, &l, &c);
      if (g_strcmp0 (l, label) == 0)
        return row;
    }
  return NULL;
}

static gboolean popover_drawn (gpointer data);

typedef struct
{
  Fixture    *f;
  const char *query;
  guint       n_items;
} Wanted;

/* The search for @query has run, with its facets */
static gboolean
searched (gpointer data)
{
  Wanted *want = data;
  IhSearchModel *model = ih_library_view_get_model (want->f->library);

  return g_strcmp0 (ih_search_model_get_query (model), want->query) == 0 &&
         !ih_search_model_get_busy (model) &&
         !ih_library_view_get_facets_busy (want->f->library) &&
         g_list_model_get_n_items (G_LIST_MODEL (model)) == want->n_items;
}

/* The search for @query has run, whatever it found */
static gboolean
searched_text (gpointer data)
{
  Wanted *want = data;
  IhSearchModel *model = ih_library_view_get_model (want->f->library);

  return g_strcmp0 (ih_search_model_get_query (model), want->query) == 0 &&
         !ih_search_model_get_busy (model) &&
         !ih_library_view_get_facets_busy (want->f->library);
}

static void
test_facets (Fixture       *f,
             gconstpointer  data)
{
  guint n_clinic = 0, n_theme[3] = { 0 }, n_mental_2022 = 0;
  Wanted want = { f, "clinic", 0 };
  GtkListBoxRow *row;

  for (int i = 0; i < N_INSIGHTS; i++)
    if (f->clinic[i])
      {
        n_clinic++;
        n_theme[f->theme_of[i]]++;
        if (f->theme_of[i] == 1 && f->year_of[i] == 2022)
          n_mental_2022++;
      }

  gtk_editable_set_text (get_entry (f), "clinic");
  want.n_items = n_clinic;
  ih_ui_wait_for (searched, &want);
  g_assert_cmpstr (ih_library_view_get_state (f->library), ==, "results");

  /* The theme popover lists each theme with its count for this text */
  g_assert_cmpint (gtk_list_box_get_row_at_index (facet_list (f, "theme"), 3) == NULL, ==, TRUE);
  for (guint t = 0; t < G_N_ELEMENTS (theme_names); t++)
    {
      g_autofree char *expected = g_strdup_printf ("%u", n_theme[t]);
      const char *label, *count;

      row = find_facet_row (f, "theme", theme_names[t]);
      g_assert_nonnull (row);
      row_labels (row, &label, &count);
      g_assert_cmpstr (count, ==, expected);
    }
  /* Places and years are there too */
  g_assert_nonnull (find_facet_row (f, "place", "Stroud"));
  g_assert_nonnull (find_facet_row (f, "place", "Wirral"));
  g_assert_nonnull (find_facet_row (f, "year", "2022"));
  g_assert_nonnull (find_facet_row (f, "sentiment", "Negative"));

  /* Every filter button says what it does */
  for (const char *const *name = (const char *[]) { "theme", "kind", "place", "sentiment", "year", NULL }; *name; name++)
    {
      GtkWidget *button = ih_ui_find_child (GTK_WIDGET (f->library), GTK_TYPE_MENU_BUTTON, *name);
      g_autofree char *tooltip = g_strdup_printf ("Filter by %s", *name);

      g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, tooltip);
    }

  /* The popover, open, to look at */
  {
    GtkWidget *button = ih_ui_find_child (GTK_WIDGET (f->library), GTK_TYPE_MENU_BUTTON, "theme");
    GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));

    gtk_menu_button_popup (GTK_MENU_BUTTON (button));
    ih_ui_wait_for (popover_drawn, popover);
    ih_ui_settle ();
    ih_ui_save_png (GTK_WIDGET (popover), "library-facets-popover.png");
    gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  }

  /* Choosing a value, as a click does: the filter shows in the entry */
  row = find_facet_row (f, "theme", "Mental health");
  gtk_widget_activate (GTK_WIDGET (row));
  g_assert_cmpstr (gtk_editable_get_text (get_entry (f)), ==, "clinic theme:\"Mental health\"");
  want.query = "clinic theme:\"Mental health\"";
  want.n_items = n_theme[1];
  ih_ui_wait_for (searched, &want);
  g_assert_cmpuint (n_theme[1], <, n_clinic);

  /* The facets follow the new text: one theme left */
  g_assert_nonnull (find_facet_row (f, "theme", "Mental health"));
  g_assert_null (find_facet_row (f, "theme", "Transport"));

  /* Choosing it again adds nothing */
  ih_library_view_apply_filter (f->library, "theme", "Mental health");
  g_assert_cmpstr (gtk_editable_get_text (get_entry (f)), ==, "clinic theme:\"Mental health\"");

  /* A year is a range */
  gtk_widget_activate (GTK_WIDGET (find_facet_row (f, "year", "2022")));
  want.query = "clinic theme:\"Mental health\" after:2022 before:2023";
  g_assert_cmpstr (gtk_editable_get_text (get_entry (f)), ==, want.query);
  want.n_items = n_mental_2022;
  ih_ui_wait_for (searched, &want);

  /* Another year replaces it rather than contradicting it */
  ih_library_view_apply_filter (f->library, "year", "2021");
  g_assert_cmpstr (gtk_editable_get_text (get_entry (f)), ==,
                   "clinic theme:\"Mental health\" after:2021 before:2022");

  /* One word stays bare; a key works as well as a label */
  gtk_editable_set_text (get_entry (f), "");
  ih_library_view_apply_filter (f->library, "sentiment", "negative");
  g_assert_cmpstr (gtk_editable_get_text (get_entry (f)), ==, "sentiment:negative");
  want.query = "sentiment:negative";
  want.n_items = (N_INSIGHTS + 3) / 4;
  ih_ui_wait_for (searched, &want);
  ih_library_view_apply_filter (f->library, "theme", f->theme_ids[2]);
  g_assert_cmpstr (gtk_editable_get_text (get_entry (f)), ==, "sentiment:negative theme:\"Staff attitude\"");

  /* Back to the theme filter, a row chosen, for the picture */
  gtk_editable_set_text (get_entry (f), "clinic");
  want.query = "clinic";
  want.n_items = n_clinic;
  ih_ui_wait_for (searched, &want);
  gtk_widget_activate (GTK_WIDGET (find_facet_row (f, "theme", "Mental health")));
  want.query = "clinic theme:\"Mental health\"";
  want.n_items = n_theme[1];
  ih_ui_wait_for (searched, &want);
  {
    GtkWidget *list_view = ih_ui_find_child (GTK_WIDGET (f->library), GTK_TYPE_LIST_VIEW, NULL);

    gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (list_view))), 0);
  }
  ih_ui_settle ();
  ih_ui_save_png (GTK_WIDGET (f->window), "library-facets.png");
}

typedef struct
{
  Fixture *f;
  char    *text;
} DetailWanted;

static gboolean
detail_shows (gpointer data)
{
  DetailWanted *want = data;
  GtkWidget *label = ih_ui_find_child (GTK_WIDGET (want->f->library), GTK_TYPE_LABEL, "detail-text");

  return label != NULL && gtk_widget_is_drawable (label) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), want->text) == 0;
}

static gboolean
popover_drawn (gpointer data)
{
  GtkWidget *popover = data;

  return gtk_widget_get_mapped (popover) && gtk_widget_get_width (popover) > 0 &&
         gtk_widget_get_height (popover) > 0;
}

static gboolean
leaflet_folded (gpointer data)
{
  return adw_leaflet_get_folded (data);
}

static gboolean
leaflet_unfolded (gpointer data)
{
  return !adw_leaflet_get_folded (data);
}

static void
test_detail (Fixture       *f,
             gconstpointer  data)
{
  Wanted want = { f, "", N_INSIGHTS };
  DetailWanted detail = { f, NULL };
  GtkWidget *list_view = ih_ui_find_child (GTK_WIDGET (f->library), GTK_TYPE_LIST_VIEW, NULL);
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (list_view)));
  AdwLeaflet *leaflet = ADW_LEAFLET (ih_ui_find_child (GTK_WIDGET (f->library), ADW_TYPE_LEAFLET, NULL));
  IhSearchModel *model = ih_library_view_get_model (f->library);
  GtkWidget *detail_box;

  ih_ui_wait_for (searched, &want);
  ih_ui_wait_for (leaflet_unfolded, leaflet);

  /* Wide: selecting row 0 shows it in full beside the list */
  gtk_single_selection_set_selected (selection, 0);
  {
    g_autoptr(IhHitItem) item = g_list_model_get_item (G_LIST_MODEL (model), 0);

    /* Rows arrive a window at a time after the count */
    ih_ui_wait_for ((IhUiCondition) ih_hit_item_get_loaded, item);
    detail.text = g_strdup (g_hash_table_lookup (f->texts, ih_hit_item_get_id (item)));
  }
  g_assert_nonnull (detail.text);
  ih_ui_wait_for (detail_shows, &detail);

  detail_box = gtk_widget_get_ancestor (ih_ui_find_child (GTK_WIDGET (f->library), GTK_TYPE_LABEL, "detail-text"),
                                        GTK_TYPE_STACK);
  /* The activity and the theme, by name */
  g_assert_true (ih_ui_find_label (detail_box, "Wirral travel survey") != NULL || ih_ui_find_label (detail_box, "Stroud maternity workshop") != NULL);
  g_assert_true (ih_ui_find_label (detail_box, "Transport") != NULL || ih_ui_find_label (detail_box, "Mental health") != NULL ||
                 ih_ui_find_label (detail_box, "Staff attitude") != NULL);
  g_assert_true (ih_ui_find_label (detail_box, "Consent") != NULL);
  g_assert_true (ih_ui_find_label (detail_box, "Restricted") != NULL);

  /* One with a person's details: they show under their own heading */
  {
    guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

    for (guint i = 0; i < n; i++)
      {
        g_autoptr(IhHitItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);
        const char *text = g_hash_table_lookup (f->texts, ih_hit_item_get_id (item));

        if (!g_str_has_prefix (text, "Visit 7:"))
          continue;
        /* "You said, we did": an action taken because of it */
        {
          g_autoptr(IhAction) action = ih_action_new ();
          g_autoptr(GError) error = NULL;
          const char *ids[] = { ih_hit_item_get_id (item), NULL };

          action->title = g_strdup ("Bus timetable sent with every appointment letter");
          action->status = g_strdup ("done");
          action->fed_back_date = g_strdup ("2025-03-03");
          action->insight_ids = g_strdupv ((char **) ids);
          g_assert_true (ih_store_save (f->store, action, &error));
          g_assert_no_error (error);
        }
        gtk_single_selection_set_selected (selection, i);
        g_free (detail.text);
        detail.text = g_strdup (text);
        ih_ui_wait_for (detail_shows, &detail);
        g_assert_true (ih_ui_find_label (detail_box, "About the Person") != NULL);
        g_assert_true (ih_ui_find_label (detail_box, "GL5") != NULL);
        g_assert_true (ih_ui_find_label (detail_box, "Actions Taken") != NULL);
        g_assert_true (ih_ui_find_label (detail_box, "Bus timetable sent with every appointment letter (people told 3 March 2025)") != NULL);
        ih_ui_save_png (gtk_widget_get_ancestor (detail_box, GTK_TYPE_WINDOW), "library-detail-actions.png");
      }
  }
  ih_ui_settle ();
  ih_ui_save_png (GTK_WIDGET (f->window), "library-detail-wide.png");

  /* Narrow: one column; opening a row shows the detail with a way back */
  gtk_window_set_default_size (f->window, 360, 640);
  ih_ui_wait_for (leaflet_folded, leaflet);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "list");
  g_signal_emit_by_name (list_view, "activate", 1);
  {
    g_autoptr(IhHitItem) item = g_list_model_get_item (G_LIST_MODEL (model), 1);

    g_free (detail.text);
    detail.text = g_strdup (g_hash_table_lookup (f->texts, ih_hit_item_get_id (item)));
  }
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "detail");
  ih_ui_wait_for (detail_shows, &detail);
  ih_ui_settle ();
  ih_ui_save_png (GTK_WIDGET (f->window), "library-detail-narrow.png");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, 400);

  /* Escape goes back to the list too */
  g_assert_true (ih_ui_press_key (gtk_root_get_focus (GTK_ROOT (f->window)) ?: detail_box, GDK_KEY_Escape, 0));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "list");
  g_signal_emit_by_name (list_view, "activate", 1);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "detail");

  {
    /* The first button in the detail is the back button */
    GtkWidget *back = ih_ui_find_child (gtk_widget_get_parent (detail_box), GTK_TYPE_BUTTON, NULL);
    g_assert_nonnull (back);
    g_assert_true (gtk_widget_get_visible (back));
    g_signal_emit_by_name (back, "clicked");
  }
  ih_ui_settle ();
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "list");
  ih_ui_save_png (GTK_WIDGET (f->window), "library-narrow.png");

  g_free (detail.text);
}

/* Escape in the search entry clears the search: everything again */
static void
test_escape_search (Fixture       *f,
                    gconstpointer  data)
{
  Wanted all = { f, "", N_INSIGHTS };
  GtkEditable *entry = get_entry (f);
  GtkWidget *text = gtk_editable_get_delegate (entry) ? GTK_WIDGET (gtk_editable_get_delegate (entry)) : GTK_WIDGET (entry);
  IhSearchModel *model = ih_library_view_get_model (f->library);

  ih_ui_wait_for (searched, &all);
  gtk_widget_grab_focus (GTK_WIDGET (entry));
  gtk_editable_set_text (entry, "bus");
  {
    Wanted some = { f, "bus", 0 };

    ih_ui_wait_for (searched_text, &some);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), <, N_INSIGHTS);
  }

  g_assert_true (ih_ui_press_key (text, GDK_KEY_Escape, 0));
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "");
  ih_ui_wait_for (searched, &all);
}

typedef struct
{
  GtkLabel *label;
  char     *first_text;
} CountSeen;

static void
count_label_at_first_change_cb (GListModel *model,
                                guint       position,
                                guint       removed,
                                guint       added,
                                CountSeen  *seen)
{
  /* The view's own handler ran first: the label is as it is shown */
  if (seen->first_text == NULL)
    seen->first_text = g_strdup (gtk_label_get_text (seen->label));
}

/* With more matches than are counted at once, the list shows first and
 * says it is still counting; the exact count follows */
static void
test_count_later (Fixture       *f,
                  gconstpointer  data)
{
  Wanted all = { f, "", N_INSIGHTS };
  g_autoptr(GError) error = NULL;
  guint n = N_INSIGHTS + IH_SEARCH_MODEL_EXACT_UP_TO;
  IhSearchModel *model = ih_library_view_get_model (f->library);
  CountSeen seen = { GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (f->library), IH_TYPE_LIBRARY_VIEW, "count_label")), NULL };
  g_autofree char *exact = g_strdup_printf ("%u items, newest first", n);
  g_autofree char *bound = NULL;
  gulong handler;

  ih_ui_wait_for (searched, &all);
  g_assert_true (ih_store_begin (f->store, &error));
  for (guint i = 0; i < IH_SEARCH_MODEL_EXACT_UP_TO; i++)
    {
      g_autoptr(IhInsight) insight = ih_insight_new ();

      insight->text = g_strdup_printf ("Comment %u about the waiting room", i);
      save (f->store, insight);
    }
  g_assert_true (ih_store_commit (f->store, &error));

  handler = g_signal_connect (model, "items-changed", G_CALLBACK (count_label_at_first_change_cb), &seen);
  ih_library_view_refresh (f->library);
  all.n_items = n;
  ih_ui_wait_for (searched, &all);
  g_signal_handler_disconnect (model, handler);

  /* Grouped as the locale groups thousands */
  bound = g_strdup_printf ("More than %'d items, newest first, counting…", IH_SEARCH_MODEL_EXACT_UP_TO);
  g_assert_cmpstr (seen.first_text, ==, bound);
  g_assert_cmpstr (gtk_label_get_text (seen.label), ==, exact);
  g_free (seen.first_text);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/library/facets", Fixture, NULL, fixture_setup, test_facets, fixture_teardown);
  g_test_add ("/library/detail", Fixture, NULL, fixture_setup, test_detail, fixture_teardown);
  g_test_add ("/library/count-later", Fixture, NULL, fixture_setup, test_count_later, fixture_teardown);
  g_test_add ("/library/escape-search", Fixture, NULL, fixture_setup, test_escape_search, fixture_teardown);

  return g_test_run ();
}
