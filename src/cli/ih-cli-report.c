/* ih-cli-report.c — insight-hub-cli population, represent, fatigue, action
 * and report: who we heard from, what was asked before, what was done
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ih-actions.h"
#include "ih-cli-private.h"
#include "ih-fatigue.h"
#include "ih-population.h"
#include "ih-query.h"
#include "ih-report.h"
#include "ih-represent.h"

static void
print_error (const char *command,
             GError     *error)
{
  g_printerr ("insight-hub-cli %s: %s\n", command, error->message);
}

/* Writes @text to @path ("-" = standard output), replacing it whole */
static gboolean
write_out (const char  *path,
           const char  *text,
           GError     **error)
{
  if (strcmp (path, "-") == 0)
    {
      fputs (text, stdout);
      return TRUE;
    }
  return g_file_set_contents (path, text, -1, error);
}

/* g_set_str() is GLib 2.76 */
static void
set_str (char       **place,
         const char  *value)
{
  g_free (*place);
  *place = g_strdup (value);
}

/*
 * population
 */

static int
population_import (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE"));
  g_autoptr(IhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint n_places = 0, n_rows = 0;

  g_option_context_set_summary (context,
                                _("Import population profiles from a CSV file with the columns place,\n"
                                  "characteristic (age-band, sex, ethnic-group, disability or\n"
                                  "deprivation-decile), group, share (0.085 or 8.5%) and optionally source.\n"
                                  "Rows with the characteristic postcode-district give a district (GL5) and\n"
                                  "its deprivation decile (1 to 10) in place of a share.\n"
                                  "Each place in the file replaces that place's profile. A file with any\n"
                                  "problem is refused whole, each problem named by its line."));
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    {
      g_printerr (_("insight-hub-cli population import: name one CSV file\n"));
      return EXIT_USAGE;
    }

  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  if (!ih_population_import (store, argv[1], &n_places, &n_rows, &error))
    {
      print_error ("population import", error);
      return EXIT_FAILED;
    }
  g_print (g_dngettext (GETTEXT_PACKAGE, "%s: imported the profile of %u place (%u figures)\n",
                        "%s: imported the profiles of %u places (%u figures)\n", n_places),
           argv[1], n_places, n_rows);
  return EXIT_OK;
}

static int
population_list (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("[PLACE]"));
  g_autoptr(IhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) places = NULL;

  g_option_context_set_summary (context,
                                _("List the places that have a population profile, or the figures of one place."));
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 2)
    {
      g_printerr (_("insight-hub-cli population list: name at most one place (in quotes if it has spaces)\n"));
      return EXIT_USAGE;
    }

  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  if (argc == 2)
    {
      g_autoptr(IhPopulationProfile) profile = ih_population_get (store, argv[1], &error);
      const char *last = NULL;

      if (profile == NULL)
        {
          print_error ("population list", error);
          return EXIT_FAILED;
        }
      g_print ("%s%s%s%s\n", profile->place, profile->source ? " (" : "",
               profile->source ? profile->source : "", profile->source ? ")" : "");
      for (guint i = 0; i < profile->shares->len; i++)
        {
          IhPopulationShare *s = g_ptr_array_index (profile->shares, i);
          const IhCharacteristic *c = ih_population_characteristic (s->characteristic);
          const char *label = c->vocab ? ih_vocab_label (c->vocab, s->group) : s->group;

          if (g_strcmp0 (last, s->characteristic) != 0)
            g_print ("  %s\n", c->label);
          last = s->characteristic;
          g_print ("    %-45s %6.1f %%\n", label ? label : s->group, s->share * 100);
        }
      if (g_hash_table_size (profile->districts) > 0)
        {
          g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (profile->districts), (GCompareFunc) strcmp);

          g_print ("  %s\n", _("Deprivation decile of each postcode district"));
          for (GList *l = keys; l != NULL; l = l->next)
            g_print ("    %-10s %2d\n", (char *) l->data, ih_population_profile_decile (profile, l->data));
        }
      return EXIT_OK;
    }

  places = ih_population_list_places (store, &error);
  if (places == NULL)
    {
      print_error ("population list", error);
      return EXIT_FAILED;
    }
  if (places->len == 0)
    g_print (_("No population profiles yet: import one with “insight-hub-cli population import FILE”.\n"));
  for (guint i = 0; i < places->len; i++)
    g_print ("%s\n", (char *) g_ptr_array_index (places, i));
  return EXIT_OK;
}

int
ih_cli_cmd_population (int argc, char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "import") == 0)
    return population_import (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "list") == 0)
    return population_list (argc - 1, argv + 1);
  if (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      g_print ("%s", _("Usage: insight-hub-cli population import FILE\n"
                       "       insight-hub-cli population list [PLACE]\n"
                       "Population profiles: the share of a place's people in each group, to compare\n"
                       "respondents with. Each subcommand has --help; all accept --db PATH.\n"));
      return EXIT_OK;
    }
  g_printerr (_("insight-hub-cli population: say “import FILE” or “list” (see --help)\n"));
  return EXIT_USAGE;
}

/*
 * Scopes: --activity ID | --programme P | SEARCH
 */

typedef struct
{
  char *activity;
  char *programme;
  char *place;
} ScopeOptions;

static void
scope_options_clear (ScopeOptions *o)
{
  g_clear_pointer (&o->activity, g_free);
  g_clear_pointer (&o->programme, g_free);
  g_clear_pointer (&o->place, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ScopeOptions, scope_options_clear)

/* Which insight: exactly one of the three ways. Prints why not. */
static gboolean
scope_from_args (const char    *command,
                 ScopeOptions  *o,
                 int            argc,
                 char         **argv,
                 IhScopeKind   *kind,
                 char         **value)
{
  guint ways = (o->activity != NULL) + (o->programme != NULL) + (argc > 1);

  if (ways != 1)
    {
      g_printerr (_("insight-hub-cli %s: say which insight, one way: --activity ID, "
                    "--programme NAME or a SEARCH (\"\" for all)\n"),
                  command);
      return FALSE;
    }
  if (o->activity)
    {
      *kind = IH_SCOPE_ACTIVITY;
      *value = g_strdup (o->activity);
    }
  else if (o->programme)
    {
      *kind = IH_SCOPE_PROGRAMME;
      *value = g_strdup (o->programme);
    }
  else
    {
      *kind = IH_SCOPE_QUERY;
      *value = g_strjoinv (" ", argv + 1);
    }
  return TRUE;
}

static int
scope_error_status (GError *error)
{
  return error->domain == IH_QUERY_ERROR || g_error_matches (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_FOUND)
           ? EXIT_USAGE : EXIT_FAILED;
}

/*
 * represent
 */

static char *
format_share (double v)
{
  return isnan (v) ? g_strdup ("—") : g_strdup_printf ("%.1f%%", v * 100);
}

int
ih_cli_cmd_represent (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("[SEARCH]"));
  g_autoptr(IhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rids = NULL;
  g_autoptr(IhRepresentTable) table = NULL;
  g_auto(ScopeOptions) o = { 0 };
  g_autofree char *csv_path = NULL;
  g_autofree char *pdf_path = NULL;
  g_autofree char *value = NULL;
  g_autofree char *scope = NULL;
  IhScopeKind kind;
  const GOptionEntry entries[] = {
    { "activity", 'a', 0, G_OPTION_ARG_STRING, &o.activity, N_("The insight of this activity"), N_("ID") },
    { "programme", 'p', 0, G_OPTION_ARG_STRING, &o.programme, N_("The insight of every activity of this programme"), N_("NAME") },
    { "place", 0, 0, G_OPTION_ARG_STRING, &o.place, N_("Compare with this place's population (default: where most of the insight comes from)"), N_("PLACE") },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv_path, N_("Also write the table as CSV to FILE (- for standard output)"), N_("FILE") },
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf_path, N_("Also write the chart and table as PDF to FILE"), N_("FILE") },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Who we heard from beside who lives there: respondents by age band, sex,\n"
                                  "ethnic group, disability and deprivation (from the postcode district)\n"
                                  "against the population profile, with the groups under- or\n"
                                  "over-represented beyond chance (exact binomial test, Holm–Bonferroni,\n"
                                  "p < 0.05, at least 30 answers). Each insight with any answer about the\n"
                                  "person is one respondent."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (!scope_from_args ("represent", &o, argc, argv, &kind, &value))
    return EXIT_USAGE;

  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  rids = ih_scope_collect (store, kind, value, &error);
  if (rids == NULL)
    {
      print_error ("represent", error);
      return scope_error_status (error);
    }
  scope = ih_scope_describe (store, kind, value);
  table = ih_represent_compute (store, rids, scope, o.place, &error);
  if (table == NULL)
    {
      print_error ("represent", error);
      return EXIT_FAILED;
    }

  if (pdf_path != NULL && !ih_report_write_representativeness_pdf (table, pdf_path, &error))
    {
      print_error ("represent", error);
      return EXIT_FAILED;
    }
  if (csv_path != NULL)
    {
      g_autofree char *csv = ih_represent_to_csv (table);

      if (!write_out (csv_path, csv, &error))
        {
          print_error ("represent", error);
          return EXIT_FAILED;
        }
      if (strcmp (csv_path, "-") == 0)
        return EXIT_OK;
    }

  {
    g_autofree char *respondents = ih_cli_format_count (table->n_respondents);
    g_autofree char *insight = ih_cli_format_count (table->n_insight);

    g_print (_("%s: %s respondents among %s pieces of insight, against the population of %s\n"),
             table->scope, respondents, insight, table->place);
  }
  if (table->place_note)
    g_print ("%s\n", table->place_note);
  for (guint i = 0; i < table->characteristics->len; i++)
    {
      IhRepresentCharacteristic *c = g_ptr_array_index (table->characteristics, i);

      g_print ("\n%-36s %11s %8s %10s  %s\n", c->characteristic->label, _("respondents"), _("share"),
               _("population"), "");
      for (guint j = 0; j < c->rows->len; j++)
        {
          IhRepresentRow *row = g_ptr_array_index (c->rows, j);
          g_autofree char *obs = format_share (row->observed_share);
          g_autofree char *exp = format_share (row->expected_share);
          g_autofree char *label = row->kind == IH_REPRESENT_ROW_NOT_IN_PROFILE
                                     ? g_strdup_printf (_("%s (not in the profile)"), row->label)
                                     : g_strdup (row->label);
          g_autofree char *p = isnan (row->p_adjusted) ? g_strdup ("")
                                                       : g_strdup_printf ("p=%.3g", row->p_adjusted);

          /* %-Ns counts bytes: pad by characters for labels with accents or dashes */
          g_print ("  %s%*s %11" G_GINT64_FORMAT " %8s %10s  %s %s\n", label,
                   (int) MAX (0, 34 - (glong) g_utf8_strlen (label, -1)), "",
                   row->count, row->kind == IH_REPRESENT_ROW_GROUP ? obs : "",
                   row->kind == IH_REPRESENT_ROW_GROUP ? exp : "", ih_represent_flag_label (row->flag), p);
        }
      if (c->note)
        g_print ("  %s\n", c->note);
    }
  if (csv_path != NULL)
    g_printerr (_("Wrote the table to %s\n"), csv_path);
  return EXIT_OK;
}

/*
 * fatigue
 */

int
ih_cli_cmd_fatigue (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(IhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(IhFatigueQuery) query = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *activity = NULL;
  g_autofree char *topic = NULL;
  g_autofree char *programme = NULL;
  g_autofree char *place = NULL;
  g_autofree char *locality = NULL;
  g_autofree char *date = NULL;
  g_auto(GStrv) communities = NULL;
  int months = IH_FATIGUE_DEFAULT_MONTHS;
  int limit = 10;
  gboolean any = FALSE;
  const GOptionEntry entries[] = {
    { "activity", 'a', 0, G_OPTION_ARG_STRING, &activity, N_("What was asked before this activity"), N_("ID") },
    { "months", 'm', 0, G_OPTION_ARG_INT, &months, N_("How far back to look (default 12)"), N_("N") },
    { "topic", 't', 0, G_OPTION_ARG_STRING, &topic, N_("Or: the topic, in words"), N_("WORDS") },
    { "programme", 'p', 0, G_OPTION_ARG_STRING, &programme, N_("… the programme"), N_("NAME") },
    { "place", 0, 0, G_OPTION_ARG_STRING, &place, N_("… the place"), N_("PLACE") },
    { "locality", 0, 0, G_OPTION_ARG_STRING, &locality, N_("… the locality"), N_("LOCALITY") },
    { "community", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &communities, N_("… a community to be asked (repeat for more)"), N_("NAME") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, N_("… the date planned (default today)"), N_("YYYY-MM-DD") },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("At most N activities and N insight (default 10)"), N_("N") },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Before asking people again: earlier activities and insight on the same\n"
                                  "topic, place and communities in the last months, most relevant first,\n"
                                  "with the reasons for each."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 1)
    {
      g_printerr (_("insight-hub-cli fatigue: unexpected argument “%s” (put the topic in --topic)\n"), argv[1]);
      return EXIT_USAGE;
    }
  if (months < 1 || months > 120 || limit < 1 || limit > 1000)
    {
      g_printerr (_("insight-hub-cli fatigue: --months must be 1 to 120 and --limit 1 to 1000\n"));
      return EXIT_USAGE;
    }
  if (activity == NULL && topic == NULL && programme == NULL && place == NULL && communities == NULL)
    {
      g_printerr (_("insight-hub-cli fatigue: give --activity ID, or what is planned "
                    "(--topic, --programme, --place, --community)\n"));
      return EXIT_USAGE;
    }

  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  if (activity != NULL)
    {
      query = ih_fatigue_query_for_activity (store, activity, months, &error);
      if (query == NULL)
        {
          print_error ("fatigue", error);
          return g_error_matches (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_FOUND) ? EXIT_USAGE : EXIT_FAILED;
        }
    }
  else
    {
      query = g_new0 (IhFatigueQuery, 1);
      query->months = months;
    }
  /* What is given on the command line wins over the activity's own */
  if (topic)
    set_str (&query->topic, topic);
  if (programme)
    set_str (&query->programme, programme);
  if (place)
    set_str (&query->place, place);
  if (locality)
    set_str (&query->locality, locality);
  if (date)
    set_str (&query->date, date);
  if (communities)
    {
      g_strfreev (query->communities);
      query->communities = g_strdupv (communities);
    }

  hits = ih_fatigue_find (store, query, limit, &error);
  if (hits == NULL)
    {
      print_error ("fatigue", error);
      return g_error_matches (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID) ? EXIT_USAGE : EXIT_FAILED;
    }

  for (int pass = 0; pass < 2; pass++)
    {
      IhFatigueHitKind kind = pass == 0 ? IH_FATIGUE_HIT_ACTIVITY : IH_FATIGUE_HIT_INSIGHT;
      guint n = 0;

      g_print ("%s\n", pass == 0 ? _("Earlier activities:") : _("Insight already heard:"));
      for (guint i = 0; i < hits->len; i++)
        {
          IhFatigueHit *hit = g_ptr_array_index (hits, i);
          g_autofree char *reasons = NULL;
          g_autofree char *title = NULL;

          if (hit->kind != kind)
            continue;
          any = TRUE;
          g_ptr_array_add (hit->reasons, NULL);
          reasons = g_strjoinv ("; ", (char **) hit->reasons->pdata);
          g_ptr_array_set_size (hit->reasons, hit->reasons->len - 1);
          title = g_utf8_strlen (hit->title, -1) > 100
                    ? g_strdup_printf ("%.*s…", (int) (g_utf8_offset_to_pointer (hit->title, 99) - hit->title), hit->title)
                    : g_strdup (hit->title);
          g_print ("%2u. %s · %s%s%s\n    %s\n    %s\n", ++n, hit->date ? hit->date : "—", title,
                   hit->place ? " · " : "", hit->place ? hit->place : "", reasons, hit->id);
        }
      if (n == 0)
        g_print ("    %s\n", _("none"));
    }
  if (!any)
    g_print (_("Nothing on this in the last %d months.\n"), months);
  return EXIT_OK;
}

/*
 * action
 */

static int
action_add (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(IhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(IhAction) action = ih_action_new ();
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *status = NULL;
  g_autofree char *fed_back = NULL;
  g_auto(GStrv) insight = NULL;
  const GOptionEntry entries[] = {
    { "title", 't', 0, G_OPTION_ARG_STRING, &title, N_("What changed (required)"), N_("TEXT") },
    { "insight", 'i', 0, G_OPTION_ARG_STRING_ARRAY, &insight, N_("An insight it answers (repeat for more)"), N_("ID") },
    { "description", 'd', 0, G_OPTION_ARG_STRING, &description, N_("Why, and what it means for people"), N_("TEXT") },
    { "owner", 'o', 0, G_OPTION_ARG_STRING, &owner, N_("Who is responsible"), N_("NAME") },
    { "status", 's', 0, G_OPTION_ARG_STRING, &status, N_("proposed, in-progress, done or not-taken"), N_("STATUS") },
    { "fed-back", 0, 0, G_OPTION_ARG_STRING, &fed_back, N_("When people were told"), N_("YYYY-MM-DD") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Record an action (“you said, we did”) and the insight that led to it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (title == NULL || argc > 1)
    {
      g_printerr (_("insight-hub-cli action add: give --title TEXT (and --insight ID for each insight)\n"));
      return EXIT_USAGE;
    }

  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  action->title = g_steal_pointer (&title);
  action->description = g_steal_pointer (&description);
  action->owner = g_steal_pointer (&owner);
  if (status != NULL)
    {
      const char *key = ih_vocab_normalize ("action-status", status);

      if (key == NULL)
        {
          g_printerr (_("insight-hub-cli action add: “%s” is not a status (proposed, in-progress, done, not-taken)\n"),
                      status);
          return EXIT_USAGE;
        }
      action->status = g_strdup (key);
    }
  if (fed_back != NULL)
    {
      action->fed_back_date = ih_date_normalize (fed_back);
      if (action->fed_back_date == NULL)
        {
          g_printerr (_("insight-hub-cli action add: “%s” is not a date (YYYY-MM-DD)\n"), fed_back);
          return EXIT_USAGE;
        }
    }
  for (guint i = 0; insight && insight[i]; i++)
    {
      g_autoptr(IhInsight) in = ih_store_load (store, &ih_insight_class, insight[i], &error);

      if (in == NULL)
        {
          print_error ("action add", error);
          return EXIT_USAGE;
        }
      if (in->parent.deleted || g_strcmp0 (in->consent, "withdrawn") == 0)
        {
          g_printerr (_("insight-hub-cli action add: the insight “%s” is deleted or withdrawn\n"), insight[i]);
          return EXIT_USAGE;
        }
    }
  action->insight_ids = g_steal_pointer (&insight);

  if (!ih_store_save (store, action, &error))
    {
      print_error ("action add", error);
      return g_error_matches (error, IH_STORE_ERROR, IH_STORE_ERROR_INVALID) ? EXIT_USAGE : EXIT_FAILED;
    }
  g_print ("%s\n", action->parent.id);
  return EXIT_OK;
}

static int
action_link (int argc, char **argv, gboolean link)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ACTION-ID INSIGHT-ID"));
  g_autoptr(IhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = link ? "action link" : "action unlink";

  g_option_context_set_summary (context, link ? _("Link an insight to an action.") : _("Unlink an insight from an action."));
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 3)
    {
      g_printerr (_("insight-hub-cli %s: give the action's id and the insight's id\n"), name);
      return EXIT_USAGE;
    }
  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  if (!(link ? ih_actions_link : ih_actions_unlink) (store, argv[1], argv[2], &error))
    {
      print_error (name, error);
      return error->domain == IH_STORE_ERROR &&
             (error->code == IH_STORE_ERROR_NOT_FOUND || error->code == IH_STORE_ERROR_INVALID)
               ? EXIT_USAGE : EXIT_FAILED;
    }
  return EXIT_OK;
}

static void
print_action (IhAction *a)
{
  g_print ("%s\n  %s", a->title, a->parent.id);
  if (a->status)
    g_print (" · %s", ih_vocab_label ("action-status", a->status));
  if (a->owner)
    g_print (_(" · owner: %s"), a->owner);
  if (a->fed_back_date)
    g_print (_(" · people told on %s"), a->fed_back_date);
  g_print ("\n");
  if (a->description)
    g_print ("  %s\n", a->description);
}

static int
action_show (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ACTION-ID"));
  g_autoptr(IhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(IhAction) action = NULL;
  g_autoptr(GPtrArray) insight = NULL;

  g_option_context_set_summary (context, _("Show an action and the insight that led to it."));
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    {
      g_printerr (_("insight-hub-cli action show: give the action's id\n"));
      return EXIT_USAGE;
    }
  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  action = ih_store_load (store, &ih_action_class, argv[1], &error);
  if (action == NULL || (insight = ih_actions_insights (store, argv[1], &error)) == NULL)
    {
      print_error ("action show", error);
      return g_error_matches (error, IH_STORE_ERROR, IH_STORE_ERROR_NOT_FOUND) ? EXIT_USAGE : EXIT_FAILED;
    }
  print_action (action);
  g_print (g_dngettext (GETTEXT_PACKAGE, "Because of %u piece of insight:\n",
                        "Because of %u pieces of insight:\n", insight->len),
           insight->len);
  for (guint i = 0; i < insight->len; i++)
    {
      IhInsight *in = g_ptr_array_index (insight, i);
      g_print ("  %s  %s\n", in->parent.id, in->text);
    }
  return EXIT_OK;
}

static int
action_list (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(IhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) actions = NULL;
  g_autofree char *insight = NULL;
  const GOptionEntry entries[] = {
    { "insight", 'i', 0, G_OPTION_ARG_STRING, &insight, N_("Only the actions this insight led to"), N_("ID") },
    { NULL }
  };

  g_option_context_set_summary (context, _("List the actions, or those an insight led to."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 1)
    {
      g_printerr (_("insight-hub-cli action list: unexpected argument “%s”\n"), argv[1]);
      return EXIT_USAGE;
    }
  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  if (insight != NULL && !ih_store_exists (store, &ih_insight_class, insight))
    {
      g_printerr (_("insight-hub-cli action list: there is no insight with id “%s”\n"), insight);
      return EXIT_USAGE;
    }
  actions = insight ? ih_actions_for_insight (store, insight, &error) : ih_store_list (store, &ih_action_class, &error);
  if (actions == NULL)
    {
      print_error ("action list", error);
      return EXIT_FAILED;
    }
  for (guint i = 0; i < actions->len; i++)
    print_action (g_ptr_array_index (actions, i));
  return EXIT_OK;
}

int
ih_cli_cmd_action (int argc, char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "add") == 0)
    return action_add (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "link") == 0)
    return action_link (argc - 1, argv + 1, TRUE);
  if (argc >= 2 && strcmp (argv[1], "unlink") == 0)
    return action_link (argc - 1, argv + 1, FALSE);
  if (argc >= 2 && strcmp (argv[1], "show") == 0)
    return action_show (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "list") == 0)
    return action_list (argc - 1, argv + 1);
  if (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      g_print ("%s", _("Usage: insight-hub-cli action add --title TEXT [--insight ID…] [OPTIONS…]\n"
                       "       insight-hub-cli action link|unlink ACTION-ID INSIGHT-ID\n"
                       "       insight-hub-cli action show ACTION-ID\n"
                       "       insight-hub-cli action list [--insight ID]\n"
                       "Actions (“you said, we did”): what changed because of which insight.\n"
                       "Each subcommand has --help; all accept --db PATH.\n"));
      return EXIT_OK;
    }
  g_printerr (_("insight-hub-cli action: say add, link, unlink, show or list (see --help)\n"));
  return EXIT_USAGE;
}

/*
 * report
 */

int
ih_cli_cmd_report (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("[SEARCH]"));
  g_autoptr(IhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(IhReport) report = NULL;
  g_auto(ScopeOptions) o = { 0 };
  g_autofree char *output = NULL;
  g_autofree char *value = NULL;
  IhScopeKind kind;
  const GOptionEntry entries[] = {
    { "activity", 'a', 0, G_OPTION_ARG_STRING, &o.activity, N_("The insight of this activity"), N_("ID") },
    { "programme", 'p', 0, G_OPTION_ARG_STRING, &o.programme, N_("The insight of every activity of this programme"), N_("NAME") },
    { "place", 0, 0, G_OPTION_ARG_STRING, &o.place, N_("Compare with this place's population (default: where most of the insight comes from)"), N_("PLACE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The PDF file to write (required)"), N_("FILE") },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Write a board report as PDF: themes with counts and a chart, quotes\n"
                                  "people agreed to (anonymised where they asked), who we heard from, and\n"
                                  "the actions taken. Withdrawn insight never appears."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!ih_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (output == NULL)
    {
      g_printerr (_("insight-hub-cli report: give --output FILE.pdf\n"));
      return EXIT_USAGE;
    }
  if (!scope_from_args ("report", &o, argc, argv, &kind, &value))
    return EXIT_USAGE;

  store = ih_cli_open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  report = ih_report_collect (store, kind, value, o.place, &error);
  if (report == NULL)
    {
      print_error ("report", error);
      return scope_error_status (error);
    }
  if (report->represent_error)
    g_printerr (_("insight-hub-cli report: the report has no representativeness table: %s\n"),
                report->represent_error);
  if (!ih_report_write_pdf (report, output, &error))
    {
      print_error ("report", error);
      return EXIT_FAILED;
    }
  {
    g_autofree char *insight = ih_cli_format_count (report->n_insight);

    g_printerr (_("Wrote %s (insight: %s, quotes: %u, actions: %u)\n"), output,
                insight, report->quotes->len, report->actions->len);
  }
  return EXIT_OK;
}
