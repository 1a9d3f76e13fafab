/* ih-activity-editor.c — the form for one engagement activity: a workshop,
 * a survey, a drop-in
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-activity-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ih-activity-editor-private.h"
#include "ih-fatigue.h"
#include "ih-form-private.h"
#include "ih-record.h"
#include "ih-represent-window.h"
#include "ih-resources.h"

struct _IhActivityEditor
{
  AdwBin        parent_instance;

  /* Template Widgets */
  GtkLabel     *heading_label;
  AdwEntryRow  *title_row;
  AdwComboRow  *kind_row;
  AdwComboRow  *status_row;
  GtkLabel     *title_error_label;
  AdwEntryRow  *start_row;
  AdwEntryRow  *end_row;
  GtkLabel     *start_error_label;
  GtkLabel     *end_error_label;
  AdwEntryRow  *ics_row;
  AdwEntryRow  *place_row;
  AdwEntryRow  *locality_row;
  AdwEntryRow  *partners_row;
  AdwEntryRow  *communities_row;
  AdwEntryRow  *programme_row;
  AdwEntryRow  *attendance_row;
  GtkLabel     *attendance_error_label;
  GtkTextView  *notes_view;
  GtkLabel     *error_label;
  GtkWidget    *save_button;
  GtkWidget    *record_feedback_button;
  GtkWidget    *represent_button;
  GtkLabel     *fatigue_status_label;
  GtkListBox   *fatigue_list;

  /* Owned References */
  IhStore      *store;
  IhActivity   *activity;      /* the stored activity being edited, or NULL */
  GSettings    *settings;
  GCancellable *fatigue_cancellable;

  guint         fatigue_timeout_id;
  gboolean      fatigue_busy;
};

/* How long the fields must be still before "Already heard" is looked up */
#define FATIGUE_DEBOUNCE_MS 400
/* Most earlier activities, and most insight, listed */
#define FATIGUE_LIMIT 5

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (IhActivityEditor, ih_activity_editor, ADW_TYPE_BIN)

static void queue_fatigue (IhActivityEditor *self);


/*
 * Auxiliary methods
 */

/* Shows @message under @row (or hides it for NULL), marks the row, and
 * tells assistive technology through the text inside it */
static void
set_field_error (AdwEntryRow *row,
                 GtkLabel    *label,
                 const char  *message)
{
  GtkWidget *focusable = _ih_form_focusable_part (row);

  g_assert (ADW_IS_ENTRY_ROW (row));
  g_assert (GTK_IS_LABEL (label));

  if (message != NULL)
    {
      gtk_label_set_text (label, message);
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (focusable),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (focusable),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                      -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (focusable), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (focusable),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static void
show_error (IhActivityEditor *self,
            const char       *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* The trimmed text of @row, or NULL when blank */
static char *
row_value (AdwEntryRow *row)
{
  const char *text = row_text (row);

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

/* "a; b;; c " → { "a", "b", "c" }, or NULL when there are none */
static GStrv
parse_list (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = g_strsplit (text, ";", -1);
  g_auto(GStrv) result = NULL;

  for (guint i = 0; parts[i]; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }

  result = g_strv_builder_end (builder);
  if (result[0] == NULL)
    return NULL;
  return g_steal_pointer (&result);
}

static void
row_set_list (AdwEntryRow         *row,
              const char * const  *values)
{
  g_autofree char *joined = values != NULL ? g_strjoinv ("; ", (char **) values) : NULL;

  row_set_value (row, joined);
}

/* TRUE for a blank field (*date_out = NULL) or a date (*date_out set) */
static gboolean
parse_date (AdwEntryRow  *row,
            char        **date_out)
{
  const char *text = row_text (row);

  *date_out = NULL;
  if (_ih_form_text_is_blank (text))
    return TRUE;
  *date_out = ih_date_normalize (text);
  return *date_out != NULL;
}

/* TRUE for a blank field (-1) or a whole number of at least 0 */
static gboolean
parse_attendance (AdwEntryRow *row,
                  gint64      *value_out)
{
  g_autofree char *text = row_value (row);
  guint64 value;

  *value_out = -1;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
    return FALSE;
  *value_out = (gint64) value;
  return TRUE;
}

/* Each validate_*() checks its field and, when @show or when its message
 * is already showing, updates the message. */

static gboolean
validate_title (IhActivityEditor *self,
                gboolean          show)
{
  gboolean ok = !_ih_form_text_is_blank (row_text (self->title_row));

  if (show || gtk_widget_get_visible (GTK_WIDGET (self->title_error_label)))
    set_field_error (self->title_row, self->title_error_label,
                     ok ? NULL : _("Give the activity a title, such as “Maternity services drop-in”."));
  return ok;
}

static gboolean
validate_dates (IhActivityEditor *self,
                gboolean          show)
{
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  const char *start_message = NULL;
  const char *end_message = NULL;

  if (!parse_date (self->start_row, &start))
    start_message = _("The start date is not a real date. Write it as 31/01/2025 or 2025-01-31.");
  if (!parse_date (self->end_row, &end))
    end_message = _("The end date is not a real date. Write it as 31/01/2025 or 2025-01-31.");
  else if (start != NULL && end != NULL && strcmp (end, start) < 0)
    end_message = _("The end date is before the start date.");

  if (show || gtk_widget_get_visible (GTK_WIDGET (self->start_error_label)))
    set_field_error (self->start_row, self->start_error_label, start_message);
  if (show || gtk_widget_get_visible (GTK_WIDGET (self->end_error_label)))
    set_field_error (self->end_row, self->end_error_label, end_message);

  return start_message == NULL && end_message == NULL;
}

static gboolean
validate_attendance (IhActivityEditor *self,
                     gboolean          show)
{
  gint64 value;
  gboolean ok = parse_attendance (self->attendance_row, &value);

  if (show || gtk_widget_get_visible (GTK_WIDGET (self->attendance_error_label)))
    set_field_error (self->attendance_row, self->attendance_error_label,
                     ok ? NULL : _("Write the number of people as a whole number, such as 25, or leave it empty."));
  return ok;
}

static void
hide_errors (IhActivityEditor *self)
{
  set_field_error (self->title_row, self->title_error_label, NULL);
  set_field_error (self->start_row, self->start_error_label, NULL);
  set_field_error (self->end_row, self->end_error_label, NULL);
  set_field_error (self->attendance_row, self->attendance_error_label, NULL);
  show_error (self, NULL);
}

static void
update_heading (IhActivityEditor *self)
{
  gtk_label_set_text (self->heading_label,
                      self->activity != NULL ? _("Edit Activity") : _("New Activity"));
  /* Feedback can only be recorded against a stored activity */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "activity.record-feedback",
                                 self->activity != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "activity.represent",
                                 self->activity != NULL);
}

static void
fill_form (IhActivityEditor *self,
           const IhActivity *activity)
{
  g_autofree char *attendance = NULL;

  row_set_value (self->title_row, activity ? activity->title : NULL);
  _ih_form_choice_set_key (self->kind_row, activity ? activity->kind : NULL);
  _ih_form_choice_set_key (self->status_row, activity ? activity->status : NULL);
  row_set_value (self->start_row, activity ? activity->start_date : NULL);
  row_set_value (self->end_row, activity ? activity->end_date : NULL);
  row_set_value (self->ics_row, activity ? activity->ics : NULL);
  row_set_value (self->place_row, activity ? activity->place : NULL);
  row_set_value (self->locality_row, activity ? activity->locality : NULL);
  row_set_list (self->partners_row, activity ? (const char * const *) activity->partners : NULL);
  row_set_list (self->communities_row, activity ? (const char * const *) activity->communities : NULL);
  row_set_value (self->programme_row, activity ? activity->programme : NULL);
  if (activity != NULL && activity->attendance >= 0)
    attendance = g_strdup_printf ("%" G_GINT64_FORMAT, activity->attendance);
  row_set_value (self->attendance_row, attendance);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view),
                            activity && activity->notes ? activity->notes : "", -1);

  hide_errors (self);
  update_heading (self);
  queue_fatigue (self);
}

/* NULL when the schema is neither installed nor in GSETTINGS_SCHEMA_DIR,
 * or is an older one without the key: the default window is used then */
static GSettings *
create_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "fatigue-months"))
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}

static guint
fatigue_months (IhActivityEditor *self)
{
  if (self->settings == NULL)
    return IH_FATIGUE_DEFAULT_MONTHS;
  return g_settings_get_uint (self->settings, "fatigue-months");
}

static void
clear_fatigue_list (IhActivityEditor *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->fatigue_list))) != NULL)
    gtk_list_box_remove (self->fatigue_list, child);
}

static void
show_fatigue_status (IhActivityEditor *self,
                     const char       *message)
{
  gtk_label_set_text (self->fatigue_status_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->fatigue_status_label), message != NULL);
}

static void
show_fatigue_prompt (IhActivityEditor *self)
{
  show_fatigue_status (self, _("Fill in the programme or topic, the place or the communities to see what was already heard from them."));
}

static GtkWidget *
fatigue_row_new (const IhFatigueHit *hit)
{
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *accessible = NULL;
  GtkWidget *row = adw_action_row_new ();

  g_assert (hit != NULL);

  if (hit->kind == IH_FATIGUE_HIT_ACTIVITY)
    g_string_append (subtitle, _("Activity"));
  else if (hit->activity_title != NULL)
    g_string_append_printf (subtitle, _("Insight from “%s”"), hit->activity_title);
  else
    g_string_append (subtitle, _("Insight"));
  if (hit->date != NULL)
    g_string_append_printf (subtitle, " · %s", hit->date);

  for (guint i = 0; i < hit->reasons->len; i++)
    g_string_append_printf (subtitle, "%s%s", i == 0 ? "\n" : " · ",
                            (const char *) g_ptr_array_index (hit->reasons, i));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), hit->title != NULL ? hit->title : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  gtk_widget_set_name (row, hit->id);

  accessible = g_strdup_printf ("%s. %s", hit->title != NULL ? hit->title : "", subtitle->str);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  return row;
}

static void
show_fatigue_hits (IhActivityEditor *self,
                   GPtrArray        *hits)
{
  g_assert (IH_IS_ACTIVITY_EDITOR (self));

  clear_fatigue_list (self);
  for (guint i = 0; hits != NULL && i < hits->len; i++)
    gtk_list_box_append (self->fatigue_list, fatigue_row_new (g_ptr_array_index (hits, i)));

  gtk_widget_set_visible (GTK_WIDGET (self->fatigue_list), hits != NULL && hits->len > 0);
  if (hits == NULL || hits->len == 0)
    {
      g_autofree char *message = NULL;
      guint months = fatigue_months (self);

      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Nothing was heard on this topic, in this place or from these communities in the last month.",
                                              "Nothing was heard on this topic, in this place or from these communities in the last %u months.",
                                              months),
                                 months);
      show_fatigue_status (self, message);
    }
  else
    show_fatigue_status (self, NULL);
}

/* In the worker thread */
static void
fatigue_worker (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  IhFatigueQuery *query = task_data;
  IhStore *store = g_object_get_data (G_OBJECT (task), "store");
  GError *error = NULL;
  GPtrArray *hits;

  hits = ih_fatigue_find (store, query, FATIGUE_LIMIT, &error);
  if (hits == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hits, (GDestroyNotify) g_ptr_array_unref);
}

static void
fatigue_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  IhActivityEditor *self = IH_ACTIVITY_EDITOR (source_object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;

  hits = g_task_propagate_pointer (G_TASK (result), &error);

  /* A newer look-up took over, or the form went away */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_task_get_cancellable (G_TASK (result)) != self->fatigue_cancellable)
    return;

  self->fatigue_busy = FALSE;
  if (error != NULL)
    {
      g_autofree char *message = NULL;

      g_debug ("Could not look up earlier involvement: %s", error->message);
      clear_fatigue_list (self);
      gtk_widget_set_visible (GTK_WIDGET (self->fatigue_list), FALSE);
      message = g_strdup_printf (_("What was already heard could not be looked up: %s"), error->message);
      show_fatigue_status (self, message);
      return;
    }
  show_fatigue_hits (self, hits);
}

/* The fatigue query for what the form holds now, or NULL when it has no
 * topic, place or communities to compare */
static IhFatigueQuery *
fatigue_query_from_form (IhActivityEditor *self)
{
  g_autoptr(IhFatigueQuery) query = g_new0 (IhFatigueQuery, 1);
  g_autofree char *date = NULL;

  query->topic = row_value (self->title_row);
  query->programme = row_value (self->programme_row);
  query->place = row_value (self->place_row);
  query->locality = row_value (self->locality_row);
  query->communities = parse_list (row_text (self->communities_row));
  if (query->programme == NULL && query->place == NULL && query->locality == NULL &&
      query->communities == NULL)
    return NULL;

  /* A date still being typed counts as today */
  if (parse_date (self->start_row, &date) && date != NULL)
    query->date = g_steal_pointer (&date);
  query->months = fatigue_months (self);
  if (self->activity != NULL)
    query->exclude_activity_id = g_strdup (self->activity->parent.id);

  return g_steal_pointer (&query);
}

static gboolean
fatigue_timeout_cb (gpointer user_data)
{
  IhActivityEditor *self = IH_ACTIVITY_EDITOR (user_data);
  g_autoptr(GTask) task = NULL;
  IhFatigueQuery *query;

  self->fatigue_timeout_id = 0;

  g_cancellable_cancel (self->fatigue_cancellable);
  g_clear_object (&self->fatigue_cancellable);

  query = fatigue_query_from_form (self);
  if (query == NULL)
    {
      self->fatigue_busy = FALSE;
      clear_fatigue_list (self);
      gtk_widget_set_visible (GTK_WIDGET (self->fatigue_list), FALSE);
      show_fatigue_prompt (self);
      return G_SOURCE_REMOVE;
    }

  self->fatigue_cancellable = g_cancellable_new ();
  self->fatigue_busy = TRUE;
  task = g_task_new (self, self->fatigue_cancellable, fatigue_cb, NULL);
  g_task_set_source_tag (task, fatigue_timeout_cb);
  g_task_set_priority (task, G_PRIORITY_LOW);
  g_task_set_task_data (task, query, (GDestroyNotify) ih_fatigue_query_free);
  g_object_set_data_full (G_OBJECT (task), "store", g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, fatigue_worker);

  return G_SOURCE_REMOVE;
}

/* Looks "Already heard" up again once the fields have been still a moment */
static void
queue_fatigue (IhActivityEditor *self)
{
  g_assert (IH_IS_ACTIVITY_EDITOR (self));

  if (self->store == NULL)
    return;
  g_clear_handle_id (&self->fatigue_timeout_id, g_source_remove);
  self->fatigue_busy = TRUE;
  self->fatigue_timeout_id = g_timeout_add (FATIGUE_DEBOUNCE_MS, fatigue_timeout_cb, self);
}

/*
 * Callbacks
 */

static void
fatigue_fields_changed_cb (IhActivityEditor *self)
{
  queue_fatigue (self);
}

static void
title_changed_cb (IhActivityEditor *self)
{
  validate_title (self, FALSE);
}

static void
dates_changed_cb (IhActivityEditor *self)
{
  validate_dates (self, FALSE);
}

static void
attendance_changed_cb (IhActivityEditor *self)
{
  validate_attendance (self, FALSE);
}

/*
 * Actions
 */

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  ih_activity_editor_save (IH_ACTIVITY_EDITOR (widget));
}

static void
record_feedback_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  IhActivityEditor *self = IH_ACTIVITY_EDITOR (widget);

  /* The window owns the feedback form: hand it the activity */
  if (self->activity != NULL)
    gtk_widget_activate_action (widget, "win.record-feedback", "s", self->activity->parent.id);
}

static void
represent_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  IhActivityEditor *self = IH_ACTIVITY_EDITOR (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *window;

  if (self->activity == NULL)
    return;
  window = ih_represent_window_new (self->store, self->activity->parent.id);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (window));
}

/*
 * GObject overrides
 */

static void
ih_activity_editor_dispose (GObject *object)
{
  IhActivityEditor *self = (IhActivityEditor *) object;

  g_clear_handle_id (&self->fatigue_timeout_id, g_source_remove);
  g_cancellable_cancel (self->fatigue_cancellable);
  g_clear_object (&self->fatigue_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), IH_TYPE_ACTIVITY_EDITOR);

  G_OBJECT_CLASS (ih_activity_editor_parent_class)->dispose (object);
}

static void
ih_activity_editor_finalize (GObject *object)
{
  IhActivityEditor *self = (IhActivityEditor *) object;

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->activity, ih_record_free);

  G_OBJECT_CLASS (ih_activity_editor_parent_class)->finalize (object);
}

static void
ih_activity_editor_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  IhActivityEditor *self = IH_ACTIVITY_EDITOR (object);

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
ih_activity_editor_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  IhActivityEditor *self = IH_ACTIVITY_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/*
 * Places used before: each of the integrated care system, place and
 * locality rows has a list of the values earlier activities used, filtered
 * by what is typed. Choosing a place fills an empty care system from the
 * activity it came from; choosing a locality fills both above it.
 */

enum { LEVEL_ICS, LEVEL_PLACE, LEVEL_LOCALITY, N_LEVELS };

typedef struct
{
  char *values[N_LEVELS];
} PlaceChoice;

static void
place_choice_free (gpointer data)
{
  PlaceChoice *choice = data;

  for (guint i = 0; i < N_LEVELS; i++)
    g_free (choice->values[i]);
  g_free (choice);
}

static AdwEntryRow *
place_level_row (IhActivityEditor *self,
                 guint             level)
{
  switch (level)
    {
    case LEVEL_ICS:
      return self->ics_row;
    case LEVEL_PLACE:
      return self->place_row;
    case LEVEL_LOCALITY:
    default:
      return self->locality_row;
    }
}

static const char *
activity_place_value (IhActivity *activity,
                      guint       level)
{
  switch (level)
    {
    case LEVEL_ICS:
      return activity->ics;
    case LEVEL_PLACE:
      return activity->place;
    case LEVEL_LOCALITY:
    default:
      return activity->locality;
    }
}

static gboolean
casefold_has_prefix (const char *value,
                     const char *prefix)
{
  g_autofree char *v = g_utf8_casefold (value, -1);
  g_autofree char *p = g_utf8_casefold (prefix, -1);

  return g_str_has_prefix (v, p);
}

static void
place_chosen_cb (GtkListBox    *list,
                 GtkListBoxRow *row,
                 gpointer       user_data)
{
  IhActivityEditor *self = user_data;
  PlaceChoice *choice = g_object_get_data (G_OBJECT (row), "ih-place-choice");
  guint level = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (list), "ih-place-level"));
  GtkWidget *popover;

  if (choice == NULL)
    return;

  row_set_value (place_level_row (self, level), choice->values[level]);
  /* The levels above, when not given yet */
  for (guint i = 0; i < level; i++)
    {
      AdwEntryRow *above = place_level_row (self, i);
      g_autofree char *text = row_value (above);

      if (text == NULL && choice->values[i] != NULL)
        row_set_value (above, choice->values[i]);
    }

  popover = gtk_widget_get_ancestor (GTK_WIDGET (list), GTK_TYPE_POPOVER);
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
  gtk_widget_grab_focus (GTK_WIDGET (place_level_row (self, level)));
}

static void
fill_place_choices (IhActivityEditor *self,
                    GtkListBox       *list)
{
  guint level = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (list), "ih-place-level"));
  g_autofree char *typed = row_value (place_level_row (self, level));
  g_autofree char *parent = level > LEVEL_ICS ? row_value (place_level_row (self, level - 1)) : NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) activities = NULL;
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);

  if (self->store != NULL)
    activities = ih_store_list (self->store, &ih_activity_class, NULL);

  for (guint i = 0; activities != NULL && i < activities->len && n < 30; i++)
    {
      IhActivity *activity = g_ptr_array_index (activities, i);
      const char *value = activity_place_value (activity, level);
      const char *above = level > LEVEL_ICS ? activity_place_value (activity, level - 1) : NULL;
      g_autofree char *key = NULL;
      g_autoptr(GString) detail = g_string_new (NULL);
      PlaceChoice *choice;
      GtkWidget *row;
      GtkWidget *label;

      if (value == NULL || *value == '\0')
        continue;
      if (typed != NULL && !casefold_has_prefix (value, typed))
        continue;
      /* Within the care system or place already given */
      if (parent != NULL && above != NULL && g_utf8_collate (above, parent) != 0)
        continue;
      key = g_utf8_casefold (value, -1);
      if (!g_hash_table_add (seen, g_steal_pointer (&key)))
        continue;

      choice = g_new0 (PlaceChoice, 1);
      for (guint l = 0; l < N_LEVELS; l++)
        choice->values[l] = g_strdup (activity_place_value (activity, l));

      for (int l = (int) level - 1; l >= 0; l--)
        if (choice->values[l] != NULL)
          g_string_append_printf (detail, "%s%s", detail->len ? ", " : "", choice->values[l]);

      label = gtk_label_new (NULL);
      if (detail->len > 0)
        {
          g_autofree char *markup = g_markup_printf_escaped ("%s  <span alpha=\"60%%\">%s</span>",
                                                             value, detail->str);
          gtk_label_set_markup (GTK_LABEL (label), markup);
        }
      else
        gtk_label_set_text (GTK_LABEL (label), value);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);

      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data_full (G_OBJECT (row), "ih-place-choice", choice, place_choice_free);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, value,
                                      -1);
      gtk_list_box_append (list, row);
      n++;
    }

  if (n == 0)
    {
      GtkWidget *label = gtk_label_new (typed != NULL ? _("No earlier activity was held somewhere starting with these letters")
                                                      : _("No earlier activity has this filled in yet"));

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_list_box_append (list, label);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (gtk_widget_get_first_child (GTK_WIDGET (list))), FALSE);
    }
}

static void
place_popover_show_cb (GtkPopover *popover,
                       gpointer    user_data)
{
  IhActivityEditor *self = user_data;

  fill_place_choices (self, g_object_get_data (G_OBJECT (popover), "ih-place-list"));
}

static void
add_place_choices (IhActivityEditor *self,
                   guint             level,
                   const char       *tooltip)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  g_object_set_data (G_OBJECT (list), "ih-place-level", GUINT_TO_POINTER (level));
  g_signal_connect_object (list, "row-activated", G_CALLBACK (place_chosen_cb), self, 0);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_popover_set_child (GTK_POPOVER (popover), scrolled);
  g_object_set_data (G_OBJECT (popover), "ih-place-list", list);
  g_signal_connect_object (popover, "show", G_CALLBACK (place_popover_show_cb), self, 0);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-list-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  adw_entry_row_add_suffix (place_level_row (self, level), button);
}

static void
ih_activity_editor_class_init (IhActivityEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ih_activity_editor_dispose;
  object_class->finalize = ih_activity_editor_finalize;
  object_class->get_property = ih_activity_editor_get_property;
  object_class->set_property = ih_activity_editor_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         IH_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  g_cclosure_marshal_VOID__POINTER,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);

  /* Referencing the bundle links it in from the static library (and so
   * registers it) in every program that uses this widget */
  g_assert (ih_get_resource () != NULL);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/insighthub/InsightHub/ui/ih-activity-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, heading_label);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, kind_row);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, status_row);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, title_error_label);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, start_row);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, end_row);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, start_error_label);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, end_error_label);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, ics_row);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, place_row);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, locality_row);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, partners_row);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, communities_row);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, programme_row);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, attendance_row);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, attendance_error_label);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, record_feedback_button);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, represent_button);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, fatigue_status_label);
  gtk_widget_class_bind_template_child (widget_class, IhActivityEditor, fatigue_list);

  gtk_widget_class_install_action (widget_class, "activity.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "activity.record-feedback", NULL, record_feedback_action);
  gtk_widget_class_install_action (widget_class, "activity.represent", NULL, represent_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "activity.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "activity.represent", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_H, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "activity.represent", NULL);

}

static void
ih_activity_editor_init (IhActivityEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = create_settings ();
  show_fatigue_prompt (self);

  _ih_form_setup_choice (self->kind_row, "activity-kind", TRUE, _("Kind"));
  _ih_form_setup_choice (self->status_row, "activity-status", TRUE, _("Status"));

  _ih_form_set_accessible_label (self->title_row, _("Title"));
  _ih_form_set_accessible_label (self->start_row, _("Start date"));
  _ih_form_set_accessible_label (self->end_row, _("End date"));
  _ih_form_set_accessible_label (self->ics_row, _("Integrated care system"));
  _ih_form_set_accessible_label (self->place_row, _("Place"));
  _ih_form_set_accessible_label (self->locality_row, _("Locality"));
  add_place_choices (self, LEVEL_ICS, _("Care Systems Used Before"));
  add_place_choices (self, LEVEL_PLACE, _("Places Used Before"));
  add_place_choices (self, LEVEL_LOCALITY, _("Localities Used Before"));
  _ih_form_set_accessible_label (self->partners_row, _("Partner organisations, separated by semicolons"));
  _ih_form_set_accessible_label (self->communities_row, _("Target communities, separated by semicolons"));
  _ih_form_set_accessible_label (self->programme_row, _("Programme or topic"));
  _ih_form_set_accessible_label (self->attendance_row, _("Attendance or reach"));
  _ih_form_set_accessible_label (self->notes_view, _("Notes"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (_ih_form_focusable_part (self->title_row)),
                                  GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->start_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Such as 31/01/2025 or 2025-01-31"),
                                  -1);

  g_signal_connect_object (self->title_row, "changed",
                           G_CALLBACK (title_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->start_row, "changed",
                           G_CALLBACK (dates_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->end_row, "changed",
                           G_CALLBACK (dates_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->attendance_row, "changed",
                           G_CALLBACK (attendance_changed_cb), self, G_CONNECT_SWAPPED);

  /* "Already heard" follows what the form says is planned */
  {
    AdwEntryRow *rows[] = { self->title_row, self->start_row, self->place_row, self->locality_row,
                            self->communities_row, self->programme_row };

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      g_signal_connect_object (rows[i], "changed",
                               G_CALLBACK (fatigue_fields_changed_cb), self, G_CONNECT_SWAPPED);
  }
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::fatigue-months",
                             G_CALLBACK (fatigue_fields_changed_cb), self, G_CONNECT_SWAPPED);
}

/*
 * Public API
 */

GtkWidget *
ih_activity_editor_new (IhStore *store)
{
  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  return g_object_new (IH_TYPE_ACTIVITY_EDITOR,
                       "store", store,
                       NULL);
}

void
ih_activity_editor_clear (IhActivityEditor *self)
{
  g_return_if_fail (IH_IS_ACTIVITY_EDITOR (self));

  g_clear_pointer (&self->activity, ih_record_free);
  fill_form (self, NULL);
}

gboolean
ih_activity_editor_load (IhActivityEditor *self,
                         const char       *id)
{
  g_autoptr(GError) error = NULL;
  IhActivity *activity;

  g_return_val_if_fail (IH_IS_ACTIVITY_EDITOR (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  activity = id != NULL ? ih_store_load (self->store, &ih_activity_class, id, &error) : NULL;
  if (activity == NULL)
    {
      if (error != NULL)
        g_debug ("Could not load activity %s: %s", id, error->message);
      ih_activity_editor_clear (self);
      return FALSE;
    }

  g_clear_pointer (&self->activity, ih_record_free);
  self->activity = activity;
  fill_form (self, activity);

  return TRUE;
}

const char *
ih_activity_editor_get_activity_id (IhActivityEditor *self)
{
  g_return_val_if_fail (IH_IS_ACTIVITY_EDITOR (self), NULL);

  return self->activity != NULL ? self->activity->parent.id : NULL;
}

gboolean
ih_activity_editor_save (IhActivityEditor *self)
{
  g_autoptr(IhActivity) activity = NULL;
  g_autoptr(GError) error = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  GtkWidget *invalid = NULL;
  char *notes;

  g_return_val_if_fail (IH_IS_ACTIVITY_EDITOR (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  show_error (self, NULL);

  /* Check every field so all the problems show at once; focus the first */
  if (!validate_title (self, TRUE))
    invalid = GTK_WIDGET (self->title_row);
  if (!validate_dates (self, TRUE) && invalid == NULL)
    invalid = gtk_widget_get_visible (GTK_WIDGET (self->start_error_label))
                ? GTK_WIDGET (self->start_row) : GTK_WIDGET (self->end_row);
  if (!validate_attendance (self, TRUE) && invalid == NULL)
    invalid = GTK_WIDGET (self->attendance_row);
  if (invalid != NULL)
    {
      gtk_widget_grab_focus (invalid);
      return FALSE;
    }

  /* Edit a copy, so a refused save leaves the loaded one as it was */
  activity = self->activity != NULL ? ih_record_copy (self->activity) : ih_activity_new ();

#define REPLACE(field, value) G_STMT_START { g_free (activity->field); activity->field = (value); } G_STMT_END
  REPLACE (title, row_value (self->title_row));
  REPLACE (kind, g_strdup (_ih_form_choice_get_key (self->kind_row)));
  REPLACE (status, g_strdup (_ih_form_choice_get_key (self->status_row)));
  g_free (activity->start_date);
  parse_date (self->start_row, &activity->start_date);
  g_free (activity->end_date);
  parse_date (self->end_row, &activity->end_date);
  REPLACE (ics, row_value (self->ics_row));
  REPLACE (place, row_value (self->place_row));
  REPLACE (locality, row_value (self->locality_row));
  REPLACE (programme, row_value (self->programme_row));
#undef REPLACE
  g_strfreev (activity->partners);
  activity->partners = parse_list (row_text (self->partners_row));
  g_strfreev (activity->communities);
  activity->communities = parse_list (row_text (self->communities_row));
  parse_attendance (self->attendance_row, &activity->attendance);

  buffer = gtk_text_view_get_buffer (self->notes_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  notes = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  g_free (activity->notes);
  activity->notes = notes[0] != '\0' ? notes : NULL;
  if (activity->notes == NULL)
    g_free (notes);

  if (!ih_store_save (self->store, activity, &error))
    {
      g_autofree char *message = NULL;

      g_debug ("Could not save activity: %s", error->message);
      message = g_strdup_printf (_("The activity could not be saved: %s"), error->message);
      show_error (self, message);
      return FALSE;
    }

  /* Keep editing what is now stored */
  g_clear_pointer (&self->activity, ih_record_free);
  self->activity = ih_record_copy (activity);
  update_heading (self);

  g_signal_emit (self, signals[SAVED], 0, activity);

  return TRUE;
}

gboolean
_ih_activity_editor_fatigue_pending (IhActivityEditor *self)
{
  g_return_val_if_fail (IH_IS_ACTIVITY_EDITOR (self), FALSE);

  return self->fatigue_busy;
}
