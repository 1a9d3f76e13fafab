/* test-insight-editor.c — the feedback form, driven through its real widgets
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "ih-insight-editor.h"
#include "ih-test-util.h"
#include "ih-ui-test.h"
#include "ih-record.h"
#include "ih-store.h"

typedef struct
{
  char            *path;
  IhStore         *store;
  GtkWidget       *window;
  IhInsightEditor *editor;
  GPtrArray       *saved_ids;
  GPtrArray       *saved_texts;
} Fixture;

static char *data_home;
static char *self_exe;

/* The SIGKILL test: words typed in a child process, one step at a time */
#define DRAFT_CHILD_FLAG "--draft-child="
#define STEP_MS 100
#define N_STEPS 25
static const char * const typed_words[] = {
  "The ", "bus ", "to ", "Cheltenham ", "General ", "stops ", "at ", "six, ",
  "so ", "I ", "miss ", "every ", "evening ", "clinic ", "and ", "have ",
  "to ", "ask ", "my ", "neighbour ", "for ", "a ", "lift, ", "which ", "is ",
};
G_STATIC_ASSERT (G_N_ELEMENTS (typed_words) == N_STEPS);

/*
 * Helpers
 */

static gpointer
child (Fixture    *f,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (f->editor), IH_TYPE_INSIGHT_EDITOR, name);

  g_assert_nonnull (object);
  return object;
}

static GtkTextBuffer *
buffer (Fixture *f)
{
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (f, "text_view")));
}

static char *
buffer_text (Fixture *f)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer (f), &start, &end);
  return gtk_text_buffer_get_text (buffer (f), &start, &end, TRUE);
}

static void
type_text (Fixture    *f,
           const char *text)
{
  gtk_text_buffer_set_text (buffer (f), "", 0);
  gtk_text_buffer_insert_at_cursor (buffer (f), text, -1);
}

static void
set_entry (Fixture    *f,
           const char *row,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (f, row)), text);
}

static const char *
entry_text (Fixture    *f,
            const char *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (child (f, row)));
}

/* Selects the choice whose label is the vocabulary's label for @key */
static void
choose (Fixture    *f,
        const char *row,
        const char *vocab,
        const char *key)
{
  AdwComboRow *combo = child (f, row);
  GListModel *model = adw_combo_row_get_model (combo);
  const char *label = ih_vocab_label (vocab, key);

  g_assert_nonnull (label);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), label) == 0)
        {
          adw_combo_row_set_selected (combo, i);
          return;
        }
    }
  g_error ("%s has no choice “%s”", row, label);
}

static const char *
chosen (Fixture    *f,
        const char *row)
{
  AdwComboRow *combo = child (f, row);
  GtkStringObject *item = adw_combo_row_get_selected_item (combo);

  g_assert_nonnull (item);
  return gtk_string_object_get_string (item);
}

static const char *
chosen_in (IhInsightEditor *editor,
           const char      *row)
{
  GObject *combo = gtk_widget_get_template_child (GTK_WIDGET (editor), IH_TYPE_INSIGHT_EDITOR, row);
  GtkStringObject *item;

  g_assert_true (ADW_IS_COMBO_ROW (combo));
  item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (combo));

  g_assert_nonnull (item);
  return gtk_string_object_get_string (item);
}

static gboolean
widget_visible (Fixture    *f,
                const char *name)
{
  return gtk_widget_get_visible (GTK_WIDGET (child (f, name)));
}

static void
saved_cb (IhInsightEditor *editor,
          IhInsight       *insight,
          Fixture         *f)
{
  g_assert_true (IH_IS_INSIGHT_EDITOR (editor));
  g_assert_nonnull (insight);
  g_assert_true (((IhRecord *) insight)->klass == &ih_insight_class);
  /* Stored before the signal: it has a row */
  g_assert_cmpint (((IhRecord *) insight)->rid, >, 0);
  g_ptr_array_add (f->saved_ids, g_strdup (((IhRecord *) insight)->id));
  g_ptr_array_add (f->saved_texts, g_strdup (insight->text));
}

static IhInsight *
load_saved (Fixture *f,
            guint    i)
{
  g_autoptr(GError) error = NULL;
  IhInsight *insight;

  g_assert_cmpuint (f->saved_ids->len, >, i);
  insight = ih_store_load (f->store, &ih_insight_class, g_ptr_array_index (f->saved_ids, i), &error);
  g_assert_no_error (error);
  g_assert_nonnull (insight);
  return insight;
}

static void
save (Fixture *f)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.save", NULL));
}

static void
render_png (Fixture    *f,
            const char *name)
{
  /* Long enough for the expander's animation to end */
  ih_ui_iterate (600);
  ih_ui_save_png (f->window, name);
}

/*
 * Fixture
 */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static guint counter;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("editor-%u.db", ++counter);
  int width = GPOINTER_TO_INT (data);

  f->path = g_build_filename (g_get_user_data_dir (), name, NULL);
  f->store = ih_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);

  f->saved_ids = g_ptr_array_new_with_free_func (g_free);
  f->saved_texts = g_ptr_array_new_with_free_func (g_free);

  f->editor = IH_INSIGHT_EDITOR (ih_insight_editor_new (f->store));
  g_object_ref (f->editor);
  g_signal_connect (f->editor, "saved", G_CALLBACK (saved_cb), f);

  f->window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (f->window), "Record feedback");
  gtk_window_set_default_size (GTK_WINDOW (f->window), width > 0 ? width : 640, 1000);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->editor));
  gtk_window_present (GTK_WINDOW (f->window));

  while (!gtk_widget_get_mapped (GTK_WIDGET (f->editor)) ||
         gtk_widget_get_width (GTK_WIDGET (f->editor)) == 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  gtk_window_destroy (GTK_WINDOW (f->window));
  /* Let GTK drop what it holds for the frame clock and tooltips */
  ih_ui_iterate (20);
  g_assert_finalize_object (f->editor);
  g_assert_finalize_object (f->store);

  g_clear_pointer (&f->saved_ids, g_ptr_array_unref);
  g_clear_pointer (&f->saved_texts, g_ptr_array_unref);
  g_unlink (f->path);
  g_unlink (wal);
  g_unlink (shm);
  g_clear_pointer (&f->path, g_free);
}

/*
 * Tests
 */

static void
test_defaults (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  GtkWidget *text_view = child (f, "text_view");

  g_assert_cmpstr (entry_text (f, "date_row"), ==, today);
  g_assert_cmpstr (chosen (f, "consent_row"), ==, ih_vocab_label ("consent", "may-quote"));
  g_assert_cmpstr (chosen (f, "sentiment_row"), ==, "Not recorded");
  g_assert_cmpstr (chosen (f, "kind_row"), ==, ih_vocab_label ("insight-kind", "quote"));
  g_assert_cmpstr (chosen (f, "age_band_row"), ==, "Not recorded");
  g_assert_cmpstr (chosen (f, "sex_row"), ==, "Not recorded");
  g_assert_cmpstr (chosen (f, "ethnic_group_row"), ==, "Not recorded");
  g_assert_cmpstr (chosen (f, "disability_row"), ==, "Not recorded");
  g_assert_false (gtk_switch_get_active (child (f, "restricted_switch")));

  /* "Prefer not to say" comes from the vocabularies */
  choose (f, "sex_row", "sex", "prefer-not-to-say");
  choose (f, "disability_row", "disability", "prefer-not-to-say");

  /* Typing starts in the text, which wraps and lets Tab move on */
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == text_view);
  g_assert_cmpint (gtk_text_view_get_wrap_mode (GTK_TEXT_VIEW (text_view)), !=, GTK_WRAP_NONE);
  g_assert_false (gtk_text_view_get_accepts_tab (GTK_TEXT_VIEW (text_view)));
  gtk_widget_grab_focus (child (f, "save_button"));
  gtk_widget_grab_focus (GTK_WIDGET (f->editor));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == text_view);

  g_assert_false (widget_visible (f, "pii_list"));
  g_assert_false (widget_visible (f, "text_error_label"));
  g_assert_false (widget_visible (f, "date_error_label"));
  g_assert_cmpuint (ih_insight_editor_get_n_personal_data (f->editor), ==, 0);
}

static void
test_save_fields (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(IhInsight) insight = NULL;
  g_autofree char *text = NULL;

  type_text (f, "  The bus to the hospital stops at six, so I miss evening appointments.\n");
  choose (f, "kind_row", "insight-kind", "story");
  set_entry (f, "date_row", "31/03/2024");
  choose (f, "sentiment_row", "sentiment", "negative");
  choose (f, "consent_row", "consent", "anonymised-only");
  gtk_switch_set_active (child (f, "restricted_switch"), TRUE);
  adw_expander_row_set_expanded (child (f, "person_row"), TRUE);
  choose (f, "age_band_row", "age-band", "65-74");
  choose (f, "sex_row", "sex", "female");
  choose (f, "ethnic_group_row", "ethnic-group", "white");
  choose (f, "disability_row", "disability", "yes");
  set_entry (f, "postcode_row", "gl1 2ab");

  g_assert_cmpint (ih_store_count (f->store, &ih_insight_class), ==, 0);
  save (f);

  g_assert_cmpuint (f->saved_ids->len, ==, 1);
  g_assert_cmpint (ih_store_count (f->store, &ih_insight_class), ==, 1);

  insight = load_saved (f, 0);
  g_assert_cmpstr (insight->text, ==, "The bus to the hospital stops at six, so I miss evening appointments.");
  g_assert_cmpstr (insight->kind, ==, "story");
  g_assert_cmpstr (insight->date, ==, "2024-03-31");
  g_assert_cmpstr (insight->sentiment, ==, "negative");
  g_assert_cmpstr (insight->consent, ==, "anonymised-only");
  g_assert_true (insight->restricted);
  g_assert_cmpstr (insight->age_band, ==, "65-74");
  g_assert_cmpstr (insight->sex, ==, "female");
  g_assert_cmpstr (insight->ethnic_group, ==, "white");
  g_assert_cmpstr (insight->disability, ==, "yes");
  g_assert_cmpstr (insight->postcode_district, ==, "GL1");
  g_assert_cmpstr (insight->status, ==, "recorded");
  g_assert_null (insight->activity_id);
  g_assert_null (insight->theme_ids);

  /* Quick entry: the text goes, the session's choices stay */
  text = buffer_text (f);
  g_assert_cmpstr (text, ==, "");
  g_assert_cmpstr (entry_text (f, "date_row"), ==, "31/03/2024");
  g_assert_cmpstr (chosen (f, "kind_row"), ==, ih_vocab_label ("insight-kind", "story"));
  g_assert_cmpstr (chosen (f, "consent_row"), ==, ih_vocab_label ("consent", "anonymised-only"));
  g_assert_true (gtk_switch_get_active (child (f, "restricted_switch")));
  /* ...but not what belonged to that comment or that person */
  g_assert_cmpstr (chosen (f, "sentiment_row"), ==, "Not recorded");
  g_assert_cmpstr (chosen (f, "age_band_row"), ==, "Not recorded");
  g_assert_cmpstr (chosen (f, "sex_row"), ==, "Not recorded");
  g_assert_cmpstr (chosen (f, "ethnic_group_row"), ==, "Not recorded");
  g_assert_cmpstr (chosen (f, "disability_row"), ==, "Not recorded");
  g_assert_cmpstr (entry_text (f, "postcode_row"), ==, "");
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == child (f, "text_view"));

  /* The saved text cannot come back with undo */
  g_assert_false (gtk_text_buffer_get_can_undo (buffer (f)));
}

static void
test_quick_entry (Fixture       *f,
                  gconstpointer  data)
{
  const char *texts[] = {
    "Parking at the community hospital is too expensive.",
    "The receptionist was very kind to my mother.",
    "Why can’t I book a GP appointment online?",
  };

  set_entry (f, "date_row", "2024-05-02");
  choose (f, "kind_row", "insight-kind", "quote");
  set_entry (f, "themes_row", "Access to services");

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      type_text (f, texts[i]);
      choose (f, "sentiment_row", "sentiment", i == 1 ? "positive" : "negative");
      save (f);
    }

  g_assert_cmpuint (f->saved_ids->len, ==, 3);
  g_assert_cmpint (ih_store_count (f->store, &ih_insight_class), ==, 3);
  g_assert_cmpint (ih_store_count (f->store, &ih_theme_class), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(IhInsight) insight = load_saved (f, i);
      g_autofree char *theme_id = ih_store_find_theme (f->store, "access to services");

      g_assert_cmpstr (insight->text, ==, texts[i]);
      g_assert_cmpstr (insight->date, ==, "2024-05-02");
      g_assert_cmpstr (insight->kind, ==, "quote");
      g_assert_cmpstr (insight->consent, ==, "may-quote");
      g_assert_cmpstr (insight->sentiment, ==, i == 1 ? "positive" : "negative");
      g_assert_nonnull (insight->theme_ids);
      g_assert_cmpuint (g_strv_length (insight->theme_ids), ==, 1);
      g_assert_cmpstr (insight->theme_ids[0], ==, theme_id);
    }

  /* Saving the empty form after the last one adds nothing */
  save (f);
  g_assert_cmpuint (f->saved_ids->len, ==, 3);
  g_assert_cmpint (ih_store_count (f->store, &ih_insight_class), ==, 3);
}

/* The shortcut for @trigger_text that activates "editor.save" in a
 * shortcut controller of @widget running in @phase */
static GtkShortcut *
find_shortcut (GtkWidget           *widget,
               GtkPropagationPhase  phase,
               const char          *trigger_text)
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
          g_autofree char *text = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          g_auto(GStrv) alternatives = g_strsplit (text, "|", -1);

          if (!GTK_IS_NAMED_ACTION (action) ||
              g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), "editor.save") != 0)
            continue;
          if (g_strv_contains ((const char * const *) alternatives, trigger_text))
            return shortcut;  /* the controller keeps it alive */
        }
    }

  return NULL;
}

static void
test_shortcuts (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *editor = GTK_WIDGET (f->editor);
  GtkWidget *text_view = child (f, "text_view");
  GtkShortcut *shortcut;

  /* The class's key bindings (they run as the key bubbles up)... */
  g_assert_nonnull (find_shortcut (editor, GTK_PHASE_BUBBLE, "<Control>Return"));
  g_assert_nonnull (find_shortcut (editor, GTK_PHASE_BUBBLE, "<Control>KP_Enter"));

  /* ...and the same keys caught on the way down, before the text view
   * takes Return as a new line */
  g_assert_nonnull (find_shortcut (editor, GTK_PHASE_CAPTURE, "<Control>KP_Enter"));
  shortcut = find_shortcut (editor, GTK_PHASE_CAPTURE, "<Control>Return");
  g_assert_nonnull (shortcut);

  /* Activated as the controller would, for a key pressed in the text */
  type_text (f, "More buses after six, please.");
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == text_view);
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, editor, NULL));
  g_assert_cmpuint (f->saved_ids->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->saved_texts, 0), ==, "More buses after six, please.");
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == text_view);

  /* The button does the same */
  type_text (f, "Second one.");
  g_assert_cmpstr (gtk_actionable_get_action_name (child (f, "save_button")), ==, "editor.save");
  g_assert_true (gtk_widget_activate (child (f, "save_button")));
  /* A button activated from the keyboard shows itself pressed a moment */
  for (gint64 until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
       f->saved_ids->len < 2 && g_get_monotonic_time () < until;)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (f->saved_ids->len, ==, 2);
}

static void
test_invalid_date (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *text = NULL;
  GtkWidget *date_row = child (f, "date_row");

  type_text (f, "The leaflet was hard to read.");
  set_entry (f, "date_row", "31/02/2024");
  g_assert_false (ih_insight_editor_save (f->editor));

  g_assert_cmpuint (f->saved_ids->len, ==, 0);
  g_assert_cmpint (ih_store_count (f->store, &ih_insight_class), ==, 0);
  g_assert_true (widget_visible (f, "date_error_label"));
  g_assert_cmpstr (gtk_label_get_text (child (f, "date_error_label")), ==,
                   "Write the date as 2024-03-31 or 31/03/2024");
  g_assert_true (gtk_widget_has_css_class (date_row, "error"));
  g_assert_false (widget_visible (f, "text_error_label"));
  /* Nothing is lost: the text waits for the fix */
  text = buffer_text (f);
  g_assert_cmpstr (text, ==, "The leaflet was hard to read.");
  /* The focus goes to the field to fix */
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (gtk_root_get_focus (GTK_ROOT (f->window))), date_row));

  /* Via the action too */
  set_entry (f, "date_row", "next Tuesday");
  save (f);
  g_assert_cmpint (ih_store_count (f->store, &ih_insight_class), ==, 0);
  g_assert_true (widget_visible (f, "date_error_label"));

  /* An empty date is refused too (it defaults to today) */
  set_entry (f, "date_row", "");
  g_assert_false (ih_insight_editor_save (f->editor));
  g_assert_true (widget_visible (f, "date_error_label"));

  /* The message goes as soon as the date is right */
  set_entry (f, "date_row", "2024-02-29");
  g_assert_false (widget_visible (f, "date_error_label"));
  g_assert_false (gtk_widget_has_css_class (date_row, "error"));
  g_assert_true (ih_insight_editor_save (f->editor));
  g_assert_cmpint (ih_store_count (f->store, &ih_insight_class), ==, 1);
}

static void
test_empty_text (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *text_view = child (f, "text_view");

  g_assert_false (ih_insight_editor_save (f->editor));
  type_text (f, "  \n\t ");
  save (f);

  g_assert_cmpuint (f->saved_ids->len, ==, 0);
  g_assert_cmpint (ih_store_count (f->store, &ih_insight_class), ==, 0);
  g_assert_true (widget_visible (f, "text_error_label"));
  g_assert_cmpstr (gtk_label_get_text (child (f, "text_error_label")), ==, "Write what the person said first");
  g_assert_true (gtk_widget_has_css_class (child (f, "text_frame"), "error"));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == text_view);
  g_assert_false (widget_visible (f, "date_error_label"));

  type_text (f, "Thank you for listening.");
  g_assert_false (widget_visible (f, "text_error_label"));
  g_assert_false (gtk_widget_has_css_class (child (f, "text_frame"), "error"));
  g_assert_true (ih_insight_editor_save (f->editor));
  g_assert_cmpint (ih_store_count (f->store, &ih_insight_class), ==, 1);
}

/* The text under each run of the "personal-data" tag */
static GPtrArray *
tagged_runs (Fixture *f)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer (f)), "personal-data");
  GPtrArray *runs = g_ptr_array_new_with_free_func (g_free);
  GtkTextIter iter, end;

  g_assert_nonnull (tag);
  gtk_text_buffer_get_start_iter (buffer (f), &iter);
  while (TRUE)
    {
      if (!gtk_text_iter_starts_tag (&iter, tag) &&
          !gtk_text_iter_forward_to_tag_toggle (&iter, tag))
        break;
      if (!gtk_text_iter_starts_tag (&iter, tag))
        continue;
      end = iter;
      gtk_text_iter_forward_to_tag_toggle (&end, tag);
      g_ptr_array_add (runs, gtk_text_iter_get_text (&iter, &end));
      iter = end;
    }

  return runs;
}

static void
test_personal_data (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) runs = NULL;
  g_autofree char *text = NULL;
  g_autoptr(IhInsight) insight = NULL;
  AdwPreferencesRow *row = child (f, "pii_row");
  gint64 until;
  PangoUnderline underline;
  GtkTextTag *tag;

  type_text (f, "Call me on 07700 900123 or email jo@example.org");

  /* Found on its own after a short pause in typing */
  until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (ih_insight_editor_get_n_personal_data (f->editor) == 0 && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (ih_insight_editor_get_n_personal_data (f->editor), ==, 2);

  ih_insight_editor_scan_now (f->editor);
  g_assert_cmpuint (ih_insight_editor_get_n_personal_data (f->editor), ==, 2);

  runs = tagged_runs (f);
  g_assert_cmpuint (runs->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (runs, 0), ==, "07700 900123");
  g_assert_cmpstr (g_ptr_array_index (runs, 1), ==, "jo@example.org");
  g_clear_pointer (&runs, g_ptr_array_unref);

  tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer (f)), "personal-data");
  g_object_get (tag, "underline", &underline, NULL);
  g_assert_cmpint (underline, ==, PANGO_UNDERLINE_ERROR);

  g_assert_true (widget_visible (f, "pii_list"));
  g_assert_cmpstr (adw_preferences_row_get_title (row), ==,
                   "This text may contain personal data: a phone number, an email address");

  /* Characters before the data take more than one byte each */
  type_text (f, "Café owner – “ring 07700 900123” – Zoë");
  ih_insight_editor_scan_now (f->editor);
  runs = tagged_runs (f);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (runs, 0), ==, "07700 900123");
  g_clear_pointer (&runs, g_ptr_array_unref);
  g_assert_cmpstr (adw_preferences_row_get_title (row), ==,
                   "This text may contain personal data: a phone number");

  type_text (f, "Call me on 07700 900123 or email jo@example.org");
  ih_insight_editor_scan_now (f->editor);
  ih_insight_editor_redact_all (f->editor);
  text = buffer_text (f);
  g_assert_cmpstr (text, ==, "Call me on [phone number removed] or email [email address removed]");
  g_assert_cmpuint (ih_insight_editor_get_n_personal_data (f->editor), ==, 0);
  g_assert_false (widget_visible (f, "pii_list"));
  runs = tagged_runs (f);
  g_assert_cmpuint (runs->len, ==, 0);
  g_clear_pointer (&runs, g_ptr_array_unref);

  /* One undo step brings the data back: nothing silently lost */
  gtk_text_buffer_undo (buffer (f));
  g_clear_pointer (&text, g_free);
  text = buffer_text (f);
  g_assert_cmpstr (text, ==, "Call me on 07700 900123 or email jo@example.org");

  /* Through the button's action, then save: the personal data is gone */
  ih_insight_editor_scan_now (f->editor);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.redact", NULL));
  save (f);
  insight = load_saved (f, 0);
  g_assert_cmpstr (insight->text, ==, "Call me on [phone number removed] or email [email address removed]");

  /* Saving clears the warning with the text */
  type_text (f, "My NHS number is 943 476 5919");
  ih_insight_editor_scan_now (f->editor);
  g_assert_cmpuint (ih_insight_editor_get_n_personal_data (f->editor), ==, 1);
  g_assert_true (ih_insight_editor_save (f->editor));
  g_assert_cmpuint (ih_insight_editor_get_n_personal_data (f->editor), ==, 0);
  g_assert_false (widget_visible (f, "pii_list"));
}

static void
test_themes (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(IhInsight) first = NULL;
  g_autoptr(IhInsight) second = NULL;
  g_autofree char *transport = NULL;
  g_autofree char *access = NULL;
  g_autofree char *parking = NULL;
  g_autofree char *label = NULL;
  g_autofree char *action = NULL;
  GtkMenuButton *button;
  GMenuModel *menu;

  type_text (f, "There is no bus to the new surgery.");
  set_entry (f, "themes_row", "Transport; Access to services");
  save (f);

  g_assert_cmpint (ih_store_count (f->store, &ih_theme_class), ==, 2);
  transport = ih_store_find_theme (f->store, "Transport");
  access = ih_store_find_theme (f->store, "Access to services");
  g_assert_nonnull (transport);
  g_assert_nonnull (access);

  first = load_saved (f, 0);
  g_assert_nonnull (first->theme_ids);
  g_assert_cmpuint (g_strv_length (first->theme_ids), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) first->theme_ids, transport));
  g_assert_true (g_strv_contains ((const char * const *) first->theme_ids, access));

  /* Themes stay for the next one, shown as stored */
  g_assert_cmpstr (entry_text (f, "themes_row"), ==, "Transport; Access to services");

  /* Known names are found whatever the case; blanks and repeats ignored */
  type_text (f, "Parking costs too much.");
  set_entry (f, "themes_row", "  transport ;; Parking;TRANSPORT ; ");
  save (f);
  g_assert_cmpint (ih_store_count (f->store, &ih_theme_class), ==, 3);
  parking = ih_store_find_theme (f->store, "parking");
  second = load_saved (f, 1);
  g_assert_cmpuint (g_strv_length (second->theme_ids), ==, 2);
  g_assert_cmpstr (second->theme_ids[0], ==, transport);
  g_assert_cmpstr (second->theme_ids[1], ==, parking);
  g_assert_cmpstr (entry_text (f, "themes_row"), ==, "Transport; Parking");

  /* The menu lists the stored themes, by name */
  button = child (f, "themes_button");
  gtk_menu_button_popup (button);
  ih_ui_iterate (50);
  menu = gtk_menu_button_get_menu_model (button);
  g_assert_nonnull (menu);
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 3);
  g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label));
  g_assert_cmpstr (label, ==, "Access to services");
  g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action));
  g_assert_cmpstr (action, ==, "editor.add-theme");
  gtk_menu_button_popdown (button);

  /* Picking an existing theme from the menu adds it once */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.add-theme", "s", "Access to services"));
  g_assert_cmpstr (entry_text (f, "themes_row"), ==, "Transport; Parking; Access to services; ");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.add-theme", "s", "parking"));
  g_assert_cmpstr (entry_text (f, "themes_row"), ==, "Transport; Parking; Access to services; ");
}

static void
test_postcode (Fixture       *f,
               gconstpointer  data)
{
  const struct { const char *typed, *stored; } cases[] = {
    { "GL1 2AB", "GL1" },
    { "gl12ab", "GL1" },
    { "SW1A 1AA", "SW1A" },
    { "M60", "M60" },
    { "", NULL },
  };

  adw_expander_row_set_expanded (child (f, "person_row"), TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(IhInsight) insight = NULL;

      type_text (f, "The pharmacy closes too early.");
      set_entry (f, "postcode_row", cases[i].typed);
      g_assert_true (ih_insight_editor_save (f->editor));
      insight = load_saved (f, i);
      g_assert_cmpstr (insight->postcode_district, ==, cases[i].stored);
    }

  /* Not a postcode: said next to the field, nothing saved */
  adw_expander_row_set_expanded (child (f, "person_row"), FALSE);
  type_text (f, "The pharmacy closes too early.");
  set_entry (f, "postcode_row", "Gloucester");
  g_assert_false (ih_insight_editor_save (f->editor));
  g_assert_cmpint (ih_store_count (f->store, &ih_insight_class), ==, G_N_ELEMENTS (cases));
  g_assert_true (widget_visible (f, "postcode_error_label"));
  g_assert_true (adw_expander_row_get_expanded (child (f, "person_row")));
  set_entry (f, "postcode_row", "GL1");
  g_assert_false (widget_visible (f, "postcode_error_label"));
}

static void
test_activity (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(IhActivity) activity = ih_activity_new ();
  g_autoptr(IhInsight) insight = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  activity->title = g_strdup ("Stroud drop-in, March");
  g_assert_true (ih_store_save (f->store, activity, &error));
  g_assert_no_error (error);

  ih_insight_editor_set_activity (f->editor, activity->parent.id);
  type_text (f, "The drop-in should run on Saturdays too.");
  save (f);
  insight = load_saved (f, 0);
  g_assert_cmpstr (insight->activity_id, ==, activity->parent.id);

  /* A store refusal is reported, and the text kept */
  ih_insight_editor_set_activity (f->editor, "00000000-0000-4000-8000-000000000000");
  type_text (f, "Another comment.");
  g_assert_false (ih_insight_editor_save (f->editor));
  g_assert_true (widget_visible (f, "error_label"));
  g_assert_cmpint (ih_store_count (f->store, &ih_insight_class), ==, 1);
  text = buffer_text (f);
  g_assert_cmpstr (text, ==, "Another comment.");

  ih_insight_editor_set_activity (f->editor, NULL);
  g_assert_true (ih_insight_editor_save (f->editor));
  g_assert_false (widget_visible (f, "error_label"));
  g_assert_cmpint (ih_store_count (f->store, &ih_insight_class), ==, 2);
}

static char *
add_activity (Fixture    *f,
              const char *title,
              const char *start_date)
{
  g_autoptr(IhActivity) activity = ih_activity_new ();
  g_autoptr(GError) error = NULL;

  activity->title = g_strdup (title);
  activity->start_date = g_strdup (start_date);
  g_assert_true (ih_store_save (f->store, activity, &error));
  g_assert_no_error (error);
  return g_strdup (activity->parent.id);
}

static const char *
activity_choice (Fixture *f,
                 guint    position)
{
  GListModel *model = gtk_drop_down_get_model (child (f, "activity_dropdown"));
  g_autoptr(GtkStringObject) item = g_list_model_get_item (model, position);

  g_assert_nonnull (item);
  /* The model keeps the string alive */
  return gtk_string_object_get_string (item);
}

static const char *
activity_chosen (Fixture *f)
{
  return activity_choice (f, gtk_drop_down_get_selected (child (f, "activity_dropdown")));
}

/* The Activity choice: stored activities, most recent first, reached by
 * Tab, chosen like any drop-down, kept for quick entry */
static void
test_activity_picker (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *stroud = add_activity (f, "Stroud drop-in", "2024-03-01");
  g_autofree char *wirral = add_activity (f, "Wirral travel survey", "2025-01-20");
  g_autofree char *board = add_activity (f, "Board question time", NULL);
  g_autofree char *later = NULL;
  GtkDropDown *dropdown = child (f, "activity_dropdown");
  gboolean reached = FALSE;

  /* Made after the form: offered once it reads them again, as it does
   * each time it is shown */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)), ==, 1);
  ih_insight_editor_reload_activities (f->editor);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)), ==, 4);
  g_assert_cmpstr (activity_choice (f, 0), ==, "None");
  g_assert_cmpstr (activity_choice (f, 1), ==, "Wirral travel survey (2025-01-20)");
  g_assert_cmpstr (activity_choice (f, 2), ==, "Stroud drop-in (2024-03-01)");
  g_assert_cmpstr (activity_choice (f, 3), ==, "Board question time");
  g_assert_cmpstr (activity_chosen (f), ==, "None");
  g_assert_null (ih_insight_editor_get_activity (f->editor));

  /* Tab from the text reaches it */
  gtk_widget_grab_focus (child (f, "text_view"));
  for (guint i = 0; i < 6 && !reached; i++)
    {
      GtkWidget *focus;

      g_assert_true (gtk_widget_child_focus (f->window, GTK_DIR_TAB_FORWARD));
      focus = gtk_root_get_focus (GTK_ROOT (f->window));
      reached = focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (dropdown));
    }
  g_assert_true (reached);

  /* Chosen, saved, and kept for the next one (Ctrl+Enter) */
  gtk_drop_down_set_selected (dropdown, 2);
  g_assert_cmpstr (ih_insight_editor_get_activity (f->editor), ==, stroud);
  type_text (f, "The drop-in should run on Saturdays too.");
  save (f);
  type_text (f, "And in the evenings.");
  save (f);
  g_assert_cmpstr (activity_chosen (f), ==, "Stroud drop-in (2024-03-01)");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(IhInsight) insight = load_saved (f, i);

      g_assert_cmpstr (insight->activity_id, ==, stroud);
    }

  /* "None" again */
  gtk_drop_down_set_selected (dropdown, 0);
  g_assert_null (ih_insight_editor_get_activity (f->editor));
  type_text (f, "Heard in the corridor.");
  save (f);
  {
    g_autoptr(IhInsight) insight = load_saved (f, 2);

    g_assert_null (insight->activity_id);
  }

  /* Set from elsewhere (the activity form): shown in the choice, even for
   * an activity made since the list was read */
  ih_insight_editor_set_activity (f->editor, wirral);
  g_assert_cmpstr (activity_chosen (f), ==, "Wirral travel survey (2025-01-20)");
  later = add_activity (f, "Citizens panel", "2026-02-02");
  ih_insight_editor_set_activity (f->editor, later);
  g_assert_cmpstr (activity_chosen (f), ==, "Citizens panel (2026-02-02)");
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 1);
  type_text (f, "More sessions please.");
  save (f);
  {
    g_autoptr(IhInsight) insight = load_saved (f, 3);

    g_assert_cmpstr (insight->activity_id, ==, later);
  }
  g_assert_nonnull (board);
}

static void
test_accessible (Fixture       *f,
                 gconstpointer  data)
{
  struct { const char *name, *label; } widgets[] = {
    { "text_view", "Feedback text" },
    { "activity_dropdown", "Activity" },
    { "kind_row", "Kind" },
    { "date_row", "Date" },
    { "sentiment_row", "Sentiment" },
    { "consent_row", "Consent" },
    { "restricted_switch", "Restricted" },
    { "age_band_row", "Age band" },
    { "sex_row", "Sex" },
    { "ethnic_group_row", "Ethnic group" },
    { "disability_row", "Disability" },
    { "postcode_row", "Postcode district" },
    { "themes_button", "Add an existing theme" },
    { "redact_button", "Redact personal data" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (widgets); i++)
    {
      GtkWidget *widget = child (f, widgets[i].name);

      gtk_test_accessible_assert_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                           widgets[i].label);
      /* The text part of an entry row is what gets the focus */
      if (GTK_IS_EDITABLE (widget) && gtk_editable_get_delegate (GTK_EDITABLE (widget)))
        gtk_test_accessible_assert_property (GTK_ACCESSIBLE (gtk_editable_get_delegate (GTK_EDITABLE (widget))),
                                             GTK_ACCESSIBLE_PROPERTY_LABEL, widgets[i].label);
    }

  /* The warning about personal data reaches a screen reader too */
  type_text (f, "Ring 07700 900123");
  ih_insight_editor_scan_now (f->editor);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (child (f, "text_view")),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "This text may contain personal data: a phone number");
  type_text (f, "");
  g_assert_false (ih_insight_editor_save (f->editor));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (child (f, "text_view")),
                                    GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (child (f, "text_view")),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Write what the person said first");

  /* A field with a problem says so to a screen reader */
  set_entry (f, "date_row", "soon");
  type_text (f, "x");
  g_assert_false (ih_insight_editor_save (f->editor));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (gtk_editable_get_delegate (child (f, "date_row"))),
                                    GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (gtk_editable_get_delegate (child (f, "date_row"))),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Write the date as 2024-03-31 or 31/03/2024");
}

static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  GtkAdjustment *adjustment;
  GtkWidget *scroller;
  int minimum = 0;

  /* Usable on a phone-sized window */
  adw_expander_row_set_expanded (child (f, "person_row"), TRUE);
  type_text (f, "Call me on 07700 900123.");
  ih_insight_editor_scan_now (f->editor);
  gtk_widget_measure (GTK_WIDGET (f->editor), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  render_png (f, "insight-editor-narrow.png");

  /* The end of the form, with a problem in the last field */
  set_entry (f, "postcode_row", "Stroud");
  g_assert_false (ih_insight_editor_save (f->editor));
  ih_ui_iterate (100);
  scroller = adw_bin_get_child (ADW_BIN (f->editor));
  g_assert_true (GTK_IS_SCROLLED_WINDOW (scroller));
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  render_png (f, "insight-editor-narrow-end.png");
}

static void
test_render (Fixture       *f,
             gconstpointer  data)
{
  type_text (f, "Call me on 07700 900123 or email jo@example.org about the bus to "
                "Cheltenham General: it stops at six, so I miss every evening clinic.");
  ih_insight_editor_scan_now (f->editor);
  set_entry (f, "themes_row", "Transport; Access to services");
  choose (f, "sentiment_row", "sentiment", "negative");
  set_entry (f, "date_row", "31/13/2024");
  g_assert_false (ih_insight_editor_save (f->editor));
  adw_expander_row_set_expanded (child (f, "person_row"), TRUE);
  choose (f, "age_band_row", "age-band", "65-74");
  choose (f, "ethnic_group_row", "ethnic-group", "black");
  render_png (f, "insight-editor.png");

  /* The empty form as it first appears */
  type_text (f, "");
  set_entry (f, "date_row", "2024-03-31");
  set_entry (f, "themes_row", "");
  adw_expander_row_set_expanded (child (f, "person_row"), FALSE);
  ih_insight_editor_scan_now (f->editor);
  render_png (f, "insight-editor-empty.png");
}

/*
 * Drafts
 */

static char *
draft_path_for (const char *db_path)
{
  g_autofree char *base = g_path_get_basename (db_path);
  g_autofree char *name = g_strconcat (base, ".draft", NULL);

  return g_build_filename (g_get_user_state_dir (), "insight-hub", "drafts", name, NULL);
}

static gpointer
editor_child (IhInsightEditor *editor,
              const char      *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (editor), IH_TYPE_INSIGHT_EDITOR, name);

  g_assert_nonnull (object);
  return object;
}

static char *
editor_text (IhInsightEditor *editor)
{
  GtkTextBuffer *text_buffer = gtk_text_view_get_buffer (editor_child (editor, "text_view"));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (text_buffer, &start, &end);
  return gtk_text_buffer_get_text (text_buffer, &start, &end, TRUE);
}

static IhInsightEditor *
second_editor (Fixture *f)
{
  return g_object_ref_sink (IH_INSIGHT_EDITOR (ih_insight_editor_new (f->store)));
}

/* Runs in the re-executed test binary: types into a real editor, noting
 * after each step what was typed, and is killed in the middle. */
static int
draft_child_main (const char *db_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IhStore) store = NULL;
  g_autoptr(GString) typed = g_string_new (NULL);
  g_autofree char *typed_path = g_strconcat (db_path, ".typed", NULL);
  IhInsightEditor *editor;
  GtkTextBuffer *text_buffer;
  GtkWidget *window;

  gtk_init ();
  adw_init ();

  store = ih_store_open (db_path, &error);
  g_assert_no_error (error);

  editor = IH_INSIGHT_EDITOR (ih_insight_editor_new (store));
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (editor));
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (editor)))
    g_main_context_iteration (NULL, TRUE);

  text_buffer = gtk_text_view_get_buffer (editor_child (editor, "text_view"));
  for (guint i = 0; i < N_STEPS; i++)
    {
      gtk_text_buffer_insert_at_cursor (text_buffer, typed_words[i], -1);
      g_string_append (typed, typed_words[i]);
      g_assert_true (g_file_set_contents (typed_path, typed->str, -1, &error));
      g_assert_no_error (error);
      /* Killed part-way through the last pause */
      ih_ui_iterate (i + 1 == N_STEPS ? STEP_MS / 2 : STEP_MS);
    }

  raise (SIGKILL);
  g_assert_not_reached ();
}

static void
test_draft_sigkill (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *flag = g_strconcat (DRAFT_CHILD_FLAG, f->path, NULL);
  g_autofree char *typed_path = g_strconcat (f->path, ".typed", NULL);
  g_autofree char *draft_path = draft_path_for (f->path);
  g_autofree char *typed = NULL;
  g_autofree char *restored = NULL;
  g_autoptr(IhInsightEditor) editor = NULL;
  const char *child_argv[] = { self_exe, flag, NULL };
  gsize restored_len;
  guint n_typed = 0, n_restored = 0;
  int status = 0;

  g_assert_false (g_file_test (draft_path, G_FILE_TEST_EXISTS));

  /* Same environment: the same XDG_DATA_HOME and XDG_STATE_HOME */
  g_assert_true (g_spawn_sync (NULL, (char **) child_argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  g_assert_true (g_file_get_contents (typed_path, &typed, NULL, &error));
  g_assert_no_error (error);
  g_unlink (typed_path);

  /* The next start offers what was typed, and only when asked */
  editor = second_editor (f);
  g_assert_true (ih_insight_editor_has_draft_offer (editor));
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "draft_list")));
  restored = editor_text (editor);
  g_assert_cmpstr (restored, ==, "");
  ih_insight_editor_restore_draft (editor);
  g_assert_false (ih_insight_editor_has_draft_offer (editor));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "draft_list")));
  g_free (restored);
  restored = editor_text (editor);

  /* A prefix of what was typed, ending on a step... */
  restored_len = strlen (restored);
  g_test_message ("typed “%s”, restored “%s”", typed, restored);
  g_assert_cmpuint (restored_len, >, 0);
  g_assert_true (g_str_has_prefix (typed, restored));
  for (guint i = 0, len = 0; i < N_STEPS && len < strlen (typed); i++)
    {
      len += strlen (typed_words[i]);
      n_typed++;
      if (len <= restored_len)
        n_restored = n_typed;
    }
  g_assert_cmpuint (n_typed, >=, N_STEPS - 1);
  /* ...missing at most the last second of typing: half-second saves lose
   * five or six steps; allow one and a half seconds for a slow machine */
  g_assert_cmpuint (n_typed - n_restored, <=, 1500 / STEP_MS);

  ih_insight_editor_discard_draft (editor);  /* no offer now: nothing happens */
  g_assert_true (g_file_test (draft_path, G_FILE_TEST_EXISTS));
  g_clear_object (&editor);
  g_unlink (draft_path);
}

static void
test_draft_restore_fields (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *draft_path = draft_path_for (f->path);
  g_autofree char *text = NULL;
  g_autoptr(IhInsightEditor) editor = NULL;
  g_autoptr(IhActivity) activity = ih_activity_new ();
  g_autoptr(GError) error = NULL;

  activity->title = g_strdup ("Stroud drop-in, March");
  g_assert_true (ih_store_save (f->store, activity, &error));
  g_assert_no_error (error);

  ih_insight_editor_set_activity (f->editor, activity->parent.id);
  type_text (f, "The leaflet was hard to read.\nThe print is tiny.");
  choose (f, "kind_row", "insight-kind", "story");
  set_entry (f, "date_row", "31/03/2024");
  set_entry (f, "themes_row", "Transport; Access to services");
  choose (f, "sentiment_row", "sentiment", "negative");
  choose (f, "consent_row", "consent", "anonymised-only");
  gtk_switch_set_active (child (f, "restricted_switch"), TRUE);
  choose (f, "age_band_row", "age-band", "65-74");
  choose (f, "sex_row", "sex", "female");
  choose (f, "ethnic_group_row", "ethnic-group", "white");
  choose (f, "disability_row", "disability", "yes");
  set_entry (f, "postcode_row", "GL1");
  ih_insight_editor_flush_draft (f->editor);
  g_assert_true (g_file_test (draft_path, G_FILE_TEST_IS_REGULAR));

  /* Nothing changed since: nothing is written */
  g_unlink (draft_path);
  ih_insight_editor_flush_draft (f->editor);
  g_assert_false (g_file_test (draft_path, G_FILE_TEST_EXISTS));
  set_entry (f, "postcode_row", "GL1 ");
  ih_insight_editor_flush_draft (f->editor);
  g_assert_true (g_file_test (draft_path, G_FILE_TEST_IS_REGULAR));

  editor = second_editor (f);
  g_assert_true (ih_insight_editor_has_draft_offer (editor));
  /* Offered, not filled in */
  g_assert_cmpstr (chosen_in (editor, "kind_row"), ==, ih_vocab_label ("insight-kind", "quote"));
  ih_insight_editor_restore_draft (editor);

  text = editor_text (editor);
  g_assert_cmpstr (text, ==, "The leaflet was hard to read.\nThe print is tiny.");
  g_assert_cmpstr (chosen_in (editor, "kind_row"), ==, ih_vocab_label ("insight-kind", "story"));
  g_assert_cmpstr (gtk_editable_get_text (editor_child (editor, "date_row")), ==, "31/03/2024");
  g_assert_cmpstr (gtk_editable_get_text (editor_child (editor, "themes_row")), ==,
                   "Transport; Access to services");
  g_assert_cmpstr (chosen_in (editor, "sentiment_row"), ==, ih_vocab_label ("sentiment", "negative"));
  g_assert_cmpstr (chosen_in (editor, "consent_row"), ==, ih_vocab_label ("consent", "anonymised-only"));
  g_assert_true (gtk_switch_get_active (editor_child (editor, "restricted_switch")));
  g_assert_cmpstr (chosen_in (editor, "age_band_row"), ==, ih_vocab_label ("age-band", "65-74"));
  g_assert_cmpstr (chosen_in (editor, "sex_row"), ==, ih_vocab_label ("sex", "female"));
  g_assert_cmpstr (chosen_in (editor, "ethnic_group_row"), ==, ih_vocab_label ("ethnic-group", "white"));
  g_assert_cmpstr (chosen_in (editor, "disability_row"), ==, ih_vocab_label ("disability", "yes"));
  g_assert_cmpstr (gtk_editable_get_text (editor_child (editor, "postcode_row")), ==, "GL1 ");
  g_assert_true (adw_expander_row_get_expanded (editor_child (editor, "person_row")));

  /* Saved from the restored form: with its activity, and the draft goes */
  g_assert_true (g_file_test (draft_path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (ih_insight_editor_save (editor));
  g_assert_false (g_file_test (draft_path, G_FILE_TEST_EXISTS));
  {
    g_autoptr(GPtrArray) all = ih_store_list (f->store, &ih_insight_class, &error);

    g_assert_no_error (error);
    g_ptr_array_set_free_func (all, ih_record_free);
    g_assert_cmpuint (all->len, ==, 1);
    g_assert_cmpstr (((IhInsight *) g_ptr_array_index (all, 0))->activity_id, ==, activity->parent.id);
    g_assert_cmpstr (((IhInsight *) g_ptr_array_index (all, 0))->postcode_district, ==, "GL1");
  }
  g_assert_finalize_object (g_steal_pointer (&editor));

  /* f->editor wrote that draft, the other one saved it: nothing left */
  ih_insight_editor_flush_draft (f->editor);
  g_assert_false (g_file_test (draft_path, G_FILE_TEST_EXISTS));
}

static void
test_draft_deleted (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *draft_path = draft_path_for (f->path);
  g_autoptr(IhInsightEditor) editor = NULL;

  /* Saved in quick entry: the draft goes */
  type_text (f, "Parking at the community hospital is too expensive.");
  ih_insight_editor_flush_draft (f->editor);
  g_assert_true (g_file_test (draft_path, G_FILE_TEST_IS_REGULAR));
  save (f);
  g_assert_cmpuint (f->saved_ids->len, ==, 1);
  g_assert_false (g_file_test (draft_path, G_FILE_TEST_EXISTS));
  ih_insight_editor_flush_draft (f->editor);
  g_assert_false (g_file_test (draft_path, G_FILE_TEST_EXISTS));

  /* The text cleared: the draft goes */
  type_text (f, "Half a thought");
  ih_insight_editor_flush_draft (f->editor);
  g_assert_true (g_file_test (draft_path, G_FILE_TEST_IS_REGULAR));
  type_text (f, "");
  ih_insight_editor_flush_draft (f->editor);
  g_assert_false (g_file_test (draft_path, G_FILE_TEST_EXISTS));

  /* Written by itself half a second after typing */
  type_text (f, "Another half thought");
  for (gint64 until = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
       !g_file_test (draft_path, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < until;)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_file_test (draft_path, G_FILE_TEST_IS_REGULAR));

  /* Discard deletes it, and an editor that only offered it leaves the
   * form empty */
  editor = second_editor (f);
  g_assert_true (ih_insight_editor_has_draft_offer (editor));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (editor_child (editor, "draft_restore_button")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Restore unsaved feedback");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (editor_child (editor, "draft_discard_button")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Discard unsaved feedback");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.discard-draft", NULL));
  g_assert_false (ih_insight_editor_has_draft_offer (editor));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "draft_list")));
  g_assert_false (g_file_test (draft_path, G_FILE_TEST_EXISTS));
  g_assert_finalize_object (g_steal_pointer (&editor));
  g_assert_false (g_file_test (draft_path, G_FILE_TEST_EXISTS));

  /* Destroying an editor keeps what it had not written yet */
  editor = second_editor (f);
  gtk_text_buffer_insert_at_cursor (gtk_text_view_get_buffer (editor_child (editor, "text_view")),
                                    "Typed just before the window closed", -1);
  g_assert_false (g_file_test (draft_path, G_FILE_TEST_EXISTS));
  g_assert_finalize_object (g_steal_pointer (&editor));
  g_assert_true (g_file_test (draft_path, G_FILE_TEST_IS_REGULAR));

  /* Offered: typing meanwhile does not overwrite the draft */
  editor = second_editor (f);
  g_assert_true (ih_insight_editor_has_draft_offer (editor));
  gtk_text_buffer_insert_at_cursor (gtk_text_view_get_buffer (editor_child (editor, "text_view")),
                                    "Something new", -1);
  ih_insight_editor_flush_draft (editor);
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (draft_path, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "Typed just before the window closed"));
  }
  /* ...until the offer is discarded */
  ih_insight_editor_discard_draft (editor);
  ih_insight_editor_flush_draft (editor);
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (draft_path, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "Something new"));
  }
  g_assert_finalize_object (g_steal_pointer (&editor));
  g_unlink (draft_path);
}

static void
test_draft_corrupt (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *draft_path = draft_path_for (f->path);
  g_autofree char *dir = g_path_get_dirname (draft_path);
  g_autoptr(IhInsightEditor) editor = NULL;
  static const char garbage[] = "\xff\xfe\x00garbage\x01[[[";
  const char *bad[] = {
    garbage,
    "[Draft\ntext=unterminated",
    "[Other]\nkey=value\n",
    "[Draft]\ntext=   \n",
    "[Draft]\ntext=\xc3\x28 invalid UTF-8\n",
  };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_true (g_file_set_contents (draft_path, bad[i], i == 0 ? (gssize) sizeof garbage - 1 : -1, NULL));
      editor = second_editor (f);
      g_assert_false (ih_insight_editor_has_draft_offer (editor));
      g_assert_false (gtk_widget_get_visible (editor_child (editor, "draft_list")));
      ih_insight_editor_restore_draft (editor);
      g_assert_finalize_object (g_steal_pointer (&editor));
    }

  /* The form still works, and its draft replaces the garbage */
  type_text (f, "The form works.");
  ih_insight_editor_flush_draft (f->editor);
  editor = second_editor (f);
  g_assert_true (ih_insight_editor_has_draft_offer (editor));
  ih_insight_editor_discard_draft (editor);
  g_assert_finalize_object (g_steal_pointer (&editor));
  g_assert_false (g_file_test (draft_path, G_FILE_TEST_EXISTS));
  save (f);
}

static void
test_draft_render (Fixture       *f,
                   gconstpointer  data)
{
  IhInsightEditor *editor;

  type_text (f, "The bus to Cheltenham General stops at six, so I miss every evening clinic "
                "and have to ask my neighbour for a lift.");
  choose (f, "kind_row", "insight-kind", "story");
  ih_insight_editor_flush_draft (f->editor);

  /* The window as it opens next time */
  editor = IH_INSIGHT_EDITOR (ih_insight_editor_new (f->store));
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (editor));
  g_assert_true (ih_insight_editor_has_draft_offer (editor));
  while (!gtk_widget_get_mapped (GTK_WIDGET (editor)) ||
         gtk_widget_get_width (GTK_WIDGET (editor)) == 0)
    g_main_context_iteration (NULL, TRUE);
  render_png (f, "insight-editor-draft.png");

  ih_insight_editor_restore_draft (editor);
  render_png (f, "insight-editor-draft-restored.png");
  ih_insight_editor_discard_draft (editor);
  save (f);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *state_home = NULL;
  int ret;

  /* The child of the SIGKILL test: before GTest sees its flag */
  if (argc == 2 && g_str_has_prefix (argv[1], DRAFT_CHILD_FLAG))
    return draft_child_main (argv[1] + strlen (DRAFT_CHILD_FLAG));

  /* Run again as the child: the same binary, wherever the test started */
  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  if (self_exe == NULL)
    self_exe = g_canonicalize_filename (argv[0], NULL);

  /* Keep the stores and drafts out of the real profile; before anything
   * reads it */
  data_home = g_dir_make_tmp ("insight-editor-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  state_home = g_build_filename (data_home, "state", NULL);
  g_setenv ("XDG_STATE_HOME", state_home, TRUE);

  /* The in-memory accessibility backend: no bus, but the accessible names
   * and states can be checked (the suite's GTK_A11Y=none has none) */
  g_setenv ("GTK_A11Y", "test", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_assert_cmpstr (g_get_user_data_dir (), ==, data_home);
  g_assert_true (g_mkdir_with_parents (g_get_user_data_dir (), 0700) == 0);

#define ADD(path, func, width) \
  g_test_add (path, Fixture, GINT_TO_POINTER (width), fixture_set_up, func, fixture_tear_down)

  ADD ("/insight-editor/defaults", test_defaults, 0);
  ADD ("/insight-editor/save/fields", test_save_fields, 0);
  ADD ("/insight-editor/save/quick-entry", test_quick_entry, 0);
  ADD ("/insight-editor/save/shortcuts", test_shortcuts, 0);
  ADD ("/insight-editor/validate/date", test_invalid_date, 0);
  ADD ("/insight-editor/validate/empty-text", test_empty_text, 0);
  ADD ("/insight-editor/personal-data", test_personal_data, 0);
  ADD ("/insight-editor/themes", test_themes, 0);
  ADD ("/insight-editor/postcode", test_postcode, 0);
  ADD ("/insight-editor/activity", test_activity, 0);
  ADD ("/insight-editor/activity/picker", test_activity_picker, 0);
  ADD ("/insight-editor/accessible", test_accessible, 0);
  ADD ("/insight-editor/render/narrow", test_narrow, 360);
  ADD ("/insight-editor/render/form", test_render, 0);
  ADD ("/insight-editor/draft/sigkill", test_draft_sigkill, 0);
  ADD ("/insight-editor/draft/restore-fields", test_draft_restore_fields, 0);
  ADD ("/insight-editor/draft/deleted", test_draft_deleted, 0);
  ADD ("/insight-editor/draft/corrupt", test_draft_corrupt, 0);
  ADD ("/insight-editor/render/draft", test_draft_render, 0);

#undef ADD

  ret = g_test_run ();

  ih_test_remove_tree (data_home);
  g_free (data_home);
  g_free (self_exe);

  return ret;
}
