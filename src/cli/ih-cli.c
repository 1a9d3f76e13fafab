/* ih-cli.c — insight-hub-cli: the store from a terminal
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixoutputstream.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ih-cli-private.h"
#include "ih-import.h"
#include "ih-search.h"
#include "ih-store.h"

static char *opt_db;
volatile sig_atomic_t ih_cli_interrupted;

static const GOptionEntry db_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db,
    N_("Database file (default: ~/.local/share/insight-hub/insight-hub.db)"), N_("PATH") },
  { NULL }
};

static void
on_sigint (int sig)
{
  ih_cli_interrupted = 1;
}

void
ih_cli_catch_interrupt (void)
{
  signal (SIGINT, on_sigint);
}

const char *
ih_cli_db_path (void)
{
  static char *path;

  if (opt_db != NULL)
    return opt_db;
  if (path == NULL)
    path = ih_store_default_path ();
  return path;
}

IhStore *
ih_cli_open_store (void)
{
  g_autoptr(GError) error = NULL;
  IhStore *store = ih_store_open (ih_cli_db_path (), &error);

  if (store == NULL)
    g_printerr ("insight-hub-cli: %s\n", error->message);
  return store;
}

/* Parses a command's options; prints the error and returns FALSE. */
gboolean
ih_cli_parse_options (GOptionContext  *context,
               int             *argc,
               char          ***argv)
{
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, db_entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("insight-hub-cli: %s\n", error->message);
      g_printerr (_("Try “%s --help”.\n"), (*argv)[0]);
      return FALSE;
    }
  return TRUE;
}

char *
ih_cli_format_count (gint64 n)
{
  /* Digits grouped in threes, as people read large counts */
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, n);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0 && digits[i - 1] != '-')
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/*
 * init
 */

static int
cmd_init (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(IhStore) store = NULL;
  gboolean existed;

  g_option_context_set_summary (context, _("Create the database, or upgrade an older one."));
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 1)
    {
      g_printerr (_("insight-hub-cli init: unexpected argument “%s”\n"), argv[1]);
      return EXIT_USAGE;
    }

  existed = g_file_test (ih_cli_db_path (), G_FILE_TEST_EXISTS);
  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  if (existed)
    g_print (_("The database %s is ready (version %d).\n"), ih_cli_db_path (), ih_store_get_schema_version (store));
  else
    g_print (_("Created the database %s (version %d).\n"), ih_cli_db_path (), ih_store_get_schema_version (store));
  return EXIT_OK;
}

/*
 * import
 */

static gboolean
import_progress (guint64  done,
                 guint64  total,
                 gpointer user_data)
{
  const char *name = user_data;

  if (isatty (STDERR_FILENO) && total > 0)
    g_printerr ("\r%s: %3d%%", name, (int) (done * 100 / total));
  return !ih_cli_interrupted;
}

static int
cmd_import (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE…"));
  g_autoptr(IhStore) store = NULL;
  g_autofree char *mapping = NULL;
  int status = EXIT_OK;
  const GOptionEntry entries[] = {
    { "mapping", 'm', 0, G_OPTION_ARG_FILENAME, &mapping,
      N_("CSV file mapping the spreadsheet’s columns to fields (rows: column,field)"), N_("FILE") },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Import feedback from CSV files (UTF-8; a header row names the columns).\n"
                                  "Rows with problems are reported with their line and skipped; the\n"
                                  "rest are imported. Importing the same file again adds nothing."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc < 2)
    {
      g_printerr (_("insight-hub-cli import: name at least one CSV file\n"));
      return EXIT_USAGE;
    }

  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  ih_cli_catch_interrupt ();

  for (int i = 1; i < argc && !ih_cli_interrupted; i++)
    {
      g_autoptr(IhImportReport) report = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *added = NULL;
      g_autofree char *unchanged = NULL;
      g_autofree char *updated = NULL;
      g_autofree char *refused = NULL;

      if (!ih_import_csv (store, argv[i], mapping, import_progress, argv[i], &report, &error))
        {
          if (isatty (STDERR_FILENO))
            g_printerr ("\r");
          g_printerr ("insight-hub-cli: %s\n", error->message);
          status = EXIT_FAILED;
          continue;
        }
      if (isatty (STDERR_FILENO))
        g_printerr ("\r");

      for (guint j = 0; j < report->notes->len; j++)
        g_printerr ("%s: %s\n", argv[i], (char *) g_ptr_array_index (report->notes, j));
      for (guint j = 0; j < report->problems->len; j++)
        g_printerr ("%s: %s\n", argv[i], (char *) g_ptr_array_index (report->problems, j));

      added = ih_cli_format_count (report->added);
      unchanged = ih_cli_format_count (report->unchanged);
      updated = ih_cli_format_count (report->updated);
      refused = ih_cli_format_count (report->refused);
      g_print (_("%s: %s added, %s updated, %s already present, %s refused"),
               argv[i], added, updated, unchanged, refused);
      if (report->activities_added || report->themes_added)
        {
          g_autofree char *activities = ih_cli_format_count (report->activities_added);
          g_autofree char *themes = ih_cli_format_count (report->themes_added);

          g_print (_(" (new: %s activities, %s themes)"), activities, themes);
        }
      g_print ("\n");

      if (report->stopped)
        {
          g_printerr (_("Stopped. What was imported is kept; run the same import again to finish it.\n"));
          return EXIT_STOPPED;
        }
      if (report->refused > 0 && status == EXIT_OK)
        status = EXIT_PARTIAL;
    }

  return status;
}

/*
 * export
 */

static int
cmd_export (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("[SEARCH]"));
  g_autoptr(IhStore) store = NULL;
  g_autoptr(IhSearch) search = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  gint64 rows;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE instead of standard output"), N_("FILE") },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Export insight as CSV: everything, or what a search finds.\n"
                                  "The file imports back to the same records."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 2)
    {
      g_printerr (_("insight-hub-cli export: put the search in quotes: export \"%s %s…\"\n"), argv[1], argv[2]);
      return EXIT_USAGE;
    }

  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  search = ih_search_new (store, argc == 2 ? argv[1] : "", IH_QUERY_FLAG_NONE, &error);
  if (search == NULL)
    {
      g_printerr ("insight-hub-cli: %s\n", error->message);
      return EXIT_USAGE;
    }

  if (output != NULL)
    {
      /* Written beside and moved into place, so a failed export never
       * leaves half a file under the name asked for */
      file = g_file_new_for_commandline_arg (output);
      out = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
    }
  else
    out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

  if (out == NULL)
    {
      g_printerr ("insight-hub-cli: %s\n", error->message);
      return EXIT_FAILED;
    }

  rows = ih_export_csv (store, search, out, NULL, &error);
  if (rows < 0 || !g_output_stream_close (out, NULL, rows < 0 ? NULL : &error))
    {
      g_printerr ("insight-hub-cli: %s\n", error ? error->message : _("export failed"));
      return EXIT_FAILED;
    }

  if (output != NULL)
    {
      g_autofree char *n = ih_cli_format_count (rows);
      g_printerr (_("Exported %s rows to %s\n"), n, output);
    }
  return EXIT_OK;
}

/*
 * search
 */

static void
add_hit_json (JsonBuilder *builder,
              IhHit       *hit)
{
  GString *plain = g_string_new (NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, hit->id);
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, hit->date);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, hit->kind);
  json_builder_set_member_name (builder, "sentiment");
  json_builder_add_string_value (builder, hit->sentiment);
  json_builder_set_member_name (builder, "activity");
  json_builder_add_string_value (builder, hit->activity_title);
  json_builder_set_member_name (builder, "score");
  json_builder_add_double_value (builder, hit->score);

  /* The snippet as plain text, and where in it (bytes) the matches are */
  json_builder_set_member_name (builder, "highlights");
  json_builder_begin_array (builder);
  for (const char *p = hit->snippet ? hit->snippet : ""; *p; p++)
    {
      if (*p == IH_HIT_MARK_START[0])
        {
          json_builder_begin_array (builder);
          json_builder_add_int_value (builder, plain->len);
        }
      else if (*p == IH_HIT_MARK_END[0])
        {
          json_builder_add_int_value (builder, plain->len);
          json_builder_end_array (builder);
        }
      else
        g_string_append_c (plain, *p);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "snippet");
  json_builder_add_string_value (builder, plain->str);
  json_builder_end_object (builder);
  g_string_free (plain, TRUE);
}

static void
add_facets_json (JsonBuilder *builder,
                 GPtrArray   *facets)
{
  json_builder_set_member_name (builder, "facets");
  json_builder_begin_object (builder);
  for (guint i = 0; i < facets->len; i++)
    {
      IhFacet *facet = g_ptr_array_index (facets, i);

      json_builder_set_member_name (builder, facet->name);
      json_builder_begin_array (builder);
      for (guint j = 0; j < facet->values->len; j++)
        {
          IhFacetValue *v = g_ptr_array_index (facet->values, j);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "key");
          json_builder_add_string_value (builder, v->key);
          json_builder_set_member_name (builder, "label");
          json_builder_add_string_value (builder, v->label);
          json_builder_set_member_name (builder, "count");
          json_builder_add_int_value (builder, v->count);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

static const char *
facet_title (const char *name)
{
  if (strcmp (name, "theme") == 0)
    return _("Themes");
  if (strcmp (name, "kind") == 0)
    return _("Kinds");
  if (strcmp (name, "place") == 0)
    return _("Places");
  if (strcmp (name, "sentiment") == 0)
    return _("Sentiment");
  if (strcmp (name, "year") == 0)
    return _("Years");
  return name;
}

static int
cmd_search (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("SEARCH"));
  g_autoptr(IhStore) store = NULL;
  g_autoptr(IhSearch) search = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) facets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;
  gboolean json = FALSE;
  gboolean with_facets = FALSE;
  gboolean tty = isatty (STDOUT_FILENO);
  int limit = 20;
  gint64 offset = 0;
  gint64 total;
  const GOptionEntry entries[] = {
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("Show at most N hits (default 20)"), N_("N") },
    { "offset", 0, 0, G_OPTION_ARG_INT64, &offset, N_("Skip the first N hits"), N_("N") },
    { "facets", 'f', 0, G_OPTION_ARG_NONE, &with_facets, N_("Also count matches by theme, kind, place, sentiment and year"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Search the insight. The search language:\n"
                                  "  words              all of them, in any form (walk finds walking)\n"
                                  "  \"a phrase\"         these words together\n"
                                  "  wor*               words starting with “wor”\n"
                                  "  -word              without this word\n"
                                  "  a OR b             either\n"
                                  "  theme:transport  kind:workshop  place:\"Cheshire West\"\n"
                                  "  sentiment:negative  has:paper\n"
                                  "  after:2020-01-01 (on or after)  before:2021 (before 2021)"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (limit < 0 || limit > 10000 || offset < 0)
    {
      g_printerr (_("insight-hub-cli search: --limit must be 0 to 10000 and --offset 0 or more\n"));
      return EXIT_USAGE;
    }

  /* Several arguments are one search: search bus stop == search "bus stop" words */
  query = argc > 1 ? g_strjoinv (" ", argv + 1) : g_strdup ("");

  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  search = ih_search_new (store, query, IH_QUERY_FLAG_NONE, &error);
  if (search == NULL)
    {
      g_printerr ("insight-hub-cli: %s\n", error->message);
      return EXIT_USAGE;
    }

  hits = ih_search_fetch (search, offset, limit, &error);
  total = hits ? ih_search_count (search, &error) : -1;
  if (with_facets && total >= 0)
    facets = ih_search_facets (search, &error);
  if (hits == NULL || total < 0 || (with_facets && facets == NULL))
    {
      g_printerr ("insight-hub-cli: %s\n", error->message);
      return EXIT_FAILED;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "query");
      json_builder_add_string_value (builder, query);
      json_builder_set_member_name (builder, "total");
      json_builder_add_int_value (builder, total);
      json_builder_set_member_name (builder, "offset");
      json_builder_add_int_value (builder, offset);
      json_builder_set_member_name (builder, "hits");
      json_builder_begin_array (builder);
      for (guint i = 0; i < hits->len; i++)
        add_hit_json (builder, g_ptr_array_index (hits, i));
      json_builder_end_array (builder);
      if (facets != NULL)
        add_facets_json (builder, facets);
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);
      return EXIT_OK;
    }

  {
    g_autofree char *n = ih_cli_format_count (total);
    g_print (g_dngettext (GETTEXT_PACKAGE, "%s match\n", "%s matches\n", total), n);
  }

  for (guint i = 0; i < hits->len; i++)
    {
      IhHit *hit = g_ptr_array_index (hits, i);
      g_autofree char *snippet = ih_hit_format_snippet (hit, tty ? "\033[1m" : "[", tty ? "\033[0m" : "]");
      GString *line = g_string_new (NULL);

      g_string_append_printf (line, "%" G_GINT64_FORMAT ". %s", offset + i + 1, hit->date ? hit->date : "—");
      if (hit->activity_title)
        g_string_append_printf (line, " · %s", hit->activity_title);
      if (hit->kind)
        g_string_append_printf (line, " · %s", ih_vocab_label ("insight-kind", hit->kind));
      if (hit->sentiment)
        g_string_append_printf (line, " · %s", ih_vocab_label ("sentiment", hit->sentiment));
      g_print ("%s\n   %s\n   %s\n", line->str, snippet, hit->id);
      g_string_free (line, TRUE);
    }

  if (facets != NULL)
    for (guint i = 0; i < facets->len; i++)
      {
        IhFacet *facet = g_ptr_array_index (facets, i);

        if (facet->values->len == 0)
          continue;
        g_print ("\n%s:\n", facet_title (facet->name));
        for (guint j = 0; j < facet->values->len && j < 15; j++)
          {
            IhFacetValue *v = g_ptr_array_index (facet->values, j);
            g_autofree char *count = ih_cli_format_count (v->count);
            g_print ("  %10s  %s\n", count, v->label);
          }
        if (facet->values->len > 15)
          g_print (_("  … and %u more\n"), facet->values->len - 15);
      }

  return EXIT_OK;
}

/*
 * stats
 */

static int
cmd_stats (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(IhStore) store = NULL;
  g_autofree char *size = NULL;
  const IhRecordClass * const *classes;
  gboolean json = FALSE;
  guint n_classes;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("How many records of each kind the database holds."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;

  if (!g_file_test (ih_cli_db_path (), G_FILE_TEST_EXISTS))
    {
      g_printerr (_("insight-hub-cli: there is no database at %s yet (run “insight-hub-cli init”)\n"), ih_cli_db_path ());
      return EXIT_FAILED;
    }

  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  classes = ih_record_classes (&n_classes);
  if (json)
    {
      g_print ("{\n  \"database\": ");
      {
        g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), ih_cli_db_path ());
        g_autofree char *quoted = json_to_string (node, FALSE);
        g_print ("%s,\n", quoted);
      }
      g_print ("  \"version\": %d,\n  \"bytes\": %" G_GUINT64_FORMAT ",\n",
               ih_store_get_schema_version (store), ih_store_get_size (store));
      for (guint i = 0; i < n_classes; i++)
        g_print ("  \"%s\": %" G_GINT64_FORMAT "%s\n", classes[i]->name,
                 ih_store_count (store, classes[i]), i + 1 < n_classes ? "," : "");
      g_print ("}\n");
      return EXIT_OK;
    }

  size = g_format_size (ih_store_get_size (store));
  g_print (_("Database %s (version %d, %s)\n"), ih_cli_db_path (), ih_store_get_schema_version (store), size);
  for (guint i = 0; i < n_classes; i++)
    {
      g_autofree char *n = ih_cli_format_count (ih_store_count (store, classes[i]));
      g_print ("  %-10s %12s\n", classes[i]->name, n);
    }
  return EXIT_OK;
}

/*
 * main
 */

static const struct
{
  const char *name;
  int       (*func) (int argc, char **argv);
  const char *summary;
} commands[] = {
  { "init", cmd_init, N_("Create the database, or upgrade an older one") },
  { "import", cmd_import, N_("Import feedback from CSV files") },
  { "export", cmd_export, N_("Export insight, or what a search finds, as CSV") },
  { "search", cmd_search, N_("Search the insight") },
  { "stats", cmd_stats, N_("Count what the database holds") },
  { "meeting", ih_cli_meeting, N_("Add and list board meetings") },
  { "paper", ih_cli_paper, N_("Add, list, search and render board papers (PDF)") },
  { "sync", ih_cli_sync, N_("Sync with the central server") },
  { "population", ih_cli_cmd_population, N_("Import and list population profiles of places") },
  { "represent", ih_cli_cmd_represent, N_("Who we heard from beside who lives there") },
  { "fatigue", ih_cli_cmd_fatigue, N_("What was already asked, of whom, before asking again") },
  { "action", ih_cli_cmd_action, N_("Record actions taken because of insight (you said, we did)") },
  { "report", ih_cli_cmd_report, N_("Write a board report as PDF") },
};

static void
usage (FILE *out)
{
  fprintf (out, "%s", _("Usage: insight-hub-cli [--db PATH] COMMAND [OPTIONS…]\n\nCommands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-11s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "%s", _("\nEach command has --help.\n"
                        "Exit status: 0 done, 1 failed, 2 wrong usage or search, "
                        "3 done but some rows refused, 4 interrupted.\n"));
}

int
main (int argc, char *argv[])
{
  g_autofree char *prog = NULL;
  int first = 1;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* A leading --db applies to the command that follows */
  while (first < argc && argv[first][0] == '-')
    {
      if (strcmp (argv[first], "--db") == 0 && first + 1 < argc)
        {
          opt_db = g_strdup (argv[first + 1]);
          first += 2;
        }
      else if (g_str_has_prefix (argv[first], "--db="))
        opt_db = g_strdup (argv[first++] + strlen ("--db="));
      else if (strcmp (argv[first], "--help") == 0 || strcmp (argv[first], "-h") == 0)
        {
          usage (stdout);
          return EXIT_OK;
        }
      else if (strcmp (argv[first], "--version") == 0)
        {
          g_print ("insight-hub-cli %s\n", PACKAGE_VERSION);
          return EXIT_OK;
        }
      else
        {
          g_printerr (_("insight-hub-cli: unknown option “%s”\n"), argv[first]);
          usage (stderr);
          return EXIT_USAGE;
        }
    }

  if (first >= argc)
    {
      usage (stderr);
      return EXIT_USAGE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[first], commands[i].name) == 0)
      {
        prog = g_strdup_printf ("insight-hub-cli %s", commands[i].name);
        argv[first] = prog;
        g_set_prgname (prog);
        return commands[i].func (argc - first, argv + first);
      }

  g_printerr (_("insight-hub-cli: there is no command “%s”\n"), argv[first]);
  usage (stderr);
  return EXIT_USAGE;
}
