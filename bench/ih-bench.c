/* ih-bench.c — search latency through the core API, and the same SQL
 * written out for the sqlite3 shell to run as the reference
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ih-search.h"
#include "ih-store-private.h"

static GPtrArray *traced;      /* expanded SQL of the statements one search ran */

static int
trace_cb (unsigned int  type,
          void         *ctx,
          void         *p,
          void         *x)
{
  sqlite3_stmt *stmt = p;
  char *sql;

  if (traced == NULL || type != SQLITE_TRACE_PROFILE)
    return 0;
  /* Only our own statements: FTS5's internal ones run inside them */
  if (strstr (sqlite3_sql (stmt), "insight_fts MATCH") == NULL)
    return 0;
  sql = sqlite3_expanded_sql (stmt);
  if (sql != NULL)
    {
      /* The shell has no ih_rank(): it ranks the same window with FTS5's
       * own bm25 and the same weights */
      GString *replay = g_string_new (sql);
      char *start = strstr (replay->str, "'ih_rank(");

      if (start != NULL)
        {
          gsize from = start - replay->str;
          char *end = strchr (start + 1, '\'');

          g_string_erase (replay, from, end - start + 1);
          g_string_insert (replay, from, "'bm25(1.0, 0.4, 0.0)'");
        }
      g_ptr_array_add (traced, g_string_free (replay, FALSE));
    }
  sqlite3_free (sql);
  return 0;
}

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  g_autoptr(GArray) sorted = g_array_copy (values);
  guint idx;

  g_array_sort (sorted, compare_double);
  idx = (guint) (p * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, double, idx);
}

static gint64
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line ? g_ascii_strtoll (line + 6, NULL, 10) : -1;
}

/* Pages through every match; returns the largest RSS seen, in kB. */
static gint64
page_through (IhStore    *store,
              const char *query,
              gint64     *n_hits,
              double     *seconds)
{
  g_autoptr(IhSearch) search = ih_search_new (store, query, IH_QUERY_FLAG_NONE, NULL);
  gint64 peak = rss_kb ();
  gint64 t0 = g_get_monotonic_time ();
  guint64 offset = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) page = ih_search_fetch (search, offset, 200, NULL);

      if (page == NULL || page->len == 0)
        break;
      offset += page->len;
      if (offset % 20000 < 200)
        peak = MAX (peak, rss_kb ());
    }
  *n_hits = offset;
  *seconds = (g_get_monotonic_time () - t0) / 1e6;
  return MAX (peak, rss_kb ());
}

static char *
sql_quote (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "'", -1);
  g_autofree char *joined = g_strjoinv ("''", parts);
  return g_strdup_printf ("'%s'", joined);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- search latency benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(IhStore) store = NULL;
  g_autofree char *db = NULL;
  g_autofree char *queries_file = NULL;
  g_autofree char *same_sql = NULL;
  g_autofree char *naive_sql = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) queries = NULL;
  g_autoptr(GArray) all_wall = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) all_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  FILE *same = NULL;
  FILE *naive = NULL;
  int runs = 15;
  g_autofree char *memory_narrow = NULL;
  g_autofree char *memory_broad = NULL;
  const GOptionEntry entries[] = {
    { "memory-narrow", 0, 0, G_OPTION_ARG_STRING, &memory_narrow, "Page through this query's results first", "QUERY" },
    { "memory-broad", 0, 0, G_OPTION_ARG_STRING, &memory_broad, "…then through this one's, and compare peak memory", "QUERY" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Database", "PATH" },
    { "queries", 0, 0, G_OPTION_ARG_FILENAME, &queries_file, "One query a line", "FILE" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Timed runs per query (after one warm-up)", "N" },
    { "same-sql", 0, 0, G_OPTION_ARG_FILENAME, &same_sql, "Write the SQL each search ran, for the sqlite3 shell", "FILE" },
    { "naive-sql", 0, 0, G_OPTION_ARG_FILENAME, &naive_sql, "Write plain bm25-ranked top-20 SQL for the shell", "FILE" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || !db || !queries_file || runs < 1)
    {
      g_printerr ("ih-bench: %s\n", error ? error->message : "--db and --queries are needed");
      return 2;
    }

  if (!g_file_get_contents (queries_file, &contents, NULL, &error))
    {
      g_printerr ("ih-bench: %s\n", error->message);
      return 1;
    }
  queries = g_strsplit (g_strstrip (contents), "\n", -1);

  store = ih_store_open (db, &error);
  if (store == NULL)
    {
      g_printerr ("ih-bench: %s\n", error->message);
      return 1;
    }
  if (memory_narrow && memory_broad)
    {
      gint64 n1, n2;
      double s1, s2;
      gint64 base = rss_kb ();
      gint64 p1 = page_through (store, memory_narrow, &n1, &s1);
      gint64 p2 = page_through (store, memory_broad, &n2, &s2);

      /* Tab-separated, for bench.sh to read */
      printf ("memory\tstart_kb\tnarrow_hits\tnarrow_peak_kb\tbroad_hits\tbroad_peak_kb\tbroad_seconds\n");
      printf ("memory\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT
              "\t%" G_GINT64_FORMAT "\t%.1f\n", base, n1, p1, n2, p2, s2);
      return 0;
    }

  sqlite3_trace_v2 (_ih_store_get_db (store), SQLITE_TRACE_PROFILE, trace_cb, NULL);

  if (same_sql)
    same = fopen (same_sql, "w");
  if (naive_sql)
    naive = fopen (naive_sql, "w");
  if (same)
    fprintf (same, ".output /dev/null\n.timer on\n");
  if (naive)
    fprintf (naive, ".output /dev/null\n.timer on\n");

  /* Tab-separated, for bench.sh to read */
  printf ("query\thits\tp50_ms\tp95_ms\tcpu_p50_ms\n");
  for (guint q = 0; queries[q]; q++)
    {
      g_autoptr(GArray) wall = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
      gint64 hits = -1;

      if (*g_strstrip (queries[q]) == '\0')
        continue;

      for (int r = 0; r <= runs; r++)
        {
          g_autoptr(IhSearch) search = NULL;
          g_autoptr(GPtrArray) page = NULL;
          gint64 t0 = g_get_monotonic_time ();
          double c0 = cpu_seconds ();
          double w, c;

          traced = g_ptr_array_new_with_free_func (g_free);
          /* What the user waits for: parse, rank, the first page with snippets */
          search = ih_search_new (store, queries[q], IH_QUERY_FLAG_NONE, &error);
          if (search != NULL)
            page = ih_search_fetch (search, 0, 20, &error);
          w = (g_get_monotonic_time () - t0) / 1000.0;
          c = (cpu_seconds () - c0) * 1000.0;
          if (page == NULL)
            {
              g_printerr ("ih-bench: “%s”: %s\n", queries[q], error->message);
              return 1;
            }

          if (r > 0)
            {
              g_array_append_val (wall, w);
              g_array_append_val (cpu, c);
              g_array_append_val (all_wall, w);
              g_array_append_val (all_cpu, c);
              if (same)
                {
                  fprintf (same, "-- query %u run %d\n", q, r);
                  for (guint i = 0; i < traced->len; i++)
                    fprintf (same, "%s;\n", (char *) g_ptr_array_index (traced, i));
                }
              if (naive && ih_query_get_match (ih_search_get_query (search)))
                {
                  g_autofree char *m = sql_quote (ih_query_get_match (ih_search_get_query (search)));
                  fprintf (naive, "-- query %u run %d\n"
                           "SELECT rowid, snippet(insight_fts, 0, '[', ']', '…', 24) FROM insight_fts"
                           " WHERE insight_fts MATCH %s ORDER BY rank LIMIT 20;\n", q, r, m);
                }
            }
          g_clear_pointer (&traced, g_ptr_array_unref);
          if (r == 0)
            hits = ih_search_count (search, NULL);
        }

      printf ("%s\t%" G_GINT64_FORMAT "\t%.3f\t%.3f\t%.3f\n", queries[q], hits,
              percentile (wall, 0.5), percentile (wall, 0.95), percentile (cpu, 0.5));
    }
  printf ("ALL\t-\t%.3f\t%.3f\t%.3f\n", percentile (all_wall, 0.5), percentile (all_wall, 0.95),
          percentile (all_cpu, 0.5));

  if (same)
    fclose (same);
  if (naive)
    fclose (naive);
  return 0;
}
