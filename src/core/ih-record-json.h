/* ih-record-json.h — records to and from JSON, by their field tables
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ih-record.h"

G_BEGIN_DECLS

/* The whole record: type, id, rev, created_at, updated_at, author, deleted
 * and every field (docs/protocol.md). Members without a value (null, [],
 * false) are left out; the parser reads an absent member as that. */
JsonObject  *ih_record_to_json              (gconstpointer        record);
/* Only the fields of the record's class, as above. */
JsonObject  *ih_record_fields_to_json       (gconstpointer        record);
JsonNode    *ih_record_field_to_json        (gconstpointer        record,
                                             const IhFieldInfo   *field);

/* Appends @record to @out as compact JSON text that parses to what
 * ih_record_to_json() gives, without making a tree (the change feed). */
void         ih_record_append_json          (GString             *out,
                                             gconstpointer        record);
/* Appends @text as a JSON string: quote, backslash and control characters
 * escaped, valid UTF-8 as it is, a byte of invalid UTF-8 as U+FFFD. */
void         ih_json_append_string          (GString             *out,
                                             const char          *text);
/* Appends @value in decimal. */
void         ih_json_append_int             (GString             *out,
                                             gint64               value);

/* A new record from a whole-record object. Strict: unknown members, wrong
 * JSON types, unknown vocabulary keys, bad dates and ids are errors naming
 * the member. Required fields are checked when the record is saved. */
gpointer     ih_record_from_json            (JsonObject          *object,
                                             GError             **error);
/* Sets the members of @fields (field names only) on @record, as strictly. */
gboolean     ih_record_set_fields_from_json (gpointer             record,
                                             JsonObject          *fields,
                                             GError             **error);
gboolean     ih_record_set_field_from_json  (gpointer             record,
                                             const IhFieldInfo   *field,
                                             JsonNode            *node,
                                             GError             **error);
/* TRUE when the field holds the same value in both records. */
gboolean     ih_record_field_equal          (gconstpointer        a,
                                             gconstpointer        b,
                                             const IhFieldInfo   *field);
/* Copies one field's value from @src to @dest (records of one class). */
void         ih_record_copy_field           (gpointer             dest,
                                             gconstpointer        src,
                                             const IhFieldInfo   *field);

/* A JSON tree as compact text, and back (NULL with an error naming @what). */
char        *ih_json_to_string              (JsonNode            *node);
JsonNode    *ih_json_from_string            (const char          *text,
                                             const char          *what,
                                             GError             **error);

G_END_DECLS
