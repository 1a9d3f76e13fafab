/* ih-population.h — reference populations: the share of a place's people
 * in each group of a characteristic, e.g. from census tables
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ih-store.h"

G_BEGIN_DECLS

#define IH_POPULATION_ERROR (ih_population_error_quark ())

typedef enum
{
  IH_POPULATION_ERROR_INVALID,    /* the file's rows: the message names each line */
  IH_POPULATION_ERROR_NOT_FOUND,  /* no profile for the place */
} IhPopulationError;

/* How far the shares of one characteristic may add up from 1 (rounding in
 * published tables); beyond it the profile is refused. */
#define IH_POPULATION_SUM_TOLERANCE 0.02

/* A characteristic a profile describes. @vocab is the vocabulary of its
 * groups (NULL for the deprivation decile: "1" most deprived … "10"), and
 * @column the insight column holding a respondent's answer. For the
 * deprivation decile (@by_district) that column is the postcode district,
 * whose decile the profile gives. */
typedef struct
{
  const char *key;        /* "age-band" */
  const char *label;      /* translated */
  const char *vocab;
  const char *column;
  gboolean    by_district;
} IhCharacteristic;

typedef struct
{
  char   *characteristic;
  char   *group;          /* a vocabulary key, or "1".."10" for deciles */
  double  share;          /* 0..1 as imported */
} IhPopulationShare;

typedef struct
{
  char      *place;       /* as first written in the file */
  char      *source;      /* NULL or where the figures come from */
  gint64     imported_at; /* ms since the epoch */
  GPtrArray *shares;      /* of IhPopulationShare, by characteristic then group order */
  GHashTable *districts;  /* upper-case postcode district → decile (GINT_TO_POINTER) */
} IhPopulationProfile;

GQuark                   ih_population_error_quark   (void);

/* The characteristics, in display order; NULL-key terminated. */
const IhCharacteristic  *ih_population_characteristics (guint *n);
const IhCharacteristic  *ih_population_characteristic  (const char *name);

/* Imports a profile CSV with the columns place, characteristic, group,
 * share (or value) and optionally source. A share is a fraction (0.092)
 * or a percentage (9.2%). Rows whose characteristic is "postcode-district"
 * give a district (group: GL5) and its deprivation decile (1 to 10) in
 * place of a share. The whole file is checked first: every problem is
 * reported with its line and nothing is imported. Each place in the file
 * then replaces that place's profile, all in one transaction. @n_places
 * and @n_rows receive what was imported. */
gboolean                 ih_population_import        (IhStore     *store,
                                                      const char  *path,
                                                      guint       *n_places,
                                                      guint       *n_rows,
                                                      GError     **error);
/* The places that have a profile, sorted: GPtrArray of char *. */
GPtrArray               *ih_population_list_places   (IhStore     *store,
                                                      GError     **error);
/* The profile of @place (case-insensitive), or NULL with
 * IH_POPULATION_ERROR_NOT_FOUND. */
IhPopulationProfile     *ih_population_get           (IhStore     *store,
                                                      const char  *place,
                                                      GError     **error);
void                     ih_population_profile_free  (IhPopulationProfile *profile);
/* The deprivation decile (1..10) of a postcode district, 0 when unknown. */
int                      ih_population_profile_decile (IhPopulationProfile *profile,
                                                       const char          *district);
/* The share of @group in @characteristic, NAN when the profile has none. */
double                   ih_population_profile_share (IhPopulationProfile *profile,
                                                      const char          *characteristic,
                                                      const char          *group);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhPopulationProfile, ih_population_profile_free)

G_END_DECLS
