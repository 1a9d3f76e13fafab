/* ih-form.c — what the forms (feedback, activity) share
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-form"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ih-form-private.h"
#include "ih-record.h"

G_DEFINE_QUARK (ih-form-vocab, vocab)
G_DEFINE_QUARK (ih-form-optional, optional)

void
_ih_form_set_accessible_label (gpointer    widget,
                               const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);

  /* The focusable part of an entry row is the text inside it */
  if (GTK_IS_EDITABLE (widget))
    {
      GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (widget));

      if (delegate != NULL && (gpointer) delegate != widget)
        gtk_accessible_update_property (GTK_ACCESSIBLE (delegate),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                        -1);
    }
}

gboolean
_ih_form_text_is_blank (const char *text)
{
  g_return_val_if_fail (text != NULL, TRUE);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

GtkWidget *
_ih_form_focusable_part (gpointer row)
{
  GtkEditable *delegate;

  g_return_val_if_fail (GTK_IS_EDITABLE (row), NULL);

  delegate = gtk_editable_get_delegate (GTK_EDITABLE (row));
  return delegate != NULL ? GTK_WIDGET (delegate) : GTK_WIDGET (row);
}

void
_ih_form_setup_choice (AdwComboRow *row,
                       const char  *vocab,
                       gboolean     optional,
                       const char  *accessible_label)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  const char * const *keys;

  g_return_if_fail (ADW_IS_COMBO_ROW (row));
  g_return_if_fail (vocab != NULL);

  keys = ih_vocab_keys (vocab);
  if (optional)
    gtk_string_list_append (list, _("Not recorded"));
  for (guint i = 0; keys[i]; i++)
    gtk_string_list_append (list, ih_vocab_label (vocab, keys[i]));

  g_object_set_qdata (G_OBJECT (row), vocab_quark (), (gpointer) vocab);
  g_object_set_qdata (G_OBJECT (row), optional_quark (), GINT_TO_POINTER (optional));
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (row, 0);
  _ih_form_set_accessible_label (row, accessible_label);
}

const char *
_ih_form_choice_get_key (AdwComboRow *row)
{
  const char *vocab;
  const char * const *keys;
  gboolean optional;
  guint selected;

  g_return_val_if_fail (ADW_IS_COMBO_ROW (row), NULL);

  vocab = g_object_get_qdata (G_OBJECT (row), vocab_quark ());
  optional = GPOINTER_TO_INT (g_object_get_qdata (G_OBJECT (row), optional_quark ()));
  keys = ih_vocab_keys (vocab);
  selected = adw_combo_row_get_selected (row);

  if (selected == GTK_INVALID_LIST_POSITION || (optional && selected == 0))
    return NULL;
  if (optional)
    selected--;
  if (selected >= g_strv_length ((char **) keys))
    return NULL;

  return keys[selected];
}

void
_ih_form_choice_set_key (AdwComboRow *row,
                         const char  *key)
{
  const char *vocab;
  const char * const *keys;
  gboolean optional;

  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  vocab = g_object_get_qdata (G_OBJECT (row), vocab_quark ());
  optional = GPOINTER_TO_INT (g_object_get_qdata (G_OBJECT (row), optional_quark ()));
  keys = ih_vocab_keys (vocab);

  for (guint i = 0; key != NULL && keys[i]; i++)
    if (strcmp (keys[i], key) == 0)
      {
        adw_combo_row_set_selected (row, optional ? i + 1 : i);
        return;
      }

  adw_combo_row_set_selected (row, 0);
}
