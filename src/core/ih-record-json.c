/* ih-record-json.c — records to and from JSON, by their field tables
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-record-json"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ih-record-json.h"

#define FIELD_PTR(rec, f) ((gpointer) (((guint8 *) (rec)) + (f)->offset))

static const char * const bookkeeping[] = {
  "type", "id", "rev", "created_at", "updated_at", "author", "deleted", NULL
};

JsonNode *
ih_record_field_to_json (gconstpointer      record,
                         const IhFieldInfo *field)
{
  JsonNode *node;

  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  switch (field->type)
    {
    case IH_FIELD_STRING:
    case IH_FIELD_DATE:
    case IH_FIELD_REF:
      {
        const char *s = *(char **) FIELD_PTR (record, field);

        node = json_node_new (s ? JSON_NODE_VALUE : JSON_NODE_NULL);
        if (s)
          json_node_set_string (node, s);
        return node;
      }
    case IH_FIELD_LIST:
    case IH_FIELD_REFS:
      {
        char **list = *(char ***) FIELD_PTR (record, field);
        JsonArray *array = json_array_new ();

        for (guint i = 0; list && list[i]; i++)
          json_array_add_string_element (array, list[i]);
        node = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (node, array);
        return node;
      }
    case IH_FIELD_INT:
      {
        gint64 v = *(gint64 *) FIELD_PTR (record, field);

        node = json_node_new (v < 0 ? JSON_NODE_NULL : JSON_NODE_VALUE);
        if (v >= 0)
          json_node_set_int (node, v);
        return node;
      }
    case IH_FIELD_BOOL:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (node, *(gboolean *) FIELD_PTR (record, field));
      return node;
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Null, [], and false are left out: an absent member means just that */
static gboolean
field_is_empty (gconstpointer      record,
                const IhFieldInfo *field)
{
  switch (field->type)
    {
    case IH_FIELD_STRING:
    case IH_FIELD_DATE:
    case IH_FIELD_REF:
      return *(char **) FIELD_PTR (record, field) == NULL;
    case IH_FIELD_LIST:
    case IH_FIELD_REFS:
      {
        char **list = *(char ***) FIELD_PTR (record, field);
        return list == NULL || list[0] == NULL;
      }
    case IH_FIELD_INT:
      return *(gint64 *) FIELD_PTR (record, field) < 0;
    case IH_FIELD_BOOL:
      return !*(gboolean *) FIELD_PTR (record, field);
    default:
      return FALSE;
    }
}

static void
add_fields (JsonObject     *object,
            const IhRecord *record)
{
  for (guint i = 0; i < record->klass->n_fields; i++)
    if (!field_is_empty (record, &record->klass->fields[i]))
      json_object_set_member (object, record->klass->fields[i].name,
                              ih_record_field_to_json (record, &record->klass->fields[i]));
}

JsonObject *
ih_record_fields_to_json (gconstpointer data)
{
  const IhRecord *record = data;
  JsonObject *object;

  g_return_val_if_fail (record != NULL, NULL);

  object = json_object_new ();
  add_fields (object, record);
  return object;
}

JsonObject *
ih_record_to_json (gconstpointer data)
{
  const IhRecord *record = data;
  JsonObject *object;

  g_return_val_if_fail (record != NULL, NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "type", record->klass->name);
  json_object_set_string_member (object, "id", record->id);
  json_object_set_int_member (object, "rev", record->rev);
  json_object_set_int_member (object, "created_at", record->created_at);
  json_object_set_int_member (object, "updated_at", record->updated_at);
  if (record->author)
    json_object_set_string_member (object, "author", record->author);
  if (record->deleted)
    json_object_set_boolean_member (object, "deleted", TRUE);
  add_fields (object, record);
  return object;
}

/*
 * Records as JSON text, without a tree: the change feed writes thousands a
 * batch. Gives text that parses to what ih_record_to_json() makes.
 */

void
ih_json_append_string (GString    *out,
                       const char *text)
{
  static const char hex[] = "0123456789abcdef";
  const guchar *p = (const guchar *) text;

  g_return_if_fail (out != NULL);
  g_return_if_fail (text != NULL);

  g_string_append_c (out, '"');
  while (*p)
    {
      const guchar *run = p;

      /* Printable ASCII but for the quote and the backslash goes as it is */
      while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
        p++;
      if (p > run)
        g_string_append_len (out, (const char *) run, p - run);

      if (*p == '\0')
        break;
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p++);
        }
      else if (*p < 0x20)
        {
          switch (*p)
            {
            case '\b': g_string_append (out, "\\b"); break;
            case '\f': g_string_append (out, "\\f"); break;
            case '\n': g_string_append (out, "\\n"); break;
            case '\r': g_string_append (out, "\\r"); break;
            case '\t': g_string_append (out, "\\t"); break;
            default:
              g_string_append (out, "\\u00");
              g_string_append_c (out, hex[*p >> 4]);
              g_string_append_c (out, hex[*p & 0xf]);
              break;
            }
          p++;
        }
      else
        {
          /* Valid UTF-8 goes as it is; a byte that does not start a valid
           * sequence becomes U+FFFD, so the text is always valid JSON */
          gunichar c = g_utf8_get_char_validated ((const char *) p, -1);

          if (c == (gunichar) -1 || c == (gunichar) -2)
            {
              g_string_append (out, "\xef\xbf\xbd");
              p++;
            }
          else
            {
              const guchar *next = (const guchar *) g_utf8_next_char (p);

              g_string_append_len (out, (const char *) p, next - p);
              p = next;
            }
        }
    }
  g_string_append_c (out, '"');
}

void
ih_json_append_int (GString *out,
                    gint64   value)
{
  char buf[24];
  char *end = buf + sizeof buf;
  char *p = end;
  guint64 v = value < 0 ? -(guint64) value : (guint64) value;

  g_return_if_fail (out != NULL);

  do
    {
      *--p = '0' + v % 10;
      v /= 10;
    }
  while (v != 0);
  if (value < 0)
    *--p = '-';
  g_string_append_len (out, p, end - p);
}

/* ,"name": — member names are plain ASCII from the field tables */
static void
append_name (GString    *out,
             const char *name)
{
  g_string_append_c (out, ',');
  g_string_append_c (out, '"');
  g_string_append (out, name);
  g_string_append_c (out, '"');
  g_string_append_c (out, ':');
}

void
ih_record_append_json (GString       *out,
                       gconstpointer  data)
{
  const IhRecord *record = data;
  const IhRecordClass *klass;

  g_return_if_fail (out != NULL);
  g_return_if_fail (record != NULL);

  klass = record->klass;
  g_string_append (out, "{\"type\":");
  ih_json_append_string (out, klass->name);
  g_string_append (out, ",\"id\":");
  ih_json_append_string (out, record->id);
  g_string_append (out, ",\"rev\":");
  ih_json_append_int (out, record->rev);
  g_string_append (out, ",\"created_at\":");
  ih_json_append_int (out, record->created_at);
  g_string_append (out, ",\"updated_at\":");
  ih_json_append_int (out, record->updated_at);
  if (record->author)
    {
      g_string_append (out, ",\"author\":");
      ih_json_append_string (out, record->author);
    }
  if (record->deleted)
    g_string_append (out, ",\"deleted\":true");

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const IhFieldInfo *f = &klass->fields[i];

      if (field_is_empty (record, f))
        continue;
      append_name (out, f->name);
      switch (f->type)
        {
        case IH_FIELD_STRING:
        case IH_FIELD_DATE:
        case IH_FIELD_REF:
          ih_json_append_string (out, *(char **) FIELD_PTR (record, f));
          break;
        case IH_FIELD_LIST:
        case IH_FIELD_REFS:
          {
            char **list = *(char ***) FIELD_PTR (record, f);

            g_string_append_c (out, '[');
            for (guint j = 0; list[j]; j++)
              {
                if (j > 0)
                  g_string_append_c (out, ',');
                ih_json_append_string (out, list[j]);
              }
            g_string_append_c (out, ']');
          }
          break;
        case IH_FIELD_INT:
          ih_json_append_int (out, *(gint64 *) FIELD_PTR (record, f));
          break;
        case IH_FIELD_BOOL:
          /* Only true gets here: false is left out */
          g_string_append (out, "true");
          break;
        default:
          g_assert_not_reached ();
        }
    }
  g_string_append_c (out, '}');
}

static gboolean
wrong_type (const char  *member,
            const char  *expected,
            GError     **error)
{
  g_set_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID,
               _("“%s” must be %s"), member, expected);
  return FALSE;
}

static gboolean
node_is (JsonNode *node,
         GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* A string member, or NULL for JSON null. FALSE for anything else. */
static gboolean
get_string (JsonNode    *node,
            const char  *member,
            const char **out,
            GError     **error)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return (*out = NULL), TRUE;
  if (!node_is (node, G_TYPE_STRING))
    return wrong_type (member, _("text or null"), error);
  *out = json_node_get_string (node);
  if (!g_utf8_validate (*out, -1, NULL))
    return wrong_type (member, _("valid UTF-8 text"), error);
  return TRUE;
}

static gboolean
check_value (const IhFieldInfo  *field,
             const char         *value,
             GError            **error)
{
  if (field->vocab && !ih_vocab_has_key (field->vocab, value))
    {
      g_autofree char *keys = g_strjoinv (", ", (char **) ih_vocab_keys (field->vocab));
      g_set_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID,
                   _("“%s” is not a known %s (expected one of: %s)"), value, field->name, keys);
      return FALSE;
    }
  if (field->type == IH_FIELD_DATE && !ih_date_is_valid (value))
    {
      g_set_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID,
                   _("“%s” is not a date for %s (expected YYYY-MM-DD)"), value, field->name);
      return FALSE;
    }
  if ((field->type == IH_FIELD_REF || field->type == IH_FIELD_REFS) &&
      !g_uuid_string_is_valid (value))
    {
      g_set_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID,
                   _("“%s” is not a valid id for %s"), value, field->name);
      return FALSE;
    }
  if (field->type == IH_FIELD_LIST && (*value == '\0' || strchr (value, '\n') != NULL))
    {
      g_set_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID,
                   _("An item of %s is empty or has a line break"), field->name);
      return FALSE;
    }
  return TRUE;
}

gboolean
ih_record_set_field_from_json (gpointer            record,
                               const IhFieldInfo  *field,
                               JsonNode           *node,
                               GError            **error)
{
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (node != NULL, FALSE);

  switch (field->type)
    {
    case IH_FIELD_STRING:
    case IH_FIELD_DATE:
    case IH_FIELD_REF:
      {
        const char *s;

        if (!get_string (node, field->name, &s, error))
          return FALSE;
        if (s != NULL && !check_value (field, s, error))
          return FALSE;
        g_free (*(char **) FIELD_PTR (record, field));
        *(char **) FIELD_PTR (record, field) = g_strdup (s);
        return TRUE;
      }

    case IH_FIELD_LIST:
    case IH_FIELD_REFS:
      {
        g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
        JsonArray *array;

        if (!JSON_NODE_HOLDS_ARRAY (node))
          return wrong_type (field->name, _("a list of text"), error);
        array = json_node_get_array (node);
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            JsonNode *item = json_array_get_element (array, i);
            const char *s;

            if (!node_is (item, G_TYPE_STRING))
              return wrong_type (field->name, _("a list of text"), error);
            s = json_node_get_string (item);
            if (!g_utf8_validate (s, -1, NULL))
              return wrong_type (field->name, _("a list of valid UTF-8 text"), error);
            if (!check_value (field, s, error))
              return FALSE;
            if (!g_ptr_array_find_with_equal_func (items, s, g_str_equal, NULL))
              g_ptr_array_add (items, g_strdup (s));
          }
        g_strfreev (*(char ***) FIELD_PTR (record, field));
        if (items->len == 0)
          *(char ***) FIELD_PTR (record, field) = NULL;
        else
          {
            g_ptr_array_add (items, NULL);
            g_ptr_array_set_free_func (items, NULL);
            *(char ***) FIELD_PTR (record, field) = (char **) g_ptr_array_steal (items, NULL);
          }
        return TRUE;
      }

    case IH_FIELD_INT:
      if (JSON_NODE_HOLDS_NULL (node))
        *(gint64 *) FIELD_PTR (record, field) = -1;
      else if (node_is (node, G_TYPE_INT64) && json_node_get_int (node) >= 0)
        *(gint64 *) FIELD_PTR (record, field) = json_node_get_int (node);
      else
        return wrong_type (field->name, _("a whole number of 0 or more, or null"), error);
      return TRUE;

    case IH_FIELD_BOOL:
      if (!node_is (node, G_TYPE_BOOLEAN))
        return wrong_type (field->name, _("true or false"), error);
      *(gboolean *) FIELD_PTR (record, field) = json_node_get_boolean (node);
      return TRUE;

    default:
      g_return_val_if_reached (FALSE);
    }
}

typedef struct
{
  gpointer  record;
  gboolean  bookkeeping;
  GError   *error;
} SetData;

static void
set_member (JsonObject  *object,
            const char  *member,
            JsonNode    *node,
            gpointer     user_data)
{
  SetData *data = user_data;
  IhRecord *record = data->record;
  const IhFieldInfo *field;

  if (data->error != NULL)
    return;

  if (data->bookkeeping && g_strv_contains (bookkeeping, member))
    return;

  field = ih_record_class_field (record->klass, member);
  if (field == NULL)
    {
      g_set_error (&data->error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID,
                   _("“%s” is not a field of a %s"), member, record->klass->name);
      return;
    }
  ih_record_set_field_from_json (record, field, node, &data->error);
}

gboolean
ih_record_set_fields_from_json (gpointer     record,
                                JsonObject  *fields,
                                GError     **error)
{
  SetData data = { record, FALSE, NULL };

  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  json_object_foreach_member (fields, set_member, &data);
  if (data.error != NULL)
    {
      g_propagate_error (error, data.error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
get_int (JsonObject  *object,
         const char  *member,
         gint64      *out,
         GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;
  if (!node_is (node, G_TYPE_INT64) || json_node_get_int (node) < 0)
    return wrong_type (member, _("a whole number of 0 or more"), error);
  *out = json_node_get_int (node);
  return TRUE;
}

gpointer
ih_record_from_json (JsonObject  *object,
                     GError     **error)
{
  g_autoptr(IhRecord) record = NULL;
  const IhRecordClass *klass;
  JsonNode *node;
  const char *s;
  SetData data = { NULL, TRUE, NULL };

  g_return_val_if_fail (object != NULL, NULL);

  node = json_object_get_member (object, "type");
  if (node == NULL || !node_is (node, G_TYPE_STRING))
    return wrong_type ("type", _("the name of a record type"), error), NULL;
  klass = ih_record_class_lookup (json_node_get_string (node));
  if (klass == NULL)
    {
      g_set_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID,
                   _("“%s” is not a record type"), json_node_get_string (node));
      return NULL;
    }

  node = json_object_get_member (object, "id");
  if (node == NULL || !node_is (node, G_TYPE_STRING) ||
      !g_uuid_string_is_valid (json_node_get_string (node)))
    return wrong_type ("id", _("a UUID"), error), NULL;

  record = ih_record_new (klass);
  g_free (record->id);
  record->id = g_strdup (json_node_get_string (node));

  if (!get_int (object, "rev", &record->rev, error) ||
      !get_int (object, "created_at", &record->created_at, error) ||
      !get_int (object, "updated_at", &record->updated_at, error))
    return NULL;

  node = json_object_get_member (object, "author");
  if (node != NULL)
    {
      if (!get_string (node, "author", &s, error))
        return NULL;
      record->author = g_strdup (s);
    }

  node = json_object_get_member (object, "deleted");
  if (node != NULL)
    {
      if (!node_is (node, G_TYPE_BOOLEAN))
        return wrong_type ("deleted", _("true or false"), error), NULL;
      record->deleted = json_node_get_boolean (node);
    }

  data.record = record;
  json_object_foreach_member (object, set_member, &data);
  if (data.error != NULL)
    {
      g_propagate_error (error, data.error);
      return NULL;
    }

  return g_steal_pointer (&record);
}

gboolean
ih_record_field_equal (gconstpointer      a,
                       gconstpointer      b,
                       const IhFieldInfo *field)
{
  g_return_val_if_fail (a != NULL && b != NULL && field != NULL, FALSE);

  switch (field->type)
    {
    case IH_FIELD_STRING:
    case IH_FIELD_DATE:
    case IH_FIELD_REF:
      return g_strcmp0 (*(char **) FIELD_PTR (a, field), *(char **) FIELD_PTR (b, field)) == 0;
    case IH_FIELD_LIST:
    case IH_FIELD_REFS:
      {
        char **x = *(char ***) FIELD_PTR (a, field);
        char **y = *(char ***) FIELD_PTR (b, field);
        guint n = x ? g_strv_length (x) : 0;

        if (n != (y ? g_strv_length (y) : 0))
          return FALSE;
        /* Links are a set: their order is not kept by the store */
        for (guint i = 0; i < n; i++)
          if (field->type == IH_FIELD_REFS ? !g_strv_contains ((const char * const *) y, x[i])
                                           : strcmp (x[i], y[i]) != 0)
            return FALSE;
        return TRUE;
      }
    case IH_FIELD_INT:
      return *(gint64 *) FIELD_PTR (a, field) == *(gint64 *) FIELD_PTR (b, field);
    case IH_FIELD_BOOL:
      return !*(gboolean *) FIELD_PTR (a, field) == !*(gboolean *) FIELD_PTR (b, field);
    default:
      g_return_val_if_reached (FALSE);
    }
}

void
ih_record_copy_field (gpointer           dest,
                      gconstpointer      src,
                      const IhFieldInfo *field)
{
  g_return_if_fail (dest != NULL && src != NULL && field != NULL);

  switch (field->type)
    {
    case IH_FIELD_STRING:
    case IH_FIELD_DATE:
    case IH_FIELD_REF:
      g_free (*(char **) FIELD_PTR (dest, field));
      *(char **) FIELD_PTR (dest, field) = g_strdup (*(char **) FIELD_PTR (src, field));
      break;
    case IH_FIELD_LIST:
    case IH_FIELD_REFS:
      g_strfreev (*(char ***) FIELD_PTR (dest, field));
      *(char ***) FIELD_PTR (dest, field) = g_strdupv (*(char ***) FIELD_PTR (src, field));
      break;
    case IH_FIELD_INT:
      *(gint64 *) FIELD_PTR (dest, field) = *(gint64 *) FIELD_PTR (src, field);
      break;
    case IH_FIELD_BOOL:
      *(gboolean *) FIELD_PTR (dest, field) = *(gboolean *) FIELD_PTR (src, field);
      break;
    default:
      g_return_if_reached ();
    }
}

char *
ih_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  g_return_val_if_fail (node != NULL, NULL);

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

JsonNode *
ih_json_from_string (const char  *text,
                     const char  *what,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (!json_parser_load_from_data (parser, text, -1, &local_error))
    {
      g_set_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID,
                   _("%s is not valid JSON: %s"), what, local_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID,
                   _("%s is empty"), what);
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}
