/* ih-import.c — CSV import and export of insight
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-import"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ih-csv.h"
#include "ih-import.h"
#include "ih-query.h"
#include "ih-store-private.h"

G_DEFINE_QUARK (ih-import-error-quark, ih_import_error)

/* Rows per transaction: big enough for speed, small enough that a crash
 * keeps most of the work (a stopped import keeps all of it). Each commit
 * writes out every page it changed, and the id index takes random inserts,
 * so on a big import a commit rewrites most of that index: 100,000 rows a
 * commit took a million-row import from 89.6 to 70.6 s of CPU. */
#define BATCH_ROWS 100000
/* While importing, the store writes in bulk (_ih_store_bulk_begin): a
 * larger page cache, and the write-ahead log copied back every 256 MiB
 * rather than every 4 MiB (a further 8 % of CPU on a million rows) */

typedef enum
{
  COL_ID,
  COL_TEXT,
  COL_KIND,
  COL_DATE,
  COL_THEMES,
  COL_SENTIMENT,
  COL_CONSENT,
  COL_RESTRICTED,
  COL_STATUS,
  COL_AUTHOR,
  COL_ACTIVITY_ID,
  COL_ACTIVITY,
  COL_ACTIVITY_KIND,
  COL_ACTIVITY_DATE,
  COL_ICS,
  COL_PLACE,
  COL_LOCALITY,
  COL_AGE_BAND,
  COL_SEX,
  COL_ETHNIC_GROUP,
  COL_DISABILITY,
  COL_POSTCODE_DISTRICT,
  N_COLS
} Column;

/* Also the export's header, in this order */
static const char * const field_names[N_COLS + 1] = {
  "id", "text", "kind", "date", "themes", "sentiment", "consent", "restricted", "status",
  "author", "activity_id", "activity", "activity_kind", "activity_date", "ics", "place",
  "locality", "age_band", "sex", "ethnic_group", "disability", "postcode_district", NULL
};

/* Other headers seen in survey exports and workshop write-ups, squashed to
 * lower-case letters and digits */
static const struct
{
  const char *header;
  Column      column;
} synonyms[] = {
  { "feedback", COL_TEXT },
  { "comment", COL_TEXT },
  { "comments", COL_TEXT },
  { "response", COL_TEXT },
  { "quote", COL_TEXT },
  { "insight", COL_TEXT },
  { "whatpeoplesaid", COL_TEXT },
  { "type", COL_KIND },
  { "insightkind", COL_KIND },
  { "daterecorded", COL_DATE },
  { "datereceived", COL_DATE },
  { "responsedate", COL_DATE },
  { "theme", COL_THEMES },
  { "topic", COL_THEMES },
  { "topics", COL_THEMES },
  { "codes", COL_THEMES },
  { "event", COL_ACTIVITY },
  { "activitytitle", COL_ACTIVITY },
  { "eventtitle", COL_ACTIVITY },
  { "engagement", COL_ACTIVITY },
  { "activitytype", COL_ACTIVITY_KIND },
  { "eventtype", COL_ACTIVITY_KIND },
  { "method", COL_ACTIVITY_KIND },
  { "eventdate", COL_ACTIVITY_DATE },
  { "area", COL_PLACE },
  { "neighbourhood", COL_LOCALITY },
  { "age", COL_AGE_BAND },
  { "agegroup", COL_AGE_BAND },
  { "gender", COL_SEX },
  { "ethnicity", COL_ETHNIC_GROUP },
  { "disabled", COL_DISABILITY },
  { "postcode", COL_POSTCODE_DISTRICT },
  { "recordedby", COL_AUTHOR },
};

const char * const *
ih_import_fields (void)
{
  return field_names;
}

static char *
squash_header (const char *header)
{
  g_autofree char *folded = g_utf8_casefold (header, -1);
  GString *out = g_string_new (NULL);

  for (const char *p = folded; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static int
column_for_field (const char *field)
{
  for (int i = 0; i < N_COLS; i++)
    if (strcmp (field_names[i], field) == 0)
      return i;
  return -1;
}

static int
column_for_header (const char *header,
                   GHashTable *mapping)
{
  g_autofree char *squashed = NULL;

  if (mapping != NULL)
    {
      const char *field = g_hash_table_lookup (mapping, header);
      return field ? column_for_field (field) : -1;
    }

  squashed = squash_header (header);
  for (int i = 0; i < N_COLS; i++)
    {
      g_autofree char *name = squash_header (field_names[i]);
      if (strcmp (name, squashed) == 0)
        return i;
    }
  for (guint i = 0; i < G_N_ELEMENTS (synonyms); i++)
    if (strcmp (synonyms[i].header, squashed) == 0)
      return synonyms[i].column;

  return -1;
}

void
ih_import_report_free (IhImportReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->problems);
  g_ptr_array_unref (report->notes);
  g_free (report);
}

typedef struct
{
  IhStore        *store;
  IhImportReport *report;
  int             columns[N_COLS];     /* field → index in the row, or -1 */
  guint           n_header;
  GHashTable     *activities;          /* key → id */
  GHashTable     *themes;              /* folded name → id */
  GHashTable     *seen;                /* content digest → times seen in this file */
  /* Cache entries added for the row being imported, forgotten if the row
   * is refused (its activity and themes are rolled back with it) */
  GPtrArray      *row_activity_keys;
  GPtrArray      *row_theme_keys;
  guint           row_activities_added;
  guint           row_themes_added;
} Import;

static const char *
cell (Import    *import,
      GPtrArray *row,
      Column     col)
{
  int idx = import->columns[col];
  const char *value;

  if (idx < 0 || (guint) idx >= row->len)
    return NULL;
  value = g_ptr_array_index (row, idx);
  if (value == NULL)
    return NULL;
  /* A cell of spaces is an empty cell */
  for (const char *p = value; *p; p++)
    if (!g_ascii_isspace (*p))
      return value;
  return NULL;
}

/* A full postcode is personal data: keep only its district. A value that
 * is no postcode at all is kept as the spreadsheet wrote it (first word,
 * upper case), as it always was. */
static char *
postcode_district (const char *value)
{
  g_autofree char *upper = NULL;
  char *district = ih_postcode_district (value);

  if (district != NULL)
    return district;

  upper = g_ascii_strup (value, -1);
  g_strstrip (upper);
  return *upper ? g_strndup (upper, strcspn (upper, " ")) : NULL;
}

static gboolean
set_field (gpointer      record,
           const char   *field,
           const char   *value,
           GError      **error)
{
  const IhFieldInfo *info = ih_record_class_field (((IhRecord *) record)->klass, field);
  g_autoptr(GError) local_error = NULL;

  g_assert (info != NULL);
  if (!ih_record_set_text (record, info, value, &local_error))
    {
      g_set_error (error, IH_IMPORT_ERROR, 0, "%s: %s", field, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static char *
find_or_add_activity (Import     *import,
                      GPtrArray  *row,
                      GError    **error)
{
  const char *given_id = cell (import, row, COL_ACTIVITY_ID);
  const char *title = cell (import, row, COL_ACTIVITY);
  const char *date = cell (import, row, COL_ACTIVITY_DATE);
  g_autoptr(IhActivity) activity = NULL;
  g_autofree char *key = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *id = NULL;
  const char *known;

  if (given_id == NULL && title == NULL)
    return NULL;

  if (given_id != NULL)
    {
      if (!g_uuid_string_is_valid (given_id))
        {
          g_set_error (error, IH_IMPORT_ERROR, 0, _("activity_id: “%s” is not a valid id"), given_id);
          return NULL;
        }
      key = g_strdup (given_id);
    }
  else
    {
      /* The same title on the same date is the same activity, however
       * the date is written and whatever spaces surround the title */
      g_autofree char *iso = date ? ih_date_normalize (date) : NULL;
      g_auto(GStrv) words = g_strsplit_set (title, " \t\r\n", -1);
      g_autoptr(GString) squeezed = g_string_new (NULL);

      for (guint i = 0; words[i]; i++)
        if (*words[i])
          g_string_append_printf (squeezed, "%s%s", squeezed->len ? " " : "", words[i]);
      folded = g_utf8_casefold (squeezed->str, -1);
      key = g_strdup_printf ("%s\x1f%s", folded, iso ? iso : "");
    }

  known = g_hash_table_lookup (import->activities, key);
  if (known != NULL)
    return g_strdup (known);

  id = given_id ? g_strdup (given_id) : ih_uuid_from_name ("activity", key);
  if (!ih_store_exists (import->store, &ih_activity_class, id))
    {
      if (title == NULL)
        {
          g_set_error (error, IH_IMPORT_ERROR, 0,
                       _("activity_id: “%s” is not in this database and the row gives no activity title"),
                       given_id);
          return NULL;
        }

      activity = ih_activity_new ();
      g_free (activity->parent.id);
      activity->parent.id = g_strdup (id);
      if (!set_field (activity, "title", title, error) ||
          !set_field (activity, "kind", cell (import, row, COL_ACTIVITY_KIND), error) ||
          !set_field (activity, "start_date", date, error) ||
          !set_field (activity, "ics", cell (import, row, COL_ICS), error) ||
          !set_field (activity, "place", cell (import, row, COL_PLACE), error) ||
          !set_field (activity, "locality", cell (import, row, COL_LOCALITY), error))
        {
          /* Name the spreadsheet's column, not the record's field */
          if (error && *error && g_str_has_prefix ((*error)->message, "kind:"))
            g_prefix_error (error, "activity_");
          else if (error && *error && g_str_has_prefix ((*error)->message, "start_date:"))
            {
              char *msg = g_strconcat ("activity_date", (*error)->message + strlen ("start_date"), NULL);
              g_free ((*error)->message);
              (*error)->message = msg;
            }
          return NULL;
        }
      if (!_ih_store_save_in_transaction (import->store, activity, error))
        return NULL;
      import->row_activities_added++;
    }

  g_ptr_array_add (import->row_activity_keys, g_strdup (key));
  g_hash_table_insert (import->activities, g_steal_pointer (&key), g_strdup (id));
  return g_steal_pointer (&id);
}

static gboolean
find_or_add_themes (Import      *import,
                    const char  *value,
                    GStrv       *ids_out,
                    GError     **error)
{
  g_auto(GStrv) names = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  *ids_out = NULL;
  if (value == NULL)
    return TRUE;

  /* "Access; Transport" — semicolons separate themes in a cell */
  names = g_strsplit (value, ";", -1);
  for (guint i = 0; names[i]; i++)
    {
      const char *name = g_strstrip (names[i]);
      g_autofree char *folded = NULL;
      const char *id;

      if (*name == '\0')
        continue;

      folded = g_utf8_casefold (name, -1);
      id = g_hash_table_lookup (import->themes, folded);
      if (id == NULL)
        {
          char *found = ih_store_find_theme (import->store, name);

          if (found == NULL)
            {
              g_autoptr(IhTheme) theme = ih_theme_new ();

              g_free (theme->parent.id);
              theme->parent.id = ih_uuid_from_name ("theme", folded);
              theme->name = g_strdup (name);
              if (!_ih_store_save_in_transaction (import->store, theme, error))
                return FALSE;
              import->row_themes_added++;
              found = g_strdup (theme->parent.id);
            }
          g_ptr_array_add (import->row_theme_keys, g_strdup (folded));
          g_hash_table_insert (import->themes, g_strdup (folded), found);
          id = found;
        }

      if (!g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL))
        g_ptr_array_add (ids, g_strdup (id));
    }

  if (ids->len > 0)
    {
      g_ptr_array_add (ids, NULL);
      *ids_out = (GStrv) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
    }
  return TRUE;
}

/* Compares what the import would write with what is stored. */
static gboolean
same_content (IhRecord *a,
              IhRecord *b)
{
  const IhRecordClass *klass = a->klass;

  if (a->deleted != b->deleted || g_strcmp0 (a->author, b->author) != 0)
    return FALSE;

  for (guint i = 0; i < klass->n_fields; i++)
    {
      g_autofree char *va = ih_record_get_text (a, &klass->fields[i]);
      g_autofree char *vb = ih_record_get_text (b, &klass->fields[i]);

      if (klass->fields[i].type == IH_FIELD_REFS && va && vb)
        {
          /* The order of themes carries no meaning */
          g_auto(GStrv) la = g_strsplit (va, "\n", -1);
          g_auto(GStrv) lb = g_strsplit (vb, "\n", -1);
          guint n = g_strv_length (la);

          if (n != g_strv_length (lb))
            return FALSE;
          for (guint j = 0; j < n; j++)
            if (!g_strv_contains ((const char * const *) lb, la[j]))
              return FALSE;
          continue;
        }
      if (g_strcmp0 (va, vb) != 0)
        return FALSE;
    }
  return TRUE;
}

/* Checks a row and turns it into the insight it describes, with its id:
 * everything that needs no database, so it runs on the reading thread. */
static IhInsight *
prepare_row (Import     *import,
             GPtrArray  *row,
             GError    **error)
{
  g_autoptr(IhInsight) insight = ih_insight_new ();
  g_autofree char *district = NULL;
  const char *given_id = cell (import, row, COL_ID);
  static const struct
  {
    Column      col;
    const char *field;
  } plain[] = {
    { COL_TEXT, "text" },
    { COL_KIND, "kind" },
    { COL_DATE, "date" },
    { COL_SENTIMENT, "sentiment" },
    { COL_CONSENT, "consent" },
    { COL_RESTRICTED, "restricted" },
    { COL_STATUS, "status" },
    { COL_AGE_BAND, "age_band" },
    { COL_SEX, "sex" },
    { COL_ETHNIC_GROUP, "ethnic_group" },
    { COL_DISABILITY, "disability" },
  };

  if (row->len > import->n_header)
    {
      g_set_error (error, IH_IMPORT_ERROR, 0,
                   _("the row has %u fields but the header has %u (a comma inside text that is not in quotes?)"),
                   row->len, import->n_header);
      return NULL;
    }

  if (cell (import, row, COL_TEXT) == NULL)
    {
      g_set_error (error, IH_IMPORT_ERROR, 0, _("there is no feedback text"));
      return NULL;
    }

  /* Check every field of the row before anything is written for it */
  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    if (!set_field (insight, plain[i].field, cell (import, row, plain[i].col), error))
      return NULL;

  /* Feedback without its own date was given at the activity */
  if (insight->date == NULL && cell (import, row, COL_ACTIVITY_DATE))
    insight->date = ih_date_normalize (cell (import, row, COL_ACTIVITY_DATE));

  if (cell (import, row, COL_POSTCODE_DISTRICT))
    district = postcode_district (cell (import, row, COL_POSTCODE_DISTRICT));
  insight->postcode_district = g_steal_pointer (&district);
  insight->parent.author = g_strdup (cell (import, row, COL_AUTHOR));

  if (cell (import, row, COL_ACTIVITY_KIND) &&
      !ih_vocab_normalize ("activity-kind", cell (import, row, COL_ACTIVITY_KIND)))
    {
      g_autofree char *keys = g_strjoinv (", ", (char **) ih_vocab_keys ("activity-kind"));
      g_set_error (error, IH_IMPORT_ERROR, 0, _("activity_kind: “%s” is not a known kind (expected one of: %s)"),
                   cell (import, row, COL_ACTIVITY_KIND), keys);
      return NULL;
    }
  if (cell (import, row, COL_ACTIVITY_DATE))
    {
      g_autofree char *date = ih_date_normalize (cell (import, row, COL_ACTIVITY_DATE));
      if (date == NULL)
        {
          g_set_error (error, IH_IMPORT_ERROR, 0,
                       _("activity_date: “%s” is not a date (write it as 2024-03-31 or 31/03/2024)"),
                       cell (import, row, COL_ACTIVITY_DATE));
          return NULL;
        }
    }
  if (given_id != NULL && strlen (given_id) > 200)
    {
      g_set_error (error, IH_IMPORT_ERROR, 0, _("id: longer than 200 characters"));
      return NULL;
    }

  g_free (insight->parent.id);
  if (given_id != NULL)
    {
      /* A survey's own response number works as an id too */
      insight->parent.id = g_uuid_string_is_valid (given_id)
        ? g_ascii_strdown (given_id, -1)
        : ih_uuid_from_name ("insight-source", given_id);
    }
  else
    {
      /* No id: the row's content is its identity, counting repeats so two
       * people answering "No" are two answers, and re-importing the file
       * finds both again */
      GString *key = g_string_new (NULL);
      guint8 digest[32];
      gsize len = sizeof digest;
      g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
      gpointer digest_key;
      guint times;

      for (int i = 0; i < N_COLS; i++)
        {
          const char *v = cell (import, row, i);
          g_string_append (key, v ? v : "");
          g_string_append_c (key, '\x1f');
        }

      /* Remembered by 64 bits of a digest stored in the table itself, so a
       * million rows cost a few tens of MB, not a copy of the file */
      g_checksum_update (sum, (const guchar *) key->str, key->len);
      g_checksum_get_digest (sum, digest, &len);
      memcpy (&digest_key, digest, sizeof digest_key);
      times = GPOINTER_TO_UINT (g_hash_table_lookup (import->seen, digest_key));
      g_hash_table_insert (import->seen, digest_key, GUINT_TO_POINTER (times + 1));

      g_string_append_printf (key, "%u", times);
      insight->parent.id = ih_uuid_from_name ("insight", key->str);
      g_string_free (key, TRUE);
    }

  return g_steal_pointer (&insight);
}

/* Writes a prepared row: its activity and themes, found or added, and the
 * insight unless it is stored already with the same content. */
static gboolean
import_row (Import     *import,
            GPtrArray  *row,
            IhInsight  *insight,
            GError    **error)
{
  g_autoptr(IhInsight) stored = NULL;
  const char *given_id = cell (import, row, COL_ID);

  if (ih_store_exists (import->store, &ih_insight_class, insight->parent.id))
    {
      if (given_id == NULL)
        {
          import->report->unchanged++;
          return TRUE;
        }
      stored = ih_store_load (import->store, &ih_insight_class, insight->parent.id, error);
      if (stored == NULL)
        return FALSE;
    }

  insight->activity_id = find_or_add_activity (import, row, error);
  if (insight->activity_id == NULL && error && *error)
    return FALSE;
  if (!find_or_add_themes (import, cell (import, row, COL_THEMES), &insight->theme_ids, error))
    return FALSE;

  if (stored != NULL)
    {
      insight->parent.created_at = stored->parent.created_at;
      insight->parent.rev = stored->parent.rev;
      if (same_content (&insight->parent, &stored->parent))
        {
          import->report->unchanged++;
          return TRUE;
        }
    }

  if (!_ih_store_save_in_transaction (import->store, insight, error))
    return FALSE;

  if (stored != NULL)
    import->report->updated++;
  else
    import->report->added++;
  return TRUE;
}

/*
 * Reading ahead: one thread reads and prepares rows (prepare_row), the
 * importing thread writes them. Rows travel in chunks; a few chunks at most
 * wait, so memory stays bounded whatever the file's size.
 */

#define CHUNK_ROWS 256
#define MAX_CHUNKS 8

typedef struct
{
  GPtrArray *cells;     /* the row's fields, NULL for an unreadable row */
  IhInsight *insight;   /* NULL when the row was refused */
  GError    *error;     /* why it was refused */
  gboolean   csv_bad;   /* refused by the CSV reader itself */
  guint      line;
  guint64    offset;    /* bytes of the file read after this row */
} Prepared;

static void
prepared_free (gpointer data)
{
  Prepared *p = data;

  g_clear_pointer (&p->cells, g_ptr_array_unref);
  g_clear_pointer (&p->insight, ih_record_free);
  g_clear_error (&p->error);
  g_free (p);
}

typedef struct
{
  IhCsvReader *reader;
  Import      *import;
  GThread     *thread;
  GMutex       mutex;
  GCond        cond;
  GQueue       chunks;     /* GPtrArray of Prepared, oldest first */
  gboolean     done;       /* the reader reached the end */
  gboolean     stop;       /* the importer wants no more */
  GPtrArray   *current;    /* the chunk being imported */
  guint        next;       /* its next row */
} Rows;

static void
rows_push (Rows      *rows,
           GPtrArray *chunk)
{
  g_mutex_lock (&rows->mutex);
  while (rows->chunks.length >= MAX_CHUNKS && !rows->stop)
    g_cond_wait (&rows->cond, &rows->mutex);
  if (chunk != NULL)
    g_queue_push_tail (&rows->chunks, chunk);
  else
    rows->done = TRUE;
  g_cond_broadcast (&rows->cond);
  g_mutex_unlock (&rows->mutex);
}

static gpointer
rows_read (gpointer data)
{
  Rows *rows = data;
  GPtrArray *chunk = g_ptr_array_new_with_free_func (prepared_free);

  while (!g_atomic_int_get (&rows->stop))
    {
      g_autoptr(GPtrArray) cells = NULL;
      GError *csv_error = NULL;
      IhCsvStatus status = ih_csv_reader_next (rows->reader, &cells, &csv_error);
      Prepared *p;

      if (status == IH_CSV_END)
        break;

      p = g_new0 (Prepared, 1);
      p->line = ih_csv_reader_get_line (rows->reader);
      p->offset = ih_csv_reader_get_offset (rows->reader);
      if (status == IH_CSV_BAD)
        {
          p->csv_bad = TRUE;
          p->error = csv_error;
        }
      else
        {
          p->insight = prepare_row (rows->import, cells, &p->error);
          p->cells = g_steal_pointer (&cells);
        }
      g_ptr_array_add (chunk, p);

      if (chunk->len == CHUNK_ROWS)
        {
          rows_push (rows, chunk);
          chunk = g_ptr_array_new_with_free_func (prepared_free);
        }
    }

  if (chunk->len > 0)
    rows_push (rows, chunk);
  else
    g_ptr_array_unref (chunk);
  rows_push (rows, NULL);
  return NULL;
}

static Rows *
rows_start (IhCsvReader *reader,
            Import      *import)
{
  Rows *rows = g_new0 (Rows, 1);

  rows->reader = reader;
  rows->import = import;
  g_mutex_init (&rows->mutex);
  g_cond_init (&rows->cond);
  g_queue_init (&rows->chunks);
  rows->thread = g_thread_new ("ih-import-read", rows_read, rows);
  return rows;
}

/* The next prepared row, in file order; NULL at the end. Owned by @rows
 * until the next call. */
static Prepared *
rows_next (Rows *rows)
{
  if (rows->current != NULL && rows->next < rows->current->len)
    return g_ptr_array_index (rows->current, rows->next++);

  g_clear_pointer (&rows->current, g_ptr_array_unref);
  g_mutex_lock (&rows->mutex);
  while (g_queue_is_empty (&rows->chunks) && !rows->done)
    g_cond_wait (&rows->cond, &rows->mutex);
  rows->current = g_queue_pop_head (&rows->chunks);
  g_cond_broadcast (&rows->cond);
  g_mutex_unlock (&rows->mutex);

  if (rows->current == NULL)
    return NULL;
  rows->next = 1;
  return g_ptr_array_index (rows->current, 0);
}

/* Stops the reader, wherever it is, and frees what it read ahead */
static void
rows_stop (Rows *rows)
{
  g_mutex_lock (&rows->mutex);
  g_atomic_int_set (&rows->stop, TRUE);
  g_cond_broadcast (&rows->cond);
  g_mutex_unlock (&rows->mutex);
  g_thread_join (rows->thread);

  g_queue_clear_full (&rows->chunks, (GDestroyNotify) g_ptr_array_unref);
  g_clear_pointer (&rows->current, g_ptr_array_unref);
  g_mutex_clear (&rows->mutex);
  g_cond_clear (&rows->cond);
  g_free (rows);
}

/* A lock is not handed over in order: without a pause the import would
 * take the store again before a woken waiter runs. A waiter stops counting
 * as one once it holds the store, which takes a scheduler's moment; the
 * 2 s bound only keeps a stuck thread from stopping the import. */
static void
let_waiters_in (IhStore *store)
{
  for (guint i = 0; i < 2000 && _ih_store_has_waiters (store); i++)
    g_usleep (1000);
}

static gboolean import_csv (IhStore          *store,
                            const char       *path,
                            GHashTable       *mapping,
                            IhProgressFunc    progress,
                            gpointer          progress_data,
                            IhImportReport  **report_out,
                            GError          **error);

const char *
ih_import_field_for_header (const char *header)
{
  int col;

  g_return_val_if_fail (header != NULL, NULL);

  col = column_for_header (header, NULL);
  return col >= 0 ? field_names[col] : NULL;
}

gboolean
ih_import_csv (IhStore          *store,
               const char       *path,
               const char       *mapping_path,
               IhProgressFunc    progress,
               gpointer          progress_data,
               IhImportReport  **report_out,
               GError          **error)
{
  g_autoptr(GHashTable) mapping = NULL;

  g_return_val_if_fail (IH_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (mapping_path != NULL)
    {
      mapping = ih_csv_read_mapping (mapping_path, field_names, error);
      if (mapping == NULL)
        return FALSE;
    }

  return import_csv (store, path, mapping, progress, progress_data, report_out, error);
}

gboolean
ih_import_csv_mapped (IhStore          *store,
                      const char       *path,
                      GHashTable       *mapping,
                      IhProgressFunc    progress,
                      gpointer          progress_data,
                      IhImportReport  **report_out,
                      GError          **error)
{
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (IH_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (mapping != NULL, FALSE);

  g_hash_table_iter_init (&iter, mapping);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_return_val_if_fail (value != NULL && column_for_field (value) >= 0, FALSE);

  return import_csv (store, path, mapping, progress, progress_data, report_out, error);
}

static gboolean
import_csv (IhStore          *store,
            const char       *path,
            GHashTable       *mapping,
            IhProgressFunc    progress,
            gpointer          progress_data,
            IhImportReport  **report_out,
            GError          **error)
{
  g_autoptr(IhCsvReader) reader = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(IhImportReport) report = NULL;
  Import import = { 0 };
  Rows *rows = NULL;
  IhCsvStatus status;
  guint in_batch = 0;
  gboolean ok = TRUE;

  reader = ih_csv_reader_new_from_file (path, error);
  if (reader == NULL)
    {
      if (error && *error && (*error)->domain == IH_CSV_ERROR)
        g_prefix_error (error, "%s: ", path);
      return FALSE;
    }

  /* The header: skip nothing, refuse a file that does not start with one */
  status = ih_csv_reader_next (reader, &header, &local_error);
  if (status != IH_CSV_ROW)
    {
      if (local_error != NULL)
        g_set_error (error, IH_IMPORT_ERROR, IH_IMPORT_ERROR_NO_HEADER,
                     _("%s: line %u: the header row cannot be read: %s"),
                     path, ih_csv_reader_get_line (reader), local_error->message);
      else
        g_set_error (error, IH_IMPORT_ERROR, IH_IMPORT_ERROR_NO_HEADER,
                     _("%s: the file is empty; it needs a header row naming the columns"), path);
      return FALSE;
    }

  report = g_new0 (IhImportReport, 1);
  report->problems = g_ptr_array_new_with_free_func (g_free);
  report->notes = g_ptr_array_new_with_free_func (g_free);

  import.store = store;
  import.report = report;
  import.n_header = header->len;
  for (int i = 0; i < N_COLS; i++)
    import.columns[i] = -1;

  for (guint i = 0; i < header->len; i++)
    {
      const char *name = g_ptr_array_index (header, i);
      int col = column_for_header (name, mapping);

      if (col < 0)
        g_ptr_array_add (report->notes,
                         g_strdup_printf (_("The column “%s” is not used"), name));
      else if (import.columns[col] >= 0)
        g_ptr_array_add (report->notes,
                         g_strdup_printf (_("The column “%s” is not used: an earlier column is already read as %s"),
                                          name, field_names[col]));
      else
        import.columns[col] = i;
    }

  if (import.columns[COL_TEXT] < 0)
    {
      g_autofree char *names = g_strjoinv (", ", (char **) field_names);
      g_set_error (error, IH_IMPORT_ERROR, IH_IMPORT_ERROR_NO_TEXT_COLUMN,
                   _("%s: no column holds the feedback text. Name that column “text” "
                     "(or “feedback”, “comment”, “response”), or give a mapping file. "
                     "Columns understood: %s"),
                   path, names);
      return FALSE;
    }

  /* Places, kinds and dates of activities belong to an activity: without
   * one they would be dropped, so say it rather than lose them quietly */
  if (import.columns[COL_ACTIVITY] < 0 && import.columns[COL_ACTIVITY_ID] < 0)
    {
      static const Column activity_only[] = { COL_ACTIVITY_KIND, COL_ACTIVITY_DATE, COL_ICS, COL_PLACE, COL_LOCALITY };

      for (guint i = 0; i < G_N_ELEMENTS (activity_only); i++)
        if (import.columns[activity_only[i]] >= 0)
          g_ptr_array_add (report->notes,
                           g_strdup_printf (_("The column “%s” is not kept: %s belongs to an activity, "
                                              "and the file has no activity column"),
                                            (char *) g_ptr_array_index (header, import.columns[activity_only[i]]),
                                            field_names[activity_only[i]]));
    }

  import.activities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  import.themes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  import.seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  import.row_activity_keys = g_ptr_array_new_with_free_func (g_free);
  import.row_theme_keys = g_ptr_array_new_with_free_func (g_free);

  /* The id index takes random inserts: keep more of it in memory */
  _ih_store_bulk_begin (store, 256 * 1024);

  if (!ih_store_begin (store, error))
    {
      ok = FALSE;
      goto out;
    }

  /* Rows are read, checked and named on a second thread while this one
   * writes the ones before them */
  rows = rows_start (reader, &import);

  for (;;)
    {
      g_autoptr(GError) row_error = NULL;
      Prepared *p = rows_next (rows);

      if (p == NULL)
        break;

      report->rows++;
      if (p->csv_bad)
        {
          report->refused++;
          g_ptr_array_add (report->problems,
                           g_strdup_printf (_("line %u: %s"), p->line, p->error->message));
          continue;
        }

      /* Each row is all or nothing: a refused row leaves no activity or
       * theme behind */
      if (!ih_store_begin (store, &row_error))
        {
          g_propagate_error (error, g_steal_pointer (&row_error));
          ih_store_rollback (store);
          ok = FALSE;
          goto out;
        }
      g_ptr_array_set_size (import.row_activity_keys, 0);
      g_ptr_array_set_size (import.row_theme_keys, 0);
      import.row_activities_added = import.row_themes_added = 0;
      if (p->insight != NULL && import_row (&import, p->cells, p->insight, &row_error))
        {
          ih_store_commit (store, NULL);
          report->activities_added += import.row_activities_added;
          report->themes_added += import.row_themes_added;
        }
      else
        {
          ih_store_rollback (store);
          for (guint j = 0; j < import.row_activity_keys->len; j++)
            g_hash_table_remove (import.activities, g_ptr_array_index (import.row_activity_keys, j));
          for (guint j = 0; j < import.row_theme_keys->len; j++)
            g_hash_table_remove (import.themes, g_ptr_array_index (import.row_theme_keys, j));
          report->refused++;
          g_ptr_array_add (report->problems,
                           g_strdup_printf (_("line %u: %s"), p->line,
                                            p->insight != NULL ? row_error->message : p->error->message));
        }

      if (progress && report->rows % 1000 == 0 &&
          !progress (p->offset, ih_csv_reader_get_size (reader), progress_data))
        {
          report->stopped = TRUE;
          break;
        }

      /* In the app, searches and saves wait while a batch is open: let
       * them in at once, after a first thousand rows */
      if (++in_batch >= BATCH_ROWS || (in_batch >= 1000 && _ih_store_has_waiters (store)))
        {
          in_batch = 0;
          if (!ih_store_commit (store, error))
            {
              ok = FALSE;
              goto out;
            }
          let_waiters_in (store);
          if (!ih_store_begin (store, error))
            {
              ok = FALSE;
              goto out;
            }
        }
    }

  if (!ih_store_commit (store, error))
    ok = FALSE;
  else if (progress && !report->stopped)
    progress (ih_csv_reader_get_size (reader), ih_csv_reader_get_size (reader), progress_data);

out:
  g_clear_pointer (&rows, rows_stop);
  _ih_store_bulk_end (store);
  g_clear_pointer (&import.activities, g_hash_table_unref);
  g_clear_pointer (&import.themes, g_hash_table_unref);
  g_clear_pointer (&import.seen, g_hash_table_unref);
  g_clear_pointer (&import.row_activity_keys, g_ptr_array_unref);
  g_clear_pointer (&import.row_theme_keys, g_ptr_array_unref);

  if (ok && report_out)
    *report_out = g_steal_pointer (&report);
  return ok;
}

/*
 * Export
 */

typedef struct
{
  IhStore       *store;
  GOutputStream *out;
  GCancellable  *cancellable;
  GString       *buffer;
  GHashTable    *activities;   /* id → IhActivity */
  GHashTable    *theme_names;  /* id → name */
  gint64         rows;
  GError        *error;
} Export;

static const char *
theme_name (Export     *export,
            const char *id)
{
  char *name = g_hash_table_lookup (export->theme_names, id);

  if (name == NULL)
    {
      g_autoptr(IhTheme) theme = ih_store_load (export->store, &ih_theme_class, id, NULL);

      name = g_strdup (theme ? theme->name : "");
      g_hash_table_insert (export->theme_names, g_strdup (id), name);
    }
  return name;
}

static IhActivity *
activity_for (Export     *export,
              const char *id)
{
  IhActivity *activity;

  if (id == NULL)
    return NULL;

  activity = g_hash_table_lookup (export->activities, id);
  if (activity == NULL)
    {
      activity = ih_store_load (export->store, &ih_activity_class, id, NULL);
      if (activity == NULL)
        return NULL;
      g_hash_table_insert (export->activities, g_strdup (id), activity);
    }
  return activity;
}

static gboolean
flush_export (Export *export)
{
  if (export->buffer->len == 0)
    return TRUE;
  if (!g_output_stream_write_all (export->out, export->buffer->str, export->buffer->len,
                                  NULL, export->cancellable, &export->error))
    return FALSE;
  g_string_truncate (export->buffer, 0);
  return TRUE;
}

static gboolean
export_one (const char *id,
            gpointer    user_data)
{
  Export *export = user_data;
  g_autoptr(IhInsight) insight = ih_store_load (export->store, &ih_insight_class, id, &export->error);
  g_autoptr(GString) themes = g_string_new (NULL);
  g_autofree char *restricted = NULL;
  const char *cells[N_COLS] = { NULL };
  IhActivity *activity;

  if (insight == NULL)
    return FALSE;

  activity = activity_for (export, insight->activity_id);
  for (guint i = 0; insight->theme_ids && insight->theme_ids[i]; i++)
    {
      if (themes->len)
        g_string_append (themes, "; ");
      g_string_append (themes, theme_name (export, insight->theme_ids[i]));
    }
  restricted = g_strdup (insight->restricted ? "yes" : "no");

  cells[COL_ID] = insight->parent.id;
  cells[COL_TEXT] = insight->text;
  cells[COL_KIND] = insight->kind;
  cells[COL_DATE] = insight->date;
  cells[COL_THEMES] = themes->str;
  cells[COL_SENTIMENT] = insight->sentiment;
  cells[COL_CONSENT] = insight->consent;
  cells[COL_RESTRICTED] = restricted;
  cells[COL_STATUS] = insight->status;
  cells[COL_AUTHOR] = insight->parent.author;
  cells[COL_ACTIVITY_ID] = insight->activity_id;
  if (activity != NULL)
    {
      cells[COL_ACTIVITY] = activity->title;
      cells[COL_ACTIVITY_KIND] = activity->kind;
      cells[COL_ACTIVITY_DATE] = activity->start_date;
      cells[COL_ICS] = activity->ics;
      cells[COL_PLACE] = activity->place;
      cells[COL_LOCALITY] = activity->locality;
    }
  cells[COL_AGE_BAND] = insight->age_band;
  cells[COL_SEX] = insight->sex;
  cells[COL_ETHNIC_GROUP] = insight->ethnic_group;
  cells[COL_DISABILITY] = insight->disability;
  cells[COL_POSTCODE_DISTRICT] = insight->postcode_district;

  ih_csv_append_row (export->buffer, cells, N_COLS);
  export->rows++;

  if (export->buffer->len > 256 * 1024)
    return flush_export (export);
  return !g_cancellable_set_error_if_cancelled (export->cancellable, &export->error);
}

gint64
ih_export_csv (IhStore        *store,
               IhSearch       *search,
               GOutputStream  *out,
               GCancellable   *cancellable,
               GError        **error)
{
  g_autoptr(IhSearch) all = NULL;
  Export export = { 0 };
  gint64 rows = -1;

  g_return_val_if_fail (IH_IS_STORE (store), -1);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), -1);

  if (search == NULL)
    {
      all = ih_search_new (store, "", IH_QUERY_FLAG_NONE, error);
      if (all == NULL)
        return -1;
      search = all;
    }

  export.store = store;
  export.out = out;
  export.cancellable = cancellable;
  export.buffer = g_string_new (NULL);
  export.activities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, ih_record_free);
  export.theme_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  ih_csv_append_row (export.buffer, field_names, N_COLS);

  if (ih_search_foreach_id (search, export_one, &export, error))
    {
      if (export.error == NULL && flush_export (&export))
        rows = export.rows;
      if (export.error != NULL)
        g_propagate_error (error, g_steal_pointer (&export.error));
    }

  g_string_free (export.buffer, TRUE);
  g_hash_table_unref (export.activities);
  g_hash_table_unref (export.theme_names);
  g_clear_error (&export.error);

  return rows;
}
