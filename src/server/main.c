/* main.c — insight-hub-server: serve, and manage the users from a terminal
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-server"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ih-server-private.h"

static char *opt_config;
static char *opt_db;
static char *opt_listen;
static int opt_port = -1;
static char *opt_tls_cert;
static char *opt_tls_key;
static gboolean opt_insecure;
static char *opt_role;
static char *opt_name;

static const GOptionEntry common_entries[] = {
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
    N_("Settings file (see insight-hub-server(8))"), N_("FILE") },
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db,
    N_("Database file (default: [server] db, or ~/.local/share/insight-hub-server/server.db)"),
    N_("PATH") },
  { NULL }
};

static const GOptionEntry serve_entries[] = {
  { "listen", 0, 0, G_OPTION_ARG_STRING, &opt_listen,
    N_("IP address to listen on (default 127.0.0.1)"), N_("ADDR") },
  { "port", 'p', 0, G_OPTION_ARG_INT, &opt_port,
    N_("Port (default 8470; 0 picks a free one)"), N_("N") },
  { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_cert,
    N_("PEM certificate (chain) for HTTPS"), N_("FILE") },
  { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_key,
    N_("PEM private key for HTTPS"), N_("FILE") },
  { "insecure", 0, 0, G_OPTION_ARG_NONE, &opt_insecure,
    N_("Allow plain HTTP on an address other computers can reach (behind a TLS proxy)"), NULL },
  { NULL }
};

static const GOptionEntry adduser_entries[] = {
  { "role", 'r', 0, G_OPTION_ARG_STRING, &opt_role,
    N_("viewer, officer, manager or admin"), N_("ROLE") },
  { "name", 'n', 0, G_OPTION_ARG_STRING, &opt_name,
    N_("The person's name"), N_("NAME") },
  { NULL }
};

/*
 * Auxiliary methods
 */

static gboolean
parse_options (int                 *argc,
               char              ***argv,
               const char          *parameter,
               const char          *summary,
               const GOptionEntry  *extra)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, common_entries, GETTEXT_PACKAGE);
  if (extra != NULL)
    g_option_context_add_main_entries (context, extra, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("insight-hub-server: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

static GKeyFile *
load_config (GError **error)
{
  g_autoptr(GKeyFile) config = g_key_file_new ();
  g_autoptr(GError) local = NULL;

  if (opt_config != NULL &&
      !g_key_file_load_from_file (config, opt_config, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, local->domain, local->code,
                   _("Cannot read the settings file %s: %s"), opt_config, local->message);
      return NULL;
    }
  return g_steal_pointer (&config);
}

static char *
config_string (GKeyFile   *config,
               const char *key)
{
  char *value = g_key_file_get_string (config, "server", key, NULL);

  if (value != NULL)
    g_strstrip (value);
  return value;
}

static IhStore *
open_store (GKeyFile  *config,
            GError   **error)
{
  g_autofree char *path = NULL;

  if (opt_db != NULL)
    path = g_strdup (opt_db);
  else if ((path = config_string (config, "db")) == NULL)
    path = g_build_filename (g_get_user_data_dir (), "insight-hub-server", "server.db", NULL);

  return ih_store_open (path, error);
}

/* Prints the error; the exit status of a failed command */
static int
fail (GError *error)
{
  g_printerr ("insight-hub-server: %s\n", error->message);
  g_error_free (error);
  return 1;
}

/* From the terminal without echo (asked twice), or one line of stdin when
 * a script pipes it in. */
static char *
read_password (const char  *email,
               GError     **error)
{
  char first[2048], second[2048];
  gboolean tty = isatty (STDIN_FILENO);
  struct termios saved, quiet;
  char *result = NULL;

  if (tty)
    {
      g_printerr (_("New password for %s: "), email);
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }

  if (fgets (first, sizeof first, stdin) != NULL)
    {
      first[strcspn (first, "\r\n")] = '\0';
      if (!tty)
        result = g_strdup (first);
      else
        {
          g_printerr ("\n%s", _("Again: "));
          if (fgets (second, sizeof second, stdin) != NULL)
            {
              second[strcspn (second, "\r\n")] = '\0';
              if (strcmp (first, second) == 0)
                result = g_strdup (first);
              else
                g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             _("The two passwords differ; nothing was changed"));
              memset (second, 0, sizeof second);
            }
        }
      memset (first, 0, sizeof first);
    }

  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }

  if (result == NULL && (error == NULL || *error == NULL))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("No password was given"));
  return result;
}

/* Hashes a password read from the terminal with the configured cost */
static char *
new_password_hash (GKeyFile    *config,
                   const char  *email,
                   GError     **error)
{
  g_autofree char *cost_name = g_key_file_get_string (config, "auth", "password-hash-cost", NULL);
  g_autofree char *password = NULL;
  IhPasswordCost cost = IH_PASSWORD_COST_INTERACTIVE;
  char *hash;

  if (cost_name != NULL && !_ih_password_cost_from_string (g_strstrip (cost_name), &cost))
    {
      g_set_error (error, IH_SERVER_ERROR, IH_SERVER_ERROR_CONFIG,
                   _("[auth] password-hash-cost must be interactive, moderate or sensitive, not “%s”"),
                   cost_name);
      return NULL;
    }

  if ((password = read_password (email, error)) == NULL ||
      !_ih_password_check (password, error))
    {
      if (password != NULL)
        memset (password, 0, strlen (password));
      return NULL;
    }

  hash = _ih_password_hash (password, cost, error);
  memset (password, 0, strlen (password));
  return hash;
}

/* Opens the store with the server's tables; normalizes argv[1], the
 * e-mail, when @email_out is given */
static IhStore *
admin_setup (char       **argv,
             GKeyFile   **config_out,
             char       **email_out,
             GError     **error)
{
  g_autoptr(GKeyFile) config = NULL;
  g_autoptr(IhStore) store = NULL;
  g_autofree char *epoch = NULL;

  if (email_out != NULL)
    {
      if ((*email_out = _ih_server_normalize_email (argv[1], error)) == NULL)
        return NULL;
    }

  if ((config = load_config (error)) == NULL ||
      (store = open_store (config, error)) == NULL ||
      !_ih_server_db_init (store, &epoch, error))
    return NULL;

  if (config_out != NULL)
    *config_out = g_steal_pointer (&config);
  return g_steal_pointer (&store);
}

static gboolean
one_email (int         argc,
           const char *command)
{
  if (argc == 2)
    return TRUE;
  g_printerr (_("Usage: insight-hub-server %s EMAIL\n"), command);
  return FALSE;
}

/*
 * Commands
 */

static int
cmd_adduser (int    argc,
             char **argv)
{
  g_autoptr(GKeyFile) config = NULL;
  g_autoptr(IhStore) store = NULL;
  g_autoptr(IhServerUser) existing = NULL;
  g_autofree char *email = NULL;
  g_autofree char *hash = NULL;
  GError *error = NULL;
  IhRole role;

  if (!parse_options (&argc, &argv, _("EMAIL"), _("Add a user; the password is read from the terminal "
                                                  "(or one line of standard input)."),
                      adduser_entries))
    return 2;
  if (opt_role == NULL || !ih_role_from_string (opt_role, &role))
    {
      g_printerr ("insight-hub-server: %s\n",
                  _("adduser needs --role viewer, officer, manager or admin"));
      return 2;
    }

  if (!one_email (argc, "adduser"))
    return 2;
  store = admin_setup (argv, &config, &email, &error);
  if (store == NULL)
    return fail (error);

  /* Before asking for a password that could not be used */
  existing = _ih_server_db_find_user (store, email, NULL);
  if (existing != NULL)
    {
      g_printerr (_("insight-hub-server: there is already a user “%s”\n"), email);
      return 1;
    }

  if ((hash = new_password_hash (config, email, &error)) == NULL ||
      !_ih_server_db_add_user (store, email, opt_name, role, hash, &error) ||
      !_ih_server_db_audit (store, NULL, "user-create", "user", email, opt_role, &error))
    return fail (error);

  g_print (_("Added %s (%s)\n"), email, ih_role_to_string (role));
  return 0;
}

static int
cmd_passwd (int    argc,
            char **argv)
{
  g_autoptr(GKeyFile) config = NULL;
  g_autoptr(IhStore) store = NULL;
  g_autoptr(IhServerUser) user = NULL;
  g_autofree char *email = NULL;
  g_autofree char *hash = NULL;
  GError *error = NULL;

  if (!parse_options (&argc, &argv, _("EMAIL"),
                      _("Set a new password; the user's sign-ins on every device end."), NULL))
    return 2;

  if (!one_email (argc, "passwd"))
    return 2;
  store = admin_setup (argv, &config, &email, &error);
  if (store == NULL)
    return fail (error);

  if ((user = _ih_server_db_find_user (store, email, &error)) == NULL ||
      (hash = new_password_hash (config, email, &error)) == NULL ||
      !_ih_server_db_set_password (store, email, hash, &error) ||
      !_ih_server_db_audit (store, NULL, "user-password", "user", email, NULL, &error))
    return fail (error);

  g_print (_("New password set for %s\n"), email);
  return 0;
}

static int
cmd_deluser (int    argc,
             char **argv)
{
  g_autoptr(IhStore) store = NULL;
  g_autofree char *email = NULL;
  GError *error = NULL;

  if (!parse_options (&argc, &argv, _("EMAIL"),
                      _("Remove a user; what they recorded stays, the audit keeps their address."),
                      NULL))
    return 2;

  if (!one_email (argc, "deluser"))
    return 2;
  store = admin_setup (argv, NULL, &email, &error);
  if (store == NULL)
    return fail (error);

  if (!_ih_server_db_delete_user (store, email, &error) ||
      !_ih_server_db_audit (store, NULL, "user-delete", "user", email, NULL, &error))
    return fail (error);

  g_print (_("Removed %s\n"), email);
  return 0;
}

static int
cmd_users (int    argc,
           char **argv)
{
  g_autoptr(IhStore) store = NULL;
  g_autoptr(GPtrArray) users = NULL;
  GError *error = NULL;

  if (!parse_options (&argc, &argv, NULL,
                      _("List the users: e-mail, role, state and name, tab-separated."), NULL))
    return 2;
  if (argc != 1)
    {
      g_printerr ("insight-hub-server: %s\n", _("users takes no arguments"));
      return 2;
    }

  store = admin_setup (argv, NULL, NULL, &error);
  if (store == NULL || (users = _ih_server_db_list_users (store, &error)) == NULL)
    return fail (error);

  for (guint i = 0; i < users->len; i++)
    {
      const IhServerUser *user = g_ptr_array_index (users, i);

      g_print ("%s\t%s\t%s\t%s\n", user->email, ih_role_to_string (user->role),
               user->disabled ? "disabled" : "active", user->name);
    }
  return 0;
}

static int
cmd_reset_epoch (int    argc,
                 char **argv)
{
  g_autoptr(IhStore) store = NULL;
  g_autofree char *epoch = NULL;
  GError *error = NULL;

  if (!parse_options (&argc, &argv, NULL,
                      _("Give the database a new epoch. Run it after restoring a backup: every "
                        "desktop then sends again what the backup lacks."),
                      NULL))
    return 2;

  store = admin_setup (argv, NULL, NULL, &error);
  if (store == NULL || (epoch = _ih_server_db_reset_epoch (store, &error)) == NULL)
    return fail (error);

  g_print (_("New epoch %s\n"), epoch);
  return 0;
}

typedef struct
{
  IhServer  *server;
  GMainLoop *loop;
  guint      signals;
} Serving;

static void
stopped_cb (IhServer *server,
            gpointer  user_data)
{
  Serving *serving = user_data;

  g_main_loop_quit (serving->loop);
}

static gboolean
give_up_cb (gpointer user_data)
{
  Serving *serving = user_data;

  g_printerr ("insight-hub-server: %s\n", _("requests still running after 30 seconds; stopping anyway"));
  g_main_loop_quit (serving->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
signal_cb (gpointer user_data)
{
  Serving *serving = user_data;

  if (serving->signals++ > 0)
    {
      g_main_loop_quit (serving->loop);
      return G_SOURCE_CONTINUE;
    }

  printf ("stopping: waiting for %u request(s) in flight\n", ih_server_get_in_flight (serving->server));
  fflush (stdout);
  ih_server_stop (serving->server, G_CALLBACK (stopped_cb), serving);
  g_timeout_add_seconds (30, give_up_cb, serving);
  return G_SOURCE_CONTINUE;
}

static int
cmd_serve (int    argc,
           char **argv)
{
  g_autoptr(GKeyFile) config = NULL;
  g_autoptr(IhStore) store = NULL;
  g_autoptr(IhServer) server = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *uri = NULL;
  GError *error = NULL;
  Serving serving = { 0 };
  gint64 port = 8470;
  guint term_id, int_id;

  if (!parse_options (&argc, &argv, NULL, _("Serve the Insight Hub API until SIGTERM."), serve_entries))
    return 2;
  if (argc > 1)
    {
      g_printerr ("insight-hub-server: %s “%s”\n", _("unexpected argument"), argv[1]);
      return 2;
    }

  if ((config = load_config (&error)) == NULL)
    return fail (error);

  listen = opt_listen != NULL ? g_strdup (opt_listen) : config_string (config, "listen");
  if (listen == NULL)
    listen = g_strdup ("127.0.0.1");
  if (opt_port >= 0)
    port = opt_port;
  else if (g_key_file_has_key (config, "server", "port", NULL))
    {
      g_autofree char *text = config_string (config, "port");

      if (!g_ascii_string_to_signed (text, 10, 0, 65535, &port, NULL))
        {
          g_printerr ("insight-hub-server: %s\n", _("[server] port must be a number from 0 to 65535"));
          return 1;
        }
    }
  cert = opt_tls_cert != NULL ? g_strdup (opt_tls_cert) : config_string (config, "tls-cert");
  key = opt_tls_key != NULL ? g_strdup (opt_tls_key) : config_string (config, "tls-key");
  if ((cert == NULL) != (key == NULL))
    {
      g_printerr ("insight-hub-server: %s\n", _("HTTPS needs both a certificate and its key"));
      return 2;
    }
  if (cert != NULL && (certificate = g_tls_certificate_new_from_files (cert, key, &error)) == NULL)
    {
      g_prefix_error (&error, _("Cannot load the certificate %s or key %s: "), cert, key);
      return fail (error);
    }

  if ((store = open_store (config, &error)) == NULL ||
      (server = ih_server_new (store, config, &error)) == NULL ||
      !ih_server_listen (server, listen, (guint) port, certificate, opt_insecure, &error))
    return fail (error);

  loop = g_main_loop_new (NULL, FALSE);
  serving.server = server;
  serving.loop = loop;
  term_id = g_unix_signal_add (SIGTERM, signal_cb, &serving);
  int_id = g_unix_signal_add (SIGINT, signal_cb, &serving);

  uri = ih_server_get_uri (server);
  printf ("listening on %s\n", uri);
  fflush (stdout);

  g_main_loop_run (loop);

  /* Closes the connections, then the store (its WAL checkpointed). The
   * signal handlers stay until then: another SIGTERM must not cut it short */
  g_clear_object (&server);
  g_clear_object (&store);
  printf ("stopped\n");
  g_source_remove (term_id);
  g_source_remove (int_id);
  return 0;
}

static void
usage (FILE *out)
{
  fprintf (out, "%s\n\n%s\n",
           _("Usage: insight-hub-server [COMMAND] [OPTION…]"),
           _("Commands:\n"
             "  serve              serve the API (the default)\n"
             "  adduser EMAIL      add a user (--role, --name); password from the terminal\n"
             "  passwd EMAIL       set a new password\n"
             "  deluser EMAIL      remove a user\n"
             "  users              list the users\n"
             "  reset-epoch        after restoring a backup\n\n"
             "Each command takes --config FILE and --db PATH; COMMAND --help for more."));
}

int
main (int   argc,
      char *argv[])
{
  static const struct { const char *name; int (*run) (int, char **); } commands[] = {
    { "serve", cmd_serve },
    { "adduser", cmd_adduser },
    { "passwd", cmd_passwd },
    { "deluser", cmd_deluser },
    { "users", cmd_users },
    { "reset-epoch", cmd_reset_epoch },
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  signal (SIGPIPE, SIG_IGN);
  /* The log is read line by line (journal, tests) */
  setvbuf (stdout, NULL, _IOLBF, 0);

  if (argc > 1 && strcmp (argv[1], "--version") == 0)
    {
      printf ("insight-hub-server %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (argc > 1 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
                   strcmp (argv[1], "help") == 0))
    {
      usage (stdout);
      return 0;
    }

  if (argc < 2 || argv[1][0] == '-')
    return cmd_serve (argc, argv);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  g_printerr ("insight-hub-server: %s “%s”\n\n", _("unknown command"), argv[1]);
  usage (stderr);
  return 2;
}
