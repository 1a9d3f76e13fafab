/* ih-chip-box.h — a row of chips (buttons) at their natural width that
 * wraps onto further lines when the row is narrower than all of them
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define IH_TYPE_CHIP_BOX (ih_chip_box_get_type ())
G_DECLARE_FINAL_TYPE (IhChipBox, ih_chip_box, IH, CHIP_BOX, GtkWidget)

GtkWidget *ih_chip_box_new         (void);
/* Adds @child at the end; the box holds it until disposed */
void       ih_chip_box_append      (IhChipBox *self,
                                    GtkWidget *child);
/* Pixels between chips, across and between lines (default 6) */
void       ih_chip_box_set_spacing (IhChipBox *self,
                                    int        spacing);
int        ih_chip_box_get_spacing (IhChipBox *self);

G_END_DECLS
