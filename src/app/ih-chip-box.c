/* ih-chip-box.c — a row of chips (buttons) at their natural width that
 * wraps onto further lines when the row is narrower than all of them
 *
 * A GtkFlowBox would line the chips up in columns as wide as the widest
 * one, which wraps even when they would fit; a horizontal scroller hides
 * the last ones with nothing to show they are there. Here each line takes
 * as many chips as fit at their natural width, in order, and the box asks
 * for the height of the lines it needs at the width it is given.
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ih-chip-box.h"

struct _IhChipBox
{
  GtkWidget parent_instance;

  int spacing;
};

G_DEFINE_FINAL_TYPE (IhChipBox, ih_chip_box, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SPACING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Lays the visible children out in lines no wider than @width (or in one
 * line when @width is negative). With @allocate, gives each its place;
 * returns the height of all the lines. */
static int
layout_lines (IhChipBox *self,
              int        width,
              gboolean   allocate)
{
  int x = 0;
  int y = 0;
  int line_height = 0;
  gboolean line_empty = TRUE;

  g_assert (IH_IS_CHIP_BOX (self));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min_w, nat_w, w, min_h, nat_h;

      if (!gtk_widget_should_layout (child))
        continue;

      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
      w = nat_w;
      if (width >= 0 && w > width)
        w = MAX (min_w, width);
      /* Onto the next line when this chip does not fit beside the others */
      if (!line_empty && width >= 0 && x + self->spacing + w > width)
        {
          y += line_height + self->spacing;
          x = 0;
          line_height = 0;
          line_empty = TRUE;
        }
      if (!line_empty)
        x += self->spacing;

      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, w, &min_h, &nat_h, NULL, NULL);
      if (allocate)
        {
          GtkAllocation allocation = { x, y, w, nat_h };

          if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
            allocation.x = width - x - w;
          gtk_widget_size_allocate (child, &allocation, -1);
        }
      x += w;
      line_height = MAX (line_height, nat_h);
      line_empty = FALSE;
    }
  return y + line_height;
}

static GtkSizeRequestMode
ih_chip_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
ih_chip_box_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  IhChipBox *self = IH_CHIP_BOX (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* The widest chip, for both: the chips wrap to the width the box is
       * given rather than widen what holds them (a label that wraps asks
       * for little width the same way) */
      int widest = 0;

      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          int min_w, nat_w;

          if (!gtk_widget_should_layout (child))
            continue;
          gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
          widest = MAX (widest, nat_w);
        }
      *minimum = widest;
      *natural = widest;
    }
  else
    {
      int height = layout_lines (self, for_size, FALSE);

      *minimum = height;
      *natural = height;
    }
}

static void
ih_chip_box_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  layout_lines (IH_CHIP_BOX (widget), width, TRUE);
}

static void
ih_chip_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ih_chip_box_parent_class)->dispose (object);
}

static void
ih_chip_box_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  IhChipBox *self = IH_CHIP_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      g_value_set_int (value, self->spacing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ih_chip_box_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  IhChipBox *self = IH_CHIP_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      ih_chip_box_set_spacing (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ih_chip_box_class_init (IhChipBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ih_chip_box_dispose;
  object_class->get_property = ih_chip_box_get_property;
  object_class->set_property = ih_chip_box_set_property;

  widget_class->get_request_mode = ih_chip_box_get_request_mode;
  widget_class->measure = ih_chip_box_measure;
  widget_class->size_allocate = ih_chip_box_size_allocate;

  properties[PROP_SPACING] =
    g_param_spec_int ("spacing", NULL, NULL,
                      0, G_MAXINT16, 6,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ih_chip_box_init (IhChipBox *self)
{
  self->spacing = 6;
}

GtkWidget *
ih_chip_box_new (void)
{
  return g_object_new (IH_TYPE_CHIP_BOX, NULL);
}

void
ih_chip_box_append (IhChipBox *self,
                    GtkWidget *child)
{
  g_return_if_fail (IH_IS_CHIP_BOX (self));
  g_return_if_fail (GTK_IS_WIDGET (child));
  g_return_if_fail (gtk_widget_get_parent (child) == NULL);

  gtk_widget_insert_before (child, GTK_WIDGET (self), NULL);
}

void
ih_chip_box_set_spacing (IhChipBox *self,
                         int        spacing)
{
  g_return_if_fail (IH_IS_CHIP_BOX (self));
  g_return_if_fail (spacing >= 0);

  if (self->spacing == spacing)
    return;
  self->spacing = spacing;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPACING]);
}

int
ih_chip_box_get_spacing (IhChipBox *self)
{
  g_return_val_if_fail (IH_IS_CHIP_BOX (self), 0);

  return self->spacing;
}
