/* main.c
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ih-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(IhApplication) app = NULL;

  const char *localedir;

  /* run.sh points this at the build tree so translations work uninstalled */
  localedir = g_getenv ("INSIGHT_HUB_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = ih_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
