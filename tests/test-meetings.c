/* test-meetings.c — the Meetings view driven through its real widgets
 * under Xvfb, on a store the test fills, and rendered to PNGs to look at
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ih-meetings-view.h"
#include "ih-paper-import.h"
#include "ih-papers.h"
#include "ih-test-pdf.h"
#include "ih-test-util.h"
#include "ih-ui-test.h"

/* A date @days from today, YYYY-MM-DD */
static char *
date_from_today (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y-%m-%d");
}

typedef struct
{
  char           *dir;
  IhStore        *store;
  GtkWindow      *window;
  IhMeetingsView *view;
  char           *board_id;      /* in 10 days, with papers, story, questions */
  char           *later_id;      /* in 40 days */
  char           *past_id;       /* 400 days ago */
  char           *older_id;      /* 800 days ago */
  char           *pdf;
} Fixture;

static char *
add_meeting (Fixture    *f,
             const char *body,
             const char *title,
             int         days)
{
  g_autoptr(IhMeeting) meeting = ih_meeting_new ();
  g_autoptr(GError) error = NULL;

  meeting->body = g_strdup (body);
  meeting->title = g_strdup (title);
  meeting->date = date_from_today (days);
  meeting->place = g_strdup ("Shire Hall, Gloucester");
  g_assert_true (ih_store_save (f->store, meeting, &error));
  g_assert_no_error (error);
  return g_strdup (meeting->parent.id);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(IhInsight) story = ih_insight_new ();
  g_autoptr(IhMeeting) board = NULL;
  g_autoptr(IhQuestion) question = ih_question_new ();
  g_autoptr(IhQuestion) unanswered = ih_question_new ();
  g_autoptr(IhPaper) paper = NULL;
  g_autoptr(IhPaper) missing = ih_paper_new ();
  IhPaperAddResult result;

  f->dir = g_dir_make_tmp ("test-meetings-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "meetings.db", NULL);
  f->store = ih_store_open (path, &error);
  g_assert_no_error (error);

  /* Saved out of order on purpose */
  f->past_id = add_meeting (f, "ICB Board", "Annual general meeting", -400);
  f->later_id = add_meeting (f, "Stroud locality partnership", NULL, 40);
  f->older_id = add_meeting (f, "ICB Board", "Winter planning", -800);
  f->board_id = add_meeting (f, "ICB Board", "Meeting in public", 10);

  story->text = g_strdup ("My mum waited nine days to come home from hospital because nobody could arrange her care at home.");
  story->kind = g_strdup ("story");
  story->consent = g_strdup ("may-quote");
  story->date = g_strdup ("2026-01-12");
  g_assert_true (ih_store_save (f->store, story, &error));
  g_assert_no_error (error);

  board = ih_store_load (f->store, &ih_meeting_class, f->board_id, &error);
  g_assert_no_error (error);
  board->story_insight_id = g_strdup (story->parent.id);
  board->livestream_url = g_strdup ("https://www.youtube.com/@ICBBoard/live");
  board->agenda = g_strsplit ("Welcome and apologies\nPatient story\nDischarge to assess: winter update\nPublic questions", "\n", -1);
  g_assert_true (ih_store_save (f->store, board, &error));
  g_assert_no_error (error);

  question->question = g_strdup ("How many people waited more than a week to leave hospital in December?");
  question->meeting_id = g_strdup (f->board_id);
  question->asked_by = g_strdup ("A resident of Stroud");
  question->asked_date = date_from_today (-3);
  question->answer = g_strdup ("142 people; the discharge hub now works at weekends.");
  g_assert_true (ih_store_save (f->store, question, &error));
  g_assert_no_error (error);
  unanswered->question = g_strdup ("Will the minor injuries unit open on Sundays?");
  unanswered->meeting_id = g_strdup (f->board_id);
  g_assert_true (ih_store_save (f->store, unanswered, &error));
  g_assert_no_error (error);

  /* One paper whose file is here, one whose file never came */
  f->pdf = g_build_filename (f->dir, "discharge-update.pdf", NULL);
  test_make_pdf (f->pdf, 6, 2, "discharge");
  paper = ih_paper_add_file (f->store, f->pdf, f->board_id, "Discharge to assess: winter update",
                             NULL, NULL, NULL, &result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (paper);

  missing->meeting_id = g_strdup (f->board_id);
  missing->title = g_strdup ("Finance report");
  missing->file_name = g_strdup ("finance.pdf");
  missing->sha256 = g_strdup ("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  missing->size = 1000;
  g_assert_true (ih_papers_save (f->store, missing, NULL, &error));
  g_assert_no_error (error);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1000, 900);
  f->view = IH_MEETINGS_VIEW (ih_meetings_view_new (f->store));
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gtk_window_present (f->window);
  ih_ui_wait_for (ih_ui_widget_mapped, f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->window);
  ih_ui_settle ();
  /* Paper windows opened by the view too (and any other) */
  ih_ui_destroy_all_windows ();
  g_clear_object (&f->store);
  ih_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->board_id);
  g_free (f->later_id);
  g_free (f->past_id);
  g_free (f->older_id);
  g_free (f->pdf);
}

/* The first widget under @widget of @type whose label/title is @text */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  /* Upcoming soonest first, then past latest first */
  g_assert_cmpuint (ih_meetings_view_get_n_meetings (f->view), ==, 4);
  g_assert_cmpstr (ih_meetings_view_get_meeting_id (f->view, 0), ==, f->board_id);
  g_assert_cmpstr (ih_meetings_view_get_meeting_id (f->view, 1), ==, f->later_id);
  g_assert_cmpstr (ih_meetings_view_get_meeting_id (f->view, 2), ==, f->past_id);
  g_assert_cmpstr (ih_meetings_view_get_meeting_id (f->view, 3), ==, f->older_id);
  g_assert_cmpstr (ih_meetings_view_get_section (f->view, 0), ==, "Upcoming");
  g_assert_cmpstr (ih_meetings_view_get_section (f->view, 1), ==, "Upcoming");
  g_assert_cmpstr (ih_meetings_view_get_section (f->view, 2), ==, "Past");
  g_assert_cmpstr (ih_meetings_view_get_section (f->view, 3), ==, "Past");
  g_assert_cmpstr (ih_meetings_view_get_state (f->view), ==, "none");

  /* Listed under their headings, as a person sees them */
  g_assert_nonnull (find_row (GTK_WIDGET (f->view), "ICB Board — Meeting in public"));
  g_assert_nonnull (find_row (GTK_WIDGET (f->view), "Stroud locality partnership"));
  ih_ui_save_png (GTK_WIDGET (f->window), "meetings-list.png");
}

static void
test_detail (Fixture       *f,
             gconstpointer  data)
{
  GPtrArray *papers;
  GtkWidget *row;
  GtkWidget *sw;
  int present = -1;
  int absent = -1;

  ih_meetings_view_select (f->view, f->board_id);
  g_assert_cmpstr (ih_meetings_view_get_state (f->view), ==, "detail");
  g_assert_cmpstr (ih_meetings_view_get_selected_id (f->view), ==, f->board_id);

  /* Agenda, questions with their answers, the story, the papers */
  g_assert_nonnull (find_row (GTK_WIDGET (f->view), "Discharge to assess: winter update"));
  row = find_row (GTK_WIDGET (f->view), "How many people waited more than a week to leave hospital in December?");
  g_assert_nonnull (row);
  g_assert_true (g_str_has_prefix (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), "Asked by A resident of Stroud"));
  row = find_row (GTK_WIDGET (f->view), "Will the minor injuries unit open on Sundays?");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "Not answered yet");
  row = find_row (GTK_WIDGET (f->view),
                 "My mum waited nine days to come home from hospital because nobody could arrange her care at home.");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Monday 12 January 2026 · Consent: May quote");

  /* The paper whose file is missing says so plainly */
  papers = ih_meetings_view_get_papers (f->view);
  g_assert_cmpuint (papers->len, ==, 2);
  for (guint i = 0; i < papers->len; i++)
    {
      IhPaper *paper = g_ptr_array_index (papers, i);

      if (g_str_equal (paper->title, "Finance report"))
        absent = i;
      else
        present = i;
    }
  g_assert_cmpint (absent, >=, 0);
  g_assert_cmpint (present, >=, 0);
  g_assert_cmpstr (ih_meetings_view_get_paper_status (f->view, absent), ==, "Not on this computer");
  g_assert_cmpstr (ih_meetings_view_get_paper_status (f->view, present), ==, "6 pages");
  row = find_row (GTK_WIDGET (f->view), "Finance report");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Not on this computer");
  g_assert_false (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  g_assert_null (ih_meetings_view_open_paper (f->view, absent));

  ih_ui_save_png (GTK_WIDGET (f->window), "meetings-detail.png");

  /* Available offline: a choice kept in the store, shown in the list */
  sw = g_object_get_data (G_OBJECT (f->view), "ih-offline-switch");
  g_assert_false (ih_papers_get_meeting_offline (f->store, f->board_id));
  gtk_switch_set_active (GTK_SWITCH (sw), TRUE);
  g_assert_true (ih_papers_get_meeting_offline (f->store, f->board_id));
  ih_ui_settle ();
  g_assert_cmpstr (ih_meetings_view_get_selected_id (f->view), ==, f->board_id);
  sw = g_object_get_data (G_OBJECT (f->view), "ih-offline-switch");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (sw)));

  /* A story whose teller withdrew consent is not shown */
  {
    g_autoptr(IhMeeting) board = ih_store_load (f->store, &ih_meeting_class, f->board_id, NULL);
    g_autoptr(IhInsight) story = ih_store_load (f->store, &ih_insight_class, board->story_insight_id, NULL);
    g_autoptr(GError) error = NULL;

    g_free (story->consent);
    story->consent = g_strdup ("withdrawn");
    g_assert_true (ih_store_save (f->store, story, &error));
    g_assert_no_error (error);
    ih_meetings_view_refresh (f->view);
    g_assert_null (find_row (GTK_WIDGET (f->view), story->text));
    g_assert_nonnull (find_row (GTK_WIDGET (f->view), "The person who told this story has withdrawn their consent"));
  }

  /* The narrow window: the detail alone, with a way back */
  gtk_window_set_default_size (f->window, 400, 800);
  ih_ui_settle ();
  ih_ui_save_png (GTK_WIDGET (f->window), "meetings-narrow.png");
}

static gboolean
paper_shown (gpointer data)
{
  IhPaperWindow *window = data;

  return g_strcmp0 (ih_paper_window_get_state (window), "loading") != 0;
}

static void
test_open_paper (Fixture       *f,
                 gconstpointer  data)
{
  GPtrArray *papers;
  IhPaperWindow *window = NULL;

  ih_meetings_view_select (f->view, f->board_id);
  papers = ih_meetings_view_get_papers (f->view);
  for (guint i = 0; i < papers->len; i++)
    if (g_str_equal (((IhPaper *) g_ptr_array_index (papers, i))->title, "Discharge to assess: winter update"))
      window = ih_meetings_view_open_paper (f->view, i);

  g_assert_nonnull (window);
  ih_ui_wait_for (paper_shown, window);
  g_assert_cmpstr (ih_paper_window_get_state (window), ==, "document");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Discharge to assess: winter update");
  g_assert_cmpint (ih_pdf_view_get_n_pages (ih_paper_window_get_view (window)), ==, 6);
}

static gboolean
not_busy (gpointer data)
{
  return !ih_meetings_view_get_busy (data);
}

static void
test_add_papers (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *first = g_build_filename (f->dir, "Quality report.pdf", NULL);
  g_autofree char *second = g_build_filename (f->dir, "Performance report.pdf", NULL);
  g_autofree char *bad = g_build_filename (f->dir, "minutes.pdf", NULL);
  GFile *files[4];

  test_make_pdf (first, 12, 5, "quality");
  test_make_pdf (second, 3, 1, "performance");
  g_assert_true (g_file_set_contents (bad, "not a PDF at all\n", -1, NULL));

  ih_meetings_view_select (f->view, f->later_id);
  g_assert_cmpuint (ih_meetings_view_get_papers (f->view)->len, ==, 0);

  files[0] = g_file_new_for_path (first);
  files[1] = g_file_new_for_path (bad);
  files[2] = g_file_new_for_path (second);
  files[3] = g_file_new_for_path (f->pdf);     /* already in, for another meeting */
  ih_meetings_view_add_papers (f->view, files, G_N_ELEMENTS (files));
  g_assert_true (ih_meetings_view_get_busy (f->view));
  ih_ui_save_png (GTK_WIDGET (f->window), "meetings-adding.png");
  ih_ui_wait_for (not_busy, f->view);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    g_object_unref (files[i]);

  /* The good ones are in, with their pages; the bad one and the one
   * already here are named in the message */
  g_assert_cmpuint (ih_meetings_view_get_papers (f->view)->len, ==, 2);
  g_assert_nonnull (find_row (GTK_WIDGET (f->view), "Quality report"));
  g_assert_nonnull (find_row (GTK_WIDGET (f->view), "Performance report"));
  g_assert_nonnull (ih_meetings_view_get_add_message (f->view));
  g_assert_nonnull (strstr (ih_meetings_view_get_add_message (f->view), "minutes.pdf"));
  g_assert_nonnull (strstr (ih_meetings_view_get_add_message (f->view), "already here"));
  ih_ui_save_png (GTK_WIDGET (f->window), "meetings-added.png");
}

static void
set_row (Fixture    *f,
         const char *title,
         const char *text)
{
  GtkWidget *row = find_row (GTK_WIDGET (f->view), title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
test_new_meeting (Fixture       *f,
                  gconstpointer  data)
{
  GtkTextView *agenda = NULL;
  g_autoptr(IhMeeting) saved = NULL;
  const char *id;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "meetings.new", NULL));
  g_assert_cmpstr (ih_meetings_view_get_state (f->view), ==, "form");

  /* A body is needed, and a real date */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "meetings.save", NULL));
  g_assert_cmpstr (ih_meetings_view_get_state (f->view), ==, "form");
  g_assert_cmpuint (ih_meetings_view_get_n_meetings (f->view), ==, 4);

  set_row (f, "Body (e.g. ICB Board)", "Forest of Dean locality partnership");
  set_row (f, "Date (YYYY-MM-DD or DD/MM/YYYY)", "31/02/2030");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "meetings.save", NULL));
  g_assert_cmpstr (ih_meetings_view_get_state (f->view), ==, "form");
  ih_ui_save_png (GTK_WIDGET (f->window), "meetings-form-error.png");

  set_row (f, "Date (YYYY-MM-DD or DD/MM/YYYY)", "05/03/2030");
  set_row (f, "Place", "Coleford");
  set_row (f, "Livestream link", "https://example.org/live");
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (f->view)); w != NULL; )
    {
      if (GTK_IS_TEXT_VIEW (w))
        {
          agenda = GTK_TEXT_VIEW (w);
          break;
        }
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w ? gtk_widget_get_next_sibling (w) : NULL;
        }
    }
  g_assert_nonnull (agenda);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (agenda), "Welcome\n\n  Community hospitals  \nAny other business\n", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "meetings.save", NULL));

  /* Saved, listed among the upcoming, and shown */
  g_assert_cmpstr (ih_meetings_view_get_state (f->view), ==, "detail");
  g_assert_cmpuint (ih_meetings_view_get_n_meetings (f->view), ==, 5);
  id = ih_meetings_view_get_selected_id (f->view);
  g_assert_cmpstr (ih_meetings_view_get_meeting_id (f->view, 2), ==, id);
  saved = ih_store_load (f->store, &ih_meeting_class, id, NULL);
  g_assert_cmpstr (saved->body, ==, "Forest of Dean locality partnership");
  g_assert_cmpstr (saved->date, ==, "2030-03-05");
  g_assert_cmpstr (saved->place, ==, "Coleford");
  g_assert_cmpuint (g_strv_length (saved->agenda), ==, 3);
  g_assert_cmpstr (saved->agenda[1], ==, "Community hospitals");
  ih_ui_save_png (GTK_WIDGET (f->window), "meetings-new.png");
}

/* The first mapped widget of @type under @widget: of the two forms in
 * the stack, the one shown */
static GtkWidget *
find_shown (GtkWidget *widget,
            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_shown (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The shown button that activates @action */
static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static char *
text_of (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start;
  GtkTextIter end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static const char *
dropdown_item (GtkDropDown *dropdown,
               guint        position)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);
  g_autoptr(GtkStringObject) item = g_list_model_get_item (model, position);

  g_assert_nonnull (item);
  /* The list holds the string while the item is unreferenced */
  return gtk_string_object_get_string (item);
}

static char *
add_story (Fixture    *f,
           const char *text,
           const char *date,
           const char *consent)
{
  g_autoptr(IhInsight) story = ih_insight_new ();
  g_autoptr(GError) error = NULL;

  story->text = g_strdup (text);
  story->kind = g_strdup ("story");
  story->consent = g_strdup (consent);
  story->date = g_strdup (date);
  g_assert_true (ih_store_save (f->store, story, &error));
  g_assert_no_error (error);
  return g_strdup (story->parent.id);
}

static void
test_edit_meeting (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *newer_id = add_story (f, "The bus to Cheltenham General stops before the first clinic opens.", "2026-06-01", "may-quote");
  g_autofree char *withdrawn_id = add_story (f, "A story whose teller took their consent back.", "2026-07-01", "withdrawn");
  g_autofree char *agenda = NULL;
  g_autoptr(IhMeeting) before = ih_store_load (f->store, &ih_meeting_class, f->board_id, NULL);
  g_autoptr(IhMeeting) saved = NULL;
  GtkWidget *button;
  GtkWidget *row;
  GtkTextView *agenda_view;
  GtkDropDown *story;
  GListModel *model;

  ih_meetings_view_select (f->view, f->board_id);
  button = find_action_button (GTK_WIDGET (f->view), "meetings.edit");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (ih_meetings_view_get_state (f->view), ==, "form");
  g_assert_nonnull (ih_ui_find_label (GTK_WIDGET (f->view), "Edit Meeting"));

  /* Prefilled with what is saved */
  row = find_row (GTK_WIDGET (f->view), "Body (e.g. ICB Board)");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "ICB Board");
  row = find_row (GTK_WIDGET (f->view), "Livestream link");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "https://www.youtube.com/@ICBBoard/live");
  agenda_view = GTK_TEXT_VIEW (find_shown (GTK_WIDGET (f->view), GTK_TYPE_TEXT_VIEW));
  g_assert_nonnull (agenda_view);
  agenda = text_of (agenda_view);
  g_assert_cmpstr (agenda, ==, "Welcome and apologies\nPatient story\nDischarge to assess: winter update\nPublic questions");

  /* The stories: none, then newest first, never a withdrawn one; the
   * meeting's own story chosen */
  story = GTK_DROP_DOWN (find_shown (GTK_WIDGET (f->view), GTK_TYPE_DROP_DOWN));
  g_assert_nonnull (story);
  g_assert_true (gtk_drop_down_get_enable_search (story));
  model = gtk_drop_down_get_model (story);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_cmpstr (dropdown_item (story, 0), ==, "None");
  g_assert_cmpstr (dropdown_item (story, 1), ==, "The bus to Cheltenham General stops before the first clinic opens.");
  g_assert_true (g_str_has_prefix (dropdown_item (story, 2), "My mum waited nine days"));
  g_assert_cmpuint (gtk_drop_down_get_selected (story), ==, 2);

  /* A new agenda and a newer story */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (agenda_view),
                            "Welcome\nPatient story\n\n Community pharmacy \n", -1);
  gtk_drop_down_set_selected (story, 1);
  ih_ui_save_png (GTK_WIDGET (f->window), "meetings-edit.png");

  /* Ctrl+E over the form being filled in never throws it away */
  g_assert_true (ih_ui_press_key (GTK_WIDGET (agenda_view), GDK_KEY_e, GDK_CONTROL_MASK));
  g_clear_pointer (&agenda, g_free);
  agenda = text_of (agenda_view);
  g_assert_cmpstr (agenda, ==, "Welcome\nPatient story\n\n Community pharmacy \n");
  g_assert_cmpuint (gtk_drop_down_get_selected (story), ==, 1);

  /* The body is needed: said beside the form, nothing saved */
  set_row (f, "Body (e.g. ICB Board)", "  ");
  row = find_row (GTK_WIDGET (f->view), "Body (e.g. ICB Board)");
  g_assert_true (ih_ui_press_key (GTK_WIDGET (agenda_view), GDK_KEY_s, GDK_CONTROL_MASK));
  g_assert_cmpstr (ih_meetings_view_get_state (f->view), ==, "form");
  g_assert_nonnull (ih_ui_find_label (GTK_WIDGET (f->view), "Say which body meets, e.g. “ICB Board”."));
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  saved = ih_store_load (f->store, &ih_meeting_class, f->board_id, NULL);
  g_assert_cmpstr (saved->body, ==, "ICB Board");
  g_assert_cmpuint (g_strv_length (saved->agenda), ==, 4);
  g_clear_pointer (&saved, ih_record_free);

  /* Ctrl+S saves: the same meeting, changed */
  set_row (f, "Body (e.g. ICB Board)", "ICB Board");
  g_assert_true (ih_ui_press_key (GTK_WIDGET (agenda_view), GDK_KEY_s, GDK_CONTROL_MASK));
  g_assert_cmpstr (ih_meetings_view_get_state (f->view), ==, "detail");
  g_assert_cmpuint (ih_meetings_view_get_n_meetings (f->view), ==, 4);
  g_assert_cmpstr (ih_meetings_view_get_selected_id (f->view), ==, f->board_id);
  saved = ih_store_load (f->store, &ih_meeting_class, f->board_id, NULL);
  g_assert_cmpuint (g_strv_length (saved->agenda), ==, 3);
  g_assert_cmpstr (saved->agenda[0], ==, "Welcome");
  g_assert_cmpstr (saved->agenda[2], ==, "Community pharmacy");
  g_assert_cmpstr (saved->story_insight_id, ==, newer_id);
  g_assert_cmpstr (saved->title, ==, before->title);
  g_assert_cmpstr (saved->date, ==, before->date);
  g_assert_cmpstr (saved->livestream_url, ==, before->livestream_url);
  g_assert_nonnull (find_row (GTK_WIDGET (f->view), "Community pharmacy"));
  g_assert_nonnull (find_row (GTK_WIDGET (f->view), "The bus to Cheltenham General stops before the first clinic opens."));
  g_clear_pointer (&saved, ih_record_free);

  /* "None" takes the story away */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "meetings.edit", NULL));
  story = GTK_DROP_DOWN (find_shown (GTK_WIDGET (f->view), GTK_TYPE_DROP_DOWN));
  g_assert_cmpuint (gtk_drop_down_get_selected (story), ==, 1);
  gtk_drop_down_set_selected (story, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "meetings.save", NULL));
  g_assert_cmpstr (ih_meetings_view_get_state (f->view), ==, "detail");
  saved = ih_store_load (f->store, &ih_meeting_class, f->board_id, NULL);
  g_assert_null (saved->story_insight_id);
  g_assert_cmpuint (g_strv_length (saved->agenda), ==, 3);
  g_assert_null (find_row (GTK_WIDGET (f->view), "The bus to Cheltenham General stops before the first clinic opens."));
  (void) withdrawn_id;
}

static void
test_questions (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) questions = NULL;
  g_autofree char *answer = NULL;
  IhQuestion *question;
  GtkWidget *button;
  GtkWidget *row;
  GtkTextView *answer_view;
  const char *text = "Why has the Cirencester urgent treatment centre closed at night?";

  ih_meetings_view_select (f->view, f->later_id);
  g_assert_nonnull (find_row (GTK_WIDGET (f->view), "No questions from the public"));
  button = find_action_button (GTK_WIDGET (f->view), "meetings.add-question");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (ih_meetings_view_get_state (f->view), ==, "question");

  /* The question is needed, and a real date */
  row = find_row (GTK_WIDGET (f->view), "Question, as asked");
  g_assert_true (ih_ui_press_key (row, GDK_KEY_s, GDK_CONTROL_MASK));
  g_assert_cmpstr (ih_meetings_view_get_state (f->view), ==, "question");
  g_assert_nonnull (ih_ui_find_label (GTK_WIDGET (f->view), "Write the question as it was asked."));
  set_row (f, "Question, as asked", text);
  set_row (f, "Asked by (as they wish to be named)", "Cirencester Patient Participation Group");
  set_row (f, "Date asked (YYYY-MM-DD or DD/MM/YYYY)", "31/11/2026");
  g_assert_true (ih_ui_press_key (row, GDK_KEY_s, GDK_CONTROL_MASK));
  g_assert_cmpstr (ih_meetings_view_get_state (f->view), ==, "question");
  g_assert_nonnull (ih_ui_find_label (GTK_WIDGET (f->view), "“31/11/2026” is not a date: write it as 2026-03-05 or 05/03/2026."));
  questions = ih_papers_list_questions (f->store, f->later_id, NULL);
  g_assert_cmpuint (questions->len, ==, 0);
  g_clear_pointer (&questions, g_ptr_array_unref);

  set_row (f, "Date asked (YYYY-MM-DD or DD/MM/YYYY)", "14/11/2026");
  ih_ui_save_png (GTK_WIDGET (f->window), "meetings-question.png");
  /* Choosing another meeting meanwhile: the question stays with its own */
  ih_meetings_view_select (f->view, f->board_id);
  g_assert_cmpstr (ih_meetings_view_get_state (f->view), ==, "question");
  g_assert_true (ih_ui_press_key (row, GDK_KEY_s, GDK_CONTROL_MASK));
  g_assert_cmpstr (ih_meetings_view_get_state (f->view), ==, "detail");
  questions = ih_papers_list_questions (f->store, f->board_id, NULL);
  g_assert_cmpuint (questions->len, ==, 2);
  g_clear_pointer (&questions, g_ptr_array_unref);
  ih_meetings_view_select (f->view, f->later_id);

  questions = ih_papers_list_questions (f->store, f->later_id, NULL);
  g_assert_cmpuint (questions->len, ==, 1);
  question = g_ptr_array_index (questions, 0);
  g_assert_cmpstr (question->meeting_id, ==, f->later_id);
  g_assert_cmpstr (question->question, ==, text);
  g_assert_cmpstr (question->asked_by, ==, "Cirencester Patient Participation Group");
  g_assert_cmpstr (question->asked_date, ==, "2026-11-14");
  g_assert_null (question->answer);
  row = find_row (GTK_WIDGET (f->view), text);
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), "Not answered yet"));
  g_clear_pointer (&questions, g_ptr_array_unref);

  /* Answered from its own row */
  button = find_action_button (row, "meetings.answer");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (ih_meetings_view_get_state (f->view), ==, "question");
  g_assert_nonnull (ih_ui_find_label (GTK_WIDGET (f->view), "Answer Question"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (GTK_WIDGET (f->view), "Question, as asked"))), ==, text);
  answer_view = GTK_TEXT_VIEW (find_shown (GTK_WIDGET (f->view), GTK_TYPE_TEXT_VIEW));
  g_assert_nonnull (answer_view);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (answer_view),
                            "The centre closed at night for staffing; it reopens overnight in April.\n", -1);
  ih_ui_save_png (GTK_WIDGET (f->window), "meetings-answer.png");
  button = find_action_button (GTK_WIDGET (f->view), "meetings.save");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (ih_meetings_view_get_state (f->view), ==, "detail");

  questions = ih_papers_list_questions (f->store, f->later_id, NULL);
  g_assert_cmpuint (questions->len, ==, 1);
  question = g_ptr_array_index (questions, 0);
  g_assert_cmpstr (question->meeting_id, ==, f->later_id);
  g_assert_cmpstr (question->answer, ==, "The centre closed at night for staffing; it reopens overnight in April.");
  g_assert_cmpstr (question->asked_date, ==, "2026-11-14");
  row = find_row (GTK_WIDGET (f->view), text);
  g_assert_nonnull (row);
  g_assert_null (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), "Not answered yet"));
  g_assert_nonnull (ih_ui_find_label (row, "The centre closed at night for staffing; it reopens overnight in April."));

  /* Editing the answer keeps the one question */
  button = find_action_button (row, "meetings.answer");
  g_signal_emit_by_name (button, "clicked");
  answer_view = GTK_TEXT_VIEW (find_shown (GTK_WIDGET (f->view), GTK_TYPE_TEXT_VIEW));
  answer = text_of (answer_view);
  g_assert_cmpstr (answer, ==, "The centre closed at night for staffing; it reopens overnight in April.");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "meetings.cancel", NULL));
  g_assert_cmpstr (ih_meetings_view_get_state (f->view), ==, "detail");
  g_clear_pointer (&questions, g_ptr_array_unref);
  questions = ih_papers_list_questions (f->store, f->later_id, NULL);
  g_assert_cmpuint (questions->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state = g_dir_make_tmp ("test-meetings-state-XXXXXX", NULL);
  int status;

  g_setenv ("XDG_STATE_HOME", state, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/meetings/list", test_list);
  ADD ("/meetings/detail", test_detail);
  ADD ("/meetings/open-paper", test_open_paper);
  ADD ("/meetings/add-papers", test_add_papers);
  ADD ("/meetings/new", test_new_meeting);
  ADD ("/meetings/edit", test_edit_meeting);
  ADD ("/meetings/questions", test_questions);
#undef ADD

  status = g_test_run ();
  ih_test_remove_tree (state);
  return status;
}
