/* ih-query.c
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-query"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ih-query.h"
#include "ih-record.h"

char *
ih_query_tag (const char *prefix,
              const char *value)
{
  g_autofree char *decomposed = NULL;
  g_autofree char *folded = NULL;
  GString *tag;
  gsize prefix_len;

  g_return_val_if_fail (prefix != NULL, NULL);

  if (value == NULL || !g_utf8_validate (value, -1, NULL))
    return NULL;

  /* Decompose so that accents become separate marks we can drop */
  decomposed = g_utf8_normalize (value, -1, G_NORMALIZE_NFKD);
  folded = g_utf8_casefold (decomposed, -1);

  tag = g_string_new (prefix);
  prefix_len = tag->len;
  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (tag, c);
    }

  if (tag->len == prefix_len)
    {
      g_string_free (tag, TRUE);
      return NULL;
    }

  return g_string_free (tag, FALSE);
}

/* The search language
 *
 *   query   := item*
 *   item    := term ("OR" term)*
 *   term    := ["-"] (word | phrase | filter)
 *   word    := characters up to white space or a quote, "*" at the end
 *              asks for a prefix
 *   phrase  := quote characters [quote] ["*"]   (an unclosed quote runs to
 *              the end of the text)
 *   filter  := name ":" (word | phrase)         (name is ASCII letters only)
 *
 * Parsing is two small steps: the text is cut into a flat list of terms
 * (with OR as a term of its own), then the list is checked and written out
 * as an FTS5 expression in which every piece of user text is a string
 * literal. Only fixed column names and operators appear outside literals.
 */

#define TEXT_COLUMNS "{text context} : "
#define TAGS_COLUMN  "tags : "

typedef enum
{
  TERM_TEXT,    /* a word or phrase, searched in text and context */
  TERM_TAG,     /* a filter, searched in tags */
  TERM_AFTER,
  TERM_BEFORE,
  TERM_OR,
} TermKind;

typedef struct
{
  TermKind  kind;
  char     *value;     /* words, tag token or "YYYY-MM-DD"; NULL for OR */
  gboolean  negated;
  gboolean  prefix;
} Term;

typedef enum
{
  FILTER_THEME,
  FILTER_KIND,
  FILTER_PLACE,
  FILTER_SENTIMENT,
  FILTER_HAS,
  FILTER_AFTER,
  FILTER_BEFORE,
} FilterId;

typedef struct
{
  const char *name;
  FilterId    id;
} Filter;

static const Filter filters[] = {
  { "theme", FILTER_THEME },
  { "kind", FILTER_KIND },
  { "place", FILTER_PLACE },
  { "sentiment", FILTER_SENTIMENT },
  { "has", FILTER_HAS },
  { "after", FILTER_AFTER },
  { "before", FILTER_BEFORE },
};

typedef struct
{
  const char   *p;        /* read position in the cleaned text */
  IhQueryFlags  flags;
  GPtrArray    *terms;    /* of Term */
  guint         n_terms;  /* not counting OR */
} Lexer;

struct _IhQuery
{
  char     *match;
  char     *after;
  char     *before;
  gboolean  has_words;   /* a word or phrase to rank by, not only filters */
};

G_DEFINE_QUARK (ih-query-error-quark, ih_query_error)

static void
term_free (gpointer data)
{
  Term *term = data;

  g_free (term->value);
  g_free (term);
}

static void
add_term (Lexer    *lx,
          TermKind  kind,
          char     *value,
          gboolean  negated,
          gboolean  prefix)
{
  Term *term = g_new0 (Term, 1);

  term->kind = kind;
  term->value = value;
  term->negated = negated;
  term->prefix = prefix;
  g_ptr_array_add (lx->terms, term);

  if (kind != TERM_OR)
    lx->n_terms++;
}

/* Straight quotes, and the curly ones word processors and phones put in
 * when people paste or type a phrase. */
static gboolean
is_quote (gunichar c)
{
  return c == '"' || c == 0x201C || c == 0x201D || c == 0x201E;
}

static gboolean
is_space_at (const char *p)
{
  return *p != '\0' && g_unichar_isspace (g_utf8_get_char (p));
}

static const char *
skip_space (const char *p)
{
  while (is_space_at (p))
    p = g_utf8_next_char (p);
  return p;
}

/* Control characters can only come from pasting; they separate words just
 * like spaces, so make them spaces and never carry them into the index
 * query. */
static char *
clean_text (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        g_string_append_c (out, ' ');
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }

  return g_string_free (out, FALSE);
}

/* Words made only of punctuation tokenize to nothing, so searching for them
 * would be meaningless. */
static gboolean
has_alnum (const char *s)
{
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* *pp is at an opening quote. Returns what is inside and moves past the
 * closing quote, or to the end when there is none. */
static char *
read_quoted (const char **pp)
{
  const char *start;
  const char *p;
  char *value;

  g_assert (is_quote (g_utf8_get_char (*pp)));

  start = g_utf8_next_char (*pp);
  for (p = start; *p && !is_quote (g_utf8_get_char (p)); p = g_utf8_next_char (p))
    ;
  value = g_strndup (start, p - start);
  if (*p)
    p = g_utf8_next_char (p);
  *pp = p;

  return value;
}

/* A word runs to white space or a quote, so `foo"bar baz"` is a word and a
 * phrase. */
static char *
read_word (const char **pp)
{
  const char *start = *pp;
  const char *p;

  for (p = start; *p && !is_space_at (p) && !is_quote (g_utf8_get_char (p)); p = g_utf8_next_char (p))
    ;
  *pp = p;

  return g_strndup (start, p - start);
}

static gboolean
is_filter_name (const char *s,
                gsize       len)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalpha (s[i]))
      return FALSE;
  return TRUE;
}

static const Filter *
lookup_filter (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    if (strcmp (filters[i].name, name) == 0)
      return &filters[i];
  return NULL;
}

static char *
filter_list (void)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    g_string_append_printf (list, "%s%s:", i > 0 ? ", " : "", filters[i].name);

  return g_string_free (list, FALSE);
}

static char *
vocab_list (const char *vocab1,
            const char *vocab2)
{
  GString *list = g_string_new (NULL);
  const char *vocabs[] = { vocab1, vocab2 };

  for (guint i = 0; i < G_N_ELEMENTS (vocabs); i++)
    {
      const char * const *keys;

      if (vocabs[i] == NULL)
        continue;

      keys = ih_vocab_keys (vocabs[i]);
      for (guint j = 0; keys[j]; j++)
        g_string_append_printf (list, "%s%s", list->len > 0 ? ", " : "", keys[j]);
    }

  return g_string_free (list, FALSE);
}

/* YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date, as a full
 * "YYYY-MM-DD"; NULL for anything else. */
static char *
normalize_date (const char *text)
{
  gsize len = strlen (text);
  guint year;
  guint month = 1;
  guint day = 1;

  if (len != 4 && len != 7 && len != 10)
    return NULL;

  for (gsize i = 0; i < len; i++)
    {
      if (i == 4 || i == 7)
        {
          if (text[i] != '-')
            return NULL;
        }
      else if (!g_ascii_isdigit (text[i]))
        {
          return NULL;
        }
    }

  year = (guint) g_ascii_digit_value (text[0]) * 1000 + g_ascii_digit_value (text[1]) * 100 +
         g_ascii_digit_value (text[2]) * 10 + g_ascii_digit_value (text[3]);
  if (len >= 7)
    month = (guint) g_ascii_digit_value (text[5]) * 10 + g_ascii_digit_value (text[6]);
  if (len == 10)
    day = (guint) g_ascii_digit_value (text[8]) * 10 + g_ascii_digit_value (text[9]);

  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return NULL;

  return g_strdup_printf ("%04u-%02u-%02u", year, month, day);
}

static void
lex_word (Lexer    *lx,
          char     *word,
          gboolean  negated)
{
  gsize len = strlen (word);
  gboolean prefix = FALSE;

  while (len > 0 && word[len - 1] == '*')
    {
      word[--len] = '\0';
      prefix = TRUE;
    }

  if (!has_alnum (word))
    {
      g_free (word);
      return;
    }

  /* Search-as-you-type: a word still being typed is a prefix, from its
   * second character: the index has prefixes of two and three characters,
   * and one letter would match most of the vocabulary */
  if ((lx->flags & IH_QUERY_FLAG_PREFIX_LAST) && !negated && *lx->p == '\0' &&
      g_utf8_strlen (word, -1) >= 2)
    prefix = TRUE;

  add_term (lx, TERM_TEXT, word, negated, prefix);
}

static gboolean
lex_filter (Lexer       *lx,
            const char  *word,
            const char  *colon,
            gboolean     negated,
            GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;
  gboolean quoted = FALSE;
  const Filter *filter;
  const char *key;
  char *tag;

  g_assert (colon > word);

  name = g_ascii_strdown (word, colon - word);
  if (colon[1] == '\0' && is_quote (g_utf8_get_char (lx->p)))
    {
      value = read_quoted (&lx->p);
      quoted = TRUE;
    }
  else
    value = g_strdup (colon + 1);

  filter = lookup_filter (name);
  if (filter == NULL)
    {
      g_autofree char *known = NULL;

      /* "Note:" or "Re:" with nothing after it is ordinary text */
      if (*value == '\0' && !quoted)
        {
          lex_word (lx, g_strdup (word), negated);
          return TRUE;
        }

      known = filter_list ();
      g_set_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_UNKNOWN_FILTER,
                   _("There is no “%s:” filter. You can use %s."), name, known);
      return FALSE;
    }

  if (*value == '\0')
    {
      /* Someone typing "theme:" has not got to the value yet */
      if ((lx->flags & IH_QUERY_FLAG_PREFIX_LAST) && *skip_space (lx->p) == '\0')
        return TRUE;

      g_set_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_BAD_VALUE,
                   _("“%s:” needs a value after the colon."), name);
      return FALSE;
    }

  switch (filter->id)
    {
    case FILTER_THEME:
    case FILTER_PLACE:
      tag = ih_query_tag (filter->id == FILTER_THEME ? "th" : "pl", value);
      if (tag == NULL)
        {
          g_set_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_BAD_VALUE,
                       _("“%s:%s” has no letters or numbers to search for."), name, value);
          return FALSE;
        }
      add_term (lx, TERM_TAG, tag, negated, FALSE);
      return TRUE;

    case FILTER_KIND:
      key = ih_vocab_normalize ("activity-kind", value);
      if (key == NULL)
        key = ih_vocab_normalize ("insight-kind", value);
      if (key == NULL)
        {
          g_autofree char *valid = vocab_list ("activity-kind", "insight-kind");

          g_set_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_BAD_VALUE,
                       _("“%s” is not a kind of activity or insight. Use one of: %s."), value, valid);
          return FALSE;
        }
      add_term (lx, TERM_TAG, ih_query_tag ("kd", key), negated, FALSE);
      return TRUE;

    case FILTER_SENTIMENT:
      key = ih_vocab_normalize ("sentiment", value);
      if (key == NULL)
        {
          g_autofree char *valid = vocab_list ("sentiment", NULL);

          g_set_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_BAD_VALUE,
                       _("“%s” is not a sentiment. Use one of: %s."), value, valid);
          return FALSE;
        }
      add_term (lx, TERM_TAG, ih_query_tag ("se", key), negated, FALSE);
      return TRUE;

    case FILTER_HAS:
      {
        g_autofree char *slug = ih_query_tag ("", value);

        if (g_strcmp0 (slug, "paper") != 0)
          {
            g_set_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_BAD_VALUE,
                         _("“has:%s” is not something to filter on. Use “has:paper”."), value);
            return FALSE;
          }
        add_term (lx, TERM_TAG, g_strdup ("haspaper"), negated, FALSE);
        return TRUE;
      }

    case FILTER_AFTER:
    case FILTER_BEFORE:
      {
        char *date;

        if (negated)
          {
            g_set_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_SYNTAX,
                         _("Dates cannot be left out with “-”. Use “after:” or “before:” instead."));
            return FALSE;
          }

        date = normalize_date (value);
        if (date == NULL)
          {
            g_set_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_BAD_VALUE,
                         _("“%s” is not a date. Write dates like 2024, 2024-03 or 2024-03-15."), value);
            return FALSE;
          }
        add_term (lx, filter->id == FILTER_AFTER ? TERM_AFTER : TERM_BEFORE, date, FALSE, FALSE);
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

static gboolean
lex (Lexer   *lx,
     GError **error)
{
  for (;;)
    {
      gboolean negated = FALSE;
      char *word;
      const char *colon;

      lx->p = skip_space (lx->p);
      if (*lx->p == '\0')
        return TRUE;

      /* A lone "-" is just punctuation */
      if (*lx->p == '-' && lx->p[1] != '\0' && !is_space_at (lx->p + 1))
        {
          negated = TRUE;
          lx->p++;
        }

      if (is_quote (g_utf8_get_char (lx->p)))
        {
          char *phrase = read_quoted (&lx->p);
          gboolean prefix = FALSE;

          while (*lx->p == '*')
            {
              prefix = TRUE;
              lx->p++;
            }

          if (has_alnum (phrase))
            add_term (lx, TERM_TEXT, phrase, negated, prefix);
          else
            g_free (phrase);
          continue;
        }

      word = read_word (&lx->p);

      if (!negated && strcmp (word, "OR") == 0)
        {
          g_free (word);
          add_term (lx, TERM_OR, NULL, FALSE, FALSE);
          continue;
        }

      /* Only letters before the colon make a filter, so times (10:30) and
       * web addresses (https://…) stay words. */
      colon = strchr (word, ':');
      if (colon != NULL && is_filter_name (word, colon - word) && !g_str_has_prefix (colon + 1, "//"))
        {
          gboolean ok = lex_filter (lx, word, colon, negated, error);

          g_free (word);
          if (!ok)
            return FALSE;
          continue;
        }

      lex_word (lx, word, negated);
    }
}

/* OR joins the two positive search terms either side of it. */
static gboolean
check_or (GPtrArray  *terms,
          GError    **error)
{
  for (guint i = 0; i < terms->len; i++)
    {
      const Term *term = g_ptr_array_index (terms, i);
      const Term *prev;
      const Term *next;

      if (term->kind != TERM_OR)
        continue;

      prev = i > 0 ? g_ptr_array_index (terms, i - 1) : NULL;
      next = i + 1 < terms->len ? g_ptr_array_index (terms, i + 1) : NULL;

      if (prev == NULL || next == NULL || prev->kind == TERM_OR || next->kind == TERM_OR)
        {
          g_set_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_SYNTAX,
                       _("“OR” needs something to search for on both sides, as in “bus OR train”."));
          return FALSE;
        }

      if (prev->negated || next->negated)
        {
          g_set_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_SYNTAX,
                       _("A word left out with “-” cannot be part of an “OR”."));
          return FALSE;
        }

      if (prev->kind == TERM_AFTER || prev->kind == TERM_BEFORE ||
          next->kind == TERM_AFTER || next->kind == TERM_BEFORE)
        {
          g_set_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_SYNTAX,
                       _("“after:” and “before:” cannot be part of an “OR”."));
          return FALSE;
        }
    }

  return TRUE;
}

/* User text only ever goes into MATCH as an FTS5 string, so none of its
 * characters can act as query syntax. */
static void
append_literal (GString    *out,
                const char *value)
{
  g_string_append_c (out, '"');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_term (GString    *out,
             const Term *term)
{
  g_assert (term->kind == TERM_TEXT || term->kind == TERM_TAG);

  g_string_append (out, term->kind == TERM_TEXT ? TEXT_COLUMNS : TAGS_COLUMN);
  append_literal (out, term->value);
  if (term->prefix)
    g_string_append (out, " *");
}

static void
compile (IhQuery   *query,
         GPtrArray *terms)
{
  g_autoptr(GString) positive = g_string_new (NULL);
  g_autoptr(GString) negative = g_string_new (NULL);
  guint i = 0;

  while (i < terms->len)
    {
      const Term *term = g_ptr_array_index (terms, i);
      guint last;

      g_assert (term->kind != TERM_OR);

      if (term->kind == TERM_AFTER)
        {
          if (query->after == NULL || strcmp (term->value, query->after) > 0)
            {
              g_free (query->after);
              query->after = g_strdup (term->value);
            }
          i++;
          continue;
        }

      if (term->kind == TERM_BEFORE)
        {
          if (query->before == NULL || strcmp (term->value, query->before) < 0)
            {
              g_free (query->before);
              query->before = g_strdup (term->value);
            }
          i++;
          continue;
        }

      if (term->negated)
        {
          g_string_append (negative, " NOT (");
          append_term (negative, term);
          g_string_append_c (negative, ')');
          i++;
          continue;
        }

      /* check_or() made sure every OR sits between two positive terms */
      last = i;
      while (last + 2 < terms->len && ((Term *) g_ptr_array_index (terms, last + 1))->kind == TERM_OR)
        last += 2;

      if (positive->len > 0)
        g_string_append (positive, " AND ");

      if (last == i)
        {
          append_term (positive, term);
        }
      else
        {
          g_string_append_c (positive, '(');
          for (guint j = i; j <= last; j += 2)
            {
              if (j > i)
                g_string_append (positive, " OR ");
              append_term (positive, g_ptr_array_index (terms, j));
            }
          g_string_append_c (positive, ')');
        }

      i = last + 1;
    }

  if (negative->len == 0)
    {
      if (positive->len > 0)
        query->match = g_strdup (positive->str);
      return;
    }

  /* FTS5 NOT needs something on its left; every insight carries "ihall" */
  if (positive->len == 0)
    g_string_append (positive, TAGS_COLUMN "\"ihall\"");

  query->match = g_strdup_printf ("(%s)%s", positive->str, negative->str);
}

IhQuery *
ih_query_parse (const char    *text,
                IhQueryFlags   flags,
                GError       **error)
{
  g_autoptr(IhQuery) query = NULL;
  g_autoptr(GPtrArray) terms = NULL;
  g_autofree char *cleaned = NULL;
  Lexer lx = { 0 };
  glong n_chars;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail ((flags & ~IH_QUERY_FLAG_PREFIX_LAST) == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_ENCODING,
                   _("This search contains characters that could not be read."));
      return NULL;
    }

  n_chars = g_utf8_strlen (text, -1);
  if (n_chars > IH_QUERY_MAX_CHARS)
    {
      g_set_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_TOO_LONG,
                   _("This search is %ld characters long; the most is %d."),
                   n_chars, IH_QUERY_MAX_CHARS);
      return NULL;
    }

  cleaned = clean_text (text);
  terms = g_ptr_array_new_with_free_func (term_free);
  lx.p = cleaned;
  lx.flags = flags;
  lx.terms = terms;

  if (!lex (&lx, error))
    return NULL;

  if (lx.n_terms > IH_QUERY_MAX_TERMS)
    {
      g_set_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_TOO_LONG,
                   _("This search has %u words and filters; the most is %d."),
                   lx.n_terms, IH_QUERY_MAX_TERMS);
      return NULL;
    }

  if (!check_or (terms, error))
    return NULL;

  query = g_new0 (IhQuery, 1);
  compile (query, terms);
  for (guint i = 0; i < terms->len; i++)
    {
      const Term *term = g_ptr_array_index (terms, i);

      if (term->kind == TERM_TEXT && !term->negated)
        query->has_words = TRUE;
    }

  /* Reversed dates are almost always a slip, so say so rather than quietly
   * finding nothing. */
  if (query->after != NULL && query->before != NULL && strcmp (query->after, query->before) >= 0)
    {
      g_set_error (error, IH_QUERY_ERROR, IH_QUERY_ERROR_BAD_VALUE,
                   _("Nothing can be both on or after %s and before %s. Check the “after:” and “before:” dates."),
                   query->after, query->before);
      return NULL;
    }

  return g_steal_pointer (&query);
}

void
ih_query_free (IhQuery *query)
{
  if (query == NULL)
    return;

  g_free (query->match);
  g_free (query->after);
  g_free (query->before);
  g_free (query);
}

const char *
ih_query_get_match (IhQuery *query)
{
  g_return_val_if_fail (query != NULL, NULL);

  return query->match;
}

const char *
ih_query_get_after (IhQuery *query)
{
  g_return_val_if_fail (query != NULL, NULL);

  return query->after;
}

const char *
ih_query_get_before (IhQuery *query)
{
  g_return_val_if_fail (query != NULL, NULL);

  return query->before;
}

gboolean
ih_query_has_words (IhQuery *query)
{
  g_return_val_if_fail (query != NULL, FALSE);

  return query->has_words;
}

gboolean
ih_query_is_empty (IhQuery *query)
{
  g_return_val_if_fail (query != NULL, TRUE);

  return query->match == NULL && query->after == NULL && query->before == NULL;
}
