/* ih-represent.h — who we heard from beside who lives there: respondents
 * by age band, sex, ethnic group, disability and deprivation against a population
 * profile, with the groups that are under- or over-represented beyond
 * chance (docs/representativeness.md)
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ih-population.h"
#include "ih-store.h"

G_BEGIN_DECLS

/* Significance level, after the Holm–Bonferroni correction across the
 * groups of one characteristic */
#define IH_REPRESENT_ALPHA 0.05
/* No group of a characteristic is flagged with fewer answers than this */
#define IH_REPRESENT_MIN_ANSWERS 30
/* Up to this many answers the exact binomial test is used; above it the
 * score test with continuity correction (the two agree closely there) */
#define IH_REPRESENT_EXACT_MAX 5000

/* Which insight a report is about. Withdrawn and tombstoned insight is
 * never part of any scope. */
typedef enum
{
  IH_SCOPE_ACTIVITY,      /* value: an activity id */
  IH_SCOPE_PROGRAMME,     /* value: a programme name, as activities have it (case-insensitive) */
  IH_SCOPE_QUERY,         /* value: a search in the query language ("" = everything) */
} IhScopeKind;

/* The rids of the insight in a scope, ascending: GArray of gint64. */
GArray      *ih_scope_collect        (IhStore      *store,
                                      IhScopeKind   kind,
                                      const char   *value,
                                      GError      **error);
/* "Activity “…”", "Programme “…”", "Search “…”" for titles */
char        *ih_scope_describe       (IhStore      *store,
                                      IhScopeKind   kind,
                                      const char   *value);

typedef enum
{
  IH_REPRESENT_AS_EXPECTED,   /* not tested, or no significant difference */
  IH_REPRESENT_UNDER,
  IH_REPRESENT_OVER,
} IhRepresentFlag;

typedef enum
{
  IH_REPRESENT_ROW_GROUP,           /* a group of the profile: tested */
  IH_REPRESENT_ROW_NOT_IN_PROFILE,  /* answered, but the profile has no share for it */
  IH_REPRESENT_ROW_PREFER_NOT,      /* "prefer not to say" */
  IH_REPRESENT_ROW_MISSING,         /* a respondent who left this one blank */
} IhRepresentRowKind;

typedef enum
{
  IH_REPRESENT_TEST_NONE,
  IH_REPRESENT_TEST_EXACT,          /* exact two-sided binomial test */
  IH_REPRESENT_TEST_SCORE,          /* score (z) test with continuity correction */
} IhRepresentTest;

typedef struct
{
  IhRepresentRowKind kind;
  char              *group;           /* vocabulary key; NULL for missing */
  char              *label;
  gint64             count;
  double             observed_share;  /* count / answered; NAN unless kind is GROUP */
  double             expected_share;  /* profile share rescaled over its groups; NAN when none */
  double             expected_count;  /* expected_share × answered; NAN when none */
  double             p_value;         /* two-sided, NAN when not tested */
  double             p_adjusted;      /* Holm–Bonferroni, NAN when not tested */
  IhRepresentFlag    flag;
} IhRepresentRow;

typedef struct
{
  const IhCharacteristic *characteristic;
  gint64           answered;         /* respondents in a profile group: the test's n */
  gint64           prefer_not;
  gint64           missing;
  gint64           not_in_profile;
  IhRepresentTest  test;             /* NONE when answered < MIN_ANSWERS or no profile */
  char            *note;             /* why not tested, or NULL */
  GPtrArray       *rows;             /* of IhRepresentRow: groups in profile order, then
                                      * not in profile, prefer not to say, missing */
} IhRepresentCharacteristic;

typedef struct
{
  char      *scope;                  /* ih_scope_describe () */
  char      *place;                  /* the profile used */
  char      *place_note;             /* how the place was chosen, or NULL */
  gint64     n_insight;              /* insight in the scope */
  gint64     n_respondents;          /* of which with any demographic answer */
  GPtrArray *characteristics;        /* of IhRepresentCharacteristic; those respondents
                                      * are asked (not the deprivation decile) */
} IhRepresentTable;

/* Counts the respondents of a set of insight (rids as from
 * ih_scope_collect) against the profile of @place, or when @place is NULL
 * of the place where most of the set's activities were held. */
IhRepresentTable *ih_represent_compute      (IhStore       *store,
                                             GArray        *rids,
                                             const char    *scope_label,
                                             const char    *place,
                                             GError       **error);
void              ih_represent_table_free   (IhRepresentTable *table);
/* "Under-represented", "Over-represented" or "" */
const char       *ih_represent_flag_label   (IhRepresentFlag flag);
/* The table as CSV (one row per group, with a header). */
char             *ih_represent_to_csv       (const IhRepresentTable *table);

/* The statistics, exposed for tests */
/* Two-sided exact binomial p-value of @k successes in @n trials with
 * success probability @p: the probability of every outcome no more likely
 * than @k. */
double            ih_represent_binomial_p   (gint64  k,
                                             gint64  n,
                                             double  p);
/* Two-sided p-value of the score test with continuity correction */
double            ih_represent_score_p      (gint64  k,
                                             gint64  n,
                                             double  p);
/* Holm–Bonferroni: adjusts @p (length @n) in place */
void              ih_represent_holm         (double *p,
                                             guint   n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhRepresentTable, ih_represent_table_free)

G_END_DECLS
