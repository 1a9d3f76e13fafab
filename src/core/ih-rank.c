/* ih-rank.c — bm25 as an FTS5 auxiliary function that takes each phrase's
 * document count as an argument
 *
 * FTS5's own bm25() counts, on every query, every document that contains
 * each phrase: for a word found in 300,000 items that alone takes tens of
 * milliseconds, however few rows are ranked. ih_rank() is the same formula
 * (k1 = 1.2, b = 0.75, the same column weights) with the counts given by
 * the caller, who estimates them cheaply (ih-search.c). For a one-phrase
 * search the count is a constant factor and does not change the order at
 * all.
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-rank"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ih-rank-private.h"

#define K1 1.2
#define B  0.75

/* text, context (activity title and theme names), tags */
static const double column_weights[] = { 1.0, 0.4, 0.0 };

typedef struct
{
  double  avgdl;
  int     n_phrases;
  double *idf;
  double *freq;            /* per phrase, reused row to row */
} RankData;

static void
rank_data_free (void *data)
{
  RankData *rd = data;

  g_free (rd->idf);
  g_free (rd->freq);
  g_free (rd);
}

static RankData *
rank_data_get (const Fts5ExtensionApi  *api,
               Fts5Context             *fts,
               int                      n_args,
               sqlite3_value          **args,
               int                     *rc)
{
  RankData *rd = api->xGetAuxdata (fts, 0);
  sqlite3_int64 n_rows = 0;
  sqlite3_int64 n_tokens = 0;

  if (rd != NULL)
    return rd;

  rd = g_new0 (RankData, 1);
  rd->n_phrases = api->xPhraseCount (fts);
  rd->idf = g_new0 (double, rd->n_phrases);
  rd->freq = g_new0 (double, rd->n_phrases);

  *rc = api->xRowCount (fts, &n_rows);
  if (*rc == SQLITE_OK)
    *rc = api->xColumnTotalSize (fts, -1, &n_tokens);
  rd->avgdl = n_rows > 0 ? (double) n_tokens / n_rows : 1.0;

  for (int i = 0; i < rd->n_phrases; i++)
    {
      /* A phrase without a count (a tag, an excluded word) adds nothing */
      sqlite3_int64 n_hits = i < n_args ? sqlite3_value_int64 (args[i]) : -1;
      double idf;

      if (n_hits < 0)
        continue;
      idf = log ((n_rows - n_hits + 0.5) / (n_hits + 0.5));
      /* As FTS5 does: a phrase in most documents still counts a little */
      rd->idf[i] = idf > 1e-6 ? idf : 1e-6;
    }

  if (*rc == SQLITE_OK)
    *rc = api->xSetAuxdata (fts, rd, rank_data_free);
  else
    rank_data_free (rd);

  return *rc == SQLITE_OK ? rd : NULL;
}

static void
ih_rank_function (const Fts5ExtensionApi  *api,
                  Fts5Context             *fts,
                  sqlite3_context         *ctx,
                  int                      n_args,
                  sqlite3_value          **args)
{
  RankData *rd;
  int rc = SQLITE_OK;
  int n_inst = 0;
  int doc_size = 0;
  double score = 0.0;
  double norm;

  rd = rank_data_get (api, fts, n_args, args, &rc);
  if (rd == NULL)
    {
      sqlite3_result_error_code (ctx, rc);
      return;
    }

  for (int i = 0; i < rd->n_phrases; i++)
    rd->freq[i] = 0.0;

  rc = api->xInstCount (fts, &n_inst);
  for (int i = 0; rc == SQLITE_OK && i < n_inst; i++)
    {
      int phrase, column, offset;

      rc = api->xInst (fts, i, &phrase, &column, &offset);
      if (rc == SQLITE_OK && phrase < rd->n_phrases && column < (int) G_N_ELEMENTS (column_weights))
        rd->freq[phrase] += column_weights[column];
    }
  if (rc == SQLITE_OK)
    rc = api->xColumnSize (fts, -1, &doc_size);
  if (rc != SQLITE_OK)
    {
      sqlite3_result_error_code (ctx, rc);
      return;
    }

  norm = K1 * (1.0 - B + B * doc_size / rd->avgdl);
  for (int i = 0; i < rd->n_phrases; i++)
    if (rd->freq[i] > 0.0)
      score += rd->idf[i] * (rd->freq[i] * (K1 + 1.0)) / (rd->freq[i] + norm);

  /* Like bm25(): lower is better, so ORDER BY rank puts the best first */
  sqlite3_result_double (ctx, -score);
}

gboolean
_ih_rank_register (sqlite3  *db,
                   GError  **error)
{
  fts5_api *api = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (db != NULL, FALSE);

  rc = sqlite3_prepare_v2 (db, "SELECT fts5 (?1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_pointer (stmt, 1, (void *) &api, "fts5_api_ptr", NULL);
      sqlite3_step (stmt);
      sqlite3_finalize (stmt);
    }

  if (api == NULL || api->iVersion < 2 ||
      api->xCreateFunction (api, "ih_rank", NULL, ih_rank_function, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("This SQLite has no full-text search (FTS5)"));
      return FALSE;
    }

  return TRUE;
}
