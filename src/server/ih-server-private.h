/* ih-server-private.h — what the parts of insight-hub-server share
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "ih-server.h"

G_BEGIN_DECLS

/*
 * The server's own tables (ih-server-db.c), kept in the same SQLite file
 * as the records. Every function locks the store itself and may be called
 * inside a transaction the caller holds.
 */

typedef struct
{
  gint64    id;
  char     *email;
  char     *name;
  IhRole    role;
  char     *password_hash;
  gboolean  disabled;
  gint64    created_at;   /* UTC ms */
} IhServerUser;

void          _ih_server_user_free          (IhServerUser  *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IhServerUser, _ih_server_user_free)

/* Creates the tables when missing and returns the server's epoch, made
 * the first time. */
gboolean      _ih_server_db_init            (IhStore       *store,
                                             char         **epoch,
                                             GError       **error);
/* Makes a new epoch (after a restore from a backup). */
char         *_ih_server_db_reset_epoch     (IhStore       *store,
                                             GError       **error);
/* Lower-cased and trimmed; NULL with a message when it is not an address. */
char         *_ih_server_normalize_email    (const char    *email,
                                             GError       **error);
/* NULL with IH_STORE_ERROR_NOT_FOUND when there is no such user. */
IhServerUser *_ih_server_db_find_user       (IhStore       *store,
                                             const char    *email,
                                             GError       **error);
GPtrArray    *_ih_server_db_list_users      (IhStore       *store,
                                             GError       **error);
/* IH_STORE_ERROR_INVALID when the e-mail is taken. */
gboolean      _ih_server_db_add_user        (IhStore       *store,
                                             const char    *email,
                                             const char    *name,
                                             IhRole         role,
                                             const char    *password_hash,
                                             GError       **error);
/* Also revokes every token of the user. */
gboolean      _ih_server_db_set_password    (IhStore       *store,
                                             const char    *email,
                                             const char    *password_hash,
                                             GError       **error);
/* @role < 0 or @disabled < 0 leave that field alone. Disabling revokes
 * the user's tokens. */
gboolean      _ih_server_db_update_user     (IhStore       *store,
                                             const char    *email,
                                             int            role,
                                             int            disabled,
                                             GError       **error);
gboolean      _ih_server_db_delete_user     (IhStore       *store,
                                             const char    *email,
                                             GError       **error);
gboolean      _ih_server_db_add_token       (IhStore       *store,
                                             gint64         user_id,
                                             const char    *token_hash,
                                             gint64         expires_at,
                                             GError       **error);
/* The live (not revoked, not expired, user enabled) token's user, or NULL. */
IhServerUser *_ih_server_db_token_user      (IhStore       *store,
                                             const char    *token_hash,
                                             gint64         now);
gboolean      _ih_server_db_revoke_token    (IhStore       *store,
                                             const char    *token_hash,
                                             GError       **error);
gboolean      _ih_server_db_audit           (IhStore       *store,
                                             const char    *user_email,
                                             const char    *action,
                                             const char    *record_type,
                                             const char    *record_id,
                                             const char    *detail,
                                             GError       **error);
/* Failed logins by key ("email:…" or "addr:…") */
void          _ih_server_db_get_failures    (IhStore       *store,
                                             const char    *key,
                                             gint64        *failures,
                                             gint64        *last_at);
void          _ih_server_db_add_failure     (IhStore       *store,
                                             const char    *key,
                                             gint64         now);
void          _ih_server_db_clear_failures  (IhStore       *store,
                                             const char    *key);

/*
 * Passwords (ih-server-auth.c)
 */

typedef enum
{
  IH_PASSWORD_COST_INTERACTIVE,
  IH_PASSWORD_COST_MODERATE,
  IH_PASSWORD_COST_SENSITIVE,
  /* libsodium's minimum: only for tests, never for real passwords */
  IH_PASSWORD_COST_UNSAFE_TEST_ONLY,
} IhPasswordCost;

gboolean      _ih_password_cost_from_string (const char     *text,
                                             IhPasswordCost *cost);
/* argon2id in libsodium's string format; NULL when out of memory. Slow:
 * never call it on the main loop of the server. */
char         *_ih_password_hash             (const char     *password,
                                             IhPasswordCost  cost,
                                             GError        **error);
gboolean      _ih_password_verify           (const char     *hash,
                                             const char     *password);
/* 32 random bytes, base64url without padding */
char         *_ih_token_new                 (void);
/* Lower-case hex sha256 of @token */
char         *_ih_token_hash                (const char     *token);
/* What a password must be: at least 10 characters, valid UTF-8. */
gboolean      _ih_password_check            (const char     *password,
                                             GError        **error);

/*
 * Blobs (ih-server-blobs.c)
 */

void          _ih_server_blobs_register     (IhServer       *server);
/* TRUE when @name is exactly 64 lower-case hex digits */
gboolean      _ih_blob_name_is_valid        (const char     *name);

/* Where blobs live: a blobs/ folder beside the database unless set */
const char   *_ih_server_get_blobs_dir      (IhServer       *server);
SoupServerMessage *_ih_server_request_get_message (IhServerRequest *request);

/* ISO 8601 UTC with milliseconds */
char         *_ih_server_format_time        (gint64          ms);

G_END_DECLS
