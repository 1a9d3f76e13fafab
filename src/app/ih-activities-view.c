/* ih-activities-view.c — the activities: a list beside the form for the
 * one chosen
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-activities-view"

#include "config.h"

#include <glib/gi18n.h>

#include "ih-activities-view.h"
#include "ih-record.h"
#include "ih-resources.h"

/*
 * One activity in the list
 */

#define IH_TYPE_ACTIVITY_ITEM (ih_activity_item_get_type ())
G_DECLARE_FINAL_TYPE (IhActivityItem, ih_activity_item, IH, ACTIVITY_ITEM, GObject)

struct _IhActivityItem
{
  GObject     parent_instance;
  IhActivity *activity;
};

G_DEFINE_FINAL_TYPE (IhActivityItem, ih_activity_item, G_TYPE_OBJECT)

static void
ih_activity_item_finalize (GObject *object)
{
  IhActivityItem *self = (IhActivityItem *) object;

  g_clear_pointer (&self->activity, ih_record_free);

  G_OBJECT_CLASS (ih_activity_item_parent_class)->finalize (object);
}

static void
ih_activity_item_class_init (IhActivityItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ih_activity_item_finalize;
}

static void
ih_activity_item_init (IhActivityItem *self)
{
}

/* Takes @activity */
static IhActivityItem *
ih_activity_item_new (IhActivity *activity)
{
  IhActivityItem *self = g_object_new (IH_TYPE_ACTIVITY_ITEM, NULL);

  self->activity = activity;
  return self;
}

/*
 * The view
 */

struct _IhActivitiesView
{
  AdwBin              parent_instance;

  /* Template Widgets */
  AdwLeaflet         *leaflet;
  GtkWidget          *sidebar;
  GtkWidget          *new_button;
  GtkStack           *list_stack;
  GtkListView        *list_view;
  GtkBox             *editor_box;

  /* Borrowed References */
  IhActivityEditor   *editor;

  /* Owned References */
  IhStore            *store;
  GListStore         *activities;
  GtkSingleSelection *selection;

  guint               selecting : 1;  /* the selection changes by program */
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (IhActivitiesView, ih_activities_view, ADW_TYPE_BIN)

/*
 * Auxiliary methods
 */

static char *
format_date (const char *iso)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *text = g_strconcat (iso, "T00:00:00Z", NULL);

  date = g_date_time_new_from_iso8601 (text, NULL);
  if (date == NULL)
    return g_strdup (iso);
  /* TRANSLATORS: an activity's date in the list, see strftime(3) */
  return g_date_time_format (date, _("%-d %b %Y"));
}

/* "12 Mar 2024 · Workshop · Stroud Library" */
static char *
describe_activity (const IhActivity *activity)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *kind;

  if (activity->start_date != NULL)
    {
      g_autofree char *start = format_date (activity->start_date);

      if (activity->end_date != NULL && g_strcmp0 (activity->end_date, activity->start_date) != 0)
        {
          g_autofree char *end = format_date (activity->end_date);

          /* TRANSLATORS: from one date to another */
          g_ptr_array_add (parts, g_strdup_printf (_("%s – %s"), start, end));
        }
      else
        g_ptr_array_add (parts, g_steal_pointer (&start));
    }

  kind = activity->kind ? ih_vocab_label ("activity-kind", activity->kind) : NULL;
  if (kind != NULL)
    g_ptr_array_add (parts, g_strdup (kind));

  if (activity->place != NULL)
    g_ptr_array_add (parts, g_strdup (activity->place));
  else if (activity->locality != NULL)
    g_ptr_array_add (parts, g_strdup (activity->locality));

  if (parts->len == 0)
    return g_strdup (_("No date, kind or place yet"));

  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static guint
find_position (IhActivitiesView *self,
               const char       *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->activities));

  for (guint i = 0; id != NULL && i < n; i++)
    {
      g_autoptr(IhActivityItem) item = g_list_model_get_item (G_LIST_MODEL (self->activities), i);

      if (g_strcmp0 (item->activity->parent.id, id) == 0)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
select_position (IhActivitiesView *self,
                 guint             position)
{
  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->selecting = FALSE;
}

/*
 * Callbacks
 */

static void
setup_item_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (title), 2);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");

  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");

  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_item_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  IhActivityItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  g_autofree char *description = describe_activity (item->activity);

  gtk_label_set_text (GTK_LABEL (title), item->activity->title);
  gtk_label_set_text (GTK_LABEL (subtitle), description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, item->activity->title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

static void
selection_changed_cb (IhActivitiesView *self)
{
  IhActivityItem *item = gtk_single_selection_get_selected_item (self->selection);

  g_assert (IH_IS_ACTIVITIES_VIEW (self));

  if (item == NULL)
    return;

  if (g_strcmp0 (ih_activity_editor_get_activity_id (self->editor), item->activity->parent.id) != 0)
    ih_activity_editor_load (self->editor, item->activity->parent.id);

  /* Chosen by the person: on a narrow screen, go to the form */
  if (!self->selecting)
    adw_leaflet_set_visible_child_name (self->leaflet, "editor");
}

static void
activate_cb (IhActivitiesView *self,
             guint             position)
{
  select_position (self, position);
  ih_activity_editor_load (self->editor,
                           ih_activities_view_get_selected_id (self));
  adw_leaflet_set_visible_child_name (self->leaflet, "editor");
}

static void
editor_saved_cb (IhActivitiesView *self,
                 IhActivity       *activity)
{
  g_autofree char *id = g_strdup (activity->parent.id);

  g_assert (IH_IS_ACTIVITIES_VIEW (self));

  ih_activities_view_refresh (self);
  select_position (self, find_position (self, id));
}

/*
 * Actions
 */

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  ih_activities_view_new_activity (IH_ACTIVITIES_VIEW (widget));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  IhActivitiesView *self = IH_ACTIVITIES_VIEW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

/*
 * GObject overrides
 */

static void
ih_activities_view_constructed (GObject *object)
{
  IhActivitiesView *self = (IhActivitiesView *) object;

  G_OBJECT_CLASS (ih_activities_view_parent_class)->constructed (object);

  self->editor = IH_ACTIVITY_EDITOR (ih_activity_editor_new (self->store));
  gtk_widget_set_vexpand (GTK_WIDGET (self->editor), TRUE);
  gtk_box_append (self->editor_box, GTK_WIDGET (self->editor));
  g_signal_connect_object (self->editor, "saved",
                           G_CALLBACK (editor_saved_cb), self, G_CONNECT_SWAPPED);

  ih_activities_view_refresh (self);
}

static void
ih_activities_view_dispose (GObject *object)
{
  IhActivitiesView *self = (IhActivitiesView *) object;

  /* The leaflet is both the bin's child and a template child: let the bin
   * drop it first, so it is not unparented twice */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), IH_TYPE_ACTIVITIES_VIEW);

  G_OBJECT_CLASS (ih_activities_view_parent_class)->dispose (object);
}

static void
ih_activities_view_finalize (GObject *object)
{
  IhActivitiesView *self = (IhActivitiesView *) object;

  g_clear_object (&self->selection);
  g_clear_object (&self->activities);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ih_activities_view_parent_class)->finalize (object);
}

static void
ih_activities_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  IhActivitiesView *self = IH_ACTIVITIES_VIEW (object);

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
ih_activities_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  IhActivitiesView *self = IH_ACTIVITIES_VIEW (object);

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
ih_activities_view_class_init (IhActivitiesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ih_activities_view_constructed;
  object_class->dispose = ih_activities_view_dispose;
  object_class->finalize = ih_activities_view_finalize;
  object_class->get_property = ih_activities_view_get_property;
  object_class->set_property = ih_activities_view_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         IH_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Referencing the bundle links it in from the static library (and so
   * registers it) in every program that uses this widget */
  g_assert (ih_get_resource () != NULL);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/insighthub/InsightHub/ui/ih-activities-view.ui");
  gtk_widget_class_bind_template_child (widget_class, IhActivitiesView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, IhActivitiesView, sidebar);
  gtk_widget_class_bind_template_child (widget_class, IhActivitiesView, new_button);
  gtk_widget_class_bind_template_child (widget_class, IhActivitiesView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, IhActivitiesView, list_view);
  gtk_widget_class_bind_template_child (widget_class, IhActivitiesView, editor_box);

  gtk_widget_class_install_action (widget_class, "activities.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "activities.back", NULL, back_action);

  g_type_ensure (IH_TYPE_ACTIVITY_EDITOR);
}

static void
ih_activities_view_init (IhActivitiesView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->activities = g_list_store_new (IH_TYPE_ACTIVITY_ITEM);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->activities)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_item_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_item_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->list_view, "activate",
                           G_CALLBACK (activate_cb), self, G_CONNECT_SWAPPED);
}

/*
 * Public API
 */

GtkWidget *
ih_activities_view_new (IhStore *store)
{
  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  return g_object_new (IH_TYPE_ACTIVITIES_VIEW,
                       "store", store,
                       NULL);
}

void
ih_activities_view_refresh (IhActivitiesView *self)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *selected_id = NULL;

  g_return_if_fail (IH_IS_ACTIVITIES_VIEW (self));

  selected_id = g_strdup (ih_activities_view_get_selected_id (self));

  records = ih_store_list (self->store, &ih_activity_class, &error);
  if (records == NULL)
    {
      g_warning ("Could not list the activities: %s", error->message);
      return;
    }

  /* The items take the records */
  g_ptr_array_set_free_func (records, NULL);
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (items, ih_activity_item_new (records->pdata[i]));

  self->selecting = TRUE;
  g_list_store_splice (self->activities, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->activities)),
                       items->pdata, items->len);
  gtk_single_selection_set_selected (self->selection, find_position (self, selected_id));
  self->selecting = FALSE;

  gtk_stack_set_visible_child_name (self->list_stack, items->len > 0 ? "list" : "empty");
}

void
ih_activities_view_select (IhActivitiesView *self,
                           const char       *id)
{
  g_return_if_fail (IH_IS_ACTIVITIES_VIEW (self));

  select_position (self, find_position (self, id));
  if (!ih_activity_editor_load (self->editor, id))
    select_position (self, GTK_INVALID_LIST_POSITION);
}

void
ih_activities_view_new_activity (IhActivitiesView *self)
{
  g_return_if_fail (IH_IS_ACTIVITIES_VIEW (self));

  select_position (self, GTK_INVALID_LIST_POSITION);
  ih_activity_editor_clear (self->editor);
  adw_leaflet_set_visible_child_name (self->leaflet, "editor");
  gtk_widget_grab_focus (GTK_WIDGET (self->editor));
}

IhActivityEditor *
ih_activities_view_get_editor (IhActivitiesView *self)
{
  g_return_val_if_fail (IH_IS_ACTIVITIES_VIEW (self), NULL);
  return self->editor;
}

guint
ih_activities_view_get_n_activities (IhActivitiesView *self)
{
  g_return_val_if_fail (IH_IS_ACTIVITIES_VIEW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->activities));
}

const char *
ih_activities_view_get_title (IhActivitiesView *self,
                              guint             position)
{
  g_autoptr(IhActivityItem) item = NULL;

  g_return_val_if_fail (IH_IS_ACTIVITIES_VIEW (self), NULL);

  item = g_list_model_get_item (G_LIST_MODEL (self->activities), position);
  /* The store keeps the item, and so the title, alive */
  return item != NULL ? item->activity->title : NULL;
}

const char *
ih_activities_view_get_selected_id (IhActivitiesView *self)
{
  IhActivityItem *item;

  g_return_val_if_fail (IH_IS_ACTIVITIES_VIEW (self), NULL);

  item = gtk_single_selection_get_selected_item (self->selection);
  return item != NULL ? item->activity->parent.id : NULL;
}

const char *
ih_activities_view_get_state (IhActivitiesView *self)
{
  g_return_val_if_fail (IH_IS_ACTIVITIES_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->list_stack);
}
