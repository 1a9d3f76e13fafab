/* ih-meetings-view.c — board meetings held in public: the list, upcoming
 * first, and the chosen one's agenda, questions, patient story and papers
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-meetings-view"

#include "config.h"

#include <glib/gi18n.h>

#include "ih-meetings-view.h"
#include "ih-paper-import.h"
#include "ih-papers.h"
#include "ih-record.h"
#include "ih-resources.h"

typedef struct
{
  IhMeetingsView *view;        /* owned */
  GPtrArray      *paths;       /* char * */
  char           *meeting_id;
  guint           index;
  GString        *messages;
  guint64         done;        /* pages of the current file */
  guint64         total;
} AddJob;

struct _IhMeetingsView
{
  AdwBin          parent_instance;

  /* Template Widgets */
  AdwLeaflet     *leaflet;
  GtkStack       *list_stack;
  GtkListBox     *list_box;
  GtkStack       *content_stack;
  GtkBox         *detail_box;
  AdwEntryRow    *body_row;
  AdwEntryRow    *title_row;
  AdwEntryRow    *date_row;
  AdwEntryRow    *place_row;
  AdwEntryRow    *livestream_row;
  GtkTextView    *agenda_view;
  GtkLabel       *form_error;
  GtkLabel       *form_title;
  GtkDropDown    *story_dropdown;
  GtkLabel       *question_title;
  AdwEntryRow    *question_row;
  AdwEntryRow    *asked_by_row;
  AdwEntryRow    *asked_date_row;
  GtkTextView    *answer_view;
  GtkLabel       *question_error;

  /* Borrowed References (children of detail_box) */
  GtkProgressBar *progress;
  GtkLabel       *add_label;

  /* Owned References */
  IhStore        *store;
  GPtrArray      *meetings;      /* IhMeeting */
  GPtrArray      *papers;        /* IhPaper of the meeting shown */
  GPtrArray      *paper_status;  /* char * */
  char           *selected_id;
  char           *today;
  char           *add_message;
  GCancellable   *cancellable;
  AddJob         *job;
  char           *editing_id;    /* the meeting the form edits; NULL: a new one */
  char           *question_id;   /* the question the form edits; NULL: a new one */
  char           *question_meeting_id; /* the meeting a new question goes to */
  GPtrArray      *story_ids;     /* char *, parallel to the story drop-down; [0] NULL */

  gboolean        selecting;
};

G_DEFINE_FINAL_TYPE (IhMeetingsView, ih_meetings_view, ADW_TYPE_BIN)

static void show_detail    (IhMeetingsView *self);
static void save_question  (IhMeetingsView *self);
static void select_meeting (IhMeetingsView *self,
                            const char     *id,
                            gboolean        navigate);

GtkWidget *
ih_meetings_view_new (IhStore *store)
{
  IhMeetingsView *self;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  self = g_object_new (IH_TYPE_MEETINGS_VIEW, NULL);
  self->store = g_object_ref (store);
  ih_meetings_view_refresh (self);
  return GTK_WIDGET (self);
}

/*
 * The list
 */

static const char *
section_of (IhMeetingsView *self,
            IhMeeting      *meeting)
{
  if (meeting->date == NULL || *meeting->date == '\0')
    return _("No date");
  if (strcmp (meeting->date, self->today) >= 0)
    return _("Upcoming");
  return _("Past");
}

/* "Thursday 5 March 2026", or the text as stored if it is not a date */
static char *
format_date (const char *date)
{
  g_autoptr(GDateTime) time = NULL;
  int year;
  int month;
  int day;

  if (date == NULL || sscanf (date, "%d-%d-%d", &year, &month, &day) != 3)
    return g_strdup (date);

  time = g_date_time_new_local (year, month, day, 12, 0, 0);
  if (time == NULL)
    return g_strdup (date);
  /* Translators: a meeting's date, see g_date_time_format() */
  return g_date_time_format (time, _("%A %-d %B %Y"));
}

static char *
meeting_heading (IhMeeting *meeting)
{
  if (meeting->title != NULL && *meeting->title != '\0' &&
      meeting->body != NULL && *meeting->body != '\0')
    return g_strdup_printf ("%s — %s", meeting->body, meeting->title);
  if (meeting->body != NULL && *meeting->body != '\0')
    return g_strdup (meeting->body);
  return g_strdup (meeting->title ? meeting->title : _("Meeting"));
}

static char *
meeting_when_where (IhMeeting *meeting)
{
  g_autofree char *date = format_date (meeting->date);

  if (date != NULL && meeting->place != NULL && *meeting->place != '\0')
    return g_strdup_printf ("%s · %s", date, meeting->place);
  if (date != NULL)
    return g_steal_pointer (&date);
  if (meeting->place != NULL)
    return g_strdup (meeting->place);
  return g_strdup (_("No date set"));
}

static void
header_func (GtkListBoxRow *row,
             GtkListBoxRow *before,
             gpointer       data)
{
  IhMeetingsView *self = data;
  guint i = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "ih-index"));
  const char *section = section_of (self, g_ptr_array_index (self->meetings, i));
  GtkWidget *label;

  if (before != NULL)
    {
      guint j = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (before), "ih-index"));

      if (g_strcmp0 (section, section_of (self, g_ptr_array_index (self->meetings, j))) == 0)
        {
          gtk_list_box_row_set_header (row, NULL);
          return;
        }
    }

  label = gtk_label_new (section);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_top (label, before ? 12 : 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_list_box_row_set_header (row, label);
}

void
ih_meetings_view_refresh (IhMeetingsView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *keep = NULL;
  GtkWidget *child;

  g_return_if_fail (IH_IS_MEETINGS_VIEW (self));

  g_free (self->today);
  self->today = g_date_time_format (now, "%Y-%m-%d");

  g_clear_pointer (&self->meetings, g_ptr_array_unref);
  self->meetings = ih_papers_list_meetings (self->store, self->today, &error);
  if (self->meetings == NULL)
    {
      g_warning ("Cannot list the meetings: %s", error->message);
      self->meetings = g_ptr_array_new_with_free_func (ih_record_free);
    }

  keep = g_strdup (self->selected_id);
  self->selecting = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  for (guint i = 0; i < self->meetings->len; i++)
    {
      IhMeeting *meeting = g_ptr_array_index (self->meetings, i);
      g_autofree char *heading = meeting_heading (meeting);
      g_autofree char *subtitle = meeting_when_where (meeting);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), heading);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      if (ih_papers_get_meeting_offline (self->store, meeting->parent.id))
        {
          GtkWidget *icon = gtk_image_new_from_icon_name ("folder-download-symbolic");

          gtk_widget_set_tooltip_text (icon, _("Available offline"));
          gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, _("Available offline"),
                                          -1);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
        }
      g_object_set_data (G_OBJECT (row), "ih-index", GUINT_TO_POINTER (i));
      gtk_list_box_append (self->list_box, row);
    }
  self->selecting = FALSE;

  gtk_stack_set_visible_child_name (self->list_stack, self->meetings->len > 0 ? "list" : "empty");
  select_meeting (self, keep, FALSE);
}

guint
ih_meetings_view_get_n_meetings (IhMeetingsView *self)
{
  g_return_val_if_fail (IH_IS_MEETINGS_VIEW (self), 0);
  return self->meetings->len;
}

const char *
ih_meetings_view_get_meeting_id (IhMeetingsView *self,
                                 guint           position)
{
  g_return_val_if_fail (IH_IS_MEETINGS_VIEW (self), NULL);

  if (position >= self->meetings->len)
    return NULL;
  return ((IhRecord *) g_ptr_array_index (self->meetings, position))->id;
}

const char *
ih_meetings_view_get_section (IhMeetingsView *self,
                              guint           position)
{
  g_return_val_if_fail (IH_IS_MEETINGS_VIEW (self), NULL);

  if (position >= self->meetings->len)
    return NULL;
  return section_of (self, g_ptr_array_index (self->meetings, position));
}

const char *
ih_meetings_view_get_selected_id (IhMeetingsView *self)
{
  g_return_val_if_fail (IH_IS_MEETINGS_VIEW (self), NULL);
  return self->selected_id;
}

const char *
ih_meetings_view_get_state (IhMeetingsView *self)
{
  g_return_val_if_fail (IH_IS_MEETINGS_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->content_stack);
}

static IhMeeting *
selected_meeting (IhMeetingsView *self)
{
  for (guint i = 0; self->selected_id != NULL && i < self->meetings->len; i++)
    {
      IhMeeting *meeting = g_ptr_array_index (self->meetings, i);

      if (g_strcmp0 (meeting->parent.id, self->selected_id) == 0)
        return meeting;
    }
  return NULL;
}

static void
select_meeting (IhMeetingsView *self,
                const char     *id,
                gboolean        navigate)
{
  GtkListBoxRow *row = NULL;

  for (guint i = 0; id != NULL && i < self->meetings->len; i++)
    if (g_strcmp0 (((IhRecord *) g_ptr_array_index (self->meetings, i))->id, id) == 0)
      row = gtk_list_box_get_row_at_index (self->list_box, i);

  if (id != self->selected_id)
    {
      g_free (self->selected_id);
      self->selected_id = row ? g_strdup (id) : NULL;
    }

  self->selecting = TRUE;
  if (row != NULL)
    gtk_list_box_select_row (self->list_box, row);
  else
    gtk_list_box_unselect_all (self->list_box);
  self->selecting = FALSE;

  show_detail (self);
  if (navigate && row != NULL)
    adw_leaflet_set_visible_child_name (self->leaflet, "content");
}

void
ih_meetings_view_select (IhMeetingsView *self,
                         const char     *id)
{
  g_return_if_fail (IH_IS_MEETINGS_VIEW (self));

  select_meeting (self, id, TRUE);
}

static void
row_selected_cb (IhMeetingsView *self,
                 GtkListBoxRow  *row,
                 GtkListBox     *list)
{
  guint i;

  if (self->selecting || row == NULL)
    return;

  i = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "ih-index"));
  g_free (self->selected_id);
  self->selected_id = g_strdup (((IhRecord *) g_ptr_array_index (self->meetings, i))->id);
  show_detail (self);
  adw_leaflet_set_visible_child_name (self->leaflet, "content");
}

/*
 * The detail of a meeting
 */

static GtkWidget *
add_group (IhMeetingsView *self,
           const char     *title)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_box_append (self->detail_box, group);
  return group;
}

static GtkWidget *
wrapped_label (const char *text,
               const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
livestream_clicked_cb (GtkButton *button,
                       gpointer   data)
{
  const char *url = g_object_get_data (G_OBJECT (button), "ih-url");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, url, GDK_CURRENT_TIME);
}

static gboolean
refresh_idle (gpointer data)
{
  IhMeetingsView *self = data;

  if (self->store != NULL && gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    ih_meetings_view_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
offline_cb (IhMeetingsView *self,
            GParamSpec     *pspec,
            GtkSwitch      *sw)
{
  g_autoptr(GError) error = NULL;

  if (self->selected_id == NULL)
    return;

  if (!ih_papers_set_meeting_offline (self->store, self->selected_id,
                                      gtk_switch_get_active (sw), &error))
    {
      g_warning ("Cannot mark the meeting available offline: %s", error->message);
      return;
    }

  /* The list shows it too; not rebuilt under the switch's feet */
  g_idle_add_full (G_PRIORITY_HIGH_IDLE, refresh_idle, g_object_ref (self), g_object_unref);
}

static void
story_activated_cb (AdwActionRow *row,
                    gpointer      data)
{
  const char *text = g_object_get_data (G_OBJECT (row), "ih-text");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (row));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Patient Story"), text);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
paper_activated_cb (IhMeetingsView *self,
                    AdwActionRow   *row)
{
  ih_meetings_view_open_paper (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "ih-index")));
}

static void
add_story (IhMeetingsView *self,
           IhMeeting      *meeting)
{
  g_autoptr(IhInsight) story = NULL;
  GtkWidget *group;
  GtkWidget *row;

  if (meeting->story_insight_id == NULL || *meeting->story_insight_id == '\0')
    return;

  group = add_group (self, _("Patient Story"));
  story = ih_store_load (self->store, &ih_insight_class, meeting->story_insight_id, NULL);
  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (story == NULL || story->parent.deleted || story->text == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("The story is not in this library"));
    }
  else if (g_strcmp0 (story->consent, "withdrawn") == 0)
    {
      /* Never shown once the person has taken their consent back */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("The person who told this story has withdrawn their consent"));
    }
  else
    {
      g_autofree char *date = format_date (story->date);
      const char *consent = ih_vocab_label ("consent", story->consent);
      g_autofree char *subtitle = NULL;
      g_autofree char *full = NULL;

      if (date != NULL && consent != NULL)
        /* Translators: a story's date and its consent ("May quote") */
        subtitle = g_strdup_printf (_("%s · Consent: %s"), date, consent);
      else if (consent != NULL)
        subtitle = g_strdup_printf (_("Consent: %s"), consent);
      else
        subtitle = g_strdup (date);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), story->text);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
      if (subtitle != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      full = subtitle ? g_strdup_printf ("%s\n\n%s", story->text, subtitle) : g_strdup (story->text);
      g_object_set_data_full (G_OBJECT (row), "ih-text", g_steal_pointer (&full), g_free);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_signal_connect (row, "activated", G_CALLBACK (story_activated_cb), NULL);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
}

static void
add_agenda (IhMeetingsView *self,
            IhMeeting      *meeting)
{
  GtkWidget *group = add_group (self, _("Agenda"));
  guint n = meeting->agenda ? g_strv_length (meeting->agenda) : 0;

  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No agenda yet"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      GtkWidget *label = gtk_label_new (number);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "numeric");
      gtk_label_set_width_chars (GTK_LABEL (label), 2);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), label);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), meeting->agenda[i]);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
}

static void
add_questions (IhMeetingsView *self,
               IhMeeting      *meeting)
{
  g_autoptr(GPtrArray) questions = NULL;
  GtkWidget *group = add_group (self, _("Public Questions"));
  GtkWidget *button = gtk_button_new_with_mnemonic (_("Add _Question"));

  gtk_widget_set_tooltip_text (button, _("Record a question from the public to this meeting"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "meetings.add-question");
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), button);

  questions = ih_papers_list_questions (self->store, meeting->parent.id, NULL);
  if (questions == NULL || questions->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No questions from the public"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      return;
    }

  for (guint i = 0; i < questions->len; i++)
    {
      IhQuestion *question = g_ptr_array_index (questions, i);
      GtkWidget *row = adw_expander_row_new ();
      GtkWidget *answer;
      g_autofree char *subtitle = NULL;
      g_autofree char *date = format_date (question->asked_date);
      gboolean answered = question->answer != NULL && *question->answer != '\0';

      if (question->asked_by != NULL && *question->asked_by != '\0' && date != NULL)
        /* Translators: who asked a public question and when */
        subtitle = g_strdup_printf (_("Asked by %s, %s"), question->asked_by, date);
      else if (question->asked_by != NULL && *question->asked_by != '\0')
        subtitle = g_strdup_printf (_("Asked by %s"), question->asked_by);
      else
        subtitle = g_strdup (date);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), question->question);
      if (subtitle != NULL || !answered)
        {
          g_autofree char *text = g_strdup_printf ("%s%s%s", subtitle ? subtitle : "",
                                                   subtitle && !answered ? " · " : "",
                                                   answered ? "" : _("Not answered yet"));

          adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), text);
        }

      answer = wrapped_label (answered ? question->answer : _("Not answered yet"), answered ? NULL : "dim-label");
      gtk_widget_set_margin_top (answer, 12);
      gtk_widget_set_margin_bottom (answer, 12);
      gtk_widget_set_margin_start (answer, 12);
      gtk_widget_set_margin_end (answer, 12);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), answer);

      button = gtk_button_new_with_mnemonic (answered ? _("Edit _Answer") : _("_Answer"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, answered ? _("Change the answer to this question")
                                                    : _("Write the answer to this question"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "meetings.answer");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", question->parent.id);
      {
        g_autofree char *name = g_strdup_printf (_("Answer “%s”"), question->question);

        gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                        -1);
      }
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row), button);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
}

static void
add_papers (IhMeetingsView *self,
            IhMeeting      *meeting)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *group = add_group (self, _("Papers"));
  GtkWidget *button;
  GtkWidget *box;
  IhBlobs *blobs = ih_papers_get_blobs (self->store);

  button = gtk_button_new_with_mnemonic (_("_Add Papers…"));
  gtk_widget_set_tooltip_text (button, _("Add PDF files to this meeting"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "meetings.add-papers");
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), button);

  g_clear_pointer (&self->papers, g_ptr_array_unref);
  g_ptr_array_set_size (self->paper_status, 0);
  self->papers = ih_papers_list_papers (self->store, meeting->parent.id, &error);
  if (self->papers == NULL)
    {
      g_warning ("Cannot list the papers: %s", error->message);
      self->papers = g_ptr_array_new_with_free_func (ih_record_free);
    }

  if (self->papers->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No papers yet"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  for (guint i = 0; i < self->papers->len; i++)
    {
      IhPaper *paper = g_ptr_array_index (self->papers, i);
      GtkWidget *row = adw_action_row_new ();
      gboolean here = ih_blobs_has (blobs, paper->sha256);
      char *status;

      if (!here)
        status = g_strdup (_("Not on this computer"));
      else if (paper->page_count > 0)
        status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d page", "%d pages", paper->page_count),
                                  (int) paper->page_count);
      else
        status = g_strdup ("");
      g_ptr_array_add (self->paper_status, status);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), paper->title ? paper->title : paper->file_name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), status);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name (here ? "x-office-document-symbolic"
                                                                    : "dialog-warning-symbolic"));
      g_object_set_data (G_OBJECT (row), "ih-index", GUINT_TO_POINTER (i));
      if (here)
        {
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
          g_signal_connect_object (row, "activated", G_CALLBACK (paper_activated_cb), self, G_CONNECT_SWAPPED);
          gtk_widget_set_tooltip_text (row, _("Read this paper"));
        }
      else
        {
          gtk_widget_add_css_class (row, "warning");
          gtk_widget_set_tooltip_text (row, _("This paper's file is not on this computer: it comes with the next sync"));
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  /* Progress and problems of adding papers */
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->add_label = GTK_LABEL (wrapped_label (NULL, NULL));
  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Adding papers"),
                                  -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->progress));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->add_label));
  gtk_widget_set_visible (GTK_WIDGET (self->progress), self->job != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->add_label), self->job != NULL || self->add_message != NULL);
  if (self->add_message != NULL)
    gtk_label_set_text (self->add_label, self->add_message);
  gtk_widget_set_visible (box, self->job != NULL || self->add_message != NULL);
  gtk_box_append (self->detail_box, box);
}

static void
show_detail (IhMeetingsView *self)
{
  IhMeeting *meeting = selected_meeting (self);
  g_autofree char *heading = NULL;
  g_autofree char *when = NULL;
  GtkWidget *child;
  GtkWidget *group;
  GtkWidget *row;
  GtkWidget *sw;

  self->progress = NULL;
  self->add_label = NULL;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))) != NULL)
    gtk_box_remove (self->detail_box, child);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "form") == 0 ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "question") == 0)
    return;

  if (meeting == NULL)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "none");
      g_clear_pointer (&self->papers, g_ptr_array_unref);
      g_ptr_array_set_size (self->paper_status, 0);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "meetings.add-papers", FALSE);
      return;
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "meetings.add-papers", self->job == NULL);

  heading = meeting_heading (meeting);
  when = meeting_when_where (meeting);
  child = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_box_append (GTK_BOX (child), wrapped_label (heading, "title-2"));
  gtk_box_append (GTK_BOX (child), wrapped_label (when, "dim-label"));
  {
    GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
    GtkWidget *edit = gtk_button_new_with_mnemonic (_("_Edit Meeting"));

    gtk_widget_set_hexpand (child, TRUE);
    gtk_widget_set_valign (edit, GTK_ALIGN_START);
    gtk_widget_set_tooltip_text (edit, _("Change this meeting, its agenda and patient story (Ctrl+E)"));
    gtk_actionable_set_action_name (GTK_ACTIONABLE (edit), "meetings.edit");
    gtk_box_append (GTK_BOX (top), child);
    gtk_box_append (GTK_BOX (top), edit);
    gtk_box_append (self->detail_box, top);
  }
  if (meeting->notes != NULL && *meeting->notes != '\0')
    gtk_box_append (self->detail_box, wrapped_label (meeting->notes, NULL));

  if (meeting->livestream_url != NULL && *meeting->livestream_url != '\0')
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *content = adw_button_content_new ();

      adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), "camera-web-symbolic");
      adw_button_content_set_label (ADW_BUTTON_CONTENT (content), _("_Watch the Livestream"));
      adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
      gtk_button_set_child (GTK_BUTTON (button), content);
      gtk_widget_set_halign (button, GTK_ALIGN_START);
      gtk_widget_set_tooltip_text (button, meeting->livestream_url);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Watch the livestream"),
                                      -1);
      gtk_widget_add_css_class (button, "pill");
      g_object_set_data_full (G_OBJECT (button), "ih-url", g_strdup (meeting->livestream_url), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (livestream_clicked_cb), NULL);
      gtk_box_append (self->detail_box, button);
    }

  /* This computer's choice */
  group = add_group (self, NULL);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Available offline"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Keep this meeting's papers on this computer, to read without a connection"));
  sw = gtk_switch_new ();
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (sw), ih_papers_get_meeting_offline (self->store, meeting->parent.id));
  gtk_accessible_update_property (GTK_ACCESSIBLE (sw),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Available offline"),
                                  -1);
  g_signal_connect_object (sw, "notify::active", G_CALLBACK (offline_cb), self, G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  g_object_set_data (G_OBJECT (self), "ih-offline-switch", sw);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  add_papers (self, meeting);
  add_story (self, meeting);
  add_agenda (self, meeting);
  add_questions (self, meeting);

  gtk_stack_set_visible_child_name (self->content_stack, "detail");
}

GPtrArray *
ih_meetings_view_get_papers (IhMeetingsView *self)
{
  g_return_val_if_fail (IH_IS_MEETINGS_VIEW (self), NULL);
  return self->papers;
}

const char *
ih_meetings_view_get_paper_status (IhMeetingsView *self,
                                   guint           index)
{
  g_return_val_if_fail (IH_IS_MEETINGS_VIEW (self), NULL);

  if (index >= self->paper_status->len)
    return NULL;
  return g_ptr_array_index (self->paper_status, index);
}

IhPaperWindow *
ih_meetings_view_open_paper (IhMeetingsView *self,
                             guint           index)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  IhPaperWindow *window;
  IhPaper *paper;
  GtkRoot *root;

  g_return_val_if_fail (IH_IS_MEETINGS_VIEW (self), NULL);

  if (self->papers == NULL || index >= self->papers->len)
    return NULL;

  paper = g_ptr_array_index (self->papers, index);
  path = ih_papers_get_file (self->store, paper, &error);
  if (path == NULL)
    {
      g_debug ("%s", error->message);
      return NULL;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  window = ih_paper_window_new (GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL);
  ih_paper_window_open (window, path, paper->title, paper->sha256);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/*
 * Adding papers
 */

static void add_next (AddJob *job);

static void
add_job_free (AddJob *job)
{
  g_clear_object (&job->view);
  g_ptr_array_unref (job->paths);
  g_free (job->meeting_id);
  g_string_free (job->messages, TRUE);
  g_free (job);
}

static void
update_progress (AddJob *job)
{
  IhMeetingsView *self = job->view;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  double fraction;

  if (self->progress == NULL || job->index >= job->paths->len ||
      g_strcmp0 (self->selected_id, job->meeting_id) != 0)
    return;

  name = g_path_get_basename (g_ptr_array_index (job->paths, job->index));
  /* Translators: the file being added, which of how many */
  text = g_strdup_printf (_("Adding “%s” (%u of %u)…"), name, job->index + 1, job->paths->len);
  fraction = (job->index + (job->total > 0 ? (double) job->done / job->total : 0)) / job->paths->len;

  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->progress)), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->add_label), TRUE);
  gtk_progress_bar_set_fraction (self->progress, fraction);
  gtk_label_set_text (self->add_label, text);
}

static gboolean
add_progress_cb (guint64  done,
                 guint64  total,
                 gpointer data)
{
  AddJob *job = data;

  job->done = done;
  job->total = total;
  update_progress (job);
  return TRUE;
}

static void
add_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  AddJob *job = data;
  IhMeetingsView *self = job->view;
  g_autoptr(GError) error = NULL;
  IhPaperAddResult add_result;
  IhPaper *paper;

  paper = ih_paper_add_file_finish (result, &add_result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->job = NULL;
      add_job_free (job);
      return;
    }

  if (paper == NULL)
    {
      g_string_append_printf (job->messages, "%s%s", job->messages->len ? "\n" : "", error->message);
    }
  else
    {
      if (add_result == IH_PAPER_ALREADY_PRESENT)
        {
          g_autofree char *name = g_path_get_basename (g_ptr_array_index (job->paths, job->index));

          g_string_append_printf (job->messages, "%s", job->messages->len ? "\n" : "");
          /* Translators: a file added twice */
          g_string_append_printf (job->messages, _("“%s” is already here, as “%s”."),
                                  name, paper->title);
        }
      ih_record_free (paper);
    }

  job->index++;
  job->done = job->total = 0;
  if (job->index < job->paths->len)
    {
      add_next (job);
      /* Each paper shows as soon as it is in */
      show_detail (self);
      update_progress (job);
      return;
    }

  g_free (self->add_message);
  self->add_message = job->messages->len > 0 ? g_strdup (job->messages->str) : NULL;
  self->job = NULL;
  add_job_free (job);
  show_detail (self);
}

static void
add_next (AddJob *job)
{
  IhMeetingsView *self = job->view;

  ih_paper_add_file_async (self->store, g_ptr_array_index (job->paths, job->index),
                           job->meeting_id, NULL, NULL, add_progress_cb, job,
                           self->cancellable, add_done_cb, job);
}

void
ih_meetings_view_add_papers (IhMeetingsView  *self,
                             GFile          **files,
                             guint            n_files)
{
  AddJob *job;

  g_return_if_fail (IH_IS_MEETINGS_VIEW (self));
  g_return_if_fail (files != NULL || n_files == 0);

  if (self->job != NULL || self->selected_id == NULL || n_files == 0)
    return;

  job = g_new0 (AddJob, 1);
  job->view = g_object_ref (self);
  job->meeting_id = g_strdup (self->selected_id);
  job->paths = g_ptr_array_new_with_free_func (g_free);
  job->messages = g_string_new (NULL);
  for (guint i = 0; i < n_files; i++)
    {
      char *path = g_file_get_path (files[i]);

      if (path != NULL)
        g_ptr_array_add (job->paths, path);
      else
        {
          g_autofree char *uri = g_file_get_uri (files[i]);

          g_string_append_printf (job->messages, "%s", job->messages->len ? "\n" : "");
          g_string_append_printf (job->messages, _("“%s” is not a local file."), uri);
        }
    }
  if (job->paths->len == 0)
    {
      g_free (self->add_message);
      self->add_message = g_strdup (job->messages->str);
      add_job_free (job);
      show_detail (self);
      return;
    }

  self->job = job;
  g_clear_pointer (&self->add_message, g_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "meetings.add-papers", FALSE);
  show_detail (self);
  update_progress (job);
  add_next (job);
}

gboolean
ih_meetings_view_get_busy (IhMeetingsView *self)
{
  g_return_val_if_fail (IH_IS_MEETINGS_VIEW (self), FALSE);
  return self->job != NULL;
}

const char *
ih_meetings_view_get_add_message (IhMeetingsView *self)
{
  g_return_val_if_fail (IH_IS_MEETINGS_VIEW (self), NULL);
  return self->add_message;
}

static void
chooser_response_cb (IhMeetingsView       *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      guint n = g_list_model_get_n_items (files);
      g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (array, g_list_model_get_item (files, i));
      ih_meetings_view_add_papers (self, (GFile **) array->pdata, array->len);
    }
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_object_unref (chooser);
}

static void
add_papers_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  IhMeetingsView *self = IH_MEETINGS_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (self->selected_id == NULL || self->job != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Add Papers"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Add"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_suffix (filter, "pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/*
 * The new meeting form
 */

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const IhInsight *x = *(IhInsight * const *) a;
  const IhInsight *y = *(IhInsight * const *) b;
  int order = g_strcmp0 (y->date, x->date);

  if (order != 0)
    return order;
  return (y->parent.created_at > x->parent.created_at) - (y->parent.created_at < x->parent.created_at);
}

/* The drop-down of stories: "None", then the insights newest first (never
 * one whose teller withdrew consent), choosing @chosen_id */
static void
fill_stories (IhMeetingsView *self,
              const char     *chosen_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) insights = ih_store_list (self->store, &ih_insight_class, &error);
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint chosen = 0;

  if (insights == NULL)
    {
      g_warning ("Cannot list the insights: %s", error->message);
      insights = g_ptr_array_new_with_free_func (ih_record_free);
    }
  g_ptr_array_sort (insights, compare_newest_first);

  g_ptr_array_set_size (self->story_ids, 0);
  gtk_string_list_append (list, _("None"));
  g_ptr_array_add (self->story_ids, NULL);
  for (guint i = 0; i < insights->len; i++)
    {
      IhInsight *insight = g_ptr_array_index (insights, i);
      g_autofree char *text = NULL;

      if (insight->text == NULL || g_strcmp0 (insight->consent, "withdrawn") == 0)
        continue;
      if (g_utf8_strlen (insight->text, -1) > 80)
        {
          g_autofree char *start = g_utf8_substring (insight->text, 0, 79);

          text = g_strdup_printf ("%s…", start);
        }
      else
        text = g_strdup (insight->text);
      g_strdelimit (text, "\n\r\t", ' ');
      if (g_strcmp0 (insight->parent.id, chosen_id) == 0)
        chosen = self->story_ids->len;
      gtk_string_list_append (list, text);
      g_ptr_array_add (self->story_ids, g_strdup (insight->parent.id));
    }

  gtk_drop_down_set_model (self->story_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->story_dropdown, chosen);
}

static void
story_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), 20);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  gtk_list_item_set_child (item, label);
}

static void
story_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  data)
{
  GtkStringObject *string = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_text (GTK_LABEL (label), gtk_string_object_get_string (string));
  gtk_widget_set_tooltip_text (label, gtk_string_object_get_string (string));
}

static void
open_form (IhMeetingsView *self,
           IhMeeting      *meeting)
{
  AdwEntryRow *rows[] = { self->body_row, self->title_row, self->date_row, self->place_row, self->livestream_row };
  const char *values[G_N_ELEMENTS (rows)] = { NULL, };
  g_autofree char *agenda = NULL;

  if (meeting != NULL)
    {
      values[0] = meeting->body;
      values[1] = meeting->title;
      values[2] = meeting->date;
      values[3] = meeting->place;
      values[4] = meeting->livestream_url;
      if (meeting->agenda != NULL)
        agenda = g_strjoinv ("\n", meeting->agenda);
    }

  g_free (self->editing_id);
  self->editing_id = meeting ? g_strdup (meeting->parent.id) : NULL;
  gtk_label_set_text (self->form_title, meeting ? _("Edit Meeting") : _("New Meeting"));

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      gtk_editable_set_text (GTK_EDITABLE (rows[i]), values[i] ? values[i] : "");
      gtk_widget_remove_css_class (GTK_WIDGET (rows[i]), "error");
    }
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->agenda_view), agenda ? agenda : "", -1);
  fill_stories (self, meeting ? meeting->story_insight_id : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->form_error), FALSE);

  gtk_stack_set_visible_child_name (self->content_stack, "form");
  adw_leaflet_set_visible_child_name (self->leaflet, "content");
  gtk_widget_grab_focus (GTK_WIDGET (self->body_row));
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  open_form (IH_MEETINGS_VIEW (widget), NULL);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  IhMeetingsView *self = IH_MEETINGS_VIEW (widget);
  g_autoptr(IhMeeting) meeting = NULL;

  /* Never over a form being filled in */
  if (self->selected_id == NULL ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "detail") != 0)
    return;
  meeting = ih_store_load (self->store, &ih_meeting_class, self->selected_id, NULL);
  if (meeting == NULL || meeting->parent.deleted)
    return;
  open_form (self, meeting);
}

static void
form_error (IhMeetingsView *self,
            AdwEntryRow    *row,
            const char     *message)
{
  gtk_label_set_text (self->form_error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->form_error), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->form_error),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, message,
                                  -1);
  if (row != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (row));
    }
}

static char *
row_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  g_strstrip (text);
  if (*text == '\0')
    return NULL;
  return g_steal_pointer (&text);
}

static void
question_error (IhMeetingsView *self,
                AdwEntryRow    *row,
                const char     *message)
{
  gtk_label_set_text (self->question_error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->question_error), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->question_error),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, message,
                                  -1);
  if (row != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (row));
    }
}

static void
open_question_form (IhMeetingsView *self,
                    IhQuestion     *question)
{
  AdwEntryRow *rows[] = { self->question_row, self->asked_by_row, self->asked_date_row };
  const char *values[] = { question ? question->question : NULL,
                           question ? question->asked_by : NULL,
                           question ? question->asked_date : NULL };
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->answer_view);
  GtkTextIter end;

  g_free (self->question_id);
  self->question_id = question ? g_strdup (question->parent.id) : NULL;
  g_free (self->question_meeting_id);
  self->question_meeting_id = g_strdup (question ? question->meeting_id : self->selected_id);
  gtk_label_set_text (self->question_title, question ? _("Answer Question") : _("Add Question"));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      gtk_editable_set_text (GTK_EDITABLE (rows[i]), values[i] ? values[i] : "");
      gtk_widget_remove_css_class (GTK_WIDGET (rows[i]), "error");
    }
  gtk_text_buffer_set_text (buffer, question && question->answer ? question->answer : "", -1);
  gtk_widget_set_visible (GTK_WIDGET (self->question_error), FALSE);

  gtk_stack_set_visible_child_name (self->content_stack, "question");
  adw_leaflet_set_visible_child_name (self->leaflet, "content");
  if (question != NULL)
    {
      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_place_cursor (buffer, &end);
      gtk_widget_grab_focus (GTK_WIDGET (self->answer_view));
    }
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->question_row));
}

static void
add_question_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  IhMeetingsView *self = IH_MEETINGS_VIEW (widget);

  if (self->selected_id != NULL)
    open_question_form (self, NULL);
}

static void
answer_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  IhMeetingsView *self = IH_MEETINGS_VIEW (widget);
  g_autoptr(IhQuestion) question = NULL;

  question = ih_store_load (self->store, &ih_question_class, g_variant_get_string (param, NULL), NULL);
  if (question == NULL || question->parent.deleted)
    return;
  open_question_form (self, question);
}

static void
save_question (IhMeetingsView *self)
{
  g_autoptr(IhQuestion) question = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *date = NULL;
  g_autofree char *answer = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->answer_view);
  GtkTextIter start;
  GtkTextIter end;
  AdwEntryRow *rows[] = { self->question_row, self->asked_by_row, self->asked_date_row };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (rows[i]), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->question_error), FALSE);

  if (self->question_id != NULL)
    question = ih_store_load (self->store, &ih_question_class, self->question_id, NULL);
  if (question == NULL)
    {
      if (self->question_meeting_id == NULL)
        {
          question_error (self, NULL, _("Choose the meeting the question was asked at first."));
          return;
        }
      question = ih_question_new ();
      question->meeting_id = g_strdup (self->question_meeting_id);
    }
  g_clear_pointer (&question->question, g_free);
  g_clear_pointer (&question->asked_by, g_free);
  g_clear_pointer (&question->asked_date, g_free);
  g_clear_pointer (&question->answer, g_free);
  question->question = row_text (self->question_row);
  question->asked_by = row_text (self->asked_by_row);
  date = row_text (self->asked_date_row);

  if (question->question == NULL)
    {
      question_error (self, self->question_row, _("Write the question as it was asked."));
      return;
    }
  if (date != NULL)
    {
      question->asked_date = ih_date_normalize (date);
      if (question->asked_date == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is not a date: write it as 2026-03-05 or 05/03/2026."), date);

          question_error (self, self->asked_date_row, message);
          return;
        }
    }

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  answer = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_strstrip (answer);
  if (*answer != '\0')
    question->answer = g_steal_pointer (&answer);

  if (!ih_store_save (self->store, question, &error))
    {
      question_error (self, NULL, error->message);
      return;
    }

  gtk_stack_set_visible_child_name (self->content_stack, "detail");
  show_detail (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  IhMeetingsView *self = IH_MEETINGS_VIEW (widget);
  g_autoptr(IhMeeting) meeting = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *date = NULL;
  g_autofree char *agenda = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GStrvBuilder) items = g_strv_builder_new ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->agenda_view);
  GtkTextIter start;
  GtkTextIter end;
  AdwEntryRow *rows[] = { self->body_row, self->title_row, self->date_row, self->place_row, self->livestream_row };

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "question") == 0)
    {
      save_question (self);
      return;
    }
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "form") != 0)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (rows[i]), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->form_error), FALSE);

  /* An edit keeps what the form does not show (notes, sync fields) */
  if (self->editing_id != NULL)
    meeting = ih_store_load (self->store, &ih_meeting_class, self->editing_id, NULL);
  if (meeting == NULL)
    meeting = ih_meeting_new ();
  g_clear_pointer (&meeting->body, g_free);
  g_clear_pointer (&meeting->title, g_free);
  g_clear_pointer (&meeting->place, g_free);
  g_clear_pointer (&meeting->livestream_url, g_free);
  g_clear_pointer (&meeting->date, g_free);
  g_clear_pointer (&meeting->agenda, g_strfreev);
  g_clear_pointer (&meeting->story_insight_id, g_free);
  meeting->body = row_text (self->body_row);
  meeting->title = row_text (self->title_row);
  meeting->place = row_text (self->place_row);
  meeting->livestream_url = row_text (self->livestream_row);
  date = row_text (self->date_row);
  {
    guint chosen = gtk_drop_down_get_selected (self->story_dropdown);

    if (chosen < self->story_ids->len && g_ptr_array_index (self->story_ids, chosen) != NULL)
      meeting->story_insight_id = g_strdup (g_ptr_array_index (self->story_ids, chosen));
  }

  if (meeting->body == NULL)
    {
      form_error (self, self->body_row, _("Say which body meets, e.g. “ICB Board”."));
      return;
    }
  if (date != NULL)
    {
      meeting->date = ih_date_normalize (date);
      if (meeting->date == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is not a date: write it as 2026-03-05 or 05/03/2026."), date);

          form_error (self, self->date_row, message);
          return;
        }
    }
  if (meeting->livestream_url != NULL &&
      !g_str_has_prefix (meeting->livestream_url, "https://") &&
      !g_str_has_prefix (meeting->livestream_url, "http://"))
    {
      form_error (self, self->livestream_row, _("The livestream link should start with https://"));
      return;
    }

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  agenda = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  lines = g_strsplit (agenda, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] != '\0')
        g_strv_builder_add (items, lines[i]);
    }
  meeting->agenda = g_strv_builder_end (items);

  if (!ih_store_save (self->store, meeting, &error))
    {
      form_error (self, NULL, error->message);
      return;
    }

  gtk_stack_set_visible_child_name (self->content_stack, "detail");
  g_free (self->selected_id);
  self->selected_id = g_strdup (meeting->parent.id);
  ih_meetings_view_refresh (self);
  adw_leaflet_set_visible_child_name (self->leaflet, "content");
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  IhMeetingsView *self = IH_MEETINGS_VIEW (widget);

  gtk_stack_set_visible_child_name (self->content_stack, "detail");
  show_detail (self);
  if (self->selected_id == NULL)
    adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  IhMeetingsView *self = IH_MEETINGS_VIEW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/*
 * GObject overrides
 */

static void
ih_meetings_view_dispose (GObject *object)
{
  IhMeetingsView *self = (IhMeetingsView *) object;

  g_cancellable_cancel (self->cancellable);
  /* The leaflet is both the bin's child and a template child: let the bin
   * drop it first, so it is not unparented twice */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), IH_TYPE_MEETINGS_VIEW);

  G_OBJECT_CLASS (ih_meetings_view_parent_class)->dispose (object);
}

static void
ih_meetings_view_finalize (GObject *object)
{
  IhMeetingsView *self = (IhMeetingsView *) object;

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->meetings, g_ptr_array_unref);
  g_clear_pointer (&self->papers, g_ptr_array_unref);
  g_clear_pointer (&self->paper_status, g_ptr_array_unref);
  g_clear_pointer (&self->selected_id, g_free);
  g_clear_pointer (&self->today, g_free);
  g_clear_pointer (&self->add_message, g_free);
  g_clear_pointer (&self->editing_id, g_free);
  g_clear_pointer (&self->question_id, g_free);
  g_clear_pointer (&self->question_meeting_id, g_free);
  g_clear_pointer (&self->story_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (ih_meetings_view_parent_class)->finalize (object);
}

static void
ih_meetings_view_class_init (IhMeetingsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ih_meetings_view_dispose;
  object_class->finalize = ih_meetings_view_finalize;

  /* Pulls the resources out of the static library */
  g_assert (ih_get_resource () != NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/insighthub/InsightHub/ui/ih-meetings-view.ui");
  gtk_widget_class_bind_template_child (widget_class, IhMeetingsView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, IhMeetingsView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, IhMeetingsView, list_box);
  gtk_widget_class_bind_template_child (widget_class, IhMeetingsView, content_stack);
  gtk_widget_class_bind_template_child (widget_class, IhMeetingsView, detail_box);
  gtk_widget_class_bind_template_child (widget_class, IhMeetingsView, body_row);
  gtk_widget_class_bind_template_child (widget_class, IhMeetingsView, title_row);
  gtk_widget_class_bind_template_child (widget_class, IhMeetingsView, date_row);
  gtk_widget_class_bind_template_child (widget_class, IhMeetingsView, place_row);
  gtk_widget_class_bind_template_child (widget_class, IhMeetingsView, livestream_row);
  gtk_widget_class_bind_template_child (widget_class, IhMeetingsView, agenda_view);
  gtk_widget_class_bind_template_child (widget_class, IhMeetingsView, form_error);
  gtk_widget_class_bind_template_child (widget_class, IhMeetingsView, form_title);
  gtk_widget_class_bind_template_child (widget_class, IhMeetingsView, story_dropdown);
  gtk_widget_class_bind_template_child (widget_class, IhMeetingsView, question_title);
  gtk_widget_class_bind_template_child (widget_class, IhMeetingsView, question_row);
  gtk_widget_class_bind_template_child (widget_class, IhMeetingsView, asked_by_row);
  gtk_widget_class_bind_template_child (widget_class, IhMeetingsView, asked_date_row);
  gtk_widget_class_bind_template_child (widget_class, IhMeetingsView, answer_view);
  gtk_widget_class_bind_template_child (widget_class, IhMeetingsView, question_error);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);

  gtk_widget_class_install_action (widget_class, "meetings.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "meetings.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "meetings.add-question", NULL, add_question_action);
  gtk_widget_class_install_action (widget_class, "meetings.answer", "s", answer_action);
  gtk_widget_class_install_action (widget_class, "meetings.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "meetings.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "meetings.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "meetings.add-papers", NULL, add_papers_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "meetings.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "meetings.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "meetings.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "meetings.edit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "meetings.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "meetings.add-papers", NULL);
}

static void
ih_meetings_view_init (IhMeetingsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->paper_status = g_ptr_array_new_with_free_func (g_free);
  self->story_ids = g_ptr_array_new_with_free_func (g_free);
  gtk_drop_down_set_expression (self->story_dropdown,
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  {
    g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

    g_signal_connect (factory, "setup", G_CALLBACK (story_setup_cb), NULL);
    g_signal_connect (factory, "bind", G_CALLBACK (story_bind_cb), NULL);
    gtk_drop_down_set_factory (self->story_dropdown, factory);
  }
  self->meetings = g_ptr_array_new_with_free_func (ih_record_free);
  gtk_list_box_set_header_func (self->list_box, header_func, self, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "meetings.add-papers", FALSE);
}
