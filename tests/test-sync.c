/* test-sync.c — two clients and a server passing JSON as HTTP would:
 * merges, conflicts, lost replies, crashes, purges, roles, epochs
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ih-record-json.h"
#include "ih-store-private.h"
#include "ih-sync-engine.h"
#include "ih-sync-private.h"
#include "ih-sync-server.h"
#include "ih-sync.h"
#include "ih-test-util.h"

static char *
temp_db (const char *name)
{
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

static IhStore *
open_store (const char *name)
{
  g_autofree char *path = temp_db (name);
  g_autoptr(GError) error = NULL;
  IhStore *store = ih_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static IhStore *
open_client (const char *name)
{
  g_autoptr(GError) error = NULL;
  IhStore *store = open_store (name);

  ih_sync_setup (store, "https://sync.example.org", &error);
  g_assert_no_error (error);
  return store;
}

static gint64
sql_int (IhStore    *store,
         const char *sql)
{
  sqlite3_stmt *stmt;
  gint64 v = -1;

  _ih_store_lock (store);
  g_assert_cmpint (sqlite3_prepare_v2 (_ih_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  _ih_store_unlock (store);
  return v;
}

static gint64
fts_hits (IhStore    *store,
          const char *match)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM insight_fts WHERE insight_fts MATCH '%s'", match);
  return sql_int (store, sql);
}

static void
assert_index_ok (IhStore *store)
{
  g_autoptr(GError) error = NULL;

  _ih_store_check_index (store, &error);
  g_assert_no_error (error);
}

typedef struct
{
  const char *author;
  IhRole      role;
} Who;

static const Who officer_a = { "ann", IH_ROLE_OFFICER };
static const Who officer_b = { "bob", IH_ROLE_OFFICER };
static const Who manager = { "meg", IH_ROLE_MANAGER };
static const Who viewer = { "vic", IH_ROLE_VIEWER };

/* Sends the outbox; FALSE when the server says its epoch changed */
static gboolean
push (IhStore    *server,
      IhStore    *client,
      const Who  *who)
{
  g_autoptr(GError) error = NULL;
  gint64 pending = G_MAXINT64;

  for (;;)
    {
      g_autoptr(JsonObject) request = ih_sync_take_outbox (client, 100, &error);
      g_autoptr(JsonObject) sent = NULL;
      g_autoptr(JsonObject) reply = NULL;
      g_autoptr(JsonObject) received = NULL;
      guint n;

      g_assert_no_error (error);
      n = json_array_get_length (json_object_get_array_member (request, "changes"));
      if (n == 0)
        return TRUE;
      sent = ih_test_wire (request);
      reply = ih_sync_server_push (server, who->author, who->role, sent, &error);
      if (g_error_matches (error, IH_SYNC_ERROR, IH_SYNC_ERROR_EPOCH))
        return FALSE;
      g_assert_no_error (error);
      received = ih_test_wire (reply);
      ih_sync_push_done (client, received, &error);
      g_assert_no_error (error);
      /* Refused changes stay in the outbox but are not taken again; one
       * waiting for a record the server lacks is tried at the next sync */
      if (ih_sync_count_pending (client) == 0 || ih_sync_count_pending (client) >= pending)
        return TRUE;
      pending = ih_sync_count_pending (client);
    }
}

static void
pull_limit (IhStore    *server,
            IhStore    *client,
            const Who  *who,
            guint       limit,
            IhSyncStats *total)
{
  g_autoptr(GError) error = NULL;
  IhSyncStats stats = { 0 };

  do
    {
      g_autoptr(JsonObject) batch = ih_sync_server_changes (server, ih_sync_get_cursor (client),
                                                            limit, who->role, &error);
      g_autoptr(JsonObject) received = NULL;

      g_assert_no_error (error);
      received = ih_test_wire (batch);
      ih_sync_apply_pull (client, received, &stats, &error);
      g_assert_no_error (error);
      if (total)
        {
          total->applied += stats.applied;
          total->purged += stats.purged;
          total->conflicts += stats.conflicts;
          total->epoch_changed |= stats.epoch_changed;
        }
      if (stats.epoch_changed)
        {
          /* Restored server: the device gives back what it has, then reads all */
          g_assert_true (push (server, client, who));
          g_assert_cmpint (ih_sync_get_cursor (client), ==, 0);
        }
    }
  while (stats.more);

  assert_index_ok (client);
}

static void
sync_client (IhStore    *server,
             IhStore    *client,
             const Who  *who)
{
  if (!push (server, client, who))
    pull_limit (server, client, who, 0, NULL);
  g_assert_true (push (server, client, who));
  pull_limit (server, client, who, 0, NULL);
}

static IhInsight *
load_insight (IhStore    *store,
              const char *id)
{
  g_autoptr(GError) error = NULL;
  IhInsight *insight = ih_store_load (store, &ih_insight_class, id, &error);

  g_assert_no_error (error);
  return insight;
}

static void
set_text (IhStore    *store,
          const char *id,
          const char *text)
{
  g_autoptr(IhInsight) insight = load_insight (store, id);
  g_autoptr(GError) error = NULL;

  g_free (insight->text);
  insight->text = g_strdup (text);
  ih_store_save (store, insight, &error);
  g_assert_no_error (error);
}

static void
set_sentiment (IhStore    *store,
               const char *id,
               const char *sentiment)
{
  g_autoptr(IhInsight) insight = load_insight (store, id);
  g_autoptr(GError) error = NULL;

  g_free (insight->sentiment);
  insight->sentiment = g_strdup (sentiment);
  ih_store_save (store, insight, &error);
  g_assert_no_error (error);
}

static char *
new_insight (IhStore    *store,
             const char *text)
{
  g_autoptr(IhInsight) insight = ih_insight_new ();
  g_autoptr(GError) error = NULL;

  insight->text = g_strdup (text);
  insight->kind = g_strdup ("quote");
  insight->consent = g_strdup ("may-quote");
  ih_store_save (store, insight, &error);
  g_assert_no_error (error);
  return g_strdup (insight->parent.id);
}

static guint
n_conflicts (IhStore  *store,
             gboolean  unresolved_only)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = ih_sync_list_conflicts (store, unresolved_only, &error);

  g_assert_no_error (error);
  return list->len;
}

/* The server and two officers' laptops, all with the same insight */
typedef struct
{
  IhStore *server;
  IhStore *a;
  IhStore *b;
  char    *id;
} World;

static void
world_init (World *w)
{
  w->server = open_store ("server.db");
  w->a = open_client ("a.db");
  w->b = open_client ("b.db");
  w->id = new_insight (w->a, "The bus to the hospital stops at six");
  sync_client (w->server, w->a, &officer_a);
  sync_client (w->server, w->b, &officer_b);
  g_assert_true (ih_store_exists (w->b, &ih_insight_class, w->id));
}

static void
world_clear (World *w)
{
  g_clear_object (&w->server);
  g_clear_object (&w->a);
  g_clear_object (&w->b);
  g_clear_pointer (&w->id, g_free);
}

/*
 * Records as JSON
 */

static void
test_record_json (void)
{
  g_autoptr(IhInsight) insight = ih_insight_new ();
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) back = NULL;
  g_autoptr(IhInsight) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *theme = g_uuid_string_random ();
  char *themes[] = { theme, NULL };
  static const struct
  {
    const char *member;
    const char *json;
  } bad[] = {
    { "colour", "\"red\"" },            /* not a field of an insight */
    { "text", "5" },
    { "restricted", "\"yes\"" },
    { "sentiment", "\"cross\"" },
    { "date", "\"31/02/2024\"" },
    { "theme_ids", "[\"not-an-id\"]" },
    { "theme_ids", "\"one\"" },
    { "activity_id", "\"x\"" },
  };

  insight->text = g_strdup ("Words with “quotes” and a line\nbreak");
  insight->kind = g_strdup ("story");
  insight->date = g_strdup ("2024-03-31");
  insight->theme_ids = g_strdupv (themes);
  insight->sentiment = g_strdup ("negative");
  insight->restricted = TRUE;
  insight->parent.rev = 42;
  insight->parent.created_at = 1700000000000;

  object = ih_record_to_json (insight);
  back = ih_test_wire (object);
  copy = ih_record_from_json (back, &error);
  g_assert_no_error (error);
  g_assert_true (copy->parent.klass == &ih_insight_class);
  g_assert_cmpstr (copy->parent.id, ==, insight->parent.id);
  g_assert_cmpint (copy->parent.rev, ==, 42);
  g_assert_cmpint (copy->parent.created_at, ==, 1700000000000);
  for (guint i = 0; i < ih_insight_class.n_fields; i++)
    g_assert_true (ih_record_field_equal (insight, copy, &ih_insight_class.fields[i]));
  g_assert_cmpint (copy->activity_id == NULL, ==, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) broken = ih_test_wire (object);
      g_autofree char *text = g_strdup_printf ("{\"v\": %s}", bad[i].json);
      g_autoptr(JsonNode) node = ih_json_from_string (text, "test", &error);
      g_autoptr(IhRecord) refused = NULL;

      g_assert_no_error (error);
      json_object_set_member (broken, bad[i].member,
                              json_node_copy (json_object_get_member (json_node_get_object (node), "v")));
      refused = ih_record_from_json (broken, &error);
      g_assert_null (refused);
      g_assert_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID);
      if (strstr (error->message, bad[i].member) == NULL)
        g_error ("The message “%s” does not name “%s”", error->message, bad[i].member);
      g_clear_error (&error);
    }
}

/*
 * Records as JSON text, written without a tree (the change feed)
 */

#define FIELD_PTR(rec, f) ((gpointer) (((guint8 *) (rec)) + (f)->offset))

static const char * const awkward[] = {
  "say \"hello\"",
  "back\\slash \\\\ and \\n as typed",
  "line\nbreak and\r\nWindows",
  "tab\there",
  "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
  "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f",
  "\b\f",
  "Ysbyty — café, naïve, ŵ, ŷ, Łódź",
  "emoji 🎉 👩‍⚕️ 🏥",
  "",
  "line\u2028separator",
  "</script><!--",
  "\"",
  "\\",
};

/* Every field of @klass set from the awkward strings, or left empty in
 * ways that differ by @round */
static gpointer
awkward_record (const IhRecordClass *klass,
                guint                round)
{
  IhRecord *record = ih_record_new (klass);
  guint n = G_N_ELEMENTS (awkward);
  static const gint64 ints[] = { -1, 0, 7, G_MAXINT64 };

  record->rev = round * 1000;
  record->created_at = round == 0 ? 0 : 1700000000000 + round;
  record->updated_at = G_MAXINT64 - round;
  record->author = round % 3 == 0 ? NULL : g_strdup (awkward[round % n]);
  record->deleted = round % 2 == 1;

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const IhFieldInfo *f = &klass->fields[i];
      const char *s = awkward[(round + i) % n];

      switch (f->type)
        {
        case IH_FIELD_STRING:
        case IH_FIELD_DATE:
        case IH_FIELD_REF:
          /* Round 1: every field empty */
          *(char **) FIELD_PTR (record, f) = round == 1 || (round + i) % 5 == 4 ? NULL : g_strdup (s);
          break;
        case IH_FIELD_LIST:
        case IH_FIELD_REFS:
          if (round == 1)
            *(char ***) FIELD_PTR (record, f) = NULL;
          else if (round % 4 == 2)
            *(char ***) FIELD_PTR (record, f) = g_new0 (char *, 1);   /* empty, not NULL */
          else
            {
              char **list = g_new0 (char *, 4);

              for (guint j = 0; j < 3; j++)
                list[j] = g_strdup (awkward[(round + i + j) % n]);
              *(char ***) FIELD_PTR (record, f) = list;
            }
          break;
        case IH_FIELD_INT:
          *(gint64 *) FIELD_PTR (record, f) = round == 1 ? -1 : ints[(round + i) % G_N_ELEMENTS (ints)];
          break;
        case IH_FIELD_BOOL:
          *(gboolean *) FIELD_PTR (record, f) = round != 1 && (round + i) % 2 == 0;
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return record;
}

static void
test_record_json_text (void)
{
  const IhRecordClass * const *classes;
  guint n_classes;
  guint n_checked = 0;

  classes = ih_record_classes (&n_classes);
  g_assert_cmpuint (n_classes, >=, 7);
  for (guint c = 0; c < n_classes; c++)
    for (guint round = 0; round < G_N_ELEMENTS (awkward) + 2; round++)
      {
        g_autoptr(IhRecord) record = awkward_record (classes[c], round);
        g_autoptr(GString) text = g_string_new ("[");
        g_autoptr(JsonNode) expected = json_node_new (JSON_NODE_OBJECT);
        g_autoptr(JsonNode) parsed = NULL;
        g_autoptr(GError) error = NULL;
        JsonNode *got;

        json_node_take_object (expected, ih_record_to_json (record));
        /* After other text, as in an array of records */
        ih_record_append_json (text, record);
        g_string_append_c (text, ']');

        /* JSON allows no raw control character in a string */
        for (gsize i = 0; i < text->len; i++)
          if ((guchar) text->str[i] < 0x20)
            g_error ("%s round %u: byte 0x%02x unescaped at %" G_GSIZE_FORMAT " of %s",
                     classes[c]->name, round, text->str[i], i, text->str);
        g_assert_true (g_utf8_validate (text->str, text->len, NULL));

        parsed = ih_json_from_string (text->str, "record", &error);
        g_assert_no_error (error);
        g_assert_true (JSON_NODE_HOLDS_ARRAY (parsed));
        g_assert_cmpuint (json_array_get_length (json_node_get_array (parsed)), ==, 1);
        got = json_array_get_element (json_node_get_array (parsed), 0);
        if (!json_node_equal (got, expected))
          {
            g_autofree char *want = ih_json_to_string (expected);

            g_error ("%s round %u: the text\n%s\ndoes not parse to\n%s", classes[c]->name, round,
                     text->str, want);
          }
        /* The same members, no more: the tree and the text agree on what
         * is left out */
        g_assert_cmpuint (json_object_get_size (json_node_get_object (got)), ==,
                          json_object_get_size (json_node_get_object (expected)));

        /* Strings come back byte for byte */
        if (record->author != NULL)
          g_assert_cmpstr (json_object_get_string_member (json_node_get_object (got), "author"), ==,
                           record->author);
        n_checked++;
      }
  g_assert_cmpuint (n_checked, ==, n_classes * (G_N_ELEMENTS (awkward) + 2));

  /* Numbers at both ends */
  {
    static const gint64 values[] = { 0, 1, -1, 9, 10, 1700000000000, G_MAXINT64, G_MININT64 };

    for (guint i = 0; i < G_N_ELEMENTS (values); i++)
      {
        g_autoptr(GString) text = g_string_new (NULL);
        g_autofree char *want = g_strdup_printf ("%" G_GINT64_FORMAT, values[i]);

        ih_json_append_int (text, values[i]);
        g_assert_cmpstr (text->str, ==, want);
      }
  }

  /* Bytes that are not UTF-8 (never stored by the app, but a damaged or
   * hand-edited database must not make a batch no client can parse) */
  {
    static const struct
    {
      const char *in;
      const char *out;
    } bad[] = {
      { "a\xff" "b", "a\xef\xbf\xbd" "b" },
      { "\x80", "\xef\xbf\xbd" },
      { "cut \xe2\x82", "cut \xef\xbf\xbd\xef\xbf\xbd" },
      { "ok \xe2\x82\xac then \xc3", "ok \xe2\x82\xac then \xef\xbf\xbd" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GString) text = g_string_new (NULL);
        g_autoptr(JsonNode) node = NULL;
        g_autoptr(GError) error = NULL;

        ih_json_append_string (text, bad[i].in);
        g_assert_true (g_utf8_validate (text->str, text->len, NULL));
        node = ih_json_from_string (text->str, "string", &error);
        g_assert_no_error (error);
        g_assert_cmpstr (json_node_get_string (node), ==, bad[i].out);
      }
  }
}

/*
 * Sync
 */

static void
test_first_sync (void)
{
  g_autoptr(IhStore) server = open_store ("server.db");
  g_autoptr(IhStore) a = open_store ("a.db");
  g_autoptr(IhStore) b = open_client ("b.db");
  g_autoptr(IhTheme) theme = ih_theme_new ();
  g_autoptr(IhTheme) sub = ih_theme_new ();
  g_autoptr(IhActivity) activity = ih_activity_new ();
  g_autoptr(IhInsight) insight = ih_insight_new ();
  g_autoptr(IhInsight) got = NULL;
  g_autoptr(IhTheme) got_sub = NULL;
  g_autoptr(GError) error = NULL;
  char *themes[] = { NULL, NULL };

  /* Records made before the laptop was ever set up for sync go too */
  theme->name = g_strdup ("Access");
  sub->name = g_strdup ("Parking");
  activity->title = g_strdup ("Stroud drop-in");
  activity->place = g_strdup ("Stroud");
  ih_store_save (a, theme, &error);
  g_assert_no_error (error);
  ih_store_save (a, activity, &error);
  g_assert_no_error (error);
  sub->parent_id = g_strdup (theme->parent.id);
  ih_store_save (a, sub, &error);
  g_assert_no_error (error);
  themes[0] = sub->parent.id;
  insight->text = g_strdup ("Nowhere to park near the surgery");
  insight->activity_id = g_strdup (activity->parent.id);
  insight->theme_ids = g_strdupv (themes);
  ih_store_save (a, insight, &error);
  g_assert_no_error (error);
  g_assert_false (ih_sync_is_set_up (a));

  ih_sync_setup (a, "https://sync.example.org", &error);
  g_assert_no_error (error);
  g_assert_cmpint (ih_sync_count_pending (a), ==, 4);
  sync_client (server, a, &manager);
  g_assert_cmpint (ih_sync_count_pending (a), ==, 0);
  g_assert_cmpint (ih_store_count (server, &ih_insight_class), ==, 1);
  g_assert_cmpint (ih_store_count (server, &ih_theme_class), ==, 2);
  assert_index_ok (server);

  sync_client (server, b, &officer_b);
  got = load_insight (b, insight->parent.id);
  g_assert_cmpstr (got->text, ==, insight->text);
  g_assert_cmpstr (got->activity_id, ==, activity->parent.id);
  g_assert_cmpstr (got->theme_ids[0], ==, sub->parent.id);
  g_assert_cmpint (got->parent.rev, >, 0);
  g_assert_cmpstr (got->parent.author, ==, "meg");
  got_sub = ih_store_load (b, &ih_theme_class, sub->parent.id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got_sub->parent_id, ==, theme->parent.id);
  g_assert_cmpint (fts_hits (b, "park"), ==, 1);
  g_assert_cmpint (fts_hits (b, "tags:\"plstroud\""), ==, 1);
  /* Records from the server do not go back to it */
  g_assert_cmpint (ih_sync_count_pending (b), ==, 0);
  g_assert_cmpint (ih_sync_count_pending (a), ==, 0);
}

/* A record the server sends that the store would refuse: the whole batch
 * is refused before anything is written, naming the change and what is
 * wrong, and the next pull asks from the same place */
static void
test_pull_invalid_record (void)
{
  g_autoptr(IhStore) server = open_store ("server.db");
  g_autoptr(IhStore) a = open_client ("a.db");
  g_autoptr(IhStore) b = open_client ("b.db");
  g_autoptr(JsonObject) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *good = NULL;
  g_autofree char *bad = NULL;
  JsonArray *changes;
  IhSyncStats stats;

  good = new_insight (a, "Good signage in the new wing");
  bad = new_insight (a, "Lifts out of order again");
  g_assert_true (push (server, a, &officer_a));

  batch = ih_test_wire (ih_sync_server_changes (server, 0, 0, IH_ROLE_OFFICER, &error));
  g_assert_no_error (error);
  changes = json_object_get_array_member (batch, "changes");
  g_assert_cmpuint (json_array_get_length (changes), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *record = json_array_get_object_element (changes, i);

      if (strstr (json_object_get_string_member (record, "text"), "Lifts"))
        json_object_set_string_member (record, "sentiment", "furious");
    }

  g_assert_false (ih_sync_apply_pull (b, batch, &stats, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "Change "));
  g_assert_nonnull (strstr (error->message, "furious"));
  g_clear_error (&error);
  g_assert_cmpint (ih_store_count (b, &ih_insight_class), ==, 0);
  g_assert_cmpint (ih_sync_get_cursor (b), ==, 0);
  g_assert_cmpint (fts_hits (b, "signage"), ==, 0);

  /* Sent right, it goes in */
  pull_limit (server, b, &officer_b, 0, NULL);
  g_assert_cmpint (ih_store_count (b, &ih_insight_class), ==, 2);
  g_assert_cmpint (fts_hits (b, "signage"), ==, 1);
  g_assert_cmpint (fts_hits (b, "lifts"), ==, 1);
}

static void
test_different_fields_merge (void)
{
  World w;
  g_autoptr(IhInsight) on_a = NULL;
  g_autoptr(IhInsight) on_b = NULL;
  g_autoptr(IhInsight) on_server = NULL;

  world_init (&w);
  set_text (w.a, w.id, "The last bus to the hospital leaves at six");
  set_sentiment (w.b, w.id, "negative");

  sync_client (w.server, w.a, &officer_a);
  sync_client (w.server, w.b, &officer_b);
  sync_client (w.server, w.a, &officer_a);

  on_a = load_insight (w.a, w.id);
  on_b = load_insight (w.b, w.id);
  on_server = load_insight (w.server, w.id);
  for (IhInsight **p = (IhInsight *[]) { on_a, on_b, on_server, NULL }; *p; p++)
    {
      g_assert_cmpstr ((*p)->text, ==, "The last bus to the hospital leaves at six");
      g_assert_cmpstr ((*p)->sentiment, ==, "negative");
      g_assert_cmpint ((*p)->parent.rev, ==, on_server->parent.rev);
    }
  g_assert_cmpuint (n_conflicts (w.a, FALSE), ==, 0);
  g_assert_cmpuint (n_conflicts (w.b, FALSE), ==, 0);
  g_assert_cmpint (fts_hits (w.b, "last"), ==, 1);
  world_clear (&w);
}

static void
test_same_field_conflict (void)
{
  World w;
  g_autoptr(GPtrArray) on_a = NULL;
  g_autoptr(GPtrArray) on_b = NULL;
  g_autoptr(GError) error = NULL;
  IhSyncConflict *ca, *cb;

  world_init (&w);
  set_text (w.a, w.id, "Ann: the bus stops at six, too early for visitors");
  set_text (w.b, w.id, "Bob: no bus after six, so visitors take taxis");
  set_sentiment (w.b, w.id, "negative");

  sync_client (w.server, w.a, &officer_a);
  sync_client (w.server, w.b, &officer_b);
  sync_client (w.server, w.a, &officer_a);

  /* The same winner everywhere: the version the server accepted first;
   * Bob's other field still merged */
  for (IhStore **s = (IhStore *[]) { w.server, w.a, w.b, NULL }; *s; s++)
    {
      g_autoptr(IhInsight) insight = load_insight (*s, w.id);

      g_assert_cmpstr (insight->text, ==, "Ann: the bus stops at six, too early for visitors");
      g_assert_cmpstr (insight->sentiment, ==, "negative");
      assert_index_ok (*s);
    }

  /* Both texts recoverable on both laptops */
  on_a = ih_sync_list_conflicts (w.a, TRUE, &error);
  g_assert_no_error (error);
  on_b = ih_sync_list_conflicts (w.b, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (on_a->len, ==, 1);
  g_assert_cmpuint (on_b->len, ==, 1);
  ca = on_a->pdata[0];
  cb = on_b->pdata[0];
  g_assert_cmpstr (ca->id, ==, cb->id);
  g_assert_cmpstr (ca->record_id, ==, w.id);
  g_assert_cmpstr (ca->fields[0], ==, "text");
  g_assert_null (ca->fields[1]);
  g_assert_cmpstr (((IhInsight *) ca->winner)->text, ==, "Ann: the bus stops at six, too early for visitors");
  g_assert_cmpstr (((IhInsight *) ca->loser)->text, ==, "Bob: no bus after six, so visitors take taxis");
  g_assert_cmpstr (((IhInsight *) cb->loser)->text, ==, ((IhInsight *) ca->loser)->text);
  g_assert_cmpstr (ca->loser_author, ==, "bob");
  g_assert_cmpint (fts_hits (w.b, "taxis"), ==, 0);

  /* Bob keeps his words: the resolution reaches everyone */
  ih_sync_resolve_conflict (w.b, cb->id, cb->loser, &error);
  g_assert_no_error (error);
  sync_client (w.server, w.b, &officer_b);
  sync_client (w.server, w.a, &officer_a);
  for (IhStore **s = (IhStore *[]) { w.server, w.a, w.b, NULL }; *s; s++)
    {
      g_autoptr(IhInsight) insight = load_insight (*s, w.id);

      g_assert_cmpstr (insight->text, ==, "Bob: no bus after six, so visitors take taxis");
      g_assert_cmpuint (n_conflicts (*s, TRUE), ==, 0);
      g_assert_cmpuint (n_conflicts (*s, FALSE), ==, 1);
    }
  g_assert_cmpint (fts_hits (w.a, "taxis"), ==, 1);
  g_assert_cmpint (ih_sync_count_pending (w.a) + ih_sync_count_pending (w.b), ==, 0);
  world_clear (&w);
}

static void
test_identical_edits (void)
{
  World w;
  g_autoptr(IhInsight) on_server = NULL;
  gint64 rev;

  world_init (&w);
  set_text (w.a, w.id, "Same words typed twice");
  set_text (w.b, w.id, "Same words typed twice");
  sync_client (w.server, w.a, &officer_a);
  on_server = load_insight (w.server, w.id);
  rev = on_server->parent.rev;
  sync_client (w.server, w.b, &officer_b);
  sync_client (w.server, w.a, &officer_a);

  g_clear_pointer (&on_server, ih_record_free);
  on_server = load_insight (w.server, w.id);
  /* Nothing changed, so no new revision either */
  g_assert_cmpint (on_server->parent.rev, ==, rev);
  for (IhStore **s = (IhStore *[]) { w.server, w.a, w.b, NULL }; *s; s++)
    g_assert_cmpuint (n_conflicts (*s, FALSE), ==, 0);
  world_clear (&w);
}

static void
test_lost_reply (void)
{
  World w;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) lost = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(IhInsight) on_server = NULL;
  g_autoptr(IhInsight) on_b = NULL;
  gint64 seq, count;
  JsonObject *r1, *r2;

  world_init (&w);
  g_free (new_insight (w.a, "Made offline, sent, reply lost"));
  set_text (w.a, w.id, "Edited offline, sent, reply lost");

  first = ih_sync_take_outbox (w.a, 100, &error);
  g_assert_no_error (error);
  lost = ih_sync_server_push (w.server, "ann", IH_ROLE_OFFICER, first, &error);
  g_assert_no_error (error);
  seq = sql_int (w.server, "SELECT seq FROM sync_server");
  count = ih_store_count (w.server, &ih_insight_class);
  g_assert_cmpint (count, ==, 2);

  /* The reply never came: the same changes go again */
  again = ih_sync_take_outbox (w.a, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (again, "changes")), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (again, "changes"), i), "change_id"), ==,
                     json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (first, "changes"), i), "change_id"));
  reply = ih_sync_server_push (w.server, "ann", IH_ROLE_OFFICER, again, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (w.server, "SELECT seq FROM sync_server"), ==, seq);
  g_assert_cmpint (ih_store_count (w.server, &ih_insight_class), ==, count);
  r1 = json_array_get_object_element (json_object_get_array_member (lost, "results"), 1);
  r2 = json_array_get_object_element (json_object_get_array_member (reply, "results"), 1);
  g_assert_cmpstr (json_object_get_string_member (r2, "status"), ==, "accepted");
  g_assert_cmpint (json_object_get_int_member (r2, "rev"), ==, json_object_get_int_member (r1, "rev"));
  ih_sync_push_done (w.a, reply, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ih_sync_count_pending (w.a), ==, 0);

  /* Lost again, and edited once more before the retry: still no conflict
   * with itself */
  set_text (w.a, w.id, "Edited a second time");
  g_clear_pointer (&first, json_object_unref);
  first = ih_sync_take_outbox (w.a, 100, &error);
  g_assert_no_error (error);
  g_clear_pointer (&lost, json_object_unref);
  lost = ih_sync_server_push (w.server, "ann", IH_ROLE_OFFICER, first, &error);
  g_assert_no_error (error);
  set_text (w.a, w.id, "Edited a third time");
  sync_client (w.server, w.a, &officer_a);
  sync_client (w.server, w.b, &officer_b);

  on_server = load_insight (w.server, w.id);
  on_b = load_insight (w.b, w.id);
  g_assert_cmpstr (on_server->text, ==, "Edited a third time");
  g_assert_cmpstr (on_b->text, ==, "Edited a third time");
  g_assert_cmpint (ih_store_count (w.b, &ih_insight_class), ==, 2);
  for (IhStore **s = (IhStore *[]) { w.server, w.a, w.b, NULL }; *s; s++)
    g_assert_cmpuint (n_conflicts (*s, FALSE), ==, 0);
  world_clear (&w);
}

/* A push that ended in a conflict, repeated: the same conflict, not two */
static void
test_lost_reply_of_conflict (void)
{
  World w;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonObject) lost = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) reply = NULL;
  JsonObject *r1, *r2;
  gint64 seq;

  world_init (&w);
  set_text (w.a, w.id, "Ann's words");
  sync_client (w.server, w.a, &officer_a);
  set_text (w.b, w.id, "Bob's words");

  request = ih_sync_take_outbox (w.b, 100, &error);
  g_assert_no_error (error);
  lost = ih_sync_server_push (w.server, "bob", IH_ROLE_OFFICER, request, &error);
  g_assert_no_error (error);
  r1 = json_array_get_object_element (json_object_get_array_member (lost, "results"), 0);
  g_assert_cmpstr (json_object_get_string_member (r1, "status"), ==, "conflict");

  /* Ann edits again meanwhile: recomputing would give another answer */
  set_text (w.a, w.id, "Ann's second words");
  sync_client (w.server, w.a, &officer_a);

  seq = sql_int (w.server, "SELECT seq FROM sync_server");
  again = ih_sync_take_outbox (w.b, 100, &error);
  g_assert_no_error (error);
  reply = ih_sync_server_push (w.server, "bob", IH_ROLE_OFFICER, again, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (w.server, "SELECT seq FROM sync_server"), ==, seq);
  r2 = json_array_get_object_element (json_object_get_array_member (reply, "results"), 0);
  g_assert_cmpstr (json_object_get_string_member (r2, "status"), ==, "conflict");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (r2, "conflict"), "id"), ==,
                   json_object_get_string_member (json_object_get_object_member (r1, "conflict"), "id"));
  g_assert_cmpint (sql_int (w.server, "SELECT count(*) FROM sync_conflict"), ==, 1);
  ih_sync_push_done (w.b, reply, &error);
  g_assert_no_error (error);
  sync_client (w.server, w.b, &officer_b);

  /* Bob's copy follows the server's current text; his words are in the conflict */
  {
    g_autoptr(IhInsight) on_b = load_insight (w.b, w.id);
    g_autoptr(GPtrArray) list = ih_sync_list_conflicts (w.b, TRUE, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (on_b->text, ==, "Ann's second words");
    g_assert_cmpuint (list->len, ==, 1);
    g_assert_cmpstr (((IhInsight *) ((IhSyncConflict *) list->pdata[0])->loser)->text, ==, "Bob's words");
  }
  world_clear (&w);
}

static void
test_edit_vs_delete (void)
{
  World w;
  g_autoptr(GError) error = NULL;
  g_autofree char *other = NULL;

  world_init (&w);

  /* Deleted on one laptop, edited on the other: the edit wins */
  ih_store_delete (w.a, &ih_insight_class, w.id, &error);
  g_assert_no_error (error);
  set_text (w.b, w.id, "Edited while someone deleted it");
  sync_client (w.server, w.a, &officer_a);
  {
    g_autoptr(IhInsight) gone = load_insight (w.server, w.id);
    g_assert_true (gone->parent.deleted);
  }
  sync_client (w.server, w.b, &officer_b);
  sync_client (w.server, w.a, &officer_a);
  for (IhStore **s = (IhStore *[]) { w.server, w.a, w.b, NULL }; *s; s++)
    {
      g_autoptr(IhInsight) insight = load_insight (*s, w.id);
      g_autoptr(GPtrArray) list = ih_sync_list_conflicts (*s, TRUE, &error);

      g_assert_no_error (error);
      g_assert_false (insight->parent.deleted);
      g_assert_cmpstr (insight->text, ==, "Edited while someone deleted it");
      g_assert_cmpuint (list->len, ==, 1);
      /* The deletion is kept to be confirmed */
      g_assert_true (((IhSyncConflict *) list->pdata[0])->loser->deleted);
    }
  g_assert_cmpint (fts_hits (w.a, "someone"), ==, 1);

  /* The other order: edited first, then deleted by someone who had not seen it */
  other = new_insight (w.a, "Second one");
  sync_client (w.server, w.a, &officer_a);
  sync_client (w.server, w.b, &officer_b);
  set_text (w.a, other, "Second one, edited");
  ih_store_delete (w.b, &ih_insight_class, other, &error);
  g_assert_no_error (error);
  sync_client (w.server, w.a, &officer_a);
  sync_client (w.server, w.b, &officer_b);
  sync_client (w.server, w.a, &officer_a);
  for (IhStore **s = (IhStore *[]) { w.server, w.a, w.b, NULL }; *s; s++)
    {
      g_autoptr(IhInsight) insight = load_insight (*s, other);

      g_assert_false (insight->parent.deleted);
      g_assert_cmpstr (insight->text, ==, "Second one, edited");
      g_assert_cmpuint (n_conflicts (*s, TRUE), ==, 2);
    }

  /* A deletion nobody contests just happens */
  ih_store_delete (w.b, &ih_insight_class, other, &error);
  g_assert_no_error (error);
  sync_client (w.server, w.b, &officer_b);
  sync_client (w.server, w.a, &officer_a);
  {
    g_autoptr(IhInsight) gone = load_insight (w.a, other);
    g_assert_true (gone->parent.deleted);
  }
  g_assert_cmpint (fts_hits (w.a, "second"), ==, 0);
  world_clear (&w);
}

static void
test_pull_meets_local_edit (void)
{
  World w;
  g_autoptr(IhInsight) on_a = NULL;
  g_autoptr(IhInsight) on_server = NULL;

  world_init (&w);
  set_text (w.a, w.id, "Unsent words on Ann's laptop");
  set_sentiment (w.b, w.id, "positive");
  sync_client (w.server, w.b, &officer_b);

  /* Ann pulls before she pushes: her words stay, Bob's field comes in */
  pull_limit (w.server, w.a, &officer_a, 0, NULL);
  on_a = load_insight (w.a, w.id);
  g_assert_cmpstr (on_a->text, ==, "Unsent words on Ann's laptop");
  g_assert_cmpstr (on_a->sentiment, ==, "positive");
  g_assert_cmpint (ih_sync_count_pending (w.a), ==, 1);
  g_assert_cmpint (fts_hits (w.a, "unsent"), ==, 1);

  sync_client (w.server, w.a, &officer_a);
  on_server = load_insight (w.server, w.id);
  g_assert_cmpstr (on_server->text, ==, "Unsent words on Ann's laptop");
  g_assert_cmpstr (on_server->sentiment, ==, "positive");
  g_assert_cmpuint (n_conflicts (w.server, FALSE), ==, 0);
  world_clear (&w);
}

static int kill_after;

static void
kill_hook (const char *step)
{
  if (g_str_equal (step, "row") && --kill_after == 0)
    raise (SIGKILL);
}

/* Runs @func in a child process that is killed at its @n-th row written */
static void
run_killed (void (*func) (void),
            int    n)
{
  int status;
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      kill_after = n;
      _ih_store_test_hook = kill_hook;
      func ();
      _exit (0);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
}

static void
child_pull (void)
{
  IhStore *server = open_store ("server.db");
  IhStore *client = open_store ("c.db");
  JsonObject *batch = ih_sync_server_changes (server, ih_sync_get_cursor (client), 100,
                                              IH_ROLE_OFFICER, NULL);

  ih_sync_apply_pull (client, batch, NULL, NULL);
}

static void
child_pull_then_die (void)
{
  child_pull ();
  raise (SIGKILL);
}

static void
test_killed_mid_pull (void)
{
  g_autoptr(IhStore) server = open_store ("server.db");
  g_autoptr(IhStore) a = open_client ("a.db");
  g_autoptr(IhStore) c = open_client ("c.db");
  g_autoptr(GError) error = NULL;

  ih_store_begin (a, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 250; i++)
    {
      g_autoptr(IhInsight) insight = ih_insight_new ();

      insight->text = g_strdup_printf ("Feedback number %d about clinics", i);
      _ih_store_save_in_transaction (a, insight, &error);
      g_assert_no_error (error);
    }
  ih_store_commit (a, &error);
  g_assert_no_error (error);
  sync_client (server, a, &officer_a);
  g_clear_object (&server);
  g_clear_object (&c);

  /* Killed in the middle of applying the first batch of 100 */
  run_killed (child_pull, 50);
  c = open_store ("c.db");
  server = open_store ("server.db");
  g_assert_cmpint (ih_sync_get_cursor (c), ==, 0);
  g_assert_cmpint (ih_store_count (c, &ih_insight_class), ==, 0);
  assert_index_ok (c);

  /* Killed just after the first batch committed: its checkpoint stays */
  g_clear_object (&c);
  g_clear_object (&server);
  run_killed (child_pull_then_die, -1);
  c = open_store ("c.db");
  server = open_store ("server.db");
  g_assert_cmpint (ih_sync_get_cursor (c), >, 0);
  g_assert_cmpint (ih_store_count (c, &ih_insight_class), ==, 100);
  assert_index_ok (c);

  /* The next pull goes on from there: every record once */
  pull_limit (server, c, &officer_a, 100, NULL);
  g_assert_cmpint (ih_store_count (c, &ih_insight_class), ==, 250);
  g_assert_cmpint (sql_int (c, "SELECT count(DISTINCT id) FROM insight"), ==, 250);
  g_assert_cmpint (fts_hits (c, "clinics"), ==, 250);
  g_assert_cmpint (ih_sync_get_cursor (c), ==, sql_int (server, "SELECT seq FROM sync_server"));
  g_assert_cmpint (ih_sync_count_pending (c), ==, 0);
}

static void
child_push (void)
{
  IhStore *server = open_store ("server.db");
  IhStore *client = open_store ("a.db");
  JsonObject *request = ih_sync_take_outbox (client, 100, NULL);

  ih_sync_server_push (server, "ann", IH_ROLE_OFFICER, request, NULL);
}

static void
test_server_killed_mid_push (void)
{
  g_autoptr(IhStore) server = open_store ("server.db");
  g_autoptr(IhStore) a = open_client ("a.db");
  g_autoptr(IhStore) b = open_client ("b.db");
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 30; i++)
    g_free (new_insight (a, "Pushed while the server died"));
  g_clear_object (&server);
  g_clear_object (&a);

  /* The server dies at its 20th row: none of the push is kept */
  run_killed (child_push, 20);
  server = open_store ("server.db");
  a = open_store ("a.db");
  g_assert_cmpint (ih_store_count (server, &ih_insight_class), ==, 0);
  g_assert_cmpint (ih_sync_count_pending (a), ==, 30);

  sync_client (server, a, &officer_a);
  sync_client (server, b, &officer_b);
  g_assert_cmpint (ih_store_count (server, &ih_insight_class), ==, 30);
  g_assert_cmpint (ih_store_count (b, &ih_insight_class), ==, 30);
  g_assert_cmpint (fts_hits (b, "died"), ==, 30);
  g_assert_cmpint (ih_sync_count_pending (a), ==, 0);
  assert_index_ok (server);
}

static void
test_consent_withdrawn (void)
{
  World w;
  g_autoptr(IhInsight) insight = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  world_init (&w);
  /* Bob has an unsent edit of it when consent is withdrawn on Ann's laptop */
  set_sentiment (w.b, w.id, "negative");
  insight = load_insight (w.a, w.id);
  g_free (insight->consent);
  insight->consent = g_strdup ("withdrawn");
  ih_store_save (w.a, insight, &error);
  g_assert_no_error (error);

  /* The words do not travel with the withdrawal, and leave Ann's laptop
   * as soon as the server has it */
  {
    g_autoptr(JsonObject) request = ih_sync_take_outbox (w.a, 100, &error);
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
    g_autofree char *text = NULL;
    g_autoptr(JsonObject) reply = NULL;

    g_assert_no_error (error);
    json_node_set_object (node, request);
    text = ih_json_to_string (node);
    g_assert_null (strstr (text, "hospital"));
    g_assert_nonnull (strstr (text, "withdrawn"));
    reply = ih_sync_server_push (w.server, "ann", IH_ROLE_OFFICER, request, &error);
    g_assert_no_error (error);
    ih_sync_push_done (w.a, reply, &error);
    g_assert_no_error (error);
    g_assert_false (ih_store_exists (w.a, &ih_insight_class, w.id));
  }
  sync_client (w.server, w.a, &officer_a);
  sync_client (w.server, w.b, &officer_b);

  for (IhStore **s = (IhStore *[]) { w.server, w.a, w.b, NULL }; *s; s++)
    {
      g_assert_false (ih_store_exists (*s, &ih_insight_class, w.id));
      g_assert_cmpint (sql_int (*s, "SELECT count(*) FROM insight WHERE text LIKE '%hospital%'"), ==, 0);
      g_assert_cmpint (sql_int (*s, "SELECT count(*) FROM sync_conflict"), ==, 0);
      g_assert_cmpint (fts_hits (*s, "hospital"), ==, 0);
      assert_index_ok (*s);
    }
  g_assert_cmpint (ih_sync_count_pending (w.b) + ih_sync_count_refused (w.b), ==, 0);

  /* Not even in the server's file once it is checkpointed */
  path = g_strdup (ih_store_get_path (w.server));
  g_clear_object (&w.server);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_null (g_strstr_len (contents, length, "The bus to the hospital"));

  w.server = open_store ("server.db");
  world_clear (&w);
}

static void
test_viewer_never_gets_restricted (void)
{
  g_autoptr(IhStore) server = open_store ("server.db");
  g_autoptr(IhStore) a = open_client ("a.db");
  g_autoptr(IhStore) m = open_client ("m.db");
  g_autoptr(IhStore) v = open_client ("v.db");
  g_autoptr(IhInsight) secret = ih_insight_new ();
  g_autoptr(IhAction) action = ih_action_new ();
  g_autoptr(IhAction) got = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *open_id = new_insight (a, "Open words about the pharmacy");
  char *both[] = { NULL, open_id, NULL };

  secret->text = g_strdup ("Restricted words about a named ward");
  secret->restricted = TRUE;
  ih_store_save (a, secret, &error);
  g_assert_no_error (error);
  sync_client (server, a, &officer_a);
  sync_client (server, m, &manager);
  both[0] = secret->parent.id;
  action->title = g_strdup ("Pharmacy hours extended");
  action->insight_ids = g_strdupv (both);
  ih_store_save (m, action, &error);
  g_assert_no_error (error);
  sync_client (server, m, &manager);

  sync_client (server, v, &viewer);
  g_assert_false (ih_store_exists (v, &ih_insight_class, secret->parent.id));
  g_assert_true (ih_store_exists (v, &ih_insight_class, open_id));
  got = ih_store_load (v, &ih_action_class, action->parent.id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->insight_ids[0], ==, open_id);
  g_assert_null (got->insight_ids[1]);
  g_assert_cmpint (sql_int (v, "SELECT count(*) FROM insight WHERE text LIKE '%ward%'"), ==, 0);

  /* Made restricted later: removed from the viewer's copy */
  {
    g_autoptr(IhInsight) now = load_insight (a, open_id);

    now->restricted = TRUE;
    ih_store_save (a, now, &error);
    g_assert_no_error (error);
  }
  sync_client (server, a, &officer_a);
  sync_client (server, v, &viewer);
  g_assert_false (ih_store_exists (v, &ih_insight_class, open_id));
  g_assert_cmpint (sql_int (v, "SELECT count(*) FROM insight"), ==, 0);
  g_assert_cmpint (fts_hits (v, "pharmacy"), ==, 0);
  g_assert_true (ih_store_exists (v, &ih_action_class, action->parent.id));

  /* A viewer writes nothing; an officer no actions */
  {
    g_autoptr(IhAction) edit = ih_store_load (v, &ih_action_class, action->parent.id, &error);
    g_autoptr(IhAction) other = ih_action_new ();

    g_free (edit->title);
    edit->title = g_strdup ("Changed by a viewer");
    ih_store_save (v, edit, &error);
    g_assert_no_error (error);
    other->title = g_strdup ("Decided by an officer");
    ih_store_save (a, other, &error);
    g_assert_no_error (error);
  }
  sync_client (server, v, &viewer);
  sync_client (server, a, &officer_a);
  g_assert_cmpint (ih_sync_count_refused (v), ==, 1);
  g_assert_cmpint (ih_sync_count_refused (a), ==, 1);
  g_clear_pointer (&got, ih_record_free);
  got = ih_store_load (server, &ih_action_class, action->parent.id, &error);
  g_assert_cmpstr (got->title, ==, "Pharmacy hours extended");
  g_assert_cmpint (ih_store_count (server, &ih_action_class), ==, 1);
}

static void
test_clock_off_by_a_year (void)
{
  World w;
  g_autoptr(IhInsight) on_server = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gint64 year = G_GINT64_CONSTANT (365) * 24 * 3600 * 1000;

  world_init (&w);
  /* Bob's clock is a year behind, Ann's a year ahead; Bob pushes first */
  set_text (w.b, w.id, "Bob, clock a year behind");
  set_text (w.a, w.id, "Ann, clock a year ahead");
  _ih_store_lock (w.a);
  sqlite3_exec (_ih_store_get_db (w.a),
                "UPDATE insight SET updated_at = updated_at + 31536000000, created_at = created_at + 31536000000",
                NULL, NULL, NULL);
  _ih_store_unlock (w.a);
  _ih_store_lock (w.b);
  sqlite3_exec (_ih_store_get_db (w.b),
                "UPDATE insight SET updated_at = updated_at - 31536000000, created_at = created_at - 31536000000",
                NULL, NULL, NULL);
  _ih_store_unlock (w.b);

  sync_client (w.server, w.b, &officer_b);
  sync_client (w.server, w.a, &officer_a);
  sync_client (w.server, w.b, &officer_b);

  /* Order is the server's: the first to arrive wins, whatever the clocks */
  on_server = load_insight (w.server, w.id);
  g_assert_cmpstr (on_server->text, ==, "Bob, clock a year behind");
  g_assert_cmpint (on_server->parent.updated_at, <, ih_now_ms () + year / 2);
  list = ih_sync_list_conflicts (w.b, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((IhInsight *) ((IhSyncConflict *) list->pdata[0])->loser)->text, ==, "Ann, clock a year ahead");
  {
    g_autoptr(IhInsight) on_a = load_insight (w.a, w.id);
    g_assert_cmpstr (on_a->text, ==, "Bob, clock a year behind");
  }
  world_clear (&w);
}

static void
test_epoch_change (void)
{
  World w;
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = temp_db ("backup.db");
  g_autofree char *server_path = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *late = NULL;
  g_autofree char *epoch = NULL;
  g_autofree char *new_epoch = NULL;

  world_init (&w);
  epoch = ih_sync_server_get_epoch (w.server, &error);
  g_assert_no_error (error);

  /* The server's backup is taken; then work goes on */
  sql = g_strdup_printf ("VACUUM INTO '%s'", backup);
  _ih_store_lock (w.server);
  g_assert_cmpint (sqlite3_exec (_ih_store_get_db (w.server), sql, NULL, NULL, NULL), ==, SQLITE_OK);
  _ih_store_unlock (w.server);
  late = new_insight (w.a, "Written after the backup");
  set_sentiment (w.a, w.id, "positive");
  sync_client (w.server, w.a, &officer_a);
  sync_client (w.server, w.b, &officer_b);
  g_assert_cmpint (ih_store_count (w.b, &ih_insight_class), ==, 2);

  /* The server is restored from the backup and told so */
  server_path = g_strdup (ih_store_get_path (w.server));
  g_clear_object (&w.server);
  g_assert_cmpint (g_rename (backup, server_path), ==, 0);
  {
    g_autofree char *wal = g_strconcat (server_path, "-wal", NULL);
    g_unlink (wal);
  }
  w.server = open_store ("server.db");
  g_assert_cmpint (ih_store_count (w.server, &ih_insight_class), ==, 1);
  ih_sync_server_new_epoch (w.server, &error);
  g_assert_no_error (error);
  new_epoch = ih_sync_server_get_epoch (w.server, &error);
  g_assert_cmpstr (new_epoch, !=, epoch);

  /* Meanwhile Bob edits: he pushes into the new epoch */
  set_text (w.b, w.id, "Bob after the restore");
  sync_client (w.server, w.b, &officer_b);
  sync_client (w.server, w.a, &officer_a);
  sync_client (w.server, w.b, &officer_b);

  /* Nothing lost or deleted anywhere; what the server lost came back */
  for (IhStore **s = (IhStore *[]) { w.server, w.a, w.b, NULL }; *s; s++)
    {
      g_autoptr(IhInsight) insight = load_insight (*s, w.id);

      g_assert_cmpint (ih_store_count (*s, &ih_insight_class), ==, 2);
      g_assert_true (ih_store_exists (*s, &ih_insight_class, late));
      g_assert_cmpstr (insight->text, ==, "Bob after the restore");
      g_assert_cmpstr (insight->sentiment, ==, "positive");
      g_assert_cmpuint (n_conflicts (*s, FALSE), ==, 0);
      assert_index_ok (*s);
    }
  g_assert_cmpint (ih_sync_count_pending (w.a) + ih_sync_count_pending (w.b), ==, 0);
  world_clear (&w);
}

static void
test_bad_requests (void)
{
  g_autoptr(IhStore) server = open_store ("server.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *device = g_uuid_string_random ();
  static const struct
  {
    const char *json;
    const char *names;
  } bad[] = {
    { "{\"changes\": []}", "device" },
    { "{\"device\": \"%s\", \"changes\": 3}", "changes" },
    { "{\"device\": \"%s\", \"changes\": [], \"extra\": 1}", "extra" },
    { "{\"device\": \"%s\", \"changes\": [{\"type\": \"insight\"}]}", "change_id" },
    { "{\"device\": \"%s\", \"changes\": [{\"change_id\": \"0b0e8a36-2b5b-4c8c-9d69-8f7c3e2f4a10\","
      " \"type\": \"insight\", \"id\": \"0b0e8a36-2b5b-4c8c-9d69-8f7c3e2f4a11\", \"base_rev\": 0,"
      " \"fields\": {}, \"changed_fields\": [\"colour\"], \"deleted\": false}]}", "colour" },
    { "{\"device\": \"%s\", \"changes\": [{\"change_id\": \"0b0e8a36-2b5b-4c8c-9d69-8f7c3e2f4a10\","
      " \"type\": \"poem\", \"id\": \"0b0e8a36-2b5b-4c8c-9d69-8f7c3e2f4a11\"}]}", "type" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(GStrv) parts = g_strsplit (bad[i].json, "%s", -1);
      g_autofree char *text = g_strjoinv (device, parts);
      g_autoptr(JsonNode) node = ih_json_from_string (text, "test", &error);
      g_autoptr(JsonObject) reply = NULL;

      g_assert_no_error (error);
      reply = ih_sync_server_push (server, "ann", IH_ROLE_OFFICER, json_node_get_object (node), &error);
      g_assert_null (reply);
      g_assert_error (error, IH_SYNC_ERROR, IH_SYNC_ERROR_PROTOCOL);
      if (strstr (error->message, bad[i].names) == NULL)
        g_error ("“%s” does not name “%s”", error->message, bad[i].names);
      g_clear_error (&error);
    }

  /* A bad field value refuses that change only, naming the field */
  {
    g_autofree char *text = g_strdup_printf ("{\"device\": \"%s\", \"changes\": [{"
                                             "\"change_id\": \"0b0e8a36-2b5b-4c8c-9d69-8f7c3e2f4a10\","
                                             " \"type\": \"insight\", \"id\": \"0b0e8a36-2b5b-4c8c-9d69-8f7c3e2f4a11\","
                                             " \"base_rev\": 0, \"fields\": {\"text\": \"ok\", \"sentiment\": \"furious\"},"
                                             " \"changed_fields\": [\"text\"], \"deleted\": false}]}", device);
    g_autoptr(JsonNode) node = ih_json_from_string (text, "test", &error);
    g_autoptr(JsonObject) reply = ih_sync_server_push (server, "ann", IH_ROLE_OFFICER,
                                                       json_node_get_object (node), &error);
    JsonObject *result;

    g_assert_no_error (error);
    result = json_array_get_object_element (json_object_get_array_member (reply, "results"), 0);
    g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "refused");
    g_assert_cmpstr (json_object_get_string_member (result, "reason"), ==, "invalid");
    g_assert_nonnull (strstr (json_object_get_string_member (result, "message"), "sentiment"));
  }

  /* Limits of a pull */
  g_assert_null (ih_sync_server_changes (server, 0, IH_SYNC_MAX_LIMIT + 1, IH_ROLE_OFFICER, &error));
  g_assert_error (error, IH_SYNC_ERROR, IH_SYNC_ERROR_PROTOCOL);
}


/*
 * The engine, over a transport that calls the server directly
 */

typedef struct
{
  IhStore    *server;
  const Who  *who;
  int         lose_reply;      /* the push whose reply is lost (1 = first) */
  gboolean    down;            /* every request fails */
  int         pushes;
  int         pulls;
} Link;

static JsonObject *
link_push (gpointer       data,
           JsonObject    *request,
           GCancellable  *cancellable,
           GError       **error)
{
  Link *link = data;
  g_autoptr(JsonObject) sent = NULL;
  g_autoptr(JsonObject) reply = NULL;

  if (link->down)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE, "The server cannot be reached");
      return NULL;
    }
  sent = ih_test_wire (request);
  reply = ih_sync_server_push (link->server, link->who->author, link->who->role, sent, error);
  if (reply == NULL)
    return NULL;
  if (++link->pushes == link->lose_reply)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "The connection closed before the reply");
      return NULL;
    }
  return ih_test_wire (reply);
}

static JsonObject *
link_changes (gpointer       data,
              gint64         since,
              guint          limit,
              GCancellable  *cancellable,
              GError       **error)
{
  Link *link = data;
  g_autoptr(JsonObject) batch = NULL;

  if (link->down)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE, "The server cannot be reached");
      return NULL;
    }
  link->pulls++;
  batch = ih_sync_server_changes (link->server, since, limit, link->who->role, error);
  return batch ? ih_test_wire (batch) : NULL;
}

static const IhSyncTransport link_transport = { link_push, link_changes };

static void
count_progress (IhSyncEngine *engine,
                const char   *phase,
                guint         done,
                gpointer      user_data)
{
  (*(guint *) user_data)++;
}

static void
add_insight_batch (IhStore *store,
                   guint    n,
                   const char *word)
{
  g_autoptr(GError) error = NULL;

  ih_store_begin (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IhInsight) insight = ih_insight_new ();

      insight->text = g_strdup_printf ("%s number %u", word, i);
      _ih_store_save_in_transaction (store, insight, &error);
      g_assert_no_error (error);
    }
  ih_store_commit (store, &error);
  g_assert_no_error (error);
}

static void
test_engine_run (void)
{
  g_autoptr(IhStore) server = open_store ("server.db");
  g_autoptr(IhStore) a = open_client ("a.db");
  g_autoptr(IhStore) b = open_client ("b.db");
  Link la = { server, &officer_a, 0, FALSE, 0, 0 };
  Link lb = { server, &officer_b, 0, FALSE, 0, 0 };
  g_autoptr(IhSyncEngine) ea = ih_sync_engine_new (a, &link_transport, &la, NULL);
  g_autoptr(IhSyncEngine) eb = ih_sync_engine_new (b, &link_transport, &lb, NULL);
  g_autoptr(GError) error = NULL;
  IhSyncSummary summary;
  guint progress = 0;

  add_insight_batch (a, 250, "Engine");
  ih_sync_engine_set_batch_size (ea, 100);
  ih_sync_engine_set_batch_size (eb, 100);
  g_signal_connect (eb, "progress", G_CALLBACK (count_progress), &progress);

  ih_sync_engine_run (ea, &summary, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.pushed, ==, 250);
  g_assert_cmpint (la.pushes, ==, 3);       /* batches of 100 */
  ih_sync_engine_run (eb, &summary, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.pulled, ==, 250);
  g_assert_cmpuint (summary.batches, ==, 3);
  g_assert_cmpuint (progress, ==, 3);
  g_assert_cmpint (ih_store_count (b, &ih_insight_class), ==, 250);
  g_assert_cmpint (fts_hits (b, "engine"), ==, 250);
  g_assert_cmpuint (ih_sync_engine_get_retry_delay (eb), ==, 0);

  /* Nothing new: one request each way */
  la.pulls = la.pushes = 0;
  ih_sync_engine_run (ea, &summary, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (la.pushes, ==, 0);
  g_assert_cmpint (la.pulls, ==, 1);
}

static void
test_engine_failures (void)
{
  g_autoptr(IhStore) server = open_store ("server.db");
  g_autoptr(IhStore) a = open_client ("a.db");
  Link la = { server, &officer_a, 1, FALSE, 0, 0 };
  g_autoptr(IhSyncEngine) ea = ih_sync_engine_new (a, &link_transport, &la, NULL);
  g_autoptr(GError) error = NULL;
  IhSyncSummary summary;
  guint nominal = 0;

  ih_sync_engine_set_seed (ea, 7);
  add_insight_batch (a, 40, "Retry");

  /* The reply of the first push is lost: the run fails, nothing twice */
  g_assert_false (ih_sync_engine_run (ea, &summary, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_clear_error (&error);
  g_assert_cmpuint (ih_sync_engine_get_failures (ea), ==, 1);
  g_assert_cmpuint (ih_sync_engine_get_retry_delay (ea), >=, 1000);
  g_assert_cmpuint (ih_sync_engine_get_retry_delay (ea), <=, 3000);
  g_assert_cmpint (ih_store_count (server, &ih_insight_class), ==, 40);

  /* Then the server cannot be reached at all: the wait grows to a cap */
  la.down = TRUE;
  for (guint i = 2; i <= 14; i++)
    {
      guint delay;

      g_assert_false (ih_sync_engine_run (ea, NULL, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE);
      g_clear_error (&error);
      g_assert_cmpuint (ih_sync_engine_get_failures (ea), ==, i);
      /* 2 s doubling to 10 min, within ±50 % */
      nominal = MIN (2000u << (i - 1), 600000u);
      delay = ih_sync_engine_get_retry_delay (ea);
      g_assert_cmpuint (delay, >=, nominal / 2);
      g_assert_cmpuint (delay, <=, nominal * 3 / 2);
    }
  g_assert_cmpuint (nominal, ==, 600000);

  /* Back: the run completes, no duplicate, no conflict with itself */
  la.down = FALSE;
  ih_sync_engine_run (ea, &summary, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.pushed, ==, 40);
  g_assert_cmpuint (ih_sync_engine_get_retry_delay (ea), ==, 0);
  g_assert_cmpint (ih_store_count (server, &ih_insight_class), ==, 40);
  g_assert_cmpint (sql_int (server, "SELECT count(*) FROM sync_conflict"), ==, 0);
  g_assert_cmpint (ih_sync_count_pending (a), ==, 0);
}

typedef struct
{
  IhStore   *store;
  GMainLoop *loop;
  guint      typed;
  gboolean   done;
  gboolean   ok;
  GError    *error;
} Typing;

/* A person saving feedback on the main thread while the sync runs */
static void
type_while_syncing (IhSyncEngine *engine,
                    const char   *phase,
                    guint         done,
                    gpointer      user_data)
{
  Typing *t = user_data;
  g_autoptr(IhInsight) insight = ih_insight_new ();
  g_autoptr(GError) error = NULL;

  insight->text = g_strdup_printf ("Typed during the sync, %u", t->typed++);
  ih_store_save (t->store, insight, &error);
  g_assert_no_error (error);
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Typing *t = user_data;

  t->ok = ih_sync_engine_run_finish (IH_SYNC_ENGINE (source), result, NULL, &t->error);
  t->done = TRUE;
  g_main_loop_quit (t->loop);
}

static void
test_engine_async (void)
{
  g_autoptr(IhStore) server = open_store ("server.db");
  g_autoptr(IhStore) a = open_client ("a.db");
  Link la = { server, &officer_a, 0, FALSE, 0, 0 };
  g_autoptr(IhSyncEngine) ea = ih_sync_engine_new (a, &link_transport, &la, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Typing t = { a, loop, 0, FALSE, FALSE, NULL };

  add_insight_batch (a, 200, "Background");
  ih_sync_engine_set_batch_size (ea, 50);

  /* Cancelled before it starts: nothing is lost, and it is no failure */
  g_cancellable_cancel (cancellable);
  ih_sync_engine_run_async (ea, cancellable, run_done, &t);
  g_main_loop_run (loop);
  g_assert_false (t.ok);
  g_assert_error (t.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&t.error);
  g_assert_cmpuint (ih_sync_engine_get_failures (ea), ==, 0);
  g_assert_cmpint (ih_sync_count_pending (a), ==, 200);

  g_signal_connect (ea, "progress", G_CALLBACK (type_while_syncing), &t);
  t.done = FALSE;
  ih_sync_engine_run_async (ea, NULL, run_done, &t);
  /* A second run while one goes is refused, not queued */
  g_assert_false (ih_sync_engine_run (ea, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);
  g_main_loop_run (loop);
  g_assert_no_error (t.error);
  g_assert_true (t.ok);
  g_assert_false (ih_sync_engine_is_running (ea));
  g_assert_cmpuint (t.typed, >, 0);

  /* What was typed meanwhile goes with the next run */
  g_signal_handlers_disconnect_by_func (ea, type_while_syncing, &t);
  ih_sync_engine_run (ea, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ih_store_count (server, &ih_insight_class), ==, 200 + t.typed);
  g_assert_cmpint (ih_sync_count_pending (a), ==, 0);
  assert_index_ok (a);
}

/*
 * A first sync through the engine: fetched ahead while applied
 */

static char *
sql_text (IhStore    *store,
          const char *sql)
{
  sqlite3_stmt *stmt;
  char *text = NULL;

  _ih_store_lock (store);
  g_assert_cmpint (sqlite3_prepare_v2 (_ih_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  _ih_store_unlock (store);
  return text ? text : g_strdup ("");
}

/* Every record of every class as JSON (bookkeeping included), in id order */
static char *
all_records (IhStore *store)
{
  GString *all = g_string_new (NULL);
  guint n_classes;
  const IhRecordClass * const *classes = ih_record_classes (&n_classes);

  for (guint c = 0; c < n_classes; c++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT group_concat (id, ' ') FROM (SELECT id FROM %s ORDER BY id)",
                                              classes[c]->table);
      g_autofree char *ids = sql_text (store, sql);
      g_auto(GStrv) list = g_strsplit (ids, " ", -1);

      for (guint i = 0; list[i] && list[i][0]; i++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(IhRecord) record = ih_store_load (store, classes[c], list[i], &error);
          g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
          g_autofree char *text = NULL;

          g_assert_no_error (error);
          json_node_take_object (node, ih_record_to_json (record));
          text = ih_json_to_string (node);
          g_string_append (all, text);
          g_string_append_c (all, '\n');
        }
    }
  return g_string_free (all, FALSE);
}

/* Two laptops hold the same: records, links, what searches find,
 * conflicts, cursor; both search indexes whole; nothing pending */
static void
assert_same_copy (IhStore *store,
                  IhStore *reference)
{
  static const char * const same_sql[] = {
    "SELECT group_concat (k, ' ') FROM (SELECT i.id || '/' || t.id AS k FROM insight_theme x"
    " JOIN insight i ON i.rid = x.insight_rid JOIN theme t ON t.rid = x.theme_rid ORDER BY k)",
    "SELECT group_concat (k, ' ') FROM (SELECT i.id || '/' || a.id AS k FROM insight i"
    " JOIN activity a ON a.rid = i.activity_rid ORDER BY k)",
    "SELECT group_concat (k, ' ') FROM (SELECT id || fields || winner || loser || resolved AS k"
    " FROM sync_conflict ORDER BY id)",
    "SELECT count(*) || '/' || count(DISTINCT id) FROM insight",
    "SELECT cursor || epoch FROM sync_state",
  };
  static const char * const queries[] = {
    "waiting", "drop*", "\"bus stop\"", "clinic OR pharmacy", "context:edited", "ann",
  };
  g_autofree char *mine = all_records (store);
  g_autofree char *theirs = all_records (reference);

  g_assert_cmpstr (mine, ==, theirs);
  for (guint i = 0; i < G_N_ELEMENTS (same_sql); i++)
    {
      g_autofree char *a = sql_text (store, same_sql[i]);
      g_autofree char *b = sql_text (reference, same_sql[i]);

      g_assert_cmpstr (a, ==, b);
    }
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) || ':' || coalesce (group_concat (id, ' '), '')"
                                              " FROM (SELECT i.id FROM insight_fts f JOIN insight i ON i.rid = f.rowid"
                                              " WHERE insight_fts MATCH '%s' ORDER BY i.id)", queries[i]);
      g_autofree char *a = sql_text (store, sql);
      g_autofree char *b = sql_text (reference, sql);

      g_assert_cmpstr (a, ==, b);
      g_assert_false (g_str_has_prefix (a, "0:"));
    }
  g_assert_cmpint (ih_sync_count_pending (store), ==, 0);
  assert_index_ok (store);
  assert_index_ok (reference);
}

/* The server's records for a first sync: themes (one under another),
 * activities edited after the insight referring to them were sent (so
 * batches carry them early), insight with both, one deleted, one whose
 * consent was withdrawn (a purge), and a conflict */
static void
first_sync_world (void)
{
  g_autoptr(IhStore) server = open_store ("server.db");
  g_autoptr(IhStore) a = open_client ("a.db");
  g_autoptr(IhStore) b = open_client ("b.db");
  g_autoptr(GPtrArray) themes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) activities = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) insight = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  static const char * const words[] = { "waiting", "bus stop", "clinic", "pharmacy", "dropped" };

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(IhTheme) theme = ih_theme_new ();

      theme->name = g_strdup_printf ("Theme %u", i);
      theme->parent_id = i > 0 ? g_strdup (themes->pdata[0]) : NULL;
      ih_store_save (a, theme, &error);
      g_assert_no_error (error);
      g_ptr_array_add (themes, g_strdup (theme->parent.id));
    }
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(IhActivity) activity = ih_activity_new ();

      activity->title = g_strdup_printf ("Drop-in %u", i);
      activity->place = g_strdup (i % 2 ? "Stroud" : "Gloucester");
      ih_store_save (a, activity, &error);
      g_assert_no_error (error);
      g_ptr_array_add (activities, g_strdup (activity->parent.id));
    }
  ih_store_begin (a, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 330; i++)
    {
      g_autoptr(IhInsight) one = ih_insight_new ();
      char *ids[] = { themes->pdata[i % themes->len], i % 3 ? NULL : themes->pdata[0], NULL };

      one->text = g_strdup_printf ("Feedback %u about the %s", i, words[i % G_N_ELEMENTS (words)]);
      one->kind = g_strdup ("quote");
      one->consent = g_strdup ("may-quote");
      one->activity_id = i % 5 ? g_strdup (activities->pdata[i % activities->len]) : NULL;
      one->theme_ids = g_strdupv (ids);
      _ih_store_save_in_transaction (a, one, &error);
      g_assert_no_error (error);
      g_ptr_array_add (insight, g_strdup (one->parent.id));
    }
  ih_store_commit (a, &error);
  g_assert_no_error (error);
  sync_client (server, a, &officer_a);
  sync_client (server, b, &officer_b);

  /* Later changes: their feed entries move to the end */
  for (guint i = 0; i < activities->len; i += 2)
    {
      g_autoptr(IhActivity) activity = ih_store_load (a, &ih_activity_class, activities->pdata[i], &error);

      g_assert_no_error (error);
      g_free (activity->title);
      activity->title = g_strdup_printf ("Edited drop-in %u", i);
      ih_store_save (a, activity, &error);
      g_assert_no_error (error);
    }
  ih_store_delete (a, &ih_insight_class, insight->pdata[7], &error);
  g_assert_no_error (error);
  {
    g_autoptr(IhInsight) withdrawn = load_insight (a, insight->pdata[8]);

    g_free (withdrawn->consent);
    withdrawn->consent = g_strdup ("withdrawn");
    ih_store_save (a, withdrawn, &error);
    g_assert_no_error (error);
  }
  set_text (a, insight->pdata[9], "Ann edited the words");
  set_text (b, insight->pdata[9], "Bob edited the words");
  sync_client (server, a, &officer_a);
  sync_client (server, b, &officer_b);
  g_assert_cmpuint (n_conflicts (server, FALSE), ==, 1);
}

/* A laptop synced the ordinary way: one batch after the other, each
 * fetched, then applied */
static IhStore *
reference_copy (IhStore *server,
                guint    limit)
{
  IhStore *reference = open_client ("reference.db");

  pull_limit (server, reference, &officer_a, limit, NULL);
  return reference;
}

/* The transport of the tests above, which counts the batches fetched,
 * lets a test wait for them, and can fail the n-th */
typedef struct
{
  IhStore *server;
  GMutex   mutex;
  GCond    cond;
  guint    fetched;
  guint    fail_at;       /* the pull that fails (1 = first), 0: none */
  guint    new_epoch_at;  /* the pull before which the server takes a new epoch */
} Counting;

static JsonObject *
counting_push (gpointer       data,
               JsonObject    *request,
               GCancellable  *cancellable,
               GError       **error)
{
  Counting *c = data;
  g_autoptr(JsonObject) sent = ih_test_wire (request);
  g_autoptr(JsonObject) reply = ih_sync_server_push (c->server, officer_a.author, officer_a.role, sent, error);

  return reply ? ih_test_wire (reply) : NULL;
}

static JsonObject *
counting_changes (gpointer       data,
                  gint64         since,
                  guint          limit,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Counting *c = data;
  g_autoptr(JsonObject) batch = NULL;
  guint n;

  g_mutex_lock (&c->mutex);
  n = ++c->fetched;
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->mutex);
  if (n == c->fail_at)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "The connection closed before the reply");
      return NULL;
    }
  /* As reset-epoch after a restore, between two pulls of one run */
  if (n == c->new_epoch_at)
    {
      g_autoptr(GError) epoch_error = NULL;

      ih_sync_server_new_epoch (c->server, &epoch_error);
      g_assert_no_error (epoch_error);
    }
  batch = ih_sync_server_changes (c->server, since, limit, officer_a.role, error);
  return batch ? ih_test_wire (batch) : NULL;
}

static const IhSyncTransport counting_transport = { counting_push, counting_changes };

static void
counting_init (Counting *c,
               IhStore  *server)
{
  memset (c, 0, sizeof *c);
  c->server = server;
  g_mutex_init (&c->mutex);
  g_cond_init (&c->cond);
}

static void
counting_clear (Counting *c)
{
  g_mutex_clear (&c->mutex);
  g_cond_clear (&c->cond);
}

static gint64
feed_seq (IhStore *server,
          guint    nth)
{
  g_autofree char *sql = g_strdup_printf ("SELECT seq FROM sync_feed ORDER BY seq LIMIT 1 OFFSET %u", nth - 1);
  return sql_int (server, sql);
}

/* The engine's first sync (the next batch fetched while one is applied)
 * leaves the same copy as fetching and applying one batch after the
 * other, in batches of 100 and in the first sync's own batch size */
static void
test_engine_first_sync_same (void)
{
  g_autoptr(IhStore) server = NULL;
  g_autoptr(IhStore) reference = NULL;
  g_autoptr(GError) error = NULL;
  gint64 entries;

  first_sync_world ();
  server = open_store ("server.db");
  reference = reference_copy (server, 100);
  entries = sql_int (server, "SELECT count(*) FROM sync_feed");
  g_assert_cmpint (entries, >, 300);

  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *name = g_strdup_printf ("first-%u.db", round);
      g_autoptr(IhStore) store = open_client (name);
      g_autoptr(IhSyncEngine) engine = NULL;
      IhSyncSummary summary;
      Counting c;

      counting_init (&c, server);
      engine = ih_sync_engine_new (store, &counting_transport, &c, NULL);
      if (round == 0)
        ih_sync_engine_set_batch_size (engine, 100);
      ih_sync_engine_run (engine, &summary, NULL, &error);
      g_assert_no_error (error);

      /* Every batch fetched once, none ahead of the last */
      g_assert_cmpuint (summary.batches, ==, round == 0 ? (entries + 99) / 100 : 1);
      g_assert_cmpuint (c.fetched, ==, summary.batches);
      g_assert_cmpuint (summary.conflicts, ==, 1);
      g_assert_cmpuint (summary.purged, ==, 1);
      assert_same_copy (store, reference);
      g_assert_cmpint (ih_sync_get_cursor (store), ==, sql_int (server, "SELECT seq FROM sync_server"));
      /* The write-ahead log was checkpointed into the database at the
       * end, and emptied */
      {
        g_autofree char *path = temp_db (name);
        g_autofree char *wal = g_strconcat (path, "-wal", NULL);
        GStatBuf st;

        g_assert_cmpint (g_stat (wal, &st), ==, 0);
        g_assert_cmpint (st.st_size, ==, 0);
      }
      counting_clear (&c);
    }
}

static Counting *child_counting;

/* Once the second batch is in, the child waits until the fetcher has the
 * next two, then is killed at the 50th row of the third */
static void
kill_in_third_batch (IhSyncEngine *engine,
                     const char   *phase,
                     guint         done,
                     gpointer      user_data)
{
  guint *batches = user_data;

  if (++*batches != 2)
    return;
  g_mutex_lock (&child_counting->mutex);
  while (child_counting->fetched < 4)
    g_cond_wait (&child_counting->cond, &child_counting->mutex);
  g_mutex_unlock (&child_counting->mutex);
  kill_after = 50;
  _ih_store_test_hook = kill_hook;
}

static void
child_engine_first_sync (void)
{
  IhStore *server = open_store ("server.db");
  IhStore *client = open_store ("c.db");
  IhSyncEngine *engine;
  guint batches = 0;

  /* Not killed before it is armed */
  _ih_store_test_hook = NULL;
  child_counting = g_new0 (Counting, 1);
  counting_init (child_counting, server);
  engine = ih_sync_engine_new (client, &counting_transport, child_counting, NULL);
  ih_sync_engine_set_batch_size (engine, 100);
  g_signal_connect (engine, "progress", G_CALLBACK (kill_in_third_batch), &batches);
  ih_sync_engine_run (engine, NULL, NULL, NULL);
}

/* Killed while applying the third batch, with the fourth fetched ahead:
 * the first two stay with their cursor, and the next run goes on from
 * there to the same copy, nothing lost, nothing twice */
static void
test_engine_first_sync_killed (void)
{
  g_autoptr(IhStore) server = NULL;
  g_autoptr(IhStore) reference = NULL;
  g_autoptr(IhStore) c = NULL;
  g_autoptr(IhSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  IhSyncSummary summary;
  Counting counting;
  gint64 entries;

  first_sync_world ();
  g_clear_object (&c);
  c = open_client ("c.db");
  g_clear_object (&c);

  run_killed (child_engine_first_sync, -1);

  server = open_store ("server.db");
  c = open_store ("c.db");
  entries = sql_int (server, "SELECT count(*) FROM sync_feed");
  g_assert_cmpint (entries, >, 300);
  g_assert_cmpint (ih_sync_get_cursor (c), ==, feed_seq (server, 200));
  g_assert_cmpint (ih_store_count (c, &ih_insight_class), <, 300);
  g_assert_cmpint (sql_int (c, "SELECT count(*) - count(DISTINCT id) FROM insight"), ==, 0);
  assert_index_ok (c);

  counting_init (&counting, server);
  engine = ih_sync_engine_new (c, &counting_transport, &counting, NULL);
  ih_sync_engine_set_batch_size (engine, 100);
  ih_sync_engine_run (engine, &summary, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.batches, ==, (entries - 200 + 99) / 100);
  g_assert_cmpuint (counting.fetched, ==, summary.batches);

  reference = reference_copy (server, 100);
  assert_same_copy (c, reference);
  counting_clear (&counting);
}

/* The third fetch fails while the second batch is applied: the run
 * fails, the batches before it are kept with their cursor, and the next
 * run completes the copy */
static void
test_engine_first_sync_fetch_fails (void)
{
  g_autoptr(IhStore) server = NULL;
  g_autoptr(IhStore) reference = NULL;
  g_autoptr(IhStore) c = NULL;
  g_autoptr(IhSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  IhSyncSummary summary;
  Counting counting;

  first_sync_world ();
  server = open_store ("server.db");
  c = open_client ("c.db");
  counting_init (&counting, server);
  counting.fail_at = 3;
  engine = ih_sync_engine_new (c, &counting_transport, &counting, NULL);
  ih_sync_engine_set_batch_size (engine, 100);

  g_assert_false (ih_sync_engine_run (engine, &summary, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_clear_error (&error);
  g_assert_cmpuint (summary.batches, ==, 2);
  g_assert_cmpuint (counting.fetched, ==, 3);
  g_assert_cmpint (ih_sync_get_cursor (c), ==, feed_seq (server, 200));
  assert_index_ok (c);

  ih_sync_engine_run (engine, &summary, NULL, &error);
  g_assert_no_error (error);
  reference = reference_copy (server, 100);
  assert_same_copy (c, reference);
  counting_clear (&counting);
}

/* The server takes a new epoch while batches are fetched ahead: the
 * batch of the new epoch queues the laptop's records again, what was
 * fetched ahead is dropped, and the run pushes, then pulls everything
 * from 0: nothing lost, nothing twice, the same copy as a laptop synced
 * afterwards */
static void
test_engine_first_sync_epoch_change (void)
{
  g_autoptr(IhStore) server = NULL;
  g_autoptr(IhStore) reference = NULL;
  g_autoptr(IhStore) c = NULL;
  g_autoptr(IhSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  IhSyncSummary summary;
  Counting counting;
  gint64 entries;

  first_sync_world ();
  server = open_store ("server.db");
  c = open_client ("c.db");
  entries = sql_int (server, "SELECT count(*) FROM sync_feed");
  counting_init (&counting, server);
  counting.new_epoch_at = 3;
  engine = ih_sync_engine_new (c, &counting_transport, &counting, NULL);
  ih_sync_engine_set_batch_size (engine, 100);

  ih_sync_engine_run (engine, &summary, NULL, &error);
  g_assert_no_error (error);
  /* Two batches, the one that met the new epoch, then all from 0 */
  g_assert_cmpuint (summary.batches, ==, 3 + (entries + 99) / 100);
  g_assert_cmpuint (summary.pushed, >, 0);
  g_assert_cmpint (ih_sync_count_pending (c), ==, 0);
  g_assert_cmpint (sql_int (server, "SELECT count(*) - count(DISTINCT id) FROM insight"), ==, 0);

  reference = reference_copy (server, 100);
  assert_same_copy (c, reference);
  counting_clear (&counting);
}

/* The feed written as text holds what the records, purges and conflicts
 * the server has give as JSON trees, for an officer and for a viewer, in
 * batches of every size; ih_sync_server_changes() gives the same */
static void
test_feed_text (void)
{
  g_autoptr(IhStore) server = NULL;
  g_autoptr(IhStore) a = NULL;
  g_autoptr(IhStore) m = NULL;
  g_autoptr(IhInsight) secret = ih_insight_new ();
  g_autoptr(IhInsight) open = ih_insight_new ();
  g_autoptr(IhAction) action = ih_action_new ();
  g_autoptr(GError) error = NULL;
  static const char * const top[] = { "changes", "purged", "conflicts", "epoch", "cursor", "more" };
  static const guint limits[] = { 1, 7, 100, IH_SYNC_MAX_LIMIT };
  const Who *whos[] = { &officer_a, &viewer };
  char *both[] = { NULL, NULL, NULL };
  g_autofree char *epoch = NULL;
  gint64 last_seq;

  /* Records of several classes, a deleted one, a purge, a conflict */
  first_sync_world ();
  server = open_store ("server.db");
  a = open_store ("a.db");
  m = open_client ("m.db");

  /* Awkward words, one insight restricted, an action on both */
  secret->text = g_strdup ("Restricted: \"ward 7\"\tnamed\\nurse\n\x01 🎉");
  secret->kind = g_strdup ("quote");
  secret->restricted = TRUE;
  open->text = g_strdup ("Open — “quoted” \\ words\r\nwith a line break");
  open->kind = g_strdup ("story");
  ih_store_save (a, secret, &error);
  g_assert_no_error (error);
  ih_store_save (a, open, &error);
  g_assert_no_error (error);
  sync_client (server, a, &officer_a);
  sync_client (server, m, &manager);
  both[0] = secret->parent.id;
  both[1] = open->parent.id;
  action->title = g_strdup ("Pharmacy \"hours\" extended");
  action->insight_ids = g_strdupv (both);
  ih_store_save (m, action, &error);
  g_assert_no_error (error);
  sync_client (server, m, &manager);
  last_seq = sql_int (server, "SELECT seq FROM sync_server");
  epoch = ih_sync_server_get_epoch (server, &error);
  g_assert_no_error (error);

  for (guint w = 0; w < G_N_ELEMENTS (whos); w++)
    for (guint l = 0; l < G_N_ELEMENTS (limits); l++)
      {
        const Who *who = whos[w];
        g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
        guint n_purged_consent = 0;
        guint n_restricted = 0;
        guint n_conflicts_seen = 0;
        guint n_batches = 0;
        gint64 since = 0;
        gboolean more = TRUE;

        while (more)
          {
            gsize length = 0;
            g_autofree char *text = ih_sync_server_changes_text (server, since, limits[l], who->role,
                                                                 &length, &error);
            g_autoptr(JsonObject) tree = NULL;
            g_autoptr(JsonNode) parsed = NULL;
            g_autoptr(JsonNode) tree_node = json_node_new (JSON_NODE_OBJECT);
            JsonObject *batch;
            JsonArray *array;

            g_assert_no_error (error);
            g_assert_nonnull (text);
            g_assert_cmpuint (length, ==, strlen (text));
            g_assert_true (g_utf8_validate (text, length, NULL));
            parsed = ih_json_from_string (text, "batch", &error);
            g_assert_no_error (error);
            g_assert_true (JSON_NODE_HOLDS_OBJECT (parsed));
            batch = json_node_get_object (parsed);
            g_assert_cmpuint (json_object_get_size (batch), ==, G_N_ELEMENTS (top));
            for (guint i = 0; i < G_N_ELEMENTS (top); i++)
              g_assert_true (json_object_has_member (batch, top[i]));
            g_assert_cmpstr (json_object_get_string_member (batch, "epoch"), ==, epoch);

            /* The tree-returning call agrees */
            tree = ih_sync_server_changes (server, since, limits[l], who->role, &error);
            g_assert_no_error (error);
            json_node_set_object (tree_node, tree);
            g_assert_true (json_node_equal (tree_node, parsed));

            array = json_object_get_array_member (batch, "changes");
            for (guint i = 0; i < json_array_get_length (array); i++)
              {
                JsonObject *got = json_array_get_object_element (array, i);
                const IhRecordClass *klass = ih_record_class_lookup (json_object_get_string_member (got, "type"));
                const char *id = json_object_get_string_member (got, "id");
                g_autoptr(IhRecord) record = ih_store_load (server, klass, id, &error);
                g_autoptr(JsonNode) want = json_node_new (JSON_NODE_OBJECT);
                g_autoptr(JsonNode) got_node = json_node_new (JSON_NODE_OBJECT);

                g_assert_no_error (error);
                g_assert_true (who->role != IH_ROLE_VIEWER || klass != &ih_insight_class ||
                               !((IhInsight *) record)->restricted);
                if (who->role == IH_ROLE_VIEWER && klass == &ih_action_class)
                  {
                    /* Restricted insight left out of the action's links */
                    IhAction *act = (IhAction *) record;

                    g_strfreev (act->insight_ids);
                    act->insight_ids = g_strdupv ((char *[]) { open->parent.id, NULL });
                  }
                json_node_take_object (want, ih_record_to_json (record));
                json_node_set_object (got_node, got);
                if (!json_node_equal (want, got_node))
                  g_error ("%s %s: the feed has\n%s\nnot\n%s", klass->name, id,
                           ih_json_to_string (got_node), ih_json_to_string (want));
                g_hash_table_add (seen, g_strdup (id));
              }

            array = json_object_get_array_member (batch, "purged");
            for (guint i = 0; i < json_array_get_length (array); i++)
              {
                JsonObject *p = json_array_get_object_element (array, i);
                const char *reason = json_object_get_string_member (p, "reason");

                g_assert_cmpuint (json_object_get_size (p), ==, 3);
                g_assert_cmpstr (json_object_get_string_member (p, "type"), ==, "insight");
                if (strcmp (reason, "consent") == 0)
                  n_purged_consent++;
                else
                  {
                    g_assert_cmpstr (reason, ==, "restricted");
                    g_assert_cmpint (who->role, ==, IH_ROLE_VIEWER);
                    g_assert_cmpstr (json_object_get_string_member (p, "id"), ==, secret->parent.id);
                    n_restricted++;
                  }
              }

            array = json_object_get_array_member (batch, "conflicts");
            for (guint i = 0; i < json_array_get_length (array); i++)
              {
                JsonObject *got = json_array_get_object_element (array, i);
                g_autoptr(JsonObject) stored = NULL;
                g_autoptr(JsonNode) want = json_node_new (JSON_NODE_OBJECT);
                g_autoptr(JsonNode) got_node = json_node_new (JSON_NODE_OBJECT);

                _ih_store_lock (server);
                stored = _ih_sync_conflict_to_json (server, json_object_get_string_member (got, "id"), &error);
                _ih_store_unlock (server);
                g_assert_no_error (error);
                json_node_set_object (want, stored);
                json_node_set_object (got_node, got);
                g_assert_true (json_node_equal (want, got_node));
                n_conflicts_seen++;
              }

            more = json_object_get_boolean_member (batch, "more");
            g_assert_cmpint (json_object_get_int_member (batch, "cursor"), >, since);
            since = json_object_get_int_member (batch, "cursor");
            n_batches++;
          }

        g_assert_cmpint (since, ==, last_seq);
        g_assert_cmpuint (n_batches, >=, limits[l] == 1 ? 300 : 1);
        g_assert_cmpuint (n_purged_consent, ==, 1);
        g_assert_cmpuint (n_restricted, ==, who->role == IH_ROLE_VIEWER ? 1 : 0);
        g_assert_cmpuint (n_conflicts_seen, ==, who->role == IH_ROLE_VIEWER ? 0 : 1);
        /* Every record the server has, the restricted one only for the officer */
        g_assert_true (g_hash_table_contains (seen, open->parent.id));
        g_assert_true (g_hash_table_contains (seen, action->parent.id));
        g_assert_cmpint (g_hash_table_contains (seen, secret->parent.id), ==, who->role != IH_ROLE_VIEWER);
        g_assert_cmpuint (g_hash_table_size (seen), ==,
                          sql_int (server, "SELECT (SELECT count(*) FROM insight) + (SELECT count(*) FROM activity)"
                                           " + (SELECT count(*) FROM theme) + (SELECT count(*) FROM action)")
                          - (who->role == IH_ROLE_VIEWER ? 1 : 0));
      }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sync/record-json", test_record_json);
  g_test_add_func ("/sync/record-json-text", test_record_json_text);
  g_test_add_func ("/sync/first-sync", test_first_sync);
  g_test_add_func ("/sync/pull-invalid-record", test_pull_invalid_record);
  g_test_add_func ("/sync/merge/different-fields", test_different_fields_merge);
  g_test_add_func ("/sync/conflict/same-field", test_same_field_conflict);
  g_test_add_func ("/sync/conflict/identical-edits", test_identical_edits);
  g_test_add_func ("/sync/conflict/edit-vs-delete", test_edit_vs_delete);
  g_test_add_func ("/sync/lost-reply/retry", test_lost_reply);
  g_test_add_func ("/sync/lost-reply/conflict", test_lost_reply_of_conflict);
  g_test_add_func ("/sync/pull-meets-local-edit", test_pull_meets_local_edit);
  g_test_add_func ("/sync/crash/client-mid-pull", test_killed_mid_pull);
  g_test_add_func ("/sync/crash/server-mid-push", test_server_killed_mid_push);
  g_test_add_func ("/sync/consent-withdrawn", test_consent_withdrawn);
  g_test_add_func ("/sync/roles/viewer", test_viewer_never_gets_restricted);
  g_test_add_func ("/sync/feed-text", test_feed_text);
  g_test_add_func ("/sync/clock-off-by-a-year", test_clock_off_by_a_year);
  g_test_add_func ("/sync/epoch-change", test_epoch_change);
  g_test_add_func ("/sync/bad-requests", test_bad_requests);
  g_test_add_func ("/sync/engine/run", test_engine_run);
  g_test_add_func ("/sync/engine/failures", test_engine_failures);
  g_test_add_func ("/sync/engine/first-sync/same-copy", test_engine_first_sync_same);
  g_test_add_func ("/sync/engine/first-sync/killed", test_engine_first_sync_killed);
  g_test_add_func ("/sync/engine/first-sync/fetch-fails", test_engine_first_sync_fetch_fails);
  g_test_add_func ("/sync/engine/first-sync/epoch-change", test_engine_first_sync_epoch_change);
  g_test_add_func ("/sync/engine/async", test_engine_async);

  return g_test_run ();
}
