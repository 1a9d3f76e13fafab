/* ih-papers-schema.h — the paper page index, schema version 3
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of a released migration (ih-store.c, version 3): frozen. Change the
 * index only by adding a migration.
 *
 * paper_fts holds one row per page of every live paper: the page's words
 * (text), on page 1 only the paper title and its meeting's body and title
 * (context: a title matches the paper once, not on every page), and
 * filter tags (tags: "ihall haspaper"), so the query language's MATCH
 * expressions (ih-query.c) work on it unchanged. Its rowid is
 * paper_rid × 2^20 + page, so pages are numbered 1 … 1,048,575. Unlike the
 * insight index it keeps its own copy of the text: triggers keep it in
 * step with paper_page, paper (title, meeting, tombstone) and meeting
 * (body, title), whoever writes them (the store, sync, a migration).
 */

#pragma once

#define IH_PAPER_PAGE_ROWID(paper_rid, page) (((gint64) (paper_rid) << 20) + (page))
#define IH_PAPER_MAX_PAGES ((1 << 20) - 1)

#define IH_STORE_PAPER_INDEX_SQL \
  "CREATE VIEW paper_page_doc (rid, paper_rid, page, text, context, tags) AS" \
  "  SELECT pp.paper_rid * 1048576 + pp.page, pp.paper_rid, pp.page, coalesce (pp.text, '')," \
  "    CASE WHEN pp.page = 1 THEN" \
  "      p.title || coalesce (char (10) || m.body, '') || coalesce (char (10) || m.title, '')" \
  "    ELSE '' END," \
  "    'ihall haspaper'" \
  "  FROM paper_page pp JOIN paper p ON p.rid = pp.paper_rid" \
  "  LEFT JOIN meeting m ON m.rid = p.meeting_rid" \
  "  WHERE p.deleted = 0;" \
  "CREATE VIRTUAL TABLE paper_fts USING fts5 (text, context, tags," \
  "  tokenize=\"porter unicode61 remove_diacritics 2\", prefix='2 3');" \
  "INSERT INTO paper_fts (paper_fts, rank) VALUES ('rank', 'bm25(1.0, 0.4, 0.0)');" \
  "CREATE TRIGGER paper_page_ai AFTER INSERT ON paper_page BEGIN" \
  "  INSERT INTO paper_fts (rowid, text, context, tags)" \
  "    SELECT rid, text, context, tags FROM paper_page_doc" \
  "    WHERE paper_rid = new.paper_rid AND page = new.page;" \
  "END;" \
  "CREATE TRIGGER paper_page_ad AFTER DELETE ON paper_page BEGIN" \
  "  DELETE FROM paper_fts WHERE rowid = old.paper_rid * 1048576 + old.page;" \
  "END;" \
  "CREATE TRIGGER paper_page_au AFTER UPDATE ON paper_page BEGIN" \
  "  DELETE FROM paper_fts WHERE rowid = old.paper_rid * 1048576 + old.page;" \
  "  INSERT INTO paper_fts (rowid, text, context, tags)" \
  "    SELECT rid, text, context, tags FROM paper_page_doc" \
  "    WHERE paper_rid = new.paper_rid AND page = new.page;" \
  "END;" \
  "CREATE TRIGGER paper_au AFTER UPDATE ON paper" \
  "  WHEN old.title IS NOT new.title OR old.deleted IS NOT new.deleted" \
  "    OR old.meeting_rid IS NOT new.meeting_rid BEGIN" \
  "  DELETE FROM paper_fts WHERE rowid BETWEEN old.rid * 1048576 AND old.rid * 1048576 + 1048575;" \
  "  INSERT INTO paper_fts (rowid, text, context, tags)" \
  "    SELECT rid, text, context, tags FROM paper_page_doc WHERE paper_rid = new.rid;" \
  "END;" \
  "CREATE TRIGGER paper_ad AFTER DELETE ON paper BEGIN" \
  "  DELETE FROM paper_fts WHERE rowid BETWEEN old.rid * 1048576 AND old.rid * 1048576 + 1048575;" \
  "END;" \
  "CREATE TRIGGER meeting_au AFTER UPDATE ON meeting" \
  "  WHEN old.body IS NOT new.body OR old.title IS NOT new.title BEGIN" \
  "  DELETE FROM paper_fts WHERE rowid IN" \
  "    (SELECT pp.paper_rid * 1048576 + pp.page FROM paper p" \
  "     JOIN paper_page pp ON pp.paper_rid = p.rid WHERE p.meeting_rid = new.rid);" \
  "  INSERT INTO paper_fts (rowid, text, context, tags)" \
  "    SELECT rid, text, context, tags FROM paper_page_doc" \
  "    WHERE paper_rid IN (SELECT rid FROM paper WHERE meeting_rid = new.rid);" \
  "END;" \
  "INSERT INTO paper_fts (rowid, text, context, tags)" \
  "  SELECT rid, text, context, tags FROM paper_page_doc;"
