/* ih-record.h — the syncable records: activities, insight, themes, actions,
 * meetings, public questions and papers
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ih-types.h"

G_BEGIN_DECLS

typedef enum
{
  IH_FIELD_STRING,   /* char *            */
  IH_FIELD_INT,      /* gint64, -1 = unknown */
  IH_FIELD_BOOL,     /* gboolean          */
  IH_FIELD_DATE,     /* char * "YYYY-MM-DD" */
  IH_FIELD_LIST,     /* GStrv, stored one value a line */
  IH_FIELD_REF,      /* char * id of another record */
  IH_FIELD_REFS,     /* GStrv of ids, stored in a link table */
} IhFieldType;

typedef enum
{
  IH_FIELD_REQUIRED = 1 << 0,
} IhFieldFlags;

typedef struct
{
  const char  *name;        /* column and JSON name */
  IhFieldType  type;
  gsize        offset;      /* in the record struct */
  const char  *vocab;       /* for STRING: name of a vocabulary (see ih_vocab_*), or NULL */
  const char  *ref_table;   /* for REF / REFS: the table referred to */
  IhFieldFlags flags;
} IhFieldInfo;

struct _IhRecordClass
{
  const char        *name;       /* "insight" */
  const char        *table;      /* SQL table */
  gsize              size;       /* sizeof the struct */
  const IhFieldInfo *fields;
  guint              n_fields;
};

/* The first member of every record. */
struct _IhRecord
{
  const IhRecordClass *klass;
  gint64               rid;         /* local row id, 0 until stored */
  char                *id;          /* UUID, made where the record is created */
  gint64               created_at;  /* UTC, ms since the epoch */
  gint64               updated_at;
  char                *author;
  gboolean             deleted;     /* tombstone */
  gint64               rev;         /* server sequence of the last accepted change, 0 = never synced */
};

struct _IhActivity
{
  IhRecord parent;
  char    *title;
  char    *kind;            /* vocab "activity-kind" */
  char    *start_date;
  char    *end_date;
  char    *ics;
  char    *place;
  char    *locality;
  GStrv    partners;
  char    *programme;
  GStrv    communities;
  gint64   attendance;
  char    *status;          /* vocab "activity-status" */
  char    *notes;
};

struct _IhInsight
{
  IhRecord parent;
  char    *text;
  char    *kind;            /* vocab "insight-kind" */
  char    *activity_id;
  char    *date;
  GStrv    theme_ids;
  char    *sentiment;       /* vocab "sentiment" */
  char    *age_band;
  char    *sex;
  char    *ethnic_group;
  char    *disability;
  char    *postcode_district;
  char    *consent;         /* vocab "consent" */
  gboolean restricted;
  char    *status;          /* vocab "insight-status" */
};

struct _IhTheme
{
  IhRecord parent;
  char    *name;
  char    *parent_id;
  char    *colour;
  char    *description;
};

struct _IhAction
{
  IhRecord parent;
  char    *title;           /* what changed */
  char    *description;
  char    *owner;
  char    *status;          /* vocab "action-status" */
  char    *fed_back_date;   /* when people were told */
  GStrv    insight_ids;
};

struct _IhMeeting
{
  IhRecord parent;
  char    *body;            /* e.g. "ICB Board" */
  char    *title;
  char    *date;
  char    *place;
  char    *livestream_url;
  char    *notes;
  GStrv    agenda;           /* agenda items, in order, one line each */
  char    *story_insight_id; /* the patient story the meeting opens with */
};

/* A question from the public to a meeting, and the answer given */
struct _IhQuestion
{
  IhRecord parent;
  char    *question;
  char    *meeting_id;
  char    *asked_by;        /* as they wish to be named; may be empty */
  char    *asked_date;
  char    *answer;
};

struct _IhPaper
{
  IhRecord parent;
  char    *meeting_id;
  char    *activity_id;     /* a report of an activity, e.g. a survey's full report */
  char    *title;
  char    *file_name;
  char    *sha256;
  gint64   size;
  gint64   page_count;
};

extern const IhRecordClass ih_activity_class;
extern const IhRecordClass ih_insight_class;
extern const IhRecordClass ih_theme_class;
extern const IhRecordClass ih_action_class;
extern const IhRecordClass ih_meeting_class;
extern const IhRecordClass ih_paper_class;
extern const IhRecordClass ih_question_class;

/* All record classes, in the order a store creates them (referenced first). */
const IhRecordClass * const *ih_record_classes (guint *n_classes);
const IhRecordClass *ih_record_class_lookup   (const char          *name);
const IhFieldInfo   *ih_record_class_field    (const IhRecordClass *klass,
                                               const char          *name);

/* A new, empty record with a fresh UUID; timestamps are set when stored. */
gpointer     ih_record_new          (const IhRecordClass *klass);
gpointer     ih_record_copy         (gconstpointer        record);
void         ih_record_free         (gpointer             record);
/* Field access by name, as text (lists are joined by "\n", bools "1"/"0",
 * ints in decimal, unknown ints as NULL). */
char        *ih_record_get_text     (gconstpointer        record,
                                     const IhFieldInfo   *field);
/* Sets a field from text, checking its type and vocabulary. */
gboolean     ih_record_set_text     (gpointer             record,
                                     const IhFieldInfo   *field,
                                     const char          *text,
                                     GError             **error);
/* Checks required fields, vocabularies and dates. */
gboolean     ih_record_validate     (gconstpointer        record,
                                     GError             **error);

#define ih_activity_new() ((IhActivity *) ih_record_new (&ih_activity_class))
#define ih_insight_new()  ((IhInsight *) ih_record_new (&ih_insight_class))
#define ih_theme_new()    ((IhTheme *) ih_record_new (&ih_theme_class))
#define ih_action_new()   ((IhAction *) ih_record_new (&ih_action_class))
#define ih_meeting_new()  ((IhMeeting *) ih_record_new (&ih_meeting_class))
#define ih_paper_new()    ((IhPaper *) ih_record_new (&ih_paper_class))
#define ih_question_new() ((IhQuestion *) ih_record_new (&ih_question_class))

/* Vocabularies: fixed value lists stored as their key ("focus-group"). */
const char * const *ih_vocab_keys       (const char  *vocab);
/* Translatable label for display, or NULL for an unknown key. */
const char         *ih_vocab_label      (const char  *vocab,
                                         const char  *key);
/* Whether @key is in the vocabulary (no translation looked up: for checks). */
gboolean            ih_vocab_has_key    (const char  *vocab,
                                         const char  *key);
/* Maps what a person or a spreadsheet wrote ("Focus group", "FOCUS_GROUP",
 * a label) to the key, or NULL if it is not in the vocabulary. */
const char         *ih_vocab_normalize  (const char  *vocab,
                                         const char  *text);

/* TRUE for a real calendar date written YYYY-MM-DD. */
gboolean     ih_date_is_valid       (const char *text);
/* Accepts YYYY-MM-DD, DD/MM/YYYY (UK spreadsheets) and YYYY-MM-DDTHH:MM...;
 * returns a new "YYYY-MM-DD" or NULL. */
char        *ih_date_normalize      (const char *text);
/* A full UK postcode cut to its district (outward code), which is not
 * personal data: "gl1 2ab" and "GL12AB" give "GL1", "GL1" stays. NULL when
 * @text is neither a postcode nor a district. */
char        *ih_postcode_district   (const char *text);
gint64       ih_now_ms              (void);
/* A name-based UUID (version 5 form, SHA-1) so re-imports find the same id. */
char        *ih_uuid_from_name      (const char *namespace_,
                                     const char *name);

#define IH_RECORD_ERROR (ih_record_error_quark ())
typedef enum
{
  IH_RECORD_ERROR_INVALID,
} IhRecordError;
GQuark       ih_record_error_quark  (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhRecord, ih_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhActivity, ih_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhInsight, ih_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhTheme, ih_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhAction, ih_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhMeeting, ih_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhPaper, ih_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhQuestion, ih_record_free)

G_END_DECLS
