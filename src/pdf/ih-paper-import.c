/* ih-paper-import.c — adding a PDF file to the store as a board paper
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-paper-import"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ih-paper-import.h"
#include "ih-papers.h"
#include "ih-papers-schema.h"
#include "ih-pdf.h"

/* Titles that word processors write into PDFs and nobody chose */
static gboolean
is_useful_title (const char *title)
{
  g_autofree char *folded = NULL;
  static const char * const junk[] = {
    ".doc", ".ppt", ".xls", ".odt", ".rtf", ".pdf", "microsoft ", "untitled", "document1",
  };

  if (title == NULL || g_utf8_strlen (title, -1) < 3)
    return FALSE;

  folded = g_utf8_casefold (title, -1);
  for (guint i = 0; i < G_N_ELEMENTS (junk); i++)
    if (strstr (folded, junk[i]) != NULL)
      return FALSE;

  return TRUE;
}

/* "07 Discharge_improvement-plan.pdf" → "07 Discharge improvement plan" */
static char *
title_from_file_name (const char *path)
{
  g_autofree char *name = g_filename_display_basename (path);
  GString *title = g_string_new (NULL);
  gsize len = strlen (name);

  if (len > 4 && g_ascii_strcasecmp (name + len - 4, ".pdf") == 0)
    name[len - 4] = '\0';

  for (const char *p = name; *p != '\0'; p++)
    g_string_append_c (title, (*p == '_' || *p == '-') ? ' ' : *p);
  g_strstrip (title->str);

  if (title->str[0] == '\0')
    g_string_assign (title, name);
  return g_string_free (title, FALSE);
}

IhPaper *
ih_paper_add_file (IhStore           *store,
                   const char        *path,
                   const char        *meeting_id,
                   const char        *title,
                   const char        *password,
                   IhProgressFunc     progress,
                   gpointer           user_data,
                   IhPaperAddResult  *result,
                   GCancellable      *cancellable,
                   GError           **error)
{
  g_autoptr(IhPdfDocument) document = NULL;
  g_autoptr(IhBlobs) blobs = NULL;
  g_autoptr(IhPaper) paper = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *name = NULL;
  GStatBuf st;
  int n_pages;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (result != NULL)
    *result = IH_PAPER_ADDED;

  if (meeting_id != NULL && !ih_store_exists (store, &ih_meeting_class, meeting_id))
    {
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_FOUND,
                   _("There is no meeting “%s” (see “insight-hub-cli meeting list”)"), meeting_id);
      return NULL;
    }

  /* A bad file is refused before anything is written */
  document = ih_pdf_document_open (path, password, cancellable, error);
  if (document == NULL)
    return NULL;

  n_pages = ih_pdf_document_get_n_pages (document);
  name = g_filename_display_basename (path);
  if (n_pages > IH_PAPER_MAX_PAGES)
    {
      g_set_error (error, IH_PDF_ERROR, IH_PDF_ERROR_TOO_LARGE,
                   _("“%s” has %d pages, more than the %d a paper may have"),
                   name, n_pages, IH_PAPER_MAX_PAGES);
      return NULL;
    }

  sha256 = ih_blobs_hash_file (path, cancellable, error);
  if (sha256 == NULL)
    return NULL;

  blobs = ih_papers_get_blobs (store);

  paper = ih_papers_find_by_sha256 (store, sha256, error);
  if (paper != NULL)
    {
      /* Known already (perhaps from another computer): make sure the file is here too */
      if (!ih_blobs_has (blobs, sha256))
        {
          stored = ih_blobs_add_file (blobs, path, NULL, cancellable, error);
          if (stored == NULL)
            return NULL;
        }
      if (result != NULL)
        *result = IH_PAPER_ALREADY_PRESENT;
      return g_steal_pointer (&paper);
    }
  if (error != NULL && *error != NULL)
    return NULL;

  texts = ih_pdf_document_extract_text (document, progress, user_data, cancellable, error);
  if (texts == NULL)
    return NULL;

  stored = ih_blobs_add_file (blobs, path, NULL, cancellable, error);
  if (stored == NULL)
    return NULL;
  if (strcmp (stored, sha256) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("“%s” changed while it was being added; add it again"), name);
      return NULL;
    }

  paper = ih_paper_new ();
  if (title != NULL && title[0] != '\0')
    paper->title = g_strdup (title);
  else
    {
      g_autofree char *own = ih_pdf_document_dup_title (document);

      paper->title = is_useful_title (own) ? g_steal_pointer (&own) : title_from_file_name (path);
    }
  paper->meeting_id = g_strdup (meeting_id);
  paper->file_name = g_strdup (name);
  paper->sha256 = g_strdup (sha256);
  paper->size = g_stat (path, &st) == 0 ? (gint64) st.st_size : -1;

  if (!ih_papers_save (store, paper, texts, error))
    return NULL;

  return g_steal_pointer (&paper);
}


/*
 * In a worker thread
 */

typedef struct
{
  IhStore        *store;
  char           *path;
  char           *meeting_id;
  char           *title;
  char           *password;
  IhProgressFunc  progress;
  gpointer        progress_data;
  GMainContext   *context;
  gint64          last_report;
  IhPaperAddResult result;
} AddData;

static void
add_data_free (AddData *data)
{
  g_clear_object (&data->store);
  g_free (data->path);
  g_free (data->meeting_id);
  g_free (data->title);
  if (data->password != NULL)
    explicit_bzero (data->password, strlen (data->password));
  g_free (data->password);
  g_clear_pointer (&data->context, g_main_context_unref);
  g_free (data);
}

typedef struct
{
  GTask   *task;
  guint64  done;
  guint64  total;
} Report;

static gboolean
deliver_report (gpointer user_data)
{
  Report *report = user_data;
  AddData *data = g_task_get_task_data (report->task);

  if (!g_task_get_completed (report->task))
    data->progress (report->done, report->total, data->progress_data);
  return G_SOURCE_REMOVE;
}

static void
report_free (Report *report)
{
  g_object_unref (report->task);
  g_free (report);
}

/* In the worker: passes progress to the caller's thread, ten times a second at most */
static gboolean
forward_progress (guint64  done,
                  guint64  total,
                  gpointer user_data)
{
  GTask *task = user_data;
  AddData *data = g_task_get_task_data (task);
  gint64 now = g_get_monotonic_time ();
  Report *report;

  if (done < total && now - data->last_report < G_USEC_PER_SEC / 10)
    return TRUE;
  data->last_report = now;

  report = g_new0 (Report, 1);
  report->task = g_object_ref (task);
  report->done = done;
  report->total = total;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, deliver_report, report,
                              (GDestroyNotify) report_free);
  return TRUE;
}

static void
add_worker (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  AddData *data = task_data;
  GError *error = NULL;
  IhPaper *paper;

  paper = ih_paper_add_file (data->store, data->path, data->meeting_id, data->title,
                             data->password, data->progress ? forward_progress : NULL, task,
                             &data->result, cancellable, &error);
  if (paper == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, paper, ih_record_free);
}

void
ih_paper_add_file_async (IhStore             *store,
                         const char          *path,
                         const char          *meeting_id,
                         const char          *title,
                         const char          *password,
                         IhProgressFunc       progress,
                         gpointer             progress_data,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AddData *data;

  g_return_if_fail (IH_IS_STORE (store));
  g_return_if_fail (path != NULL);

  data = g_new0 (AddData, 1);
  data->store = g_object_ref (store);
  data->path = g_strdup (path);
  data->meeting_id = g_strdup (meeting_id);
  data->title = g_strdup (title);
  data->password = g_strdup (password);
  data->progress = progress;
  data->progress_data = progress_data;
  data->context = g_main_context_ref_thread_default ();

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ih_paper_add_file_async);
  g_task_set_task_data (task, data, (GDestroyNotify) add_data_free);
  g_task_run_in_thread (task, add_worker);
}

IhPaper *
ih_paper_add_file_finish (GAsyncResult      *result,
                          IhPaperAddResult  *add_result,
                          GError           **error)
{
  AddData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (add_result != NULL)
    *add_result = data->result;

  return g_task_propagate_pointer (G_TASK (result), error);
}
