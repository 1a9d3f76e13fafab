/* ih-server-db.c — the server's own tables: users, tokens, audit, epoch,
 * failed logins
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-server"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ih-server-private.h"
#include "ih-store-private.h"

/* Server-only tables, beside the core schema and outside its migrations:
 * the desktop never has them. */
static const char schema[] =
  "CREATE TABLE IF NOT EXISTS server_meta ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS server_users ("
  "  id INTEGER PRIMARY KEY,"
  "  email TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL DEFAULT '',"
  "  role TEXT NOT NULL CHECK (role IN ('viewer', 'officer', 'manager', 'admin')),"
  "  password_hash TEXT NOT NULL,"
  "  disabled INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS server_tokens ("
  "  hash TEXT PRIMARY KEY,"
  "  user_id INTEGER NOT NULL REFERENCES server_users (id) ON DELETE CASCADE,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  revoked INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX IF NOT EXISTS server_tokens_user ON server_tokens (user_id);"
  "CREATE TABLE IF NOT EXISTS server_audit ("
  "  id INTEGER PRIMARY KEY,"
  "  at INTEGER NOT NULL,"
  "  user_email TEXT,"
  "  action TEXT NOT NULL,"
  "  record_type TEXT,"
  "  record_id TEXT,"
  "  detail TEXT);"
  "CREATE TABLE IF NOT EXISTS server_login_failures ("
  "  key TEXT PRIMARY KEY,"
  "  failures INTEGER NOT NULL,"
  "  last_at INTEGER NOT NULL);";

void
_ih_server_user_free (IhServerUser *user)
{
  if (user == NULL)
    return;
  g_free (user->email);
  g_free (user->name);
  if (user->password_hash != NULL)
    memset (user->password_hash, 0, strlen (user->password_hash));
  g_free (user->password_hash);
  g_free (user);
}

/* Runs one statement with text parameters (NULL binds NULL); TRUE when it
 * completed. Caller holds the lock. */
static gboolean
run (IhStore     *store,
     const char  *sql,
     GError     **error,
     ...)
{
  sqlite3_stmt *stmt = _ih_store_prepare (store, sql, error);
  va_list args;
  int n, rc;

  if (stmt == NULL)
    return FALSE;

  n = sqlite3_bind_parameter_count (stmt);
  va_start (args, error);
  for (int i = 1; i <= n; i++)
    {
      const char *value = va_arg (args, const char *);
      sqlite3_bind_text (stmt, i, value, -1, SQLITE_TRANSIENT);
    }
  va_end (args);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _ih_store_set_error (store, error, _("Database error"));
  return TRUE;
}

static gboolean
transaction_end (IhStore   *store,
                 gboolean   ok,
                 GError   **error)
{
  if (ok)
    return ih_store_commit (store, error);
  ih_store_rollback (store);
  return FALSE;
}

gboolean
_ih_server_db_init (IhStore  *store,
                    char    **epoch,
                    GError  **error)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  g_return_val_if_fail (IH_IS_STORE (store), FALSE);

  if (!ih_store_begin (store, error))
    return FALSE;

  db = _ih_store_get_db (store);
  if (sqlite3_exec (db, schema, NULL, NULL, NULL) != SQLITE_OK)
    ok = _ih_store_set_error (store, error, _("Cannot create the server tables"));

  if (ok)
    {
      g_autofree char *fresh = g_uuid_string_random ();
      ok = run (store, "INSERT OR IGNORE INTO server_meta (key, value) VALUES ('epoch', ?)",
                error, fresh);
    }

  if (ok && (stmt = _ih_store_prepare (store, "SELECT value FROM server_meta WHERE key = 'epoch'",
                                       error)) != NULL)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        *epoch = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      else
        ok = _ih_store_set_error (store, error, _("Cannot read the server epoch"));
      sqlite3_reset (stmt);
    }
  else
    ok = FALSE;

  return transaction_end (store, ok, error);
}

char *
_ih_server_db_reset_epoch (IhStore  *store,
                           GError  **error)
{
  g_autofree char *fresh = g_uuid_string_random ();
  gboolean ok;

  if (!ih_store_begin (store, error))
    return NULL;
  ok = run (store, "INSERT OR REPLACE INTO server_meta (key, value) VALUES ('epoch', ?)",
            error, fresh);
  if (!transaction_end (store, ok, error))
    return NULL;
  return g_steal_pointer (&fresh);
}

char *
_ih_server_normalize_email (const char  *email,
                            GError     **error)
{
  g_autofree char *text = NULL;
  const char *at;

  if (email == NULL || !g_utf8_validate (email, -1, NULL))
    {
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID,
                   _("The e-mail address is not valid text"));
      return NULL;
    }

  text = g_utf8_strdown (email, -1);
  g_strstrip (text);
  at = strchr (text, '@');
  if (at == NULL || at == text || at[1] == '\0' || strchr (at + 1, '@') != NULL ||
      strlen (text) > 254 || strpbrk (text, " \t\r\n/\\\"<>") != NULL)
    {
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID,
                   _("“%s” is not an e-mail address"), email);
      return NULL;
    }
  return g_steal_pointer (&text);
}

#define USER_COLUMNS "u.id, u.email, u.name, u.role, u.password_hash, u.disabled, u.created_at"

static IhServerUser *
user_from_row (sqlite3_stmt *stmt)
{
  IhServerUser *user = g_new0 (IhServerUser, 1);

  user->id = sqlite3_column_int64 (stmt, 0);
  user->email = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  user->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  if (!ih_role_from_string ((const char *) sqlite3_column_text (stmt, 3), &user->role))
    user->role = IH_ROLE_VIEWER;
  user->password_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  user->disabled = sqlite3_column_int (stmt, 5) != 0;
  user->created_at = sqlite3_column_int64 (stmt, 6);
  return user;
}

IhServerUser *
_ih_server_db_find_user (IhStore     *store,
                         const char  *email,
                         GError     **error)
{
  IhServerUser *user = NULL;
  sqlite3_stmt *stmt;
  int rc;

  _ih_store_lock (store);
  stmt = _ih_store_prepare (store, "SELECT " USER_COLUMNS " FROM server_users u WHERE u.email = ?",
                            error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, email, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        user = user_from_row (stmt);
      else if (rc == SQLITE_DONE)
        g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_FOUND,
                     _("There is no user “%s”"), email);
      else
        _ih_store_set_error (store, error, _("Cannot read the users"));
      sqlite3_reset (stmt);
    }
  _ih_store_unlock (store);
  return user;
}

GPtrArray *
_ih_server_db_list_users (IhStore  *store,
                          GError  **error)
{
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) _ih_server_user_free);
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  _ih_store_lock (store);
  stmt = _ih_store_prepare (store, "SELECT " USER_COLUMNS " FROM server_users u ORDER BY u.email",
                            error);
  if (stmt != NULL)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (users, user_from_row (stmt));
      if (rc != SQLITE_DONE)
        _ih_store_set_error (store, error, _("Cannot read the users"));
      sqlite3_reset (stmt);
    }
  _ih_store_unlock (store);

  if (stmt == NULL || rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&users);
}

gboolean
_ih_server_db_add_user (IhStore     *store,
                        const char  *email,
                        const char  *name,
                        IhRole       role,
                        const char  *password_hash,
                        GError     **error)
{
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, ih_now_ms ());
  g_autoptr(IhServerUser) existing = NULL;
  gboolean ok;

  if (!ih_store_begin (store, error))
    return FALSE;

  existing = _ih_server_db_find_user (store, email, NULL);
  if (existing != NULL)
    {
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID,
                   _("There is already a user “%s”"), email);
      ok = FALSE;
    }
  else
    ok = run (store,
              "INSERT INTO server_users (email, name, role, password_hash, created_at) "
              "VALUES (?, ?, ?, ?, ?)",
              error, email, name != NULL ? name : "", ih_role_to_string (role), password_hash, now);

  return transaction_end (store, ok, error);
}

/* NOT_FOUND unless exactly one user row changed. Caller holds the lock. */
static gboolean
check_changed (IhStore     *store,
               const char  *email,
               GError     **error)
{
  if (sqlite3_changes (_ih_store_get_db (store)) == 0)
    {
      g_set_error (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_FOUND,
                   _("There is no user “%s”"), email);
      return FALSE;
    }
  return TRUE;
}

static gboolean
revoke_user_tokens (IhStore     *store,
                    const char  *email,
                    GError     **error)
{
  return run (store,
              "UPDATE server_tokens SET revoked = 1 "
              "WHERE user_id = (SELECT id FROM server_users WHERE email = ?)",
              error, email);
}

gboolean
_ih_server_db_set_password (IhStore     *store,
                            const char  *email,
                            const char  *password_hash,
                            GError     **error)
{
  gboolean ok;

  if (!ih_store_begin (store, error))
    return FALSE;
  ok = run (store, "UPDATE server_users SET password_hash = ? WHERE email = ?",
            error, password_hash, email) &&
       check_changed (store, email, error) &&
       revoke_user_tokens (store, email, error);
  return transaction_end (store, ok, error);
}

gboolean
_ih_server_db_update_user (IhStore     *store,
                           const char  *email,
                           int          role,
                           int          disabled,
                           GError     **error)
{
  gboolean ok = TRUE;

  if (!ih_store_begin (store, error))
    return FALSE;

  if (role >= 0)
    ok = run (store, "UPDATE server_users SET role = ? WHERE email = ?",
              error, ih_role_to_string ((IhRole) role), email) &&
         check_changed (store, email, error);
  if (ok && disabled >= 0)
    ok = run (store, "UPDATE server_users SET disabled = ? WHERE email = ?",
              error, disabled ? "1" : "0", email) &&
         check_changed (store, email, error) &&
         (!disabled || revoke_user_tokens (store, email, error));
  if (ok && role < 0 && disabled < 0)
    {
      g_autoptr(IhServerUser) user = _ih_server_db_find_user (store, email, error);
      ok = user != NULL;
    }

  return transaction_end (store, ok, error);
}

gboolean
_ih_server_db_delete_user (IhStore     *store,
                           const char  *email,
                           GError     **error)
{
  gboolean ok;

  if (!ih_store_begin (store, error))
    return FALSE;
  ok = run (store, "DELETE FROM server_tokens WHERE user_id = (SELECT id FROM server_users WHERE email = ?)",
            error, email) &&
       run (store, "DELETE FROM server_users WHERE email = ?", error, email) &&
       check_changed (store, email, error);
  return transaction_end (store, ok, error);
}

gboolean
_ih_server_db_add_token (IhStore     *store,
                         gint64       user_id,
                         const char  *token_hash,
                         gint64       expires_at,
                         GError     **error)
{
  g_autofree char *uid = g_strdup_printf ("%" G_GINT64_FORMAT, user_id);
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, ih_now_ms ());
  g_autofree char *expires = g_strdup_printf ("%" G_GINT64_FORMAT, expires_at);
  gboolean ok;

  if (!ih_store_begin (store, error))
    return FALSE;
  /* Expired tokens are of no use to anyone: drop them as new ones come */
  ok = run (store, "DELETE FROM server_tokens WHERE expires_at < ?", error, now) &&
       run (store,
            "INSERT INTO server_tokens (hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
            error, token_hash, uid, now, expires);
  return transaction_end (store, ok, error);
}

IhServerUser *
_ih_server_db_token_user (IhStore    *store,
                          const char *token_hash,
                          gint64      now)
{
  IhServerUser *user = NULL;
  sqlite3_stmt *stmt;

  _ih_store_lock (store);
  stmt = _ih_store_prepare (store,
                            "SELECT " USER_COLUMNS " FROM server_tokens t "
                            "JOIN server_users u ON u.id = t.user_id "
                            "WHERE t.hash = ? AND t.revoked = 0 AND t.expires_at > ? "
                            "AND u.disabled = 0",
                            NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, now);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        user = user_from_row (stmt);
      sqlite3_reset (stmt);
    }
  _ih_store_unlock (store);
  return user;
}

gboolean
_ih_server_db_revoke_token (IhStore     *store,
                            const char  *token_hash,
                            GError     **error)
{
  gboolean ok;

  if (!ih_store_begin (store, error))
    return FALSE;
  ok = run (store, "UPDATE server_tokens SET revoked = 1 WHERE hash = ?", error, token_hash);
  return transaction_end (store, ok, error);
}

gboolean
_ih_server_db_audit (IhStore     *store,
                     const char  *user_email,
                     const char  *action,
                     const char  *record_type,
                     const char  *record_id,
                     const char  *detail,
                     GError     **error)
{
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, ih_now_ms ());
  gboolean ok;

  if (!ih_store_begin (store, error))
    return FALSE;
  ok = run (store,
            "INSERT INTO server_audit (at, user_email, action, record_type, record_id, detail) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            error, now, user_email, action, record_type, record_id, detail);
  return transaction_end (store, ok, error);
}

void
_ih_server_db_get_failures (IhStore    *store,
                            const char *key,
                            gint64     *failures,
                            gint64     *last_at)
{
  sqlite3_stmt *stmt;

  *failures = 0;
  *last_at = 0;
  _ih_store_lock (store);
  stmt = _ih_store_prepare (store,
                            "SELECT failures, last_at FROM server_login_failures WHERE key = ?",
                            NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          *failures = sqlite3_column_int64 (stmt, 0);
          *last_at = sqlite3_column_int64 (stmt, 1);
        }
      sqlite3_reset (stmt);
    }
  _ih_store_unlock (store);
}

void
_ih_server_db_add_failure (IhStore    *store,
                           const char *key,
                           gint64      now)
{
  g_autofree char *at = g_strdup_printf ("%" G_GINT64_FORMAT, now);
  g_autoptr(GError) error = NULL;

  if (!ih_store_begin (store, &error))
    {
      g_warning ("Cannot count a failed login: %s", error->message);
      return;
    }
  if (!transaction_end (store,
                        run (store,
                             "INSERT INTO server_login_failures (key, failures, last_at) VALUES (?, 1, ?) "
                             "ON CONFLICT (key) DO UPDATE SET failures = failures + 1, last_at = excluded.last_at",
                             &error, key, at),
                        &error))
    g_warning ("Cannot count a failed login: %s", error->message);
}

void
_ih_server_db_clear_failures (IhStore    *store,
                              const char *key)
{
  g_autoptr(GError) error = NULL;

  if (!ih_store_begin (store, &error))
    {
      g_warning ("Cannot reset failed logins: %s", error->message);
      return;
    }
  if (!transaction_end (store,
                        run (store, "DELETE FROM server_login_failures WHERE key = ?", &error, key),
                        &error))
    g_warning ("Cannot reset failed logins: %s", error->message);
}
