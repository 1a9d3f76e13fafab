/* ih-vocab.c — fixed value lists: kinds, sentiment, consent, demographics
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-vocab"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ih-record.h"

typedef struct
{
  const char *key;
  const char *label;
} VocabEntry;

typedef struct
{
  const char        *name;
  const VocabEntry  *entries;
  const char *const *keys;
} Vocab;

#define PNTS { "prefer-not-to-say", N_("Prefer not to say") }

static const VocabEntry activity_kinds[] = {
  { "workshop", N_("Workshop") },
  { "survey", N_("Survey") },
  { "focus-group", N_("Focus group") },
  { "public-meeting", N_("Public meeting") },
  { "webinar", N_("Webinar") },
  { "citizens-panel", N_("Citizens panel") },
  { "story-interview", N_("Story interview") },
  { "drop-in", N_("Drop-in") },
  { "outreach", N_("Outreach") },
  { "board-question", N_("Board question") },
  { "other", N_("Other") },
  { NULL }
};

static const VocabEntry activity_statuses[] = {
  { "planned", N_("Planned") },
  { "in-progress", N_("In progress") },
  { "completed", N_("Completed") },
  { "cancelled", N_("Cancelled") },
  { NULL }
};

static const VocabEntry insight_kinds[] = {
  { "quote", N_("Quote") },
  { "summary", N_("Summary") },
  { "story", N_("Story") },
  { "survey-answer", N_("Survey answer") },
  { "question", N_("Question") },
  { NULL }
};

static const VocabEntry insight_statuses[] = {
  { "draft", N_("Draft") },
  { "recorded", N_("Recorded") },
  { "reviewed", N_("Reviewed") },
  { NULL }
};

static const VocabEntry sentiments[] = {
  { "positive", N_("Positive") },
  { "neutral", N_("Neutral") },
  { "negative", N_("Negative") },
  { "mixed", N_("Mixed") },
  { NULL }
};

static const VocabEntry consents[] = {
  { "may-quote", N_("May quote") },
  { "anonymised-only", N_("Anonymised only") },
  { "withdrawn", N_("Withdrawn") },
  { NULL }
};

static const VocabEntry action_statuses[] = {
  { "proposed", N_("Proposed") },
  { "in-progress", N_("In progress") },
  { "done", N_("Done") },
  { "not-taken", N_("Not taken forward") },
  { NULL }
};

static const VocabEntry age_bands[] = {
  { "under-16", N_("Under 16") },
  { "16-24", N_("16 to 24") },
  { "25-34", N_("25 to 34") },
  { "35-44", N_("35 to 44") },
  { "45-54", N_("45 to 54") },
  { "55-64", N_("55 to 64") },
  { "65-74", N_("65 to 74") },
  { "75-plus", N_("75 and over") },
  PNTS,
  { NULL }
};

static const VocabEntry sexes[] = {
  { "female", N_("Female") },
  { "male", N_("Male") },
  { "other", N_("Other") },
  PNTS,
  { NULL }
};

/* The high-level groups of the 2021 census for England and Wales */
static const VocabEntry ethnic_groups[] = {
  { "asian", N_("Asian or Asian British") },
  { "black", N_("Black, Black British, Caribbean or African") },
  { "mixed", N_("Mixed or multiple ethnic groups") },
  { "white", N_("White") },
  { "other", N_("Other ethnic group") },
  PNTS,
  { NULL }
};

static const VocabEntry yes_no[] = {
  { "yes", N_("Yes") },
  { "no", N_("No") },
  PNTS,
  { NULL }
};

static Vocab vocabs[] = {
  { "activity-kind", activity_kinds },
  { "activity-status", activity_statuses },
  { "insight-kind", insight_kinds },
  { "insight-status", insight_statuses },
  { "sentiment", sentiments },
  { "consent", consents },
  { "action-status", action_statuses },
  { "age-band", age_bands },
  { "sex", sexes },
  { "ethnic-group", ethnic_groups },
  { "disability", yes_no },
};

static const Vocab *
vocab_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (vocabs); i++)
    if (strcmp (vocabs[i].name, name) == 0)
      return &vocabs[i];
  return NULL;
}

const char * const *
ih_vocab_keys (const char *vocab)
{
  static gsize initialized;
  Vocab *v;

  g_return_val_if_fail (vocab != NULL, NULL);

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < G_N_ELEMENTS (vocabs); i++)
        {
          GPtrArray *keys = g_ptr_array_new ();

          for (const VocabEntry *e = vocabs[i].entries; e->key; e++)
            g_ptr_array_add (keys, (gpointer) e->key);
          g_ptr_array_add (keys, NULL);
          vocabs[i].keys = (const char * const *) g_ptr_array_free (keys, FALSE);
        }
      g_once_init_leave (&initialized, 1);
    }

  v = (Vocab *) vocab_lookup (vocab);
  g_return_val_if_fail (v != NULL, NULL);

  return v->keys;
}

const char *
ih_vocab_label (const char *vocab,
                const char *key)
{
  const Vocab *v;

  g_return_val_if_fail (vocab != NULL, NULL);

  if (key == NULL || (v = vocab_lookup (vocab)) == NULL)
    return NULL;

  for (const VocabEntry *e = v->entries; e->key; e++)
    if (strcmp (e->key, key) == 0)
      return _(e->label);

  return NULL;
}

gboolean
ih_vocab_has_key (const char *vocab,
                  const char *key)
{
  const Vocab *v;

  g_return_val_if_fail (vocab != NULL, FALSE);

  if (key == NULL || (v = vocab_lookup (vocab)) == NULL)
    return FALSE;

  for (const VocabEntry *e = v->entries; e->key; e++)
    if (strcmp (e->key, key) == 0)
      return TRUE;

  return FALSE;
}

/* Lower case, with runs of spaces, underscores, dashes and slashes made one
 * dash, so "Focus_Group", "focus group" and "FOCUS-GROUP" compare equal. */
static char *
squash (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  GString *out = g_string_new (NULL);
  gboolean dash = FALSE;

  for (const char *p = folded; *p; p++)
    {
      if (*p == ' ' || *p == '_' || *p == '-' || *p == '/' || *p == '\t')
        {
          dash = out->len > 0;
          continue;
        }
      if (dash)
        g_string_append_c (out, '-');
      dash = FALSE;
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

typedef struct
{
  char       *squashed;
  const char *key;
} Spelling;

/* Every accepted spelling of every key, squashed once */
static GPtrArray *
spellings_for (const Vocab *v)
{
  static GHashTable *cache;
  static GMutex mutex;
  GPtrArray *list;

  g_mutex_lock (&mutex);
  if (cache == NULL)
    cache = g_hash_table_new (NULL, NULL);
  list = g_hash_table_lookup (cache, v);
  if (list == NULL)
    {
      list = g_ptr_array_new ();
      for (const VocabEntry *e = v->entries; e->key; e++)
        {
          const char *texts[] = { e->key, e->label, _(e->label) };

          for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
            {
              Spelling *sp = g_new0 (Spelling, 1);
              sp->squashed = squash (texts[i]);
              sp->key = e->key;
              g_ptr_array_add (list, sp);
            }
        }
      g_hash_table_insert (cache, (gpointer) v, list);
    }
  g_mutex_unlock (&mutex);

  return list;
}

const char *
ih_vocab_normalize (const char *vocab,
                    const char *text)
{
  g_autofree char *squashed = NULL;
  GPtrArray *spellings;
  const Vocab *v;

  g_return_val_if_fail (vocab != NULL, NULL);

  if (text == NULL || (v = vocab_lookup (vocab)) == NULL)
    return NULL;

  /* Most values arrive as keys already */
  for (const VocabEntry *e = v->entries; e->key; e++)
    if (strcmp (e->key, text) == 0)
      return e->key;

  if (!g_utf8_validate (text, -1, NULL))
    return NULL;

  squashed = squash (text);
  spellings = spellings_for (v);
  for (guint i = 0; i < spellings->len; i++)
    {
      const Spelling *sp = g_ptr_array_index (spellings, i);

      if (strcmp (sp->squashed, squashed) == 0)
        return sp->key;
    }

  /* Common spreadsheet spellings */
  if (strcmp (vocab, "age-band") == 0 || strcmp (vocab, "sex") == 0 ||
      strcmp (vocab, "ethnic-group") == 0 || strcmp (vocab, "disability") == 0)
    {
      if (strcmp (squashed, "prefer-not-to-say") == 0 || strcmp (squashed, "not-stated") == 0 ||
          strcmp (squashed, "pnts") == 0 || strcmp (squashed, "declined") == 0)
        return "prefer-not-to-say";
    }

  return NULL;
}
