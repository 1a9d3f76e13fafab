/* test-cli.c — insight-hub-cli as a script would use it: exit codes,
 * messages and output
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ih-store.h"

static char *cli_path;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs the CLI with a NULL-terminated list of arguments. */
static void
run_cli (Run *run,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;
  int wait_status;

  g_ptr_array_add (argv, cli_path);
  va_start (args, run);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  run_clear (run);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &run->out, &run->err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
}

static char *
data_file (const char *name,
           const char *contents)
{
  char *path;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  path = g_build_filename (g_get_user_data_dir (), name, NULL);
  if (contents != NULL)
    g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static const char survey[] =
  "Comment,Event,Event date,Theme,Sentiment,Place\r\n"
  "\"The bus to the hospital runs twice a day, so I missed my scan.\",Stroud travel drop-in,2023-05-04,Transport,negative,Stroud\r\n"
  "\"Reception staff were kind and explained the wait\",Stroud travel drop-in,2023-05-04,Staff attitude,positive,Stroud\r\n"
  "\"Three weeks for a GP appointment\",Cheltenham GP forum,2023-06-04,Waiting times,negative,Cheltenham\r\n";

static void
test_usage (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "Usage"));

  run_cli (&run, "frobnicate", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "frobnicate"));

  run_cli (&run, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "search"));

  run_cli (&run, "--version", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "insight-hub-cli " PACKAGE_VERSION));

  {
    static const char * const commands[] = { "init", "import", "export", "search", "stats" };

    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      {
        run_cli (&run, commands[i], "--help", NULL);
        g_assert_cmpint (run.status, ==, 0);
        g_assert_nonnull (strstr (run.out, "--db"));
      }
  }

  run_cli (&run, "search", "--limit", "-3", "x", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_cli (&run, "search", "--no-such-option", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_cli (&run, "import", NULL);
  g_assert_cmpint (run.status, ==, 2);
}

static void
test_init_import_search (void)
{
  g_autofree char *db = data_file ("cli.db", NULL);
  g_autofree char *csv = data_file ("survey.csv", survey);
  g_auto(Run) run = { 0 };

  run_cli (&run, "--db", db, "init", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Created"));
  run_cli (&run, "--db", db, "init", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "ready"));

  run_cli (&run, "--db", db, "import", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "3 added"));

  /* Again: nothing new */
  run_cli (&run, "--db", db, "import", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "0 added"));
  g_assert_nonnull (strstr (run.out, "3 already present"));

  /* Plain output marks the matched word (stemmed: missing finds missed) */
  run_cli (&run, "--db", db, "search", "missing", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "1 match\n"));
  g_assert_nonnull (strstr (run.out, "so I [missed] my scan"));
  g_assert_nonnull (strstr (run.out, "Stroud travel drop-in"));

  /* --db also works after the command */
  run_cli (&run, "search", "--db", db, "sentiment:negative", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "2 matches\n"));

  run_cli (&run, "--db", db, "search", "sentiment:furious", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "furious"));

  run_cli (&run, "--db", db, "search", "'; DROP TABLE insight; --", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_cli (&run, "--db", db, "stats", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "insight"));
}

static void
test_search_json (void)
{
  g_autofree char *db = data_file ("json.db", NULL);
  g_autofree char *csv = data_file ("survey.csv", survey);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };
  JsonObject *root;
  JsonObject *hit;
  JsonArray *highlight;
  const char *snippet;

  run_cli (&run, "--db", db, "import", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);

  run_cli (&run, "--db", db, "search", "--json", "--facets", "staff", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);

  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "total"), ==, 1);
  hit = json_array_get_object_element (json_object_get_array_member (root, "hits"), 0);
  snippet = json_object_get_string_member (hit, "snippet");
  g_assert_cmpstr (snippet, ==, "Reception staff were kind and explained the wait");
  highlight = json_array_get_array_element (json_object_get_array_member (hit, "highlights"), 0);
  g_assert_cmpint (json_array_get_int_element (highlight, 0), ==, 10);
  g_assert_cmpint (json_array_get_int_element (highlight, 1), ==, 15);
  g_assert_cmpstr (json_object_get_string_member (hit, "sentiment"), ==, "positive");
  g_assert_true (json_object_has_member (json_object_get_object_member (root, "facets"), "theme"));

  run_cli (&run, "--db", db, "stats", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "insight"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (root, "activity"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, IH_STORE_SCHEMA_VERSION);
}

static void
test_bad_rows_and_files (void)
{
  g_autofree char *db = data_file ("bad.db", NULL);
  g_autofree char *bad = data_file ("bad.csv",
                                    "text,sentiment,date\n"
                                    "Fine words,positive,2023-01-01\n"
                                    "Angry words,livid,2023-01-01\n"
                                    "\"More, fine words\",neutral,2023-02-30\n"
                                    "Last good one,negative,2023-03-01\n");
  g_autofree char *latin1 = data_file ("latin1.csv", "text\nok\ncaf\xe9 was shut\n");
  g_autofree char *missing = data_file ("no-such-file.csv", NULL);
  g_autofree char *notdb = data_file ("notes.txt", "Shopping: milk, eggs, bread. Not a database in any way at all.\n");
  g_auto(Run) run = { 0 };

  run_cli (&run, "--db", db, "import", bad, NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.out, "2 added"));
  g_assert_nonnull (strstr (run.out, "2 refused"));
  g_assert_nonnull (strstr (run.err, "bad.csv: line 3: sentiment"));
  g_assert_nonnull (strstr (run.err, "livid"));
  g_assert_nonnull (strstr (run.err, "bad.csv: line 4: date"));

  run_cli (&run, "--db", db, "import", latin1, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "latin1.csv: Line 3"));

  run_cli (&run, "--db", db, "import", missing, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "no-such-file.csv"));

  /* Nothing of the refused files got in */
  run_cli (&run, "--db", db, "search", "", NULL);
  g_assert_true (g_str_has_prefix (run.out, "2 matches\n"));

  run_cli (&run, "--db", notdb, "search", "milk", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "not an Insight Hub database"));

  run_cli (&run, "--db", notdb, "stats", NULL);
  g_assert_cmpint (run.status, ==, 1);
  {
    g_autofree char *contents = NULL;
    g_assert_true (g_file_get_contents (notdb, &contents, NULL, NULL));
    g_assert_true (g_str_has_prefix (contents, "Shopping"));
  }
}

static void
test_export_roundtrip (void)
{
  g_autofree char *db = data_file ("export.db", NULL);
  g_autofree char *db2 = data_file ("export2.db", NULL);
  g_autofree char *csv = data_file ("survey.csv", survey);
  g_autofree char *out1 = data_file ("out1.csv", NULL);
  g_autofree char *out2 = data_file ("out2.csv", NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_auto(Run) run = { 0 };

  run_cli (&run, "--db", db, "import", csv, NULL);
  run_cli (&run, "--db", db, "export", "--output", out1, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "Exported 3 rows"));

  run_cli (&run, "--db", db2, "import", out1, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "3 added"));
  run_cli (&run, "--db", db2, "export", "--output", out2, NULL);
  g_assert_cmpint (run.status, ==, 0);

  g_assert_true (g_file_get_contents (out1, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (out2, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);

  /* A search's export, to standard output */
  run_cli (&run, "--db", db, "export", "theme:transport", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "id,text,"));
  g_assert_nonnull (strstr (run.out, "bus to the hospital"));
  g_assert_null (strstr (run.out, "GP appointment"));

  run_cli (&run, "--db", db, "export", "--output", "/nonexistent-dir/x.csv", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "nonexistent-dir"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--cli") == 0 && i + 1 < argc)
      cli_path = argv[i + 1];
  if (cli_path == NULL)
    cli_path = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "insight-hub-cli", NULL);

  g_test_add_func ("/cli/usage", test_usage);
  g_test_add_func ("/cli/init-import-search", test_init_import_search);
  g_test_add_func ("/cli/json", test_search_json);
  g_test_add_func ("/cli/bad-input", test_bad_rows_and_files);
  g_test_add_func ("/cli/export-roundtrip", test_export_roundtrip);

  return g_test_run ();
}
