/* ih-report.c — gathering the board report and drawing it to PDF
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-report"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <cairo-pdf.h>
#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "ih-pii.h"
#include "ih-report.h"
#include "ih-represent-private.h"
#include "ih-store-private.h"

#define MIN_QUOTE_CHARS 20
#define MAX_QUOTE_CHARS 600

/*
 * Gathering
 */

static void
theme_free (IhReportTheme *t)
{
  g_free (t->id);
  g_free (t->name);
  g_free (t);
}

static void
quote_free (IhReportQuote *q)
{
  g_free (q->insight_id);
  g_free (q->theme);
  g_free (q->text);
  g_free (q->attribution);
  g_free (q);
}

static void
report_action_free (IhReportAction *a)
{
  ih_record_free (a->action);
  g_free (a);
}

void
ih_report_free (IhReport *report)
{
  if (report == NULL)
    return;
  g_free (report->title);
  g_free (report->scope);
  g_free (report->first_date);
  g_free (report->last_date);
  g_clear_pointer (&report->themes, g_ptr_array_unref);
  g_clear_pointer (&report->quotes, g_ptr_array_unref);
  g_clear_pointer (&report->represent, ih_represent_table_free);
  g_free (report->represent_error);
  g_clear_pointer (&report->actions, g_ptr_array_unref);
  g_free (report);
}

/* What quoting needs to know of one insight */
typedef struct
{
  gint64    rid;
  char     *id;
  char     *date;
  gboolean  quotable;
  gboolean  preferred;   /* a quote or a story */
} Candidate;

static void
candidate_free (Candidate *c)
{
  g_free (c->id);
  g_free (c->date);
  g_free (c);
}

/* Quotes and stories first, then the newest, then the first recorded */
static gint
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *x = *(Candidate **) a;
  const Candidate *y = *(Candidate **) b;
  int c;

  if (x->preferred != y->preferred)
    return x->preferred ? -1 : 1;
  c = -g_strcmp0 (x->date, y->date);
  if (c != 0)
    return c;
  return x->rid < y->rid ? -1 : x->rid > y->rid;
}

static gint
compare_themes (gconstpointer a,
                gconstpointer b)
{
  const IhReportTheme *x = *(IhReportTheme **) a;
  const IhReportTheme *y = *(IhReportTheme **) b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  if ((x->id == NULL) != (y->id == NULL))
    return x->id == NULL ? 1 : -1;
  return g_utf8_collate (x->name, y->name);
}

static char *
month_of (const char *date)
{
  g_autoptr(GDateTime) dt = NULL;
  int y, m, d;

  if (date == NULL || sscanf (date, "%d-%d-%d", &y, &m, &d) != 3)
    return NULL;
  dt = g_date_time_new_utc (y, m, d, 0, 0, 0);
  if (dt == NULL)
    return NULL;
  /* TRANSLATORS: a month and year, as in "March 2026" (g_date_time_format) */
  /* xgettext:no-c-format */
  return g_date_time_format (dt, _("%B %Y"));
}

static IhReportQuote *
make_quote (IhStore    *store,
            Candidate  *c,
            const char *theme)
{
  g_autoptr(IhInsight) insight = ih_store_load (store, &ih_insight_class, c->id, NULL);
  g_autoptr(IhActivity) activity = NULL;
  g_autoptr(GArray) spans = NULL;
  IhReportQuote *q;

  if (insight == NULL || insight->parent.deleted || g_strcmp0 (insight->consent, "withdrawn") == 0)
    return NULL;

  q = g_new0 (IhReportQuote, 1);
  q->insight_id = g_strdup (c->id);
  q->theme = g_strdup (theme);
  spans = ih_pii_scan (insight->text, -1);
  q->text = ih_pii_redact (insight->text, spans);
  q->anonymised = g_strcmp0 (insight->consent, "anonymised-only") == 0;

  /* Anonymised: nothing beside the words that could point to a person */
  if (!q->anonymised)
    {
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
      char *month;

      if (insight->activity_id)
        activity = ih_store_load (store, &ih_activity_class, insight->activity_id, NULL);
      if (activity != NULL)
        {
          g_ptr_array_add (parts, g_strdup (activity->title));
          if (activity->place && *activity->place)
            g_ptr_array_add (parts, g_strdup (activity->place));
        }
      month = month_of (insight->date);
      if (month != NULL)
        g_ptr_array_add (parts, month);
      if (parts->len > 0)
        {
          g_ptr_array_add (parts, NULL);
          q->attribution = g_strjoinv (", ", (char **) parts->pdata);
        }
    }
  return q;
}

static gboolean
step_error (IhStore  *store,
            int       rc,
            GError  **error)
{
  if (rc == SQLITE_DONE)
    return TRUE;
  return _ih_store_set_error (store, error, _("Could not read the insight"));
}

/* Counts, dates, themes, quote candidates and actions of the set, each in
 * one statement over the whole set */
static gboolean
gather (IhStore    *store,
        GArray     *rids,
        IhReport   *report,
        GPtrArray  *candidates,
        GHashTable *theme_members,
        GError    **error)
{
  g_autofree char *json = _ih_scope_rids_json (rids);
  g_autoptr(GHashTable) by_rid = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) themed = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) themes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) activities = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) actions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  gboolean ok;
  int rc;

  _ih_store_lock (store);

  stmt = _ih_store_prepare (store,
                            "SELECT rid, id, date, consent, restricted, kind, length (text), activity_rid"
                            " FROM insight WHERE rid IN (SELECT value FROM json_each (?))"
                            " AND deleted = 0 AND consent IS NOT 'withdrawn' ORDER BY rid",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *consent = (const char *) sqlite3_column_text (stmt, 3);
      const char *kind = (const char *) sqlite3_column_text (stmt, 5);
      gint64 len = sqlite3_column_int64 (stmt, 6);
      Candidate *cand = g_new0 (Candidate, 1);

      cand->rid = sqlite3_column_int64 (stmt, 0);
      cand->quotable = (g_strcmp0 (consent, "may-quote") == 0 || g_strcmp0 (consent, "anonymised-only") == 0) &&
                       sqlite3_column_int (stmt, 4) == 0 &&
                       len >= MIN_QUOTE_CHARS && len <= MAX_QUOTE_CHARS;
      cand->preferred = g_strcmp0 (kind, "quote") == 0 || g_strcmp0 (kind, "story") == 0;
      cand->date = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      if (cand->quotable)
        cand->id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
        {
          gint64 arid = sqlite3_column_int64 (stmt, 7);
          g_hash_table_add (activities, g_memdup2 (&arid, sizeof arid));
        }

      report->n_insight++;
      if (cand->date != NULL)
        {
          if (report->first_date == NULL || strcmp (cand->date, report->first_date) < 0)
            {
              g_free (report->first_date);
              report->first_date = g_strdup (cand->date);
            }
          if (report->last_date == NULL || strcmp (cand->date, report->last_date) > 0)
            {
              g_free (report->last_date);
              report->last_date = g_strdup (cand->date);
            }
        }
      g_ptr_array_add (candidates, cand);
      g_hash_table_insert (by_rid, &cand->rid, cand);
    }
  sqlite3_reset (stmt);
  if (!step_error (store, rc, error))
    goto fail;

  stmt = _ih_store_prepare (store,
                            "SELECT it.insight_rid, t.id, t.name FROM insight_theme it"
                            " JOIN theme t ON t.rid = it.theme_rid"
                            " WHERE it.insight_rid IN (SELECT value FROM json_each (?)) AND t.deleted = 0",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rid = sqlite3_column_int64 (stmt, 0);
      const char *tid = (const char *) sqlite3_column_text (stmt, 1);
      Candidate *cand = g_hash_table_lookup (by_rid, &rid);
      IhReportTheme *t;

      /* Not in the set after all (withdrawn or deleted meanwhile) */
      if (cand == NULL)
        continue;
      t = g_hash_table_lookup (themes, tid);
      if (t == NULL)
        {
          t = g_new0 (IhReportTheme, 1);
          t->id = g_strdup (tid);
          t->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
          g_ptr_array_add (report->themes, t);
          g_hash_table_insert (themes, t->id, t);
          g_hash_table_insert (theme_members, t->id, g_ptr_array_new ());
        }
      t->count++;
      g_hash_table_add (themed, &cand->rid);
      if (cand->quotable)
        g_ptr_array_add (g_hash_table_lookup (theme_members, t->id), cand);
    }
  sqlite3_reset (stmt);
  if (!step_error (store, rc, error))
    goto fail;

  if (report->n_insight > (gint64) g_hash_table_size (themed))
    {
      IhReportTheme *none = g_new0 (IhReportTheme, 1);

      none->name = g_strdup (_("No theme"));
      none->count = report->n_insight - g_hash_table_size (themed);
      g_ptr_array_add (report->themes, none);
    }

  /* Actions this insight led to */
  stmt = _ih_store_prepare (store,
                            "SELECT l.insight_rid, a.id FROM action_insight l JOIN action a ON a.rid = l.action_rid"
                            " WHERE l.insight_rid IN (SELECT value FROM json_each (?)) AND a.deleted = 0",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rid = sqlite3_column_int64 (stmt, 0);
      const char *aid = (const char *) sqlite3_column_text (stmt, 1);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (actions, aid));

      if (!g_hash_table_contains (by_rid, &rid))
        continue;
      g_hash_table_replace (actions, g_strdup (aid), GUINT_TO_POINTER (n + 1));
    }
  sqlite3_reset (stmt);
  ok = step_error (store, rc, error);
  _ih_store_unlock (store);
  if (!ok)
    return FALSE;

  report->n_activities = g_hash_table_size (activities);
  g_ptr_array_sort (report->themes, compare_themes);

  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, actions);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        IhAction *action = ih_store_load (store, &ih_action_class, key, error);
        IhReportAction *ra;

        if (action == NULL)
          return FALSE;
        ra = g_new0 (IhReportAction, 1);
        ra->action = action;
        ra->n_insight = GPOINTER_TO_UINT (value);
        g_ptr_array_add (report->actions, ra);
      }
  }
  return TRUE;

fail:
  _ih_store_unlock (store);
  return FALSE;
}

static gint
compare_actions (gconstpointer a,
                 gconstpointer b)
{
  const IhReportAction *x = *(IhReportAction **) a;
  const IhReportAction *y = *(IhReportAction **) b;

  if (x->action->parent.created_at != y->action->parent.created_at)
    return x->action->parent.created_at < y->action->parent.created_at ? -1 : 1;
  return g_strcmp0 (x->action->title, y->action->title);
}

IhReport *
ih_report_collect (IhStore     *store,
                   IhScopeKind  kind,
                   const char  *value,
                   const char  *place,
                   GError     **error)
{
  g_autoptr(IhReport) report = NULL;
  g_autoptr(GArray) rids = NULL;
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  g_autoptr(GHashTable) members = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) represent_error = NULL;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);
  g_return_val_if_fail (value != NULL, NULL);

  rids = ih_scope_collect (store, kind, value, error);
  if (rids == NULL)
    return NULL;

  report = g_new0 (IhReport, 1);
  report->scope = ih_scope_describe (store, kind, value);
  report->title = g_strdup (_("What people told us"));
  report->themes = g_ptr_array_new_with_free_func ((GDestroyNotify) theme_free);
  report->quotes = g_ptr_array_new_with_free_func ((GDestroyNotify) quote_free);
  report->actions = g_ptr_array_new_with_free_func ((GDestroyNotify) report_action_free);

  if (!gather (store, rids, report, candidates, members, error))
    return NULL;
  g_ptr_array_sort (report->actions, compare_actions);

  /* Quotes: for each of the largest themes, the best not used yet */
  for (guint i = 0; i < report->themes->len && i < IH_REPORT_MAX_THEMES; i++)
    {
      IhReportTheme *t = g_ptr_array_index (report->themes, i);
      GPtrArray *list;
      guint taken = 0;

      if (t->id == NULL || (list = g_hash_table_lookup (members, t->id)) == NULL)
        continue;
      g_ptr_array_sort (list, compare_candidates);
      for (guint j = 0; j < list->len && taken < IH_REPORT_QUOTES_PER_THEME &&
                        report->quotes->len < IH_REPORT_MAX_QUOTES; j++)
        {
          Candidate *c = g_ptr_array_index (list, j);
          IhReportQuote *q;

          if (g_hash_table_contains (used, c->id))
            continue;
          q = make_quote (store, c, t->name);
          if (q == NULL)
            continue;
          g_hash_table_add (used, c->id);
          g_ptr_array_add (report->quotes, q);
          taken++;
        }
    }

  report->represent = ih_represent_compute (store, rids, report->scope, place, &represent_error);
  if (report->represent == NULL)
    report->represent_error = g_strdup (represent_error->message);

  return g_steal_pointer (&report);
}

/*
 * Drawing
 */

#define PAGE_WIDTH 595.276   /* A4 in points */
#define PAGE_HEIGHT 841.89
#define MARGIN 56.0
#define CONTENT_WIDTH (PAGE_WIDTH - 2 * MARGIN)
#define FONT "Sans"

static const double ink[3] = { 0.12, 0.12, 0.14 };
static const double muted[3] = { 0.40, 0.40, 0.44 };
static const double accent[3] = { 0.10, 0.42, 0.55 };
static const double under_colour[3] = { 0.75, 0.20, 0.15 };
static const double over_colour[3] = { 0.80, 0.48, 0.05 };
static const double population_colour[3] = { 0.78, 0.78, 0.80 };

static void
set_rgb (cairo_t      *cr,
         const double  c[3])
{
  cairo_set_source_rgb (cr, c[0], c[1], c[2]);
}

static PangoLayout *
make_layout (cairo_t    *cr,
             const char *text,
             double      size,
             gboolean    bold,
             double      width)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (FONT);

  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* Draws @text with its top-left at (x, y); returns its height */
static double
draw_text (cairo_t      *cr,
           const char   *text,
           double        x,
           double        y,
           double        size,
           gboolean      bold,
           double        width,
           const double  colour[3])
{
  g_autoptr(PangoLayout) layout = make_layout (cr, text, size, bold, width);
  int w, h;

  cairo_save (cr);
  set_rgb (cr, colour);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

static double
text_width (cairo_t    *cr,
            const char *text,
            double      size,
            gboolean    bold)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, text, size, bold, -1);
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) w / PANGO_SCALE;
}

/* Text right-aligned to @right, vertically centred on @cy */
static void
draw_text_right (cairo_t      *cr,
                 const char   *text,
                 double        right,
                 double        cy,
                 double        size,
                 const double  colour[3])
{
  g_autoptr(PangoLayout) layout = make_layout (cr, text, size, FALSE, -1);
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  cairo_save (cr);
  set_rgb (cr, colour);
  cairo_move_to (cr, right - (double) w / PANGO_SCALE, cy - (double) h / PANGO_SCALE / 2);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

static char *
count_text (gint64 n)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, n);
}

static char *
percent (double v)
{
  if (isnan (v))
    return g_strdup ("—");
  return g_strdup_printf ("%.1f %%", v * 100);
}

void
ih_report_draw_themes (cairo_t   *cr,
                       GPtrArray *themes,
                       double     width,
                       double     height)
{
  guint n;
  gint64 max = 1;
  double label_w = 0, row_h, bar_x, bar_w, size;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (themes != NULL);

  n = MIN (themes->len, IH_REPORT_MAX_THEMES);
  if (n == 0 || width <= 0 || height <= 0)
    return;

  cairo_save (cr);
  row_h = height / n;
  size = CLAMP (row_h * 0.45, 6, 11);
  for (guint i = 0; i < n; i++)
    {
      IhReportTheme *t = g_ptr_array_index (themes, i);

      max = MAX (max, t->count);
      label_w = MAX (label_w, text_width (cr, t->name, size, FALSE));
    }
  label_w = MIN (label_w, width * 0.4);
  bar_x = label_w + 8;
  bar_w = MAX (width - bar_x - 40, 10);

  for (guint i = 0; i < n; i++)
    {
      IhReportTheme *t = g_ptr_array_index (themes, i);
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, t->count);
      double cy = (i + 0.5) * row_h;
      double w = bar_w * t->count / max;
      g_autoptr(PangoLayout) layout = make_layout (cr, t->name, size, FALSE, label_w);
      int lw, lh;

      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_get_size (layout, &lw, &lh);
      set_rgb (cr, ink);
      cairo_move_to (cr, 0, cy - (double) lh / PANGO_SCALE / 2);
      pango_cairo_show_layout (cr, layout);

      set_rgb (cr, t->id ? accent : population_colour);
      cairo_rectangle (cr, bar_x, cy - row_h * 0.3, MAX (w, 1), row_h * 0.6);
      cairo_fill (cr);
      draw_text_right (cr, count, bar_x + w + 6 + text_width (cr, count, size, FALSE), cy, size, ink);
    }
  cairo_restore (cr);
}

static guint
chart_rows (const IhRepresentCharacteristic *c)
{
  guint n = 0;

  for (guint i = 0; i < c->rows->len; i++)
    if (((IhRepresentRow *) g_ptr_array_index (c->rows, i))->kind == IH_REPRESENT_ROW_GROUP)
      n++;
  return n;
}

void
ih_report_draw_representativeness (cairo_t                *cr,
                                   const IhRepresentTable *table,
                                   double                  width,
                                   double                  height)
{
  guint lines = 1;  /* the legend */
  double line_h, size, label_w, bar_x, bar_w, y;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (table != NULL);

  if (width <= 0 || height <= 0)
    return;

  /* Each characteristic: a heading, one line per group, a line of notes */
  for (guint i = 0; i < table->characteristics->len; i++)
    lines += chart_rows (g_ptr_array_index (table->characteristics, i)) + 2;
  line_h = height / lines;
  size = CLAMP (line_h * 0.5, 5, 10);
  label_w = MIN (width * 0.3, 120);
  bar_x = label_w + 6;
  bar_w = MAX (width - bar_x - 110, 10);

  cairo_save (cr);

  /* Legend */
  y = 0;
  set_rgb (cr, accent);
  cairo_rectangle (cr, 0, y + line_h * 0.3, 10, line_h * 0.4);
  cairo_fill (cr);
  draw_text (cr, _("People we heard from"), 14, y + line_h * 0.5 - size * 0.65, size, FALSE, -1, ink);
  set_rgb (cr, population_colour);
  cairo_rectangle (cr, width * 0.4, y + line_h * 0.3, 10, line_h * 0.4);
  cairo_fill (cr);
  {
    g_autofree char *pop = g_strdup_printf (_("Population of %s"), table->place);
    draw_text (cr, pop, width * 0.4 + 14, y + line_h * 0.5 - size * 0.65, size, FALSE, -1, ink);
  }
  y += line_h;

  for (guint i = 0; i < table->characteristics->len; i++)
    {
      IhRepresentCharacteristic *c = g_ptr_array_index (table->characteristics, i);
      g_autofree char *notes = NULL;
      double max = 0;

      draw_text (cr, c->characteristic->label, 0, y + line_h * 0.5 - size * 0.7, size * 1.1, TRUE, -1, ink);
      y += line_h;

      for (guint j = 0; j < c->rows->len; j++)
        {
          IhRepresentRow *row = g_ptr_array_index (c->rows, j);

          if (row->kind != IH_REPRESENT_ROW_GROUP)
            continue;
          if (!isnan (row->observed_share))
            max = MAX (max, row->observed_share);
          if (!isnan (row->expected_share))
            max = MAX (max, row->expected_share);
        }
      if (max <= 0)
        max = 1;

      for (guint j = 0; j < c->rows->len; j++)
        {
          IhRepresentRow *row = g_ptr_array_index (c->rows, j);
          g_autofree char *obs = NULL;
          g_autofree char *label = NULL;
          const double *colour = accent;
          double cy = y + line_h / 2;
          g_autoptr(PangoLayout) layout = NULL;
          int lw, lh;

          if (row->kind != IH_REPRESENT_ROW_GROUP)
            continue;

          layout = make_layout (cr, row->label, size, FALSE, label_w);
          pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
          pango_layout_get_size (layout, &lw, &lh);
          set_rgb (cr, ink);
          cairo_move_to (cr, 0, cy - (double) lh / PANGO_SCALE / 2);
          pango_cairo_show_layout (cr, layout);

          /* The population's share behind, ours in front */
          if (!isnan (row->expected_share))
            {
              set_rgb (cr, population_colour);
              cairo_rectangle (cr, bar_x, cy - line_h * 0.4, bar_w * row->expected_share / max, line_h * 0.8);
              cairo_fill (cr);
            }
          if (row->flag == IH_REPRESENT_UNDER)
            colour = under_colour;
          else if (row->flag == IH_REPRESENT_OVER)
            colour = over_colour;
          if (!isnan (row->observed_share))
            {
              set_rgb (cr, colour);
              cairo_rectangle (cr, bar_x, cy - line_h * 0.2, MAX (bar_w * row->observed_share / max, 0.5),
                               line_h * 0.4);
              cairo_fill (cr);
            }

          obs = percent (row->observed_share);
          if (row->flag == IH_REPRESENT_UNDER)
            label = g_strdup_printf ("%s ▼ %s", obs, _("under"));
          else if (row->flag == IH_REPRESENT_OVER)
            label = g_strdup_printf ("%s ▲ %s", obs, _("over"));
          else
            label = g_strdup (obs);
          draw_text (cr, label, bar_x + bar_w + 6, cy - size * 0.65, size,
                     row->flag != IH_REPRESENT_AS_EXPECTED, -1,
                     row->flag == IH_REPRESENT_AS_EXPECTED ? ink : colour);
          y += line_h;
        }

      {
        g_autofree char *answered = count_text (c->answered);
        g_autofree char *prefer_not = count_text (c->prefer_not);
        g_autofree char *missing = count_text (c->missing);
        g_autofree char *not_in = count_text (c->not_in_profile);

        notes = g_strdup_printf (_("%s answered · %s prefer not to say · %s not answered · "
                                   "%s not in the profile%s"),
                                 answered, prefer_not, missing, not_in,
                                 c->test == IH_REPRESENT_TEST_NONE ? _(" · not tested") : "");
      }
      draw_text (cr, notes, 0, y + line_h * 0.5 - size * 0.6, size * 0.9, FALSE, width, muted);
      y += line_h;
    }

  cairo_restore (cr);
}

/* A PDF being written: pages, a cursor and the footer */
typedef struct
{
  cairo_t  *cr;
  IhReport *report;
  double    y;
  guint     page;
} Writer;

static void
finish_page (Writer *w)
{
  g_autofree char *footer = g_strdup_printf (_("%s · %s · page %u"), w->report->title, w->report->scope, w->page);

  draw_text (w->cr, footer, MARGIN, PAGE_HEIGHT - MARGIN + 16, 8, FALSE, CONTENT_WIDTH, muted);
  cairo_show_page (w->cr);
  w->page++;
  w->y = MARGIN;
}

/* Starts a new page unless @height more fits on this one */
static void
need (Writer *w,
      double  height)
{
  if (w->y + height > PAGE_HEIGHT - MARGIN)
    finish_page (w);
}

static double
measure (Writer     *w,
         const char *text,
         double      size,
         gboolean    bold,
         double      width)
{
  g_autoptr(PangoLayout) layout = make_layout (w->cr, text, size, bold, width);
  int lw, lh;

  pango_layout_get_size (layout, &lw, &lh);
  return (double) lh / PANGO_SCALE;
}

static void
paragraph (Writer       *w,
           const char   *text,
           double        size,
           gboolean      bold,
           double        indent,
           double        space_after,
           const double  colour[3])
{
  double width = CONTENT_WIDTH - indent;

  need (w, measure (w, text, size, bold, width));
  w->y += draw_text (w->cr, text, MARGIN + indent, w->y, size, bold, width, colour) + space_after;
}

static void
heading (Writer     *w,
         const char *text)
{
  /* Keep a heading with a few lines of what follows */
  need (w, 90);
  w->y += 6;
  w->y += draw_text (w->cr, text, MARGIN, w->y, 17, TRUE, CONTENT_WIDTH, accent) + 10;
}

static void
write_title_page (Writer *w)
{
  IhReport *r = w->report;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  /* TRANSLATORS: a date, as in "23 November 2026" (g_date_time_format) */
  /* xgettext:no-c-format */
  g_autofree char *today = g_date_time_format (now, _("%e %B %Y"));
  g_autofree char *prepared = g_strdup_printf (_("Prepared on %s with Insight Hub"), g_strstrip (today));
  g_autofree char *insight_count = count_text (r->n_insight);
  g_autofree char *activity_count = count_text (r->n_activities);
  g_autofree char *n_insight = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s piece of insight",
                                                             "%s pieces of insight", (gulong) r->n_insight),
                                                insight_count);
  g_autofree char *n_act = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "from %s activity",
                                                         "from %s activities", (gulong) r->n_activities),
                                            activity_count);
  g_autofree char *summary = NULL;

  if (r->first_date && r->last_date)
    summary = g_strdup_printf (_("%s %s, dated %s to %s."), n_insight, n_act, r->first_date, r->last_date);
  else
    summary = g_strdup_printf (_("%s %s."), n_insight, n_act);

  w->y = PAGE_HEIGHT * 0.28;
  set_rgb (w->cr, accent);
  cairo_rectangle (w->cr, MARGIN, w->y - 24, 60, 6);
  cairo_fill (w->cr);
  paragraph (w, r->title, 30, TRUE, 0, 12, ink);
  paragraph (w, r->scope, 18, FALSE, 0, 28, ink);
  paragraph (w, summary, 12, FALSE, 0, 8, ink);
  paragraph (w, prepared, 11, FALSE, 0, 40, muted);
  paragraph (w,
             _("Withdrawn insight is never included. People are quoted only where they agreed to it; "
               "those who asked to be anonymised are quoted with no activity, place, date or personal "
               "details beside their words, and personal data such as phone numbers is removed from "
               "every quote."),
             9.5, FALSE, 0, 0, muted);
  finish_page (w);
}

static void
write_themes (Writer *w)
{
  IhReport *r = w->report;
  guint n = MIN (r->themes->len, IH_REPORT_MAX_THEMES);
  double chart_h = MAX (n, 1) * 22.0;

  heading (w, _("What people talked about"));
  if (n == 0)
    {
      paragraph (w, _("No insight in this report."), 11, FALSE, 0, 10, ink);
      return;
    }
  paragraph (w,
             _("Each piece of insight may have several themes, so the counts can add up to more than "
               "the number of pieces."),
             9.5, FALSE, 0, 10, muted);
  need (w, chart_h);
  cairo_save (w->cr);
  cairo_translate (w->cr, MARGIN, w->y);
  ih_report_draw_themes (w->cr, r->themes, CONTENT_WIDTH, chart_h);
  cairo_restore (w->cr);
  w->y += chart_h + 12;
  if (r->themes->len > n)
    {
      g_autofree char *more = g_strdup_printf (_("… and %u more themes"), r->themes->len - n);
      paragraph (w, more, 9.5, FALSE, 0, 10, muted);
    }
}

static void
write_quotes (Writer *w)
{
  IhReport *r = w->report;
  const char *current = NULL;

  heading (w, _("In their words"));
  if (r->quotes->len == 0)
    {
      paragraph (w, _("No insight here may be quoted."), 11, FALSE, 0, 10, ink);
      return;
    }
  for (guint i = 0; i < r->quotes->len; i++)
    {
      IhReportQuote *q = g_ptr_array_index (r->quotes, i);
      g_autofree char *text = g_strdup_printf ("“%s”", q->text);
      g_autofree char *by = q->anonymised ? g_strdup_printf ("— %s", _("anonymised"))
                                          : g_strdup_printf ("— %s", q->attribution ? q->attribution : _("unattributed"));

      if (g_strcmp0 (current, q->theme) != 0)
        {
          need (w, 60);
          paragraph (w, q->theme, 12, TRUE, 0, 6, ink);
          current = q->theme;
        }
      /* The quote and its attribution stay together */
      need (w, measure (w, text, 11, FALSE, CONTENT_WIDTH - 16) + 24);
      set_rgb (w->cr, accent);
      cairo_rectangle (w->cr, MARGIN + 2, w->y, 3, measure (w, text, 11, FALSE, CONTENT_WIDTH - 16));
      cairo_fill (w->cr);
      paragraph (w, text, 11, FALSE, 16, 3, ink);
      paragraph (w, by, 9, FALSE, 16, 12, muted);
    }
}

static void
write_represent (Writer *w)
{
  IhReport *r = w->report;
  IhRepresentTable *t = r->represent;
  double chart_h;
  guint lines = 1;
  static const double cols[] = { 0, 150, 220, 300, 380 };

  heading (w, _("Who we heard from"));
  if (t == NULL)
    {
      paragraph (w, r->represent_error, 11, FALSE, 0, 10, ink);
      return;
    }

  {
    g_autofree char *respondents = count_text (t->n_respondents);
    g_autofree char *insight = count_text (t->n_insight);
    g_autofree char *intro = g_strdup_printf (_("%s of the %s pieces of insight say something about the person "
                                                "(age, sex, ethnic group, disability or postcode district): each is one respondent. "
                                                "They are compared with the population of %s."),
                                              respondents, insight, t->place);
    paragraph (w, intro, 10, FALSE, 0, 6, ink);
  }
  if (t->place_note)
    paragraph (w, t->place_note, 10, FALSE, 0, 6, ink);
  paragraph (w,
             _("A group is marked under- or over-represented only when an exact binomial test (a score "
               "test above 5,000 answers), corrected for the number of groups (Holm–Bonferroni), finds "
               "the difference unlikely to be chance (p < 0.05), and only with at least 30 answers. "
               "“Prefer not to say” and unanswered are shown but not tested."),
             9, FALSE, 0, 10, muted);

  for (guint i = 0; i < t->characteristics->len; i++)
    lines += chart_rows (g_ptr_array_index (t->characteristics, i)) + 2;
  chart_h = lines * 15.0;
  need (w, chart_h);
  cairo_save (w->cr);
  cairo_translate (w->cr, MARGIN, w->y);
  ih_report_draw_representativeness (w->cr, t, CONTENT_WIDTH, chart_h);
  cairo_restore (w->cr);
  w->y += chart_h + 14;

  /* The table */
  for (guint i = 0; i < t->characteristics->len; i++)
    {
      IhRepresentCharacteristic *c = g_ptr_array_index (t->characteristics, i);
      const char *head[] = { c->characteristic->label, _("Respondents"), _("Share"), _("Population"),
                             _("Representation") };

      need (w, 16 * 3);
      for (guint k = 0; k < G_N_ELEMENTS (head); k++)
        draw_text (w->cr, head[k], MARGIN + cols[k], w->y, 9, TRUE, -1, ink);
      w->y += 14;
      cairo_save (w->cr);
      set_rgb (w->cr, population_colour);
      cairo_rectangle (w->cr, MARGIN, w->y - 1, CONTENT_WIDTH, 0.8);
      cairo_fill (w->cr);
      cairo_restore (w->cr);

      for (guint j = 0; j < c->rows->len; j++)
        {
          IhRepresentRow *row = g_ptr_array_index (c->rows, j);
          g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, row->count);
          g_autofree char *obs = percent (row->observed_share);
          g_autofree char *exp = percent (row->expected_share);
          const char *flag = ih_represent_flag_label (row->flag);
          const char *label = row->label;
          g_autofree char *not_in = NULL;
          const double *colour = row->flag == IH_REPRESENT_UNDER ? under_colour
                               : row->flag == IH_REPRESENT_OVER ? over_colour : ink;

          if (row->kind == IH_REPRESENT_ROW_NOT_IN_PROFILE)
            label = not_in = g_strdup_printf (_("%s (not in the profile)"), row->label);
          need (w, 14);
          draw_text (w->cr, label, MARGIN + cols[0], w->y, 9, FALSE, cols[1] - 6, ink);
          draw_text (w->cr, count, MARGIN + cols[1], w->y, 9, FALSE, -1, ink);
          draw_text (w->cr, row->kind == IH_REPRESENT_ROW_GROUP ? obs : "", MARGIN + cols[2], w->y, 9, FALSE, -1, ink);
          draw_text (w->cr, row->kind == IH_REPRESENT_ROW_GROUP ? exp : "", MARGIN + cols[3], w->y, 9, FALSE, -1, ink);
          draw_text (w->cr, flag, MARGIN + cols[4], w->y, 9, row->flag != IH_REPRESENT_AS_EXPECTED, -1, colour);
          w->y += 13;
        }
      if (c->note)
        paragraph (w, c->note, 8.5, FALSE, 0, 0, muted);
      w->y += 10;
    }
}

static void
write_actions (Writer *w)
{
  IhReport *r = w->report;

  heading (w, _("What we did"));
  if (r->actions->len == 0)
    {
      paragraph (w, _("No actions are recorded against this insight yet."), 11, FALSE, 0, 10, ink);
      return;
    }
  for (guint i = 0; i < r->actions->len; i++)
    {
      IhReportAction *ra = g_ptr_array_index (r->actions, i);
      IhAction *a = ra->action;
      g_autoptr(GString) meta = g_string_new (NULL);
      const char *status = a->status ? ih_vocab_label ("action-status", a->status) : NULL;

      g_string_append_printf (meta,
                              g_dngettext (GETTEXT_PACKAGE, "Because of %u piece of insight in this report",
                                           "Because of %u pieces of insight in this report", ra->n_insight),
                              ra->n_insight);
      if (status)
        g_string_append_printf (meta, " · %s", status);
      if (a->owner && *a->owner)
        g_string_append_printf (meta, _(" · owner: %s"), a->owner);
      if (a->fed_back_date)
        g_string_append_printf (meta, _(" · people told on %s"), a->fed_back_date);
      else
        g_string_append (meta, _(" · people not told yet"));

      need (w, 60);
      paragraph (w, a->title, 12, TRUE, 0, 3, ink);
      if (a->description && *a->description)
        paragraph (w, a->description, 10, FALSE, 0, 3, ink);
      paragraph (w, meta->str, 9, FALSE, 0, 12, muted);
    }
}

/* The whole report, or (@represent_only) a title and who we heard from */
static gboolean
write_document (IhReport    *report,
                const char  *path,
                gboolean     represent_only,
                GError     **error)
{
  g_autofree char *tmp = NULL;
  g_autofree char *folder = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  Writer w = { 0 };

  /* Written beside and moved into place: a failure never leaves half a
   * report under the name asked for */
  /* cairo only says "error while writing" when it cannot create a file */
  folder = g_path_get_dirname (path);
  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Cannot write “%s”: there is no folder %s"), path, folder);
      return FALSE;
    }
  tmp = g_strdup_printf ("%s.part", path);
  surface = cairo_pdf_surface_create (tmp, PAGE_WIDTH, PAGE_HEIGHT);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write “%s”: %s"), path,
                   cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      g_unlink (tmp);
      return FALSE;
    }
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, report->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, report->scope);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Insight Hub " PACKAGE_VERSION);

  w.cr = cairo_create (surface);
  w.report = report;
  w.page = 1;
  w.y = MARGIN;

  if (represent_only)
    {
      paragraph (&w, report->title, 22, TRUE, 0, 6, ink);
      paragraph (&w, report->scope, 13, FALSE, 0, 14, ink);
      write_represent (&w);
    }
  else
    {
      write_title_page (&w);
      write_themes (&w);
      write_quotes (&w);
      finish_page (&w);
      write_represent (&w);
      write_actions (&w);
    }
  finish_page (&w);

  status = cairo_status (w.cr);
  cairo_destroy (w.cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write “%s”: %s"), path,
                   cairo_status_to_string (status));
      g_unlink (tmp);
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot write “%s”: %s"), path,
                   g_strerror (saved));
      g_unlink (tmp);
      return FALSE;
    }
  return TRUE;
}

gboolean
ih_report_write_pdf (IhReport    *report,
                     const char  *path,
                     GError     **error)
{
  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return write_document (report, path, FALSE, error);
}

gboolean
ih_report_write_representativeness_pdf (IhRepresentTable  *table,
                                        const char        *path,
                                        GError           **error)
{
  IhReport report = { 0 };

  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* Borrowed: nothing here is freed */
  report.title = (char *) _("Representativeness");
  report.scope = table->scope;
  report.represent = table;
  return write_document (&report, path, TRUE, error);
}
