/* ih-represent-private.h — what the report shares with the scope code
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ih-represent.h"

G_BEGIN_DECLS

/* The rids as a JSON array, for "rid IN (SELECT value FROM json_each (?))":
 * one statement over the whole set instead of one per insight. */
char        *_ih_scope_rids_json     (GArray *rids);

G_END_DECLS
