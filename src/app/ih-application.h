/* ih-application.h
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ih-store.h"

G_BEGIN_DECLS

/* From config.h: org.insighthub.InsightHub, or org.insighthub.InsightHub.Devel
 * in a development build (meson -Dprofile=development); also the settings
 * schema's id and the icon's name */
#define IH_APPLICATION_ID APPLICATION_ID

#define IH_TYPE_APPLICATION (ih_application_get_type ())
G_DECLARE_FINAL_TYPE (IhApplication, ih_application, IH, APPLICATION, AdwApplication)

IhApplication *ih_application_new       (void);
/* The store every window shows, opened on first use */
IhStore       *ih_application_get_store (IhApplication  *self,
                                         GError        **error);

G_END_DECLS
