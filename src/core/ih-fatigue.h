/* ih-fatigue.h — involvement fatigue: what was already asked of whom, on
 * the same topic and in the same place, in the last months
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ih-store.h"

G_BEGIN_DECLS

/* The window the app offers until the person changes it in Preferences */
#define IH_FATIGUE_DEFAULT_MONTHS 12

/* What is being planned. Every member may be NULL; @date defaults to
 * today. The window is the @months before @date, @date included. */
typedef struct
{
  char    *topic;            /* words, e.g. the activity's title */
  char    *programme;
  char    *place;
  char    *locality;
  GStrv    communities;
  char    *date;             /* "YYYY-MM-DD" */
  guint    months;
  char    *exclude_activity_id;
} IhFatigueQuery;

typedef enum
{
  IH_FATIGUE_HIT_ACTIVITY,
  IH_FATIGUE_HIT_INSIGHT,
} IhFatigueHitKind;

typedef struct
{
  IhFatigueHitKind  kind;
  char             *id;
  char             *title;       /* the activity's title, or the insight's text */
  char             *activity_title;  /* for insight: its activity's, or NULL */
  char             *date;
  char             *place;
  double            score;       /* higher is more relevant */
  GPtrArray        *reasons;     /* of char *: why this is a hit, for display */
} IhFatigueHit;

/* The query for planning more of @activity_id: its title and programme as
 * the topic, its place, locality, communities and start date. */
IhFatigueQuery *ih_fatigue_query_for_activity (IhStore              *store,
                                               const char           *activity_id,
                                               guint                 months,
                                               GError              **error);
void            ih_fatigue_query_free         (IhFatigueQuery       *query);

/* Earlier activities and insight in the window, most relevant first, at
 * most @limit of each kind. How relevance is scored:
 *   activity: same programme +3; each topic word in its title or
 *             programme +1 (at most 3); insight of it matching the topic
 *             words in the search index +1 each (at most 3); same place
 *             +2; same locality +2; each target community in common +2.
 *   insight:  matches the topic words (search index) +2; its activity's
 *             programme, place, locality and communities as above.
 * Only hits with a score above 0 are kept; the score is then weighed by
 * recency, falling linearly to half at the far end of the window. */
GPtrArray      *ih_fatigue_find               (IhStore              *store,
                                               const IhFatigueQuery *query,
                                               guint                 limit,
                                               GError              **error);
void            ih_fatigue_hit_free           (IhFatigueHit         *hit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhFatigueQuery, ih_fatigue_query_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhFatigueHit, ih_fatigue_hit_free)

G_END_DECLS
