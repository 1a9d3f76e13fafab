/* test-query.c — the search language and the FTS5 MATCH it compiles to
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <sqlite3.h>
#include <string.h>

#include "ih-query.h"

/* The same index the store builds, but holding its own content so the test
 * needs no insight table. */
static sqlite3 *db;

typedef struct
{
  const char *text;
  const char *context;
  const char *kinds;      /* activity kind|insight kind */
  const char *sentiment;
  const char *places;     /* ICS|place|locality, "|" separated */
  const char *themes;     /* theme and ancestors, "|" separated */
  gboolean    paper;
} Row;

static const Row rows[] = {
  /* 1 */ { "The car park at the hospital is always full", "Parking workshop; Travel",
            "workshop|quote", "negative", "Cheshire and Merseyside|Countess of Chester Hospital|Chester",
            "Parking|Travel", TRUE },
  /* 2 */ { "Nice café by the main entrance", "Drop-in at the Countess; Facilities",
            "drop-in|quote", "positive", "Cheshire and Merseyside|Chester", "Facilities", FALSE },
  /* 3 */ { "Waiting times for mental health referrals are too long", "Mental health survey; Mental health",
            "survey|survey-answer", "negative", "Cheshire and Merseyside|Wirral", "Mental health|Access", FALSE },
  /* 4 */ { "The bus to the hospital stops at 10:30, too late", "Travel focus group; Travel",
            "focus-group|summary", "neutral", "Cheshire and Merseyside|Chester", "Travel", TRUE },
  /* 5 */ { "Staff were kind and caring during labour", "Maternity stories; Maternity",
            "story-interview|story", "positive", "Wirral", "Maternity", FALSE },
  /* 6 */ { "The train station is far from the clinic", "Travel focus group; Travel",
            "focus-group|quote", "mixed", "Chester", "Travel", FALSE },
  /* 7 */ { "Parking charges are unfair on carers", "Board questions; Parking",
            "board-question|question", "negative", "Cheshire West", "Parking|Costs", TRUE },
  /* 8 */ { "Reception staff were welcoming", "Drop-in; Access",
            "drop-in|quote", "positive", "Wirral", "Access", FALSE },
  /* 9 */ { "Leaflets in Arabic and Polish please", "Outreach in Birkenhead; Communication",
            "outreach|quote", "neutral", "Wirral|Birkenhead", "Communication", FALSE },
  /* 10 */ { "Can I see my records online? See https://example.nhs.uk", "Webinar on the NHS App; Digital",
             "webinar|question", "mixed", "Cheshire West", "Digital|Access", FALSE },
};

static void
append_tags (GString    *tags,
             const char *prefix,
             const char *values)
{
  g_auto(GStrv) split = g_strsplit (values, "|", -1);

  for (guint i = 0; split[i]; i++)
    {
      g_autofree char *tag = ih_query_tag (prefix, split[i]);

      g_assert_nonnull (tag);
      g_string_append_printf (tags, " %s", tag);
    }
}

static void
setup_db (void)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_open (":memory:", &db);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  rc = sqlite3_exec (db,
                     "CREATE VIRTUAL TABLE insight_fts USING fts5(text, context, tags, "
                     "tokenize=\"porter unicode61 remove_diacritics 2\", prefix='2 3')",
                     NULL, NULL, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);

  rc = sqlite3_prepare_v2 (db, "INSERT INTO insight_fts (rowid, text, context, tags) VALUES (?, ?, ?, ?)",
                           -1, &stmt, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GString) tags = g_string_new ("ihall");

      append_tags (tags, "kd", rows[i].kinds);
      append_tags (tags, "se", rows[i].sentiment);
      append_tags (tags, "pl", rows[i].places);
      append_tags (tags, "th", rows[i].themes);
      if (rows[i].paper)
        g_string_append (tags, " haspaper");

      sqlite3_bind_int64 (stmt, 1, i + 1);
      sqlite3_bind_text (stmt, 2, rows[i].text, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, rows[i].context, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, tags->str, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }

  sqlite3_finalize (stmt);
}

/* Everything outside string literals must be our own fixed syntax: column
 * filters, parentheses, AND/OR/NOT and the prefix star. */
static void
assert_match_safe (const char *match)
{
  g_autoptr(GString) skeleton = g_string_new (NULL);
  g_auto(GStrv) words = NULL;
  const char * const allowed[] = { "{text", "context}", ":", "tags", "AND", "OR", "NOT", "*", "L", NULL };

  for (const char *p = match; *p; p++)
    {
      if (*p != '"')
        {
          g_string_append_c (skeleton, *p);
          continue;
        }

      /* A literal: doubled quotes inside, must be closed */
      for (p++; ; p++)
        {
          g_assert_true (*p != '\0');
          if (*p == '"' && p[1] == '"')
            p++;
          else if (*p == '"')
            break;
        }
      g_string_append_c (skeleton, 'L');
    }

  g_strdelimit (skeleton->str, "()", ' ');
  words = g_strsplit (skeleton->str, " ", -1);
  for (guint i = 0; words[i]; i++)
    if (*words[i] != '\0' && !g_strv_contains (allowed, words[i]))
      g_error ("“%s” outside a literal in MATCH %s", words[i], match);
}

/* Runs @match and returns the rowids found, comma separated. Any SQLite
 * error fails the test. */
static char *
run_match (const char *match)
{
  g_autoptr(GString) found = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  assert_match_safe (match);

  rc = sqlite3_prepare_v2 (db, "SELECT rowid FROM insight_fts WHERE insight_fts MATCH ?1 ORDER BY rowid",
                           -1, &stmt, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_string_append_printf (found, "%s%" G_GINT64_FORMAT, found->len > 0 ? "," : "",
                            (gint64) sqlite3_column_int64 (stmt, 0));

  if (rc != SQLITE_DONE)
    g_error ("MATCH %s failed: %s", match, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);

  return g_string_free (g_steal_pointer (&found), FALSE);
}

static void
check_match (const char   *text,
             IhQueryFlags  flags,
             const char   *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhQuery) query = ih_query_parse (text, flags, &error);

  g_assert_no_error (error);
  g_assert_nonnull (query);
  g_assert_cmpstr (ih_query_get_match (query), ==, expected);
  if (expected != NULL)
    {
      g_autofree char *found = run_match (expected);

      (void) found;
    }
}

static void
check_rows (const char   *text,
            IhQueryFlags  flags,
            const char   *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhQuery) query = ih_query_parse (text, flags, &error);
  g_autofree char *found = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (query);
  g_assert_nonnull (ih_query_get_match (query));
  found = run_match (ih_query_get_match (query));
  if (g_strcmp0 (found, expected) != 0)
    g_error ("“%s” → %s found rows [%s], expected [%s]", text, ih_query_get_match (query), found, expected);
}

static void
check_error (const char   *text,
             IhQueryFlags  flags,
             IhQueryError  code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhQuery) query = ih_query_parse (text, flags, &error);

  g_assert_error (error, IH_QUERY_ERROR, (int) code);
  g_assert_null (query);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (strlen (error->message), >, 10);
}

static void
test_parse_words (void)
{
  check_match ("hospital", 0, "{text context} : \"hospital\"");
  check_match ("  car   park ", 0, "{text context} : \"car\" AND {text context} : \"park\"");
  check_match ("or and not", 0, "{text context} : \"or\" AND {text context} : \"and\" AND {text context} : \"not\"");
  check_match ("10:30", 0, "{text context} : \"10:30\"");
  check_match ("https://example.nhs.uk", 0, "{text context} : \"https://example.nhs.uk\"");
  check_match ("Note: parking", 0, "{text context} : \"Note:\" AND {text context} : \"parking\"");
  check_match ("'; DROP TABLE insight; --", 0,
               "{text context} : \"DROP\" AND {text context} : \"TABLE\" AND "
               "{text context} : \"insight;\"");

  check_rows ("hospital", 0, "1,4");
  check_rows ("Hospital BUS", 0, "4");
  check_rows ("staff", 0, "5,8");
  check_rows ("park", 0, "1,7");           /* porter: parking → park */
  check_rows ("10:30", 0, "4");
  check_rows ("https://example.nhs.uk", 0, "10");
  check_rows ("records online?", 0, "10");
}

static void
test_parse_phrase (void)
{
  check_match ("\"car park\"", 0, "{text context} : \"car park\"");
  check_match ("\"car park", 0, "{text context} : \"car park\"");
  check_match ("a\"b c\"", 0, "{text context} : \"a\" AND {text context} : \"b c\"");
  check_match ("“car park”", 0, "{text context} : \"car park\"");
  check_match ("\"car park\"*", 0, "{text context} : \"car park\" *");
  check_match ("x\" OR 1=1 --", 0, "{text context} : \"x\" AND {text context} : \" OR 1=1 --\"");
  check_match ("\"\" \"!!!\"", 0, NULL);

  check_rows ("\"car park\"", 0, "1");
  check_rows ("\"park car\"", 0, "");
  check_rows ("\"mental health", 0, "3");
  check_rows ("“were welcoming”", 0, "8");
}

static void
test_parse_prefix (void)
{
  check_match ("hosp*", 0, "{text context} : \"hosp\" *");
  check_match ("hosp**", 0, "{text context} : \"hosp\" *");
  check_match ("car hosp", IH_QUERY_FLAG_PREFIX_LAST,
               "{text context} : \"car\" AND {text context} : \"hosp\" *");
  check_match ("car hosp ", IH_QUERY_FLAG_PREFIX_LAST,
               "{text context} : \"car\" AND {text context} : \"hosp\"");
  check_match ("\"car hosp\"", IH_QUERY_FLAG_PREFIX_LAST, "{text context} : \"car hosp\"");
  check_match ("car -hosp", IH_QUERY_FLAG_PREFIX_LAST,
               "({text context} : \"car\") NOT ({text context} : \"hosp\")");

  check_rows ("hosp*", 0, "1,4");
  check_rows ("hosp", 0, "");
  check_rows ("hosp", IH_QUERY_FLAG_PREFIX_LAST, "1,4");
  check_rows ("hospital", IH_QUERY_FLAG_PREFIX_LAST, "1,4");
  check_rows ("hosp ", IH_QUERY_FLAG_PREFIX_LAST, "");
  check_rows ("\"hosp\"", IH_QUERY_FLAG_PREFIX_LAST, "");
  check_rows ("w*", 0, "1,3,5,8,10");
  /* One typed letter is not yet a prefix (it would match most words) */
  check_match ("w", IH_QUERY_FLAG_PREFIX_LAST, "{text context} : \"w\"");
  check_match ("wa", IH_QUERY_FLAG_PREFIX_LAST, "{text context} : \"wa\" *");
  check_rows ("\"the car\"*", 0, "1");
}

static void
test_parse_exclude (void)
{
  check_match ("-bus", 0, "(tags : \"ihall\") NOT ({text context} : \"bus\")");
  check_match ("hospital -bus -\"car park\"", 0,
               "({text context} : \"hospital\") NOT ({text context} : \"bus\") "
               "NOT ({text context} : \"car park\")");
  check_match ("-theme:travel", 0, "(tags : \"ihall\") NOT (tags : \"thtravel\")");
  check_match ("- bus", 0, "{text context} : \"bus\"");
  check_match ("--bus", 0, "(tags : \"ihall\") NOT ({text context} : \"-bus\")");
  check_match ("-OR", 0, "(tags : \"ihall\") NOT ({text context} : \"OR\")");

  check_rows ("-parking", 0, "2,3,4,5,6,8,9,10");
  check_rows ("hospital -bus", 0, "1");
  check_rows ("staff -\"were kind\"", 0, "8");
  check_rows ("-theme:travel -sentiment:positive", 0, "3,7,9,10");
  check_rows ("-has:paper -w*", 0, "2,6,9");
}

static void
test_parse_or (void)
{
  check_match ("a b OR c d", 0,
               "{text context} : \"a\" AND ({text context} : \"b\" OR {text context} : \"c\") "
               "AND {text context} : \"d\"");
  check_match ("a OR b OR c", 0,
               "({text context} : \"a\" OR {text context} : \"b\" OR {text context} : \"c\")");
  check_match ("a OR theme:x -y", 0,
               "(({text context} : \"a\" OR tags : \"thx\")) NOT ({text context} : \"y\")");

  check_rows ("bus OR train", 0, "4,6");
  check_rows ("travel bus OR train", 0, "4,6");
  check_rows ("bus or train", 0, "");
  check_rows ("theme:parking OR theme:maternity", 0, "1,5,7");
  check_rows ("staff OR hospital -bus", 0, "1,5,8");

  check_error ("OR", 0, IH_QUERY_ERROR_SYNTAX);
  check_error ("OR a", 0, IH_QUERY_ERROR_SYNTAX);
  check_error ("a OR", 0, IH_QUERY_ERROR_SYNTAX);
  check_error ("a OR", IH_QUERY_FLAG_PREFIX_LAST, IH_QUERY_ERROR_SYNTAX);
  check_error ("a OR OR b", 0, IH_QUERY_ERROR_SYNTAX);
  check_error ("a OR !!!", 0, IH_QUERY_ERROR_SYNTAX);
  check_error ("-a OR b", 0, IH_QUERY_ERROR_SYNTAX);
  check_error ("a OR -b", 0, IH_QUERY_ERROR_SYNTAX);
  check_error ("a OR after:2020", 0, IH_QUERY_ERROR_SYNTAX);
  check_error ("before:2020 OR a", 0, IH_QUERY_ERROR_SYNTAX);
}

static void
test_parse_filters (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhQuery) query = NULL;

  check_match ("theme:\"Mental Health\"", 0, "tags : \"thmentalhealth\"");
  check_match ("THEME:Mental-Health", 0, "tags : \"thmentalhealth\"");
  check_match ("kind:\"Focus group\"", 0, "tags : \"kdfocusgroup\"");
  check_match ("Kind:SURVEY_ANSWER", 0, "tags : \"kdsurveyanswer\"");
  check_match ("place:Chester", 0, "tags : \"plchester\"");
  check_match ("sentiment:Negative", 0, "tags : \"senegative\"");
  check_match ("has:paper", 0, "tags : \"haspaper\"");
  check_match ("bus theme:travel", 0, "{text context} : \"bus\" AND tags : \"thtravel\"");

  check_rows ("theme:parking", 0, "1,7");
  check_rows ("theme:\"mental health\"", 0, "3");
  check_rows ("theme:access", 0, "3,8,10");
  check_rows ("kind:survey", 0, "3");
  check_rows ("kind:\"focus group\"", 0, "4,6");
  check_rows ("kind:quote", 0, "1,2,6,8,9");
  check_rows ("kind:Question", 0, "7,10");
  check_rows ("kind:QUOTE theme:access", 0, "8");
  check_rows ("place:chester", 0, "1,2,4,6");
  check_rows ("place:\"Cheshire West\"", 0, "7,10");
  check_rows ("place:wirral", 0, "3,5,8,9");
  check_rows ("sentiment:negative", 0, "1,3,7");
  check_rows ("sentiment:positive staff", 0, "5,8");
  check_rows ("has:paper", 0, "1,4,7");
  check_rows ("-has:paper", 0, "2,3,5,6,8,9,10");

  /* Someone still typing the value */
  query = ih_query_parse ("theme:", IH_QUERY_FLAG_PREFIX_LAST, &error);
  g_assert_no_error (error);
  g_assert_true (ih_query_is_empty (query));
  g_clear_pointer (&query, ih_query_free);
  check_match ("bus theme: ", IH_QUERY_FLAG_PREFIX_LAST, "{text context} : \"bus\"");
  check_match ("bus kind:\"", IH_QUERY_FLAG_PREFIX_LAST, "{text context} : \"bus\"");
  check_error ("theme:", 0, IH_QUERY_ERROR_BAD_VALUE);
  check_error ("theme: bus", IH_QUERY_FLAG_PREFIX_LAST, IH_QUERY_ERROR_BAD_VALUE);
  check_error ("theme:\"\" bus", 0, IH_QUERY_ERROR_BAD_VALUE);
  check_error ("theme:!!!", 0, IH_QUERY_ERROR_BAD_VALUE);
  check_error ("place:\"&&\"", 0, IH_QUERY_ERROR_BAD_VALUE);
  check_error ("sentiment:angry", 0, IH_QUERY_ERROR_BAD_VALUE);
  check_error ("has:video", 0, IH_QUERY_ERROR_BAD_VALUE);

  query = ih_query_parse ("kind:lecture", 0, &error);
  g_assert_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_BAD_VALUE);
  g_assert_nonnull (strstr (error->message, "“lecture”"));
  g_assert_nonnull (strstr (error->message, "focus-group"));
  g_assert_nonnull (strstr (error->message, "survey-answer"));
  g_clear_error (&error);

  query = ih_query_parse ("bus foo:bar", 0, &error);
  g_assert_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_UNKNOWN_FILTER);
  g_assert_nonnull (strstr (error->message, "“foo:”"));
  g_assert_nonnull (strstr (error->message, "theme:"));
  g_assert_nonnull (strstr (error->message, "before:"));
  g_clear_error (&error);

  check_error ("col:x", 0, IH_QUERY_ERROR_UNKNOWN_FILTER);
  check_error ("foo:\"bar\"", 0, IH_QUERY_ERROR_UNKNOWN_FILTER);
}

static void
check_dates (const char *text,
             const char *after,
             const char *before)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhQuery) query = ih_query_parse (text, 0, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (ih_query_get_after (query), ==, after);
  g_assert_cmpstr (ih_query_get_before (query), ==, before);
}

static void
test_parse_dates (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhQuery) query = NULL;

  check_dates ("after:2020", "2020-01-01", NULL);
  check_dates ("before:2021", NULL, "2021-01-01");
  check_dates ("after:2020-03 before:2021-06-15", "2020-03-01", "2021-06-15");
  check_dates ("after:2020-02-29", "2020-02-29", NULL);
  check_dates ("after:2020 AFTER:2022-03-04 after:2021 before:2024 before:2023-12", "2022-03-04", "2023-12-01");

  query = ih_query_parse ("after:2020 before:2021", 0, &error);
  g_assert_no_error (error);
  g_assert_null (ih_query_get_match (query));
  g_assert_false (ih_query_is_empty (query));
  g_clear_pointer (&query, ih_query_free);

  check_match ("bus after:2020", 0, "{text context} : \"bus\"");

  check_error ("after:2020-02-30", 0, IH_QUERY_ERROR_BAD_VALUE);
  check_error ("after:2021-02-29", 0, IH_QUERY_ERROR_BAD_VALUE);
  check_error ("after:2020-13", 0, IH_QUERY_ERROR_BAD_VALUE);
  check_error ("after:0000", 0, IH_QUERY_ERROR_BAD_VALUE);
  check_error ("after:abc", 0, IH_QUERY_ERROR_BAD_VALUE);
  check_error ("after:202", 0, IH_QUERY_ERROR_BAD_VALUE);
  check_error ("before:2020-1-5", 0, IH_QUERY_ERROR_BAD_VALUE);
  check_error ("before:15/03/2024", 0, IH_QUERY_ERROR_BAD_VALUE);
  check_error ("after:2022 before:2021", 0, IH_QUERY_ERROR_BAD_VALUE);
  check_error ("after:2021 before:2021", 0, IH_QUERY_ERROR_BAD_VALUE);
  check_error ("-after:2020", 0, IH_QUERY_ERROR_SYNTAX);
  check_error ("-before:2020", 0, IH_QUERY_ERROR_SYNTAX);
}

static void
test_parse_empty (void)
{
  const char *empties[] = { "", "   ", "\t\n", "!!! && (", "\"\"", "-", "--", "*", "\"", "-\"\"", "“”" };

  for (guint i = 0; i < G_N_ELEMENTS (empties); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(IhQuery) query = ih_query_parse (empties[i], IH_QUERY_FLAG_PREFIX_LAST, &error);

      g_assert_no_error (error);
      g_assert_true (ih_query_is_empty (query));
      g_assert_null (ih_query_get_match (query));
      g_assert_null (ih_query_get_after (query));
      g_assert_null (ih_query_get_before (query));
    }
}

static void
test_parse_diacritics (void)
{
  check_rows ("cafe", 0, "2");
  check_rows ("café", 0, "2");
  check_rows ("CAFÉ", 0, "2");
  check_rows ("cafe\xcc\x81", 0, "2");   /* e + combining acute */
  check_rows ("caf", IH_QUERY_FLAG_PREFIX_LAST, "2");
}

static void
test_parse_limits (void)
{
  g_autoptr(GString) words = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(IhQuery) query = NULL;
  g_autofree char *huge = NULL;
  g_autofree char *exact = NULL;

  for (guint i = 0; i < IH_QUERY_MAX_TERMS; i++)
    g_string_append_printf (words, "w%u ", i);
  query = ih_query_parse (words->str, 0, &error);
  g_assert_no_error (error);
  g_free (run_match (ih_query_get_match (query)));
  g_clear_pointer (&query, ih_query_free);

  g_string_append (words, "one-more");
  query = ih_query_parse (words->str, 0, &error);
  g_assert_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "65"));
  g_assert_nonnull (strstr (error->message, "64"));
  g_clear_error (&error);

  /* Dropped punctuation does not count */
  g_string_truncate (words, 0);
  for (guint i = 0; i < IH_QUERY_MAX_TERMS; i++)
    g_string_append_printf (words, "w%u !! ", i);
  query = ih_query_parse (words->str, 0, &error);
  g_assert_no_error (error);
  g_clear_pointer (&query, ih_query_free);

  huge = g_strnfill (100 * 1024, 'a');
  query = ih_query_parse (huge, 0, &error);
  g_assert_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "102400"));
  g_assert_nonnull (strstr (error->message, "1000"));
  g_clear_error (&error);

  /* The limit is in characters, not bytes */
  g_string_truncate (words, 0);
  for (guint i = 0; i < IH_QUERY_MAX_CHARS; i++)
    g_string_append (words, "é");
  query = ih_query_parse (words->str, 0, &error);
  g_assert_no_error (error);
  g_clear_pointer (&query, ih_query_free);
  g_string_append_c (words, 'x');
  check_error (words->str, 0, IH_QUERY_ERROR_TOO_LONG);

  exact = g_strnfill (IH_QUERY_MAX_CHARS, 'z');
  query = ih_query_parse (exact, 0, &error);
  g_assert_no_error (error);
}

/* Each must parse to a MATCH SQLite runs, or fail with the given code
 * (-1: either is fine), with and without IH_QUERY_FLAG_PREFIX_LAST. */
static void
test_parse_hostile (void)
{
  const struct
  {
    const char *text;
    int         code;
  } cases[] = {
    { "\"unbalanced", -1 },
    { "a \"b c", -1 },
    { "\"", -1 },
    { "\"\"", -1 },
    { "\"\"\"", -1 },
    { "\"a\"\"b\"", -1 },
    { "-", -1 },
    { "--", -1 },
    { "- -", -1 },
    { "OR", IH_QUERY_ERROR_SYNTAX },
    { "OR OR", IH_QUERY_ERROR_SYNTAX },
    { "a OR", IH_QUERY_ERROR_SYNTAX },
    { "OR*", -1 },
    { "NOT", -1 },
    { "AND", -1 },
    { "a NOT b", -1 },
    { "NEAR(a b)", -1 },
    { "NEAR(\"a\" \"b\", 2)", -1 },
    { "*", -1 },
    { "a*b", -1 },
    { "*a", -1 },
    { "^a", -1 },
    { "a + b", -1 },
    { "(a OR b", -1 },
    { ")(", -1 },
    { "{text}: x", -1 },
    { "{text context} : \"x\"", -1 },
    { "text:x", IH_QUERY_ERROR_UNKNOWN_FILTER },
    { "col:x", IH_QUERY_ERROR_UNKNOWN_FILTER },
    { "a:b:c", IH_QUERY_ERROR_UNKNOWN_FILTER },
    { "'; DROP TABLE insight; --", -1 },
    { "x\" OR 1=1 --", -1 },
    { "x' OR '1'='1", -1 },
    { "back\\slash \\\" \\\\ \\", -1 },
    { "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f", -1 },
    { "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f", -1 },
    { "bus\x01train \"car\x1fpark\" \x7f", -1 },
    { "😀 🏥 hospital 👩‍⚕️", -1 },
    { "مرحبا שלום hospital", -1 },
    { "\xe2\x80\x8f\xe2\x80\xae RLO", -1 },
    { "e\xcc\x81\xcc\x81\xcc\x81 \xcc\x81", -1 },
    { "\xef\xbb\xbf" "bom", -1 },
    { "\xe3\x80\x80\xc2\xa0 nbsp", -1 },
    { "\xff", IH_QUERY_ERROR_ENCODING },
    { "caf\xc3", IH_QUERY_ERROR_ENCODING },
    { "\xe2\x82", IH_QUERY_ERROR_ENCODING },
    { "a \xc0\xaf b", IH_QUERY_ERROR_ENCODING },
    { "\xed\xa0\x80", IH_QUERY_ERROR_ENCODING },
    { "theme:", IH_QUERY_ERROR_BAD_VALUE },
    { "after:2020-02-30", IH_QUERY_ERROR_BAD_VALUE },
    { "after:abc", IH_QUERY_ERROR_BAD_VALUE },
    { "before:2021", -1 },
    { "sentiment:angry", IH_QUERY_ERROR_BAD_VALUE },
    { "has:video", IH_QUERY_ERROR_BAD_VALUE },
    { "foo:bar", IH_QUERY_ERROR_UNKNOWN_FILTER },
    { "10:30", -1 },
    { "http://x", -1 },
    { "theme:\"a\"\"b\"", -1 },
    { "theme:x* kind:quote*", -1 },
    { ":", -1 },
    { "::", -1 },
    { ":x", -1 },
    { "-:", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      for (guint f = 0; f < 2; f++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(IhQuery) query = NULL;

          query = ih_query_parse (cases[i].text, f, &error);
          /* While typing, an unfinished "theme:" is allowed */
          if (cases[i].code >= 0 && (f == IH_QUERY_FLAG_NONE || query == NULL))
            {
              if (error == NULL)
                g_error ("“%s” should have failed with code %d", cases[i].text, cases[i].code);
              g_assert_error (error, IH_QUERY_ERROR, cases[i].code);
              g_assert_null (query);
              continue;
            }

          if (query == NULL)
            {
              g_assert_error (error, IH_QUERY_ERROR, error->code);
              continue;
            }

          g_assert_no_error (error);
          if (ih_query_get_match (query) != NULL)
            g_free (run_match (ih_query_get_match (query)));
        }
    }
}

static const char * const fuzz_pieces[] = {
  "\"", "\"", "“", "”", "-", "-", "*", "*", ":", "OR", "OR", "or", "AND", "NOT", "NEAR",
  " ", " ", " ", "  ", "\t", "\n",
  "a", "hospital", "hosp", "bus", "train", "car park", "café", "cafe\xcc\x81", "10", "30",
  "theme:", "kind:", "place:", "sentiment:", "has:", "after:", "before:", "foo:", "THEME:",
  "paper", "quote", "survey", "focus group", "negative", "angry", "Chester",
  "2020", "-02", "-29", "-30", "2021-06",
  "(", ")", "{", "}", "^", "+", ",", ";", "'", "=", "\\", "/", "//", "!",
  "\x01", "\x1f", "\x7f", "\xff", "\xc3", "\xe2\x82", "\xc0\xaf",
  "😀", "مرحبا", "\xcc\x81", "\xe2\x80\xae",
};

static void
test_parse_fuzz (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260214);
  guint n_ok = 0;
  guint n_error = 0;

  for (guint i = 0; i < 5000; i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(IhQuery) query = NULL;
      guint n_pieces = g_rand_int_range (rand, 1, 16);
      IhQueryFlags flags = g_rand_boolean (rand) ? IH_QUERY_FLAG_PREFIX_LAST : IH_QUERY_FLAG_NONE;

      for (guint j = 0; j < n_pieces; j++)
        g_string_append (text, fuzz_pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (fuzz_pieces))]);

      query = ih_query_parse (text->str, flags, &error);
      if (query == NULL)
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == IH_QUERY_ERROR);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          if (!g_utf8_validate (text->str, -1, NULL))
            g_assert_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_ENCODING);
          n_error++;
          continue;
        }

      g_assert_no_error (error);
      g_assert_true (g_utf8_validate (text->str, -1, NULL));
      if (ih_query_get_match (query) != NULL)
        {
          g_assert_false (ih_query_is_empty (query));
          g_free (run_match (ih_query_get_match (query)));
        }
      n_ok++;
    }

  /* The alphabet should exercise both outcomes */
  g_assert_cmpuint (n_ok, >, 500);
  g_assert_cmpuint (n_error, >, 500);
}

static void
test_tag (void)
{
  g_autofree char *a = ih_query_tag ("pl", "Cheshire West");
  g_autofree char *b = ih_query_tag ("th", "Café & Food");
  g_autofree char *c = ih_query_tag ("th", "!!!");

  g_assert_cmpstr (a, ==, "plcheshirewest");
  g_assert_cmpstr (b, ==, "thcafefood");
  g_assert_null (c);
}

int
main (int argc, char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  setup_db ();

  g_test_add_func ("/query/tag", test_tag);
  g_test_add_func ("/query/parse/words", test_parse_words);
  g_test_add_func ("/query/parse/phrase", test_parse_phrase);
  g_test_add_func ("/query/parse/prefix", test_parse_prefix);
  g_test_add_func ("/query/parse/exclude", test_parse_exclude);
  g_test_add_func ("/query/parse/or", test_parse_or);
  g_test_add_func ("/query/parse/filters", test_parse_filters);
  g_test_add_func ("/query/parse/dates", test_parse_dates);
  g_test_add_func ("/query/parse/empty", test_parse_empty);
  g_test_add_func ("/query/parse/diacritics", test_parse_diacritics);
  g_test_add_func ("/query/parse/limits", test_parse_limits);
  g_test_add_func ("/query/parse/hostile", test_parse_hostile);
  g_test_add_func ("/query/parse/fuzz", test_parse_fuzz);

  ret = g_test_run ();

  sqlite3_close (db);

  return ret;
}
