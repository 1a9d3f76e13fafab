/* test-record.c — record field tables, text conversion, validation,
 * vocabularies, dates and name-based ids
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ih-record.h"

static void
set (gpointer    record,
     const char *field,
     const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ih_record_set_text (record, ih_record_class_field (((IhRecord *) record)->klass, field),
                                     text, &error));
  g_assert_no_error (error);
}

static void
refuse (gpointer    record,
        const char *field,
        const char *text,
        const char *in_message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (ih_record_set_text (record, ih_record_class_field (((IhRecord *) record)->klass, field),
                                      text, &error));
  g_assert_error (error, IH_RECORD_ERROR, IH_RECORD_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, in_message));
}

static void
test_new_copy_free (void)
{
  g_autoptr(IhInsight) insight = ih_insight_new ();
  g_autoptr(IhInsight) copy = NULL;
  g_autoptr(IhActivity) activity = ih_activity_new ();

  g_assert_true (g_uuid_string_is_valid (insight->parent.id));
  g_assert_true (insight->parent.klass == &ih_insight_class);
  g_assert_cmpint (activity->attendance, ==, -1);

  set (insight, "text", "  Kept, without the spaces around it  ");
  set (insight, "theme_ids", "a\nb\n\nb\n");
  copy = ih_record_copy (insight);
  g_assert_cmpstr (copy->text, ==, "Kept, without the spaces around it");
  g_assert_true (copy->text != insight->text);
  g_assert_cmpstr (copy->parent.id, ==, insight->parent.id);
  /* Blank and repeated list items dropped */
  g_assert_cmpuint (g_strv_length (copy->theme_ids), ==, 2);
  g_assert_true (copy->theme_ids != insight->theme_ids);

  g_assert_nonnull (ih_record_class_lookup ("meeting"));
  g_assert_null (ih_record_class_lookup ("nothing"));
  g_assert_null (ih_record_class_field (&ih_insight_class, "colour"));
}

static void
test_text_conversion (void)
{
  g_autoptr(IhInsight) insight = ih_insight_new ();
  g_autoptr(IhActivity) activity = ih_activity_new ();
  g_autofree char *text = NULL;

  set (insight, "kind", "Survey answer");
  g_assert_cmpstr (insight->kind, ==, "survey-answer");
  set (insight, "sentiment", "NEGATIVE");
  g_assert_cmpstr (insight->sentiment, ==, "negative");
  set (insight, "age_band", "Prefer not to say");
  g_assert_cmpstr (insight->age_band, ==, "prefer-not-to-say");
  set (insight, "consent", "may_quote");
  g_assert_cmpstr (insight->consent, ==, "may-quote");
  refuse (insight, "sentiment", "furious", "furious");
  g_assert_cmpstr (insight->sentiment, ==, "negative");

  set (insight, "restricted", "Yes");
  g_assert_true (insight->restricted);
  set (insight, "restricted", "");
  g_assert_false (insight->restricted);
  refuse (insight, "restricted", "perhaps", "perhaps");

  set (insight, "date", "31/03/2024");
  g_assert_cmpstr (insight->date, ==, "2024-03-31");
  set (insight, "date", "2024-02-29T10:15:00");
  g_assert_cmpstr (insight->date, ==, "2024-02-29");
  refuse (insight, "date", "2023-02-29", "2023-02-29");
  refuse (insight, "date", "next Tuesday", "next Tuesday");
  set (insight, "date", NULL);
  g_assert_null (insight->date);

  set (activity, "attendance", "120");
  g_assert_cmpint (activity->attendance, ==, 120);
  refuse (activity, "attendance", "-4", "-4");
  refuse (activity, "attendance", "lots", "lots");
  refuse (activity, "attendance", "99999999999999999999999", "9999");
  set (activity, "attendance", "");
  g_assert_cmpint (activity->attendance, ==, -1);

  set (activity, "partners", "Healthwatch\nStroud CVS");
  text = ih_record_get_text (activity, ih_record_class_field (&ih_activity_class, "partners"));
  g_assert_cmpstr (text, ==, "Healthwatch\nStroud CVS");
  g_clear_pointer (&text, g_free);
  text = ih_record_get_text (activity, ih_record_class_field (&ih_activity_class, "attendance"));
  g_assert_null (text);

  refuse (insight, "text", "caf\xe9", "text");
}

static void
test_validate (void)
{
  g_autoptr(IhInsight) insight = ih_insight_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (ih_record_validate (insight, &error));
  g_assert_nonnull (strstr (error->message, "text"));
  g_clear_error (&error);

  insight->text = g_strdup ("Fine");
  g_assert_true (ih_record_validate (insight, &error));
  g_assert_no_error (error);

  /* Values set directly, past ih_record_set_text, are still checked */
  insight->kind = g_strdup ("gossip");
  g_assert_false (ih_record_validate (insight, &error));
  g_assert_nonnull (strstr (error->message, "gossip"));
  g_clear_error (&error);
  g_clear_pointer (&insight->kind, g_free);

  insight->date = g_strdup ("2024-13-01");
  g_assert_false (ih_record_validate (insight, &error));
  g_clear_error (&error);
  g_clear_pointer (&insight->date, g_free);

  insight->activity_id = g_strdup ("not-a-uuid");
  g_assert_false (ih_record_validate (insight, &error));
  g_clear_error (&error);
  g_clear_pointer (&insight->activity_id, g_free);

  g_free (insight->parent.id);
  insight->parent.id = g_strdup ("x");
  g_assert_false (ih_record_validate (insight, &error));
}

static void
test_vocab (void)
{
  const char * const *kinds = ih_vocab_keys ("activity-kind");

  g_assert_true (g_strv_contains (kinds, "focus-group"));
  g_assert_cmpstr (ih_vocab_normalize ("activity-kind", "Focus Group"), ==, "focus-group");
  g_assert_cmpstr (ih_vocab_normalize ("activity-kind", "focus_group"), ==, "focus-group");
  g_assert_cmpstr (ih_vocab_normalize ("activity-kind", "  drop in "), ==, "drop-in");
  g_assert_null (ih_vocab_normalize ("activity-kind", "rave"));
  g_assert_null (ih_vocab_normalize ("activity-kind", "\xff"));
  g_assert_cmpstr (ih_vocab_normalize ("ethnic-group", "White"), ==, "white");
  g_assert_cmpstr (ih_vocab_normalize ("sex", "Not stated"), ==, "prefer-not-to-say");
  g_assert_cmpstr (ih_vocab_label ("sentiment", "mixed"), ==, "Mixed");
  g_assert_null (ih_vocab_label ("sentiment", "angry"));
  /* Every key is in, nothing else: labels and near-keys are not keys */
  for (const char * const *k = kinds; *k; k++)
    g_assert_true (ih_vocab_has_key ("activity-kind", *k));
  g_assert_false (ih_vocab_has_key ("activity-kind", "Focus group"));
  g_assert_false (ih_vocab_has_key ("activity-kind", "focus-grou"));
  g_assert_false (ih_vocab_has_key ("activity-kind", ""));
  g_assert_false (ih_vocab_has_key ("activity-kind", NULL));
  g_assert_false (ih_vocab_has_key ("no-such-vocabulary", "focus-group"));
  g_assert_true (ih_vocab_has_key ("sentiment", "mixed"));
}

static void
test_dates (void)
{
  g_autofree char *a = ih_date_normalize ("01/02/2024");
  g_autofree char *b = ih_date_normalize ("2024-02-01");

  g_assert_cmpstr (a, ==, "2024-02-01");
  g_assert_cmpstr (b, ==, "2024-02-01");
  g_assert_true (ih_date_is_valid ("2024-02-29"));
  g_assert_false (ih_date_is_valid ("2023-02-29"));
  g_assert_false (ih_date_is_valid ("2024-2-1"));
  g_assert_false (ih_date_is_valid ("1066-10-14"));
  g_assert_null (ih_date_normalize ("32/01/2024"));
  g_assert_null (ih_date_normalize ("01/02/2024 and more"));
  g_assert_null (ih_date_normalize (""));
}

static void
test_postcode_district (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "GL1 2AB", "GL1" }, { "gl12ab", "GL1" }, { " sw1a 1aa ", "SW1A" }, { "M1 1AE", "M1" },
    { "GL5", "GL5" }, { "EC1V", "EC1V" },
    { "Gloucester", NULL }, { "GL1 2AB 3", NULL }, { "12345", NULL }, { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *district = ih_postcode_district (cases[i].in);
      g_assert_cmpstr (district, ==, cases[i].out);
    }
}

static void
test_uuid_from_name (void)
{
  g_autofree char *a = ih_uuid_from_name ("insight", "row one");
  g_autofree char *b = ih_uuid_from_name ("insight", "row one");
  g_autofree char *c = ih_uuid_from_name ("insight", "row two");
  g_autofree char *d = ih_uuid_from_name ("activity", "row one");

  g_assert_true (g_uuid_string_is_valid (a));
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
  g_assert_cmpstr (a, !=, d);
  /* Version 5, RFC 4122 variant */
  g_assert_cmpint (a[14], ==, '5');
  g_assert_true (strchr ("89ab", a[19]) != NULL);
}

static void
test_roles (void)
{
  IhRole role = IH_ROLE_ADMIN;

  g_assert_true (ih_role_from_string ("viewer", &role));
  g_assert_cmpint (role, ==, IH_ROLE_VIEWER);
  g_assert_true (ih_role_from_string ("Manager", &role));
  g_assert_cmpint (role, ==, IH_ROLE_MANAGER);
  g_assert_cmpstr (ih_role_to_string (IH_ROLE_OFFICER), ==, "officer");
  g_assert_cmpstr (ih_role_to_string (IH_ROLE_ADMIN), ==, "admin");
  g_assert_false (ih_role_from_string ("root", &role));
  g_assert_false (ih_role_from_string (NULL, &role));
  g_assert_cmpint (role, ==, IH_ROLE_MANAGER);
  /* each role includes the one before */
  g_assert_cmpint (IH_ROLE_VIEWER, <, IH_ROLE_OFFICER);
  g_assert_cmpint (IH_ROLE_MANAGER, <, IH_ROLE_ADMIN);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/record/new-copy-free", test_new_copy_free);
  g_test_add_func ("/record/text", test_text_conversion);
  g_test_add_func ("/record/validate", test_validate);
  g_test_add_func ("/record/vocab", test_vocab);
  g_test_add_func ("/record/dates", test_dates);
  g_test_add_func ("/record/uuid-from-name", test_uuid_from_name);
  g_test_add_func ("/record/postcode-district", test_postcode_district);
  g_test_add_func ("/record/roles", test_roles);

  return g_test_run ();
}
