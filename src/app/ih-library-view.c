/* ih-library-view.c — search everything people said: a search entry over a
 * list that loads its rows lazily
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-library-view"

#include "config.h"

#include <glib/gi18n.h>

#include "ih-library-view.h"

struct _IhLibraryView
{
  GtkWidget       parent_instance;

  /* Template Widgets */
  GtkWidget      *box;
  GtkSearchEntry *search_entry;
  GtkLabel       *count_label;
  GtkStack       *state_stack;
  GtkListView    *list_view;
  AdwStatusPage  *error_page;

  /* Owned References */
  IhStore        *store;
  IhSearchModel  *model;
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (IhLibraryView, ih_library_view, GTK_TYPE_WIDGET)

GtkWidget *
ih_library_view_new (IhStore *store)
{
  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  return g_object_new (IH_TYPE_LIBRARY_VIEW, "store", store, NULL);
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
}

const char *
ih_library_view_get_state (IhLibraryView *self)
{
  g_return_val_if_fail (IH_IS_LIBRARY_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->state_stack);
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

      if (searching)
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
 * Callbacks
 */

static void
search_changed_cb (IhLibraryView  *self,
                   GtkSearchEntry *entry)
{
  g_assert (IH_IS_LIBRARY_VIEW (self));

  ih_search_model_set_query (self->model, gtk_editable_get_text (GTK_EDITABLE (entry)));
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
  g_autoptr(GtkSelectionModel) selection = NULL;

  G_OBJECT_CLASS (ih_library_view_parent_class)->constructed (object);

  self->model = ih_search_model_new (self->store);
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (model_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::busy", G_CALLBACK (model_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::error", G_CALLBACK (model_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), NULL);

  selection = GTK_SELECTION_MODEL (gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model))));
  gtk_single_selection_set_autoselect (GTK_SINGLE_SELECTION (selection), FALSE);
  gtk_list_view_set_model (self->list_view, selection);
  gtk_list_view_set_factory (self->list_view, factory);

  /* Everything, newest first, until a search is typed */
  ih_search_model_set_query (self->model, "");
}

static void
ih_library_view_dispose (GObject *object)
{
  IhLibraryView *self = (IhLibraryView *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), IH_TYPE_LIBRARY_VIEW);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (ih_library_view_parent_class)->dispose (object);
}

static void
ih_library_view_finalize (GObject *object)
{
  IhLibraryView *self = (IhLibraryView *) object;

  g_clear_object (&self->store);

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

  gtk_widget_class_set_template_from_resource (widget_class, "/org/insighthub/InsightHub/ui/ih-library-view.ui");
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, box);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, count_label);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, state_stack);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, list_view);
  gtk_widget_class_bind_template_child (widget_class, IhLibraryView, error_page);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ih_library_view_init (IhLibraryView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
