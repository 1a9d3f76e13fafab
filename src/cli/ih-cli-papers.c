/* ih-cli-papers.c — insight-hub-cli meeting … and paper …
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ih-cli-private.h"
#include "ih-paper-import.h"
#include "ih-papers.h"
#include "ih-pdf.h"
#include "ih-search.h"

typedef struct
{
  const char *name;
  int       (*func) (int argc, char **argv);
  const char *summary;
} Subcommand;

static int
run_subcommand (const char       *group,
                const Subcommand *subs,
                guint             n_subs,
                int               argc,
                char            **argv)
{
  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      FILE *out = argc < 2 ? stderr : stdout;

      fprintf (out, _("Usage: insight-hub-cli %s COMMAND [OPTIONS…]\n\nCommands:\n"), group);
      for (guint i = 0; i < n_subs; i++)
        fprintf (out, "  %-8s %s\n", subs[i].name, _(subs[i].summary));
      fprintf (out, "%s", _("\nEach command has --help.\n"));
      return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }

  for (guint i = 0; i < n_subs; i++)
    if (strcmp (argv[1], subs[i].name) == 0)
      {
        g_autofree char *prog = g_strdup_printf ("insight-hub-cli %s %s", group, subs[i].name);

        argv[1] = prog;
        g_set_prgname (prog);
        return subs[i].func (argc - 1, argv + 1);
      }

  g_printerr (_("insight-hub-cli %s: there is no command “%s”\n"), group, argv[1]);
  return EXIT_USAGE;
}

static char *
meeting_label (const IhMeeting *meeting)
{
  GString *label = g_string_new (meeting->body);

  if (meeting->title != NULL && meeting->title[0] != '\0')
    g_string_append_printf (label, " — %s", meeting->title);
  return g_string_free (label, FALSE);
}


/*
 * meeting
 */

static int
cmd_meeting_add (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(IhStore) store = NULL;
  g_autoptr(IhMeeting) meeting = ih_meeting_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *date = NULL;
  g_autofree char *title = NULL;
  g_autofree char *place = NULL;
  g_autofree char *livestream = NULL;
  g_auto(GStrv) agenda = NULL;
  gboolean offline = FALSE;
  const GOptionEntry entries[] = {
    { "body", 'b', 0, G_OPTION_ARG_STRING, &body, N_("Who meets, e.g. “ICB Board” (required)"), N_("NAME") },
    { "date", 'd', 0, G_OPTION_ARG_STRING, &date, N_("The day of the meeting, YYYY-MM-DD or DD/MM/YYYY (required)"), N_("DATE") },
    { "title", 't', 0, G_OPTION_ARG_STRING, &title, N_("A title, e.g. “Meeting in public”"), N_("TITLE") },
    { "place", 'p', 0, G_OPTION_ARG_STRING, &place, N_("Where it is held"), N_("PLACE") },
    { "livestream", 'l', 0, G_OPTION_ARG_STRING, &livestream, N_("Link to watch it live"), N_("URL") },
    { "agenda", 'a', 0, G_OPTION_ARG_STRING_ARRAY, &agenda, N_("An agenda item (repeat for each, in order)"), N_("ITEM") },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &offline, N_("Keep its papers on this computer"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Add a meeting held in public. Prints its id."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 1)
    {
      g_printerr (_("%s: unexpected argument “%s”\n"), g_get_prgname (), argv[1]);
      return EXIT_USAGE;
    }
  if (body == NULL || g_strstrip (body)[0] == '\0' || date == NULL)
    {
      g_printerr (_("%s: give at least --body and --date\n"), g_get_prgname ());
      return EXIT_USAGE;
    }

  meeting->date = ih_date_normalize (date);
  if (meeting->date == NULL)
    {
      g_printerr (_("%s: “%s” is not a date; write it as YYYY-MM-DD, e.g. 2026-03-05\n"),
                  g_get_prgname (), date);
      return EXIT_USAGE;
    }
  for (guint i = 0; agenda != NULL && agenda[i] != NULL; i++)
    if (strchr (agenda[i], '\n') != NULL)
      {
        g_printerr (_("%s: an agenda item is one line; give each item its own --agenda\n"),
                    g_get_prgname ());
        return EXIT_USAGE;
      }

  meeting->body = g_steal_pointer (&body);
  meeting->title = g_steal_pointer (&title);
  meeting->place = g_steal_pointer (&place);
  meeting->livestream_url = g_steal_pointer (&livestream);
  meeting->agenda = g_steal_pointer (&agenda);

  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  if (!ih_store_save (store, meeting, &error) ||
      (offline && !ih_papers_set_meeting_offline (store, meeting->parent.id, TRUE, &error)))
    {
      g_printerr ("insight-hub-cli: %s\n", error->message);
      return g_error_matches (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID) ? EXIT_USAGE : EXIT_FAILED;
    }

  g_print ("%s\n", meeting->parent.id);
  return EXIT_OK;
}

static int
cmd_meeting_list (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(IhStore) store = NULL;
  g_autoptr(GPtrArray) meetings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  int section = -1;

  g_option_context_set_summary (context, _("List the meetings: upcoming ones first (soonest first), then past ones."));
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 1)
    {
      g_printerr (_("%s: unexpected argument “%s”\n"), g_get_prgname (), argv[1]);
      return EXIT_USAGE;
    }

  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  meetings = ih_papers_list_meetings (store, today, &error);
  if (meetings == NULL)
    {
      g_printerr ("insight-hub-cli: %s\n", error->message);
      return EXIT_FAILED;
    }
  if (meetings->len == 0)
    {
      g_print ("%s", _("No meetings yet. Add one with “insight-hub-cli meeting add”.\n"));
      return EXIT_OK;
    }

  for (guint i = 0; i < meetings->len; i++)
    {
      IhMeeting *m = meetings->pdata[i];
      g_autoptr(GPtrArray) papers = ih_papers_list_papers (store, m->parent.id, NULL);
      g_autofree char *label = meeting_label (m);
      guint n_papers = papers ? papers->len : 0;
      int this_section = m->date == NULL ? 2 : strcmp (m->date, today) >= 0 ? 0 : 1;

      if (this_section != section)
        {
          const char *headings[] = { N_("Upcoming"), N_("Past"), N_("Without a date") };

          g_print ("%s%s:\n", section >= 0 ? "\n" : "", _(headings[this_section]));
          section = this_section;
        }
      g_print ("  %s  %s  %s · ", m->date ? m->date : "—", m->parent.id, label);
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u paper", "%u papers", n_papers), n_papers);
      if (ih_papers_get_meeting_offline (store, m->parent.id))
        g_print (" · %s", _("available offline"));
      g_print ("\n");
      if (m->place != NULL)
        g_print ("      %s\n", m->place);
    }

  return EXIT_OK;
}

static int
cmd_meeting_offline (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID on|off"));
  g_autoptr(IhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gboolean on;

  g_option_context_set_summary (context,
                                _("Keep a meeting’s papers on this computer (on), or stop keeping them (off)."));
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 3 || (strcmp (argv[2], "on") != 0 && strcmp (argv[2], "off") != 0))
    {
      g_printerr (_("%s: give a meeting id and “on” or “off”\n"), g_get_prgname ());
      return EXIT_USAGE;
    }
  on = strcmp (argv[2], "on") == 0;

  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  if (!ih_papers_set_meeting_offline (store, argv[1], on, &error))
    {
      g_printerr ("insight-hub-cli: %s\n", error->message);
      return g_error_matches (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_FOUND) ? EXIT_USAGE : EXIT_FAILED;
    }
  return EXIT_OK;
}

static int
cmd_meeting_question (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("MEETING-ID"));
  g_autoptr(IhStore) store = NULL;
  g_autoptr(IhQuestion) question = ih_question_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *asked_by = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *date = NULL;
  const GOptionEntry entries[] = {
    { "question", 'q', 0, G_OPTION_ARG_STRING, &text, N_("The question as asked (required)"), N_("TEXT") },
    { "asked-by", 0, 0, G_OPTION_ARG_STRING, &asked_by, N_("Who asked, as they wish to be named"), N_("NAME") },
    { "date", 'd', 0, G_OPTION_ARG_STRING, &date, N_("When it was asked"), N_("DATE") },
    { "answer", 0, 0, G_OPTION_ARG_STRING, &answer, N_("The answer given"), N_("TEXT") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Record a question from the public to a meeting, and its answer."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2 || text == NULL)
    {
      g_printerr (_("%s: give the meeting id and --question\n"), g_get_prgname ());
      return EXIT_USAGE;
    }
  if (date != NULL && (question->asked_date = ih_date_normalize (date)) == NULL)
    {
      g_printerr (_("%s: “%s” is not a date; write it as YYYY-MM-DD, e.g. 2026-03-05\n"),
                  g_get_prgname (), date);
      return EXIT_USAGE;
    }

  question->meeting_id = g_strdup (argv[1]);
  question->question = g_steal_pointer (&text);
  question->asked_by = g_steal_pointer (&asked_by);
  question->answer = g_steal_pointer (&answer);

  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  if (!ih_store_save (store, question, &error))
    {
      g_printerr ("insight-hub-cli: %s\n", error->message);
      return g_error_matches (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID) ? EXIT_USAGE : EXIT_FAILED;
    }

  g_print ("%s\n", question->parent.id);
  return EXIT_OK;
}

static const Subcommand meeting_commands[] = {
  { "add", cmd_meeting_add, N_("Add a meeting (prints its id)") },
  { "list", cmd_meeting_list, N_("List meetings, upcoming first") },
  { "question", cmd_meeting_question, N_("Record a public question and its answer") },
  { "offline", cmd_meeting_offline, N_("Keep a meeting’s papers on this computer, or not") },
};

int
ih_cli_meeting (int argc, char **argv)
{
  return run_subcommand ("meeting", meeting_commands, G_N_ELEMENTS (meeting_commands), argc, argv);
}


/*
 * paper add
 */

/* A password typed without echo, or NULL when there is no terminal */
static char *
ask_password (const char *name)
{
  struct termios old, quiet;
  char line[1024];
  gboolean hidden;
  char *password = NULL;

  if (!isatty (STDIN_FILENO) || !isatty (STDERR_FILENO))
    return NULL;

  g_printerr (_("Password for %s: "), name);
  hidden = tcgetattr (STDIN_FILENO, &old) == 0;
  if (hidden)
    {
      quiet = old;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  if (fgets (line, sizeof line, stdin) != NULL)
    {
      line[strcspn (line, "\r\n")] = '\0';
      password = g_strdup (line);
    }
  if (hidden)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &old);
  g_printerr ("\n");
  explicit_bzero (line, sizeof line);

  return password;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* Files named on the command line, with folders replaced by the PDFs in them */
static GPtrArray *
expand_paths (char **args,
              int    n_args)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; i < n_args; i++)
    {
      g_autoptr(GDir) dir = NULL;
      g_autoptr(GPtrArray) inside = NULL;
      const char *name;

      if (!g_file_test (args[i], G_FILE_TEST_IS_DIR))
        {
          g_ptr_array_add (paths, g_strdup (args[i]));
          continue;
        }

      dir = g_dir_open (args[i], 0, NULL);
      inside = g_ptr_array_new_with_free_func (g_free);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          gsize len = strlen (name);

          if (name[0] != '.' && len > 4 && g_ascii_strcasecmp (name + len - 4, ".pdf") == 0)
            g_ptr_array_add (inside, g_build_filename (args[i], name, NULL));
        }
      if (inside->len == 0)
        {
          /* Said as a refusal of the folder itself, below */
          g_ptr_array_add (paths, g_strdup (args[i]));
          continue;
        }
      g_ptr_array_sort (inside, compare_paths);
      for (guint j = 0; j < inside->len; j++)
        g_ptr_array_add (paths, g_strdup (inside->pdata[j]));
    }

  return paths;
}

typedef struct
{
  const char   *path;
  gboolean      done;
  IhPaper      *paper;
  IhPaperAddResult result;
  GError       *error;
  gboolean      showed_progress;
} AddRun;

static gboolean
add_progress (guint64  done,
              guint64  total,
              gpointer user_data)
{
  AddRun *run = user_data;

  /* Progress for papers long enough to wait for */
  if (total >= 50 && isatty (STDERR_FILENO))
    {
      g_printerr ("\r%s: %s %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " ",
                  run->path, _("reading page"), done, total);
      run->showed_progress = TRUE;
    }
  return TRUE;
}

static void
add_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  AddRun *run = user_data;

  run->paper = ih_paper_add_file_finish (result, &run->result, &run->error);
  run->done = TRUE;
}

static gboolean
check_interrupt (gpointer user_data)
{
  GCancellable *cancellable = user_data;

  if (ih_cli_interrupted)
    g_cancellable_cancel (cancellable);
  return G_SOURCE_CONTINUE;
}

/* Adds one file in a worker thread while this thread shows progress */
static void
add_one (IhStore      *store,
         AddRun       *run,
         const char   *meeting_id,
         const char   *title,
         const char   *password,
         GCancellable *cancellable)
{
  ih_paper_add_file_async (store, run->path, meeting_id, title, password, add_progress, run,
                           cancellable, add_done, run);
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
  if (run->showed_progress)
    g_printerr ("\r\033[K");
}

static int
cmd_paper_add (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE|FOLDER…"));
  g_autoptr(IhStore) store = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *meeting_id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *password = NULL;
  guint added = 0, present = 0, refused = 0;
  guint watch;
  int status = EXIT_OK;
  const GOptionEntry entries[] = {
    { "meeting", 'm', 0, G_OPTION_ARG_STRING, &meeting_id, N_("The meeting the papers are for (an id from “meeting list”)"), N_("ID") },
    { "title", 't', 0, G_OPTION_ARG_STRING, &title, N_("Title of the paper (one file only; default: the PDF’s title or file name)"), N_("TITLE") },
    { "password", 0, 0, G_OPTION_ARG_STRING, &password, N_("Password of protected PDFs"), N_("PASSWORD") },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Add board papers (PDF files, or every PDF in a folder). Each file is\n"
                                  "copied beside the database and the text of every page is indexed\n"
                                  "for search. One line per file: added, already present, or refused\n"
                                  "with the reason. Exit status 3 when some files were refused."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc < 2)
    {
      g_printerr (_("%s: name at least one PDF file or folder\n"), g_get_prgname ());
      return EXIT_USAGE;
    }

  paths = expand_paths (argv + 1, argc - 1);
  if (title != NULL && paths->len > 1)
    {
      g_printerr (_("%s: --title is for one file; these are %u\n"), g_get_prgname (), paths->len);
      return EXIT_USAGE;
    }

  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  if (meeting_id != NULL && !ih_store_exists (store, &ih_meeting_class, meeting_id))
    {
      g_printerr (_("%s: there is no meeting “%s” (see “insight-hub-cli meeting list”)\n"),
                  g_get_prgname (), meeting_id);
      return EXIT_USAGE;
    }

  ih_cli_catch_interrupt ();
  watch = g_timeout_add (100, check_interrupt, cancellable);

  for (guint i = 0; i < paths->len && !ih_cli_interrupted; i++)
    {
      AddRun run = { .path = paths->pdata[i] };

      if (g_file_test (run.path, G_FILE_TEST_IS_DIR))
        {
          g_print (_("%s: refused: the folder has no PDF files\n"), run.path);
          refused++;
          continue;
        }

      add_one (store, &run, meeting_id, title, password, cancellable);

      /* Protected: ask at a terminal, once */
      if (run.paper == NULL && password == NULL &&
          g_error_matches (run.error, IH_PDF_ERROR, IH_PDF_ERROR_ENCRYPTED))
        {
          g_autofree char *name = g_filename_display_basename (run.path);
          g_autofree char *typed = ask_password (name);

          if (typed != NULL)
            {
              g_clear_error (&run.error);
              run.done = FALSE;
              add_one (store, &run, meeting_id, title, typed, cancellable);
              explicit_bzero (typed, strlen (typed));
            }
        }

      if (run.paper != NULL && run.result == IH_PAPER_ALREADY_PRESENT)
        {
          g_print (_("%s: already present as “%s” (%s)\n"), run.path, run.paper->title,
                   run.paper->parent.id);
          present++;
        }
      else if (run.paper != NULL)
        {
          g_print (g_dngettext (GETTEXT_PACKAGE, "%s: added, %d page, as “%s” (%s)\n",
                                "%s: added, %d pages, as “%s” (%s)\n", (gulong) run.paper->page_count),
                   run.path, (int) run.paper->page_count, run.paper->title, run.paper->parent.id);
          added++;
        }
      else if (g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_print (_("%s: stopped\n"), run.path);
        }
      else
        {
          g_print (_("%s: refused: %s"), run.path, run.error->message);
          if (g_error_matches (run.error, IH_PDF_ERROR, IH_PDF_ERROR_ENCRYPTED))
            g_print ("%s", _(" (give it with --password)"));
          g_print ("\n");
          refused++;
          if (!(run.error->domain == IH_PDF_ERROR))
            status = EXIT_FAILED;
        }

      g_clear_error (&run.error);
      g_clear_pointer (&run.paper, ih_record_free);
    }
  g_source_remove (watch);

  if (paths->len > 1)
    g_printerr (_("%u added, %u already present, %u refused\n"), added, present, refused);

  if (ih_cli_interrupted)
    {
      g_printerr ("%s", _("Stopped. The papers added are kept; run the same command again to add the rest.\n"));
      return EXIT_STOPPED;
    }
  if (status == EXIT_OK && refused > 0)
    status = EXIT_PARTIAL;
  return status;
}


/*
 * paper list, search
 */

static int
cmd_paper_list (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(IhStore) store = NULL;
  g_autoptr(IhBlobs) blobs = NULL;
  g_autoptr(GPtrArray) papers = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *meeting_id = NULL;
  const GOptionEntry entries[] = {
    { "meeting", 'm', 0, G_OPTION_ARG_STRING, &meeting_id, N_("Only the papers of this meeting"), N_("ID") },
    { NULL }
  };

  g_option_context_set_summary (context, _("List the papers, and say which are not on this computer."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 1)
    {
      g_printerr (_("%s: unexpected argument “%s”\n"), g_get_prgname (), argv[1]);
      return EXIT_USAGE;
    }

  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  if (meeting_id != NULL && !ih_store_exists (store, &ih_meeting_class, meeting_id))
    {
      g_printerr (_("%s: there is no meeting “%s” (see “insight-hub-cli meeting list”)\n"),
                  g_get_prgname (), meeting_id);
      return EXIT_USAGE;
    }

  papers = ih_papers_list_papers (store, meeting_id, &error);
  if (papers == NULL)
    {
      g_printerr ("insight-hub-cli: %s\n", error->message);
      return EXIT_FAILED;
    }

  blobs = ih_papers_get_blobs (store);
  for (guint i = 0; i < papers->len; i++)
    {
      IhPaper *p = papers->pdata[i];
      g_autofree char *pages = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d page", "%d pages",
                                                             (gulong) MAX (p->page_count, 0)),
                                                (int) MAX (p->page_count, 0));

      g_print ("%s  %s · %s", p->parent.id, p->title, pages);
      if (p->meeting_id != NULL)
        {
          g_autoptr(IhMeeting) m = ih_store_load (store, &ih_meeting_class, p->meeting_id, NULL);

          if (m != NULL)
            g_print (" · %s %s", m->body, m->date ? m->date : "");
        }
      if (p->sha256 == NULL || !ih_blobs_has (blobs, p->sha256))
        g_print (" · %s", _("not on this computer"));
      g_print ("\n");
    }

  return EXIT_OK;
}

static int
cmd_paper_search (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("SEARCH"));
  g_autoptr(IhStore) store = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;
  gboolean tty = isatty (STDOUT_FILENO);
  int limit = 20;
  const GOptionEntry entries[] = {
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("Show at most N pages (default 20)"), N_("N") },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Search the pages of the papers, in the language of “insight-hub-cli search”;\n"
                                  "after: and before: compare the meeting’s date."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (limit < 0 || limit > 10000)
    {
      g_printerr (_("%s: --limit must be 0 to 10000\n"), g_get_prgname ());
      return EXIT_USAGE;
    }
  query = argc > 1 ? g_strjoinv (" ", argv + 1) : g_strdup ("");

  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  hits = ih_papers_search (store, query, IH_QUERY_FLAG_NONE, 0, (guint) limit, &error);
  if (hits == NULL)
    {
      g_printerr ("insight-hub-cli: %s\n", error->message);
      return error->domain == IH_QUERY_ERROR ? EXIT_USAGE : EXIT_FAILED;
    }

  for (guint i = 0; i < hits->len; i++)
    {
      IhPaperHit *hit = hits->pdata[i];
      g_autoptr(GString) snippet = g_string_new (hit->snippet);

      g_string_replace (snippet, IH_HIT_MARK_START, tty ? "\033[1m" : "[", 0);
      g_string_replace (snippet, IH_HIT_MARK_END, tty ? "\033[0m" : "]", 0);
      g_string_replace (snippet, "\n", " ", 0);
      g_print (_("%u. %s, page %d"), i + 1, hit->paper_title, hit->page);
      if (hit->meeting_label != NULL)
        g_print (" · %s", hit->meeting_label);
      g_print ("\n   %s\n   %s\n", snippet->str, hit->paper_id);
    }

  return EXIT_OK;
}


/*
 * paper render
 */

/* FILE, or a paper id or sha256 in the store → a path to open */
static char *
resolve_paper (const char  *what,
               GError     **error)
{
  g_autoptr(IhStore) store = NULL;
  g_autoptr(IhBlobs) blobs = NULL;

  if (g_file_test (what, G_FILE_TEST_EXISTS))
    return g_strdup (what);

  if (!g_uuid_string_is_valid (what) && !ih_blobs_is_valid_hash (what))
    return g_strdup (what);   /* opening says it does not exist */

  store = ih_store_open (ih_cli_db_path (), error);
  if (store == NULL)
    return NULL;

  if (g_uuid_string_is_valid (what))
    {
      g_autoptr(IhPaper) paper = ih_store_load (store, &ih_paper_class, what, error);

      if (paper == NULL)
        return NULL;
      return ih_papers_get_file (store, paper, error);
    }

  blobs = ih_papers_get_blobs (store);
  return ih_blobs_get_path (blobs, what, error);
}

static int
cmd_paper_render (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE|PAPER-ID|SHA256"));
  g_autoptr(IhPdfDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *output = NULL;
  g_autofree char *password = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  double zoom = 100;
  int page = 1;
  const GOptionEntry entries[] = {
    { "page", 'p', 0, G_OPTION_ARG_INT, &page, N_("Page number, from 1 (default 1)"), N_("N") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("PNG file to write (required)"), N_("FILE") },
    { "zoom", 'z', 0, G_OPTION_ARG_DOUBLE, &zoom, N_("Size in percent: 100 is 72 pixels an inch (default 100)"), N_("PERCENT") },
    { "password", 0, 0, G_OPTION_ARG_STRING, &password, N_("Password of a protected PDF"), N_("PASSWORD") },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Render one page of a paper to a PNG image, as the viewer draws it.\n"
                                  "The paper is a PDF file, or a paper’s id or sha256 in the database."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2 || output == NULL)
    {
      g_printerr (_("%s: give one paper and --output PAGE.png\n"), g_get_prgname ());
      return EXIT_USAGE;
    }
  if (!(zoom >= 1 && zoom <= 6400))
    {
      g_printerr (_("%s: --zoom must be between 1 and 6400 percent\n"), g_get_prgname ());
      return EXIT_USAGE;
    }

  path = resolve_paper (argv[1], &error);
  if (path == NULL)
    {
      g_printerr ("insight-hub-cli: %s\n", error->message);
      return EXIT_FAILED;
    }

  document = ih_pdf_document_open (path, password, NULL, &error);
  if (document == NULL && password == NULL &&
      g_error_matches (error, IH_PDF_ERROR, IH_PDF_ERROR_ENCRYPTED))
    {
      g_autofree char *name = g_filename_display_basename (path);

      password = ask_password (name);
      if (password != NULL)
        {
          g_clear_error (&error);
          document = ih_pdf_document_open (path, password, NULL, &error);
        }
    }
  if (document == NULL)
    {
      g_printerr ("insight-hub-cli: %s\n", error->message);
      return EXIT_FAILED;
    }

  if (page < 1 || page > ih_pdf_document_get_n_pages (document))
    {
      int n = ih_pdf_document_get_n_pages (document);

      g_printerr (g_dngettext (GETTEXT_PACKAGE, "%s: there is no page %d: the paper has %d page\n",
                               "%s: there is no page %d: the paper has %d pages\n", (gulong) n),
                  g_get_prgname (), page, n);
      return EXIT_USAGE;
    }

  surface = ih_pdf_document_render_page (document, page - 1, zoom / 100.0, NULL, &error);
  if (surface == NULL)
    {
      g_printerr ("insight-hub-cli: %s\n", error->message);
      return EXIT_FAILED;
    }

  status = cairo_surface_write_to_png (surface, output);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_printerr (_("insight-hub-cli: cannot write “%s”: %s\n"), output, cairo_status_to_string (status));
      cairo_surface_destroy (surface);
      return EXIT_FAILED;
    }

  g_print (_("Wrote %s: page %d of %d, %d × %d pixels\n"), output, page,
           ih_pdf_document_get_n_pages (document),
           cairo_image_surface_get_width (surface), cairo_image_surface_get_height (surface));
  cairo_surface_destroy (surface);
  return EXIT_OK;
}

static const Subcommand paper_commands[] = {
  { "add", cmd_paper_add, N_("Add PDF files or folders of them") },
  { "list", cmd_paper_list, N_("List the papers") },
  { "search", cmd_paper_search, N_("Search the pages of the papers") },
  { "render", cmd_paper_render, N_("Render a page to a PNG image") },
};

int
ih_cli_paper (int argc, char **argv)
{
  return run_subcommand ("paper", paper_commands, G_N_ELEMENTS (paper_commands), argc, argv);
}
