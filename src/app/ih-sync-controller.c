/* ih-sync-controller.c — when the app syncs, and what it says about it
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-sync-controller"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "ih-sync-client.h"
#include "ih-sync-controller.h"
#include "ih-sync.h"

G_DEFINE_ENUM_TYPE (IhSyncState, ih_sync_state,
                    G_DEFINE_ENUM_VALUE (IH_SYNC_STATE_SIGNED_OUT, "signed-out"),
                    G_DEFINE_ENUM_VALUE (IH_SYNC_STATE_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (IH_SYNC_STATE_SYNCING, "syncing"),
                    G_DEFINE_ENUM_VALUE (IH_SYNC_STATE_OFFLINE, "offline"),
                    G_DEFINE_ENUM_VALUE (IH_SYNC_STATE_ERROR, "error"))

static const SecretSchema *
keyring_schema (void)
{
  static const SecretSchema schema = {
    "org.insighthub.InsightHub.Sync", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

struct _IhSyncController
{
  GObject        parent_instance;

  IhStore       *store;
  IhSyncClient  *client;
  IhSyncEngine  *engine;
  GCancellable  *cancellable;
  char          *user;
  char          *last_error;

  IhSyncState    state;
  gint64         last_sync;
  gint64         pending;
  guint          conflicts;
  gint64         retry_at;      /* monotonic µs, 0 when none is due */

  guint          debounce_ms;
  guint          interval_min;
  guint          debounce_id;
  guint          interval_id;
  guint          retry_id;
  gboolean       again;         /* sync once more when the run ends */
  gboolean       use_keyring;
  gboolean       remembered;
};

enum {
  PROP_0,
  PROP_STATE,
  PROP_LAST_SYNC,
  PROP_PENDING,
  PROP_CONFLICTS,
  PROP_LAST_ERROR,
  PROP_USER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (IhSyncController, ih_sync_controller, G_TYPE_OBJECT)

static void run (IhSyncController *self);

/*
 * Plain words
 */

static gboolean
is_unreachable (const GError *error)
{
  if (error->domain == G_RESOLVER_ERROR || error->domain == G_TLS_ERROR)
    return TRUE;
  if (error->domain != G_IO_ERROR)
    return FALSE;
  return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED) &&
         !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) &&
         !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_FAILED) &&
         !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static char *
plain_sign_in_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    return g_strdup (_("The e-mail address or the password is wrong"));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
    return g_strdup (error->message);
  if (is_unreachable (error))
    return g_strdup_printf (_("Cannot reach the server (%s)"), error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
      g_error_matches (error, IH_SYNC_ERROR, IH_SYNC_ERROR_PROTOCOL))
    return g_strdup (_("This address is not an Insight Hub server"));
  return g_strdup_printf (_("The server could not sign you in: %s"), error->message);
}

/*
 * State
 */

static void
set_state (IhSyncController *self,
           IhSyncState       state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_last_error (IhSyncController *self,
                const char       *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

void
ih_sync_controller_refresh (IhSyncController *self)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  gint64 pending;
  guint n;

  g_return_if_fail (IH_IS_SYNC_CONTROLLER (self));

  pending = ih_sync_is_set_up (self->store) ? ih_sync_count_pending (self->store) : 0;
  conflicts = ih_sync_list_conflicts (self->store, TRUE, NULL);
  n = conflicts ? conflicts->len : 0;
  if (pending != self->pending)
    {
      self->pending = pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
    }
  if (n != self->conflicts)
    {
      self->conflicts = n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFLICTS]);
    }
  g_signal_emit (self, signals[CHANGED], 0);
}

static gboolean
can_sync (IhSyncController *self)
{
  return self->engine != NULL && ih_sync_is_set_up (self->store);
}

/*
 * Timers
 */

static gboolean
retry_cb (gpointer user_data)
{
  IhSyncController *self = user_data;

  self->retry_id = 0;
  self->retry_at = 0;
  run (self);
  return G_SOURCE_REMOVE;
}

static gboolean
debounce_cb (gpointer user_data)
{
  IhSyncController *self = user_data;

  self->debounce_id = 0;
  run (self);
  return G_SOURCE_REMOVE;
}

static gboolean
interval_cb (gpointer user_data)
{
  run (user_data);
  return G_SOURCE_CONTINUE;
}

static void
reset_interval (IhSyncController *self)
{
  g_clear_handle_id (&self->interval_id, g_source_remove);
  if (self->interval_min > 0)
    self->interval_id = g_timeout_add_seconds (self->interval_min * 60, interval_cb, self);
}

/*
 * Runs
 */

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(IhSyncController) self = user_data;
  g_autoptr(GError) error = NULL;
  IhSyncSummary summary = { 0 };
  gboolean ok = ih_sync_engine_run_finish (IH_SYNC_ENGINE (source), result, &summary, &error);

  /* Disposed meanwhile (the window closed): no timers any more */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (ok)
    {
      self->last_sync = g_get_real_time () / G_USEC_PER_SEC;
      set_last_error (self, NULL);
      set_state (self, IH_SYNC_STATE_IDLE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    {
      g_autofree char *message = g_strdup_printf (_("The server turned the sign-in down (%s): sign in again in Preferences"),
                                                  error->message);
      set_last_error (self, message);
      set_state (self, IH_SYNC_STATE_SIGNED_OUT);
    }
  else
    {
      guint delay = ih_sync_engine_get_retry_delay (self->engine);
      g_autofree char *message = NULL;

      if (is_unreachable (error))
        message = g_strdup (_("Cannot reach the server"));
      else
        message = g_strdup_printf (_("Sync failed: %s"), error->message);
      set_last_error (self, message);
      self->retry_at = g_get_monotonic_time () + (gint64) delay * 1000;
      g_clear_handle_id (&self->retry_id, g_source_remove);
      self->retry_id = g_timeout_add (delay, retry_cb, self);
      set_state (self, is_unreachable (error) ? IH_SYNC_STATE_OFFLINE : IH_SYNC_STATE_ERROR);
    }

  ih_sync_controller_refresh (self);
  if (self->again && self->state != IH_SYNC_STATE_SIGNED_OUT)
    {
      self->again = FALSE;
      run (self);
    }
}

static void
run (IhSyncController *self)
{
  g_assert (IH_IS_SYNC_CONTROLLER (self));

  if (!can_sync (self))
    {
      set_state (self, IH_SYNC_STATE_SIGNED_OUT);
      ih_sync_controller_refresh (self);
      return;
    }
  if (ih_sync_engine_is_running (self->engine))
    {
      self->again = TRUE;
      return;
    }

  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->retry_at = 0;
  set_state (self, IH_SYNC_STATE_SYNCING);
  g_signal_emit (self, signals[CHANGED], 0);
  ih_sync_engine_run_async (self->engine, self->cancellable, run_done, g_object_ref (self));
}

static void
use_token (IhSyncController *self,
           const char       *server,
           const char       *user,
           const char       *token)
{
  g_assert (IH_IS_SYNC_CONTROLLER (self));

  g_clear_object (&self->engine);
  g_clear_object (&self->client);
  self->client = ih_sync_client_new (server);
  ih_sync_client_set_token (self->client, token);
  self->engine = ih_sync_client_new_engine (self->client, self->store);
  g_free (self->user);
  self->user = g_strdup (user);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

/*
 * The keyring
 */

static void
lookup_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(IhSyncController) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autolist(SecretRetrievable) items = secret_password_search_finish (result, &error);
  g_autofree char *server = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->engine != NULL)
    return;
  server = ih_sync_get_server_url (self->store);
  if (error != NULL)
    g_debug ("No keyring: %s", error->message);
  for (GList *l = items; l != NULL && server != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      g_autoptr(SecretValue) value = NULL;

      if (g_strcmp0 (g_hash_table_lookup (attributes, "server"), server) != 0 || !SECRET_IS_ITEM (l->data))
        continue;
      value = secret_item_get_secret (l->data);
      if (value == NULL)
        continue;
      use_token (self, server, g_hash_table_lookup (attributes, "user"), secret_value_get_text (value));
      self->remembered = TRUE;
      break;
    }
  run (self);
}

void
ih_sync_controller_start (IhSyncController *self)
{
  g_autofree char *server = NULL;

  g_return_if_fail (IH_IS_SYNC_CONTROLLER (self));

  reset_interval (self);
  server = ih_sync_get_server_url (self->store);
  if (self->engine != NULL || server == NULL || !self->use_keyring)
    {
      run (self);
      return;
    }
  secret_password_search (keyring_schema (), SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                          self->cancellable, lookup_done, g_object_ref (self),
                          "server", server, NULL);
}

/*
 * Signing in
 */

typedef struct
{
  char         *server;
  char         *email;
  char         *password;
  IhSyncClient *client;
} SignIn;

static void
sign_in_free (SignIn *s)
{
  g_free (s->server);
  g_free (s->email);
  if (s->password != NULL)
    explicit_bzero (s->password, strlen (s->password));
  g_free (s->password);
  g_clear_object (&s->client);
  g_free (s);
}

static void
sign_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SignIn *s = task_data;
  g_autoptr(GError) error = NULL;

  if (!ih_sync_client_login (s->client, s->email, s->password, cancellable, &error))
    {
      g_autofree char *plain = plain_sign_in_error (error);

      g_task_return_new_error (task, error->domain, error->code, "%s", plain);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
keyring_stored (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(IhSyncController) self = user_data;
  g_autoptr(GError) error = NULL;

  self->remembered = secret_password_store_finish (result, &error);
  if (error != NULL)
    g_debug ("The sign-in is kept in memory only: %s", error->message);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
ih_sync_controller_sign_in_async (IhSyncController    *self,
                                  const char          *server,
                                  const char          *email,
                                  const char          *password,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  SignIn *s;

  g_return_if_fail (IH_IS_SYNC_CONTROLLER (self));
  g_return_if_fail (server != NULL && email != NULL && password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ih_sync_controller_sign_in_async);

  uri = g_uri_parse (server, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "http") != 0))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not a server address: it starts with https://"), server);
      return;
    }
  if (*email == '\0' || *password == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Give your e-mail address and your password"));
      return;
    }

  s = g_new0 (SignIn, 1);
  s->server = g_strdup (server);
  s->email = g_strdup (email);
  s->password = g_strdup (password);
  s->client = ih_sync_client_new (server);
  g_task_set_task_data (task, s, (GDestroyNotify) sign_in_free);
  g_task_run_in_thread (task, sign_in_thread);
}

gboolean
ih_sync_controller_sign_in_finish (IhSyncController  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  SignIn *s;
  g_autofree char *token = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (IH_IS_SYNC_CONTROLLER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  s = g_task_get_task_data (G_TASK (result));
  if (!ih_sync_setup (self->store, s->server, error))
    return FALSE;

  token = ih_sync_client_dup_token (s->client);
  use_token (self, s->server, s->email, token);
  self->remembered = FALSE;
  set_last_error (self, NULL);
  if (self->use_keyring)
    {
      label = g_strdup_printf (_("Insight Hub sync with %s"), s->server);
      secret_password_store (keyring_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                             self->cancellable, keyring_stored, g_object_ref (self),
                             "server", s->server, "user", s->email, NULL);
    }
  explicit_bzero (token, strlen (token));
  reset_interval (self);
  run (self);
  return TRUE;
}

void
ih_sync_controller_sign_out (IhSyncController *self)
{
  g_autofree char *server = NULL;

  g_return_if_fail (IH_IS_SYNC_CONTROLLER (self));

  server = ih_sync_get_server_url (self->store);
  if (self->use_keyring && server != NULL)
    secret_password_clear (keyring_schema (), NULL, NULL, NULL, "server", server, NULL);
  g_clear_object (&self->engine);
  g_clear_object (&self->client);
  g_clear_pointer (&self->user, g_free);
  self->remembered = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
  set_state (self, IH_SYNC_STATE_SIGNED_OUT);
  ih_sync_controller_refresh (self);
}

/*
 * Public API
 */

IhSyncController *
ih_sync_controller_new (IhStore  *store,
                        gboolean  use_keyring)
{
  IhSyncController *self;

  g_return_val_if_fail (IH_IS_STORE (store), NULL);

  self = g_object_new (IH_TYPE_SYNC_CONTROLLER, NULL);
  self->store = g_object_ref (store);
  self->use_keyring = use_keyring;
  ih_sync_controller_refresh (self);
  return self;
}

void
ih_sync_controller_changed (IhSyncController *self)
{
  g_return_if_fail (IH_IS_SYNC_CONTROLLER (self));

  ih_sync_controller_refresh (self);
  if (!can_sync (self))
    return;
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add (self->debounce_ms, debounce_cb, self);
}

void
ih_sync_controller_sync_now (IhSyncController *self)
{
  g_return_if_fail (IH_IS_SYNC_CONTROLLER (self));
  run (self);
}

void
ih_sync_controller_set_interval (IhSyncController *self,
                                 guint             minutes)
{
  g_return_if_fail (IH_IS_SYNC_CONTROLLER (self));
  self->interval_min = minutes;
  reset_interval (self);
}

void
ih_sync_controller_set_debounce (IhSyncController *self,
                                 guint             ms)
{
  g_return_if_fail (IH_IS_SYNC_CONTROLLER (self));
  self->debounce_ms = ms;
}

IhStore *
ih_sync_controller_get_store (IhSyncController *self)
{
  g_return_val_if_fail (IH_IS_SYNC_CONTROLLER (self), NULL);
  return self->store;
}

IhSyncState
ih_sync_controller_get_state (IhSyncController *self)
{
  g_return_val_if_fail (IH_IS_SYNC_CONTROLLER (self), IH_SYNC_STATE_SIGNED_OUT);
  return self->state;
}

const char *
ih_sync_controller_get_user (IhSyncController *self)
{
  g_return_val_if_fail (IH_IS_SYNC_CONTROLLER (self), NULL);
  return self->user;
}

gint64
ih_sync_controller_get_last_sync (IhSyncController *self)
{
  g_return_val_if_fail (IH_IS_SYNC_CONTROLLER (self), 0);
  return self->last_sync;
}

gint64
ih_sync_controller_get_pending (IhSyncController *self)
{
  g_return_val_if_fail (IH_IS_SYNC_CONTROLLER (self), 0);
  return self->pending;
}

guint
ih_sync_controller_get_conflicts (IhSyncController *self)
{
  g_return_val_if_fail (IH_IS_SYNC_CONTROLLER (self), 0);
  return self->conflicts;
}

const char *
ih_sync_controller_get_last_error (IhSyncController *self)
{
  g_return_val_if_fail (IH_IS_SYNC_CONTROLLER (self), NULL);
  return self->last_error;
}

guint
ih_sync_controller_get_retry_in (IhSyncController *self)
{
  gint64 now;

  g_return_val_if_fail (IH_IS_SYNC_CONTROLLER (self), 0);

  now = g_get_monotonic_time ();
  if (self->retry_at == 0 || self->retry_at <= now)
    return 0;
  return (guint) ((self->retry_at - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

gboolean
ih_sync_controller_get_remembered (IhSyncController *self)
{
  g_return_val_if_fail (IH_IS_SYNC_CONTROLLER (self), FALSE);
  return self->remembered;
}

char *
ih_sync_controller_dup_summary (IhSyncController *self)
{
  g_return_val_if_fail (IH_IS_SYNC_CONTROLLER (self), NULL);

  switch (self->state)
    {
    case IH_SYNC_STATE_SYNCING:
      return g_strdup (_("Syncing…"));

    case IH_SYNC_STATE_OFFLINE:
    case IH_SYNC_STATE_ERROR:
      {
        guint retry = ih_sync_controller_get_retry_in (self);
        const char *what = self->last_error ? self->last_error : _("Sync failed");

        if (retry == 0)
          return g_strdup (what);
        /* Translators: "Cannot reach the server — will try again in 40 s" */
        return g_strdup_printf (_("%s — will try again in %u s"), what, retry);
      }

    case IH_SYNC_STATE_SIGNED_OUT:
      if (self->last_error != NULL)
        return g_strdup (self->last_error);
      return g_strdup (_("Not syncing: sign in to a server in Preferences"));

    case IH_SYNC_STATE_IDLE:
    default:
      {
        gint64 ago;

        if (self->last_sync == 0)
          return g_strdup (_("Not synced yet"));
        ago = MAX (0, g_get_real_time () / G_USEC_PER_SEC - self->last_sync);
        if (ago < 60)
          return g_strdup (_("Synced just now"));
        if (ago < 3600)
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Synced %u minute ago",
                                               "Synced %u minutes ago", (gulong) (ago / 60)),
                                  (guint) (ago / 60));
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Synced %u hour ago",
                                             "Synced %u hours ago", (gulong) (ago / 3600)),
                                (guint) (ago / 3600));
      }
    }
}

/*
 * GObject overrides
 */

static void
ih_sync_controller_dispose (GObject *object)
{
  IhSyncController *self = (IhSyncController *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_clear_handle_id (&self->interval_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);

  G_OBJECT_CLASS (ih_sync_controller_parent_class)->dispose (object);
}

static void
ih_sync_controller_finalize (GObject *object)
{
  IhSyncController *self = (IhSyncController *) object;

  g_clear_object (&self->engine);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (ih_sync_controller_parent_class)->finalize (object);
}

static void
ih_sync_controller_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  IhSyncController *self = IH_SYNC_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LAST_SYNC:
      g_value_set_int64 (value, self->last_sync);
      break;
    case PROP_PENDING:
      g_value_set_int64 (value, self->pending);
      break;
    case PROP_CONFLICTS:
      g_value_set_uint (value, self->conflicts);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ih_sync_controller_class_init (IhSyncControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ih_sync_controller_dispose;
  object_class->finalize = ih_sync_controller_finalize;
  object_class->get_property = ih_sync_controller_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, IH_TYPE_SYNC_STATE, IH_SYNC_STATE_SIGNED_OUT,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LAST_SYNC] =
    g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PENDING] =
    g_param_spec_int64 ("pending", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CONFLICTS] =
    g_param_spec_uint ("conflicts", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Anything the status area shows may have changed */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ih_sync_controller_init (IhSyncController *self)
{
  self->cancellable = g_cancellable_new ();
  self->debounce_ms = 5000;
  self->state = IH_SYNC_STATE_SIGNED_OUT;
}
