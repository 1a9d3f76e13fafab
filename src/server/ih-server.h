/* ih-server.h — the Insight Hub HTTP server and the API its endpoints use
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ih-store.h"
#include "ih-types.h"

G_BEGIN_DECLS

#define IH_SERVER_ERROR (ih_server_error_quark ())

typedef enum
{
  IH_SERVER_ERROR_CONFIG,   /* a bad setting: the message names it */
  IH_SERVER_ERROR_LISTEN,   /* cannot or may not listen there */
} IhServerError;

#define IH_TYPE_SERVER (ih_server_get_type ())
G_DECLARE_FINAL_TYPE (IhServer, ih_server, IH, SERVER, GObject)

typedef struct _IhServerRequest IhServerRequest;

/*
 * An endpoint. Called on the server's main context (the thread-default
 * one when ih_server_new() ran) once the whole body has arrived (bodies
 * over the size limit never get here), after the route's role was
 * checked. It must reply before it returns — with
 * ih_server_request_reply_json() or ih_server_request_reply_error() — or
 * pause the request (ih_server_request_pause()), and
 * should keep its store work to one transaction (ih_store_begin/commit):
 * SIGTERM waits for the request in flight, then closes the store.
 */
typedef void (*IhServerHandler) (IhServer        *server,
                                 IhServerRequest *request,
                                 gpointer         user_data);

/* For routes anyone may call without signing in (/healthz, login). */
#define IH_SERVER_PUBLIC ((IhRole) -1)

GQuark       ih_server_error_quark   (void);

/*
 * @config holds the [server] and [auth] groups (docs/server.md); NULL
 * for the defaults. Creates the server's tables in @store when missing.
 */
IhServer    *ih_server_new           (IhStore          *store,
                                      GKeyFile         *config,
                                      GError          **error);
/*
 * Listens on @address (an IP literal, or "localhost") and @port (0: any
 * free port). Plain HTTP on an address other than loopback is refused
 * unless @insecure. @tls_certificate: HTTPS.
 */
gboolean     ih_server_listen        (IhServer         *self,
                                      const char       *address,
                                      guint             port,
                                      GTlsCertificate  *tls_certificate,
                                      gboolean          insecure,
                                      GError          **error);
/* "http(s)://ADDR:PORT" once listening */
char        *ih_server_get_uri       (IhServer         *self);
IhStore     *ih_server_get_store     (IhServer         *self);
/* A random id made with the database; a restore from backup changes it. */
const char  *ih_server_get_epoch     (IhServer         *self);
typedef void (*IhServerStopped) (IhServer *server,
                                 gpointer  user_data);
/* Refuses new requests (503), waits for those in flight, then calls
 * @done on the server's main context. */
void         ih_server_stop          (IhServer         *self,
                                      IhServerStopped   done,
                                      gpointer          user_data);
guint        ih_server_get_in_flight (IhServer         *self);

/*
 * Adds an endpoint. @path is either exact ("/api/v1/changes") or, ending
 * with "/", a prefix whose rest reaches the handler
 * (ih_server_request_get_rest()). Routes are under /api/v1/. A path that
 * matches a route but not its method gets 405. @min_role: the lowest role
 * allowed (IH_SERVER_PUBLIC for no sign-in); lower roles get 403, no or
 * a bad token 401.
 */
void         ih_server_add_route     (IhServer         *self,
                                      const char       *method,
                                      const char       *path,
                                      IhRole            min_role,
                                      IhServerHandler   handler,
                                      gpointer          user_data);

/*
 * The request
 */

const char  *ih_server_request_get_method     (IhServerRequest  *request);
/* The path as sent (percent-encoding kept) */
const char  *ih_server_request_get_path       (IhServerRequest  *request);
/* The part of the path after a prefix route's "/", still percent-encoded */
const char  *ih_server_request_get_rest       (IhServerRequest  *request);
/* A query parameter, decoded; NULL when absent */
const char  *ih_server_request_get_query      (IhServerRequest  *request,
                                               const char       *name);
const char  *ih_server_request_get_header     (IhServerRequest  *request,
                                               const char       *name);
/* The signed-in user; NULL and IH_SERVER_PUBLIC on public routes */
const char  *ih_server_request_get_user_email (IhServerRequest  *request);
IhRole       ih_server_request_get_user_role  (IhServerRequest  *request);
/* The raw body (never NULL; may be empty) */
GBytes      *ih_server_request_get_body       (IhServerRequest  *request);
/*
 * The body as a JSON object. Checks Content-Type (415), syntax (400 naming
 * line and column), that it is an object and that every member is one of
 * the NULL-terminated @members (400 naming the first unknown one). On
 * failure it has already replied: return at once. Borrowed.
 */
JsonObject  *ih_server_request_get_json       (IhServerRequest  *request,
                                               const char * const *members);
/* The same member check for a nested object; @where names it ("fields"). */
gboolean     ih_server_request_check_members  (IhServerRequest    *request,
                                               JsonObject         *object,
                                               const char         *where,
                                               const char * const *members);

/* Replies @status with @node (steals a floating reference: pass a new
 * node) as application/json. */
void         ih_server_request_reply_json     (IhServerRequest  *request,
                                               guint             status,
                                               JsonNode         *node);
/* Replies @status with @text, JSON already written (a change feed batch),
 * as application/json. Takes @text (g_malloc'ed), @length bytes long. */
void         ih_server_request_reply_json_text (IhServerRequest *request,
                                                guint            status,
                                                char            *text,
                                                gsize            length);
/* {"error": @code, "message": …} with @status. The message is for people:
 * plain words naming what was wrong and where. */
void         ih_server_request_reply_error    (IhServerRequest  *request,
                                               guint             status,
                                               const char       *code,
                                               const char       *format,
                                               ...) G_GNUC_PRINTF (4, 5);
void         ih_server_request_set_header     (IhServerRequest  *request,
                                               const char       *name,
                                               const char       *value);
/* Replies with raw bytes (status 200/206, blobs). */
void         ih_server_request_reply_bytes    (IhServerRequest  *request,
                                               guint             status,
                                               const char       *content_type,
                                               GBytes           *bytes);
/* For a handler that answers later (work in a thread, say): call pause
 * before returning; later, on the server's main context, reply and call
 * resume. The request stays valid until resume. A client that hangs up
 * meanwhile makes the reply go nowhere; resume is still needed. */
void         ih_server_request_pause          (IhServerRequest  *request);
void         ih_server_request_resume         (IhServerRequest  *request);
/* Records who changed what in the audit table, as the signed-in user. Call
 * it inside the handler's transaction so both commit together. */
gboolean     ih_server_request_audit          (IhServerRequest  *request,
                                               const char       *action,
                                               const char       *record_type,
                                               const char       *record_id,
                                               const char       *detail,
                                               GError          **error);

G_END_DECLS
