/* ih-ui-test.h — what every UI test needs: running the main loop until
 * something holds, finding real widgets, rendering a widget to a PNG
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* How long any wait may last before the test fails: a hang guard, never a
 * timing check */
#define IH_UI_HANG_GUARD_S 30

typedef gboolean (*IhUiCondition) (gpointer data);

/* Runs the main loop until @cond holds */
static inline void
ih_ui_wait_for (IhUiCondition cond,
                gpointer      data)
{
  gint64 deadline = g_get_monotonic_time () + IH_UI_HANG_GUARD_S * G_USEC_PER_SEC;

  while (!cond (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Runs the main loop for @ms milliseconds, e.g. for an animation to end */
static inline void
ih_ui_iterate (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

/* Lets pending frames and idles run */
static inline void
ih_ui_settle (void)
{
  ih_ui_iterate (200);
}

static inline gboolean
ih_ui_widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* The first widget of @type under @widget (itself included) whose name is
 * @name, or any name when @name is NULL */
static inline GtkWidget *
ih_ui_find_child (GtkWidget  *widget,
                  GType       type,
                  const char *name)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (name == NULL || g_strcmp0 (gtk_widget_get_name (widget), name) == 0))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ih_ui_find_child (child, type, name);
      if (found)
        return found;
    }
  return NULL;
}

/* The first GtkLabel under @widget showing exactly @text */
static inline GtkWidget *
ih_ui_find_label (GtkWidget  *widget,
                  const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ih_ui_find_label (child, text);
      if (found)
        return found;
    }
  return NULL;
}

static inline gboolean
ih_ui_trigger_matches (GtkShortcutTrigger *trigger,
                       guint               keyval,
                       GdkModifierType     mods)
{
  if (GTK_IS_KEYVAL_TRIGGER (trigger))
    return gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
           gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods;
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    return ih_ui_trigger_matches (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), keyval, mods) ||
           ih_ui_trigger_matches (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), keyval, mods);
  return FALSE;
}

/* Runs the shortcut of @widget's own shortcut controllers in @phase that
 * @keyval + @mods triggers, if any; TRUE if one ran */
static inline gboolean
ih_ui_run_shortcut (GtkWidget           *widget,
                    GtkPropagationPhase  phase,
                    guint                keyval,
                    GdkModifierType      mods)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
          gtk_event_controller_get_propagation_phase (controller) != phase)
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (ih_ui_trigger_matches (gtk_shortcut_get_trigger (shortcut), keyval, mods) &&
              gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                            widget, gtk_shortcut_get_arguments (shortcut)))
            return TRUE;
        }
    }
  return FALSE;
}

/* A key pressed while @focus has the focus, as GTK delivers it to the
 * keyboard shortcuts: capture phase from the window down, then bubble
 * phase from @focus up (Xvfb cannot be sent key events portably). TRUE
 * if a shortcut took it. */
static inline gboolean
ih_ui_press_key (GtkWidget       *focus,
                 guint            keyval,
                 GdkModifierType  mods)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();

  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    g_ptr_array_add (chain, w);
  for (guint i = chain->len; i > 0; i--)
    if (ih_ui_run_shortcut (chain->pdata[i - 1], GTK_PHASE_CAPTURE, keyval, mods))
      return TRUE;
  for (guint i = 0; i < chain->len; i++)
    if (ih_ui_run_shortcut (chain->pdata[i], GTK_PHASE_BUBBLE, keyval, mods))
      return TRUE;
  return FALSE;
}

/* Renders @widget to the PNG file @path, after letting pending frames
 * run, and returns what was drawn. A widget mid-resize, mid-transition or
 * right after a style change may draw nothing yet: retries until it does */
static inline GdkTexture *
ih_ui_render_png (GtkWidget  *widget,
                  const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  GdkTexture *texture;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  gint64 deadline = g_get_monotonic_time () + IH_UI_HANG_GUARD_S * G_USEC_PER_SEC;

  g_assert_nonnull (renderer);
  ih_ui_settle ();
  while (node == NULL)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                              gtk_widget_get_width (widget), gtk_widget_get_height (widget));
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          ih_ui_settle ();
        }
    }
  texture = gsk_renderer_render_texture (renderer, node, NULL);
  g_assert_nonnull (texture);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  return texture;
}

/* Renders @widget to NAME in the test build directory */
static inline void
ih_ui_save_png (GtkWidget  *widget,
                const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_autoptr(GdkTexture) texture = ih_ui_render_png (widget, path);

  g_test_message ("rendered %s (%d×%d)", path,
                  gdk_texture_get_width (texture), gdk_texture_get_height (texture));
}

G_END_DECLS

/* Destroys every window still open (e.g. ones a view opened itself) and
 * lets their teardown run */
static inline void
ih_ui_destroy_all_windows (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      GtkWindow *window = g_list_model_get_item (toplevels, 0);

      g_object_unref (window);
      gtk_window_destroy (window);
    }
  ih_ui_settle ();
}
