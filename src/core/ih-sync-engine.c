/* ih-sync-engine.c — one sync run: push the outbox, pull the feed in
 * batches, off the main thread, over any transport
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-sync-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ih-blobs.h"
#include "ih-papers.h"
#include "ih-store-private.h"
#include "ih-sync-engine.h"
#include "ih-sync-private.h"
#include "ih-sync-server.h"

#define DEFAULT_BATCH   500
/* A first sync (no cursor yet) asks for as many as the server gives */
#define FIRST_BATCH     IH_SYNC_MAX_LIMIT
/* Batches fetched and prepared ahead of the one being applied */
#define PREFETCH        2
#define FIRST_DELAY_MS  2000
#define MAX_DELAY_MS    (10 * 60 * 1000)

struct _IhSyncEngine
{
  GObject          parent_instance;

  IhStore         *store;
  IhSyncTransport  transport;
  gpointer         transport_data;
  GDestroyNotify   transport_destroy;
  guint            batch_size;  /* 0: DEFAULT_BATCH, or FIRST_BATCH for a first sync */
  gboolean         sequential;  /* benchmarks: no fetching ahead, no first-sync log handling */

  GMutex           mutex;       /* guards what follows */
  gboolean         running;
  guint            failures;
  GRand           *rand;
};

G_DEFINE_FINAL_TYPE (IhSyncEngine, ih_sync_engine, G_TYPE_OBJECT)

enum {
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  IhSyncEngine *engine;
  GMainContext *context;        /* where "progress" is emitted, or NULL: here */
} Run;

typedef struct
{
  IhSyncEngine *engine;
  const char   *phase;
  guint         done;
} Progress;

static gboolean
emit_progress_cb (gpointer data)
{
  Progress *p = data;

  g_signal_emit (p->engine, signals[PROGRESS], 0, p->phase, p->done);
  g_object_unref (p->engine);
  g_free (p);
  return G_SOURCE_REMOVE;
}

static void
progress (Run        *run,
          const char *phase,
          guint       done)
{
  Progress *p = g_new0 (Progress, 1);

  p->engine = g_object_ref (run->engine);
  p->phase = phase;
  p->done = done;
  if (run->context != NULL)
    g_main_context_invoke (run->context, emit_progress_cb, p);
  else
    emit_progress_cb (p);
}

static void
count_results (JsonObject    *reply,
               IhSyncSummary *summary)
{
  JsonArray *results;

  if (!json_object_has_member (reply, "results"))
    return;
  results = json_object_get_array_member (reply, "results");
  for (guint i = 0; results && i < json_array_get_length (results); i++)
    {
      JsonObject *r = json_array_get_object_element (results, i);
      const char *status = r ? json_object_get_string_member_with_default (r, "status", "") : "";

      if (strcmp (status, "refused") == 0)
        {
          /* Waiting for a record the server lacks is not a refusal */
          if (strcmp (json_object_get_string_member_with_default (r, "reason", ""), "missing-reference") != 0)
            summary->refused++;
        }
      else
        summary->pushed++;
    }
}

static gboolean pull_all (Run *run, IhSyncSummary *summary, GCancellable *cancellable, GError **error);

/* Pushes until nothing is pending, or until a round makes no progress
 * (changes waiting for a record the server does not have yet). */
static gboolean
push_all (Run            *run,
          IhSyncSummary  *summary,
          gboolean        may_pull,
          GCancellable   *cancellable,
          GError        **error)
{
  IhSyncEngine *self = run->engine;
  gint64 pending = G_MAXINT64;

  for (;;)
    {
      g_autoptr(JsonObject) request = NULL;
      g_autoptr(JsonObject) reply = NULL;
      g_autoptr(GError) local_error = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      request = ih_sync_take_outbox (self->store,
                                     self->batch_size ? MIN (self->batch_size, IH_SYNC_MAX_PUSH) : DEFAULT_BATCH,
                                     error);
      if (request == NULL)
        return FALSE;
      if (json_array_get_length (json_object_get_array_member (request, "changes")) == 0)
        return TRUE;

      reply = self->transport.push (self->transport_data, request, cancellable, &local_error);
      if (reply == NULL)
        {
          /* The server was restored: learn its epoch from the feed, which
           * queues everything again, then push that */
          if (may_pull && g_error_matches (local_error, IH_SYNC_ERROR, IH_SYNC_ERROR_EPOCH))
            return pull_all (run, summary, cancellable, error);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!ih_sync_push_done (self->store, reply, error))
        return FALSE;
      count_results (reply, summary);
      progress (run, "push", summary->pushed + summary->refused);

      if (ih_sync_count_pending (self->store) >= pending)
        return TRUE;
      pending = ih_sync_count_pending (self->store);
      if (pending == 0)
        return TRUE;
    }
}

/*
 * Pulling: while one batch is applied (and committed with its cursor) in
 * the run's thread, a fetcher thread asks for the next one from the
 * cursor the server gave and turns it into records. A batch is applied
 * only if it was asked for from the cursor the store holds, so the
 * cursor still moves only in the transaction of its batch; what was
 * fetched ahead and not applied when a run stops is dropped, and asked
 * for again next time.
 */

typedef struct
{
  gint64        since;          /* the cursor it was asked for from */
  IhSyncPulled *pulled;         /* or NULL with error */
  GError       *error;
} Fetched;

static void
fetched_free (Fetched *item)
{
  if (item == NULL)
    return;
  _ih_sync_pulled_free (item->pulled);
  g_clear_error (&item->error);
  g_free (item);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetched, fetched_free)

typedef struct
{
  IhSyncEngine *engine;
  guint         limit;
  GCancellable *cancellable;    /* ours, cancelled to stop it */
  GCancellable *outer;          /* the run's, which cancels ours */
  gulong        outer_id;
  GMutex        mutex;          /* guards what follows */
  GCond         cond;
  GQueue        ready;          /* Fetched, at most PREFETCH */
  GQueue        used;           /* IhSyncPulled applied, for the thread to free */
  gint64        since;
  gboolean      stop;
  gboolean      finished;       /* the thread has queued its last item */
  GThread      *thread;
} Fetcher;

/* Asks for one batch and prepares it; NULL only with @error set */
static IhSyncPulled *
fetch_batch (IhSyncEngine  *self,
             gint64         since,
             guint          limit,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(JsonObject) batch = NULL;

  batch = self->transport.changes (self->transport_data, since, limit, cancellable, error);
  if (batch == NULL)
    return NULL;
  return _ih_sync_pull_prepare (batch, error);
}

static gpointer
fetcher_thread (gpointer data)
{
  Fetcher *f = data;
  gint64 since = f->since;

  for (;;)
    {
      GQueue used = G_QUEUE_INIT;
      Fetched *item;
      gboolean go_on;

      g_mutex_lock (&f->mutex);
      while (!f->stop && f->ready.length >= PREFETCH)
        g_cond_wait (&f->cond, &f->mutex);
      go_on = !f->stop;
      used = f->used;
      g_queue_init (&f->used);
      g_mutex_unlock (&f->mutex);
      /* Freed by the thread that made them: with glibc each thread
       * allocates from its own arena, and freeing into another thread's
       * arena costs the applying thread locks and fragmentation */
      g_queue_clear_full (&used, (GDestroyNotify) _ih_sync_pulled_free);
      if (!go_on)
        break;

      item = g_new0 (Fetched, 1);
      item->since = since;
      item->pulled = fetch_batch (f->engine, since, f->limit, f->cancellable, &item->error);
      go_on = item->pulled != NULL && _ih_sync_pulled_get_more (item->pulled);
      if (item->pulled != NULL)
        since = _ih_sync_pulled_get_cursor (item->pulled);

      g_mutex_lock (&f->mutex);
      g_queue_push_tail (&f->ready, item);
      g_cond_broadcast (&f->cond);
      g_mutex_unlock (&f->mutex);
      if (!go_on)
        break;
    }

  g_mutex_lock (&f->mutex);
  f->finished = TRUE;
  g_cond_broadcast (&f->cond);
  g_mutex_unlock (&f->mutex);
  return NULL;
}

static void
fetcher_cancel_cb (GCancellable *outer,
                   gpointer      data)
{
  g_cancellable_cancel (data);
}

static Fetcher *
fetcher_start (IhSyncEngine *self,
               gint64        since,
               guint         limit,
               GCancellable *outer)
{
  Fetcher *f = g_new0 (Fetcher, 1);

  f->engine = self;
  f->limit = limit;
  f->since = since;
  f->cancellable = g_cancellable_new ();
  g_mutex_init (&f->mutex);
  g_cond_init (&f->cond);
  g_queue_init (&f->ready);
  g_queue_init (&f->used);
  if (outer != NULL)
    {
      f->outer = g_object_ref (outer);
      f->outer_id = g_cancellable_connect (outer, G_CALLBACK (fetcher_cancel_cb), f->cancellable, NULL);
    }
  f->thread = g_thread_new ("ih-sync-fetch", fetcher_thread, f);
  return f;
}

/* The next batch in order, or NULL when the thread stopped without one */
static Fetched *
fetcher_next (Fetcher *f)
{
  Fetched *item;

  g_mutex_lock (&f->mutex);
  while (f->ready.length == 0 && !f->finished)
    g_cond_wait (&f->cond, &f->mutex);
  item = g_queue_pop_head (&f->ready);
  g_cond_broadcast (&f->cond);
  g_mutex_unlock (&f->mutex);
  return item;
}

/* Hands an applied batch back to the thread to free */
static void
fetcher_recycle (Fetcher      *f,
                 IhSyncPulled *pulled)
{
  g_mutex_lock (&f->mutex);
  g_queue_push_tail (&f->used, pulled);
  g_mutex_unlock (&f->mutex);
}

/* Stops the thread and drops what it fetched ahead */
static void
fetcher_stop (Fetcher *f)
{
  if (f == NULL)
    return;

  g_mutex_lock (&f->mutex);
  f->stop = TRUE;
  g_cond_broadcast (&f->cond);
  g_mutex_unlock (&f->mutex);
  g_cancellable_cancel (f->cancellable);
  g_thread_join (f->thread);

  if (f->outer != NULL)
    {
      g_cancellable_disconnect (f->outer, f->outer_id);
      g_object_unref (f->outer);
    }
  g_queue_clear_full (&f->ready, (GDestroyNotify) fetched_free);
  g_queue_clear_full (&f->used, (GDestroyNotify) _ih_sync_pulled_free);
  g_object_unref (f->cancellable);
  g_mutex_clear (&f->mutex);
  g_cond_clear (&f->cond);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetcher, fetcher_stop)

static gboolean pull_batches (Run *run, IhSyncSummary *summary, gint64 cursor, guint limit,
                              GCancellable *cancellable, GError **error);

static gboolean
pull_all (Run            *run,
          IhSyncSummary  *summary,
          GCancellable   *cancellable,
          GError        **error)
{
  IhSyncEngine *self = run->engine;
  gint64 cursor = ih_sync_get_cursor (self->store);
  guint limit = self->batch_size ? self->batch_size : cursor == 0 ? FIRST_BATCH : DEFAULT_BATCH;
  gboolean ok;

  if (cursor != 0 || self->sequential)
    return pull_batches (run, summary, cursor, limit, cancellable, error);

  _ih_store_bulk_begin (self->store, 0);
  ok = pull_batches (run, summary, cursor, limit, cancellable, error);
  _ih_store_bulk_end (self->store);
  return ok;
}

static gboolean
pull_batches (Run            *run,
              IhSyncSummary  *summary,
              gint64          cursor,
              guint           limit,
              GCancellable   *cancellable,
              GError        **error)
{
  IhSyncEngine *self = run->engine;
  g_autoptr(Fetcher) fetcher = NULL;
  guint epochs = 0;

  for (;;)
    {
      g_autoptr(IhSyncPulled) pulled = NULL;
      IhSyncStats stats = { 0 };

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (fetcher != NULL)
        {
          g_autoptr(Fetched) item = fetcher_next (fetcher);

          if (item == NULL || item->since != cursor)
            {
              /* Not from the cursor the store holds: ask again from it */
              g_clear_pointer (&fetcher, fetcher_stop);
              continue;
            }
          if (item->pulled == NULL)
            {
              g_propagate_error (error, g_steal_pointer (&item->error));
              return FALSE;
            }
          pulled = g_steal_pointer (&item->pulled);
        }
      else
        {
          /* Nothing is applied until the first batch is in: unless a size
           * was set, it is a small one, and the large ones follow while it
           * is applied */
          pulled = fetch_batch (self, cursor, self->batch_size ? limit : MIN (limit, DEFAULT_BATCH),
                                cancellable, error);
          if (pulled == NULL)
            return FALSE;
          /* More to come: fetch it while this one is applied */
          if (_ih_sync_pulled_get_more (pulled) && !self->sequential)
            fetcher = fetcher_start (self, _ih_sync_pulled_get_cursor (pulled), limit, cancellable);
        }

      /* The batch and its cursor are stored together: a run stopped here
       * goes on from this point next time */
      if (!_ih_sync_pull_apply (self->store, pulled, &stats, error))
        return FALSE;
      if (fetcher != NULL)
        fetcher_recycle (fetcher, g_steal_pointer (&pulled));
      summary->batches++;
      summary->pulled += stats.applied;
      summary->purged += stats.purged;
      summary->conflicts += stats.conflicts;
      progress (run, "pull", summary->pulled);
      cursor = stats.cursor;

      if (stats.epoch_changed)
        {
          /* What was fetched ahead belongs to the old epoch */
          g_clear_pointer (&fetcher, fetcher_stop);
          if (++epochs > 2)
            {
              g_set_error (error, IH_SYNC_ERROR, IH_SYNC_ERROR_EPOCH,
                           _("The server keeps changing its epoch; try again later"));
              return FALSE;
            }
          if (!push_all (run, summary, FALSE, cancellable, error))
            return FALSE;
          cursor = ih_sync_get_cursor (self->store);
        }
      if (!stats.more)
        return TRUE;
    }
}

/* The files of papers about to be pushed go first, so a paper never
 * reaches another laptop before its file can */
static gboolean
send_blobs (Run            *run,
            IhSyncSummary  *summary,
            GCancellable   *cancellable,
            GError        **error)
{
  IhSyncEngine *self = run->engine;
  g_auto(GStrv) hashes = NULL;
  g_autoptr(IhBlobs) blobs = NULL;

  if (self->transport.put_blob == NULL)
    return TRUE;
  hashes = _ih_sync_blobs_to_send (self->store);
  blobs = ih_papers_get_blobs (self->store);
  for (guint i = 0; hashes[i]; i++)
    {
      g_autofree char *path = ih_blobs_get_path (blobs, hashes[i], error);
      GError *local_error = NULL;

      if (path == NULL)
        return FALSE;
      if (!self->transport.put_blob (self->transport_data, hashes[i], path, cancellable, &local_error))
        {
          /* The account may not add files (a viewer): the paper's own
           * change is refused with the push and kept on this laptop, and
           * the pull still runs */
          if (g_error_matches (local_error, IH_SYNC_ERROR, IH_SYNC_ERROR_FORBIDDEN))
            {
              g_clear_error (&local_error);
              continue;
            }
          g_propagate_error (error, local_error);
          return FALSE;
        }
      summary->blobs_sent++;
      progress (run, "send", summary->blobs_sent);
    }
  return TRUE;
}

/* Downloads into blobs/partial/<sha256>, resuming what is there, then
 * adds the file to the blob store, which checks its hash */
static gboolean
fetch_blob (Run            *run,
            IhBlobs        *blobs,
            const char     *sha256,
            IhSyncSummary  *summary,
            GCancellable   *cancellable,
            GError        **error)
{
  IhSyncEngine *self = run->engine;
  g_autofree char *dir = g_build_filename (ih_blobs_get_folder (blobs), "partial", NULL);
  g_autofree char *name = g_strconcat (sha256, ".part", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) partial = g_file_new_for_path (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GFileInputStream) in = NULL;
      g_autofree char *added = NULL;

      if (!self->transport.get_blob (self->transport_data, sha256, partial, &summary->blob_bytes,
                                     cancellable, error))
        return FALSE;
      in = g_file_read (partial, cancellable, error);
      if (in == NULL)
        return FALSE;
      /* The store refuses bytes whose hash is not the expected one */
      added = ih_blobs_add_stream (blobs, G_INPUT_STREAM (in), sha256, NULL, cancellable, &local_error);
      g_input_stream_close (G_INPUT_STREAM (in), NULL, NULL);
      g_file_delete (partial, NULL, NULL);
      if (added != NULL)
        return TRUE;
      /* Damaged bytes (a bad partial file): once more from nothing */
      if (attempt > 0 || !g_error_matches (local_error, IH_BLOBS_ERROR, IH_BLOBS_ERROR_MISMATCH))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
}

static gboolean
fetch_blobs (Run            *run,
             IhSyncSummary  *summary,
             GCancellable   *cancellable,
             GError        **error)
{
  IhSyncEngine *self = run->engine;
  g_auto(GStrv) hashes = NULL;
  g_autoptr(IhBlobs) blobs = NULL;

  if (self->transport.get_blob == NULL)
    return TRUE;
  hashes = _ih_sync_blobs_to_fetch (self->store);
  blobs = ih_papers_get_blobs (self->store);
  for (guint i = 0; hashes[i]; i++)
    {
      if (!fetch_blob (run, blobs, hashes[i], summary, cancellable, error))
        return FALSE;
      summary->blobs_fetched++;
      progress (run, "fetch", summary->blobs_fetched);
    }
  return TRUE;
}

static gboolean
run_locked_out (IhSyncEngine *self,
                GError      **error)
{
  gboolean busy;

  g_mutex_lock (&self->mutex);
  busy = self->running;
  self->running = TRUE;
  g_mutex_unlock (&self->mutex);

  if (busy)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, _("A sync is already running"));
  return busy;
}

static gboolean
run_sync (Run            *run,
          IhSyncSummary  *summary,
          GCancellable   *cancellable,
          GError        **error)
{
  IhSyncEngine *self = run->engine;
  gboolean ok;

  memset (summary, 0, sizeof *summary);

  if (!ih_sync_is_set_up (self->store))
    {
      g_set_error (error, IH_SYNC_ERROR, IH_SYNC_ERROR_NOT_SET_UP,
                   _("This database is not set up to sync with a server"));
      ok = FALSE;
    }
  else
    ok = send_blobs (run, summary, cancellable, error) &&
         push_all (run, summary, TRUE, cancellable, error) &&
         pull_all (run, summary, cancellable, error) &&
         /* Anything the pull queued again (a restored server) goes now */
         push_all (run, summary, FALSE, cancellable, error) &&
         fetch_blobs (run, summary, cancellable, error);

  g_mutex_lock (&self->mutex);
  self->running = FALSE;
  if (ok)
    self->failures = 0;
  else if (!g_error_matches (error ? *error : NULL, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    self->failures++;
  g_mutex_unlock (&self->mutex);

  return ok;
}

gboolean
ih_sync_engine_run (IhSyncEngine   *self,
                    IhSyncSummary  *summary,
                    GCancellable   *cancellable,
                    GError        **error)
{
  IhSyncSummary local = { 0 };
  Run run = { self, NULL };
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (IH_IS_SYNC_ENGINE (self), FALSE);

  if (run_locked_out (self, error))
    return FALSE;
  ok = run_sync (&run, summary ? summary : &local, cancellable, &local_error);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

static void
run_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Run *run = task_data;
  IhSyncSummary *summary = g_new0 (IhSyncSummary, 1);
  GError *error = NULL;

  if (run_sync (run, summary, cancellable, &error))
    g_task_return_pointer (task, summary, g_free);
  else
    {
      g_free (summary);
      g_task_return_error (task, error);
    }
}

static void
run_free (gpointer data)
{
  Run *run = data;

  g_clear_pointer (&run->context, g_main_context_unref);
  g_free (run);
}

void
ih_sync_engine_run_async (IhSyncEngine        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Run *run;

  g_return_if_fail (IH_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ih_sync_engine_run_async);
  g_task_set_priority (task, G_PRIORITY_LOW);

  if (run_locked_out (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  run = g_new0 (Run, 1);
  run->engine = self;
  run->context = g_main_context_ref_thread_default ();
  g_task_set_task_data (task, run, run_free);
  g_task_run_in_thread (task, run_thread);
}

gboolean
ih_sync_engine_run_finish (IhSyncEngine   *self,
                           GAsyncResult   *result,
                           IhSyncSummary  *summary,
                           GError        **error)
{
  g_autofree IhSyncSummary *got = NULL;

  g_return_val_if_fail (IH_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  got = g_task_propagate_pointer (G_TASK (result), error);
  if (got == NULL)
    return FALSE;
  if (summary)
    *summary = *got;
  return TRUE;
}

gboolean
ih_sync_engine_is_running (IhSyncEngine *self)
{
  gboolean running;

  g_return_val_if_fail (IH_IS_SYNC_ENGINE (self), FALSE);

  g_mutex_lock (&self->mutex);
  running = self->running;
  g_mutex_unlock (&self->mutex);
  return running;
}

guint
ih_sync_engine_get_failures (IhSyncEngine *self)
{
  guint failures;

  g_return_val_if_fail (IH_IS_SYNC_ENGINE (self), 0);

  g_mutex_lock (&self->mutex);
  failures = self->failures;
  g_mutex_unlock (&self->mutex);
  return failures;
}

guint
ih_sync_engine_get_retry_delay (IhSyncEngine *self)
{
  guint64 delay = FIRST_DELAY_MS;
  double jitter;

  g_return_val_if_fail (IH_IS_SYNC_ENGINE (self), 0);

  g_mutex_lock (&self->mutex);
  if (self->failures == 0)
    {
      g_mutex_unlock (&self->mutex);
      return 0;
    }
  for (guint i = 1; i < self->failures && delay < MAX_DELAY_MS; i++)
    delay *= 2;
  delay = MIN (delay, MAX_DELAY_MS);
  jitter = g_rand_double_range (self->rand, 0.5, 1.5);
  g_mutex_unlock (&self->mutex);

  return (guint) (delay * jitter);
}

void
ih_sync_engine_set_seed (IhSyncEngine *self,
                         guint32       seed)
{
  g_return_if_fail (IH_IS_SYNC_ENGINE (self));

  g_mutex_lock (&self->mutex);
  g_rand_set_seed (self->rand, seed);
  g_mutex_unlock (&self->mutex);
}

void
ih_sync_engine_set_batch_size (IhSyncEngine *self,
                               guint         batch_size)
{
  g_return_if_fail (IH_IS_SYNC_ENGINE (self));
  g_return_if_fail (batch_size > 0 && batch_size <= IH_SYNC_MAX_LIMIT);

  self->batch_size = batch_size;
}

void
_ih_sync_engine_set_sequential (IhSyncEngine *self,
                                gboolean      sequential)
{
  g_return_if_fail (IH_IS_SYNC_ENGINE (self));

  self->sequential = sequential;
}

IhSyncEngine *
ih_sync_engine_new (IhStore               *store,
                    const IhSyncTransport *transport,
                    gpointer               transport_data,
                    GDestroyNotify         transport_destroy)
{
  IhSyncEngine *self;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  g_return_val_if_fail (transport != NULL && transport->push != NULL && transport->changes != NULL, NULL);

  self = g_object_new (IH_TYPE_SYNC_ENGINE, NULL);
  self->store = g_object_ref (store);
  self->transport = *transport;
  self->transport_data = transport_data;
  self->transport_destroy = transport_destroy;
  return self;
}

static void
ih_sync_engine_finalize (GObject *object)
{
  IhSyncEngine *self = (IhSyncEngine *) object;

  if (self->transport_destroy)
    self->transport_destroy (self->transport_data);
  g_clear_object (&self->store);
  g_clear_pointer (&self->rand, g_rand_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (ih_sync_engine_parent_class)->finalize (object);
}

static void
ih_sync_engine_class_init (IhSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ih_sync_engine_finalize;

  /**
   * IhSyncEngine::progress:
   * @phase: "send", "push", "pull" or "fetch"
   * @done: files sent, changes pushed, records pulled or files fetched
   *   so far in this run
   */
  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                    G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_UINT);
}

static void
ih_sync_engine_init (IhSyncEngine *self)
{
  g_mutex_init (&self->mutex);
  self->rand = g_rand_new ();
}
