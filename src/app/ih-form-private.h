/* ih-form-private.h — what the forms (feedback, activity) share
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Names @widget for assistive technology, and the text inside it when it
 * is an entry row (the part that takes focus) */
void        _ih_form_set_accessible_label (gpointer     widget,
                                           const char  *label);
/* TRUE when @text has nothing but white space */
gboolean    _ih_form_text_is_blank        (const char  *text);
/* The part of an entry row that takes focus */
GtkWidget  *_ih_form_focusable_part       (gpointer     row);
/* A combo row offering the labels of @vocab, after "Not recorded" when
 * the field is @optional. The row remembers its vocabulary. */
void        _ih_form_setup_choice         (AdwComboRow *row,
                                           const char  *vocab,
                                           gboolean     optional,
                                           const char  *accessible_label);
/* The vocabulary key chosen, or NULL for "Not recorded" */
const char *_ih_form_choice_get_key       (AdwComboRow *row);
void        _ih_form_choice_set_key       (AdwComboRow *row,
                                           const char  *key);

G_END_DECLS
