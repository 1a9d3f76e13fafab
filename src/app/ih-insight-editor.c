/* ih-insight-editor.c — the form for one piece of feedback, made for fast
 * keyboard entry
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-insight-editor"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ih-form-private.h"
#include "ih-insight-editor.h"
#include "ih-pii.h"
#include "ih-record.h"
#include "ih-resources.h"

/* Long enough to skip most keystrokes of a fast typist, short enough that
 * the underline appears while the officer still looks at the number. */
#define SCAN_DELAY_MS 150

/* A draft is written this long after the first change since the last
 * write. The timeout is not restarted by later keystrokes, so continuous
 * typing is still written twice a second: a killed app loses well under a
 * second of it. */
#define DRAFT_DELAY_MS 500

#define DRAFT_GROUP "Draft"

struct _IhInsightEditor
{
  AdwBin          parent_instance;

  /* Template Widgets */
  GtkWidget      *draft_list;
  AdwActionRow   *draft_row;
  GtkWidget      *draft_restore_button;
  GtkWidget      *draft_discard_button;
  GtkTextView    *text_view;
  GtkWidget      *text_frame;
  GtkLabel       *text_error_label;
  GtkWidget      *pii_list;
  AdwActionRow   *pii_row;
  GtkWidget      *redact_button;
  AdwActionRow   *activity_row;
  GtkDropDown    *activity_dropdown;
  AdwComboRow    *kind_row;
  AdwEntryRow    *date_row;
  GtkLabel       *date_error_label;
  AdwEntryRow    *themes_row;
  GtkMenuButton  *themes_button;
  AdwComboRow    *sentiment_row;
  AdwComboRow    *consent_row;
  GtkSwitch      *restricted_switch;
  AdwExpanderRow *person_row;
  AdwComboRow    *age_band_row;
  AdwComboRow    *sex_row;
  AdwComboRow    *ethnic_group_row;
  AdwComboRow    *disability_row;
  AdwEntryRow    *postcode_row;
  GtkLabel       *postcode_error_label;
  GtkLabel       *error_label;
  GtkWidget      *save_button;

  /* Borrowed References */
  GtkTextBuffer  *buffer;
  GtkTextTag     *pii_tag;

  /* Owned References */
  IhStore        *store;
  char           *activity_id;
  GtkStringList  *activity_labels; /* what the Activity choice offers */
  GPtrArray      *activity_ids;    /* their ids, NULL first for "None" */
  gboolean        syncing_activity;
  GArray         *spans;          /* IhPiiSpan of the last scan, or NULL */
  guint           scan_source;

  /* Drafts */
  char           *draft_path;     /* NULL without a store */
  char           *draft_written;  /* the fields as last written, or NULL */
  GKeyFile       *draft_offer;    /* a draft from before, not yet restored or discarded */
  guint           draft_source;
  guint           draft_dirty : 1;
  guint           draft_owned : 1; /* the file at draft_path is this editor's to delete */
};

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

G_DEFINE_FINAL_TYPE (IhInsightEditor, ih_insight_editor, ADW_TYPE_BIN)


/*
 * Auxiliary methods
 */

static char *describe_personal_data (GArray *spans);

/* What a screen reader says about the text view after its name: the
 * problem to fix, else the personal data found, else how to use it. */
static void
update_text_description (IhInsightEditor *self)
{
  g_autofree char *personal_data = NULL;
  const char *description;

  if (gtk_widget_get_visible (GTK_WIDGET (self->text_error_label)))
    description = gtk_label_get_text (self->text_error_label);
  else if (self->spans != NULL && self->spans->len > 0)
    description = personal_data = describe_personal_data (self->spans);
  else
    description = _("What the person said, in their words or summarised. "
                    "Ctrl+Enter saves and starts the next one.");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* Shows @message under @field (or hides it for NULL), marks the field, and
 * tells assistive technology through @focusable, the part that takes the
 * focus. Entry rows also get the message as their description. */
static void
set_field_error (GtkWidget  *field,
                 GtkWidget  *focusable,
                 GtkLabel   *label,
                 const char *message)
{
  g_assert (GTK_IS_WIDGET (field));
  g_assert (GTK_IS_WIDGET (focusable));
  g_assert (GTK_IS_LABEL (label));

  if (message != NULL)
    {
      gtk_label_set_text (label, message);
      gtk_widget_add_css_class (field, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (focusable),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (field, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (focusable), GTK_ACCESSIBLE_STATE_INVALID);
    }
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);

  if (GTK_IS_EDITABLE (field))
    {
      if (message != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (focusable),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                        -1);
      else
        gtk_accessible_reset_property (GTK_ACCESSIBLE (focusable),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

static char *
get_text (IhInsightEditor *self)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  /* A slice keeps one character for each embedded object, so character
   * offsets in the string match the buffer's. */
  return gtk_text_buffer_get_slice (self->buffer, &start, &end, TRUE);
}

/* NULL for an empty field, FALSE with no result when it is not a date */
static gboolean
parse_date (const char  *text,
            char       **date_out)
{
  *date_out = NULL;
  if (_ih_form_text_is_blank (text))
    return FALSE;
  *date_out = ih_date_normalize (text);
  return *date_out != NULL;
}

static char *
describe_personal_data (GArray *spans)
{
  guint counts[IH_PII_POSTCODE + 1] = { 0 };
  IhPiiKind order[IH_PII_POSTCODE + 1];
  guint n_kinds = 0;
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < spans->len; i++)
    {
      IhPiiKind kind = g_array_index (spans, IhPiiSpan, i).kind;

      if ((guint) kind > IH_PII_POSTCODE)
        continue;
      if (counts[kind]++ == 0)
        order[n_kinds++] = kind;
    }

  for (guint i = 0; i < n_kinds; i++)
    {
      guint n = counts[order[i]];
      g_autofree char *phrase = NULL;

      switch (order[i])
        {
        case IH_PII_NHS_NUMBER:
          phrase = n == 1 ? g_strdup (_("an NHS number"))
                          : g_strdup_printf (ngettext ("%u NHS number", "%u NHS numbers", n), n);
          break;
        case IH_PII_PHONE:
          phrase = n == 1 ? g_strdup (_("a phone number"))
                          : g_strdup_printf (ngettext ("%u phone number", "%u phone numbers", n), n);
          break;
        case IH_PII_EMAIL:
          phrase = n == 1 ? g_strdup (_("an email address"))
                          : g_strdup_printf (ngettext ("%u email address", "%u email addresses", n), n);
          break;
        case IH_PII_POSTCODE:
          phrase = n == 1 ? g_strdup (_("a postcode"))
                          : g_strdup_printf (ngettext ("%u postcode", "%u postcodes", n), n);
          break;
        default:
          phrase = g_strdup (ih_pii_kind_label (order[i]));
          break;
        }

      if (list->len > 0)
        /* Translators: separates the kinds of personal data found */
        g_string_append (list, _(", "));
      g_string_append (list, phrase);
    }

  return g_strdup_printf (_("This text may contain personal data: %s"), list->str);
}

static void
update_personal_data_row (IhInsightEditor *self)
{
  guint n = self->spans ? self->spans->len : 0;

  if (n > 0)
    {
      g_autofree char *message = describe_personal_data (self->spans);
      g_autofree char *markup = g_markup_escape_text (message, -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->pii_row), markup);
    }
  update_text_description (self);

  gtk_widget_set_visible (self->pii_list, n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.redact", n > 0);
}

static void
clear_personal_data (IhInsightEditor *self)
{
  GtkTextIter start, end;

  g_clear_handle_id (&self->scan_source, g_source_remove);
  g_clear_pointer (&self->spans, g_array_unref);
  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  gtk_text_buffer_remove_tag (self->buffer, self->pii_tag, &start, &end);
  update_personal_data_row (self);
}

static char *
normalize_theme_name (const char *name)
{
  g_auto(GStrv) words = g_strsplit_set (name, " \t\n", -1);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  /* "Access  to services" and "Access to services" are one theme */
  for (guint i = 0; words[i]; i++)
    if (words[i][0] != '\0')
      g_ptr_array_add (kept, words[i]);
  g_ptr_array_add (kept, NULL);

  return g_strjoinv (" ", (char **) kept->pdata);
}

/* The theme names typed, without blanks or repeats, in the order typed */
static GPtrArray *
parse_theme_names (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ";", -1);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; parts[i]; i++)
    {
      g_autofree char *name = normalize_theme_name (parts[i]);
      char *folded;

      if (name[0] == '\0')
        continue;
      folded = g_utf8_casefold (name, -1);
      if (!g_hash_table_add (seen, folded))
        continue;
      g_ptr_array_add (names, g_steal_pointer (&name));
    }

  return g_steal_pointer (&names);
}

/* Finds each theme by name or creates it (with the id the importer would
 * give it); fills @names with the stored spelling. Inside a transaction. */
static gboolean
resolve_themes (IhInsightEditor  *self,
                GPtrArray        *names,
                GStrv            *ids_out,
                GError          **error)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *id = ih_store_find_theme (self->store, name);

      if (id != NULL)
        {
          g_autoptr(IhTheme) theme = ih_store_load (self->store, &ih_theme_class, id, NULL);

          if (theme != NULL && theme->name != NULL)
            {
              g_free (g_ptr_array_index (names, i));
              g_ptr_array_index (names, i) = g_strdup (theme->name);
            }
        }
      else
        {
          g_autoptr(IhTheme) theme = ih_theme_new ();
          g_autofree char *folded = g_utf8_casefold (name, -1);

          g_free (theme->parent.id);
          theme->parent.id = ih_uuid_from_name ("theme", folded);
          theme->name = g_strdup (name);
          if (!ih_store_save (self->store, theme, error))
            return FALSE;
          id = g_strdup (theme->parent.id);
        }

      g_strv_builder_add (ids, id);
    }

  *ids_out = names->len > 0 ? g_strv_builder_end (ids) : NULL;
  return TRUE;
}

/* Most recent first: by start date (activities without one last), then
 * by when they were entered */
static int
compare_activities (gconstpointer a,
                    gconstpointer b)
{
  const IhActivity *x = *(const IhActivity * const *) a;
  const IhActivity *y = *(const IhActivity * const *) b;
  int by_date;

  if ((x->start_date == NULL) != (y->start_date == NULL))
    return x->start_date == NULL ? 1 : -1;
  by_date = g_strcmp0 (y->start_date, x->start_date);
  if (by_date != 0)
    return by_date;
  if (x->parent.created_at != y->parent.created_at)
    return x->parent.created_at < y->parent.created_at ? 1 : -1;
  return g_strcmp0 (x->title, y->title);
}

/* Shows self->activity_id in the Activity choice ("None" when it is not
 * one of the activities offered) */
static void
sync_activity_choice (IhInsightEditor *self)
{
  guint position = 0;

  g_assert (IH_IS_INSIGHT_EDITOR (self));

  for (guint i = 1; self->activity_id != NULL && i < self->activity_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->activity_ids, i), self->activity_id) == 0)
      {
        position = i;
        break;
      }

  self->syncing_activity = TRUE;
  gtk_drop_down_set_selected (self->activity_dropdown, position);
  self->syncing_activity = FALSE;
}

static gboolean
activity_offered (IhInsightEditor *self,
                  const char      *id)
{
  for (guint i = 1; i < self->activity_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->activity_ids, i), id) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
validate_text (IhInsightEditor *self,
               gboolean         show)
{
  g_autofree char *text = get_text (self);
  gboolean valid = !_ih_form_text_is_blank (text);

  if (show || valid)
    {
      set_field_error (self->text_frame, GTK_WIDGET (self->text_view), self->text_error_label,
                       valid ? NULL : _("Write what the person said first"));
      update_text_description (self);
    }
  return valid;
}

static gboolean
validate_date (IhInsightEditor *self,
               gboolean         show)
{
  g_autofree char *date = NULL;
  gboolean valid = parse_date (gtk_editable_get_text (GTK_EDITABLE (self->date_row)), &date);

  if (show || valid)
    set_field_error (GTK_WIDGET (self->date_row), _ih_form_focusable_part (self->date_row),
                     self->date_error_label,
                     valid ? NULL : _("Write the date as 2024-03-31 or 31/03/2024"));
  return valid;
}

static gboolean
validate_postcode (IhInsightEditor *self,
                   gboolean         show)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->postcode_row));
  g_autofree char *district = NULL;
  gboolean valid = _ih_form_text_is_blank (text) || (district = ih_postcode_district (text)) != NULL;

  if (show || valid)
    set_field_error (GTK_WIDGET (self->postcode_row), _ih_form_focusable_part (self->postcode_row),
                     self->postcode_error_label,
                     valid ? NULL : _("Write a postcode such as GL1 2AB, or just its first part, GL1"));
  return valid;
}

static void
show_error (IhInsightEditor *self,
            const char      *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_today (IhInsightEditor *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  gtk_editable_set_text (GTK_EDITABLE (self->date_row), today);
}

/* Ready for the next piece of feedback from the same session: the text,
 * its personal-data state and what describes one person or one comment
 * (sentiment, the person's details) are cleared; the activity, date, kind,
 * themes, consent and restricted flag stay. */
static void
clear_for_next (IhInsightEditor *self)
{
  /* Ctrl+Z must not bring back text that is already saved */
  gtk_text_buffer_begin_irreversible_action (self->buffer);
  gtk_text_buffer_set_text (self->buffer, "", 0);
  gtk_text_buffer_end_irreversible_action (self->buffer);
  clear_personal_data (self);

  _ih_form_choice_set_key (self->sentiment_row, NULL);
  _ih_form_choice_set_key (self->age_band_row, NULL);
  _ih_form_choice_set_key (self->sex_row, NULL);
  _ih_form_choice_set_key (self->ethnic_group_row, NULL);
  _ih_form_choice_set_key (self->disability_row, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->postcode_row), "");

  set_field_error (self->text_frame, GTK_WIDGET (self->text_view), self->text_error_label, NULL);
  update_text_description (self);
  show_error (self, NULL);

  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

/*
 * Drafts
 */

static char *
get_plain_text (IhInsightEditor *self)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  return gtk_text_buffer_get_text (self->buffer, &start, &end, TRUE);
}

static void
draft_set_choice (GKeyFile    *key_file,
                  const char  *key,
                  AdwComboRow *row)
{
  const char *value = _ih_form_choice_get_key (row);

  g_key_file_set_string (key_file, DRAFT_GROUP, key, value != NULL ? value : "");
}

/* Every field of the form as a draft, without the time it was written */
static GKeyFile *
draft_from_form (IhInsightEditor *self,
                 const char      *text)
{
  GKeyFile *key_file = g_key_file_new ();

  g_key_file_set_string (key_file, DRAFT_GROUP, "text", text);
  draft_set_choice (key_file, "kind", self->kind_row);
  g_key_file_set_string (key_file, DRAFT_GROUP, "date",
                         gtk_editable_get_text (GTK_EDITABLE (self->date_row)));
  g_key_file_set_string (key_file, DRAFT_GROUP, "themes",
                         gtk_editable_get_text (GTK_EDITABLE (self->themes_row)));
  draft_set_choice (key_file, "sentiment", self->sentiment_row);
  draft_set_choice (key_file, "consent", self->consent_row);
  g_key_file_set_boolean (key_file, DRAFT_GROUP, "restricted",
                          gtk_switch_get_active (self->restricted_switch));
  draft_set_choice (key_file, "age-band", self->age_band_row);
  draft_set_choice (key_file, "sex", self->sex_row);
  draft_set_choice (key_file, "ethnic-group", self->ethnic_group_row);
  draft_set_choice (key_file, "disability", self->disability_row);
  g_key_file_set_string (key_file, DRAFT_GROUP, "postcode",
                         gtk_editable_get_text (GTK_EDITABLE (self->postcode_row)));
  g_key_file_set_string (key_file, DRAFT_GROUP, "activity",
                         self->activity_id != NULL ? self->activity_id : "");

  return key_file;
}

/* Forgets the draft this editor wrote, deleting its file */
static void
draft_delete (IhInsightEditor *self)
{
  g_clear_handle_id (&self->draft_source, g_source_remove);
  self->draft_dirty = FALSE;
  g_clear_pointer (&self->draft_written, g_free);

  if (self->draft_owned && self->draft_path != NULL &&
      g_unlink (self->draft_path) != 0 && errno != ENOENT)
    g_debug ("Could not delete the draft %s: %s", self->draft_path, g_strerror (errno));
  self->draft_owned = FALSE;
}

/* Writes the form to the draft file now if it changed since the last
 * write. The file is replaced atomically: after a crash it holds either
 * the previous draft or this one, never a mix. */
static void
draft_write (IhInsightEditor *self)
{
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *fields = NULL;
  g_autofree char *data = NULL;
  g_autofree char *dir = NULL;

  g_assert (IH_IS_INSIGHT_EDITOR (self));

  g_clear_handle_id (&self->draft_source, g_source_remove);

  if (!self->draft_dirty || self->draft_path == NULL || self->buffer == NULL)
    return;

  /* Never overwrite a draft the person has not decided about yet; what is
   * typed meanwhile is written once they have. */
  if (self->draft_offer != NULL)
    return;

  self->draft_dirty = FALSE;

  text = get_plain_text (self);
  if (_ih_form_text_is_blank (text))
    {
      /* Nothing worth keeping: the text was cleared or saved */
      draft_delete (self);
      return;
    }

  key_file = draft_from_form (self, text);
  fields = g_key_file_to_data (key_file, NULL, NULL);
  if (g_strcmp0 (fields, self->draft_written) == 0 && self->draft_owned)
    return;

  g_key_file_set_int64 (key_file, DRAFT_GROUP, "saved-at", g_get_real_time () / G_USEC_PER_SEC);
  data = g_key_file_to_data (key_file, NULL, NULL);

  dir = g_path_get_dirname (self->draft_path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_debug ("Could not create %s: %s", dir, g_strerror (errno));

  if (!g_file_set_contents (self->draft_path, data, -1, &error))
    {
      /* Try again with the next change */
      g_debug ("Could not write the draft %s: %s", self->draft_path, error->message);
      self->draft_dirty = TRUE;
      return;
    }

  g_free (self->draft_written);
  self->draft_written = g_steal_pointer (&fields);
  self->draft_owned = TRUE;
}

static gboolean
draft_timeout_cb (gpointer user_data)
{
  IhInsightEditor *self = user_data;

  g_assert (IH_IS_INSIGHT_EDITOR (self));

  self->draft_source = 0;
  draft_write (self);

  return G_SOURCE_REMOVE;
}

static void
draft_schedule (IhInsightEditor *self)
{
  g_assert (IH_IS_INSIGHT_EDITOR (self));

  self->draft_dirty = TRUE;

  /* Not restarted by each change: see DRAFT_DELAY_MS */
  if (self->draft_source == 0 && self->draft_path != NULL && self->draft_offer == NULL)
    {
      self->draft_source = g_timeout_add (DRAFT_DELAY_MS, draft_timeout_cb, self);
      g_source_set_name_by_id (self->draft_source, "[ih] draft save");
    }
}

/* "today at 14:05" or "3 March 2024 at 14:05" */
static char *
describe_draft_time (gint64 saved_at)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int y1, m1, d1, y2, m2, d2;

  if (saved_at <= 0 || (when = g_date_time_new_from_unix_local (saved_at)) == NULL)
    return NULL;

  g_date_time_get_ymd (when, &y1, &m1, &d1);
  g_date_time_get_ymd (now, &y2, &m2, &d2);
  if (y1 == y2 && m1 == m2 && d1 == d2)
    /* Translators: when unsaved feedback was kept; see g_date_time_format() */
    return g_date_time_format (when, _("today at %H:%M"));
  /* Translators: when unsaved feedback was kept; see g_date_time_format() */
  return g_date_time_format (when, _("%-d %B %Y at %H:%M"));
}

static void
show_draft_offer (IhInsightEditor *self)
{
  g_autofree char *text = NULL;
  g_autofree char *when = NULL;
  g_autofree char *title = NULL;
  g_autofree char *title_markup = NULL;
  g_autofree char *subtitle_markup = NULL;
  g_autoptr(GString) snippet = NULL;

  if (self->draft_offer == NULL)
    {
      gtk_widget_set_visible (self->draft_list, FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.restore-draft", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.discard-draft", FALSE);
      return;
    }

  when = describe_draft_time (g_key_file_get_int64 (self->draft_offer, DRAFT_GROUP, "saved-at", NULL));
  if (when != NULL)
    title = g_strdup_printf (_("Unsaved feedback from %s was kept"), when);
  else
    title = g_strdup (_("Unsaved feedback was kept"));

  /* The start of the text, on one line, so the officer knows which it was */
  text = g_key_file_get_string (self->draft_offer, DRAFT_GROUP, "text", NULL);
  snippet = g_string_new (NULL);
  for (const char *p = text; p != NULL && *p && snippet->len < 200; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          if (snippet->len > 0 && snippet->str[snippet->len - 1] != ' ')
            g_string_append_c (snippet, ' ');
        }
      else
        g_string_append_unichar (snippet, c);
    }
  if (snippet->len >= 200)
    g_string_append (snippet, "…");

  title_markup = g_markup_escape_text (title, -1);
  subtitle_markup = g_markup_printf_escaped ("“%s”", snippet->str);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->draft_row), title_markup);
  adw_action_row_set_subtitle (self->draft_row, subtitle_markup);

  gtk_widget_set_visible (self->draft_list, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.restore-draft", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.discard-draft", TRUE);
}

/* Looks for a draft left for this store; a missing, empty, unreadable or
 * corrupt file is simply not offered. */
static void
load_draft_offer (IhInsightEditor *self)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (self->draft_path == NULL || !g_file_test (self->draft_path, G_FILE_TEST_IS_REGULAR))
    return;

  if (!g_key_file_load_from_file (key_file, self->draft_path, G_KEY_FILE_NONE, &error))
    {
      g_debug ("Ignoring the draft %s: %s", self->draft_path, error->message);
      return;
    }

  text = g_key_file_get_string (key_file, DRAFT_GROUP, "text", &error);
  if (text == NULL || !g_utf8_validate (text, -1, NULL) || _ih_form_text_is_blank (text))
    {
      g_debug ("Ignoring the draft %s: no text%s%s", self->draft_path,
               error != NULL ? ": " : "", error != NULL ? error->message : "");
      return;
    }

  self->draft_offer = g_steal_pointer (&key_file);
}

static void
restore_choice (GKeyFile    *key_file,
                const char  *key,
                AdwComboRow *row)
{
  g_autofree char *value = g_key_file_get_string (key_file, DRAFT_GROUP, key, NULL);

  /* A key the draft does not have leaves the field as it is */
  if (value != NULL)
    _ih_form_choice_set_key (row, value[0] != '\0' ? value : NULL);
}

static void
restore_entry (GKeyFile    *key_file,
               const char  *key,
               AdwEntryRow *row)
{
  g_autofree char *value = g_key_file_get_string (key_file, DRAFT_GROUP, key, NULL);

  if (value != NULL && g_utf8_validate (value, -1, NULL))
    gtk_editable_set_text (GTK_EDITABLE (row), value);
}

/*
 * Callbacks
 */

static gboolean
scan_timeout_cb (gpointer user_data)
{
  IhInsightEditor *self = user_data;

  g_assert (IH_IS_INSIGHT_EDITOR (self));

  self->scan_source = 0;
  ih_insight_editor_scan_now (self);

  return G_SOURCE_REMOVE;
}

static void
buffer_changed_cb (IhInsightEditor *self,
                   GtkTextBuffer   *buffer)
{
  g_assert (IH_IS_INSIGHT_EDITOR (self));

  g_clear_handle_id (&self->scan_source, g_source_remove);
  self->scan_source = g_timeout_add (SCAN_DELAY_MS, scan_timeout_cb, self);
  g_source_set_name_by_id (self->scan_source, "[ih] personal data scan");

  /* Clear a complaint as soon as it is answered, never add one while typing */
  if (gtk_widget_get_visible (GTK_WIDGET (self->text_error_label)))
    validate_text (self, FALSE);

  draft_schedule (self);
}

static void
field_changed_cb (IhInsightEditor *self)
{
  g_assert (IH_IS_INSIGHT_EDITOR (self));

  draft_schedule (self);
}

static void
date_changed_cb (IhInsightEditor *self,
                 GtkEditable     *editable)
{
  g_assert (IH_IS_INSIGHT_EDITOR (self));

  if (gtk_widget_get_visible (GTK_WIDGET (self->date_error_label)))
    validate_date (self, FALSE);
}

static void
postcode_changed_cb (IhInsightEditor *self,
                     GtkEditable     *editable)
{
  g_assert (IH_IS_INSIGHT_EDITOR (self));

  if (gtk_widget_get_visible (GTK_WIDGET (self->postcode_error_label)))
    validate_postcode (self, FALSE);
}

static void
activity_selected_cb (IhInsightEditor *self)
{
  guint position;
  const char *id = NULL;

  g_assert (IH_IS_INSIGHT_EDITOR (self));

  if (self->syncing_activity)
    return;

  position = gtk_drop_down_get_selected (self->activity_dropdown);
  if (position < self->activity_ids->len)
    id = g_ptr_array_index (self->activity_ids, position);

  if (g_strcmp0 (self->activity_id, id) == 0)
    return;
  g_free (self->activity_id);
  self->activity_id = g_strdup (id);
  draft_schedule (self);
}

static void
activity_label_setup_cb (GtkSignalListItemFactory *factory,
                         GtkListItem              *list_item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  gtk_list_item_set_child (list_item, label);
}

static void
activity_label_bind_cb (GtkSignalListItemFactory *factory,
                        GtkListItem              *list_item)
{
  GtkStringObject *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  const char *text = gtk_string_object_get_string (item);

  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, text);
}

static void
themes_popup_cb (GtkMenuButton *button,
                 gpointer       user_data)
{
  IhInsightEditor *self = user_data;
  g_autoptr(GPtrArray) themes = NULL;
  g_autoptr(GMenu) menu = g_menu_new ();

  g_assert (IH_IS_INSIGHT_EDITOR (self));

  themes = ih_store_list (self->store, &ih_theme_class, NULL);
  if (themes != NULL)
    g_ptr_array_set_free_func (themes, ih_record_free);

  for (guint i = 0; themes != NULL && i < themes->len; i++)
    {
      IhTheme *theme = g_ptr_array_index (themes, i);
      g_autoptr(GMenuItem) item = g_menu_item_new (theme->name, NULL);

      g_menu_item_set_action_and_target_value (item, "editor.add-theme",
                                               g_variant_new_string (theme->name));
      g_menu_append_item (menu, item);
    }

  if (themes == NULL || themes->len == 0)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_("No themes yet: type a name to add one"), NULL);

      /* Shown greyed out: an item for a disabled action */
      g_menu_item_set_action_and_target_value (item, "editor.no-themes", NULL);
      g_menu_append_item (menu, item);
    }

  gtk_menu_button_set_menu_model (button, G_MENU_MODEL (menu));
}

/*
 * Actions
 */

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  ih_insight_editor_save (IH_INSIGHT_EDITOR (widget));
}

static void
restore_draft_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  ih_insight_editor_restore_draft (IH_INSIGHT_EDITOR (widget));
}

static void
discard_draft_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  ih_insight_editor_discard_draft (IH_INSIGHT_EDITOR (widget));
}

static void
redact_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ih_insight_editor_redact_all (IH_INSIGHT_EDITOR (widget));
}

static void
add_theme_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  IhInsightEditor *self = IH_INSIGHT_EDITOR (widget);
  const char *name = g_variant_get_string (param, NULL);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->themes_row));
  g_autoptr(GPtrArray) names = parse_theme_names (text);
  g_autofree char *folded = g_utf8_casefold (name, -1);
  g_autoptr(GString) joined = g_string_new (NULL);
  gboolean present = FALSE;

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *other = g_utf8_casefold (g_ptr_array_index (names, i), -1);

      present |= strcmp (other, folded) == 0;
      g_string_append_printf (joined, "%s; ", (char *) g_ptr_array_index (names, i));
    }
  if (!present && name[0] != '\0')
    g_string_append_printf (joined, "%s; ", name);

  gtk_editable_set_text (GTK_EDITABLE (self->themes_row), joined->str);
  gtk_widget_grab_focus (GTK_WIDGET (self->themes_row));
  gtk_editable_set_position (GTK_EDITABLE (self->themes_row), -1);
}

/*
 * GObject overrides
 */

static gboolean
ih_insight_editor_grab_focus (GtkWidget *widget)
{
  IhInsightEditor *self = IH_INSIGHT_EDITOR (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
ih_insight_editor_map (GtkWidget *widget)
{
  IhInsightEditor *self = IH_INSIGHT_EDITOR (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (ih_insight_editor_parent_class)->map (widget);

  /* Activities may have been added or renamed while the form was hidden */
  if (self->store != NULL)
    ih_insight_editor_reload_activities (self);

  /* Typing starts in the text, unless the person is already elsewhere */
  root = gtk_widget_get_root (widget);
  if (root != NULL && gtk_root_get_focus (root) == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
ih_insight_editor_unmap (GtkWidget *widget)
{
  IhInsightEditor *self = IH_INSIGHT_EDITOR (widget);

  /* Hidden windows may never come back: keep what was typed now */
  draft_write (self);

  GTK_WIDGET_CLASS (ih_insight_editor_parent_class)->unmap (widget);
}

static void
ih_insight_editor_constructed (GObject *object)
{
  IhInsightEditor *self = (IhInsightEditor *) object;

  G_OBJECT_CLASS (ih_insight_editor_parent_class)->constructed (object);

  /* The draft belongs to the database it was typed for */
  if (self->store != NULL && ih_store_get_path (self->store) != NULL)
    {
      g_autofree char *base = g_path_get_basename (ih_store_get_path (self->store));
      g_autofree char *name = g_strconcat (base, ".draft", NULL);

      self->draft_path = g_build_filename (g_get_user_state_dir (), "insight-hub", "drafts", name, NULL);
      load_draft_offer (self);
    }
  show_draft_offer (self);

  if (self->store != NULL)
    ih_insight_editor_reload_activities (self);
}

static void
ih_insight_editor_dispose (GObject *object)
{
  IhInsightEditor *self = (IhInsightEditor *) object;

  /* Closing the window keeps what was typed */
  if (self->buffer != NULL)
    draft_write (self);
  g_clear_handle_id (&self->draft_source, g_source_remove);

  g_clear_handle_id (&self->scan_source, g_source_remove);
  if (self->buffer != NULL)
    g_signal_handlers_disconnect_by_data (self->buffer, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), IH_TYPE_INSIGHT_EDITOR);
  self->buffer = NULL;
  self->pii_tag = NULL;

  g_clear_object (&self->store);

  G_OBJECT_CLASS (ih_insight_editor_parent_class)->dispose (object);
}

static void
ih_insight_editor_finalize (GObject *object)
{
  IhInsightEditor *self = (IhInsightEditor *) object;

  g_clear_pointer (&self->activity_id, g_free);
  g_clear_pointer (&self->activity_ids, g_ptr_array_unref);
  g_clear_object (&self->activity_labels);
  g_clear_pointer (&self->spans, g_array_unref);
  g_clear_pointer (&self->draft_path, g_free);
  g_clear_pointer (&self->draft_written, g_free);
  g_clear_pointer (&self->draft_offer, g_key_file_unref);

  G_OBJECT_CLASS (ih_insight_editor_parent_class)->finalize (object);
}

static void
ih_insight_editor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  IhInsightEditor *self = IH_INSIGHT_EDITOR (object);

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
ih_insight_editor_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  IhInsightEditor *self = IH_INSIGHT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_set_object (&self->store, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ih_insight_editor_class_init (IhInsightEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ih_insight_editor_constructed;
  object_class->dispose = ih_insight_editor_dispose;
  object_class->finalize = ih_insight_editor_finalize;
  object_class->get_property = ih_insight_editor_get_property;
  object_class->set_property = ih_insight_editor_set_property;

  widget_class->grab_focus = ih_insight_editor_grab_focus;
  widget_class->map = ih_insight_editor_map;
  widget_class->unmap = ih_insight_editor_unmap;

  /**
   * IhInsightEditor:store:
   *
   * Where the feedback and any new themes are saved.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         IH_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * IhInsightEditor::saved:
   * @self: the editor
   * @insight: the #IhInsight just stored, valid during the emission only
   *
   * Emitted after a piece of feedback is stored, before the form is
   * cleared for the next one.
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL,
                  g_cclosure_marshal_VOID__POINTER,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);


  /* Referencing the bundle links it in from the static library (and so
   * registers it) in every program that uses this widget */
  g_assert (ih_get_resource () != NULL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insighthub/InsightHub/ui/ih-insight-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, draft_list);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, draft_row);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, draft_restore_button);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, draft_discard_button);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, text_view);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, text_frame);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, text_error_label);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, pii_list);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, pii_row);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, redact_button);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, activity_row);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, activity_dropdown);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, kind_row);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, date_row);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, date_error_label);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, themes_row);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, themes_button);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, sentiment_row);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, consent_row);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, restricted_switch);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, person_row);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, age_band_row);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, sex_row);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, ethnic_group_row);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, disability_row);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, postcode_row);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, postcode_error_label);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, IhInsightEditor, save_button);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.redact", NULL, redact_action);
  gtk_widget_class_install_action (widget_class, "editor.restore-draft", NULL, restore_draft_action);
  gtk_widget_class_install_action (widget_class, "editor.discard-draft", NULL, discard_draft_action);
  gtk_widget_class_install_action (widget_class, "editor.add-theme", "s", add_theme_action);
  /* Never enabled: greys out the "no themes yet" menu item */
  gtk_widget_class_install_action (widget_class, "editor.no-themes", NULL, NULL);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_ISO_Enter, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
ih_insight_editor_init (IhInsightEditor *self)
{
  GtkEventController *shortcuts;
  GtkShortcutTrigger *trigger;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->buffer = gtk_text_view_get_buffer (self->text_view);
  self->pii_tag = gtk_text_buffer_create_tag (self->buffer, "personal-data",
                                              "underline", PANGO_UNDERLINE_ERROR,
                                              NULL);
  g_signal_connect_object (self->buffer, "changed",
                           G_CALLBACK (buffer_changed_cb), self,
                           G_CONNECT_SWAPPED);

  /* The text view takes Return, Ctrl or not, as a new line before the
   * class's key bindings (which run as the key bubbles up) could see it:
   * catch Ctrl+Enter on the way down to whichever field has the focus. */
  trigger = gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                         gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_CONTROL_MASK),
                                                                      gtk_keyval_trigger_new (GDK_KEY_ISO_Enter, GDK_CONTROL_MASK)));
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_name (shortcuts, "ih-insight-editor-save-shortcut");
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (trigger, gtk_named_action_new ("editor.save")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  /* The activity: "None" or one of the stored activities, found by
   * typing the start of its title */
  {
    g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
    const char *none[] = { _("None"), NULL };

    self->activity_labels = gtk_string_list_new (none);
    self->activity_ids = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (self->activity_ids, NULL);
    g_signal_connect (factory, "setup", G_CALLBACK (activity_label_setup_cb), NULL);
    g_signal_connect (factory, "bind", G_CALLBACK (activity_label_bind_cb), NULL);
    gtk_drop_down_set_factory (self->activity_dropdown, factory);
    gtk_drop_down_set_expression (self->activity_dropdown,
                                  gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
    gtk_drop_down_set_model (self->activity_dropdown, G_LIST_MODEL (self->activity_labels));
    g_signal_connect_object (self->activity_dropdown, "notify::selected",
                             G_CALLBACK (activity_selected_cb), self, G_CONNECT_SWAPPED);
  }

  _ih_form_setup_choice (self->kind_row, "insight-kind", FALSE, _("Kind"));
  _ih_form_setup_choice (self->sentiment_row, "sentiment", TRUE, _("Sentiment"));
  _ih_form_setup_choice (self->consent_row, "consent", FALSE, _("Consent"));
  _ih_form_choice_set_key (self->consent_row, "may-quote");
  _ih_form_setup_choice (self->age_band_row, "age-band", TRUE, _("Age band"));
  _ih_form_setup_choice (self->sex_row, "sex", TRUE, _("Sex"));
  _ih_form_setup_choice (self->ethnic_group_row, "ethnic-group", TRUE, _("Ethnic group"));
  _ih_form_setup_choice (self->disability_row, "disability", TRUE, _("Disability"));

  _ih_form_set_accessible_label (self->text_view, _("Feedback text"));
  _ih_form_set_accessible_label (self->activity_dropdown, _("Activity"));
  /* The drop-down's button is what takes the focus: name it too */
  for (GtkWidget *part = gtk_widget_get_first_child (GTK_WIDGET (self->activity_dropdown));
       part != NULL;
       part = gtk_widget_get_next_sibling (part))
    if (GTK_IS_TOGGLE_BUTTON (part))
      _ih_form_set_accessible_label (part, _("Activity"));
  _ih_form_set_accessible_label (self->date_row, _("Date"));
  _ih_form_set_accessible_label (self->themes_row, _("Themes, separated by semicolons"));
  _ih_form_set_accessible_label (self->restricted_switch, _("Restricted"));
  _ih_form_set_accessible_label (self->person_row, _("About the person (optional)"));
  _ih_form_set_accessible_label (self->postcode_row, _("Postcode district"));

  set_today (self);
  g_signal_connect_object (self->date_row, "changed",
                           G_CALLBACK (date_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->postcode_row, "changed",
                           G_CALLBACK (postcode_changed_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_menu_button_set_create_popup_func (self->themes_button, themes_popup_cb, self, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.no-themes", FALSE);

  update_personal_data_row (self);

  /* Any change to any field is kept as a draft (set up last: the defaults
   * above are not worth a draft) */
  g_signal_connect_object (self->date_row, "changed",
                           G_CALLBACK (field_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->themes_row, "changed",
                           G_CALLBACK (field_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->postcode_row, "changed",
                           G_CALLBACK (field_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->restricted_switch, "notify::active",
                           G_CALLBACK (field_changed_cb), self, G_CONNECT_SWAPPED);
  {
    AdwComboRow *choices[] = {
      self->kind_row, self->sentiment_row, self->consent_row, self->age_band_row,
      self->sex_row, self->ethnic_group_row, self->disability_row,
    };

    for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
      g_signal_connect_object (choices[i], "notify::selected",
                               G_CALLBACK (field_changed_cb), self, G_CONNECT_SWAPPED);
  }
  self->draft_dirty = FALSE;
}

/*
 * Public API
 */

GtkWidget *
ih_insight_editor_new (IhStore *store)
{
  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  return g_object_new (IH_TYPE_INSIGHT_EDITOR,
                       "store", store,
                       NULL);
}

void
ih_insight_editor_set_activity (IhInsightEditor *self,
                                const char      *activity_id)
{
  g_return_if_fail (IH_IS_INSIGHT_EDITOR (self));

  if (activity_id != NULL && activity_id[0] == '\0')
    activity_id = NULL;

  if (g_strcmp0 (self->activity_id, activity_id) == 0)
    return;

  g_free (self->activity_id);
  self->activity_id = g_strdup (activity_id);

  /* An activity made since the list was read */
  if (activity_id != NULL && !activity_offered (self, activity_id) && self->store != NULL)
    ih_insight_editor_reload_activities (self);
  else
    sync_activity_choice (self);

  draft_schedule (self);
}

const char *
ih_insight_editor_get_activity (IhInsightEditor *self)
{
  g_return_val_if_fail (IH_IS_INSIGHT_EDITOR (self), NULL);

  return self->activity_id;
}

void
ih_insight_editor_reload_activities (IhInsightEditor *self)
{
  g_autoptr(GPtrArray) activities = NULL;
  g_autoptr(GStrvBuilder) labels = NULL;
  g_auto(GStrv) strv = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (IH_IS_INSIGHT_EDITOR (self));
  g_return_if_fail (self->store != NULL);

  activities = ih_store_list (self->store, &ih_activity_class, &error);
  if (activities == NULL)
    {
      g_warning ("Could not list the activities: %s", error->message);
      return;
    }
  g_ptr_array_set_free_func (activities, ih_record_free);
  g_ptr_array_sort (activities, compare_activities);

  labels = g_strv_builder_new ();
  g_strv_builder_add (labels, _("None"));
  g_ptr_array_set_size (self->activity_ids, 1);
  for (guint i = 0; i < activities->len; i++)
    {
      const IhActivity *activity = g_ptr_array_index (activities, i);
      const char *title = activity->title != NULL ? activity->title : _("Untitled activity");
      g_autofree char *label = NULL;

      /* The date tells apart activities of the same name */
      if (activity->start_date != NULL)
        label = g_strdup_printf (C_("activity title and date", "%s (%s)"), title, activity->start_date);
      else
        label = g_strdup (title);
      g_strv_builder_add (labels, label);
      g_ptr_array_add (self->activity_ids, g_strdup (activity->parent.id));
    }
  strv = g_strv_builder_end (labels);

  self->syncing_activity = TRUE;
  gtk_string_list_splice (self->activity_labels, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->activity_labels)),
                          (const char * const *) strv);
  self->syncing_activity = FALSE;
  sync_activity_choice (self);
}

gboolean
ih_insight_editor_save (IhInsightEditor *self)
{
  g_autoptr(IhInsight) insight = NULL;
  g_autoptr(GPtrArray) theme_names = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *postcode;
  GtkWidget *invalid = NULL;
  gboolean began = TRUE;

  g_return_val_if_fail (IH_IS_INSIGHT_EDITOR (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  /* The warning must reflect exactly the text being saved */
  ih_insight_editor_scan_now (self);
  show_error (self, NULL);

  /* Check every field so all the problems show at once; focus the first */
  if (!validate_text (self, TRUE))
    invalid = GTK_WIDGET (self->text_view);
  if (!validate_date (self, TRUE) && invalid == NULL)
    invalid = GTK_WIDGET (self->date_row);
  if (!validate_postcode (self, TRUE))
    {
      adw_expander_row_set_expanded (self->person_row, TRUE);
      if (invalid == NULL)
        invalid = GTK_WIDGET (self->postcode_row);
    }
  if (invalid != NULL)
    {
      gtk_widget_grab_focus (invalid);
      return FALSE;
    }

  insight = ih_insight_new ();
  text = get_text (self);
  /* Embedded objects have no place in the stored text */
  for (char *p = text; (p = strstr (p, "\xef\xbf\xbc")) != NULL;)
    memmove (p, p + 3, strlen (p + 3) + 1);
  insight->text = g_strstrip (g_steal_pointer (&text));
  parse_date (gtk_editable_get_text (GTK_EDITABLE (self->date_row)), &insight->date);
  insight->kind = g_strdup (_ih_form_choice_get_key (self->kind_row));
  insight->sentiment = g_strdup (_ih_form_choice_get_key (self->sentiment_row));
  insight->consent = g_strdup (_ih_form_choice_get_key (self->consent_row));
  insight->restricted = gtk_switch_get_active (self->restricted_switch);
  insight->age_band = g_strdup (_ih_form_choice_get_key (self->age_band_row));
  insight->sex = g_strdup (_ih_form_choice_get_key (self->sex_row));
  insight->ethnic_group = g_strdup (_ih_form_choice_get_key (self->ethnic_group_row));
  insight->disability = g_strdup (_ih_form_choice_get_key (self->disability_row));
  postcode = gtk_editable_get_text (GTK_EDITABLE (self->postcode_row));
  if (!_ih_form_text_is_blank (postcode))
    insight->postcode_district = ih_postcode_district (postcode);
  insight->activity_id = g_strdup (self->activity_id);
  /* Typed in by an officer from notes: recorded, not yet reviewed */
  insight->status = g_strdup ("recorded");

  /* New themes and the feedback are stored together or not at all */
  theme_names = parse_theme_names (gtk_editable_get_text (GTK_EDITABLE (self->themes_row)));
  if (!ih_store_begin (self->store, &error))
    began = FALSE;
  else if (!resolve_themes (self, theme_names, &insight->theme_ids, &error) ||
           !ih_store_save (self->store, insight, &error) ||
           !ih_store_commit (self->store, &error))
    ih_store_rollback (self->store);

  if (error != NULL)
    {
      g_autofree char *message = NULL;

      g_debug ("Could not save feedback%s: %s", began ? "" : " (no transaction)", error->message);
      message = g_strdup_printf (_("The feedback could not be saved: %s"), error->message);
      show_error (self, message);
      return FALSE;
    }

  /* Show the themes as they are stored, ready for the next one */
  if (theme_names->len > 0)
    {
      g_autofree char *joined = NULL;

      g_ptr_array_add (theme_names, NULL);
      joined = g_strjoinv ("; ", (char **) theme_names->pdata);
      gtk_editable_set_text (GTK_EDITABLE (self->themes_row), joined);
    }

  g_signal_emit (self, signals[SAVED], 0, insight);

  clear_for_next (self);
  /* Stored: the draft of it has done its job */
  draft_delete (self);

  return TRUE;
}

void
ih_insight_editor_scan_now (IhInsightEditor *self)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;
  const char *prev;
  glong prev_offset = 0;

  g_return_if_fail (IH_IS_INSIGHT_EDITOR (self));

  g_clear_handle_id (&self->scan_source, g_source_remove);

  text = get_text (self);
  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  gtk_text_buffer_remove_tag (self->buffer, self->pii_tag, &start, &end);
  g_clear_pointer (&self->spans, g_array_unref);
  self->spans = ih_pii_scan (text, -1);

  /* Spans are sorted: walk the text once, bytes to characters */
  prev = text;
  for (guint i = 0; i < self->spans->len; i++)
    {
      const IhPiiSpan *span = &g_array_index (self->spans, IhPiiSpan, i);
      glong start_offset, end_offset;

      start_offset = prev_offset + g_utf8_pointer_to_offset (prev, text + span->start);
      end_offset = start_offset + g_utf8_pointer_to_offset (text + span->start, text + span->end);
      prev = text + span->end;
      prev_offset = end_offset;

      gtk_text_buffer_get_iter_at_offset (self->buffer, &start, start_offset);
      gtk_text_buffer_get_iter_at_offset (self->buffer, &end, end_offset);
      gtk_text_buffer_apply_tag (self->buffer, self->pii_tag, &start, &end);
    }

  update_personal_data_row (self);
}

guint
ih_insight_editor_get_n_personal_data (IhInsightEditor *self)
{
  g_return_val_if_fail (IH_IS_INSIGHT_EDITOR (self), 0);

  return self->spans != NULL ? self->spans->len : 0;
}

void
ih_insight_editor_redact_all (IhInsightEditor *self)
{
  g_autofree char *text = NULL;
  g_autoptr(GArray) spans = NULL;

  g_return_if_fail (IH_IS_INSIGHT_EDITOR (self));

  /* Scan again: the text may have changed since the last look */
  text = get_text (self);
  spans = ih_pii_scan (text, -1);
  if (spans->len == 0)
    {
      ih_insight_editor_scan_now (self);
      return;
    }

  /* Replace span by span from the end, so earlier offsets stay right and
   * the rest of the text (and the cursor) is left alone; one undo step. */
  gtk_text_buffer_begin_user_action (self->buffer);
  for (guint i = spans->len; i > 0; i--)
    {
      const IhPiiSpan *span = &g_array_index (spans, IhPiiSpan, i - 1);
      g_autofree char *found = g_strndup (text + span->start, span->end - span->start);
      g_autoptr(GArray) one = g_array_sized_new (FALSE, FALSE, sizeof (IhPiiSpan), 1);
      IhPiiSpan whole = { span->kind, 0, span->end - span->start };
      g_autofree char *replacement = NULL;
      GtkTextIter start, end;

      g_array_append_val (one, whole);
      replacement = ih_pii_redact (found, one);

      gtk_text_buffer_get_iter_at_offset (self->buffer, &start,
                                          g_utf8_pointer_to_offset (text, text + span->start));
      gtk_text_buffer_get_iter_at_offset (self->buffer, &end,
                                          g_utf8_pointer_to_offset (text, text + span->end));
      gtk_text_buffer_delete (self->buffer, &start, &end);
      gtk_text_buffer_insert (self->buffer, &start, replacement, -1);
    }
  gtk_text_buffer_end_user_action (self->buffer);

  ih_insight_editor_scan_now (self);
}

gboolean
ih_insight_editor_has_draft_offer (IhInsightEditor *self)
{
  g_return_val_if_fail (IH_IS_INSIGHT_EDITOR (self), FALSE);

  return self->draft_offer != NULL;
}

void
ih_insight_editor_restore_draft (IhInsightEditor *self)
{
  g_autoptr(GKeyFile) key_file = NULL;
  g_autofree char *text = NULL;
  g_autofree char *activity = NULL;
  GtkTextIter start, end;
  AdwComboRow *person[] = { self->age_band_row, self->sex_row, self->ethnic_group_row,
                            self->disability_row };
  gboolean about_person;

  g_return_if_fail (IH_IS_INSIGHT_EDITOR (self));

  if (self->draft_offer == NULL)
    return;

  /* The offered file becomes this editor's draft; the changes below
   * write it again as the form now holds it */
  key_file = g_steal_pointer (&self->draft_offer);
  self->draft_owned = TRUE;
  g_clear_pointer (&self->draft_written, g_free);
  show_draft_offer (self);

  text = g_key_file_get_string (key_file, DRAFT_GROUP, "text", NULL);
  /* One step for undo, so text typed meanwhile can come back */
  gtk_text_buffer_begin_user_action (self->buffer);
  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  gtk_text_buffer_delete (self->buffer, &start, &end);
  gtk_text_buffer_insert (self->buffer, &start, text != NULL ? text : "", -1);
  gtk_text_buffer_end_user_action (self->buffer);
  gtk_text_buffer_get_end_iter (self->buffer, &end);
  gtk_text_buffer_place_cursor (self->buffer, &end);

  restore_choice (key_file, "kind", self->kind_row);
  restore_entry (key_file, "date", self->date_row);
  restore_entry (key_file, "themes", self->themes_row);
  restore_choice (key_file, "sentiment", self->sentiment_row);
  restore_choice (key_file, "consent", self->consent_row);
  if (g_key_file_has_key (key_file, DRAFT_GROUP, "restricted", NULL))
    gtk_switch_set_active (self->restricted_switch,
                           g_key_file_get_boolean (key_file, DRAFT_GROUP, "restricted", NULL));
  restore_choice (key_file, "age-band", self->age_band_row);
  restore_choice (key_file, "sex", self->sex_row);
  restore_choice (key_file, "ethnic-group", self->ethnic_group_row);
  restore_choice (key_file, "disability", self->disability_row);
  restore_entry (key_file, "postcode", self->postcode_row);

  /* The feedback was heard at that activity, if it is still there */
  activity = g_key_file_get_string (key_file, DRAFT_GROUP, "activity", NULL);
  if (activity != NULL && activity[0] == '\0')
    ih_insight_editor_set_activity (self, NULL);
  else if (activity != NULL && ih_store_exists (self->store, &ih_activity_class, activity))
    ih_insight_editor_set_activity (self, activity);

  /* Show the details about the person when there are some */
  about_person = !_ih_form_text_is_blank (gtk_editable_get_text (GTK_EDITABLE (self->postcode_row)));
  for (guint i = 0; i < G_N_ELEMENTS (person); i++)
    about_person |= _ih_form_choice_get_key (person[i]) != NULL;
  if (about_person)
    adw_expander_row_set_expanded (self->person_row, TRUE);

  draft_schedule (self);
  ih_insight_editor_scan_now (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

void
ih_insight_editor_discard_draft (IhInsightEditor *self)
{
  g_return_if_fail (IH_IS_INSIGHT_EDITOR (self));

  if (self->draft_offer == NULL)
    return;

  g_clear_pointer (&self->draft_offer, g_key_file_unref);
  if (g_unlink (self->draft_path) != 0 && errno != ENOENT)
    g_debug ("Could not delete the draft %s: %s", self->draft_path, g_strerror (errno));
  self->draft_owned = FALSE;
  g_clear_pointer (&self->draft_written, g_free);
  show_draft_offer (self);

  /* Keep what was typed while the offer waited */
  if (self->draft_dirty)
    draft_schedule (self);

  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

void
ih_insight_editor_flush_draft (IhInsightEditor *self)
{
  g_return_if_fail (IH_IS_INSIGHT_EDITOR (self));

  draft_write (self);
}
