/* ih-library-view.c — search everything people said: a search entry with
 * facet filters over a list that loads its rows lazily, beside the insight
 * chosen in it
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-library-view"

#include "config.h"

#include <glib/gi18n.h>

#include "ih-actions.h"
#include "ih-chip-box.h"
#include "ih-file-chooser.h"
#include "ih-import.h"
#include "ih-library-view.h"
#include "ih-paper-window.h"
#include "ih-papers.h"
#include "ih-query.h"
#include "ih-report.h"
#include "ih-represent-window.h"
#include "ih-resources.h"
#include "ih-search.h"

/* Board paper pages listed before "N more pages", and read at most */
#define PAPERS_SHOWN 3
#define PAPERS_LIMIT 50

struct _IhLibraryView
{
  GtkWidget       parent_instance;

  /* Template Widgets */
  AdwLeaflet     *leaflet;
  GtkWidget      *box;
  GtkSearchEntry *search_entry;
  IhChipBox      *facet_box;
  GtkLabel       *count_label;
  GtkStack       *state_stack;
  GtkListView    *list_view;
  AdwStatusPage  *error_page;
  GtkWidget      *detail_box;
  GtkWidget      *back_button;
  GtkStack       *detail_stack;
  GtkScrolledWindow *detail_scroller;
  GtkLabel       *meta_label;
  GtkLabel       *text_label;
  GtkGrid        *fields_grid;
  AdwStatusPage  *detail_error_page;
  AdwStatusPage  *no_results_page;
  GtkWidget      *papers_box;
  GtkExpander    *papers_expander;
  GtkListBox     *papers_list;

  /* Borrowed References: one menu button and list per facet */
  GtkMenuButton  *facet_buttons[5];
  GtkListBox     *facet_lists[5];

  /* Owned References */
  IhStore        *store;
  IhSearchModel  *model;
  GtkSingleSelection *selection;
  GCancellable   *facets_cancellable;
  GCancellable   *export_cancellable; /* while an export runs, else NULL */
  GPtrArray      *facets;             /* of IhFacet, for the current text */
  IhHitItem      *pending_item;       /* selected before its row arrived */
  char           *shown_id;           /* the insight in the detail pane */
  GCancellable   *papers_cancellable; /* the board paper search running */
  GPtrArray      *paper_hits;         /* of IhPaperHit, for the current text */
  GtkWidget      *papers_more_row;    /* "N more pages", or NULL */

  gboolean        facets_busy;
  gboolean        exporting;          /* choosing a file or writing it */
  gboolean        facets_stale;       /* not worked out for the current text */
  gboolean        papers_busy;
  gboolean        papers_all;         /* "N more pages" was chosen */
};

/* The facets ih_search_facets() returns, in its order */
static const struct {
  const char *name;
  const char *label;
  const char *accessible;
} facet_info[] = {
  { "theme",     N_("Themes"),    N_("Filter by theme") },
  { "kind",      N_("Kinds"),     N_("Filter by kind") },
  { "place",     N_("Places"),    N_("Filter by place") },
  { "sentiment", N_("Sentiment"), N_("Filter by sentiment") },
  { "year",      N_("Years"),     N_("Filter by year") },
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum {
  EXPORTED,
  REPORT_WRITTEN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (IhLibraryView, ih_library_view, GTK_TYPE_WIDGET)

static void start_facets (IhLibraryView *self);
static char *format_count (gint64 count);
static void set_exporting (IhLibraryView *self,
                           gboolean       exporting);
static void export_file_chosen_cb (GObject *owner,
                                   GFile   *file,
                                   gpointer user_data);
static void show_insight (IhLibraryView *self,
                          const char    *id);
static void start_papers (IhLibraryView *self);

GtkWidget *
ih_library_view_new (IhStore *store)
{
  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  return g_object_new (IH_TYPE_LIBRARY_VIEW, "store", store, NULL);
}

void
ih_library_view_export (IhLibraryView *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = NULL;

  g_return_if_fail (IH_IS_LIBRARY_VIEW (self));

  if (self->exporting)
    return;

  /* One export at a time */
  set_exporting (self, TRUE);
  /* Translators: the file name offered for exported insight; keep .csv */
  name = g_strdup_printf (_("insight-%s.csv"), date);
  ih_file_chooser_choose_csv (GTK_WIDGET (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                              _("Export Results"), _("_Export"), name,
                              G_OBJECT (self), export_file_chosen_cb, NULL);
}

gboolean
ih_library_view_get_exporting (IhLibraryView *self)
{
  g_return_val_if_fail (IH_IS_LIBRARY_VIEW (self), FALSE);

  return self->exporting;
}

IhSearchModel *
ih_library_view_get_model (IhLibraryView *self)
{
  g_return_val_if_fail (IH_IS_LIBRARY_VIEW (self), NULL);
  return self->model;
}

void
ih_library_view_focus_search (IhLibraryView *self)
{
  g_return_if_fail (IH_IS_LIBRARY_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
ih_library_view_refresh (IhLibraryView *self)
{
  g_return_if_fail (IH_IS_LIBRARY_VIEW (self));

  ih_search_model_set_query (self->model, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  start_facets (self);
  start_papers (self);

  /* What was saved may be the insight on show */
  if (self->shown_id != NULL)
    {
      g_autofree char *id = g_strdup (self->shown_id);

      show_insight (self, id);
    }
}

const char *
ih_library_view_get_state (IhLibraryView *self)
{
  g_return_val_if_fail (IH_IS_LIBRARY_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->state_stack);
}

gboolean
ih_library_view_get_facets_busy (IhLibraryView *self)
{
  g_return_val_if_fail (IH_IS_LIBRARY_VIEW (self), FALSE);

  return self->facets_busy;
}

gboolean
ih_library_view_get_papers_busy (IhLibraryView *self)
{
  g_return_val_if_fail (IH_IS_LIBRARY_VIEW (self), FALSE);

  return self->papers_busy;
}

guint
ih_library_view_get_n_paper_hits (IhLibraryView *self)
{
  g_return_val_if_fail (IH_IS_LIBRARY_VIEW (self), 0);

  return self->paper_hits != NULL ? self->paper_hits->len : 0;
}

/* The first text between the match marks of @snippet: the words as the
 * page has them, for the paper window to find */
static char *
first_match (const char *snippet)
{
  const char *start;
  const char *end;

  if (snippet == NULL || (start = strchr (snippet, IH_HIT_MARK_START[0])) == NULL)
    return NULL;
  start++;
  end = strchr (start, IH_HIT_MARK_END[0]);
  if (end == NULL || end == start)
    return NULL;
  return g_strndup (start, end - start);
}

IhPaperWindow *
ih_library_view_open_paper_hit (IhLibraryView *self,
                                guint          index)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhPaper) paper = NULL;
  g_autofree char *path = NULL;
  g_autofree char *words = NULL;
  IhPaperHit *hit;
  IhPaperWindow *window;
  GtkRoot *root;

  g_return_val_if_fail (IH_IS_LIBRARY_VIEW (self), NULL);

  if (self->paper_hits == NULL || index >= self->paper_hits->len)
    return NULL;
  hit = g_ptr_array_index (self->paper_hits, index);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  window = ih_paper_window_new (GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL);

  paper = ih_store_load (self->store, &ih_paper_class, hit->paper_id, &error);
  if (paper != NULL && paper->parent.deleted)
    /* Since the search was run */
    g_set_error (&error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_FOUND,
                 _("“%s” has been deleted."), hit->paper_title);
  else if (paper != NULL)
    path = ih_papers_get_file (self->store, paper, &error);

  if (path == NULL)
    {
      /* Most often a paper a sync listed but has not fetched yet */
      ih_paper_window_show_unavailable (window, hit->paper_title, error);
      gtk_window_present (GTK_WINDOW (window));
      return window;
    }

  ih_paper_window_open (window, path, paper->title, paper->sha256);
  ih_paper_window_show_page (window, MAX (hit->page, 1) - 1);
  words = first_match (hit->snippet);
  if (words != NULL)
    ih_paper_window_find (window, words);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/*
 * Auxiliary methods
 */

static void
update_state (IhLibraryView *self)
{
  const char *error = ih_search_model_get_error (self->model);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  const char *query = ih_search_model_get_query (self->model);
  gboolean searching = query != NULL && *query != '\0';

  if (ih_search_model_get_busy (self->model) && n == 0 && error == NULL)
    return;

  if (error != NULL)
    {
      adw_status_page_set_description (self->error_page, error);
      gtk_stack_set_visible_child_name (self->state_stack, "error");
      gtk_label_set_text (self->count_label, "");
    }
  else if (n == 0)
    {
      gtk_stack_set_visible_child_name (self->state_stack, searching ? "no-results" : "empty");
      gtk_label_set_text (self->count_label, "");
    }
  else
    {
      g_autofree char *text = NULL;

      /* Many matches show before they are all counted */
      if (!ih_search_model_get_exact (self->model))
        {
          g_autofree char *bound = format_count (IH_SEARCH_MODEL_EXACT_UP_TO);

          if (searching)
            text = g_strdup_printf (_("More than %s matches, counting…"), bound);
          else
            text = g_strdup_printf (_("More than %s items, newest first, counting…"), bound);
        }
      else if (searching)
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u match", "%u matches", n), n);
      else
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item, newest first", "%u items, newest first", n), n);

      gtk_label_set_text (self->count_label, text);
      gtk_stack_set_visible_child_name (self->state_stack, "results");
    }
}

/*
 * Rows
 */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *snippet = gtk_label_new (NULL);
  GtkWidget *summary = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  gtk_label_set_xalign (GTK_LABEL (snippet), 0);
  gtk_label_set_wrap (GTK_LABEL (snippet), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (snippet), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (snippet), 3);
  gtk_label_set_ellipsize (GTK_LABEL (snippet), PANGO_ELLIPSIZE_END);

  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  gtk_label_set_ellipsize (GTK_LABEL (summary), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (summary, "dim-label");
  gtk_widget_add_css_class (summary, "caption");

  gtk_box_append (GTK_BOX (box), snippet);
  gtk_box_append (GTK_BOX (box), summary);
  gtk_list_item_set_child (list_item, box);
}

static void
update_row (GtkListItem *list_item)
{
  IhHitItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *snippet = gtk_widget_get_first_child (box);
  GtkWidget *summary = gtk_widget_get_next_sibling (snippet);
  g_autofree char *line = NULL;
  const char *date;

  if (item == NULL || !ih_hit_item_get_loaded (item))
    {
      /* Until its rows arrive: blank, the row keeps its height */
      gtk_label_set_text (GTK_LABEL (snippet), " ");
      gtk_label_set_text (GTK_LABEL (summary), " ");
      return;
    }

  gtk_label_set_markup (GTK_LABEL (snippet), ih_hit_item_get_snippet_markup (item));
  date = ih_hit_item_get_date (item);
  line = g_strjoin (" · ", date && *date ? date : _("No date"), ih_hit_item_get_summary (item), NULL);
  gtk_label_set_text (GTK_LABEL (summary), line);

  /* A screen reader reads the row as its text and where it came from */
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, gtk_label_get_text (GTK_LABEL (snippet)),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, line,
                                  -1);
}

static void
item_loaded_cb (IhHitItem   *item,
                GParamSpec  *pspec,
                GtkListItem *list_item)
{
  if (gtk_list_item_get_item (list_item) == (gpointer) item)
    update_row (list_item);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  IhHitItem *item = gtk_list_item_get_item (list_item);

  g_signal_connect_object (item, "notify::loaded", G_CALLBACK (item_loaded_cb), list_item, 0);
  update_row (list_item);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  IhHitItem *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, item_loaded_cb, list_item);
}

/*
 * Facets
 */

typedef struct
{
  IhStore *store;
  char    *text;
} FacetsData;

static void
facets_data_free (FacetsData *data)
{
  g_clear_object (&data->store);
  g_free (data->text);
  g_free (data);
}

static void
facets_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  FacetsData *data = task_data;
  g_autoptr(IhSearch) search = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *facets;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* A fresh search of our own: the model's belongs to its worker */
  search = ih_search_new (data->store, data->text, IH_QUERY_FLAG_PREFIX_LAST, &error);
  if (search == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Typing on cancels this in SQLite too, freeing the store at once */
  ih_search_set_cancellable (search, cancellable);

  if (g_task_return_error_if_cancelled (task))
    return;

  facets = ih_search_facets (search, &error);
  if (facets == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, facets, (GDestroyNotify) g_ptr_array_unref);
}

static char *
format_count (gint64 count)
{
  /* Grouped as the locale groups thousands: "1,204" */
  return g_strdup_printf ("%'" G_GINT64_FORMAT, count);
}

static GtkWidget *
facet_row_new (const char         *facet,
               const IhFacetValue *value)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  GtkWidget *label = gtk_label_new (value->label);
  g_autofree char *count = format_count (value->count);
  GtkWidget *count_label = gtk_label_new (count);
  g_autofree char *accessible = NULL;

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  gtk_widget_set_hexpand (label, TRUE);

  gtk_label_set_xalign (GTK_LABEL (count_label), 1);
  gtk_widget_add_css_class (count_label, "dim-label");
  gtk_widget_add_css_class (count_label, "numeric");

  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), count_label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_object_set_data_full (G_OBJECT (row), "facet-key", g_strdup (value->key), g_free);
  g_object_set_data_full (G_OBJECT (row), "facet-label", g_strdup (value->label), g_free);

  accessible = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %s match", "%s, %s matches",
                                             value->count > G_MAXULONG ? G_MAXULONG : (gulong) value->count),
                                value->label, count);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  return row;
}

static void
clear_list_box (GtkListBox *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static void
show_facets (IhLibraryView *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (facet_info); i++)
    {
      const IhFacet *facet = NULL;

      clear_list_box (self->facet_lists[i]);

      for (guint j = 0; self->facets != NULL && j < self->facets->len; j++)
        {
          const IhFacet *f = g_ptr_array_index (self->facets, j);

          if (g_strcmp0 (f->name, facet_info[i].name) == 0)
            facet = f;
        }

      for (guint j = 0; facet != NULL && j < facet->values->len; j++)
        gtk_list_box_append (self->facet_lists[i],
                             facet_row_new (facet->name, g_ptr_array_index (facet->values, j)));
    }
}

static void
facets_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  IhLibraryView *self = IH_LIBRARY_VIEW (source_object);
  g_autoptr(GError) error = NULL;
  GPtrArray *facets;

  facets = g_task_propagate_pointer (G_TASK (result), &error);

  /* A newer text took over, or the view went away */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->facets_busy = FALSE;
  g_clear_pointer (&self->facets, g_ptr_array_unref);

  /* A search that cannot be run has no facets; the list says why */
  self->facets = facets;
  show_facets (self);
}

static void
run_facets (IhLibraryView *self)
{
  g_autoptr(GTask) task = NULL;
  FacetsData *data;

  g_assert (IH_IS_LIBRARY_VIEW (self));

  g_cancellable_cancel (self->facets_cancellable);
  g_clear_object (&self->facets_cancellable);
  g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->export_cancellable);
  self->facets_cancellable = g_cancellable_new ();
  self->facets_busy = TRUE;
  self->facets_stale = FALSE;

  data = g_new0 (FacetsData, 1);
  data->store = g_object_ref (self->store);
  data->text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

  task = g_task_new (self, self->facets_cancellable, facets_cb, NULL);
  g_task_set_source_tag (task, start_facets);
  g_task_set_priority (task, G_PRIORITY_LOW);
  g_task_set_task_data (task, data, (GDestroyNotify) facets_data_free);
  g_task_run_in_thread (task, facets_worker);
}

/* Counts for a search are worked out as it is typed; for the whole
 * library (no search) only when a filter menu is opened, since that means
 * reading every insight. */
static void
start_facets (IhLibraryView *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));

  g_assert (IH_IS_LIBRARY_VIEW (self));

  if (*text != '\0')
    {
      run_facets (self);
      return;
    }

  /* The lists keep what they show until new counts arrive: an entry being
   * rewritten passes through empty for a moment */
  g_cancellable_cancel (self->facets_cancellable);
  self->facets_busy = FALSE;
  self->facets_stale = TRUE;
}

static void
facet_popover_show_cb (IhLibraryView *self,
                       GtkPopover    *popover)
{
  if (self->facets_stale)
    run_facets (self);
}

/* The label of @value (a key or a label) in the current facet @name */
static const char *
lookup_facet_label (IhLibraryView *self,
                    const char    *name,
                    const char    *value)
{
  for (guint i = 0; self->facets != NULL && i < self->facets->len; i++)
    {
      const IhFacet *facet = g_ptr_array_index (self->facets, i);

      if (g_strcmp0 (facet->name, name) != 0)
        continue;

      for (guint j = 0; j < facet->values->len; j++)
        {
          const IhFacetValue *v = g_ptr_array_index (facet->values, j);

          if (g_strcmp0 (v->key, value) == 0 || g_utf8_collate (v->label, value) == 0)
            return v->label;
        }
    }

  return NULL;
}

/* theme:Transport, or theme:"Mental health" when it is more than a word */
static char *
filter_term (const char *name,
             const char *value)
{
  g_autofree char *clean = NULL;
  gboolean plain = TRUE;

  /* A quote inside would end the phrase early */
  clean = g_strdup (value);
  g_strdelimit (clean, "\"", ' ');
  g_strstrip (clean);

  for (const char *p = clean; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isalnum (g_utf8_get_char (p)))
      plain = FALSE;

  if (plain)
    return g_strdup_printf ("%s:%s", name, clean);
  return g_strdup_printf ("%s:\"%s\"", name, clean);
}

void
ih_library_view_apply_filter (IhLibraryView *self,
                              const char    *facet,
                              const char    *value)
{
  g_autofree char *term = NULL;
  g_autofree char *text = NULL;
  g_autofree char *current = NULL;

  g_return_if_fail (IH_IS_LIBRARY_VIEW (self));
  g_return_if_fail (facet != NULL);
  g_return_if_fail (value != NULL && *value != '\0');

  current = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

  if (g_str_equal (facet, "year"))
    {
      guint64 year = 0;

      if (!g_ascii_string_to_unsigned (value, 10, 1, 9998, &year, NULL))
        {
          g_warning ("Not a year: %s", value);
          return;
        }

      /* One year at a time: earlier date filters would contradict it */
      {
        g_autoptr(GRegex) dates = g_regex_new ("(^|\\s)(after|before):\\S*", G_REGEX_CASELESS, 0, NULL);
        g_autofree char *without = g_regex_replace_literal (dates, current, -1, 0, "", 0, NULL);

        g_free (current);
        current = g_steal_pointer (&without);
      }
      term = g_strdup_printf ("after:%" G_GUINT64_FORMAT " before:%" G_GUINT64_FORMAT, year, year + 1);
    }
  else if (g_str_equal (facet, "theme"))
    {
      const char *label = lookup_facet_label (self, facet, value);
      g_autoptr(IhTheme) theme = NULL;

      /* Themes are keyed by id but searched by name */
      if (label == NULL && (theme = ih_store_load (self->store, &ih_theme_class, value, NULL)) != NULL)
        label = theme->name;
      term = filter_term (facet, label ? label : value);
    }
  else if (g_str_equal (facet, "kind") || g_str_equal (facet, "sentiment") || g_str_equal (facet, "place"))
    {
      term = filter_term (facet, value);
    }
  else
    {
      g_critical ("Unknown facet “%s”", facet);
      return;
    }

  g_strstrip (current);

  /* Choosing the same value twice adds nothing */
  if (strstr (current, term) != NULL)
    text = g_steal_pointer (&current);
  else if (*current == '\0')
    text = g_steal_pointer (&term);
  else
    text = g_strconcat (current, " ", term, NULL);

  /* The user sees the filter, and can edit it; the search runs now rather
   * than after the entry's delay */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  gtk_editable_set_position (GTK_EDITABLE (self->search_entry), -1);
  ih_search_model_set_query (self->model, text);
  start_facets (self);
}

static void
facet_row_activated_cb (GtkListBox    *list,
                        GtkListBoxRow *row,
                        IhLibraryView *self)
{
  const char *name = g_object_get_data (G_OBJECT (list), "facet-name");
  const char *key = g_object_get_data (G_OBJECT (row), "facet-key");
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (list), GTK_TYPE_POPOVER);

  g_assert (IH_IS_LIBRARY_VIEW (self));

  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));

  ih_library_view_apply_filter (self, name, key);
}

static void
add_facet_buttons (IhLibraryView *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (facet_info); i++)
    {
      GtkWidget *button = gtk_menu_button_new ();
      GtkWidget *popover = gtk_popover_new ();
      GtkWidget *scroller = gtk_scrolled_window_new ();
      GtkWidget *list = gtk_list_box_new ();
      GtkWidget *placeholder = gtk_label_new (_("Nothing to filter by"));

      gtk_widget_add_css_class (placeholder, "dim-label");
      gtk_widget_set_margin_top (placeholder, 12);
      gtk_widget_set_margin_bottom (placeholder, 12);
      gtk_widget_set_margin_start (placeholder, 12);
      gtk_widget_set_margin_end (placeholder, 12);
      gtk_list_box_set_placeholder (GTK_LIST_BOX (list), placeholder);
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_list_box_set_activate_on_single_click (GTK_LIST_BOX (list), TRUE);
      gtk_widget_add_css_class (list, "navigation-sidebar");
      g_object_set_data (G_OBJECT (list), "facet-name", (gpointer) facet_info[i].name);
      g_signal_connect_object (list, "row-activated", G_CALLBACK (facet_row_activated_cb), self, 0);
      gtk_accessible_update_property (GTK_ACCESSIBLE (list),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(facet_info[i].accessible),
                                      -1);

      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
      gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scroller), TRUE);
      gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 360);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
      gtk_widget_set_size_request (scroller, 220, -1);
      gtk_popover_set_child (GTK_POPOVER (popover), scroller);

      /* A compact label and arrow, so all five fit on one line beside the detail */
      {
        GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
        GtkWidget *label = gtk_label_new (_(facet_info[i].label));
        GtkWidget *arrow = gtk_image_new_from_icon_name ("pan-down-symbolic");

        gtk_box_append (GTK_BOX (content), label);
        gtk_box_append (GTK_BOX (content), arrow);
        gtk_menu_button_set_child (GTK_MENU_BUTTON (button), content);
      }
      gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
      g_signal_connect_object (popover, "show", G_CALLBACK (facet_popover_show_cb), self, G_CONNECT_SWAPPED);
      gtk_widget_set_name (button, facet_info[i].name);
      gtk_widget_set_tooltip_text (button, _(facet_info[i].accessible));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(facet_info[i].accessible),
                                      -1);

      ih_chip_box_append (self->facet_box, button);

      self->facet_buttons[i] = GTK_MENU_BUTTON (button);
      self->facet_lists[i] = GTK_LIST_BOX (list);
    }
}

/*
 * Detail
 */

static void
add_field (IhLibraryView *self,
           int           *row,
           const char    *name,
           const char    *value)
{
  GtkWidget *name_label;
  GtkWidget *value_label;

  if (value == NULL || *value == '\0')
    return;

  name_label = gtk_label_new (name);
  gtk_label_set_xalign (GTK_LABEL (name_label), 0);
  gtk_widget_set_valign (name_label, GTK_ALIGN_START);
  gtk_widget_add_css_class (name_label, "dim-label");

  value_label = gtk_label_new (value);
  gtk_label_set_xalign (GTK_LABEL (value_label), 0);
  gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_widget_set_hexpand (value_label, TRUE);

  gtk_grid_attach (self->fields_grid, name_label, 0, *row, 1, 1);
  gtk_grid_attach (self->fields_grid, value_label, 1, *row, 1, 1);
  (*row)++;
}

static void
add_heading (IhLibraryView *self,
             int           *row,
             const char    *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 12);
  gtk_grid_attach (self->fields_grid, label, 0, *row, 2, 1);
  (*row)++;
}

static const char *
vocab_label (const char *vocab,
             const char *key)
{
  const char *label;

  if (key == NULL || *key == '\0')
    return NULL;
  label = ih_vocab_label (vocab, key);
  return label ? label : key;
}

static char *
format_date (const char *date)
{
  int y, m, d;
  g_autoptr(GDateTime) dt = NULL;

  if (date == NULL || *date == '\0')
    return NULL;
  if (sscanf (date, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
      (dt = g_date_time_new_utc (y, m, d, 0, 0, 0)) == NULL)
    return g_strdup (date);

  /* TRANSLATORS: a date as in "12 March 2024", see strftime */
  return g_date_time_format (dt, _("%-d %B %Y"));
}

static void
show_insight (IhLibraryView *self,
              const char    *id)
{
  g_autoptr(IhInsight) insight = NULL;
  g_autoptr(IhActivity) activity = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) themes = g_string_new (NULL);
  g_autoptr(GPtrArray) meta = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *date = NULL;
  g_autofree char *meta_text = NULL;
  GtkWidget *child;
  gboolean has_person;
  int row = 0;

  g_assert (IH_IS_LIBRARY_VIEW (self));

  g_free (self->shown_id);
  self->shown_id = g_strdup (id);

  /* One record: cheap enough to read here */
  insight = ih_store_load (self->store, &ih_insight_class, id, &error);
  if (insight == NULL)
    {
      adw_status_page_set_description (self->detail_error_page, error->message);
      gtk_stack_set_visible_child_name (self->detail_stack, "error");
      return;
    }

  if (insight->activity_id != NULL)
    activity = ih_store_load (self->store, &ih_activity_class, insight->activity_id, NULL);

  for (guint i = 0; insight->theme_ids != NULL && insight->theme_ids[i] != NULL; i++)
    {
      g_autoptr(IhTheme) theme = ih_store_load (self->store, &ih_theme_class, insight->theme_ids[i], NULL);

      if (theme == NULL || theme->name == NULL)
        continue;
      if (themes->len > 0)
        g_string_append (themes, ", ");
      g_string_append (themes, theme->name);
    }

  date = format_date (insight->date);

  /* "12 March 2024 · Quote · Negative" over the text */
  if (date != NULL)
    g_ptr_array_add (meta, g_strdup (date));
  if (insight->kind != NULL)
    g_ptr_array_add (meta, g_strdup (vocab_label ("insight-kind", insight->kind)));
  if (insight->sentiment != NULL)
    g_ptr_array_add (meta, g_strdup (vocab_label ("sentiment", insight->sentiment)));
  g_ptr_array_add (meta, NULL);
  meta_text = g_strjoinv (" · ", (char **) meta->pdata);
  gtk_label_set_text (self->meta_label, meta_text);
  gtk_widget_set_visible (GTK_WIDGET (self->meta_label), *meta_text != '\0');

  gtk_label_set_text (self->text_label, insight->text ? insight->text : "");

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->fields_grid))) != NULL)
    gtk_grid_remove (self->fields_grid, child);

  /* Date, kind and sentiment are in the line over the text */
  add_field (self, &row, _("Activity"), activity ? activity->title : NULL);
  add_field (self, &row, _("Themes"), themes->len > 0 ? themes->str : _("None"));
  add_field (self, &row, _("Consent"), insight->consent ? vocab_label ("consent", insight->consent) : _("Not recorded"));
  add_field (self, &row, _("Restricted"),
             insight->restricted ? _("Yes, only for people allowed to see restricted insight") : _("No"));

  has_person = (insight->age_band && *insight->age_band) || (insight->sex && *insight->sex) ||
               (insight->ethnic_group && *insight->ethnic_group) ||
               (insight->disability && *insight->disability) ||
               (insight->postcode_district && *insight->postcode_district);
  if (has_person)
    {
      add_heading (self, &row, _("About the Person"));
      add_field (self, &row, _("Age"), vocab_label ("age-band", insight->age_band));
      add_field (self, &row, _("Sex"), vocab_label ("sex", insight->sex));
      add_field (self, &row, _("Ethnic group"), vocab_label ("ethnic-group", insight->ethnic_group));
      add_field (self, &row, _("Disability"), vocab_label ("disability", insight->disability));
      add_field (self, &row, _("Postcode district"), insight->postcode_district);
    }

  /* "You said, we did": what changed because of it */
  {
    g_autoptr(GPtrArray) actions = ih_actions_for_insight (self->store, id, NULL);

    if (actions != NULL && actions->len > 0)
      {
        add_heading (self, &row, _("Actions Taken"));
        for (guint i = 0; i < actions->len; i++)
          {
            IhAction *action = g_ptr_array_index (actions, i);
            g_autofree char *fed_back = format_date (action->fed_back_date);
            g_autofree char *value = NULL;
            const char *status = action->status ? vocab_label ("action-status", action->status) : _("Action");

            if (fed_back != NULL)
              /* Translators: an action and the date people were told of it,
               * e.g. "Saturday clinics at Stroud (people told 3 March 2025)" */
              value = g_strdup_printf (_("%s (people told %s)"), action->title, fed_back);
            else
              value = g_strdup (action->title);
            add_field (self, &row, status, value);
          }
      }
  }

  /* A new insight reads from its start */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->detail_scroller), 0);
  gtk_stack_set_visible_child_name (self->detail_stack, "insight");
}

static void
clear_pending_item (IhLibraryView *self)
{
  if (self->pending_item != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->pending_item, self);
      g_clear_object (&self->pending_item);
    }
}

static void show_hit (IhLibraryView *self,
                      IhHitItem     *item);

static void
pending_item_loaded_cb (IhLibraryView *self,
                        GParamSpec    *pspec,
                        IhHitItem     *item)
{
  g_autoptr(IhHitItem) hold = g_object_ref (item);

  if (!ih_hit_item_get_loaded (item))
    return;

  clear_pending_item (self);
  if (gtk_single_selection_get_selected_item (self->selection) == (gpointer) item)
    show_hit (self, item);
}

static void
show_hit (IhLibraryView *self,
          IhHitItem     *item)
{
  clear_pending_item (self);

  if (!ih_hit_item_get_loaded (item))
    {
      /* Its row is still being read: show it when it arrives */
      self->pending_item = g_object_ref (item);
      g_signal_connect_object (item, "notify::loaded", G_CALLBACK (pending_item_loaded_cb),
                               self, G_CONNECT_SWAPPED);
      return;
    }

  show_insight (self, ih_hit_item_get_id (item));
}

static void
selection_changed_cb (IhLibraryView *self)
{
  IhHitItem *item = gtk_single_selection_get_selected_item (self->selection);

  g_assert (IH_IS_LIBRARY_VIEW (self));

  if (item != NULL)
    {
      show_hit (self, item);
      return;
    }

  clear_pending_item (self);

  /* Folded, the detail stays as it was while the user reads it */
  if (!adw_leaflet_get_folded (self->leaflet))
    {
      g_clear_pointer (&self->shown_id, g_free);
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
    }
}

static void
list_activate_cb (IhLibraryView *self,
                  guint          position)
{
  g_assert (IH_IS_LIBRARY_VIEW (self));

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  adw_leaflet_set_visible_child (self->leaflet, self->detail_box);

  if (adw_leaflet_get_folded (self->leaflet))
    gtk_widget_grab_focus (self->back_button);
}

static void
back_clicked_cb (IhLibraryView *self)
{
  g_assert (IH_IS_LIBRARY_VIEW (self));

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
folded_changed_cb (IhLibraryView *self)
{
  gboolean folded = adw_leaflet_get_folded (self->leaflet);

  g_assert (IH_IS_LIBRARY_VIEW (self));

  /* Folded, a tap on a result opens it; side by side, selecting shows it */
  gtk_list_view_set_single_click_activate (self->list_view, folded);
}

/*
 * Board paper pages
 */

/* A snippet with its match marks as bold, on one line */
static char *
paper_snippet_markup (const char *snippet)
{
  GString *markup = g_string_new (NULL);
  const char *p = snippet != NULL ? snippet : "";

  while (*p != '\0')
    {
      gsize len = strcspn (p, IH_HIT_MARK_START IH_HIT_MARK_END "\r\n\t");

      if (len > 0)
        {
          g_autofree char *escaped = g_markup_escape_text (p, len);

          g_string_append (markup, escaped);
          p += len;
          continue;
        }
      if (*p == IH_HIT_MARK_START[0])
        g_string_append (markup, "<b>");
      else if (*p == IH_HIT_MARK_END[0])
        g_string_append (markup, "</b>");
      else
        g_string_append_c (markup, ' ');
      p++;
    }
  return g_string_free (markup, FALSE);
}

static GtkWidget *
make_paper_row (IhPaperHit *hit)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *meeting = gtk_label_new (NULL);
  GtkWidget *snippet = gtk_label_new (NULL);
  g_autofree char *title_text = NULL;
  g_autofree char *markup = paper_snippet_markup (hit->snippet);
  g_autofree char *accessible = NULL;
  g_autofree char *description = NULL;

  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  /* Translators: a board paper search result: the paper's title and the
   * page the words were found on */
  title_text = g_strdup_printf (_("%s · page %d"), hit->paper_title, hit->page);
  gtk_label_set_text (GTK_LABEL (title), title_text);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");

  gtk_label_set_text (GTK_LABEL (meeting), hit->meeting_label != NULL ? hit->meeting_label : _("Not part of a meeting"));
  gtk_label_set_xalign (GTK_LABEL (meeting), 0);
  gtk_label_set_ellipsize (GTK_LABEL (meeting), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (meeting, "dim-label");
  gtk_widget_add_css_class (meeting, "caption");

  gtk_label_set_markup (GTK_LABEL (snippet), markup);
  gtk_label_set_xalign (GTK_LABEL (snippet), 0);
  gtk_label_set_wrap (GTK_LABEL (snippet), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (snippet), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (snippet), 2);
  gtk_label_set_ellipsize (GTK_LABEL (snippet), PANGO_ELLIPSIZE_END);
  /* The scroller around the list asks for its height at its natural
   * width: kept narrow, a snippet of any length asks for both lines */
  gtk_label_set_max_width_chars (GTK_LABEL (snippet), 20);

  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), meeting);
  gtk_box_append (GTK_BOX (box), snippet);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  /* Translators: how a screen reader names a board paper search result */
  accessible = g_strdup_printf (_("Page %d of %s"), hit->page, hit->paper_title);
  description = g_strjoin (". ", gtk_label_get_text (GTK_LABEL (meeting)),
                           gtk_label_get_text (GTK_LABEL (snippet)), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
  gtk_widget_set_tooltip_text (row, _("Open the paper at this page"));
  return row;
}

static void
show_papers (IhLibraryView *self)
{
  GtkWidget *child;
  guint n = self->paper_hits != NULL ? self->paper_hits->len : 0;
  guint shown;
  g_autofree char *label = NULL;

  g_assert (IH_IS_LIBRARY_VIEW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->papers_list))) != NULL)
    gtk_list_box_remove (self->papers_list, child);
  self->papers_more_row = NULL;

  gtk_widget_set_visible (self->papers_box, n > 0);
  /* No insight but pages found: not "nothing" */
  if (n > 0)
    {
      adw_status_page_set_title (self->no_results_page, _("No Insight Found"));
      adw_status_page_set_description (self->no_results_page, _("Only board papers have these words"));
    }
  else
    {
      adw_status_page_set_title (self->no_results_page, _("Nothing Found"));
      adw_status_page_set_description (self->no_results_page, _("Try fewer words, or remove a filter"));
      return;
    }

  if (n >= PAPERS_LIMIT)
    label = g_strdup_printf (_("Board papers (more than %u pages)"), (guint) PAPERS_LIMIT - 1);
  else
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Board papers (%u page)", "Board papers (%u pages)", n), n);
  gtk_expander_set_label (self->papers_expander, label);

  shown = self->papers_all ? MIN (n, PAPERS_LIMIT - 1) : MIN (n, PAPERS_SHOWN);
  for (guint i = 0; i < shown; i++)
    gtk_list_box_append (self->papers_list, make_paper_row (g_ptr_array_index (self->paper_hits, i)));

  if (shown < n)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *more = gtk_label_new (NULL);
      g_autofree char *text = NULL;
      guint rest = n - shown;

      /* One more than the limit is read, to know there are more */
      if (n >= PAPERS_LIMIT)
        text = g_strdup_printf (_("More than %u more pages"), rest - 1);
      else
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more page", "%u more pages", rest), rest);
      gtk_label_set_text (GTK_LABEL (more), text);
      gtk_widget_set_margin_top (more, 9);
      gtk_widget_set_margin_bottom (more, 9);
      gtk_widget_add_css_class (more, "accent");
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), more);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Show them in this list"),
                                      -1);
      gtk_list_box_append (self->papers_list, row);
      self->papers_more_row = row;
    }
}

static void
paper_row_activated_cb (IhLibraryView *self,
                        GtkListBoxRow *row,
                        GtkListBox    *list)
{
  g_assert (IH_IS_LIBRARY_VIEW (self));

  if (row == NULL)
    return;

  if ((GtkWidget *) row == self->papers_more_row)
    {
      int index = gtk_list_box_row_get_index (row);
      GtkListBoxRow *next;

      self->papers_all = TRUE;
      show_papers (self);
      /* The keyboard carries on from the first page that was hidden */
      next = gtk_list_box_get_row_at_index (self->papers_list, index);
      if (next != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (next));
      return;
    }

  ih_library_view_open_paper_hit (self, (guint) gtk_list_box_row_get_index (row));
}

typedef struct
{
  IhStore *store;
  char    *text;
} PapersData;

static void
papers_data_free (PapersData *data)
{
  g_clear_object (&data->store);
  g_free (data->text);
  g_free (data);
}

static void
papers_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PapersData *data = task_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *hits;

  if (g_task_return_error_if_cancelled (task))
    return;

  hits = ih_papers_search (data->store, data->text, IH_QUERY_FLAG_PREFIX_LAST, 0, PAPERS_LIMIT, &error);
  if (hits == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, hits, (GDestroyNotify) g_ptr_array_unref);
}

static void
papers_done_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  IhLibraryView *self = IH_LIBRARY_VIEW (source_object);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;

  hits = g_task_propagate_pointer (G_TASK (result), &error);
  /* Superseded by later typing, or the view is going */
  if (g_cancellable_is_cancelled (cancellable))
    return;

  self->papers_busy = FALSE;
  g_clear_object (&self->papers_cancellable);
  if (hits == NULL)
    {
      /* The insight list says what is wrong with the search */
      g_debug ("Board papers not searched: %s", error->message);
    }
  g_clear_pointer (&self->paper_hits, g_ptr_array_unref);
  self->paper_hits = g_steal_pointer (&hits);
  show_papers (self);
}

static void
start_papers (IhLibraryView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(IhQuery) query = NULL;
  g_autoptr(GTask) task = NULL;
  PapersData *data;

  g_assert (IH_IS_LIBRARY_VIEW (self));

  if (self->papers_cancellable != NULL)
    g_cancellable_cancel (self->papers_cancellable);
  g_clear_object (&self->papers_cancellable);
  self->papers_all = FALSE;

  /* Only words find pages: no section for everything or filters alone */
  query = ih_query_parse (text, IH_QUERY_FLAG_PREFIX_LAST, NULL);
  if (query == NULL || !ih_query_has_words (query) || self->store == NULL)
    {
      self->papers_busy = FALSE;
      g_clear_pointer (&self->paper_hits, g_ptr_array_unref);
      show_papers (self);
      return;
    }

  data = g_new0 (PapersData, 1);
  data->store = g_object_ref (self->store);
  data->text = g_strdup (text);

  self->papers_busy = TRUE;
  self->papers_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->papers_cancellable, papers_done_cb, NULL);
  g_task_set_source_tag (task, start_papers);
  g_task_set_task_data (task, data, (GDestroyNotify) papers_data_free);
  g_task_run_in_thread (task, papers_worker);
}

/*
 * Export
 */

typedef struct
{
  IhStore *store;
  char    *text;
  GFile   *file;
} ExportData;

static void
set_exporting (IhLibraryView *self,
               gboolean       exporting)
{
  self->exporting = exporting;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "library.export", !exporting);
}

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->file);
  g_free (data->text);
  g_free (data);
}

static void
export_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr(IhSearch) search = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  gint64 rows;

  /* The same matches as the list shows */
  search = ih_search_new (data->store, data->text, IH_QUERY_FLAG_PREFIX_LAST, &error);
  if (search == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  ih_search_set_cancellable (search, cancellable);

  /* Written beside and moved into place on close: a failed export leaves
   * any file already there as it was */
  out = g_file_replace (data->file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable, &error);
  if (out == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  rows = ih_export_csv (data->store, search, G_OUTPUT_STREAM (out), cancellable, &error);
  if (rows < 0)
    {
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      /* Closing with a cancelled cancellable drops the partial file */
      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (out), abandon, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_int (task, rows);
}

static void
export_done_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  IhLibraryView *self = IH_LIBRARY_VIEW (source_object);
  ExportData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gint64 rows;

  rows = g_task_propagate_int (G_TASK (result), &error);
  g_clear_object (&self->export_cancellable);
  set_exporting (self, FALSE);

  g_signal_emit (self, signals[EXPORTED], 0, data->file, error == NULL ? rows : (gint64) -1, error);
}

static void
export_file_chosen_cb (GObject *owner,
                       GFile   *file,
                       gpointer user_data)
{
  IhLibraryView *self = IH_LIBRARY_VIEW (owner);
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  if (file == NULL || self->store == NULL)
    {
      set_exporting (self, FALSE);
      return;
    }

  data = g_new0 (ExportData, 1);
  data->store = g_object_ref (self->store);
  data->text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  data->file = g_object_ref (file);

  self->export_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->export_cancellable, export_done_cb, NULL);
  g_task_set_source_tag (task, export_file_chosen_cb);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_worker);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ih_library_view_export (IH_LIBRARY_VIEW (widget));
}

/* A board report (PDF) of everything the search finds, written in a
 * worker: gathering the themes, quotes and figures reads the whole set */
typedef struct
{
  IhStore *store;
  char    *query;
  GFile   *file;
  char    *path;    /* of @file */
} ReportJob;

static void
report_job_free (ReportJob *job)
{
  g_clear_object (&job->store);
  g_free (job->query);
  g_clear_object (&job->file);
  g_free (job->path);
  g_free (job);
}

static void
report_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ReportJob *job = task_data;
  g_autoptr(IhReport) report = NULL;
  GError *error = NULL;

  report = ih_report_collect (job->store, IH_SCOPE_QUERY, job->query, NULL, &error);
  if (report == NULL || !ih_report_write_pdf (report, job->path, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
report_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  IhLibraryView *self = IH_LIBRARY_VIEW (object);
  ReportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "library.board-report", TRUE);
  g_signal_emit (self, signals[REPORT_WRITTEN], 0, job->file, error);
}

static void
report_file_chosen_cb (GObject  *owner,
                       GFile    *file,
                       gpointer  user_data)
{
  IhLibraryView *self = IH_LIBRARY_VIEW (owner);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  const char *query = ih_search_model_get_query (self->model);
  g_autoptr(GTask) task = NULL;
  ReportJob *job;

  /* Cancelled, or a place with no local path: nothing to write */
  if (path == NULL)
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "library.board-report", TRUE);
      return;
    }

  job = g_new0 (ReportJob, 1);
  job->store = g_object_ref (self->store);
  job->query = g_strdup (query != NULL ? query : "");
  job->file = g_object_ref (file);
  job->path = g_steal_pointer (&path);
  task = g_task_new (self, NULL, report_done_cb, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) report_job_free);
  g_task_run_in_thread (task, report_thread);
}

static void
board_report_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = NULL;

  /* One report at a time */
  gtk_widget_action_set_enabled (widget, "library.board-report", FALSE);
  /* Translators: the file name offered for a board report; keep .pdf */
  name = g_strdup_printf (_("board-report-%s.pdf"), date);
  ih_file_chooser_save_pdf (widget, _("Board Report"), _("_Save"), name,
                            G_OBJECT (widget), report_file_chosen_cb, NULL);
}

/* Who we heard from, for everything the search finds */
static void
represent_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  IhLibraryView *self = IH_LIBRARY_VIEW (widget);
  const char *query = ih_search_model_get_query (self->model);
  GtkWidget *window;
  GtkRoot *root;

  window = ih_represent_window_new_for_scope (self->store, IH_SCOPE_QUERY, query != NULL ? query : "");
  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (window));
}

/*
 * Callbacks
 */

static void
search_changed_cb (IhLibraryView  *self,
                   GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  g_assert (IH_IS_LIBRARY_VIEW (self));

  /* A chosen filter already ran its search */
  if (g_strcmp0 (text, ih_search_model_get_query (self->model)) != 0)
    ih_search_model_set_query (self->model, text);
  start_facets (self);
  start_papers (self);
}

/* Escape in the search entry: start again from everything */
static void
stop_search_cb (IhLibraryView  *self,
                GtkSearchEntry *entry)
{
  g_assert (IH_IS_LIBRARY_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

/* Escape in the detail, when it is shown alone: back to the list */
static gboolean
detail_escape_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  IhLibraryView *self = IH_LIBRARY_VIEW (user_data);

  if (!adw_leaflet_get_folded (self->leaflet) ||
      adw_leaflet_get_visible_child (self->leaflet) != self->detail_box)
    return FALSE;

  back_clicked_cb (self);
  return TRUE;
}

static void
model_changed_cb (IhLibraryView *self)
{
  update_state (self);
}

/*
 * GObject overrides
 */

static void
ih_library_view_constructed (GObject *object)
{
  IhLibraryView *self = (IhLibraryView *) object;
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  G_OBJECT_CLASS (ih_library_view_parent_class)->constructed (object);

  self->model = ih_search_model_new (self->store);
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (model_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::busy", G_CALLBACK (model_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::error", G_CALLBACK (model_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), NULL);

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed", G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  gtk_list_view_set_factory (self->list_view, factory);

  /* Everything, newest first, until a search is typed */
  ih_search_model_set_query (self->model, "");
  start_facets (self);
}

static void
ih_library_view_dispose (GObject *object)
{
  IhLibraryView *self = (IhLibraryView *) object;

  g_cancellable_cancel (self->facets_cancellable);
  g_clear_object (&self->facets_cancellable);
  if (self->papers_cancellable != NULL)
    g_cancellable_cancel (self->papers_cancellable);
  g_clear_object (&self->papers_cancellable);
  g_clear_pointer (&self->paper_hits, g_ptr_array_unref);
  self->papers_more_row = NULL;
  clear_pending_item (self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), IH_TYPE_LIBRARY_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_pointer (&self->facets, g_ptr_array_unref);

  G_OBJECT_CLASS (ih_library_view_parent_class)->dispose (object);
}

static void
ih_library_view_finalize (GObject *object)
{
  IhLibraryView *self = (IhLibraryView *) object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->shown_id, g_free);

  G_OBJECT_CLASS (ih_library_view_parent_class)->finalize (object);
}

static void
ih_library_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  IhLibraryView *self = IH_LIBRARY_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ih_library_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  IhLibraryView *self = IH_LIBRARY_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ih_library_view_class_init (IhLibraryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ih_library_view_constructed;
  object_class->dispose = ih_library_view_dispose;
  object_class->finalize = ih_library_view_finalize;
  object_class->get_property = ih_library_view_get_property;
  object_class->set_property = ih_library_view_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         IH_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Pulls the resources out of the static library */
  g_assert (ih_get_resource () != NULL);
  g_type_ensure (IH_TYPE_CHIP_BOX);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/insighthub/InsightHub/ui/ih-library-view.ui");
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, box);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, facet_box);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, detail_box);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, back_button);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, detail_scroller);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, meta_label);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, text_label);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, fields_grid);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, detail_error_page);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, count_label);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, state_stack);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, list_view);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, error_page);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, papers_box);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, papers_expander);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, papers_list);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, folded_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, paper_row_activated_cb);

  /* Signal "exported" (void (*) (IhLibraryView *, GFile *, gint64 rows,
   * const GError *, gpointer)): an export ended; rows is -1 and the error
   * set when it failed */
  /* Signal "report-written" (void (*) (IhLibraryView *, GFile *,
   * const GError *, gpointer)): a board report was written, or failed */
  signals[REPORT_WRITTEN] =
    g_signal_new ("report-written",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_FILE, G_TYPE_POINTER);

  signals[EXPORTED] =
    g_signal_new ("exported",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_FILE, G_TYPE_INT64, G_TYPE_POINTER);

  gtk_widget_class_install_action (widget_class, "library.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "library.export", NULL);
  gtk_widget_class_install_action (widget_class, "library.who-we-heard-from", NULL, represent_action);
  gtk_widget_class_install_action (widget_class, "library.board-report", NULL, board_report_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_B, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "library.board-report", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_H, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "library.who-we-heard-from", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ih_library_view_init (IhLibraryView *self)
{
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));
  add_facet_buttons (self);

  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_callback_action_new (detail_escape_cb, self, NULL)));
  gtk_widget_add_controller (self->detail_box, shortcuts);
  folded_changed_cb (self);
}
