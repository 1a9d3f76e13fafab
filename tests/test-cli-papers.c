/* test-cli-papers.c — insight-hub-cli meeting … and paper … as a script
 * would use them: output lines, exit codes, files written
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ih-blobs.h"
#include "ih-test-pdf.h"

static char *cli_path;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs the CLI on the test's database with a NULL-terminated argument list */
static void
run_cli (Run *run,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;
  int wait_status;

  g_ptr_array_add (argv, g_strdup (cli_path));
  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_build_filename (g_get_user_data_dir (), "db", "insight-hub.db", NULL));
  va_start (args, run);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  run_clear (run);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &run->out, &run->err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
  g_test_message ("exit %d\n%s%s", run->status, run->out, run->err);
}

static char *
data_path (const char *name)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "files", NULL);

  g_mkdir_with_parents (dir, 0700);
  return g_build_filename (dir, name, NULL);
}

/* The output line about @file */
static const char *
line_for (const char *out,
          const char *file)
{
  g_autofree char *prefix = g_strdup_printf ("%s: ", file);
  const char *line = strstr (out, prefix);

  g_assert_nonnull (line);
  return line + strlen (prefix);
}

static char *
add_meeting (const char *body,
             const char *date)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, "meeting", "add", "--body", body, "--date", date, "--title", "Meeting in public",
           "--place", "Shire Hall", "--agenda", "Welcome", "--agenda", "Patient story", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_strstrip (run.out);
  g_assert_true (g_uuid_string_is_valid (run.out));
  return g_steal_pointer (&run.out);
}

static void
test_meetings (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *past = add_meeting ("Stroud locality partnership", "2020-05-01");
  g_autofree char *future = add_meeting ("ICB Board", "05/03/2099");
  const char *upcoming, *was;

  run_cli (&run, "meeting", "list", NULL);
  g_assert_cmpint (run.status, ==, 0);
  upcoming = strstr (run.out, "Upcoming:");
  was = strstr (run.out, "Past:");
  g_assert_nonnull (upcoming);
  g_assert_nonnull (was);
  g_assert_true (upcoming < strstr (run.out, future));
  g_assert_true (strstr (run.out, future) < was);
  g_assert_true (was < strstr (run.out, past));
  g_assert_nonnull (strstr (run.out, "2099-03-05"));
  g_assert_nonnull (strstr (run.out, "ICB Board — Meeting in public · 0 papers"));

  /* Available offline */
  run_cli (&run, "meeting", "offline", future, "on", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_cli (&run, "meeting", "list", NULL);
  g_assert_nonnull (strstr (run.out, "available offline"));
  run_cli (&run, "meeting", "offline", "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "on", NULL);
  g_assert_cmpint (run.status, ==, 2);

  /* A public question */
  run_cli (&run, "meeting", "question", future, "--question", "When does the unit reopen?",
           "--asked-by", "A resident", "--answer", "In May", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_uuid_string_is_valid (g_strstrip (run.out)));

  /* Wrong usage */
  run_cli (&run, "meeting", "add", "--date", "2026-01-01", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--body"));
  run_cli (&run, "meeting", "add", "--body", "ICB Board", "--date", "2026-02-30", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "not a date"));
  run_cli (&run, "meeting", "frobnicate", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_cli (&run, "meeting", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "add"));
}

static void
make_encrypted (const char *plain,
                const char *locked)
{
  g_autofree char *qpdf = g_find_program_in_path ("qpdf");
  g_autoptr(GError) error = NULL;
  const char *argv[] = { NULL, "--encrypt", "board-secret", "owner", "256", "--", plain, locked, NULL };
  int status;

  g_assert_nonnull (qpdf);
  argv[0] = qpdf;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
}

static void
test_add_folder (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *meeting = add_meeting ("ICB Board", "2026-03-05");
  g_autofree char *folder = data_path ("board-pack");
  g_autofree char *good = NULL, *long_paper = NULL, *empty = NULL, *noise = NULL;
  g_autofree char *png = NULL, *locked = NULL, *truncated = NULL, *text_file = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *blob = NULL;
  gsize len;

  g_mkdir_with_parents (folder, 0700);
  good = g_build_filename (folder, "01_Urgent-care.pdf", NULL);
  long_paper = g_build_filename (folder, "02 Finance.pdf", NULL);
  empty = g_build_filename (folder, "03 empty.pdf", NULL);
  noise = g_build_filename (folder, "04 noise.pdf", NULL);
  png = g_build_filename (folder, "05 picture.PDF", NULL);
  locked = g_build_filename (folder, "06 locked.pdf", NULL);
  truncated = g_build_filename (folder, "07 truncated.pdf", NULL);
  text_file = g_build_filename (folder, "notes.txt", NULL);

  test_make_pdf (good, 4, 2, "discharge");
  test_make_pdf_full (long_paper, 120, TEST_PAGE_WIDTH, TEST_PAGE_HEIGHT, 2, 99, "overspend", FALSE);
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_true (g_file_set_contents (noise, "\x01\x02 not a pdf at all", -1, NULL));
  {
    cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 8, 8);

    g_assert_cmpint (cairo_surface_write_to_png (image, png), ==, CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy (image);
  }
  make_encrypted (good, locked);
  g_assert_true (g_file_get_contents (long_paper, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (truncated, contents, (gssize) (len / 2), NULL));
  g_assert_true (g_file_set_contents (text_file, "not a paper", -1, NULL));

  run_cli (&run, "paper", "add", folder, "--meeting", meeting, NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_true (g_str_has_prefix (line_for (run.out, good), "added, 4 pages, as “01 Urgent care” ("));
  g_assert_true (g_str_has_prefix (line_for (run.out, long_paper), "added, 120 pages"));
  g_assert_true (g_str_has_prefix (line_for (run.out, empty), "refused: “03 empty.pdf” is empty"));
  g_assert_true (g_str_has_prefix (line_for (run.out, noise), "refused: “04 noise.pdf” is not a PDF"));
  g_assert_true (g_str_has_prefix (line_for (run.out, png), "refused: “05 picture.PDF” is not a PDF: it is a PNG image"));
  g_assert_true (g_str_has_prefix (line_for (run.out, locked), "refused: “06 locked.pdf” is protected by a password"));
  g_assert_nonnull (strstr (line_for (run.out, locked), "--password"));
  g_assert_true (g_str_has_prefix (line_for (run.out, truncated), "refused: “07 truncated.pdf” is damaged"));
  /* Only PDFs are taken from a folder, one line each */
  g_assert_null (strstr (run.out, "notes.txt"));
  {
    g_auto(GStrv) lines = g_strsplit (g_strstrip (run.out), "\n", -1);

    g_assert_cmpuint (g_strv_length (lines), ==, 7);
  }
  g_assert_nonnull (strstr (run.err, "2 added, 0 already present, 5 refused"));

  /* The file is in the blob store beside the database */
  sha = ih_blobs_hash_file (good, NULL, NULL);
  {
    g_autofree char *folder_of_blobs = g_build_filename (g_get_user_data_dir (), "db", "blobs", NULL);
    g_autoptr(IhBlobs) blobs = ih_blobs_new (folder_of_blobs);

    blob = ih_blobs_get_path (blobs, sha, NULL);
    g_assert_nonnull (blob);
    g_assert_true (ih_blobs_verify (blobs, sha, NULL, NULL));
  }

  /* Again: already present, exit 0 for those; the password opens the locked one */
  run_cli (&run, "paper", "add", good, long_paper, locked, "--password", "board-secret", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (line_for (run.out, good), "already present as “01 Urgent care”"));
  g_assert_true (g_str_has_prefix (line_for (run.out, long_paper), "already present"));
  g_assert_true (g_str_has_prefix (line_for (run.out, locked), "added, 4 pages"));
  run_cli (&run, "paper", "add", truncated, "--password", "wrong", NULL);
  g_assert_cmpint (run.status, ==, 3);

  /* --title for one file only; a meeting that exists */
  run_cli (&run, "paper", "add", good, long_paper, "--title", "Two papers", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_cli (&run, "paper", "add", good, "--meeting", "1b4e28ba-2fa1-11d2-883f-0016d3cca427", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "no meeting"));

  /* Search finds the page */
  run_cli (&run, "paper", "search", "overspend", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "1. 02 Finance, page 100 · ICB Board — 2026-03-05"));
  g_assert_nonnull (strstr (run.out, "[overspend]"));
  g_assert_null (strstr (run.out, "2. "));
  run_cli (&run, "paper", "search", "colour:red", NULL);
  g_assert_cmpint (run.status, ==, 2);

  /* Listed with their page counts; the meeting counts them */
  run_cli (&run, "paper", "list", "--meeting", meeting, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "01 Urgent care · 4 pages · ICB Board 2026-03-05"));
  g_assert_nonnull (strstr (run.out, "02 Finance · 120 pages"));
  g_assert_null (strstr (run.out, "not on this computer"));

  /* A paper whose file is gone says so plainly */
  g_assert_cmpint (g_unlink (blob), ==, 0);
  run_cli (&run, "paper", "list", NULL);
  g_assert_nonnull (strstr (run.out, "01 Urgent care · 4 pages · ICB Board 2026-03-05 · not on this computer"));
  {
    g_autofree char *id = NULL;
    const char *line = strstr (run.out, "01 Urgent care");

    /* The id starts the line */
    while (line > run.out && line[-1] != '\n')
      line--;
    id = g_strndup (line, 36);
    g_assert_true (g_uuid_string_is_valid (id));
    run_cli (&run, "paper", "render", id, "--page", "1", "--output", "x.png", NULL);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "not on this computer"));
  }

  /* Adding the file again brings it back */
  run_cli (&run, "paper", "add", good, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_test (blob, G_FILE_TEST_IS_REGULAR));
}

static cairo_surface_t *
load_png (const char *path)
{
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  return surface;
}

static guint
count_dark (cairo_surface_t *surface)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint dark = 0;

  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      dark += (*(const guint32 *) (data + y * stride + x * 4) & 0xff) < 128;
  return dark;
}

static void
test_render (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *pdf = data_path ("render.pdf");
  g_autofree char *poster = data_path ("poster.pdf");
  g_autofree char *png = data_path ("page.png");
  g_autofree char *sha = NULL;
  static const struct
  {
    const char *zoom;
    int         width;
    int         height;
  } zooms[] = {
    { "50", 298, 421 },
    { "100", 595, 842 },
    { "200", 1190, 1684 },
  };

  test_make_pdf (pdf, 3, 1, "discharge");

  for (guint i = 0; i < G_N_ELEMENTS (zooms); i++)
    {
      cairo_surface_t *image;
      g_autofree char *said = g_strdup_printf ("page 2 of 3, %d × %d pixels", zooms[i].width, zooms[i].height);

      g_unlink (png);
      run_cli (&run, "paper", "render", pdf, "--page", "2", "--output", png, "--zoom", zooms[i].zoom, NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_nonnull (strstr (run.out, said));
      image = load_png (png);
      g_assert_cmpint (cairo_image_surface_get_width (image), ==, zooms[i].width);
      g_assert_cmpint (cairo_image_surface_get_height (image), ==, zooms[i].height);
      /* The square alone is 100 × 100 points of black */
      g_assert_cmpuint (count_dark (image), >, 0.9 * 100 * 100 * atof (zooms[i].zoom) / 100 * atof (zooms[i].zoom) / 100);
      cairo_surface_destroy (image);
    }

  /* By sha256 once it is in the store, the same picture */
  run_cli (&run, "paper", "add", pdf, NULL);
  g_assert_cmpint (run.status, ==, 0);
  sha = ih_blobs_hash_file (pdf, NULL, NULL);
  g_unlink (png);
  run_cli (&run, "paper", "render", sha, "--page", "2", "--output", png, "--zoom", "200", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));

  /* Wrong page, zoom, missing output: usage */
  run_cli (&run, "paper", "render", pdf, "--page", "4", "--output", png, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "has 3 pages"));
  run_cli (&run, "paper", "render", pdf, "--page", "0", "--output", png, NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_cli (&run, "paper", "render", pdf, "--zoom", "0", "--output", png, NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_cli (&run, "paper", "render", pdf, NULL);
  g_assert_cmpint (run.status, ==, 2);

  /* A missing file, a 14,400-point page at 100 %: clear messages */
  run_cli (&run, "paper", "render", "no-such.pdf", "--output", png, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "“no-such.pdf” does not exist"));
  test_make_pdf_full (poster, 1, 14400, 14400, 2, -1, NULL, FALSE);
  run_cli (&run, "paper", "render", poster, "--output", png, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "14400 × 14400 pixels"));
  run_cli (&run, "paper", "render", poster, "--output", png, "--zoom", "5", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "720 × 720 pixels"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (int i = 1; i + 1 < argc; i++)
    if (strcmp (argv[i], "--cli") == 0)
      cli_path = g_strdup (argv[i + 1]);
  g_assert_nonnull (cli_path);

  g_test_add_func ("/cli/papers/meetings", test_meetings);
  g_test_add_func ("/cli/papers/add-folder", test_add_folder);
  g_test_add_func ("/cli/papers/render", test_render);

  return g_test_run ();
}
