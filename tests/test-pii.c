/* test-pii.c
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <string.h>

#include "ih-pii.h"

typedef struct
{
  IhPiiKind   kind;
  const char *match;   /* expected bytes of the span */
} Expected;

/* Scans @text and checks the spans found, in order. */
static void
assert_spans (const char     *text,
              const Expected *expected,
              guint           n_expected)
{
  g_autoptr(GArray) spans = ih_pii_scan (text, -1);
  gsize last_end = 0;

  g_assert_nonnull (spans);
  if (spans->len != n_expected)
    g_test_message ("in \"%s\": expected %u spans, found %u", text, n_expected, spans->len);
  g_assert_cmpuint (spans->len, ==, n_expected);

  for (guint i = 0; i < spans->len; i++)
    {
      const IhPiiSpan *span = &g_array_index (spans, IhPiiSpan, i);
      g_autofree char *found = NULL;

      g_assert_cmpuint (span->start, >=, last_end);
      g_assert_cmpuint (span->start, <, span->end);
      g_assert_cmpuint (span->end, <=, strlen (text));
      found = g_strndup (text + span->start, span->end - span->start);
      g_assert_cmpstr (found, ==, expected[i].match);
      g_assert_cmpint (span->kind, ==, expected[i].kind);
      last_end = span->end;
    }
}

/* @text must be exactly one item of @kind from end to end. */
static void
assert_whole (const char *text,
              IhPiiKind   kind)
{
  Expected e = { kind, text };

  assert_spans (text, &e, 1);
}

static void
assert_none (const char *text)
{
  assert_spans (text, NULL, 0);
}

static void
assert_span_at (const char *text,
                IhPiiKind   kind,
                gsize       start,
                gsize       end)
{
  g_autoptr(GArray) spans = ih_pii_scan (text, -1);
  const IhPiiSpan *span;

  g_assert_cmpuint (spans->len, ==, 1);
  span = &g_array_index (spans, IhPiiSpan, 0);
  g_assert_cmpint (span->kind, ==, kind);
  g_assert_cmpuint (span->start, ==, start);
  g_assert_cmpuint (span->end, ==, end);
}

static void
test_nhs_valid (void)
{
  /* 9·10 + 4·9 + 3·8 + 4·7 + 7·6 + 6·5 + 5·4 + 9·3 + 1·2
   * = 90 + 36 + 24 + 28 + 42 + 30 + 20 + 27 + 2 = 299;
   * 299 mod 11 = 2 (297 = 27·11); 11 − 2 = 9. */
  g_assert_true (ih_pii_is_valid_nhs_number ("9434765919"));
  g_assert_true (ih_pii_is_valid_nhs_number ("943 476 5919"));
  g_assert_true (ih_pii_is_valid_nhs_number ("943-476-5919"));

  /* 4·10 + 0·9 + 1·8 + 0·7 + 2·6 + 3·5 + 2·4 + 1·3 + 3·2
   * = 40 + 8 + 12 + 15 + 8 + 3 + 6 = 92; 92 mod 11 = 4; 11 − 4 = 7. */
  g_assert_true (ih_pii_is_valid_nhs_number ("4010232137"));

  /* 90 + 72 + 56 + 42 + 30 + 20 + 12 + 6 + 2 = 330 = 30·11;
   * remainder 0, 11 − 0 = 11, which means check digit 0. */
  g_assert_true (ih_pii_is_valid_nhs_number ("9876543210"));

  /* 40 + 8 + 12 + 15 + 8 + 1·3 + 1·2 = 88 = 8·11: check digit 0 again. */
  g_assert_true (ih_pii_is_valid_nhs_number ("401 023 2110"));

  assert_whole ("9434765919", IH_PII_NHS_NUMBER);
  assert_whole ("943 476 5919", IH_PII_NHS_NUMBER);
  assert_whole ("943-476-5919", IH_PII_NHS_NUMBER);
  assert_whole ("401 023 2137", IH_PII_NHS_NUMBER);
  assert_whole ("9876543210", IH_PII_NHS_NUMBER);

  /* "Her NHS number is " is 18 bytes; the final full stop is not included */
  assert_span_at ("Her NHS number is 943 476 5919.", IH_PII_NHS_NUMBER, 18, 30);
  assert_span_at ("NHS:9434765919", IH_PII_NHS_NUMBER, 4, 14);
}

static void
test_nhs_invalid (void)
{
  /* wrong check digit: 9 expected, as above */
  g_assert_false (ih_pii_is_valid_nhs_number ("9434765918"));
  /* 1·10 + 2·9 + 3·8 + 4·7 + 5·6 + 6·5 + 7·4 + 8·3 + 9·2 = 210;
   * 210 mod 11 = 1; 11 − 1 = 10, which is never issued */
  g_assert_false (ih_pii_is_valid_nhs_number ("1234567890"));
  g_assert_false (ih_pii_is_valid_nhs_number ("943476591"));
  g_assert_false (ih_pii_is_valid_nhs_number ("94347659190"));
  g_assert_false (ih_pii_is_valid_nhs_number ("943 476 591x"));
  g_assert_false (ih_pii_is_valid_nhs_number ("943.476.5919"));
  g_assert_false (ih_pii_is_valid_nhs_number (""));
  g_assert_false (ih_pii_is_valid_nhs_number ("   "));

  assert_none ("9434765918");
  assert_none ("1234567890");
  assert_none ("943476591");
  assert_none ("94347659190");
  assert_none ("19434765919");
  assert_none ("ref 9434765919123");
  assert_none ("943 476 59190");
  assert_none ("943 476 591");
  assert_none ("9434 76 5919");
  assert_none ("X9434765919");
  assert_none ("9434765919kg");
  assert_none ("12-9434765919");
  assert_none ("9434765919.5");
  assert_none ("+9434765919");
}

static void
test_nhs_or_phone (void)
{
  /* 0·10 + 1·9 + 2·8 + 3·7 + 4·6 + 5·5 + 6·4 + 7·3 + 8·2 = 156;
   * 156 mod 11 = 2; 11 − 2 = 9: a valid checksum, but a leading 0 is a
   * UK phone number and NHS numbers are not issued from 0 */
  g_assert_true (ih_pii_is_valid_nhs_number ("0123456789"));
  assert_whole ("0123456789", IH_PII_PHONE);
  assert_whole ("012 345 6789", IH_PII_PHONE);

  /* no leading 0, so never a phone */
  assert_whole ("9434765919", IH_PII_NHS_NUMBER);
}

static void
test_phone_national (void)
{
  assert_whole ("07700 900123", IH_PII_PHONE);
  assert_whole ("07700900123", IH_PII_PHONE);
  assert_whole ("07700-900-123", IH_PII_PHONE);
  assert_whole ("020 7946 0958", IH_PII_PHONE);
  assert_whole ("0121 496 0000", IH_PII_PHONE);
  assert_whole ("01452 123456", IH_PII_PHONE);
  assert_whole ("01452-123456", IH_PII_PHONE);
  assert_whole ("(01452) 123456", IH_PII_PHONE);
  assert_whole ("(01452)123456", IH_PII_PHONE);
  assert_whole ("(020) 7946 0958", IH_PII_PHONE);
  assert_whole ("0300 123 4567", IH_PII_PHONE);
  assert_whole ("0800 123 4567", IH_PII_PHONE);
  /* ten-digit numbers exist in some 01 areas and on 0800 */
  assert_whole ("016977 3456", IH_PII_PHONE);
  assert_whole ("0800 123456", IH_PII_PHONE);

  /* "Call me on " is 11 bytes; the full stop stays out */
  assert_span_at ("Call me on 07700 900123.", IH_PII_PHONE, 11, 23);
  /* a bracketed whole number: the span is the digits only */
  assert_span_at ("(07700 900123)", IH_PII_PHONE, 1, 13);
  /* a count after a space is a separate word, not a twelfth digit */
  assert_span_at ("ring 07700 900123 3 times", IH_PII_PHONE, 5, 17);
}

static void
test_phone_international (void)
{
  assert_whole ("+44 7700 900123", IH_PII_PHONE);
  assert_whole ("+447700900123", IH_PII_PHONE);
  assert_whole ("+44-7700-900123", IH_PII_PHONE);
  assert_whole ("+44 (0)7700 900123", IH_PII_PHONE);
  assert_whole ("+44(0)7700900123", IH_PII_PHONE);
  assert_whole ("+44 (0) 20 7946 0958", IH_PII_PHONE);
  assert_whole ("+44 20 7946 0958", IH_PII_PHONE);
  assert_whole ("+44 1452 123456", IH_PII_PHONE);
  assert_whole ("+44 07700 900123", IH_PII_PHONE);
  assert_whole ("0044 7700 900123", IH_PII_PHONE);
  assert_whole ("00447700900123", IH_PII_PHONE);

  /* "Mobile: " is 8 bytes */
  assert_span_at ("Mobile: +44 (0)7700 900123, evenings", IH_PII_PHONE, 8, 26);
}

static void
test_phone_invalid (void)
{
  assert_none ("2021-03-04");
  assert_none ("on 04/03/2021 at 10:30");
  assert_none ("£1,234,567");
  assert_none ("£1,234,567.89");
  assert_none ("ref 12345678");
  assert_none ("01234567");
  assert_none ("077009001234");
  assert_none ("077009001");
  assert_none ("07700900123abc");
  assert_none ("ab07700900123");
  assert_none ("3.07700900123");
  assert_none ("0 1 2 3 4 5 6 7 8 9");
  assert_none ("01 23 45 67 89");
  assert_none ("+33 1 23 45 67 89");
  /* "202 555 0143" is 3-3-4 but fails the check (137 mod 11 = 5, so 6) */
  assert_none ("+1 202 555 0143");
  assert_none ("+44 7700 9001");
  assert_none ("(00) 1234 567890");
  assert_none ("(0)7700 900123 0");
  assert_none ("");
}

static void
test_email (void)
{
  assert_whole ("jane.doe@example.org", IH_PII_EMAIL);
  assert_whole ("a_b%c+d-e@mail.example.co.uk", IH_PII_EMAIL);
  assert_whole ("J.Smith@NHS.NET", IH_PII_EMAIL);
  assert_whole ("9434765919@nhs.net", IH_PII_EMAIL);

  /* "Write to " is 9 bytes; the full stop is the sentence's */
  assert_span_at ("Write to jane.doe@example.org.", IH_PII_EMAIL, 9, 29);
  assert_span_at ("(jane@example.org)", IH_PII_EMAIL, 1, 17);
  assert_span_at ("jane@example.org, or", IH_PII_EMAIL, 0, 16);
  assert_span_at ("jane@example.org-", IH_PII_EMAIL, 0, 16);
  assert_span_at ("mailto:jane@example.org", IH_PII_EMAIL, 7, 23);
  assert_span_at ("...jane@example.org!", IH_PII_EMAIL, 3, 19);
  assert_span_at ("jane@example.org.uk.", IH_PII_EMAIL, 0, 19);

  assert_none ("jane@localhost");
  assert_none ("jane@example.c");
  assert_none ("jane@example.123");
  assert_none ("@example.org");
  assert_none ("jane@.org");
  assert_none ("jane@-example.org");
  assert_none ("jane @ example.org");
  assert_none ("jane@example.org_x");
  assert_none ("a.b.c.d.e.f.g.h.i.j");
}

static void
test_postcode (void)
{
  assert_whole ("GL1 2AB", IH_PII_POSTCODE);   /* AA9 */
  assert_whole ("gl12ab", IH_PII_POSTCODE);
  assert_whole ("M1 1AE", IH_PII_POSTCODE);    /* A9 */
  assert_whole ("B33 8TH", IH_PII_POSTCODE);   /* A99 */
  assert_whole ("DN55 1PT", IH_PII_POSTCODE);  /* AA99 */
  assert_whole ("W1A 0AX", IH_PII_POSTCODE);   /* A9A */
  assert_whole ("SW1A 1AA", IH_PII_POSTCODE);  /* AA9A */
  assert_whole ("sw1a1aa", IH_PII_POSTCODE);
  assert_whole ("Gl1 2aB", IH_PII_POSTCODE);
  assert_whole ("GIR 0AA", IH_PII_POSTCODE);
  assert_whole ("gir0aa", IH_PII_POSTCODE);

  /* "She lives at " is 13 bytes */
  assert_span_at ("She lives at GL1 2AB, near the park.", IH_PII_POSTCODE, 13, 20);
  assert_span_at ("(M1 1AE)", IH_PII_POSTCODE, 1, 7);

  /* districts and sectors do not identify anyone */
  assert_none ("GL1");
  assert_none ("We met people from GL1 and GL4.");
  assert_none ("GL1 2");
  assert_none ("GL1 2A");
  assert_none ("SW1A");
  assert_none ("GL1 2ABC");
  assert_none ("XGL1 2AB");
  assert_none ("ABC1 2DE");
  assert_none ("GL1  2AB");
  assert_none ("GL1 2AB7");
  assert_none ("GIR 0AB");
}

static void
test_mixed (void)
{
  /* Offsets, counted in bytes (all ASCII here):
   * "Mrs Patel (NHS " = 15, so the NHS number is 15..27;
   * ") said call " brings us to 39, phone 39..51;
   * " or " to 55, bracketed phone 55..69;
   * ", email " to 77, address 77..98;
   * ". She lives at " to 113, postcode 113..120. */
  const char *text = "Mrs Patel (NHS 943 476 5919) said call 07700 900123 or "
                     "(01452) 123456, email p.patel@example.co.uk. She lives at "
                     "GL1 2AB, not far from GL4.";
  static const struct
  {
    IhPiiKind kind;
    gsize     start;
    gsize     end;
  } expected[] = {
    { IH_PII_NHS_NUMBER, 15, 27 },
    { IH_PII_PHONE, 39, 51 },
    { IH_PII_PHONE, 55, 69 },
    { IH_PII_EMAIL, 77, 98 },
    { IH_PII_POSTCODE, 113, 120 },
  };
  g_autoptr(GArray) spans = ih_pii_scan (text, -1);

  g_assert_cmpuint (strlen (text), ==, 139);
  g_assert_cmpuint (spans->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < spans->len; i++)
    {
      const IhPiiSpan *span = &g_array_index (spans, IhPiiSpan, i);

      g_assert_cmpint (span->kind, ==, expected[i].kind);
      g_assert_cmpuint (span->start, ==, expected[i].start);
      g_assert_cmpuint (span->end, ==, expected[i].end);
    }
}

static void
test_overlap (void)
{
  /* the longer match starting at the same place wins */
  assert_whole ("9434765919@nhs.net", IH_PII_EMAIL);
  assert_whole ("gl12ab@example.org", IH_PII_EMAIL);
  assert_whole ("07700900123@sms.example.com", IH_PII_EMAIL);

  /* adjacent items stay separate and in order */
  {
    static const Expected e[] = {
      { IH_PII_NHS_NUMBER, "9434765919" },
      { IH_PII_PHONE, "07700900123" },
      { IH_PII_POSTCODE, "GL1 2AB" },
    };

    assert_spans ("9434765919 07700900123 GL1 2AB", e, G_N_ELEMENTS (e));
  }
  {
    static const Expected e[] = {
      { IH_PII_PHONE, "07700 900123" },
      { IH_PII_EMAIL, "jane@example.org" },
    };

    assert_spans ("07700 900123/jane@example.org", e, G_N_ELEMENTS (e));
  }
}

static void
test_utf8 (void)
{
  /* "Café" is 5 bytes (é is 2), " ☕" 4 more (☕ is 3), " 🙂" 5 more
   * (🙂 is 4), " réunion: " 10 more: the phone starts at byte 24 + 1. */
  assert_span_at ("Café ☕ 🙂 réunion: 07700 900123 – voilà", IH_PII_PHONE, 25, 37);

  /* curly quotes are 3 bytes each and are not letters */
  {
    static const Expected e[] = {
      { IH_PII_NHS_NUMBER, "9434765919" },
      { IH_PII_POSTCODE, "sw1a 1aa" },
      { IH_PII_EMAIL, "jane@example.org" },
    };
    const char *text = "“9434765919” née Åsa at sw1a 1aa 😀 jane@example.org";
    g_autoptr(GArray) spans = ih_pii_scan (text, -1);

    assert_spans (text, e, G_N_ELEMENTS (e));
    /* “ is 3 bytes, then 10 digits; "” née Åsa at " is
     * 3 + 1 + 4 + 1 + 4 + 1 + 2 + 1 = 17, so the postcode starts at 30;
     * "sw1a 1aa 😀 " is 8 + 1 + 4 + 1 = 14 more, the address at 44 */
    g_assert_cmpuint (g_array_index (spans, IhPiiSpan, 0).start, ==, 3);
    g_assert_cmpuint (g_array_index (spans, IhPiiSpan, 1).start, ==, 30);
    g_assert_cmpuint (g_array_index (spans, IhPiiSpan, 2).start, ==, 44);
  }

  /* non-ASCII letters are word characters on either side */
  assert_none ("naïve9434765919");
  assert_none ("9434765919é");
  assert_none ("éGL1 2AB");
  assert_none ("GL1 2ABß");
  assert_none ("Zoë07700900123");
  assert_none ("jane@example.orgé");
  /* a combining accent (e + U+0301) joins the word too */
  assert_none ("e\xcc\x81GL1 2AB");

  /* an emoji or dash is not a letter */
  assert_span_at ("🙂GL1 2AB🙂", IH_PII_POSTCODE, 4, 11);
  assert_span_at ("—07700900123—", IH_PII_PHONE, 3, 14);
}

static void
test_length (void)
{
  g_autoptr(GArray) all = ih_pii_scan ("GL1 2AB", -1);
  g_autoptr(GArray) explicit_len = ih_pii_scan ("GL1 2AB", 7);
  g_autoptr(GArray) cut = ih_pii_scan ("GL1 2AB", 6);
  g_autoptr(GArray) zero = ih_pii_scan ("GL1 2AB", 0);
  /* text after @len is not looked at, even for the word boundary */
  g_autoptr(GArray) prefix = ih_pii_scan ("GL1 2ABX", 7);

  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpuint (explicit_len->len, ==, 1);
  g_assert_cmpuint (cut->len, ==, 0);
  g_assert_cmpuint (zero->len, ==, 0);
  g_assert_cmpuint (prefix->len, ==, 1);
  g_assert_cmpuint (g_array_index (prefix, IhPiiSpan, 0).end, ==, 7);
}

static void
test_empty (void)
{
  g_autoptr(GArray) spans = ih_pii_scan ("", -1);
  g_autofree char *redacted = ih_pii_redact ("", spans);

  g_assert_nonnull (spans);
  g_assert_cmpuint (spans->len, ==, 0);
  g_assert_cmpstr (redacted, ==, "");
}

static void
test_redact (void)
{
  const char *text = "NHS 943 476 5919, call 07700 900123 or +44 20 7946 0958, "
                     "email jane@example.org; GL1 2AB.";
  g_autoptr(GArray) spans = ih_pii_scan (text, -1);
  g_autofree char *redacted = ih_pii_redact (text, spans);

  g_assert_cmpuint (spans->len, ==, 5);
  g_assert_cmpstr (redacted, ==,
                   "NHS [NHS number removed], call [phone number removed] or "
                   "[phone number removed], email [email address removed]; "
                   "[postcode removed].");
}

static void
test_redact_utf8 (void)
{
  const char *text = "Zoë 🙂 dit: 07700 900123 — merci";
  g_autoptr(GArray) spans = ih_pii_scan (text, -1);
  g_autofree char *redacted = ih_pii_redact (text, spans);

  g_assert_cmpstr (redacted, ==, "Zoë 🙂 dit: [phone number removed] — merci");
  g_assert_true (g_utf8_validate (redacted, -1, NULL));
}

static void
test_redact_nothing (void)
{
  const char *text = "Nothing personal in GL1, ref 12345678.";
  g_autoptr(GArray) spans = ih_pii_scan (text, -1);
  g_autofree char *redacted = ih_pii_redact (text, spans);
  g_autofree char *redacted_null = ih_pii_redact (text, NULL);

  g_assert_cmpuint (spans->len, ==, 0);
  g_assert_cmpstr (redacted, ==, text);
  g_assert_cmpstr (redacted_null, ==, text);
}

static void
test_redact_whole (void)
{
  g_autoptr(GArray) spans = ih_pii_scan ("jane@example.org", -1);
  g_autofree char *redacted = ih_pii_redact ("jane@example.org", spans);

  g_assert_cmpstr (redacted, ==, "[email address removed]");
}

static void
test_redact_bad_spans (void)
{
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (IhPiiSpan));
  IhPiiSpan a = { IH_PII_PHONE, 2, 6 };
  IhPiiSpan b = { IH_PII_EMAIL, 4, 8 };
  char *redacted;

  g_array_append_val (spans, a);
  g_array_append_val (spans, b);

  /* overlapping spans are a programming error, reported, not guessed at */
  g_test_expect_message ("ih-pii", G_LOG_LEVEL_CRITICAL, "*start >= pos*");
  redacted = ih_pii_redact ("0123456789", spans);
  g_test_assert_expected_messages ();
  g_assert_null (redacted);

  /* a span past the end of the text */
  g_array_set_size (spans, 0);
  b.start = 8;
  b.end = 20;
  g_array_append_val (spans, b);
  g_test_expect_message ("ih-pii", G_LOG_LEVEL_CRITICAL, "*span->end <= len*");
  redacted = ih_pii_redact ("0123456789", spans);
  g_test_assert_expected_messages ();
  g_assert_null (redacted);
}

static void
test_labels (void)
{
  g_assert_cmpstr (ih_pii_kind_label (IH_PII_NHS_NUMBER), ==, "NHS number");
  g_assert_cmpstr (ih_pii_kind_label (IH_PII_PHONE), ==, "phone number");
  g_assert_cmpstr (ih_pii_kind_label (IH_PII_EMAIL), ==, "email address");
  g_assert_cmpstr (ih_pii_kind_label (IH_PII_POSTCODE), ==, "postcode");
}

static void
test_large (void)
{
  /* Everything here is near-PII: dates, money, short references, a
   * district, an invalid NHS number, a 12-digit run, foreign phones. */
  const char *sentence = "Workshop 12 on 2021-03-04 cost £1,234,567; ref 12345678, "
                         "ward GL1, café ☕ 🙂, id 9434765918, code 077009001234, "
                         "+33 1 23 45 67 89, see a.b@c or x@y.z. ";
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GTimer) timer = NULL;

  while (text->len < 100 * 1024)
    g_string_append (text, sentence);

  timer = g_timer_new ();
  spans = ih_pii_scan (text->str, (gssize) text->len);
  g_test_message ("scanned %" G_GSIZE_FORMAT " bytes in %.0f us",
                  text->len, g_timer_elapsed (timer, NULL) * 1e6);

  g_assert_cmpuint (spans->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/pii/nhs/valid", test_nhs_valid);
  g_test_add_func ("/pii/nhs/invalid", test_nhs_invalid);
  g_test_add_func ("/pii/nhs/or-phone", test_nhs_or_phone);
  g_test_add_func ("/pii/phone/national", test_phone_national);
  g_test_add_func ("/pii/phone/international", test_phone_international);
  g_test_add_func ("/pii/phone/invalid", test_phone_invalid);
  g_test_add_func ("/pii/email", test_email);
  g_test_add_func ("/pii/postcode", test_postcode);
  g_test_add_func ("/pii/scan/mixed", test_mixed);
  g_test_add_func ("/pii/scan/overlap", test_overlap);
  g_test_add_func ("/pii/scan/utf8", test_utf8);
  g_test_add_func ("/pii/scan/length", test_length);
  g_test_add_func ("/pii/scan/empty", test_empty);
  g_test_add_func ("/pii/scan/large", test_large);
  g_test_add_func ("/pii/redact/items", test_redact);
  g_test_add_func ("/pii/redact/utf8", test_redact_utf8);
  g_test_add_func ("/pii/redact/nothing", test_redact_nothing);
  g_test_add_func ("/pii/redact/whole", test_redact_whole);
  g_test_add_func ("/pii/redact/bad-spans", test_redact_bad_spans);
  g_test_add_func ("/pii/labels", test_labels);

  return g_test_run ();
}
