/* ih-papers.h — board meetings and their papers in the store
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Meetings (IhMeeting) and public questions (IhQuestion) are ordinary
 * records (ih_store_save/load/delete). A paper (IhPaper) is a record plus
 * the text of each of its pages, saved together here so that the page
 * index (paper_fts) and the paper never disagree; its file lives in the
 * blob store beside the database (ih-blobs.h), named by paper->sha256.
 * Pages are numbered from 1 here.
 */

#pragma once

#include <gio/gio.h>

#include "ih-blobs.h"
#include "ih-query.h"
#include "ih-store.h"

G_BEGIN_DECLS

/* Saves @paper and, when @page_texts (GPtrArray of char *, page 1 first)
 * is not NULL, replaces its pages with them and sets page_count, all in
 * one transaction: on failure the store is as it was. */
gboolean     ih_papers_save               (IhStore      *store,
                                           IhPaper      *paper,
                                           GPtrArray    *page_texts,
                                           GError      **error);
/* The text of page @page (from 1) of a paper, NULL with
 * IH_STORE_ERROR_NOT_FOUND when there is no such page. */
char        *ih_papers_get_page_text      (IhStore      *store,
                                           const char   *paper_id,
                                           int           page,
                                           GError      **error);
/* The live paper whose file has this sha256, or NULL (no error). */
IhPaper     *ih_papers_find_by_sha256     (IhStore      *store,
                                           const char   *sha256,
                                           GError      **error);

/* Live meetings: those on or after @today ("YYYY-MM-DD"; NULL = today)
 * soonest first, then past ones latest first, then undated ones.
 * GPtrArray of IhMeeting. */
GPtrArray   *ih_papers_list_meetings      (IhStore      *store,
                                           const char   *today,
                                           GError      **error);
/* Live papers of a meeting (NULL: every live paper) by title. GPtrArray of
 * IhPaper. */
GPtrArray   *ih_papers_list_papers        (IhStore      *store,
                                           const char   *meeting_id,
                                           GError      **error);
/* Live public questions of a meeting, in the order asked. GPtrArray of
 * IhQuestion. */
GPtrArray   *ih_papers_list_questions     (IhStore      *store,
                                           const char   *meeting_id,
                                           GError      **error);

/* "Available offline" is a choice of this computer, never synced: the
 * sync client downloads the papers of the meetings marked here. */
gboolean     ih_papers_set_meeting_offline (IhStore     *store,
                                            const char  *meeting_id,
                                            gboolean     offline,
                                            GError     **error);
gboolean     ih_papers_get_meeting_offline (IhStore     *store,
                                            const char  *meeting_id);

/* The blob store beside the store's database file. */
IhBlobs     *ih_papers_get_blobs          (IhStore      *store);
/* The local path of the paper's file; NULL with IH_BLOBS_ERROR_MISSING
 * and a message saying it is not on this computer (the next sync fetches
 * it) when the blob is absent. */
char        *ih_papers_get_file           (IhStore      *store,
                                           const IhPaper *paper,
                                           GError      **error);

typedef struct
{
  char   *paper_id;
  char   *paper_title;
  char   *meeting_id;      /* NULL for a paper without a meeting */
  char   *meeting_label;   /* "ICB Board — 2026-03-05", or NULL */
  char   *meeting_date;
  int     page;            /* from 1 */
  char   *snippet;         /* with IH_HIT_MARK_START/END (ih-search.h) around matches */
  double  score;           /* bm25, lower is better */
} IhPaperHit;

/* Pages of live papers matching @text, in the search language of
 * ih-query.h, best first. Words and phrases search the page text (and
 * the paper and meeting titles, weighted less); after:/before: compare
 * the meeting's date (papers without a meeting never match a date);
 * has:paper matches every page; theme:, kind:, place: and sentiment:
 * describe insight, so a query that requires them finds no pages (and
 * "-kind:x" excludes none). An empty query finds nothing. GPtrArray of
 * IhPaperHit; at most @limit from @offset. */
GPtrArray   *ih_papers_search             (IhStore      *store,
                                           const char   *text,
                                           IhQueryFlags  flags,
                                           guint         offset,
                                           guint         limit,
                                           GError      **error);
void         ih_paper_hit_free            (IhPaperHit   *hit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhPaperHit, ih_paper_hit_free)

G_END_DECLS
