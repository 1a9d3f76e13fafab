/* test-sync-ui.c — sync in the app against the real insight-hub-server:
 * signing in through Preferences, the status, Sync Now, a conflict
 * resolved in the conflicts window, and the server going away while
 * the form keeps working
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/prctl.h>

#include "ih-application.h"
#include "ih-conflicts-window.h"
#include "ih-insight-editor.h"
#include "ih-preferences-window.h"
#include "ih-sync-client.h"
#include "ih-sync.h"
#include "ih-ui-test.h"
#include "ih-window.h"

#define PASSWORD "a long enough password"

static const char *server_path;
static IhApplication *app;

typedef struct
{
  char        *dir;
  char        *db;
  char        *conf;
  GSubprocess *proc;
  char        *url;
} Server;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
add_user (Server     *s,
          const char *email)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  const char *argv[] = { server_path, "adduser", email, "--role", "officer", "--config", s->conf,
                         "--db", s->db, NULL };

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, PASSWORD "\n", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));
}

static void
server_start (Server *s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) out = NULL;
  const char *argv[] = { server_path, "serve", "--config", NULL, "--db", NULL, "--port", "0", NULL };

  memset (s, 0, sizeof *s);
  s->dir = g_dir_make_tmp ("ih-sync-ui-XXXXXX", &error);
  g_assert_no_error (error);
  s->db = g_build_filename (s->dir, "server.db", NULL);
  s->conf = g_build_filename (s->dir, "server.conf", NULL);
  g_assert_true (g_file_set_contents (s->conf, "[auth]\npassword-hash-cost=unsafe-fast-for-tests-only\n",
                                      -1, NULL));
  add_user (s, "ann@example.org");
  add_user (s, "bob@example.org");

  argv[3] = s->conf;
  argv[5] = s->db;
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  s->proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->proc));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (g_str_has_prefix (line, "listening on "))
        {
          s->url = g_strdup (line + strlen ("listening on "));
          break;
        }
    }
}

static void
server_stop (Server *s)
{
  if (s->proc != NULL)
    {
      g_subprocess_send_signal (s->proc, SIGTERM);
      g_subprocess_wait (s->proc, NULL, NULL);
      g_clear_object (&s->proc);
    }
}

static void
server_clear (Server *s)
{
  server_stop (s);
  g_free (s->url);
  g_free (s->db);
  g_free (s->conf);
  g_free (s->dir);
}

static char *
server_text (Server     *s,
             const char *id)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (s->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT text FROM insight WHERE id = ?", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

/*
 * The app
 */

typedef struct
{
  Server            server;
  char             *dir;
  IhStore          *store;
  IhWindow         *window;
  IhSyncController *sync;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  server_start (&f->server);
  f->dir = g_dir_make_tmp ("test-sync-ui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "laptop.db", NULL);
  f->store = ih_store_open (path, &error);
  g_assert_no_error (error);
  f->window = ih_window_new (app, f->store);
  f->sync = ih_window_get_sync_controller (f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  ih_ui_wait_for (ih_ui_widget_mapped, f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  ih_ui_settle ();
  g_clear_object (&f->store);
  server_clear (&f->server);
  g_free (f->dir);
}

static GtkWidget *
named (GtkWidget  *root,
       GType       type,
       const char *name)
{
  GtkWidget *w = ih_ui_find_child (root, type, name);

  g_assert_nonnull (w);
  return w;
}

static const char *
label_text (Fixture    *f,
            const char *name)
{
  GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (named (GTK_WIDGET (f->window),
                                                                            GTK_TYPE_MENU_BUTTON,
                                                                            "sync-status")));

  return gtk_label_get_text (GTK_LABEL (named (GTK_WIDGET (popover), GTK_TYPE_LABEL, name)));
}

static GtkWidget *
popover_child (Fixture    *f,
               GType       type,
               const char *name)
{
  GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (named (GTK_WIDGET (f->window),
                                                                            GTK_TYPE_MENU_BUTTON,
                                                                            "sync-status")));

  return named (GTK_WIDGET (popover), type, name);
}

/* A button in the status popover, pressed as a person would: with the
 * popover open */
static void
press_in_status (Fixture    *f,
                 const char *name)
{
  GtkMenuButton *button = GTK_MENU_BUTTON (named (GTK_WIDGET (f->window), GTK_TYPE_MENU_BUTTON, "sync-status"));
  GtkWidget *target = popover_child (f, GTK_TYPE_BUTTON, name);

  gtk_menu_button_popup (button);
  ih_ui_wait_for (ih_ui_widget_mapped, target);
  gtk_widget_activate (target);
}

static void
close_status (Fixture *f)
{
  gtk_menu_button_popdown (GTK_MENU_BUTTON (named (GTK_WIDGET (f->window), GTK_TYPE_MENU_BUTTON, "sync-status")));
}

typedef struct
{
  Fixture    *f;
  const char *summary;
  const char *pending;
} Want;

static gboolean
status_is (gpointer data)
{
  Want *want = data;

  return ih_sync_controller_get_state (want->f->sync) != IH_SYNC_STATE_SYNCING &&
         g_str_has_prefix (label_text (want->f, "sync-summary"), want->summary) &&
         (want->pending == NULL || g_strcmp0 (label_text (want->f, "sync-pending"), want->pending) == 0);
}

static gboolean
status_contains (gpointer data)
{
  Want *want = data;

  return strstr (label_text (want->f, "sync-summary"), want->summary) != NULL;
}

static gboolean
sign_in_says (gpointer data)
{
  Want *want = data;
  IhPreferencesWindow *prefs = (IhPreferencesWindow *) want->f;

  return g_str_has_prefix (ih_preferences_window_get_sign_in_status (prefs), want->summary);
}

static void
sign_in (Fixture *f)
{
  GtkWidget *prefs = ih_window_show_preferences (f->window);
  Want want = { (Fixture *) prefs, NULL, NULL };

  ih_ui_wait_for (ih_ui_widget_mapped, prefs);
  gtk_editable_set_text (GTK_EDITABLE (named (prefs, ADW_TYPE_ENTRY_ROW, "server")), f->server.url);
  gtk_editable_set_text (GTK_EDITABLE (named (prefs, ADW_TYPE_ENTRY_ROW, "email")), "ann@example.org");

  /* A wrong password: said plainly, nothing set up */
  gtk_editable_set_text (GTK_EDITABLE (named (prefs, GTK_TYPE_ENTRY, "password")), "not the password");
  gtk_widget_activate (named (prefs, GTK_TYPE_BUTTON, "sign-in"));
  want.summary = "Could not sign in: The e-mail address or the password is wrong";
  ih_ui_wait_for (sign_in_says, &want);
  g_assert_false (ih_sync_is_set_up (f->store));

  gtk_editable_set_text (GTK_EDITABLE (named (prefs, GTK_TYPE_ENTRY, "password")), PASSWORD);
  gtk_widget_activate (named (prefs, GTK_TYPE_BUTTON, "sign-in"));
  want.summary = "Signed in as ann@example.org";
  ih_ui_wait_for (sign_in_says, &want);
  g_assert_true (ih_sync_is_set_up (f->store));
  /* The password is not kept in the form once signed in */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (prefs, GTK_TYPE_ENTRY, "password"))), ==, "");
  ih_ui_save_png (prefs, "sync-preferences.png");
  gtk_window_destroy (GTK_WINDOW (prefs));
  ih_ui_settle ();
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static gboolean
count_is_positive (gpointer data)
{
  return *(guint *) data > 0;
}

/* A whole run after Sync Now, not one already under way */
static void
sync_now_and_wait (Fixture    *f,
                   const char *summary,
                   const char *pending)
{
  Want want = { f, summary, pending };
  guint runs = 0;
  gulong handler;

  ih_ui_wait_for (status_is, &want);
  handler = g_signal_connect_swapped (f->sync, "notify::last-sync", G_CALLBACK (count_cb), &runs);
  /* Sync Now in the status popover, as a person would */
  press_in_status (f, "sync-now");
  ih_ui_wait_for (count_is_positive, &runs);
  g_signal_handler_disconnect (f->sync, handler);
  close_status (f);
  ih_ui_wait_for (status_is, &want);
}

static char *
find_insight (IhStore    *store,
              const char *text)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;

  all = ih_store_list (store, &ih_insight_class, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      IhInsight *insight = all->pdata[i];

      if (g_strcmp0 (insight->text, text) == 0)
        return g_strdup (insight->parent.id);
    }
  return NULL;
}

static void
test_sign_in_and_sync (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *on_server = NULL;
  Want want = { f, "Not syncing: sign in", NULL };

  g_assert_true (status_is (&want));
  g_assert_true (gtk_widget_get_visible (popover_child (f, GTK_TYPE_BUTTON, "sync-sign-in")));
  sign_in (f);
  want.summary = "Synced just now";
  want.pending = "Nothing waiting to sync";
  ih_ui_wait_for (status_is, &want);

  /* Saved in the form: waiting, then sent with Sync Now */
  {
    GtkWidget *editor = ih_window_get_editor (f->window);
    GtkTextView *view = GTK_TEXT_VIEW (gtk_widget_get_template_child (editor, IH_TYPE_INSIGHT_EDITOR,
                                                                      "text_view"));

    ih_window_set_view (f->window, "record");
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), "The lift at the day centre is broken again", -1);
    g_assert_true (ih_insight_editor_save (IH_INSIGHT_EDITOR (editor)));
  }
  id = find_insight (f->store, "The lift at the day centre is broken again");
  g_assert_nonnull (id);
  g_assert_cmpstr (label_text (f, "sync-pending"), ==, "1 change waiting to sync");
  g_assert_null (server_text (&f->server, id));

  sync_now_and_wait (f, "Synced just now", "Nothing waiting to sync");
  on_server = server_text (&f->server, id);
  g_assert_cmpstr (on_server, ==, "The lift at the day centre is broken again");
  g_assert_cmpint (ih_sync_controller_get_pending (f->sync), ==, 0);
  g_assert_false (gtk_widget_get_visible (popover_child (f, GTK_TYPE_BUTTON, "sync-sign-in")));

  /* A save syncs by itself a little later, without Sync Now */
  {
    GtkWidget *editor = ih_window_get_editor (f->window);
    GtkTextView *view = GTK_TEXT_VIEW (gtk_widget_get_template_child (editor, IH_TYPE_INSIGHT_EDITOR,
                                                                      "text_view"));
    g_autofree char *second = NULL;
    g_autofree char *second_on_server = NULL;
    guint runs = 0;
    gulong handler;

    ih_sync_controller_set_debounce (f->sync, 100);
    handler = g_signal_connect_swapped (f->sync, "notify::last-sync", G_CALLBACK (count_cb), &runs);
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), "No hearing loop at the front desk", -1);
    g_assert_true (ih_insight_editor_save (IH_INSIGHT_EDITOR (editor)));
    ih_ui_wait_for (count_is_positive, &runs);
    g_signal_handler_disconnect (f->sync, handler);
    second = find_insight (f->store, "No hearing loop at the front desk");
    second_on_server = server_text (&f->server, second);
    g_assert_cmpstr (second_on_server, ==, "No hearing loop at the front desk");
  }

  gtk_menu_button_popup (GTK_MENU_BUTTON (named (GTK_WIDGET (f->window), GTK_TYPE_MENU_BUTTON, "sync-status")));
  ih_ui_settle ();
  ih_ui_save_png (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (named (GTK_WIDGET (f->window),
                                                                                  GTK_TYPE_MENU_BUTTON,
                                                                                  "sync-status")))),
                  "sync-status.png");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (named (GTK_WIDGET (f->window), GTK_TYPE_MENU_BUTTON, "sync-status")));
}


/* Another laptop, through the core API: Bob's */
static IhStore *
open_other (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "bob.db", NULL);
  g_autoptr(GError) error = NULL;
  IhStore *store = ih_store_open (path, &error);

  g_assert_no_error (error);
  ih_sync_setup (store, f->server.url, &error);
  g_assert_no_error (error);
  return store;
}

static void
sync_other (Fixture *f,
            IhStore *store)
{
  g_autoptr(IhSyncClient) client = ih_sync_client_new (f->server.url);
  g_autoptr(IhSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;

  ih_sync_client_login (client, "bob@example.org", PASSWORD, NULL, &error);
  g_assert_no_error (error);
  engine = ih_sync_client_new_engine (client, store);
  ih_sync_engine_run (engine, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
set_text (IhStore    *store,
          const char *id,
          const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhInsight) insight = ih_store_load (store, &ih_insight_class, id, &error);

  g_assert_no_error (error);
  g_free (insight->text);
  insight->text = g_strdup (text);
  ih_store_save (store, insight, &error);
  g_assert_no_error (error);
}

static char *
load_text (IhStore    *store,
           const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhInsight) insight = ih_store_load (store, &ih_insight_class, id, &error);

  g_assert_no_error (error);
  return g_strdup (insight->text);
}

static GtkWidget *
find_conflicts_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (IH_IS_CONFLICTS_WINDOW (w))
        return GTK_WIDGET (w);
    }
  return NULL;
}

static gboolean
conflict_resolved (gpointer data)
{
  return ih_ui_find_child (data, GTK_TYPE_LABEL, "resolved") != NULL;
}

static gboolean
conflicts_window_shown (gpointer data)
{
  return find_conflicts_window () != NULL;
}

static void
test_conflict_keep_theirs (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(IhStore) bob = NULL;
  g_autoptr(IhInsight) insight = ih_insight_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *here = NULL;
  g_autofree char *there = NULL;
  g_autofree char *on_server = NULL;
  GtkWidget *conflicts;
  GtkWidget *card;
  GtkWidget *merged;
  GtkTextIter start, end;
  g_autofree char *merged_text = NULL;

  sign_in (f);
  insight->text = g_strdup ("The car park fills by nine");
  ih_store_save (f->store, insight, &error);
  g_assert_no_error (error);
  id = g_strdup (insight->parent.id);
  sync_now_and_wait (f, "Synced just now", "Nothing waiting to sync");

  bob = open_other (f);
  sync_other (f, bob);
  set_text (bob, id, "Bob: full by half past eight");
  sync_other (f, bob);
  set_text (f->store, id, "Ann: full by nine");
  sync_now_and_wait (f, "Synced just now", "Nothing waiting to sync");
  g_assert_cmpuint (ih_sync_controller_get_conflicts (f->sync), ==, 1);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (popover_child (f, GTK_TYPE_BUTTON, "sync-conflicts"))), ==,
                   "1 conflict to resolve");
  g_assert_true (gtk_widget_get_visible (popover_child (f, GTK_TYPE_BUTTON, "sync-conflicts")));

  /* Opened from the status; both versions side by side */
  press_in_status (f, "sync-conflicts");
  ih_ui_wait_for (conflicts_window_shown, NULL);
  conflicts = find_conflicts_window ();
  g_assert_nonnull (conflicts);
  ih_ui_wait_for (ih_ui_widget_mapped, conflicts);
  card = named (conflicts, GTK_TYPE_FRAME, "conflict-0");
  g_assert_nonnull (ih_ui_find_label (card, "Ann: full by nine"));
  g_assert_nonnull (ih_ui_find_label (card, "Bob: full by half past eight"));
  g_assert_nonnull (ih_ui_find_label (card, "Theirs (reached the server first)"));
  g_assert_nonnull (ih_ui_find_label (card, "What was said"));
  g_assert_true (gtk_widget_has_css_class (ih_ui_find_label (card, "Bob: full by half past eight"), "warning"));

  /* Edit Merged starts from mine */
  gtk_widget_activate (named (card, GTK_TYPE_BUTTON, "edit-merged"));
  merged = named (card, GTK_TYPE_TEXT_VIEW, "merged-text");
  ih_ui_wait_for (ih_ui_widget_mapped, merged);
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (GTK_TEXT_VIEW (merged)), &start, &end);
  merged_text = gtk_text_buffer_get_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (merged)), &start, &end, FALSE);
  g_assert_cmpstr (merged_text, ==, "Ann: full by nine");
  ih_ui_save_png (conflicts, "sync-conflicts.png");

  gtk_widget_activate (named (card, GTK_TYPE_BUTTON, "keep-theirs"));
  ih_ui_wait_for (conflict_resolved, conflicts);
  g_assert_null (ih_ui_find_child (conflicts, GTK_TYPE_BUTTON, "keep-mine"));
  gtk_window_destroy (GTK_WINDOW (conflicts));

  sync_now_and_wait (f, "Synced just now", "Nothing waiting to sync");
  g_assert_cmpuint (ih_sync_controller_get_conflicts (f->sync), ==, 0);
  g_assert_false (gtk_widget_get_visible (popover_child (f, GTK_TYPE_BUTTON, "sync-conflicts")));
  sync_other (f, bob);
  here = load_text (f->store, id);
  there = load_text (bob, id);
  on_server = server_text (&f->server, id);
  g_assert_cmpstr (here, ==, "Bob: full by half past eight");
  g_assert_cmpstr (there, ==, "Bob: full by half past eight");
  g_assert_cmpstr (on_server, ==, "Bob: full by half past eight");

  /* Again, and this time a version written from both */
  set_text (bob, id, "Bob: full by eight on Mondays");
  sync_other (f, bob);
  set_text (f->store, id, "Ann: full by nine on market days");
  sync_now_and_wait (f, "Synced just now", "Nothing waiting to sync");
  g_assert_cmpuint (ih_sync_controller_get_conflicts (f->sync), ==, 1);
  conflicts = ih_window_show_conflicts (f->window);
  ih_ui_wait_for (ih_ui_widget_mapped, conflicts);
  card = named (conflicts, GTK_TYPE_FRAME, "conflict-0");
  g_assert_nonnull (ih_ui_find_label (card, "Bob: full by eight on Mondays"));
  gtk_widget_activate (named (card, GTK_TYPE_BUTTON, "edit-merged"));
  merged = named (card, GTK_TYPE_TEXT_VIEW, "merged-text");
  ih_ui_wait_for (ih_ui_widget_mapped, merged);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (merged)),
                            "Full by eight on Mondays and by nine on market days", -1);
  gtk_widget_activate (named (card, GTK_TYPE_BUTTON, "save-merged"));
  ih_ui_wait_for (conflict_resolved, conflicts);
  gtk_window_destroy (GTK_WINDOW (conflicts));

  sync_now_and_wait (f, "Synced just now", "Nothing waiting to sync");
  g_assert_cmpuint (ih_sync_controller_get_conflicts (f->sync), ==, 0);
  sync_other (f, bob);
  g_free (here);
  g_free (there);
  g_free (on_server);
  here = load_text (f->store, id);
  there = load_text (bob, id);
  on_server = server_text (&f->server, id);
  g_assert_cmpstr (here, ==, "Full by eight on Mondays and by nine on market days");
  g_assert_cmpstr (there, ==, "Full by eight on Mondays and by nine on market days");
  g_assert_cmpstr (on_server, ==, "Full by eight on Mondays and by nine on market days");
}

static void
test_server_unreachable (Fixture       *f,
                         gconstpointer  data)
{
  Want want = { f, "Cannot reach the server — will try again in ", NULL };
  GtkWidget *editor = ih_window_get_editor (f->window);
  GtkTextView *view = GTK_TEXT_VIEW (gtk_widget_get_template_child (editor, IH_TYPE_INSIGHT_EDITOR, "text_view"));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;
  g_autofree char *typed = NULL;

  sign_in (f);
  want.summary = "Synced just now";
  ih_ui_wait_for (status_is, &want);
  server_stop (&f->server);

  press_in_status (f, "sync-now");
  want.summary = "Cannot reach the server — will try again in ";
  ih_ui_wait_for (status_contains, &want);
  ih_ui_save_png (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (named (GTK_WIDGET (f->window),
                                                                                  GTK_TYPE_MENU_BUTTON,
                                                                                  "sync-status")))),
                  "sync-status-offline.png");
  close_status (f);
  g_assert_cmpint (ih_sync_controller_get_state (f->sync), ==, IH_SYNC_STATE_OFFLINE);
  g_assert_cmpuint (ih_sync_controller_get_retry_in (f->sync), >, 0);

  /* The form keeps working, and what is saved waits */
  ih_window_set_view (f->window, "record");
  gtk_widget_grab_focus (GTK_WIDGET (view));
  gtk_text_buffer_insert_at_cursor (buffer, "Typed while the server is away", -1);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  typed = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (typed, ==, "Typed while the server is away");
  g_assert_true (ih_insight_editor_save (IH_INSIGHT_EDITOR (editor)));
  g_assert_cmpstr (label_text (f, "sync-pending"), ==, "1 change waiting to sync");
  g_assert_nonnull (find_insight (f->store, "Typed while the server is away"));
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;

  {
    g_autofree char *home = g_dir_make_tmp ("test-sync-ui-home-XXXXXX", NULL);
    g_autofree char *state = g_build_filename (home, "state", NULL);
    g_autofree char *config = g_build_filename (home, "config", NULL);

    g_setenv ("XDG_STATE_HOME", state, TRUE);
    g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  }
  /* No desktop proxy settings in a test: connect directly */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  for (int i = 1; i + 1 < argc; i++)
    if (strcmp (argv[i], "--server") == 0)
      server_path = argv[i + 1];
  g_assert_nonnull (server_path);

  app = g_object_new (IH_TYPE_APPLICATION,
                      "application-id", IH_APPLICATION_ID,
                      "flags", G_APPLICATION_NON_UNIQUE,
                      NULL);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add ("/sync-ui/sign-in-and-sync", Fixture, NULL, fixture_setup, test_sign_in_and_sync, fixture_teardown);
  g_test_add ("/sync-ui/conflicts-keep-theirs-and-merge", Fixture, NULL, fixture_setup, test_conflict_keep_theirs,
              fixture_teardown);
  g_test_add ("/sync-ui/server-unreachable", Fixture, NULL, fixture_setup, test_server_unreachable,
              fixture_teardown);

  return g_test_run ();
}
