/* ih-conflicts-window.c — the sync conflicts to resolve: both versions
 * side by side, keep mine, keep theirs or edit a merged one
 *
 * Each conflict is a card named "conflict-N" (N from 0, oldest first)
 * holding the buttons "keep-mine", "keep-theirs", "edit-merged" and,
 * once editing, one text view "merged-FIELD" per field both sides
 * changed and "save-merged".
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-conflicts-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ih-conflicts-window.h"
#include "ih-sync.h"

struct _IhConflictsWindow
{
  AdwWindow         parent_instance;

  GtkBox           *list;
  GtkLabel         *message;

  IhSyncController *sync;
  GPtrArray        *conflicts;     /* IhSyncConflict */
};

G_DEFINE_FINAL_TYPE (IhConflictsWindow, ih_conflicts_window, ADW_TYPE_WINDOW)

static const struct
{
  const char *name;
  const char *label;
} field_labels[] = {
  { "text", N_("What was said") },
  { "kind", N_("Kind") },
  { "activity_id", N_("Activity") },
  { "date", N_("Date") },
  { "theme_ids", N_("Themes") },
  { "sentiment", N_("Sentiment") },
  { "age_band", N_("Age band") },
  { "sex", N_("Sex") },
  { "ethnic_group", N_("Ethnic group") },
  { "disability", N_("Disability") },
  { "postcode_district", N_("Postcode district") },
  { "consent", N_("Consent") },
  { "restricted", N_("Restricted") },
  { "status", N_("Status") },
  { "title", N_("Title") },
  { "notes", N_("Notes") },
  { "name", N_("Name") },
};

/* A field's name in words; other fields by their own name, spaced */
static char *
field_label (const char *name)
{
  char *label;

  for (guint i = 0; i < G_N_ELEMENTS (field_labels); i++)
    if (g_str_equal (field_labels[i].name, name))
      return g_strdup (_(field_labels[i].label));
  label = g_strdelimit (g_strdup (name), "_", ' ');
  label[0] = g_ascii_toupper (label[0]);
  return label;
}

/* Which side is the person's own: the one they wrote */
static gboolean
loser_is_mine (IhSyncController     *sync,
               const IhSyncConflict *conflict)
{
  const char *user = ih_sync_controller_get_user (sync);

  if (user != NULL && g_strcmp0 (conflict->winner->author, user) == 0 &&
      g_strcmp0 (conflict->loser_author, user) != 0)
    return FALSE;
  /* A push of one's own that came second is the usual case */
  return TRUE;
}

static gboolean
field_in (const IhSyncConflict *conflict,
          const char           *name)
{
  return conflict->fields != NULL && g_strv_contains ((const char * const *) conflict->fields, name);
}

static void
resolve (IhConflictsWindow *self,
         GtkWidget         *card,
         IhSyncConflict    *conflict,
         IhRecord          *chosen)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *done;

  g_assert (IH_IS_CONFLICTS_WINDOW (self));

  if (!ih_sync_resolve_conflict (ih_sync_controller_get_store (self->sync), conflict->id, chosen, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not resolve the conflict: %s"), error->message);

      gtk_label_set_text (self->message, text);
      gtk_widget_set_visible (GTK_WIDGET (self->message), TRUE);
      return;
    }
  /* The conflict stays listed until the server has the resolution: the
   * card says so instead of offering the choice again */
  done = gtk_label_new (_("Resolved: sent to the server with the next sync"));
  gtk_widget_set_name (done, "resolved");
  gtk_label_set_wrap (GTK_LABEL (done), TRUE);
  gtk_label_set_xalign (GTK_LABEL (done), 0);
  gtk_widget_set_margin_start (done, 12);
  gtk_widget_set_margin_end (done, 12);
  gtk_widget_set_margin_top (done, 12);
  gtk_widget_set_margin_bottom (done, 12);
  gtk_frame_set_child (GTK_FRAME (card), done);
  /* Sent with the next run, a few seconds from now */
  ih_sync_controller_changed (self->sync);
}

static IhSyncConflict *
card_conflict (IhConflictsWindow *self,
               GtkWidget         *button)
{
  GtkWidget *card = gtk_widget_get_ancestor (button, GTK_TYPE_FRAME);

  return self->conflicts->pdata[GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (card), "index"))];
}

static void
keep_clicked_cb (GtkButton         *button,
                 IhConflictsWindow *self)
{
  IhSyncConflict *conflict = card_conflict (self, GTK_WIDGET (button));
  gboolean mine = g_str_equal (gtk_widget_get_name (GTK_WIDGET (button)), "keep-mine");
  gboolean loser = mine == loser_is_mine (self->sync, conflict);
  g_autoptr(IhRecord) chosen = ih_record_copy (loser ? conflict->loser : conflict->winner);

  resolve (self, gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_FRAME), conflict, chosen);
}

static void
edit_clicked_cb (GtkButton         *button,
                 IhConflictsWindow *self)
{
  GtkWidget *card = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_FRAME);
  GtkRevealer *revealer = g_object_get_data (G_OBJECT (card), "merge");

  gtk_revealer_set_reveal_child (revealer, !gtk_revealer_get_reveal_child (revealer));
}

static void
save_merged_clicked_cb (GtkButton         *button,
                        IhConflictsWindow *self)
{
  IhSyncConflict *conflict = card_conflict (self, GTK_WIDGET (button));
  IhRecord *mine = loser_is_mine (self->sync, conflict) ? conflict->loser : conflict->winner;
  g_autoptr(IhRecord) merged = ih_record_copy (mine);
  GtkWidget *card = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_FRAME);
  GHashTable *views = g_object_get_data (G_OBJECT (card), "views");
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, views);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const IhFieldInfo *field = ih_record_class_field (conflict->klass, key);
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (value);
      GtkTextIter start, end;
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      if (!ih_record_set_text (merged, field, *text ? text : NULL, &error))
        {
          g_autofree char *label = field_label (field->name);
          g_autofree char *message = g_strdup_printf (_("%s: %s"), label, error->message);

          gtk_label_set_text (self->message, message);
          gtk_widget_set_visible (GTK_WIDGET (self->message), TRUE);
          return;
        }
    }
  resolve (self, card, conflict, merged);
}

static GtkWidget *
value_label (const char *text,
             gboolean    differs)
{
  GtkWidget *label = gtk_label_new (text && *text ? text : _("(empty)"));

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  if (text == NULL || *text == '\0')
    gtk_widget_add_css_class (label, "dim-label");
  if (differs)
    gtk_widget_add_css_class (label, "warning");
  return label;
}

static GtkWidget *
build_card (IhConflictsWindow *self,
            IhSyncConflict    *conflict,
            guint              index)
{
  gboolean loser_mine = loser_is_mine (self->sync, conflict);
  IhRecord *mine = loser_mine ? conflict->loser : conflict->winner;
  IhRecord *theirs = loser_mine ? conflict->winner : conflict->loser;
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *revealer = gtk_revealer_new ();
  GtkWidget *merge_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GHashTable *views = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *name = g_strdup_printf ("conflict-%u", index);
  g_autofree char *theirs_title = NULL;
  GtkWidget *w;
  int row = 1;

  gtk_widget_set_name (frame, name);
  g_object_set_data (G_OBJECT (frame), "index", GUINT_TO_POINTER (index));
  g_object_set_data_full (G_OBJECT (frame), "views", views, (GDestroyNotify) g_hash_table_unref);
  g_object_set_data (G_OBJECT (frame), "merge", revealer);
  gtk_frame_set_child (GTK_FRAME (frame), box);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);

  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_homogeneous (GTK_GRID (grid), FALSE);
  w = gtk_label_new (_("Field"));
  gtk_widget_add_css_class (w, "heading");
  gtk_label_set_xalign (GTK_LABEL (w), 0);
  gtk_grid_attach (GTK_GRID (grid), w, 0, 0, 1, 1);
  w = gtk_label_new (_("Yours"));
  gtk_widget_add_css_class (w, "heading");
  gtk_label_set_xalign (GTK_LABEL (w), 0);
  gtk_grid_attach (GTK_GRID (grid), w, 1, 0, 1, 1);
  /* A record's author is who created it, not who changed it last: only
   * the second version's author is known for sure */
  if (loser_mine || conflict->loser_author == NULL)
    theirs_title = g_strdup (_("Theirs (reached the server first)"));
  else
    /* Translators: the column of the other person's version */
    theirs_title = g_strdup_printf (_("Theirs (%s)"), conflict->loser_author);
  w = gtk_label_new (theirs_title);
  gtk_widget_add_css_class (w, "heading");
  gtk_label_set_xalign (GTK_LABEL (w), 0);
  gtk_grid_attach (GTK_GRID (grid), w, 2, 0, 1, 1);

  for (guint i = 0; i < conflict->klass->n_fields; i++)
    {
      const IhFieldInfo *field = &conflict->klass->fields[i];
      g_autofree char *a = ih_record_get_text (mine, field);
      g_autofree char *b = ih_record_get_text (theirs, field);
      g_autofree char *label = field_label (field->name);
      gboolean differs = g_strcmp0 (a, b) != 0;

      /* Fields both sides left alone and equal are not worth a line */
      if (!differs && !field_in (conflict, field->name))
        continue;
      w = gtk_label_new (label);
      gtk_label_set_xalign (GTK_LABEL (w), 0);
      gtk_label_set_yalign (GTK_LABEL (w), 0);
      gtk_widget_add_css_class (w, "dim-label");
      gtk_grid_attach (GTK_GRID (grid), w, 0, row, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), value_label (a, differs), 1, row, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), value_label (b, differs), 2, row, 1, 1);
      row++;

      if (differs && field->type != IH_FIELD_REFS && field->type != IH_FIELD_REF)
        {
          GtkWidget *view = gtk_text_view_new ();
          g_autofree char *view_name = g_strdup_printf ("merged-%s", field->name);
          /* Translators: "Merged what was said" */
          g_autofree char *label_text = g_strdup_printf (_("Merged: %s"), label);

          gtk_widget_set_name (view, view_name);
          gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
          gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), a ? a : "", -1);
          gtk_widget_add_css_class (view, "card");
          gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
          gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
          gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
          gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, label_text, -1);
          w = gtk_label_new (label_text);
          gtk_label_set_xalign (GTK_LABEL (w), 0);
          gtk_box_append (GTK_BOX (merge_box), w);
          gtk_box_append (GTK_BOX (merge_box), view);
          g_hash_table_insert (views, g_strdup (field->name), view);
        }
    }
  gtk_box_append (GTK_BOX (box), grid);

  w = gtk_button_new_with_mnemonic (_("Keep _Mine"));
  gtk_widget_set_name (w, "keep-mine");
  gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Keep my version"), -1);
  g_signal_connect (w, "clicked", G_CALLBACK (keep_clicked_cb), self);
  gtk_box_append (GTK_BOX (buttons), w);
  w = gtk_button_new_with_mnemonic (_("Keep _Theirs"));
  gtk_widget_set_name (w, "keep-theirs");
  gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Keep their version"), -1);
  g_signal_connect (w, "clicked", G_CALLBACK (keep_clicked_cb), self);
  gtk_box_append (GTK_BOX (buttons), w);
  w = gtk_button_new_with_mnemonic (_("_Edit Merged…"));
  gtk_widget_set_name (w, "edit-merged");
  gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Edit a merged version"), -1);
  g_signal_connect (w, "clicked", G_CALLBACK (edit_clicked_cb), self);
  gtk_box_append (GTK_BOX (buttons), w);
  gtk_box_append (GTK_BOX (box), buttons);

  w = gtk_button_new_with_mnemonic (_("_Save Merged Version"));
  gtk_widget_set_name (w, "save-merged");
  gtk_widget_set_halign (w, GTK_ALIGN_START);
  gtk_widget_add_css_class (w, "suggested-action");
  gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Save the merged version"), -1);
  g_signal_connect (w, "clicked", G_CALLBACK (save_merged_clicked_cb), self);
  gtk_box_append (GTK_BOX (merge_box), w);
  gtk_revealer_set_child (GTK_REVEALER (revealer), merge_box);
  gtk_box_append (GTK_BOX (box), revealer);

  return frame;
}

void
ih_conflicts_window_reload (IhConflictsWindow *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  g_return_if_fail (IH_IS_CONFLICTS_WINDOW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_box_remove (self->list, child);
  g_clear_pointer (&self->conflicts, g_ptr_array_unref);
  self->conflicts = ih_sync_list_conflicts (ih_sync_controller_get_store (self->sync), TRUE, &error);
  ih_sync_controller_refresh (self->sync);
  if (self->conflicts == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The conflicts cannot be listed: %s"), error->message);

      gtk_label_set_text (self->message, text);
      gtk_widget_set_visible (GTK_WIDGET (self->message), TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->message), self->conflicts->len == 0);
  if (self->conflicts->len == 0)
    gtk_label_set_text (self->message, _("No conflicts to resolve"));
  for (guint i = 0; i < self->conflicts->len; i++)
    gtk_box_append (self->list, build_card (self, self->conflicts->pdata[i], i));
}

GtkWidget *
ih_conflicts_window_new (GtkWindow        *parent,
                         IhSyncController *sync)
{
  IhConflictsWindow *self;
  GtkWidget *content;
  GtkWidget *header;
  GtkWidget *scrolled;
  GtkWidget *clamp;
  GtkWidget *inner;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (IH_IS_SYNC_CONTROLLER (sync), NULL);

  self = g_object_new (IH_TYPE_CONFLICTS_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       "title", _("Conflicts to Resolve"),
                       "default-width", 760,
                       "default-height", 560,
                       NULL);
  self->sync = g_object_ref (sync);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (content), header);
  scrolled = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 900);
  inner = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (inner, 12);
  gtk_widget_set_margin_end (inner, 12);
  gtk_widget_set_margin_top (inner, 12);
  gtk_widget_set_margin_bottom (inner, 12);
  self->message = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->message, TRUE);
  gtk_widget_set_name (GTK_WIDGET (self->message), "message");
  gtk_box_append (GTK_BOX (inner), GTK_WIDGET (self->message));
  gtk_box_append (GTK_BOX (inner),
                  g_object_new (GTK_TYPE_LABEL,
                                "label", _("You and someone else changed the same thing before syncing. "
                                           "Choose which version to keep, or write one from both."),
                                "wrap", TRUE, "xalign", 0.0f, NULL));
  self->list = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
  gtk_box_append (GTK_BOX (inner), GTK_WIDGET (self->list));
  adw_clamp_set_child (ADW_CLAMP (clamp), inner);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_box_append (GTK_BOX (content), scrolled);
  adw_window_set_content (ADW_WINDOW (self), content);

  ih_conflicts_window_reload (self);
  return GTK_WIDGET (self);
}

static void
ih_conflicts_window_finalize (GObject *object)
{
  IhConflictsWindow *self = (IhConflictsWindow *) object;

  g_clear_pointer (&self->conflicts, g_ptr_array_unref);
  g_clear_object (&self->sync);

  G_OBJECT_CLASS (ih_conflicts_window_parent_class)->finalize (object);
}

static void
ih_conflicts_window_class_init (IhConflictsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ih_conflicts_window_finalize;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ih_conflicts_window_init (IhConflictsWindow *self)
{
}
