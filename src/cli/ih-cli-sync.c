/* ih-cli-sync.c — insight-hub-cli sync: push local changes to the server
 * and pull everyone else's
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ih-cli-private.h"
#include "ih-sync-client.h"
#include "ih-sync.h"

/* INSIGHT_HUB_PASSWORD, else typed without echo, else one line of stdin */
static char *
read_password (const char *email)
{
  const char *env = g_getenv ("INSIGHT_HUB_PASSWORD");
  struct termios old, quiet;
  gboolean hidden = FALSE;
  char line[1024];
  char *password = NULL;

  if (env != NULL)
    return g_strdup (env);

  if (isatty (STDIN_FILENO))
    {
      g_printerr (_("Password for %s: "), email);
      hidden = tcgetattr (STDIN_FILENO, &old) == 0;
      if (hidden)
        {
          quiet = old;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
        }
    }
  if (fgets (line, sizeof line, stdin) != NULL)
    {
      line[strcspn (line, "\r\n")] = '\0';
      password = g_strdup (line);
    }
  if (hidden)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &old);
      g_printerr ("\n");
    }
  explicit_bzero (line, sizeof line);
  return password;
}

typedef struct
{
  GMainLoop     *loop;
  GCancellable  *cancellable;
  IhSyncSummary  summary;
  GError        *error;
  gboolean       ok;
} Run;

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Run *run = user_data;

  run->ok = ih_sync_engine_run_finish (IH_SYNC_ENGINE (source), result, &run->summary, &run->error);
  g_main_loop_quit (run->loop);
}

static gboolean
check_interrupt (gpointer user_data)
{
  Run *run = user_data;

  if (ih_cli_interrupted)
    g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
progress_cb (IhSyncEngine *engine,
             const char   *phase,
             guint         done,
             gpointer      user_data)
{
  if (isatty (STDERR_FILENO))
    g_printerr ("\r%s %u ", strcmp (phase, "push") == 0 ? _("Pushed") : _("Pulled"), done);
}

static void
print_status (IhStore *store)
{
  g_autofree char *url = ih_sync_get_server_url (store);
  g_autoptr(GPtrArray) conflicts = ih_sync_list_conflicts (store, TRUE, NULL);

  g_print (_("Server: %s\n"), url ? url : _("none (use --server URL)"));
  g_print (_("Waiting to be pushed: %lld\n"), (long long) ih_sync_count_pending (store));
  g_print (_("Refused by the server: %lld\n"), (long long) ih_sync_count_refused (store));
  g_print (_("Conflicts to resolve: %u\n"), conflicts ? conflicts->len : 0);
}

int
ih_cli_sync (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(IhStore) store = NULL;
  g_autoptr(IhSyncClient) client = NULL;
  g_autoptr(IhSyncEngine) engine = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  g_autofree char *url = NULL;
  gboolean status = FALSE;
  Run run = { 0 };
  guint watch;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("The server to sync with (remembered)"), N_("URL") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("Sign in as this e-mail address"), N_("EMAIL") },
    { "status", 0, 0, G_OPTION_ARG_NONE, &status, N_("Say what waits, without syncing"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Push the changes made here to the server and pull everyone else’s.\n"
                                  "The password is read from the terminal, or from INSIGHT_HUB_PASSWORD."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 1)
    {
      g_printerr (_("insight-hub-cli: sync takes no arguments, only options\n"));
      return EXIT_USAGE;
    }

  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  if (server != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (server, G_URI_FLAGS_NONE, NULL);

      if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 &&
                          g_strcmp0 (g_uri_get_scheme (uri), "http") != 0))
        {
          g_printerr (_("insight-hub-cli: “%s” is not an http(s) address\n"), server);
          return EXIT_USAGE;
        }
      if (!ih_sync_setup (store, server, &error))
        {
          g_printerr ("insight-hub-cli: %s\n", error->message);
          return EXIT_FAILED;
        }
    }

  if (status)
    {
      print_status (store);
      return EXIT_OK;
    }

  url = ih_sync_get_server_url (store);
  if (url == NULL)
    {
      g_printerr (_("insight-hub-cli: no server yet: give one with --server URL\n"));
      return EXIT_USAGE;
    }
  if (user == NULL)
    {
      g_printerr (_("insight-hub-cli: say who you are with --user EMAIL\n"));
      return EXIT_USAGE;
    }

  client = ih_sync_client_new (url);
  password = read_password (user);
  if (password == NULL)
    {
      g_printerr (_("insight-hub-cli: no password was given\n"));
      return EXIT_USAGE;
    }
  if (!ih_sync_client_login (client, user, password, NULL, &error))
    {
      explicit_bzero (password, strlen (password));
      g_printerr (_("insight-hub-cli: could not sign in to %s: %s\n"), url, error->message);
      return EXIT_FAILED;
    }
  explicit_bzero (password, strlen (password));

  engine = ih_sync_client_new_engine (client, store);
  g_signal_connect (engine, "progress", G_CALLBACK (progress_cb), NULL);
  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  run.loop = loop;
  run.cancellable = cancellable;
  ih_cli_catch_interrupt ();
  watch = g_timeout_add (100, check_interrupt, &run);
  ih_sync_engine_run_async (engine, cancellable, run_done, &run);
  g_main_loop_run (loop);
  g_source_remove (watch);
  if (isatty (STDERR_FILENO))
    g_printerr ("\r");

  if (!run.ok)
    {
      gboolean stopped = g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

      if (stopped)
        g_printerr (_("insight-hub-cli: stopped; what was synced is kept\n"));
      else
        g_printerr (_("insight-hub-cli: sync failed: %s (what was synced is kept; run it again)\n"),
                    run.error->message);
      g_clear_error (&run.error);
      return stopped ? EXIT_STOPPED : EXIT_FAILED;
    }

  g_print (_("Pushed %u changes, pulled %u records, removed %u, %u new conflicts.\n"),
           run.summary.pushed, run.summary.pulled, run.summary.purged, run.summary.conflicts);
  if (run.summary.blobs_sent > 0 || run.summary.blobs_fetched > 0)
    g_print (_("Sent %u and fetched %u papers’ files.\n"), run.summary.blobs_sent,
             run.summary.blobs_fetched);
  if (run.summary.refused > 0)
    {
      g_print (_("The server refused %u changes; they stay here (see sync --status).\n"),
               run.summary.refused);
      return EXIT_PARTIAL;
    }
  return EXIT_OK;
}
