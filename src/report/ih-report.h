/* ih-report.h — the board report: themes, quotes people agreed to,
 * who we heard from and what was done, as a PDF drawn with cairo and pango
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "ih-represent.h"
#include "ih-store.h"

G_BEGIN_DECLS

/* Most themes listed and drawn; most quotes per theme, and in all */
#define IH_REPORT_MAX_THEMES 10
#define IH_REPORT_QUOTES_PER_THEME 2
#define IH_REPORT_MAX_QUOTES 12

typedef struct
{
  char   *id;             /* NULL for "no theme" */
  char   *name;
  gint64  count;
} IhReportTheme;

typedef struct
{
  char     *insight_id;
  char     *theme;        /* the theme it illustrates */
  char     *text;         /* personal data (NHS numbers, phones, e-mail,
                           * full postcodes) replaced by labels */
  char     *attribution;  /* activity, place, month; NULL when anonymised */
  gboolean  anonymised;
} IhReportQuote;

typedef struct
{
  IhAction *action;
  guint     n_insight;    /* of its insight, how many are in this report */
} IhReportAction;

/* Everything a report shows, gathered first so a view can show the same */
typedef struct
{
  char             *title;
  char             *scope;
  gint64            n_insight;
  gint64            n_activities;
  char             *first_date;
  char             *last_date;
  GPtrArray        *themes;          /* of IhReportTheme, largest first */
  GPtrArray        *quotes;          /* of IhReportQuote */
  IhRepresentTable *represent;       /* NULL when it cannot be made: */
  char             *represent_error; /* … then why */
  GPtrArray        *actions;         /* of IhReportAction */
} IhReport;

/* Gathers the report for a scope (see ih_scope_collect). Withdrawn and
 * deleted insight is never part of it. Quotes are chosen among insight
 * whose consent is "may quote" or "anonymised only", not restricted, 20 to
 * 600 characters long: for each of the largest themes, quotes and stories
 * first, then the most recent. "Anonymised only" quotes carry no activity,
 * place, date or demographics. */
IhReport  *ih_report_collect   (IhStore      *store,
                                IhScopeKind   kind,
                                const char   *value,
                                const char   *place,
                                GError      **error);
void       ih_report_free      (IhReport     *report);

/* Writes @report as an A4 PDF to @path (replaced only when complete). */
gboolean   ih_report_write_pdf (IhReport     *report,
                                const char   *path,
                                GError      **error);

/* Only the representativeness chart and table, as a PDF */
gboolean   ih_report_write_representativeness_pdf (IhRepresentTable  *table,
                                                   const char        *path,
                                                   GError           **error);

/* Charts, for the PDF and for the app: each draws within (0, 0) –
 * (@width, @height) of @cr in user units, leaving @cr's state as it was. */
void       ih_report_draw_representativeness (cairo_t                *cr,
                                              const IhRepresentTable *table,
                                              double                  width,
                                              double                  height);
void       ih_report_draw_themes             (cairo_t                *cr,
                                              GPtrArray              *themes,
                                              double                  width,
                                              double                  height);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhReport, ih_report_free)

G_END_DECLS
