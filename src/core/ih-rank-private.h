/* ih-rank-private.h
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Adds the ih_rank() auxiliary function to the connection's FTS5. Used as
 *   … AND insight_fts.rank MATCH 'ih_rank(N0, N1, …)' ORDER BY rank
 * where Ni is the number of documents phrase i occurs in, or -1 for a
 * phrase that does not count (tags, excluded words). */
gboolean _ih_rank_register (sqlite3  *db,
                            GError  **error);

G_END_DECLS
