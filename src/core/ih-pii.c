/* ih-pii.c
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-pii"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ih-pii.h"

/* The scanner runs on every keystroke, so it is hand-written rather than
 * a set of regular expressions: one pass over the bytes, trying only the
 * rules whose first character fits, and each rule reads a bounded number
 * of bytes, so the cost stays linear in the text length.
 *
 * Every rule matches ASCII only, so the byte offsets are correct in any
 * UTF-8 text.  Non-ASCII is decoded just to find word boundaries, where a
 * letter such as "é" counts as part of a word like any ASCII letter. */

/* RFC 5321 limits; they also cap the work done at each possible start. */
#define EMAIL_LOCAL_MAX  64
#define EMAIL_DOMAIN_MAX 255

static gboolean
is_word_char (gunichar c)
{
  return c == '_' || g_unichar_isalnum (c) || g_unichar_ismark (c);
}

/* The character ending just before @pos, or 0 at the start of the text.
 * A broken sequence also gives 0, i.e. a boundary, so bad input can only
 * change what is found, never read outside the text. */
static gunichar
char_before (const char *text,
             gsize       pos)
{
  gsize start;
  gunichar c;

  g_assert (text != NULL);

  if (pos == 0)
    return 0;
  if ((guchar) text[pos - 1] < 0x80)
    return (guchar) text[pos - 1];

  start = pos - 1;
  while (start > 0 && pos - start < 4 && ((guchar) text[start] & 0xc0) == 0x80)
    start--;

  c = g_utf8_get_char_validated (text + start, pos - start);
  if (c == (gunichar) -1 || c == (gunichar) -2)
    return 0;
  if (g_utf8_next_char (text + start) != text + pos)
    return 0;

  return c;
}

/* The character starting at @pos, or 0 at the end or on a broken sequence. */
static gunichar
char_at (const char *text,
         gsize       pos,
         gsize       end)
{
  gunichar c;

  g_assert (text != NULL);

  if (pos >= end)
    return 0;
  if ((guchar) text[pos] < 0x80)
    return (guchar) text[pos];

  c = g_utf8_get_char_validated (text + pos, end - pos);
  if (c == (gunichar) -1 || c == (gunichar) -2)
    return 0;

  return c;
}

static gboolean
is_word_end (const char *text,
             gsize       pos,
             gsize       end)
{
  return !is_word_char (char_at (text, pos, end));
}

/* Characters that glue digit runs into one longer number: dates
 * ("2021-03-04"), money ("1,234,567"), decimals and fractions.  A space
 * does not, so "call 07700 900123 3 times" still finds the phone. */
static gboolean
is_number_joiner (char c)
{
  return c == '-' || c == '.' || c == ',' || c == '/';
}

/* A number must not continue a word or a longer number.  A '+' right
 * before the digits marks a foreign international number, not UK data. */
static gboolean
number_can_start (const char *text,
                  gsize       pos)
{
  char prev;

  g_assert (text != NULL);

  if (pos == 0)
    return TRUE;

  prev = text[pos - 1];
  if (prev == '+')
    return FALSE;
  if (is_number_joiner (prev) && pos >= 2 && g_ascii_isdigit (text[pos - 2]))
    return FALSE;

  return !is_word_char (char_before (text, pos));
}

static gboolean
number_can_end (const char *text,
                gsize       pos,
                gsize       end)
{
  g_assert (text != NULL);

  if (pos >= end)
    return TRUE;
  if (is_number_joiner (text[pos]) && pos + 1 < end && g_ascii_isdigit (text[pos + 1]))
    return FALSE;

  return is_word_end (text, pos, end);
}

/* NHS numbers: the first nine digits weighted 10 down to 2; the check
 * digit is 11 minus the sum modulo 11, where 11 means 0 and 10 is never
 * issued.  This catches every single-digit typo, and it keeps random
 * 10-digit references from being flagged nine times out of ten. */
static gboolean
nhs_checksum_ok (const guint8 digits[10])
{
  guint sum = 0;
  guint check;

  g_assert (digits != NULL);

  for (guint i = 0; i < 9; i++)
    sum += digits[i] * (10 - i);

  check = 11 - sum % 11;
  if (check == 11)
    check = 0;

  return check != 10 && check == digits[9];
}

static gboolean
is_phone_separator (char c)
{
  return c == ' ' || c == '-';
}

/* Ten contiguous digits, or the 3-3-4 grouping printed on NHS letters
 * and cards ("943 476 5919", "943-476-5919").  Returns the end offset of
 * the match, or 0. */
static gsize
match_nhs_number (const char *text,
                  gsize       pos,
                  gsize       end)
{
  guint8 digits[10];
  guint n = 0;
  gsize p = pos;

  g_assert (text != NULL);

  while (p < end && n < 10 && g_ascii_isdigit (text[p]))
    digits[n++] = text[p++] - '0';

  if (n == 3)
    {
      for (guint group = 0; group < 2; group++)
        {
          guint want = group == 0 ? 3 : 4;

          if (p >= end || !is_phone_separator (text[p]))
            return 0;
          p++;

          for (guint i = 0; i < want; i++)
            {
              if (p >= end || !g_ascii_isdigit (text[p]))
                return 0;
              digits[n++] = text[p++] - '0';
            }
        }
    }

  if (n != 10 || !number_can_end (text, p, end) || !nhs_checksum_ok (digits))
    return 0;

  return p;
}

/* Reads digit groups joined by single spaces or hyphens, starting at @p
 * with @digits already counted (an area code in brackets, say).  Returns
 * the furthest group end where the count is within [@min_digits,
 * @max_digits] and the number ends cleanly, or 0.  Groups after the first
 * need at least two digits, so a list such as "0 1 2 3" is not a phone. */
static gsize
scan_digit_groups (const char *text,
                   gsize       p,
                   gsize       end,
                   guint       digits,
                   guint       first_min,
                   guint       min_digits,
                   guint       max_digits)
{
  gsize best = 0;
  guint group_min = first_min;

  g_assert (text != NULL);
  g_assert (min_digits <= max_digits);

  for (;;)
    {
      gsize group_start = p;

      while (p < end && g_ascii_isdigit (text[p]) && digits <= max_digits)
        {
          p++;
          digits++;
        }

      if (digits > max_digits || p - group_start < group_min)
        break;
      if (digits >= min_digits && number_can_end (text, p, end))
        best = p;

      if (p + 1 < end && is_phone_separator (text[p]) && g_ascii_isdigit (text[p + 1]))
        p++;
      else
        break;

      group_min = 2;
    }

  return best;
}

/* UK numbers are 10 or 11 digits starting with 0 ("07700 900123",
 * "020 7946 0958", "(01452) 123456").  Written internationally the 0 is
 * dropped after +44 or 0044, leaving 9 or 10 digits, though people often
 * keep it as "(0)" or even bare ("+44 (0)7700 900123").  Any 0[1-9] prefix
 * is accepted: the exact allocation of ranges changes too often to track.
 * Returns the end offset of the match, or 0. */
static gsize
match_phone (const char *text,
             gsize       pos,
             gsize       end)
{
  gsize p = pos;

  g_assert (text != NULL);
  g_assert (pos < end);

  if (text[p] == '+' || (text[p] == '0' && p + 1 < end && text[p + 1] == '0'))
    {
      p += text[p] == '+' ? 1 : 2;
      if (end - p < 2 || text[p] != '4' || text[p + 1] != '4')
        return 0;
      p += 2;

      if (p + 1 < end && is_phone_separator (text[p]) &&
          (text[p + 1] == '(' || g_ascii_isdigit (text[p + 1])))
        p++;

      if (end - p >= 3 && text[p] == '(' && text[p + 1] == '0' && text[p + 2] == ')')
        {
          p += 3;
          if (p + 1 < end && text[p] == ' ' && g_ascii_isdigit (text[p + 1]))
            p++;
        }
      else if (p < end && text[p] == '0')
        {
          p++;
        }

      if (p >= end || text[p] < '1' || text[p] > '9')
        return 0;

      return scan_digit_groups (text, p, end, 0, 2, 9, 10);
    }

  if (text[p] == '(')
    {
      gsize area = ++p;
      gsize area_len;

      while (p < end && g_ascii_isdigit (text[p]) && p - area < 7)
        p++;
      area_len = p - area;

      /* UK area codes run from "020" to "015394" */
      if (area_len < 3 || area_len > 6 || text[area] != '0' || text[area + 1] == '0')
        return 0;
      if (p >= end || text[p] != ')')
        return 0;
      p++;

      if (p + 1 < end && is_phone_separator (text[p]) && g_ascii_isdigit (text[p + 1]))
        p++;

      return scan_digit_groups (text, p, end, area_len, 2, 10, 11);
    }

  if (text[p] == '0' && p + 1 < end && text[p + 1] >= '1' && text[p + 1] <= '9')
    return scan_digit_groups (text, p, end, 0, 3, 10, 11);

  return 0;
}

static gboolean
is_email_local_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* An address may start after a dot ("...jane@example.org") but not in
 * the middle of a word or of another local part. */
static gboolean
email_can_start (const char *text,
                 gsize       pos)
{
  char prev;

  g_assert (text != NULL);

  if (pos == 0)
    return TRUE;

  prev = text[pos - 1];
  if (prev != '.' && is_email_local_char (prev))
    return FALSE;

  return !is_word_char (char_before (text, pos));
}

static gboolean
is_ascii_alpha_run (const char *text,
                    gsize       start,
                    gsize       end)
{
  for (gsize i = start; i < end; i++)
    {
      if (!g_ascii_isalpha (text[i]))
        return FALSE;
    }

  return TRUE;
}

/* A pragmatic address: local part of letters, digits and . _ % + -, then
 * at least two domain labels and a final label (the TLD) of two or more
 * letters.  The domain stops before any dot, hyphen or bracket that merely
 * follows it in the sentence ("write to jane@example.org."). Returns the
 * end offset of the match, or 0. */
static gsize
match_email (const char *text,
             gsize       pos,
             gsize       end)
{
  gsize p = pos;
  gsize domain;
  gsize best = 0;
  guint labels = 0;

  g_assert (text != NULL);

  while (p < end && p - pos < EMAIL_LOCAL_MAX && is_email_local_char (text[p]))
    p++;
  if (p == pos || p + 1 >= end || text[p] != '@' || !g_ascii_isalnum (text[p + 1]))
    return 0;
  domain = ++p;

  for (;;)
    {
      gsize label = p;

      while (p < end && p - domain < EMAIL_DOMAIN_MAX &&
             (g_ascii_isalnum (text[p]) || text[p] == '-'))
        p++;
      while (p > label && text[p - 1] == '-')
        p--;
      if (p == label)
        break;

      labels++;
      if (labels >= 2 && p - label >= 2 && is_ascii_alpha_run (text, label, p) &&
          is_word_end (text, p, end))
        best = p;

      if (p + 1 < end && text[p] == '.' && g_ascii_isalnum (text[p + 1]))
        p++;
      else
        break;
    }

  return best;
}

/* The inward code "9AA", after an optional single space. Returns its end
 * offset, or 0. */
static gsize
match_inward_code (const char *text,
                   gsize       p,
                   gsize       end)
{
  g_assert (text != NULL);

  if (p < end && text[p] == ' ')
    p++;
  if (end - p < 3)
    return 0;
  if (!g_ascii_isdigit (text[p]) || !g_ascii_isalpha (text[p + 1]) ||
      !g_ascii_isalpha (text[p + 2]))
    return 0;
  if (!is_word_end (text, p + 3, end))
    return 0;

  return p + 3;
}

/* Only a full postcode narrows an address down to a few households; the
 * outward code alone ("GL1") covers thousands and is not personal data.
 * Outward codes take the forms A9, A99, AA9, AA99, A9A and AA9A, plus the
 * historic GIR 0AA.  Letters are not checked against Royal Mail's
 * per-position lists: a mistyped postcode is still worth flagging.
 * Returns the end offset of the match, or 0. */
static gsize
match_postcode (const char *text,
                gsize       pos,
                gsize       end)
{
  gsize p = pos;
  gsize letters;
  gsize best = 0;
  gsize found;

  g_assert (text != NULL);

  if (end - pos >= 3 && g_ascii_strncasecmp (text + pos, "GIR", 3) == 0)
    {
      p = pos + 3;
      if (p < end && text[p] == ' ')
        p++;
      if (end - p >= 3 && g_ascii_strncasecmp (text + p, "0AA", 3) == 0 &&
          is_word_end (text, p + 3, end))
        return p + 3;
      p = pos;
    }

  while (p < end && p - pos < 3 && g_ascii_isalpha (text[p]))
    p++;
  letters = p - pos;
  if (letters == 0 || letters > 2 || p >= end || !g_ascii_isdigit (text[p]))
    return 0;
  p++;

  /* A9, AA9 */
  found = match_inward_code (text, p, end);
  best = MAX (best, found);

  if (p < end && g_ascii_isdigit (text[p]))
    {
      /* A99, AA99 */
      found = match_inward_code (text, p + 1, end);
      best = MAX (best, found);
    }
  else if (p < end && g_ascii_isalpha (text[p]))
    {
      /* A9A, AA9A */
      found = match_inward_code (text, p + 1, end);
      best = MAX (best, found);
    }

  return best;
}

static void
consider (IhPiiSpan *best,
          IhPiiKind  kind,
          gsize      match_end)
{
  g_assert (best != NULL);

  /* Strictly longer only: on a tie the rule tried first wins. */
  if (match_end > best->end)
    {
      best->kind = kind;
      best->end = match_end;
    }
}

GArray *
ih_pii_scan (const char *text,
             gssize      len)
{
  GArray *spans;
  gsize end;
  gsize i = 0;

  g_return_val_if_fail (text != NULL, NULL);

  end = len < 0 ? strlen (text) : (gsize) len;
  spans = g_array_new (FALSE, FALSE, sizeof (IhPiiSpan));

  /* Leftmost match first, then the longest one starting there; scanning
   * resumes after it, so spans come out sorted and never overlap. */
  while (i < end)
    {
      char c = text[i];
      IhPiiSpan best = { IH_PII_NHS_NUMBER, i, i };

      if ((g_ascii_isdigit (c) || c == '+' || c == '(') && number_can_start (text, i))
        {
          /* Phone before NHS number, so a tie goes to the phone.  They can
           * only tie on ten digits starting with 0: every UK phone number
           * starts with 0, while NHS numbers are issued from ranges that
           * do not, so such a number is far more likely to be a phone. */
          consider (&best, IH_PII_PHONE, match_phone (text, i, end));
          if (g_ascii_isdigit (c))
            consider (&best, IH_PII_NHS_NUMBER, match_nhs_number (text, i, end));
        }

      if (g_ascii_isalpha (c) && !is_word_char (char_before (text, i)))
        consider (&best, IH_PII_POSTCODE, match_postcode (text, i, end));

      if ((g_ascii_isalnum (c) || c == '_') && email_can_start (text, i))
        consider (&best, IH_PII_EMAIL, match_email (text, i, end));

      if (best.end > i)
        {
          g_array_append_val (spans, best);
          i = best.end;
        }
      else
        {
          i++;
        }
    }

  return spans;
}

/* Whole bracketed phrases rather than a label pasted into a fixed
 * "[%s removed]", so translators can reorder and inflect freely. */
static const char *
redaction_text (IhPiiKind kind)
{
  switch (kind)
    {
    case IH_PII_NHS_NUMBER:
      return _("[NHS number removed]");
    case IH_PII_PHONE:
      return _("[phone number removed]");
    case IH_PII_EMAIL:
      return _("[email address removed]");
    case IH_PII_POSTCODE:
      return _("[postcode removed]");
    default:
      g_assert_not_reached ();
    }

  return NULL;
}

char *
ih_pii_redact (const char *text,
               GArray     *spans)
{
  g_autoptr(GString) out = NULL;
  gsize len;
  gsize pos = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (spans == NULL || spans->len == 0)
    return g_strdup (text);

  g_return_val_if_fail (g_array_get_element_size (spans) == sizeof (IhPiiSpan), NULL);

  len = strlen (text);
  out = g_string_sized_new (len + 32);

  for (guint i = 0; i < spans->len; i++)
    {
      const IhPiiSpan *span = &g_array_index (spans, IhPiiSpan, i);

      g_return_val_if_fail (span->start >= pos, NULL);
      g_return_val_if_fail (span->start <= span->end && span->end <= len, NULL);
      g_return_val_if_fail ((guint) span->kind <= IH_PII_POSTCODE, NULL);

      g_string_append_len (out, text + pos, span->start - pos);
      g_string_append (out, redaction_text (span->kind));
      pos = span->end;
    }

  g_string_append (out, text + pos);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

const char *
ih_pii_kind_label (IhPiiKind kind)
{
  switch (kind)
    {
    case IH_PII_NHS_NUMBER:
      return _("NHS number");
    case IH_PII_PHONE:
      return _("phone number");
    case IH_PII_EMAIL:
      return _("email address");
    case IH_PII_POSTCODE:
      return _("postcode");
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
ih_pii_is_valid_nhs_number (const char *digits)
{
  guint8 values[10];
  guint n = 0;

  g_return_val_if_fail (digits != NULL, FALSE);

  /* Separators are ignored wherever they fall: this checks a number the
   * caller already picked out, however it was typed. */
  for (const char *p = digits; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '-')
        continue;
      if (!g_ascii_isdigit (*p) || n == 10)
        return FALSE;
      values[n++] = *p - '0';
    }

  return n == 10 && nhs_checksum_ok (values);
}
