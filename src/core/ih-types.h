/* ih-types.h
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _IhRecord      IhRecord;
typedef struct _IhRecordClass IhRecordClass;
typedef struct _IhActivity    IhActivity;
typedef struct _IhInsight     IhInsight;
typedef struct _IhTheme       IhTheme;
typedef struct _IhAction      IhAction;
typedef struct _IhMeeting     IhMeeting;
typedef struct _IhPaper       IhPaper;
typedef struct _IhQuestion    IhQuestion;
typedef struct _IhStore       IhStore;
typedef struct _IhQuery       IhQuery;
typedef struct _IhSearch      IhSearch;
typedef struct _IhHit         IhHit;
typedef struct _IhCsvReader   IhCsvReader;

/* What a user of a shared (server) database may do, each including the
 * one before: read non-restricted records; create and edit records other
 * than actions, and resolve conflicts on them; edit everything; manage
 * users (docs/protocol.md, docs/server.md). */
typedef enum
{
  IH_ROLE_VIEWER,
  IH_ROLE_OFFICER,
  IH_ROLE_MANAGER,
  IH_ROLE_ADMIN,
} IhRole;

/* "viewer", "officer", "manager", "admin"; FALSE for anything else */
gboolean     ih_role_from_string (const char *name,
                                  IhRole     *role);
const char  *ih_role_to_string   (IhRole      role);

/* Called during long operations. @done and @total are in the same unit
 * (bytes for imports). Return FALSE to stop early. */
typedef gboolean (*IhProgressFunc) (guint64  done,
                                    guint64  total,
                                    gpointer user_data);

G_END_DECLS
