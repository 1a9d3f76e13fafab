/* ih-pii.h — find personal data in free text so it can be flagged or redacted
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  IH_PII_NHS_NUMBER,   /* 10 digits (may be spaced 3-3-4) passing the modulus-11 check */
  IH_PII_PHONE,        /* UK telephone number, national or +44 form */
  IH_PII_EMAIL,        /* e-mail address */
  IH_PII_POSTCODE,     /* full UK postcode (outward + inward code); a district alone is not PII */
} IhPiiKind;

typedef struct
{
  IhPiiKind kind;
  gsize     start;     /* byte offset of the first byte, in the UTF-8 text */
  gsize     end;       /* byte offset one past the last byte */
} IhPiiSpan;

/* Returns a GArray of IhPiiSpan, sorted by start, never overlapping.
 * @text must be valid UTF-8; @len may be -1 for NUL-terminated text. */
GArray     *ih_pii_scan               (const char  *text,
                                       gssize       len);
/* A copy of @text with every span replaced by a bracketed label such as
 * "[NHS number removed]". @spans as returned by ih_pii_scan(). */
char       *ih_pii_redact             (const char  *text,
                                       GArray      *spans);
/* Short translatable label for the kind, e.g. "NHS number". */
const char *ih_pii_kind_label         (IhPiiKind    kind);
/* TRUE if the 10 digits (spaces allowed) pass the NHS modulus-11 check. */
gboolean    ih_pii_is_valid_nhs_number (const char *digits);

G_END_DECLS
