/* ih-record.c — record classes described by field tables, so the store,
 * CSV and sync code handle every record type with one generic path
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-record"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ih-record.h"

G_DEFINE_QUARK (ih-record-error-quark, ih_record_error)

#define F(type, member, kind, vocab, ref, flags) \
  { #member, kind, G_STRUCT_OFFSET (type, member), vocab, ref, flags }

static const IhFieldInfo activity_fields[] = {
  F (IhActivity, title, IH_FIELD_STRING, NULL, NULL, IH_FIELD_REQUIRED),
  F (IhActivity, kind, IH_FIELD_STRING, "activity-kind", NULL, 0),
  F (IhActivity, start_date, IH_FIELD_DATE, NULL, NULL, 0),
  F (IhActivity, end_date, IH_FIELD_DATE, NULL, NULL, 0),
  F (IhActivity, ics, IH_FIELD_STRING, NULL, NULL, 0),
  F (IhActivity, place, IH_FIELD_STRING, NULL, NULL, 0),
  F (IhActivity, locality, IH_FIELD_STRING, NULL, NULL, 0),
  F (IhActivity, partners, IH_FIELD_LIST, NULL, NULL, 0),
  F (IhActivity, programme, IH_FIELD_STRING, NULL, NULL, 0),
  F (IhActivity, communities, IH_FIELD_LIST, NULL, NULL, 0),
  F (IhActivity, attendance, IH_FIELD_INT, NULL, NULL, 0),
  F (IhActivity, status, IH_FIELD_STRING, "activity-status", NULL, 0),
  F (IhActivity, notes, IH_FIELD_STRING, NULL, NULL, 0),
};

static const IhFieldInfo insight_fields[] = {
  F (IhInsight, text, IH_FIELD_STRING, NULL, NULL, IH_FIELD_REQUIRED),
  F (IhInsight, kind, IH_FIELD_STRING, "insight-kind", NULL, 0),
  F (IhInsight, activity_id, IH_FIELD_REF, NULL, "activity", 0),
  F (IhInsight, date, IH_FIELD_DATE, NULL, NULL, 0),
  F (IhInsight, theme_ids, IH_FIELD_REFS, NULL, "theme", 0),
  F (IhInsight, sentiment, IH_FIELD_STRING, "sentiment", NULL, 0),
  F (IhInsight, age_band, IH_FIELD_STRING, "age-band", NULL, 0),
  F (IhInsight, sex, IH_FIELD_STRING, "sex", NULL, 0),
  F (IhInsight, ethnic_group, IH_FIELD_STRING, "ethnic-group", NULL, 0),
  F (IhInsight, disability, IH_FIELD_STRING, "disability", NULL, 0),
  F (IhInsight, postcode_district, IH_FIELD_STRING, NULL, NULL, 0),
  F (IhInsight, consent, IH_FIELD_STRING, "consent", NULL, 0),
  F (IhInsight, restricted, IH_FIELD_BOOL, NULL, NULL, 0),
  F (IhInsight, status, IH_FIELD_STRING, "insight-status", NULL, 0),
};

static const IhFieldInfo theme_fields[] = {
  F (IhTheme, name, IH_FIELD_STRING, NULL, NULL, IH_FIELD_REQUIRED),
  F (IhTheme, parent_id, IH_FIELD_REF, NULL, "theme", 0),
  F (IhTheme, colour, IH_FIELD_STRING, NULL, NULL, 0),
  F (IhTheme, description, IH_FIELD_STRING, NULL, NULL, 0),
};

static const IhFieldInfo action_fields[] = {
  F (IhAction, title, IH_FIELD_STRING, NULL, NULL, IH_FIELD_REQUIRED),
  F (IhAction, description, IH_FIELD_STRING, NULL, NULL, 0),
  F (IhAction, owner, IH_FIELD_STRING, NULL, NULL, 0),
  F (IhAction, status, IH_FIELD_STRING, "action-status", NULL, 0),
  F (IhAction, fed_back_date, IH_FIELD_DATE, NULL, NULL, 0),
  F (IhAction, insight_ids, IH_FIELD_REFS, NULL, "insight", 0),
};

static const IhFieldInfo meeting_fields[] = {
  F (IhMeeting, body, IH_FIELD_STRING, NULL, NULL, IH_FIELD_REQUIRED),
  F (IhMeeting, title, IH_FIELD_STRING, NULL, NULL, 0),
  F (IhMeeting, date, IH_FIELD_DATE, NULL, NULL, 0),
  F (IhMeeting, place, IH_FIELD_STRING, NULL, NULL, 0),
  F (IhMeeting, livestream_url, IH_FIELD_STRING, NULL, NULL, 0),
  F (IhMeeting, notes, IH_FIELD_STRING, NULL, NULL, 0),
  F (IhMeeting, agenda, IH_FIELD_LIST, NULL, NULL, 0),
  F (IhMeeting, story_insight_id, IH_FIELD_REF, NULL, "insight", 0),
};

static const IhFieldInfo question_fields[] = {
  F (IhQuestion, question, IH_FIELD_STRING, NULL, NULL, IH_FIELD_REQUIRED),
  F (IhQuestion, meeting_id, IH_FIELD_REF, NULL, "meeting", IH_FIELD_REQUIRED),
  F (IhQuestion, asked_by, IH_FIELD_STRING, NULL, NULL, 0),
  F (IhQuestion, asked_date, IH_FIELD_DATE, NULL, NULL, 0),
  F (IhQuestion, answer, IH_FIELD_STRING, NULL, NULL, 0),
};

static const IhFieldInfo paper_fields[] = {
  F (IhPaper, meeting_id, IH_FIELD_REF, NULL, "meeting", 0),
  F (IhPaper, activity_id, IH_FIELD_REF, NULL, "activity", 0),
  F (IhPaper, title, IH_FIELD_STRING, NULL, NULL, IH_FIELD_REQUIRED),
  F (IhPaper, file_name, IH_FIELD_STRING, NULL, NULL, 0),
  F (IhPaper, sha256, IH_FIELD_STRING, NULL, NULL, 0),
  F (IhPaper, size, IH_FIELD_INT, NULL, NULL, 0),
  F (IhPaper, page_count, IH_FIELD_INT, NULL, NULL, 0),
};

#undef F

#define CLASS(var, nm, type, fields) \
  const IhRecordClass var = { nm, nm, sizeof (type), fields, G_N_ELEMENTS (fields) }

CLASS (ih_activity_class, "activity", IhActivity, activity_fields);
CLASS (ih_insight_class, "insight", IhInsight, insight_fields);
CLASS (ih_theme_class, "theme", IhTheme, theme_fields);
CLASS (ih_action_class, "action", IhAction, action_fields);
CLASS (ih_meeting_class, "meeting", IhMeeting, meeting_fields);
CLASS (ih_paper_class, "paper", IhPaper, paper_fields);
CLASS (ih_question_class, "question", IhQuestion, question_fields);

#undef CLASS

static const IhRecordClass * const all_classes[] = {
  &ih_theme_class,
  &ih_activity_class,
  &ih_insight_class,
  &ih_action_class,
  &ih_meeting_class,
  &ih_paper_class,
  &ih_question_class,
};

const IhRecordClass * const *
ih_record_classes (guint *n_classes)
{
  if (n_classes)
    *n_classes = G_N_ELEMENTS (all_classes);
  return all_classes;
}

const IhRecordClass *
ih_record_class_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (all_classes); i++)
    if (strcmp (all_classes[i]->name, name) == 0)
      return all_classes[i];
  return NULL;
}

const IhFieldInfo *
ih_record_class_field (const IhRecordClass *klass,
                       const char          *name)
{
  g_return_val_if_fail (klass != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < klass->n_fields; i++)
    if (strcmp (klass->fields[i].name, name) == 0)
      return &klass->fields[i];
  return NULL;
}

#define FIELD_PTR(rec, f) ((gpointer) (((guint8 *) (rec)) + (f)->offset))

gpointer
ih_record_new (const IhRecordClass *klass)
{
  IhRecord *record;

  g_return_val_if_fail (klass != NULL, NULL);

  record = g_malloc0 (klass->size);
  record->klass = klass;
  record->id = g_uuid_string_random ();

  for (guint i = 0; i < klass->n_fields; i++)
    if (klass->fields[i].type == IH_FIELD_INT)
      *(gint64 *) FIELD_PTR (record, &klass->fields[i]) = -1;

  return record;
}

void
ih_record_free (gpointer data)
{
  IhRecord *record = data;
  const IhRecordClass *klass;

  if (record == NULL)
    return;

  klass = record->klass;
  for (guint i = 0; i < klass->n_fields; i++)
    {
      const IhFieldInfo *f = &klass->fields[i];

      switch (f->type)
        {
        case IH_FIELD_STRING:
        case IH_FIELD_DATE:
        case IH_FIELD_REF:
          g_free (*(char **) FIELD_PTR (record, f));
          break;
        case IH_FIELD_LIST:
        case IH_FIELD_REFS:
          g_strfreev (*(char ***) FIELD_PTR (record, f));
          break;
        case IH_FIELD_INT:
        case IH_FIELD_BOOL:
        default:
          break;
        }
    }

  g_free (record->id);
  g_free (record->author);
  g_free (record);
}

gpointer
ih_record_copy (gconstpointer data)
{
  const IhRecord *record = data;
  const IhRecordClass *klass;
  IhRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  klass = record->klass;
  copy = g_memdup2 (record, klass->size);
  copy->id = g_strdup (record->id);
  copy->author = g_strdup (record->author);

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const IhFieldInfo *f = &klass->fields[i];

      switch (f->type)
        {
        case IH_FIELD_STRING:
        case IH_FIELD_DATE:
        case IH_FIELD_REF:
          *(char **) FIELD_PTR (copy, f) = g_strdup (*(char **) FIELD_PTR (record, f));
          break;
        case IH_FIELD_LIST:
        case IH_FIELD_REFS:
          *(char ***) FIELD_PTR (copy, f) = g_strdupv (*(char ***) FIELD_PTR (record, f));
          break;
        case IH_FIELD_INT:
        case IH_FIELD_BOOL:
        default:
          break;
        }
    }

  return copy;
}

char *
ih_record_get_text (gconstpointer      record,
                    const IhFieldInfo *field)
{
  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  switch (field->type)
    {
    case IH_FIELD_STRING:
    case IH_FIELD_DATE:
    case IH_FIELD_REF:
      return g_strdup (*(char **) FIELD_PTR (record, field));
    case IH_FIELD_LIST:
    case IH_FIELD_REFS:
      {
        char **list = *(char ***) FIELD_PTR (record, field);
        return list && list[0] ? g_strjoinv ("\n", list) : NULL;
      }
    case IH_FIELD_INT:
      {
        gint64 v = *(gint64 *) FIELD_PTR (record, field);
        return v < 0 ? NULL : g_strdup_printf ("%" G_GINT64_FORMAT, v);
      }
    case IH_FIELD_BOOL:
      return g_strdup (*(gboolean *) FIELD_PTR (record, field) ? "1" : "0");
    default:
      g_return_val_if_reached (NULL);
    }
}

static gboolean
parse_bool (const char *text,
            gboolean   *out)
{
  static const char * const yes[] = { "1", "true", "yes", "y", NULL };
  static const char * const no[] = { "0", "false", "no", "n", "", NULL };
  g_autofree char *lower = g_ascii_strdown (text, -1);

  g_strstrip (lower);
  if (g_strv_contains (yes, lower))
    return (*out = TRUE), TRUE;
  if (g_strv_contains (no, lower))
    return (*out = FALSE), TRUE;
  return FALSE;
}

gboolean
ih_record_set_text (gpointer            record,
                    const IhFieldInfo  *field,
                    const char         *text,
                    GError            **error)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID,
                   _("“%s” is not valid text"), field->name);
      return FALSE;
    }

  if (text != NULL)
    {
      value = g_strdup (text);
      /* Surrounding spaces are never meaningful; newlines inside are kept */
      g_strstrip (value);
      if (*value == '\0')
        g_clear_pointer (&value, g_free);
    }

  switch (field->type)
    {
    case IH_FIELD_STRING:
    case IH_FIELD_REF:
      if (value != NULL && field->vocab != NULL)
        {
          const char *key = ih_vocab_normalize (field->vocab, value);

          if (key == NULL)
            {
              g_autofree char *keys = g_strjoinv (", ", (char **) ih_vocab_keys (field->vocab));
              g_set_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID,
                           _("“%s” is not a known %s (expected one of: %s)"),
                           value, field->name, keys);
              return FALSE;
            }
          g_free (value);
          value = g_strdup (key);
        }
      g_free (*(char **) FIELD_PTR (record, field));
      *(char **) FIELD_PTR (record, field) = g_steal_pointer (&value);
      return TRUE;

    case IH_FIELD_DATE:
      if (value != NULL)
        {
          char *date = ih_date_normalize (value);

          if (date == NULL)
            {
              g_set_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID,
                           _("“%s” is not a date (write it as 2024-03-31 or 31/03/2024)"),
                           value);
              return FALSE;
            }
          g_free (value);
          value = date;
        }
      g_free (*(char **) FIELD_PTR (record, field));
      *(char **) FIELD_PTR (record, field) = g_steal_pointer (&value);
      return TRUE;

    case IH_FIELD_LIST:
    case IH_FIELD_REFS:
      {
        g_autoptr(GPtrArray) items = g_ptr_array_new ();
        g_auto(GStrv) parts = value ? g_strsplit (value, "\n", -1) : NULL;

        for (guint i = 0; parts && parts[i]; i++)
          {
            g_strstrip (parts[i]);
            if (*parts[i] && !g_ptr_array_find_with_equal_func (items, parts[i], g_str_equal, NULL))
              g_ptr_array_add (items, g_strdup (parts[i]));
          }
        g_strfreev (*(char ***) FIELD_PTR (record, field));
        if (items->len == 0)
          *(char ***) FIELD_PTR (record, field) = NULL;
        else
          {
            g_ptr_array_add (items, NULL);
            *(char ***) FIELD_PTR (record, field) = (char **) g_ptr_array_steal (items, NULL);
          }
        return TRUE;
      }

    case IH_FIELD_INT:
      {
        gint64 v = -1;

        if (value != NULL)
          {
            char *end = NULL;
            gint64 parsed;

            errno = 0;
            parsed = g_ascii_strtoll (value, &end, 10);
            if (errno != 0 || end == value || *end != '\0' || parsed < 0)
              {
                g_set_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID,
                             _("“%s” is not a whole number"), value);
                return FALSE;
              }
            v = parsed;
          }
        *(gint64 *) FIELD_PTR (record, field) = v;
        return TRUE;
      }

    case IH_FIELD_BOOL:
      {
        gboolean v = FALSE;

        if (value != NULL && !parse_bool (value, &v))
          {
            g_set_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID,
                         _("“%s” is not yes or no for %s"), value, field->name);
            return FALSE;
          }
        *(gboolean *) FIELD_PTR (record, field) = v;
        return TRUE;
      }

    default:
      g_return_val_if_reached (FALSE);
    }
}

gboolean
ih_record_validate (gconstpointer   data,
                    GError        **error)
{
  const IhRecord *record = data;
  const IhRecordClass *klass;

  g_return_val_if_fail (record != NULL, FALSE);

  klass = record->klass;

  if (record->id == NULL || !g_uuid_string_is_valid (record->id))
    {
      g_set_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID,
                   _("The %s has no valid id (“%s”)"), klass->name,
                   record->id ? record->id : "");
      return FALSE;
    }

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const IhFieldInfo *f = &klass->fields[i];
      const char *s = NULL;

      switch (f->type)
        {
        case IH_FIELD_STRING:
        case IH_FIELD_DATE:
        case IH_FIELD_REF:
          s = *(char **) FIELD_PTR (record, f);
          break;
        case IH_FIELD_INT:
        case IH_FIELD_BOOL:
        case IH_FIELD_LIST:
        case IH_FIELD_REFS:
        default:
          continue;
        }

      if ((f->flags & IH_FIELD_REQUIRED) && (s == NULL || *s == '\0'))
        {
          g_set_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID,
                       _("The %s needs a %s"), klass->name, f->name);
          return FALSE;
        }
      if (s == NULL)
        continue;
      if (!g_utf8_validate (s, -1, NULL))
        {
          g_set_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID,
                       _("The %s of the %s is not valid text"), f->name, klass->name);
          return FALSE;
        }
      if (f->vocab && !ih_vocab_has_key (f->vocab, s))
        {
          g_set_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID,
                       _("“%s” is not a known %s"), s, f->name);
          return FALSE;
        }
      if (f->type == IH_FIELD_DATE && !ih_date_is_valid (s))
        {
          g_set_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID,
                       _("“%s” is not a date for %s"), s, f->name);
          return FALSE;
        }
      if (f->type == IH_FIELD_REF && !g_uuid_string_is_valid (s))
        {
          g_set_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID,
                       _("“%s” is not a valid id for %s"), s, f->name);
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
ih_date_is_valid (const char *text)
{
  guint y, m, d;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  y = atoi (text);
  m = atoi (text + 5);
  d = atoi (text + 8);

  return y >= 1900 && y <= 2999 && g_date_valid_dmy (d, m, y);
}

char *
ih_date_normalize (const char *text)
{
  guint a, b, c;
  char tail;

  if (text == NULL)
    return NULL;

  while (g_ascii_isspace (*text))
    text++;

  /* ISO, possibly with a time as spreadsheets write it */
  if (strlen (text) >= 10)
    {
      char head[11];

      memcpy (head, text, 10);
      head[10] = '\0';
      if (ih_date_is_valid (head) &&
          (text[10] == '\0' || text[10] == 'T' || text[10] == ' '))
        return g_strdup (head);
    }

  /* UK day-first dates: 31/03/2024 */
  if (sscanf (text, "%2u/%2u/%4u%c", &a, &b, &c, &tail) == 3 &&
      c >= 1900 && c <= 2999 && g_date_valid_dmy (a, b, c))
    return g_strdup_printf ("%04u-%02u-%02u", c, b, a);

  return NULL;
}

char *
ih_postcode_district (const char *text)
{
  g_autofree char *upper = g_ascii_strup (text, -1);
  g_auto(GStrv) parts = g_strsplit (g_strstrip (upper), " ", -1);
  g_autofree char *district = NULL;
  gsize len;
  guint i = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (parts[0] == NULL || parts[0][0] == '\0')
    return NULL;

  len = strlen (parts[0]);
  /* "GL12AB" written without its space: the inward code is the last three */
  if (parts[1] == NULL && len >= 5 && len <= 7 && g_ascii_isdigit (parts[0][len - 3]))
    district = g_strndup (parts[0], len - 3);
  else if (parts[1] == NULL || (strlen (parts[1]) == 3 && parts[2] == NULL))
    district = g_strdup (parts[0]);
  else
    return NULL;

  /* One or two letters, a digit, then perhaps a digit or a letter: GL1,
   * M60, SW1A, EC1V */
  len = strlen (district);
  while (i < len && i < 2 && g_ascii_isalpha (district[i]))
    i++;
  if (i == 0 || i >= len || !g_ascii_isdigit (district[i]))
    return NULL;
  i++;
  if (i < len && g_ascii_isalnum (district[i]))
    i++;
  if (i != len)
    return NULL;

  return g_steal_pointer (&district);
}

gint64
ih_now_ms (void)
{
  return g_get_real_time () / 1000;
}

char *
ih_uuid_from_name (const char *namespace_,
                   const char *name)
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize len = sizeof digest;

  g_return_val_if_fail (namespace_ != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  g_checksum_update (sha1, (const guchar *) namespace_, -1);
  g_checksum_update (sha1, (const guchar *) "\n", 1);
  g_checksum_update (sha1, (const guchar *) name, -1);
  g_checksum_get_digest (sha1, digest, &len);

  /* Version 5 and the RFC 4122 variant bits */
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          digest[0], digest[1], digest[2], digest[3], digest[4], digest[5],
                          digest[6], digest[7], digest[8], digest[9], digest[10], digest[11],
                          digest[12], digest[13], digest[14], digest[15]);
}


static const char * const role_names[] = { "viewer", "officer", "manager", "admin" };

gboolean
ih_role_from_string (const char *name,
                     IhRole     *role)
{
  g_return_val_if_fail (role != NULL, FALSE);

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (role_names); i++)
    if (g_ascii_strcasecmp (name, role_names[i]) == 0)
      {
        *role = (IhRole) i;
        return TRUE;
      }
  return FALSE;
}

const char *
ih_role_to_string (IhRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), NULL);

  return role_names[role];
}
