/* ih-server-auth.c — password hashes (argon2id) and bearer tokens
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-server"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "ih-server-private.h"

gboolean
_ih_password_cost_from_string (const char     *text,
                               IhPasswordCost *cost)
{
  static const struct { const char *name; IhPasswordCost cost; } costs[] = {
    { "interactive", IH_PASSWORD_COST_INTERACTIVE },
    { "moderate", IH_PASSWORD_COST_MODERATE },
    { "sensitive", IH_PASSWORD_COST_SENSITIVE },
    { "unsafe-fast-for-tests-only", IH_PASSWORD_COST_UNSAFE_TEST_ONLY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (costs); i++)
    if (g_strcmp0 (text, costs[i].name) == 0)
      {
        *cost = costs[i].cost;
        return TRUE;
      }
  return FALSE;
}

char *
_ih_password_hash (const char      *password,
                   IhPasswordCost   cost,
                   GError         **error)
{
  char out[crypto_pwhash_STRBYTES];
  unsigned long long ops;
  size_t mem;

  switch (cost)
    {
    case IH_PASSWORD_COST_MODERATE:
      ops = crypto_pwhash_OPSLIMIT_MODERATE;
      mem = crypto_pwhash_MEMLIMIT_MODERATE;
      break;
    case IH_PASSWORD_COST_SENSITIVE:
      ops = crypto_pwhash_OPSLIMIT_SENSITIVE;
      mem = crypto_pwhash_MEMLIMIT_SENSITIVE;
      break;
    case IH_PASSWORD_COST_UNSAFE_TEST_ONLY:
      ops = crypto_pwhash_OPSLIMIT_MIN;
      mem = crypto_pwhash_MEMLIMIT_MIN;
      break;
    case IH_PASSWORD_COST_INTERACTIVE:
    default:
      ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
      break;
    }

  if (crypto_pwhash_str_alg (out, password, strlen (password), ops, mem,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _("Not enough memory to hash the password"));
      return NULL;
    }
  return g_strdup (out);
}

gboolean
_ih_password_verify (const char *hash,
                     const char *password)
{
  if (hash == NULL || password == NULL)
    return FALSE;
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

char *
_ih_token_new (void)
{
  guchar raw[32];
  char out[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf (raw, sizeof raw);
  sodium_bin2base64 (out, sizeof out, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (raw, sizeof raw);
  return g_strdup (out);
}

char *
_ih_token_hash (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

gboolean
_ih_password_check (const char  *password,
                    GError     **error)
{
  if (password == NULL || !g_utf8_validate (password, -1, NULL))
    {
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID,
                   _("The password is not valid text"));
      return FALSE;
    }
  if (g_utf8_strlen (password, -1) < 10)
    {
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID,
                   _("The password is too short: use at least 10 characters"));
      return FALSE;
    }
  if (strlen (password) > 1024)
    {
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID,
                   _("The password is too long: use at most 1024 bytes"));
      return FALSE;
    }
  return TRUE;
}

char *
_ih_server_format_time (gint64 ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);
  g_autofree char *text = NULL;

  if (dt == NULL)
    return g_strdup ("");
  text = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", text, (int) (ms % 1000));
}
