/* test-papers.c — the blob store, meetings, questions and paper pages in
 * the store, and searching the pages (no poppler, no GTK)
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "ih-blobs.h"
#include "ih-papers.h"
#include "ih-search.h"
#include "ih-store-private.h"

static char *
temp_path (const char *name)
{
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

static IhStore *
open_store (const char *name)
{
  g_autofree char *path = temp_path (name);
  g_autoptr(GError) error = NULL;
  IhStore *store = ih_store_open (path, &error);

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

/* The index holds exactly the pages of live papers */
static void
assert_index_in_step (IhStore *store)
{
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM paper_fts"), ==,
                   sql_int (store, "SELECT count(*) FROM paper_page pp JOIN paper p"
                                   " ON p.rid = pp.paper_rid WHERE p.deleted = 0"));
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM paper_fts f LEFT JOIN paper_page_doc d"
                                   " ON d.rid = f.rowid WHERE d.rid IS NULL OR d.text != f.text"
                                   " OR d.context != f.context"), ==, 0);
}

static GPtrArray *
search (IhStore    *store,
        const char *text)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *hits = ih_papers_search (store, text, IH_QUERY_FLAG_NONE, 0, 50, &error);

  g_assert_no_error (error);
  g_assert_nonnull (hits);
  return hits;
}

static GPtrArray *
texts (const char *first,
       ...)
{
  GPtrArray *pages = g_ptr_array_new_with_free_func (g_free);
  va_list args;

  va_start (args, first);
  for (const char *t = first; t != NULL; t = va_arg (args, const char *))
    g_ptr_array_add (pages, g_strdup (t));
  va_end (args);
  return pages;
}

static IhMeeting *
save_meeting (IhStore    *store,
              const char *body,
              const char *title,
              const char *date)
{
  g_autoptr(GError) error = NULL;
  IhMeeting *meeting = ih_meeting_new ();

  meeting->body = g_strdup (body);
  meeting->title = g_strdup (title);
  meeting->date = g_strdup (date);
  ih_store_save (store, meeting, &error);
  g_assert_no_error (error);
  return meeting;
}


/*
 * Blobs
 */

static void
test_blobs (void)
{
  g_autofree char *db = temp_path ("blobs/insight-hub.db");
  g_autofree char *source = temp_path ("paper.pdf");
  g_autoptr(IhBlobs) blobs = ih_blobs_new_for_database (db);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *again = NULL;
  g_autofree char *path = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *copied = NULL;
  GString *content = g_string_new (NULL);
  gboolean present = TRUE;
  gsize len;

  /* Bigger than one copy chunk */
  for (int i = 0; i < 40000; i++)
    g_string_append_printf (content, "line %d of a board paper\n", i);
  g_assert_true (g_file_set_contents (source, content->str, (gssize) content->len, NULL));
  expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256, content->str, (gssize) content->len);

  folder = g_build_filename (g_get_user_data_dir (), "blobs", "blobs", NULL);
  g_assert_cmpstr (ih_blobs_get_folder (blobs), ==, folder);
  g_assert_false (ih_blobs_has (blobs, expected));

  sha = ih_blobs_add_file (blobs, source, &present, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sha, ==, expected);
  g_assert_false (present);
  g_assert_true (ih_blobs_has (blobs, sha));

  /* blobs/ab/abcdef… with the same bytes */
  path = ih_blobs_get_path (blobs, sha, &error);
  g_assert_no_error (error);
  {
    g_autofree char *name = g_path_get_basename (path);
    g_autofree char *dir = g_path_get_dirname (path);
    g_autofree char *dir_name = g_path_get_basename (dir);

    g_assert_cmpstr (name, ==, sha);
    g_assert_cmpint (strncmp (dir_name, sha, 2), ==, 0);
    g_assert_cmpuint (strlen (dir_name), ==, 2);
  }
  g_assert_true (g_file_get_contents (path, &copied, &len, NULL));
  g_assert_cmpuint (len, ==, content->len);
  g_assert_cmpint (memcmp (copied, content->str, len), ==, 0);
  g_assert_true (ih_blobs_verify (blobs, sha, NULL, &error));
  g_assert_no_error (error);

  /* Adding it again keeps one copy */
  again = ih_blobs_add_file (blobs, source, &present, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, sha);
  g_assert_true (present);

  /* No temporary files are left behind */
  {
    g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_false (g_str_has_prefix (name, ".tmp-"));
  }

  /* A damaged copy is found, and replaced by adding the file again */
  g_assert_true (g_file_set_contents (path, "tampered", -1, NULL));
  g_assert_false (ih_blobs_verify (blobs, sha, NULL, &error));
  g_assert_error (error, IH_BLOBS_ERROR, IH_BLOBS_ERROR_MISMATCH);
  g_clear_error (&error);
  g_clear_pointer (&again, g_free);
  again = ih_blobs_add_file (blobs, source, &present, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (present);
  g_assert_true (ih_blobs_verify (blobs, sha, NULL, &error));
  g_assert_no_error (error);

  /* Malformed hashes never reach the file system */
  {
    const char *bad[] = {
      "", "abc", "../../../../etc/passwd",
      "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
      "abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678",
      "abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567890",
      "abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678g",
      "ab/def0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *p = NULL;

        g_assert_false (ih_blobs_is_valid_hash (bad[i]));
        g_assert_false (ih_blobs_has (blobs, bad[i]));
        p = ih_blobs_get_path (blobs, bad[i], &error);
        g_assert_null (p);
        g_assert_error (error, IH_BLOBS_ERROR, IH_BLOBS_ERROR_BAD_HASH);
        g_clear_error (&error);
      }
    g_assert_false (ih_blobs_is_valid_hash (NULL));
  }

  /* A download with the wrong hash is refused and leaves nothing */
  {
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data ("other bytes", 11, NULL);
    g_autofree char *other = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "other bytes", 11);
    g_autofree char *got = NULL;
    g_autoptr(GDir) dir = NULL;
    const char *name;

    got = ih_blobs_add_stream (blobs, stream, expected, NULL, NULL, &error);
    g_assert_null (got);
    g_assert_error (error, IH_BLOBS_ERROR, IH_BLOBS_ERROR_MISMATCH);
    g_clear_error (&error);
    g_assert_false (ih_blobs_has (blobs, other));
    dir = g_dir_open (folder, 0, NULL);
    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_false (g_str_has_prefix (name, ".tmp-"));
  }

  /* A blob that is not here */
  {
    g_autofree char *missing = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "absent", -1);

    g_assert_null (ih_blobs_get_path (blobs, missing, &error));
    g_assert_error (error, IH_BLOBS_ERROR, IH_BLOBS_ERROR_MISSING);
    g_assert_nonnull (strstr (error->message, "not on this computer"));
    g_clear_error (&error);
    g_assert_null (ih_blobs_open (blobs, missing, &error));
    g_assert_error (error, IH_BLOBS_ERROR, IH_BLOBS_ERROR_MISSING);
  }

  g_string_free (content, TRUE);
}


/*
 * Meetings
 */

static void
test_meetings (void)
{
  g_autoptr(IhStore) store = open_store ("meetings.db");
  g_autoptr(IhInsight) story = ih_insight_new ();
  g_autoptr(IhMeeting) board = NULL;
  g_autoptr(IhMeeting) loaded = NULL;
  g_autoptr(GPtrArray) questions = NULL;
  g_autoptr(GError) error = NULL;
  const char *asked[] = { "Why did the minor injuries unit close at night?",
                          "When will the discharge lounge open?" };

  story->text = g_strdup ("My father waited three days to go home from hospital.");
  story->kind = g_strdup ("story");
  ih_store_save (store, story, &error);
  g_assert_no_error (error);

  board = ih_meeting_new ();
  board->body = g_strdup ("ICB Board");
  board->title = g_strdup ("Meeting in public");
  board->date = g_strdup ("2026-03-05");
  board->place = g_strdup ("Shire Hall, Gloucester");
  board->livestream_url = g_strdup ("https://example.nhs.uk/live");
  board->agenda = g_strsplit ("Welcome and apologies\nPatient story\nQuestions from the public\nDischarge improvement plan", "\n", -1);
  board->story_insight_id = g_strdup (story->parent.id);
  ih_store_save (store, board, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (asked); i++)
    {
      g_autoptr(IhQuestion) q = ih_question_new ();

      q->question = g_strdup (asked[i]);
      q->meeting_id = g_strdup (board->parent.id);
      q->asked_by = g_strdup (i == 0 ? "A resident of Stroud" : NULL);
      q->asked_date = g_strdup (i == 0 ? "2026-02-20" : "2026-02-25");
      q->answer = i == 0 ? g_strdup ("Staffing; it reopens in May.") : NULL;
      ih_store_save (store, q, &error);
      g_assert_no_error (error);
    }

  loaded = ih_store_load (store, &ih_meeting_class, board->parent.id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->body, ==, "ICB Board");
  g_assert_cmpstr (loaded->place, ==, "Shire Hall, Gloucester");
  g_assert_cmpstr (loaded->livestream_url, ==, "https://example.nhs.uk/live");
  g_assert_cmpstr (loaded->story_insight_id, ==, story->parent.id);
  g_assert_cmpuint (g_strv_length (loaded->agenda), ==, 4);
  g_assert_cmpstr (loaded->agenda[3], ==, "Discharge improvement plan");

  questions = ih_papers_list_questions (store, board->parent.id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (questions->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (((IhQuestion *) questions->pdata[i])->question, ==, asked[i]);
  g_assert_cmpstr (((IhQuestion *) questions->pdata[0])->answer, ==, "Staffing; it reopens in May.");
  g_assert_null (((IhQuestion *) questions->pdata[1])->answer);

  /* A question needs its meeting, and a meeting that exists */
  {
    g_autoptr(IhQuestion) orphan = ih_question_new ();

    orphan->question = g_strdup ("Who is this for?");
    g_assert_false (ih_store_save (store, orphan, &error));
    g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID);
    g_clear_error (&error);
    orphan->meeting_id = g_strdup ("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
    g_assert_false (ih_store_save (store, orphan, &error));
    g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }

  /* Available offline is remembered per meeting */
  g_assert_false (ih_papers_get_meeting_offline (store, board->parent.id));
  g_assert_true (ih_papers_set_meeting_offline (store, board->parent.id, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (ih_papers_get_meeting_offline (store, board->parent.id));
  g_assert_true (ih_papers_set_meeting_offline (store, board->parent.id, TRUE, &error));
  g_assert_true (ih_papers_set_meeting_offline (store, board->parent.id, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (ih_papers_get_meeting_offline (store, board->parent.id));
  g_assert_false (ih_papers_set_meeting_offline (store, "1b4e28ba-2fa1-11d2-883f-0016d3cca427", TRUE, &error));
  g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_FOUND);
}

static void
test_meeting_order (void)
{
  g_autoptr(IhStore) store = open_store ("order.db");
  g_autoptr(GPtrArray) meetings = NULL;
  g_autoptr(GError) error = NULL;
  const char *dates[] = { "2026-01-10", "2026-06-01", NULL, "2026-03-05", "2025-11-20", "2026-03-04" };
  const char *expected[] = { "2026-03-05", "2026-06-01", "2026-03-04", "2026-01-10", "2025-11-20", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      g_autoptr(IhMeeting) m = save_meeting (store, "ICB Board", NULL, dates[i]);

      (void) m;
    }
  {
    g_autoptr(IhMeeting) gone = save_meeting (store, "Deleted", NULL, "2026-04-01");

    ih_store_delete (store, &ih_meeting_class, gone->parent.id, &error);
    g_assert_no_error (error);
  }

  /* "Today" is 5 March 2026: that meeting is upcoming, the day before is past */
  meetings = ih_papers_list_meetings (store, "2026-03-05", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (meetings->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < meetings->len; i++)
    g_assert_cmpstr (((IhMeeting *) meetings->pdata[i])->date, ==, expected[i]);
}


/*
 * Papers and their page index
 */

static void
test_page_index (void)
{
  g_autoptr(IhStore) store = open_store ("index.db");
  g_autoptr(IhMeeting) board = save_meeting (store, "ICB Board", "Meeting in public", "2026-03-05");
  g_autoptr(IhPaper) paper = ih_paper_new ();
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  IhPaperHit *hit;

  paper->title = g_strdup ("Urgent care report");
  paper->meeting_id = g_strdup (board->parent.id);
  paper->file_name = g_strdup ("urgent-care.pdf");
  paper->sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "urgent care", -1);
  pages = texts ("Contents and summary of the report",
                 "Delayed discharge from community hospitals rose in winter.",
                 "Waiting times in emergency departments", NULL);
  g_assert_true (ih_papers_save (store, paper, pages, &error));
  g_assert_no_error (error);
  g_assert_cmpint (paper->page_count, ==, 3);
  assert_index_in_step (store);

  /* Found on its page, with the word marked; stemming as for insight */
  hits = search (store, "discharges");
  g_assert_cmpuint (hits->len, ==, 1);
  hit = hits->pdata[0];
  g_assert_cmpstr (hit->paper_id, ==, paper->parent.id);
  g_assert_cmpstr (hit->paper_title, ==, "Urgent care report");
  g_assert_cmpstr (hit->meeting_id, ==, board->parent.id);
  g_assert_cmpstr (hit->meeting_date, ==, "2026-03-05");
  g_assert_nonnull (strstr (hit->meeting_label, "ICB Board"));
  g_assert_cmpint (hit->page, ==, 2);
  g_assert_nonnull (strstr (hit->snippet, IH_HIT_MARK_START "discharge" IH_HIT_MARK_END));
  g_clear_pointer (&hits, g_ptr_array_unref);

  {
    g_autofree char *text = ih_papers_get_page_text (store, paper->parent.id, 3, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (text, ==, "Waiting times in emergency departments");
    g_assert_null (ih_papers_get_page_text (store, paper->parent.id, 4, &error));
    g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* Search-as-you-type prefixes, and ranking: the page with the word
   * twice comes first */
  {
    g_autoptr(IhPaper) second = ih_paper_new ();
    g_autoptr(GPtrArray) more = texts ("Waiting, waiting and waiting: patients waiting at home", NULL);

    second->title = g_strdup ("Patient experience");
    g_assert_true (ih_papers_save (store, second, more, &error));
    g_assert_no_error (error);
    hits = ih_papers_search (store, "wait", IH_QUERY_FLAG_PREFIX_LAST, 0, 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 2);
    g_assert_cmpstr (((IhPaperHit *) hits->pdata[0])->paper_id, ==, second->parent.id);
    g_assert_null (((IhPaperHit *) hits->pdata[0])->meeting_id);
    g_assert_cmpfloat (((IhPaperHit *) hits->pdata[0])->score, <=,
                       ((IhPaperHit *) hits->pdata[1])->score);
    g_clear_pointer (&hits, g_ptr_array_unref);

    /* Limit and offset page through the results */
    hits = ih_papers_search (store, "waiting", IH_QUERY_FLAG_NONE, 1, 10, &error);
    g_assert_cmpuint (hits->len, ==, 1);
    g_assert_cmpstr (((IhPaperHit *) hits->pdata[0])->paper_id, ==, paper->parent.id);
    g_clear_pointer (&hits, g_ptr_array_unref);
  }

  /* The paper and meeting titles count as context of the first page */
  hits = search (store, "urgent");
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (((IhPaperHit *) hits->pdata[0])->page, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Replacing the pages replaces what is found */
  g_clear_pointer (&pages, g_ptr_array_unref);
  pages = texts ("Contents", "Hospital flow and bed occupancy", NULL);
  g_assert_true (ih_papers_save (store, paper, pages, &error));
  g_assert_cmpint (paper->page_count, ==, 2);
  hits = search (store, "discharge");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (store, "occupancy");
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);
  assert_index_in_step (store);

  /* Saving the record alone keeps the pages; a new title is searchable */
  g_free (paper->title);
  paper->title = g_strdup ("Flow report");
  g_assert_true (ih_papers_save (store, paper, NULL, &error));
  g_assert_no_error (error);
  hits = search (store, "flow report");
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (store, "urgent");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  assert_index_in_step (store);

  /* So is the meeting's new title */
  g_free (board->title);
  board->title = g_strdup ("Extraordinary meeting");
  ih_store_save (store, board, &error);
  g_assert_no_error (error);
  hits = search (store, "extraordinary");
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);
  assert_index_in_step (store);

  /* A tombstone leaves the index, bringing it back returns it */
  ih_store_delete (store, &ih_paper_class, paper->parent.id, &error);
  g_assert_no_error (error);
  hits = search (store, "occupancy");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  assert_index_in_step (store);
  {
    g_autoptr(IhPaper) undeleted = ih_store_load (store, &ih_paper_class, paper->parent.id, &error);

    g_assert_no_error (error);
    undeleted->parent.deleted = FALSE;
    g_assert_true (ih_store_save (store, undeleted, &error));
    hits = search (store, "occupancy");
    g_assert_cmpuint (hits->len, ==, 1);
    g_clear_pointer (&hits, g_ptr_array_unref);
  }

  /* A record removed outright takes its pages with it */
  _ih_store_lock (store);
  g_assert_cmpint (sqlite3_exec (_ih_store_get_db (store), "DELETE FROM paper WHERE title = 'Patient experience'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  _ih_store_unlock (store);
  hits = search (store, "waiting");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  assert_index_in_step (store);

  /* The index check the store runs on the insight index still passes */
  g_assert_true (_ih_store_check_index (store, &error));
  g_assert_no_error (error);
}

static void
test_save_is_atomic (void)
{
  g_autoptr(IhStore) store = open_store ("atomic.db");
  g_autoptr(IhPaper) paper = ih_paper_new ();
  g_autoptr(GPtrArray) pages = texts ("Fine first page", "bad \xff\xfe text", NULL);
  g_autoptr(GError) error = NULL;

  paper->title = g_strdup ("Half a paper");
  g_assert_false (ih_papers_save (store, paper, pages, &error));
  g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "page 2"));
  g_clear_error (&error);
  g_assert_false (ih_store_exists (store, &ih_paper_class, paper->parent.id));
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM paper_page"), ==, 0);
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM paper_fts"), ==, 0);

  /* A malformed hash is refused before anything is written */
  g_ptr_array_remove_index (pages, 1);
  paper->sha256 = g_strdup ("../../etc/passwd");
  g_assert_false (ih_papers_save (store, paper, pages, &error));
  g_assert_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID);
  g_assert_false (ih_store_exists (store, &ih_paper_class, paper->parent.id));
}

static void
test_search_filters (void)
{
  g_autoptr(IhStore) store = open_store ("filters.db");
  g_autoptr(IhMeeting) march = save_meeting (store, "ICB Board", NULL, "2026-03-05");
  g_autoptr(IhMeeting) june = save_meeting (store, "Stroud locality partnership", NULL, "2026-06-10");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  IhMeeting *meetings[] = { march, june };

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(IhPaper) paper = ih_paper_new ();
      g_autoptr(GPtrArray) pages = texts ("Discharge to assess", NULL);

      paper->title = g_strdup_printf ("Paper %u", i);
      paper->meeting_id = g_strdup (meetings[i]->parent.id);
      g_assert_true (ih_papers_save (store, paper, pages, &error));
      g_assert_no_error (error);
    }

  hits = search (store, "discharge after:2026-04-01");
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((IhPaperHit *) hits->pdata[0])->meeting_id, ==, june->parent.id);
  g_clear_pointer (&hits, g_ptr_array_unref);

  hits = search (store, "discharge before:2026-04-01");
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((IhPaperHit *) hits->pdata[0])->meeting_id, ==, march->parent.id);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Only dates: every page in range */
  hits = search (store, "after:2026-01-01");
  g_assert_cmpuint (hits->len, ==, 2);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Insight filters find no pages; leaving them out excludes none */
  hits = search (store, "discharge kind:workshop");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (store, "discharge -kind:workshop");
  g_assert_cmpuint (hits->len, ==, 2);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (store, "has:paper");
  g_assert_cmpuint (hits->len, ==, 2);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (store, "discharge -assess");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (store, "\"to assess\" OR nothingatall");
  g_assert_cmpuint (hits->len, ==, 2);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (store, "");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Bad syntax gets the query language's message */
  g_assert_null (ih_papers_search (store, "discharge colour:red", IH_QUERY_FLAG_NONE, 0, 10, &error));
  g_assert_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_UNKNOWN_FILTER);
}

static void
test_missing_blob (void)
{
  g_autoptr(IhStore) store = open_store ("missing/insight-hub.db");
  g_autoptr(IhBlobs) blobs = ih_papers_get_blobs (store);
  g_autoptr(IhPaper) paper = ih_paper_new ();
  g_autoptr(IhPaper) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *source = temp_path ("missing/source.pdf");
  g_autofree char *sha = NULL;
  g_autofree char *path = NULL;

  g_assert_true (g_file_set_contents (source, "%PDF-1.4 pretend", -1, NULL));
  paper->title = g_strdup ("Finance report");
  paper->sha256 = ih_blobs_hash_file (source, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ih_papers_save (store, paper, NULL, &error));

  /* Synced from another computer: the record is here, the file is not */
  g_assert_null (ih_papers_get_file (store, paper, &error));
  g_assert_error (error, IH_BLOBS_ERROR, IH_BLOBS_ERROR_MISSING);
  g_assert_nonnull (strstr (error->message, "not on this computer"));
  g_assert_nonnull (strstr (error->message, "Finance report"));
  g_clear_error (&error);

  sha = ih_blobs_add_file (blobs, source, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sha, ==, paper->sha256);
  path = ih_papers_get_file (store, paper, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (path, ih_blobs_get_folder (blobs)));

  found = ih_papers_find_by_sha256 (store, sha, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->parent.id, ==, paper->parent.id);
  g_assert_null (ih_papers_find_by_sha256 (store, "not-a-hash", &error));
  g_assert_no_error (error);
}

/* A file written by version 2, with a paper and its pages, upgrades to
 * version 3 and its pages become searchable */
static void
test_upgrade_from_v2 (void)
{
  g_autofree char *path = temp_path ("v2.db");
  g_autoptr(IhStore) store = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(IhMeeting) meeting = NULL;
  g_autoptr(GError) error = NULL;

  store = _ih_store_open_at_version (path, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ih_store_get_schema_version (store), ==, 2);
  _ih_store_lock (store);
  g_assert_cmpint (sqlite3_exec (_ih_store_get_db (store),
                                 "INSERT INTO meeting (rid, id, created_at, updated_at, body, date)"
                                 "  VALUES (1, 'a0000000-0000-4000-8000-000000000001', 1, 1, 'ICB Board', '2025-05-01');"
                                 "INSERT INTO paper (rid, id, created_at, updated_at, meeting_rid, title, page_count)"
                                 "  VALUES (1, 'a0000000-0000-4000-8000-000000000002', 1, 1, 1, 'Old paper', 2);"
                                 "INSERT INTO paper (rid, id, created_at, updated_at, deleted, title)"
                                 "  VALUES (2, 'a0000000-0000-4000-8000-000000000003', 1, 1, 1, 'Deleted paper');"
                                 "INSERT INTO paper_page (paper_rid, page, text) VALUES"
                                 "  (1, 1, 'Front page'), (1, 2, 'Discharge planning'), (2, 1, 'Discharge too');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  _ih_store_unlock (store);
  g_clear_object (&store);

  store = ih_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ih_store_get_schema_version (store), ==, IH_STORE_SCHEMA_VERSION);
  assert_index_in_step (store);
  hits = search (store, "discharge");
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (((IhPaperHit *) hits->pdata[0])->page, ==, 2);
  g_assert_cmpstr (((IhPaperHit *) hits->pdata[0])->paper_title, ==, "Old paper");

  /* The old meeting loads with the new fields empty */
  meeting = ih_store_load (store, &ih_meeting_class, "a0000000-0000-4000-8000-000000000001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (meeting->body, ==, "ICB Board");
  g_assert_null (meeting->story_insight_id);
  g_assert_true (meeting->agenda == NULL || meeting->agenda[0] == NULL);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/papers/blobs", test_blobs);
  g_test_add_func ("/papers/meetings", test_meetings);
  g_test_add_func ("/papers/meetings/upcoming-first", test_meeting_order);
  g_test_add_func ("/papers/index", test_page_index);
  g_test_add_func ("/papers/save-is-atomic", test_save_is_atomic);
  g_test_add_func ("/papers/search-filters", test_search_filters);
  g_test_add_func ("/papers/missing-blob", test_missing_blob);
  g_test_add_func ("/papers/upgrade-from-v2", test_upgrade_from_v2);

  return g_test_run ();
}
