/* ih-test-util.h — small helpers shared by the test programs
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ih-record-json.h"

/* Removes @path and everything below it; a symbolic link is removed, never
 * followed */
static inline void
ih_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) || !g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_unlink (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      ih_test_remove_tree (child);
    }
  g_rmdir (path);
}

/* What HTTP does to a body: text on the wire, parsed again (a new object,
 * sharing nothing with @object) */
static inline JsonObject *
ih_test_wire (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) back = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  json_node_set_object (node, object);
  text = ih_json_to_string (node);
  back = ih_json_from_string (text, "body", &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (back));
  return json_object_ref (json_node_get_object (back));
}
