/* ih-cli-private.h — what the command files of insight-hub-cli share
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <signal.h>

#include "ih-store.h"

G_BEGIN_DECLS

/* Exit codes a script can rely on (also in --help and the man page) */
enum
{
  EXIT_OK = 0,
  EXIT_FAILED = 1,     /* could not do it: database, file, disk */
  EXIT_USAGE = 2,      /* the command line or the search is wrong */
  EXIT_PARTIAL = 3,    /* done, but some rows were refused */
  EXIT_STOPPED = 4,    /* interrupted (Ctrl+C); what was done is kept */
};

/* Set by SIGINT once ih_cli_catch_interrupt() is called. */
extern volatile sig_atomic_t ih_cli_interrupted;
void         ih_cli_catch_interrupt (void);

/* The --db file, or the default one */
const char  *ih_cli_db_path         (void);
/* Opens the store, printing why not */
IhStore     *ih_cli_open_store      (void);
/* Parses a command's options (adding --db); prints the error and returns
 * FALSE. */
gboolean     ih_cli_parse_options   (GOptionContext  *context,
                                     int             *argc,
                                     char          ***argv);
/* insight-hub-cli meeting … and paper … (ih-cli-papers.c) */
int          ih_cli_meeting         (int              argc,
                                     char           **argv);
int          ih_cli_paper           (int              argc,
                                     char           **argv);
int          ih_cli_sync            (int              argc,
                                     char           **argv);
/* 1234567 → "1,234,567" */
char        *ih_cli_format_count    (gint64           n);

/* ih-cli-report.c: population, represent, fatigue, action, report */
int          ih_cli_cmd_population  (int              argc,
                                     char           **argv);
int          ih_cli_cmd_represent   (int              argc,
                                     char           **argv);
int          ih_cli_cmd_fatigue     (int              argc,
                                     char           **argv);
int          ih_cli_cmd_action      (int              argc,
                                     char           **argv);
int          ih_cli_cmd_report      (int              argc,
                                     char           **argv);

G_END_DECLS
