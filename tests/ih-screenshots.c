/* ih-screenshots.c — renders the screenshots the AppStream metainfo lists
 * (the PNGs of data/screenshots/) from the real app: the main window at
 * 1000 × 700 on made-up feedback (bench/ih-gen), a board meeting with a
 * paper, and the paper viewer (and, for a translated guide, the
 * activities, the sync preferences and a conflict). Not a test: `ninja screenshots` runs it
 * (build-aux/screenshots.sh) under Xvfb, in the C locale.
 *
 * Usage: ih-screenshots SAMPLE.csv OUTPUT_DIR [LANGUAGE LOCALEDIR]
 *
 * With LANGUAGE (such as cy) and the build's po/ as LOCALEDIR, the same
 * views in that language, for the translated user guide's figures
 * (help/LANG/figures/): the feedback form then also shows an e-mail
 * address found and a date to correct, as its caption says.
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>

#include "ih-activities-view.h"
#include "ih-application.h"
#include "ih-import.h"
#include "ih-insight-editor.h"
#include "ih-library-view.h"
#include "ih-meetings-view.h"
#include "ih-paper-import.h"
#include "ih-paper-window.h"
#include "ih-papers.h"
#include "ih-pdf-view.h"
#include "ih-search-model.h"
#include "ih-record-json.h"
#include "ih-store.h"
#include "ih-sync-engine.h"
#include "ih-sync-server.h"
#include "ih-sync.h"
#include "ih-window.h"
#include "ih-test-util.h"
#include "ih-ui-test.h"

#define WIDTH  1000
#define HEIGHT 700

static const char *out_dir;

static void
fail (const char *what,
      GError     *error)
{
  g_printerr ("ih-screenshots: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

/* As ih_ui_save_png(), into OUTPUT_DIR */
static void
save_png (GtkWidget  *widget,
          const char *name)
{
  g_autofree char *path = g_build_filename (out_dir, name, NULL);
  g_autoptr(GdkTexture) texture = ih_ui_render_png (widget, path);

  g_print ("%s (%d × %d)\n", path, gdk_texture_get_width (texture), gdk_texture_get_height (texture));
}

/* The default size counts the window's frame: grows it until the window's
 * own content is WIDTH × HEIGHT, the size the metainfo gives */
static void
size_window (GtkWindow *window)
{
  int width = WIDTH;
  int height = HEIGHT;

  gtk_window_set_default_size (window, width, height);
  gtk_window_present (window);
  ih_ui_wait_for (ih_ui_widget_mapped, window);
  for (int tries = 0; ; tries++)
    {
      int w, h;

      ih_ui_settle ();
      w = gtk_widget_get_width (GTK_WIDGET (window));
      h = gtk_widget_get_height (GTK_WIDGET (window));
      if (w == WIDTH && h == HEIGHT)
        return;
      if (tries == 50)
        {
          g_printerr ("ih-screenshots: the window is %d × %d, not %d × %d\n", w, h, WIDTH, HEIGHT);
          exit (1);
        }
      /* the frame's share, added to what is asked for */
      width += WIDTH - w;
      height += HEIGHT - h;
      gtk_window_set_default_size (window, width, height);
    }
}

static char *
date_from_today (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y-%m-%d");
}

/* Writes @text in lines no wider than @width points from (@x, *@y) */
static void
write_paragraph (cairo_t    *cr,
                 const char *text,
                 double      x,
                 double     *y,
                 double      width,
                 double      size)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  g_autoptr(GString) line = g_string_new (NULL);

  cairo_set_font_size (cr, size);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autoptr(GString) tried = g_string_new (line->str);
      cairo_text_extents_t extents;

      if (tried->len > 0)
        g_string_append_c (tried, ' ');
      g_string_append (tried, words[i]);
      cairo_text_extents (cr, tried->str, &extents);
      if (extents.x_advance > width && line->len > 0)
        {
          cairo_move_to (cr, x, *y);
          cairo_show_text (cr, line->str);
          *y += size * 1.45;
          g_string_assign (line, words[i]);
        }
      else
        g_string_assign (line, tried->str);
    }
  cairo_move_to (cr, x, *y);
  cairo_show_text (cr, line->str);
  *y += size * 2.2;
}

/* A four-page board paper, as an ICB publishes them */
static void
make_board_paper (const char *path)
{
  static const char *const paragraphs[] = {
    "This paper updates the Board on discharge to assess over the winter, following the "
    "concerns raised by patients and carers at the autumn engagement events.",
    "Between October and December, 1,204 people were discharged from acute wards to assess "
    "their needs at home. The average wait for a package of care fell from nine days to five.",
    "People told us that nobody explained who to ring after they went home, and that carers "
    "were not asked whether they could cope. The discharge hub now phones every patient on "
    "the day after discharge, and carers are offered an assessment before the patient leaves.",
    "The hub has worked at weekends since 6 January. Weekend discharges rose by a third, and "
    "fewer people waited in hospital over a weekend for a decision.",
    "The Board is asked to note the progress, and to support extending weekend working to "
    "the community hospitals from April.",
  };
  static const char *const headings[] = {
    "1. Purpose", "2. Where we are", "3. What people told us", "4. Weekend discharge",
    "5. Recommendation",
  };
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595, 842);
  cairo_t *cr = cairo_create (surface);

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, "Discharge to assess: winter update");
  for (int page = 0; page < 4; page++)
    {
      double y = 90;

      cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
      cairo_set_source_rgb (cr, 0.0, 0.37, 0.72);
      cairo_rectangle (cr, 0, 0, 595, 40);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_font_size (cr, 11);
      cairo_move_to (cr, 60, 25);
      cairo_show_text (cr, "Integrated Care Board · Meeting in public");
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      if (page == 0)
        {
          cairo_set_font_size (cr, 22);
          cairo_move_to (cr, 60, y);
          cairo_show_text (cr, "Discharge to assess: winter update");
          y += 40;
        }
      for (guint i = 0; i < G_N_ELEMENTS (paragraphs); i++)
        {
          guint n = (i + (guint) page) % G_N_ELEMENTS (paragraphs);

          cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
          cairo_set_font_size (cr, 13);
          cairo_move_to (cr, 60, y);
          cairo_show_text (cr, headings[n]);
          y += 22;
          cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
          write_paragraph (cr, paragraphs[n], 60, &y, 475, 11);
        }
      cairo_set_font_size (cr, 9);
      cairo_move_to (cr, 280, 810);
      {
        g_autofree char *footer = g_strdup_printf ("Page %d of 4", page + 1);
        cairo_show_text (cr, footer);
      }
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static char *
add_meeting (IhStore    *store,
             const char *title,
             int         days,
             const char *agenda,
             const char *story_id)
{
  g_autoptr(IhMeeting) meeting = ih_meeting_new ();
  g_autoptr(GError) error = NULL;

  meeting->body = g_strdup ("ICB Board");
  meeting->title = g_strdup (title);
  meeting->date = date_from_today (days);
  meeting->place = g_strdup ("Shire Hall, Gloucester");
  if (agenda != NULL)
    meeting->agenda = g_strsplit (agenda, "\n", -1);
  meeting->story_insight_id = g_strdup (story_id);
  if (!ih_store_save (store, meeting, &error))
    fail ("saving a meeting", error);
  return g_strdup (meeting->parent.id);
}

typedef struct
{
  IhSearchModel *model;
  IhLibraryView *library;
  const char    *query;
} Searched;

static gboolean
searched (gpointer data)
{
  Searched *s = data;

  return g_strcmp0 (ih_search_model_get_query (s->model), s->query) == 0 &&
         !ih_search_model_get_busy (s->model) &&
         !ih_library_view_get_facets_busy (s->library) &&
         !ih_library_view_get_papers_busy (s->library);
}

static gboolean
paper_shown (gpointer data)
{
  IhPaperWindow *window = data;
  IhPdfView *view = ih_paper_window_get_view (window);

  return g_strcmp0 (ih_paper_window_get_state (window), "document") == 0 &&
         !ih_pdf_view_get_find_busy (view) && ih_pdf_view_get_current_match (view) >= 0;
}

/* A sync server in this process, for the conflicts figure: the server's
 * store, and who a laptop signs in as */
typedef struct
{
  IhStore    *server;
  const char *author;
} Link;

static JsonObject *
link_push (gpointer       data,
           JsonObject    *request,
           GCancellable  *cancellable,
           GError       **error)
{
  Link *link = data;
  g_autoptr(JsonObject) sent = ih_test_wire (request);
  g_autoptr(JsonObject) reply = ih_sync_server_push (link->server, link->author, IH_ROLE_OFFICER, sent, error);

  return reply != NULL ? ih_test_wire (reply) : NULL;
}

static JsonObject *
link_changes (gpointer       data,
              gint64         since,
              guint          limit,
              GCancellable  *cancellable,
              GError       **error)
{
  Link *link = data;
  g_autoptr(JsonObject) batch = ih_sync_server_changes (link->server, since, limit, IH_ROLE_OFFICER, error);

  return batch != NULL ? ih_test_wire (batch) : NULL;
}

static const IhSyncTransport link_transport = { link_push, link_changes };

static void
sync_with (IhStore *store,
           Link    *link)
{
  g_autoptr(IhSyncEngine) engine = ih_sync_engine_new (store, &link_transport, link, NULL);
  g_autoptr(GError) error = NULL;

  if (!ih_sync_engine_run (engine, NULL, NULL, &error))
    fail ("syncing", error);
}

static void
set_text (IhStore    *store,
          const char *id,
          const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhInsight) insight = ih_store_load (store, &ih_insight_class, id, &error);

  if (insight == NULL)
    fail (id, error);
  g_free (insight->text);
  insight->text = g_strdup (text);
  if (!ih_store_save (store, insight, &error))
    fail (id, error);
}

/* Two laptops change the same words of one insight before syncing: the
 * second to sync, @store, then has a conflict to resolve */
static void
make_conflict (IhStore    *store,
               const char *dir)
{
  g_autofree char *server_db = g_build_filename (dir, "server.db", NULL);
  g_autofree char *bob_db = g_build_filename (dir, "bob.db", NULL);
  g_autoptr(IhStore) server = NULL;
  g_autoptr(IhStore) bob = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  Link ann_link = { NULL, "ann@example.org" };
  Link bob_link = { NULL, "bob@example.org" };
  const char *id;

  server = ih_store_open (server_db, &error);
  bob = server != NULL ? ih_store_open (bob_db, &error) : NULL;
  if (bob == NULL ||
      !ih_sync_setup (store, "https://insighthub.example.nhs.uk", &error) ||
      !ih_sync_setup (bob, "https://insighthub.example.nhs.uk", &error))
    fail ("setting up sync", error);
  ann_link.server = bob_link.server = server;
  sync_with (store, &ann_link);
  sync_with (bob, &bob_link);

  all = ih_store_list (store, &ih_insight_class, &error);
  if (all == NULL || all->len == 0)
    fail ("listing the insight", error);
  id = ((IhRecord *) g_ptr_array_index (all, 0))->id;
  set_text (bob, id, "Roedd y maes parcio’n llawn erbyn hanner awr wedi wyth");
  sync_with (bob, &bob_link);
  set_text (store, id, "Roedd y maes parcio’n llawn erbyn naw");
  sync_with (store, &ann_link);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhStore) store = NULL;
  g_autoptr(IhImportReport) report = NULL;
  g_autoptr(IhInsight) story = ih_insight_new ();
  g_autoptr(IhQuestion) question = ih_question_new ();
  g_autoptr(IhPaper) paper = NULL;
  g_autoptr(IhPaper) absent = ih_paper_new ();
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *board_id = NULL;
  g_autofree char *past_id = NULL;
  IhPaperAddResult result;
  IhApplication *app;
  IhWindow *window;
  GtkWidget *library;
  GtkWidget *entry;
  GtkWidget *list_view;
  GtkWidget *meetings;
  GtkWidget *editor;
  GtkTextView *text_view;
  IhPaperWindow *paper_window;
  GPtrArray *papers;
  Searched search;
  gboolean translated;

  if (argc != 3 && argc != 5)
    {
      g_printerr ("Usage: ih-screenshots SAMPLE.csv OUTPUT_DIR [LANGUAGE LOCALEDIR]\n");
      return 2;
    }
  out_dir = argv[2];
  g_mkdir_with_parents (out_dir, 0755);
  translated = argc == 5;

  /* The English the metainfo describes, whatever the session's language,
   * or the language asked for */
  g_setenv ("LANGUAGE", translated ? argv[3] : "C", TRUE);
  setlocale (LC_ALL, "");
  if (translated)
    {
      bindtextdomain (GETTEXT_PACKAGE, argv[4]);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_init ();
  adw_init ();

  dir = g_dir_make_tmp ("ih-screenshots-XXXXXX", &error);
  if (dir == NULL)
    fail ("a temporary folder", error);
  db = g_build_filename (dir, "sample.db", NULL);
  store = ih_store_open (db, &error);
  if (store == NULL)
    fail (db, error);
  if (!ih_import_csv (store, argv[1], NULL, NULL, NULL, &report, &error))
    fail (argv[1], error);

  story->text = g_strdup ("My mum waited nine days to come home from hospital because nobody could arrange her care at home.");
  story->kind = g_strdup ("story");
  story->consent = g_strdup ("may-quote");
  story->date = date_from_today (-30);
  if (!ih_store_save (store, story, &error))
    fail ("saving the story", error);
  past_id = add_meeting (store, "Annual general meeting", -120, NULL, NULL);
  board_id = add_meeting (store, "Meeting in public", 9,
                          "Welcome and apologies\nPatient story\nDischarge to assess: winter update\n"
                          "Urgent and emergency care plan\nPublic questions",
                          story->parent.id);
  question->question = g_strdup ("How many people waited more than a week to leave hospital in December?");
  question->meeting_id = g_strdup (board_id);
  question->asked_by = g_strdup ("A resident of Stroud");
  question->asked_date = date_from_today (-3);
  question->answer = g_strdup ("142 people; the discharge hub now works at weekends.");
  if (!ih_store_save (store, question, &error))
    fail ("saving the question", error);

  pdf = g_build_filename (dir, "discharge-update.pdf", NULL);
  make_board_paper (pdf);
  paper = ih_paper_add_file (store, pdf, board_id, "Discharge to assess: winter update",
                             NULL, NULL, NULL, &result, NULL, &error);
  if (paper == NULL)
    fail (pdf, error);
  absent->meeting_id = g_strdup (board_id);
  absent->title = g_strdup ("Finance report, month 9");
  absent->file_name = g_strdup ("finance-m9.pdf");
  absent->sha256 = g_strdup ("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  absent->size = 48213;
  if (!ih_papers_save (store, absent, NULL, &error))
    fail ("saving the paper", error);

  app = g_object_new (IH_TYPE_APPLICATION,
                      "application-id", IH_APPLICATION_ID,
                      "flags", G_APPLICATION_NON_UNIQUE,
                      NULL);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    fail ("registering the application", error);

  window = ih_window_new (app, store);
  size_window (GTK_WINDOW (window));

  /* Library: a search with a filter, the first result read in full */
  ih_window_set_view (window, "library");
  library = ih_window_get_library (window);
  entry = ih_ui_find_child (library, GTK_TYPE_SEARCH_ENTRY, NULL);
  gtk_editable_set_text (GTK_EDITABLE (entry), "bus sentiment:negative");
  search = (Searched) { ih_library_view_get_model (IH_LIBRARY_VIEW (library)), IH_LIBRARY_VIEW (library),
                        "bus sentiment:negative" };
  ih_ui_wait_for (searched, &search);
  list_view = ih_ui_find_child (library, GTK_TYPE_LIST_VIEW, NULL);
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (list_view))), 0);
  save_png (GTK_WIDGET (window), "library.png");

  /* Record: feedback being typed, with personal data spotted */
  ih_window_set_view (window, "record");
  editor = ih_window_get_editor (window);
  text_view = GTK_TEXT_VIEW (ih_ui_find_child (editor, GTK_TYPE_TEXT_VIEW, NULL));
  if (translated)
    {
      GObject *date_row = gtk_widget_get_template_child (editor, IH_TYPE_INSIGHT_EDITOR, "date_row");

      gtk_text_buffer_set_text (gtk_text_view_get_buffer (text_view),
                                "Call me on 07700 900123 or email jo@example.org about the bus to "
                                "Cheltenham General: it stops at six, so I miss every evening clinic.", -1);
      ih_insight_editor_scan_now (IH_INSIGHT_EDITOR (editor));
      gtk_editable_set_text (GTK_EDITABLE (date_row), "31/13/2024");
      /* refused: the date is explained under its field */
      if (ih_insight_editor_save (IH_INSIGHT_EDITOR (editor)))
        fail ("showing a date to correct", NULL);
    }
  else
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (text_view),
                                "The evening clinic would help me, I work until six. "
                                "Call me on 07700 900123 if there is a slot.", -1);
      ih_insight_editor_scan_now (IH_INSIGHT_EDITOR (editor));
    }
  gtk_widget_grab_focus (GTK_WIDGET (text_view));
  save_png (GTK_WIDGET (window), "record-feedback.png");

  /* Meetings: the next board meeting, its agenda, question and papers */
  ih_window_set_view (window, "meetings");
  meetings = ih_ui_find_child (GTK_WIDGET (window), IH_TYPE_MEETINGS_VIEW, NULL);
  ih_meetings_view_refresh (IH_MEETINGS_VIEW (meetings));
  ih_meetings_view_select (IH_MEETINGS_VIEW (meetings), board_id);
  save_png (GTK_WIDGET (window), "meetings.png");

  /* The paper viewer, a word found */
  papers = ih_meetings_view_get_papers (IH_MEETINGS_VIEW (meetings));
  paper_window = NULL;
  for (guint i = 0; papers != NULL && i < papers->len; i++)
    {
      IhPaper *p = g_ptr_array_index (papers, i);

      if (g_strcmp0 (p->title, paper->title) == 0)
        paper_window = ih_meetings_view_open_paper (IH_MEETINGS_VIEW (meetings), i);
    }
  if (paper_window == NULL)
    fail ("opening the paper", NULL);
  size_window (GTK_WINDOW (paper_window));
  ih_paper_window_find (paper_window, "carers");
  ih_ui_wait_for (paper_shown, paper_window);
  save_png (GTK_WIDGET (paper_window), "paper-viewer.png");

  gtk_window_destroy (GTK_WINDOW (paper_window));

  /* Activities, for the translated guide (the C guide's figure comes from
   * test-activities): the first activity of the list in its form */
  if (translated)
    {
      g_autoptr(GPtrArray) all = ih_store_list (store, &ih_activity_class, &error);
      GtkWidget *activities;

      if (all == NULL || all->len == 0)
        fail ("listing the activities", error);
      ih_window_set_view (window, "activities");
      activities = ih_ui_find_child (GTK_WIDGET (window), IH_TYPE_ACTIVITIES_VIEW, NULL);
      ih_activities_view_refresh (IH_ACTIVITIES_VIEW (activities));
      ih_activities_view_select (IH_ACTIVITIES_VIEW (activities),
                                 ((IhRecord *) g_ptr_array_index (all, 0))->id);
      save_png (GTK_WIDGET (window), "activities.png");
    }

  /* Sync preferences, for the translated guide: a server address and an
   * e-mail address typed in, not signed in yet (no server here) */
  if (translated)
    {
      GtkWidget *prefs = ih_window_show_preferences (window);

      ih_ui_wait_for (ih_ui_widget_mapped, prefs);
      gtk_editable_set_text (GTK_EDITABLE (ih_ui_find_child (prefs, ADW_TYPE_ENTRY_ROW, "server")),
                             "https://insighthub.example.nhs.uk");
      gtk_editable_set_text (GTK_EDITABLE (ih_ui_find_child (prefs, ADW_TYPE_ENTRY_ROW, "email")),
                             "ann@example.org");
      ih_ui_settle ();
      save_png (prefs, "sync-preferences.png");
      gtk_window_destroy (GTK_WINDOW (prefs));
    }

  /* Conflicts, for the translated guide: one, with a merged version begun */
  if (translated)
    {
      GtkWidget *conflicts;
      GtkWidget *card;

      make_conflict (store, dir);
      conflicts = ih_window_show_conflicts (window);
      ih_ui_wait_for (ih_ui_widget_mapped, conflicts);
      card = ih_ui_find_child (conflicts, GTK_TYPE_FRAME, "conflict-0");
      if (card == NULL)
        fail ("showing the conflict", NULL);
      gtk_widget_activate (ih_ui_find_child (card, GTK_TYPE_BUTTON, "edit-merged"));
      ih_ui_wait_for (ih_ui_widget_mapped, ih_ui_find_child (card, GTK_TYPE_TEXT_VIEW, "merged-text"));
      save_png (conflicts, "conflicts.png");
      gtk_window_destroy (GTK_WINDOW (conflicts));
    }

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (app);
  g_clear_object (&store);
  ih_test_remove_tree (dir);
  return 0;
}
