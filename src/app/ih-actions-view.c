/* ih-actions-view.c — "you said, we did": the actions taken, each with
 * the insight behind it
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-actions-view"

#include "config.h"

#include <glib/gi18n.h>

#include "ih-actions-view.h"
#include "ih-actions.h"
#include "ih-form-private.h"
#include "ih-record.h"
#include "ih-search.h"

/* Most insight offered for a search */
#define SEARCH_LIMIT 8

struct _IhActionsView
{
  AdwBin        parent_instance;

  GtkListBox   *actions_list;
  GtkLabel     *heading_label;
  AdwEntryRow  *title_row;
  AdwEntryRow  *owner_row;
  AdwComboRow  *status_row;
  AdwEntryRow  *fed_back_row;
  GtkTextView  *description_view;
  GtkLabel     *error_label;
  GtkListBox   *linked_list;
  GtkLabel     *linked_empty_label;
  GtkSearchEntry *search_entry;
  GtkListBox   *results_list;
  GtkLabel     *results_label;

  IhStore      *store;
  IhAction     *action;     /* the stored action in the form, or NULL */
  gboolean      reloading;
};

G_DEFINE_FINAL_TYPE (IhActionsView, ih_actions_view, ADW_TYPE_BIN)

/*
 * Auxiliary methods
 */

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
show_error (IhActionsView *self,
            const char    *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static char *
row_value (AdwEntryRow *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  if (_ih_form_text_is_blank (text))
    return NULL;
  return g_strstrip (g_strdup (text));
}

static void
row_set_value (AdwEntryRow *row,
               const char  *value)
{
  gtk_editable_set_text (GTK_EDITABLE (row), value != NULL ? value : "");
}

/* A row with @title and @subtitle and a button for @action_name with the
 * target @id */
static GtkWidget *
button_row_new (const char *title,
                const char *subtitle,
                const char *id,
                const char *button_label,
                const char *button_accessible,
                const char *action_name)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_label (button_label);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
  gtk_widget_set_name (row, id);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", id);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, button_accessible,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
show_linked (IhActionsView *self)
{
  g_autoptr(GPtrArray) insight = NULL;
  g_autoptr(GError) error = NULL;

  clear_list (self->linked_list);
  if (self->action != NULL)
    insight = ih_actions_insights (self->store, self->action->parent.id, &error);
  if (error != NULL)
    g_debug ("Could not list the insight of an action: %s", error->message);

  for (guint i = 0; insight != NULL && i < insight->len; i++)
    {
      const IhInsight *in = g_ptr_array_index (insight, i);
      g_autofree char *accessible = g_strdup_printf (_("Unlink “%s”"), in->text);

      gtk_list_box_append (self->linked_list,
                           button_row_new (in->text, in->date, in->parent.id, _("Unlink"),
                                           accessible, "actions.unlink"));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->linked_list), insight != NULL && insight->len > 0);
  gtk_label_set_text (self->linked_empty_label,
                      self->action == NULL
                        ? _("Save the action, then link the insight that led to it.")
                        : _("No insight is linked yet: search for it below."));
  gtk_widget_set_visible (GTK_WIDGET (self->linked_empty_label), insight == NULL || insight->len == 0);
}

static void
run_search (IhActionsView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(IhSearch) search = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;

  clear_list (self->results_list);
  gtk_widget_set_visible (GTK_WIDGET (self->results_list), FALSE);
  if (_ih_form_text_is_blank (text))
    {
      gtk_label_set_text (self->results_label, _("Type words from the insight to find it."));
      return;
    }

  search = ih_search_new (self->store, text, IH_QUERY_FLAG_PREFIX_LAST, &error);
  if (search != NULL)
    hits = ih_search_fetch (search, 0, SEARCH_LIMIT, &error);
  if (hits == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("That search cannot be run: %s"), error->message);

      gtk_label_set_text (self->results_label, message);
      return;
    }
  if (hits->len == 0)
    {
      gtk_label_set_text (self->results_label, _("No insight matches those words."));
      return;
    }

  gtk_label_set_text (self->results_label, "");
  for (guint i = 0; i < hits->len; i++)
    {
      const IhHit *hit = g_ptr_array_index (hits, i);
      g_autofree char *text_plain = ih_hit_format_snippet (hit, "", "");
      g_autofree char *accessible = g_strdup_printf (_("Link “%s”"), text_plain);

      gtk_list_box_append (self->results_list,
                           button_row_new (text_plain, hit->activity_title, hit->id, _("Link"),
                                           accessible, "actions.link"));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->results_list), TRUE);
}

static void
fill_form (IhActionsView  *self,
           const IhAction *action)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description_view);

  row_set_value (self->title_row, action ? action->title : NULL);
  row_set_value (self->owner_row, action ? action->owner : NULL);
  _ih_form_choice_set_key (self->status_row, action ? action->status : NULL);
  row_set_value (self->fed_back_row, action ? action->fed_back_date : NULL);
  gtk_text_buffer_set_text (buffer, action && action->description ? action->description : "", -1);
  gtk_label_set_text (self->heading_label, action != NULL ? _("Edit Action") : _("New Action"));
  show_error (self, NULL);
  show_linked (self);
}

/*
 * Callbacks
 */

static void
action_row_activated_cb (IhActionsView *self,
                         GtkListBoxRow *row)
{
  if (self->reloading)
    return;
  ih_actions_view_load (self, gtk_widget_get_name (GTK_WIDGET (row)));
}

/*
 * Actions
 */

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  IhActionsView *self = IH_ACTIONS_VIEW (widget);

  ih_actions_view_clear (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  ih_actions_view_save (IH_ACTIONS_VIEW (widget));
}

static void
link_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  IhActionsView *self = IH_ACTIONS_VIEW (widget);
  const char *insight_id = g_variant_get_string (param, NULL);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  /* Linking saves the action first, so nothing typed is lost */
  if (self->action == NULL && !ih_actions_view_save (self))
    return;

  if (g_strcmp0 (action_name, "actions.link") == 0)
    ok = ih_actions_link (self->store, self->action->parent.id, insight_id, &error);
  else
    ok = ih_actions_unlink (self->store, self->action->parent.id, insight_id, &error);
  if (!ok)
    {
      g_autofree char *message = g_strdup_printf (_("The link could not be changed: %s"), error->message);

      show_error (self, message);
      return;
    }

  /* The stored action now has the link: keep the form's copy in step */
  {
    IhAction *stored = ih_store_load (self->store, &ih_action_class, self->action->parent.id, NULL);

    if (stored != NULL)
      {
        g_clear_pointer (&self->action, ih_record_free);
        self->action = stored;
      }
  }
  show_error (self, NULL);
  show_linked (self);
}

/*
 * GObject overrides
 */

static void
ih_actions_view_finalize (GObject *object)
{
  IhActionsView *self = (IhActionsView *) object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->action, ih_record_free);

  G_OBJECT_CLASS (ih_actions_view_parent_class)->finalize (object);
}

static void
ih_actions_view_class_init (IhActionsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ih_actions_view_finalize;

  gtk_widget_class_install_action (widget_class, "actions.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "actions.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "actions.link", "s", link_action);
  gtk_widget_class_install_action (widget_class, "actions.unlink", "s", link_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "actions.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "actions.save", NULL);
}

static GtkWidget *
group_new (const char *title,
           const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  return group;
}

static AdwEntryRow *
entry_row_new (GtkWidget  *group,
               const char *title,
               const char *accessible)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  _ih_form_set_accessible_label (row, accessible);
  return ADW_ENTRY_ROW (row);
}

static GtkListBox *
boxed_list_new (const char *accessible)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  return GTK_LIST_BOX (list);
}

static GtkLabel *
dim_label_new (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  return GTK_LABEL (label);
}

static void
ih_actions_view_init (IhActionsView *self)
{
  GtkWidget *paned = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *sidebar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *list_scrolled = gtk_scrolled_window_new ();
  GtkWidget *new_button = gtk_button_new_with_mnemonic (_("_New Action"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *group, *label, *frame, *desc_scrolled, *save_button, *button_box;

  /* The list of actions */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (new_button), "actions.new");
  gtk_widget_set_tooltip_text (new_button, _("Start a new action (Ctrl+N)"));
  gtk_widget_set_margin_top (new_button, 12);
  gtk_widget_set_margin_start (new_button, 12);
  gtk_widget_set_margin_end (new_button, 12);
  gtk_box_append (GTK_BOX (sidebar), new_button);
  self->actions_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self->actions_list), "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->actions_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Actions"),
                                  -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (list_scrolled), GTK_WIDGET (self->actions_list));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (list_scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (list_scrolled, TRUE);
  gtk_box_append (GTK_BOX (sidebar), list_scrolled);
  gtk_widget_set_size_request (sidebar, 260, -1);
  gtk_box_append (GTK_BOX (paned), sidebar);
  gtk_box_append (GTK_BOX (paned), gtk_separator_new (GTK_ORIENTATION_VERTICAL));

  /* The form */
  self->heading_label = GTK_LABEL (gtk_label_new (_("New Action")));
  gtk_label_set_xalign (self->heading_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->heading_label), "title-2");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->heading_label));

  group = group_new (_("You Said, We Did"), NULL);
  self->title_row = entry_row_new (group, _("_What changed"), _("What changed"));
  self->owner_row = entry_row_new (group, _("_Owner"), _("Owner"));
  self->status_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), _("St_atus"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->status_row), TRUE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->status_row));
  _ih_form_setup_choice (self->status_row, "action-status", TRUE, _("Status"));
  self->fed_back_row = entry_row_new (group, _("_Date fed back to people"), _("Date fed back to people"));
  gtk_box_append (GTK_BOX (box), group);

  label = gtk_label_new_with_mnemonic (_("_Description"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  self->description_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_wrap_mode (self->description_view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (self->description_view, FALSE);
  gtk_text_view_set_top_margin (self->description_view, 10);
  gtk_text_view_set_bottom_margin (self->description_view, 10);
  gtk_text_view_set_left_margin (self->description_view, 12);
  gtk_text_view_set_right_margin (self->description_view, 12);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->description_view));
  _ih_form_set_accessible_label (self->description_view, _("Description"));
  desc_scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (desc_scrolled), GTK_WIDGET (self->description_view));
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (desc_scrolled), 80);
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), desc_scrolled);
  {
    GtkWidget *desc_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

    gtk_box_append (GTK_BOX (desc_box), label);
    gtk_box_append (GTK_BOX (desc_box), frame);
    gtk_box_append (GTK_BOX (box), desc_box);
  }

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->error_label, 0);
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error_label));

  button_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_halign (button_box, GTK_ALIGN_END);
  save_button = gtk_button_new_with_mnemonic (_("_Save Action"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (save_button), "actions.save");
  gtk_widget_set_tooltip_text (save_button, _("Save this action (Ctrl+S)"));
  gtk_widget_add_css_class (save_button, "suggested-action");
  gtk_widget_add_css_class (save_button, "pill");
  gtk_box_append (GTK_BOX (button_box), save_button);
  gtk_box_append (GTK_BOX (box), button_box);

  group = group_new (_("Insight Behind This Action"), NULL);
  self->linked_empty_label = dim_label_new ();
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->linked_empty_label));
  self->linked_list = boxed_list_new (_("Insight behind this action"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->linked_list));
  gtk_box_append (GTK_BOX (box), group);

  group = group_new (_("Link Insight"), _("Find the insight that led to this action by its words"));
  self->search_entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search insight to link"),
                                  -1);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->search_entry), 6);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->search_entry));
  self->results_label = dim_label_new ();
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->results_label));
  self->results_list = boxed_list_new (_("Insight found"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->results_list));
  gtk_box_append (GTK_BOX (box), group);

  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 680);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_widget_set_hexpand (scrolled, TRUE);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (paned), scrolled);
  adw_bin_set_child (ADW_BIN (self), paned);

  gtk_label_set_text (self->results_label, _("Type words from the insight to find it."));
  gtk_widget_set_visible (GTK_WIDGET (self->results_list), FALSE);

  g_signal_connect_object (self->actions_list, "row-activated",
                           G_CALLBACK (action_row_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (run_search), self, G_CONNECT_SWAPPED);
}

/*
 * Public API
 */

GtkWidget *
ih_actions_view_new (IhStore *store)
{
  IhActionsView *self;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  self = g_object_new (IH_TYPE_ACTIONS_VIEW, NULL);
  self->store = g_object_ref (store);
  ih_actions_view_reload (self);
  fill_form (self, NULL);
  return GTK_WIDGET (self);
}

void
ih_actions_view_reload (IhActionsView *self)
{
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (IH_IS_ACTIONS_VIEW (self));

  self->reloading = TRUE;
  clear_list (self->actions_list);
  actions = ih_store_list (self->store, &ih_action_class, &error);
  if (actions == NULL)
    g_debug ("Could not list actions: %s", error->message);
  for (guint i = 0; actions != NULL && i < actions->len; i++)
    {
      const IhAction *action = g_ptr_array_index (actions, i);
      GtkWidget *label = gtk_label_new (action->title);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      gtk_widget_set_name (row, action->parent.id);
      gtk_list_box_append (self->actions_list, row);
      if (self->action != NULL && g_strcmp0 (self->action->parent.id, action->parent.id) == 0)
        gtk_list_box_select_row (self->actions_list, GTK_LIST_BOX_ROW (row));
    }
  self->reloading = FALSE;
}

gboolean
ih_actions_view_load (IhActionsView *self,
                      const char    *id)
{
  g_autoptr(GError) error = NULL;
  IhAction *action;

  g_return_val_if_fail (IH_IS_ACTIONS_VIEW (self), FALSE);

  action = id != NULL ? ih_store_load (self->store, &ih_action_class, id, &error) : NULL;
  if (action == NULL)
    {
      if (error != NULL)
        g_debug ("Could not load action %s: %s", id, error->message);
      ih_actions_view_clear (self);
      return FALSE;
    }
  g_clear_pointer (&self->action, ih_record_free);
  self->action = action;
  fill_form (self, action);
  return TRUE;
}

void
ih_actions_view_clear (IhActionsView *self)
{
  g_return_if_fail (IH_IS_ACTIONS_VIEW (self));

  g_clear_pointer (&self->action, ih_record_free);
  gtk_list_box_unselect_all (self->actions_list);
  fill_form (self, NULL);
}

const char *
ih_actions_view_get_action_id (IhActionsView *self)
{
  g_return_val_if_fail (IH_IS_ACTIONS_VIEW (self), NULL);

  return self->action != NULL ? self->action->parent.id : NULL;
}

gboolean
ih_actions_view_save (IhActionsView *self)
{
  g_autoptr(IhAction) action = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fed_back = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  char *description;

  g_return_val_if_fail (IH_IS_ACTIONS_VIEW (self), FALSE);

  fed_back = row_value (self->fed_back_row);
  if (_ih_form_text_is_blank (gtk_editable_get_text (GTK_EDITABLE (self->title_row))))
    {
      show_error (self, _("Say what changed, such as “Evening clinic opened on Thursdays”."));
      gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
      return FALSE;
    }
  if (fed_back != NULL)
    {
      char *date = ih_date_normalize (fed_back);

      if (date == NULL)
        {
          show_error (self, _("The date fed back is not a real date. Write it as 31/01/2025 or 2025-01-31."));
          gtk_widget_grab_focus (GTK_WIDGET (self->fed_back_row));
          return FALSE;
        }
      g_free (fed_back);
      fed_back = date;
    }

  /* Edit a copy, so a refused save leaves the loaded one as it was */
  action = self->action != NULL ? ih_record_copy (self->action) : ih_action_new ();
  g_free (action->title);
  action->title = row_value (self->title_row);
  g_free (action->owner);
  action->owner = row_value (self->owner_row);
  g_free (action->status);
  action->status = g_strdup (_ih_form_choice_get_key (self->status_row));
  g_free (action->fed_back_date);
  action->fed_back_date = g_steal_pointer (&fed_back);
  buffer = gtk_text_view_get_buffer (self->description_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  description = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  g_free (action->description);
  action->description = description[0] != '\0' ? description : NULL;
  if (action->description == NULL)
    g_free (description);

  if (!ih_store_save (self->store, action, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The action could not be saved: %s"), error->message);

      show_error (self, message);
      return FALSE;
    }

  g_clear_pointer (&self->action, ih_record_free);
  self->action = g_steal_pointer (&action);
  gtk_label_set_text (self->heading_label, _("Edit Action"));
  show_error (self, NULL);
  show_linked (self);
  ih_actions_view_reload (self);
  return TRUE;
}
