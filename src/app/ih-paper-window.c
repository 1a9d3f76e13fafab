/* ih-paper-window.c — a window to read one board paper
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ih-paper-window"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>

#include "ih-blobs.h"
#include "ih-paper-window.h"
#include "ih-resources.h"

#define THUMB_WIDTH 120
/* Printing never renders a page above this resolution */
#define PRINT_MAX_DPI 300.0

struct _IhPaperWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template Widgets */
  AdwWindowTitle       *window_title;
  GtkToggleButton      *sidebar_button;
  GtkWidget            *page_box;
  GtkEntry             *page_entry;
  GtkLabel             *n_pages_label;
  GtkToggleButton      *find_button;
  GtkMenuButton        *zoom_button;
  GtkWidget            *zoom_squeezer;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkLabel             *match_label;
  GtkStack             *stack;
  GtkSpinner           *spinner;
  AdwStatusPage        *error_page;
  GtkWidget            *sidebar;
  GtkStack             *sidebar_stack;
  GtkListView          *thumbnails;
  GtkStack             *outline_stack;
  GtkListBox           *outline_list;
  IhPdfView            *view;

  /* Owned References */
  GCancellable         *cancellable;
  IhPdfDocument        *document;
  IhPdfDocument        *print_document;
  GtkSingleSelection   *thumb_selection;
  char                 *path;
  char                 *title;
  char                 *key;
  char                 *error;
  char                 *wanted_find;     /* found once the file is open */
  char                 *find_text;       /* what the view was last asked to find */

  guint                 save_source;
  int                   wanted_page;     /* -1: the last page read */
  gboolean              syncing_thumbs;
};

G_DEFINE_FINAL_TYPE (IhPaperWindow, ih_paper_window, ADW_TYPE_APPLICATION_WINDOW)

static void update_match_label (IhPaperWindow *self);
static void show_error (IhPaperWindow *self,
                        const char    *title,
                        const char    *message);

IhPaperWindow *
ih_paper_window_new (GtkApplication *app)
{
  g_return_val_if_fail (app == NULL || GTK_IS_APPLICATION (app), NULL);

  return g_object_new (IH_TYPE_PAPER_WINDOW,
                       "application", app,
                       NULL);
}

void
ih_paper_window_show_page (IhPaperWindow *self,
                           int            page_index)
{
  g_return_if_fail (IH_IS_PAPER_WINDOW (self));
  g_return_if_fail (page_index >= 0);

  if (self->document != NULL && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "document") == 0)
    ih_pdf_view_set_page (self->view, page_index);
  else
    self->wanted_page = page_index;
}

static void
start_find (IhPaperWindow *self,
            const char    *words)
{
  g_assert (IH_IS_PAPER_WINDOW (self));

  g_free (self->find_text);
  self->find_text = g_strdup (words);
  /* The entry's own "search-changed" then sees it is already found */
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), words);
  ih_pdf_view_find (self->view, words);
  update_match_label (self);
}

void
ih_paper_window_find (IhPaperWindow *self,
                      const char    *words)
{
  g_return_if_fail (IH_IS_PAPER_WINDOW (self));
  g_return_if_fail (words != NULL);

  if (*words == '\0')
    return;

  if (self->document != NULL && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "document") == 0)
    start_find (self, words);
  else
    {
      g_free (self->wanted_find);
      self->wanted_find = g_strdup (words);
    }
}

void
ih_paper_window_show_unavailable (IhPaperWindow *self,
                                  const char    *title,
                                  const GError  *error)
{
  g_return_if_fail (IH_IS_PAPER_WINDOW (self));
  g_return_if_fail (error != NULL);

  g_cancellable_cancel (self->cancellable);
  if (title != NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), title);
      adw_window_title_set_title (self->window_title, title);
    }
  g_clear_pointer (&self->wanted_find, g_free);
  if (g_error_matches (error, IH_BLOBS_ERROR, IH_BLOBS_ERROR_MISSING))
    show_error (self, _("Not on This Computer"), error->message);
  else
    show_error (self, _("This Paper Cannot Be Opened"), error->message);
}

IhPdfView *
ih_paper_window_get_view (IhPaperWindow *self)
{
  g_return_val_if_fail (IH_IS_PAPER_WINDOW (self), NULL);
  return self->view;
}

const char *
ih_paper_window_get_state (IhPaperWindow *self)
{
  g_return_val_if_fail (IH_IS_PAPER_WINDOW (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "loading") == 0 &&
      !gtk_spinner_get_spinning (self->spinner))
    return "password";
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
ih_paper_window_get_error (IhPaperWindow *self)
{
  g_return_val_if_fail (IH_IS_PAPER_WINDOW (self), NULL);
  return self->error;
}

/*
 * Last page read
 */

char *
ih_paper_window_state_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "insight-hub", "papers.ini", NULL);
}

static char *
state_key (IhPaperWindow *self)
{
  g_autofree char *hash = NULL;

  /* Key files do not take every character in a key: hash what is not a
   * plain sha256 */
  if (self->key != NULL)
    hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, self->key, -1);
  else if (self->path != NULL)
    hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, self->path, -1);
  else
    return NULL;

  return g_strdup_printf ("paper-%s", hash);
}

static int
load_last_page (IhPaperWindow *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = ih_paper_window_state_path ();
  g_autofree char *key = state_key (self);
  int page;

  if (key == NULL || !g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL))
    return 0;

  page = g_key_file_get_integer (file, "last-page", key, NULL);
  return MAX (page - 1, 0);
}

void
ih_paper_window_save_state (IhPaperWindow *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = ih_paper_window_state_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *key = state_key (self);

  g_return_if_fail (IH_IS_PAPER_WINDOW (self));

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (key == NULL || self->document == NULL)
    return;

  g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  g_key_file_set_integer (file, "last-page", key, ih_pdf_view_get_page (self->view) + 1);

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_key_file_save_to_file (file, path, &error))
    g_warning ("Cannot remember the last page read in %s: %s", path,
               error ? error->message : g_strerror (errno));
}

static gboolean
save_timeout_cb (gpointer data)
{
  IhPaperWindow *self = data;

  self->save_source = 0;
  ih_paper_window_save_state (self);
  return G_SOURCE_REMOVE;
}

/*
 * Page entry, zoom button, find label
 */

static void
update_page_entry (IhPaperWindow *self)
{
  g_autofree char *page = NULL;
  g_autofree char *n_pages = NULL;
  g_autofree char *accessible = NULL;
  int n = ih_pdf_view_get_n_pages (self->view);
  int current = ih_pdf_view_get_page (self->view) + 1;

  page = g_strdup_printf ("%d", current);
  /* Translators: after the page number entry, "of 40" */
  n_pages = g_strdup_printf (_("of %d"), n);
  gtk_editable_set_text (GTK_EDITABLE (self->page_entry), page);
  gtk_label_set_text (self->n_pages_label, n_pages);
  gtk_widget_remove_css_class (GTK_WIDGET (self->page_entry), "error");

  accessible = g_strdup_printf (_("Page %d of %d"), current, n);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->page_entry),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, accessible,
                                  -1);
}

static void
update_zoom_button (IhPaperWindow *self)
{
  g_autofree char *label = NULL;

  label = g_strdup_printf ("%d %%", (int) round (ih_pdf_view_get_zoom (self->view) * 100));
  gtk_menu_button_set_label (self->zoom_button, label);
}

static void
update_match_label (IhPaperWindow *self)
{
  g_autofree char *text = NULL;
  guint n = ih_pdf_view_get_n_matches (self->view);
  const char *find = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (*find == '\0')
    text = g_strdup ("");
  else if (ih_pdf_view_get_find_busy (self->view))
    text = g_strdup (_("Finding…"));
  else if (n == 0)
    text = g_strdup (_("No matches"));
  else
    /* Translators: the current match and how many there are, "3 of 12" */
    text = g_strdup_printf (_("%d of %u"), ih_pdf_view_get_current_match (self->view) + 1, n);

  gtk_label_set_text (self->match_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

/*
 * Thumbnails
 */

/* A thumbnail is a drawing area of a fixed size showing the rendered
 * page, so a rendering arriving only redraws it (a picture would ask the
 * whole sidebar to be laid out again) */
typedef struct
{
  GtkWidget    *area;
  GCancellable *cancellable;
} ThumbRequest;

static void
thumb_request_free (ThumbRequest *request)
{
  g_clear_object (&request->area);
  g_clear_object (&request->cancellable);
  g_free (request);
}

static void
cancel_and_unref (gpointer data)
{
  g_cancellable_cancel (data);
  g_object_unref (data);
}

static void
thumb_draw (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        data)
{
  cairo_surface_t *surface = g_object_get_data (G_OBJECT (area), "ih-surface");

  if (surface == NULL)
    {
      /* Light until the page comes */
      cairo_set_source_rgb (cr, 0.97, 0.97, 0.96);
      cairo_paint (cr);
      return;
    }

  cairo_scale (cr,
               (double) width / cairo_image_surface_get_width (surface),
               (double) height / cairo_image_surface_get_height (surface));
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
}

static void
thumb_set_surface (GtkWidget       *area,
                   cairo_surface_t *surface)
{
  g_object_set_data_full (G_OBJECT (area), "ih-surface",
                          surface ? cairo_surface_reference (surface) : NULL,
                          (GDestroyNotify) cairo_surface_destroy);
  gtk_widget_queue_draw (area);
}

static void
thumb_rendered_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ThumbRequest *request = user_data;
  cairo_surface_t *surface;

  surface = ih_page_cache_render_finish (IH_PAGE_CACHE (object), result, NULL);
  if (surface != NULL && !g_cancellable_is_cancelled (request->cancellable))
    thumb_set_surface (request->area, surface);
  g_clear_pointer (&surface, cairo_surface_destroy);
  thumb_request_free (request);
}

static void
thumb_setup_cb (IhPaperWindow            *self,
                GtkListItem              *item,
                GtkSignalListItemFactory *factory)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *area = gtk_drawing_area_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_halign (area, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), thumb_draw, NULL, NULL);
  gtk_widget_add_css_class (area, "card");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), area);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (item, box);
}

static void
thumb_bind_cb (IhPaperWindow            *self,
               GtkListItem              *item,
               GtkSignalListItemFactory *factory)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *area = gtk_widget_get_first_child (box);
  GtkLabel *label = GTK_LABEL (gtk_widget_get_last_child (box));
  GtkStringObject *string = gtk_list_item_get_item (item);
  int page = gtk_list_item_get_position (item);
  g_autofree char *alt = NULL;
  double width;
  double height;
  double scale;
  cairo_surface_t *surface;
  IhPageCache *cache = ih_pdf_view_get_cache (self->view);

  if (self->document != NULL)
    {
      g_autofree char *printed = ih_pdf_document_dup_page_label (self->document, page);

      gtk_label_set_text (label, printed ? printed : gtk_string_object_get_string (string));
    }
  alt = g_strdup_printf (_("Page %s"), gtk_string_object_get_string (string));
  gtk_accessible_update_property (GTK_ACCESSIBLE (area),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, alt,
                                  -1);
  thumb_set_surface (area, NULL);

  if (self->document == NULL ||
      !ih_pdf_document_get_page_size (self->document, page, &width, &height, NULL))
    return;

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), THUMB_WIDTH);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), (int) ceil (THUMB_WIDTH * height / width));
  scale = THUMB_WIDTH / width * gtk_widget_get_scale_factor (GTK_WIDGET (self));

  surface = ih_page_cache_lookup (cache, self->document, page, scale);
  if (surface != NULL)
    {
      thumb_set_surface (area, surface);
      cairo_surface_destroy (surface);
    }
  else
    {
      ThumbRequest *request = g_new0 (ThumbRequest, 1);

      request->area = g_object_ref (area);
      request->cancellable = g_cancellable_new ();
      /* Unbinding (scrolled out of the sidebar) cancels it */
      g_object_set_data_full (G_OBJECT (area), "ih-cancellable",
                              g_object_ref (request->cancellable), cancel_and_unref);
      ih_page_cache_render_async (cache, self->document, page, scale, G_PRIORITY_LOW,
                                  request->cancellable, thumb_rendered_cb, request);
    }
}

static void
thumb_unbind_cb (IhPaperWindow            *self,
                 GtkListItem              *item,
                 GtkSignalListItemFactory *factory)
{
  GtkWidget *box = gtk_list_item_get_child (item);

  g_object_set_data (G_OBJECT (gtk_widget_get_first_child (box)), "ih-cancellable", NULL);
}

static void
thumbnail_activate_cb (IhPaperWindow *self,
                       guint          position,
                       GtkListView   *list)
{
  ih_pdf_view_set_page (self->view, position);
  gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

static void
sync_thumbnails (IhPaperWindow *self)
{
  int page = ih_pdf_view_get_page (self->view);

  if (self->thumb_selection == NULL)
    return;

  self->syncing_thumbs = TRUE;
  gtk_single_selection_set_selected (self->thumb_selection, page);
  if (gtk_widget_get_visible (self->sidebar) &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->sidebar_stack), "pages") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self->thumbnails), "list.scroll-to-item", "u", (guint) page);
  self->syncing_thumbs = FALSE;
}

/*
 * Outline
 */

static void
add_outline_items (IhPaperWindow *self,
                   GPtrArray     *items,
                   int            level)
{
  for (guint i = 0; i < items->len; i++)
    {
      IhPdfOutlineItem *item = g_ptr_array_index (items, i);
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *label = gtk_label_new (item->title);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_start (label, 6 + 16 * level);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      gtk_widget_set_sensitive (row, item->page_index >= 0);
      g_object_set_data (G_OBJECT (row), "ih-page", GINT_TO_POINTER (item->page_index));
      gtk_list_box_append (self->outline_list, row);

      add_outline_items (self, item->children, level + 1);
    }
}

static void
outline_row_activated_cb (IhPaperWindow *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list)
{
  int page = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "ih-page"));

  if (page >= 0)
    {
      ih_pdf_view_set_page (self->view, page);
      gtk_widget_grab_focus (GTK_WIDGET (self->view));
    }
}

/*
 * Opening
 */

static void
show_error (IhPaperWindow *self,
            const char    *title,
            const char    *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, message);
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "error");
  gtk_widget_set_visible (self->page_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->zoom_squeezer), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->find_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->sidebar_button), FALSE);
}

static void
show_document (IhPaperWindow *self,
               IhPdfDocument *document)
{
  g_autoptr(GPtrArray) outline = NULL;
  g_autoptr(GtkStringList) pages = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autofree char *doc_title = NULL;
  int n_pages = ih_pdf_document_get_n_pages (document);
  GtkWidget *child;

  g_set_object (&self->document, document);

  if (self->title == NULL)
    {
      doc_title = ih_pdf_document_dup_title (document);
      if (doc_title == NULL || *doc_title == '\0')
        {
          g_free (doc_title);
          doc_title = g_path_get_basename (self->path);
        }
      self->title = g_steal_pointer (&doc_title);
    }
  gtk_window_set_title (GTK_WINDOW (self), self->title);
  adw_window_title_set_title (self->window_title, self->title);

  /* Page numbers here; the labels printed on the pages ("iv") are read
   * as thumbnails come into view, not all at once on opening */
  for (int i = 0; i < n_pages; i++)
    {
      char number[16];

      g_snprintf (number, sizeof number, "%d", i + 1);
      gtk_string_list_append (pages, number);
    }
  g_clear_object (&self->thumb_selection);
  self->thumb_selection = gtk_single_selection_new (G_LIST_MODEL (g_steal_pointer (&pages)));
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (thumb_setup_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (factory, "bind", G_CALLBACK (thumb_bind_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (thumb_unbind_cb), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_factory (self->thumbnails, factory);
  /* The list gets its model when the sidebar is first shown: a list view
   * makes its rows as soon as it has one, seen or not, and that would
   * delay the first page */
  gtk_list_view_set_model (self->thumbnails, NULL);
  if (gtk_widget_get_visible (self->sidebar))
    gtk_list_view_set_model (self->thumbnails, GTK_SELECTION_MODEL (self->thumb_selection));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->outline_list))) != NULL)
    gtk_list_box_remove (self->outline_list, child);
  outline = ih_pdf_document_get_outline (document);
  add_outline_items (self, outline, 0);
  gtk_stack_set_visible_child_name (self->outline_stack, outline->len > 0 ? "outline" : "none");

  ih_pdf_view_set_document (self->view, document);
  ih_pdf_view_set_page (self->view, self->wanted_page >= 0 ? self->wanted_page : load_last_page (self));
  self->wanted_page = -1;

  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "document");
  gtk_widget_set_visible (self->page_box, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->zoom_squeezer), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->find_button), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->sidebar_button), TRUE);
  update_page_entry (self);
  update_zoom_button (self);
  sync_thumbnails (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->view));

  if (self->wanted_find != NULL)
    {
      g_autofree char *words = g_steal_pointer (&self->wanted_find);

      start_find (self, words);
    }
}

static void open_with_password (IhPaperWindow *self,
                                const char    *password);

static void
password_response_cb (IhPaperWindow    *self,
                      const char       *response,
                      AdwMessageDialog *dialog)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);
  g_autofree char *password = NULL;

  /* Closing the dialog after a response may bring its close response */
  if (entry == NULL)
    return;
  password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));

  adw_message_dialog_set_extra_child (dialog, NULL);

  if (g_strcmp0 (response, "unlock") == 0)
    open_with_password (self, password);
  else
    show_error (self, _("This Paper Is Locked"),
                _("It needs a password to be read. Open it again to enter the password."));
}

static void
ask_password (IhPaperWindow *self,
              gboolean       again)
{
  g_autofree char *name = g_path_get_basename (self->path);
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;

  if (again)
    body = g_strdup_printf (_("That password does not unlock “%s”. Try again."), name);
  else
    body = g_strdup_printf (_("“%s” is locked. Enter its password to read it."), name);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Password Required"), body);
  /* A plain entry with its text hidden: GTK 4.8's GtkPasswordEntry
   * crashes when its dialog is destroyed while it has the focus */
  entry = gtk_entry_new ();
  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PASSWORD);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Password"),
                                  -1);
  g_object_set (entry, "activates-default", TRUE, NULL);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "unlock", _("_Unlock"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "unlock",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "unlock");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (password_response_cb), self, G_CONNECT_SWAPPED);

  gtk_spinner_stop (self->spinner);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
open_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(IhPaperWindow) self = g_weak_ref_get (weak);
  g_autoptr(IhPdfDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  g_weak_ref_clear (weak);
  g_free (weak);

  /* The window is gone, or has moved on to another file */
  document = ih_pdf_document_open_finish (result, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (self->cancellable))
    return;

  if (document != NULL)
    show_document (self, document);
  else if (g_error_matches (error, IH_PDF_ERROR, IH_PDF_ERROR_ENCRYPTED))
    ask_password (self, FALSE);
  else if (g_error_matches (error, IH_PDF_ERROR, IH_PDF_ERROR_BAD_PASSWORD))
    ask_password (self, TRUE);
  else if (g_error_matches (error, IH_PDF_ERROR, IH_PDF_ERROR_NOT_FOUND))
    show_error (self, _("Not on This Computer"), error->message);
  else
    show_error (self, _("This Paper Cannot Be Opened"), error->message);
}

static void
open_with_password (IhPaperWindow *self,
                    const char    *password)
{
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_spinner_start (self->spinner);

  /* Closing the window or opening another file cancels this one */
  g_weak_ref_init (weak, self);
  ih_pdf_document_open_async (self->path, password, self->cancellable, open_cb, weak);
}

void
ih_paper_window_open (IhPaperWindow *self,
                      const char    *path,
                      const char    *title,
                      const char    *key)
{
  g_return_if_fail (IH_IS_PAPER_WINDOW (self));
  g_return_if_fail (path != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_free (self->path);
  self->path = g_strdup (path);
  g_free (self->title);
  self->title = g_strdup (title);
  g_free (self->key);
  self->key = g_strdup (key);
  g_clear_pointer (&self->error, g_free);

  {
    /* The file's name until the document says better */
    g_autofree char *name = g_path_get_basename (path);

    gtk_window_set_title (GTK_WINDOW (self), title ? title : name);
    adw_window_title_set_title (self->window_title, title ? title : name);
  }
  gtk_widget_set_visible (self->page_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->zoom_squeezer), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->find_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->sidebar_button), FALSE);
  open_with_password (self, NULL);
}

/*
 * Printing
 */

static void
begin_print_cb (IhPaperWindow     *self,
                GtkPrintContext   *context,
                GtkPrintOperation *operation)
{
  gtk_print_operation_set_n_pages (operation, ih_pdf_document_get_n_pages (self->document));
}

static void
draw_page_cb (IhPaperWindow     *self,
              GtkPrintContext   *context,
              int                page_index,
              GtkPrintOperation *operation)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);
  double dpi = CLAMP (gtk_print_context_get_dpi_x (context), 72, PRINT_MAX_DPI);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  double page_width;
  double page_height;
  double fit;
  double scale;

  if (self->print_document == NULL)
    self->print_document = ih_pdf_document_dup (self->document, NULL);
  if (self->print_document == NULL)
    self->print_document = g_object_ref (self->document);

  if (!ih_pdf_document_get_page_size (self->print_document, page_index, &page_width, &page_height, &error))
    {
      g_warning ("Printing page %d: %s", page_index + 1, error->message);
      return;
    }

  /* The page as large as the paper allows, at the printer's resolution
   * (up to 300 dpi) */
  fit = MIN (width / page_width, height / page_height);
  scale = dpi / 72.0 * fit;
  if (page_width * page_height * scale * scale > IH_PDF_MAX_PIXELS / 4)
    scale = sqrt ((IH_PDF_MAX_PIXELS / 4) / (page_width * page_height));

  surface = ih_pdf_document_render_page (self->print_document, page_index, scale, NULL, &error);
  if (surface == NULL)
    {
      g_warning ("Printing page %d: %s", page_index + 1, error->message);
      return;
    }

  cairo_save (cr);
  cairo_translate (cr, (width - page_width * fit) / 2, (height - page_height * fit) / 2);
  cairo_scale (cr, fit / scale, fit / scale);
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (surface);
}

static GtkPrintOperation *
create_print_operation (IhPaperWindow *self)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();

  gtk_print_operation_set_job_name (operation, self->title ? self->title : _("Board Paper"));
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  gtk_print_operation_set_current_page (operation, ih_pdf_view_get_page (self->view));
  g_signal_connect_object (operation, "begin-print", G_CALLBACK (begin_print_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (operation, "draw-page", G_CALLBACK (draw_page_cb), self, G_CONNECT_SWAPPED);
  return operation;
}

void
ih_paper_window_print (IhPaperWindow *self)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (IH_IS_PAPER_WINDOW (self));

  if (self->document == NULL)
    return;

  operation = create_print_operation (self);
  gtk_print_operation_set_allow_async (operation, TRUE);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (self), &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Printing Failed"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

gboolean
ih_paper_window_print_to_file (IhPaperWindow  *self,
                               const char     *path,
                               GError        **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;

  g_return_val_if_fail (IH_IS_PAPER_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->document == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("No paper is open."));
      return FALSE;
    }

  operation = create_print_operation (self);
  gtk_print_operation_set_export_filename (operation, path);
  return gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT,
                                  GTK_WINDOW (self), error) != GTK_PRINT_OPERATION_RESULT_ERROR;
}

/*
 * Callbacks
 */

static void
view_page_cb (IhPaperWindow *self,
              GParamSpec    *pspec,
              IhPdfView     *view)
{
  update_page_entry (self);
  sync_thumbnails (self);

  /* Remembered a second after the reading stops */
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add_seconds (1, save_timeout_cb, self);
}

static void
view_zoom_cb (IhPaperWindow *self,
              GParamSpec    *pspec,
              IhPdfView     *view)
{
  update_zoom_button (self);
}

static void
view_matches_cb (IhPaperWindow *self,
                 GParamSpec    *pspec,
                 IhPdfView     *view)
{
  update_match_label (self);
}

static void
page_entry_activate_cb (IhPaperWindow *self,
                        GtkEntry      *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  int n_pages = ih_pdf_view_get_n_pages (self->view);
  guint64 page;

  if (!g_ascii_string_to_unsigned (text, 10, 1, MAX (n_pages, 1), &page, NULL))
    {
      /* Page labels ("iv") as printed on the pages */
      for (int i = 0; i < n_pages; i++)
        {
          g_autofree char *label = ih_pdf_document_dup_page_label (self->document, i);

          if (g_strcmp0 (label, text) == 0)
            {
              ih_pdf_view_set_page (self->view, i);
              gtk_widget_grab_focus (GTK_WIDGET (self->view));
              return;
            }
        }
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      gtk_widget_error_bell (GTK_WIDGET (entry));
      return;
    }

  ih_pdf_view_set_page (self->view, (int) page - 1);
  update_page_entry (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

static void
search_changed_cb (IhPaperWindow  *self,
                   GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  /* Already being found (ih_paper_window_find()) */
  if (g_strcmp0 (text, self->find_text) == 0)
    return;

  g_free (self->find_text);
  self->find_text = g_strdup (text);
  ih_pdf_view_find (self->view, text);
  update_match_label (self);
}

static void
search_next_cb (IhPaperWindow  *self,
                GtkSearchEntry *entry)
{
  ih_pdf_view_find_next (self->view);
}

static void
search_previous_cb (IhPaperWindow  *self,
                    GtkSearchEntry *entry)
{
  ih_pdf_view_find_previous (self->view);
}

static void
search_activate_cb (IhPaperWindow  *self,
                    GtkSearchEntry *entry)
{
  ih_pdf_view_find_next (self->view);
}

static void
search_stop_cb (IhPaperWindow  *self,
                GtkSearchEntry *entry)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static gboolean
search_key_pressed_cb (IhPaperWindow         *self,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       GtkEventControllerKey *controller)
{
  /* Shift+Enter: the previous match (Enter alone is "activate") */
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter) &&
      (state & GDK_SHIFT_MASK))
    {
      ih_pdf_view_find_previous (self->view);
      return TRUE;
    }
  return FALSE;
}

static void
search_mode_cb (IhPaperWindow *self,
                GParamSpec    *pspec,
                GtkSearchBar  *bar)
{
  if (gtk_search_bar_get_search_mode (bar))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
      return;
    }

  /* Closing the bar clears the highlights */
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  g_clear_pointer (&self->find_text, g_free);
  ih_pdf_view_find (self->view, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

/*
 * Actions
 */

static void
view_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  IhPaperWindow *self = IH_PAPER_WINDOW (widget);

  if (g_str_equal (action_name, "win.zoom-in"))
    ih_pdf_view_zoom_in (self->view);
  else if (g_str_equal (action_name, "win.zoom-out"))
    ih_pdf_view_zoom_out (self->view);
  else if (g_str_equal (action_name, "win.fit-width"))
    ih_pdf_view_set_zoom_mode (self->view, IH_PDF_ZOOM_FIT_WIDTH);
  else if (g_str_equal (action_name, "win.fit-page"))
    ih_pdf_view_set_zoom_mode (self->view, IH_PDF_ZOOM_FIT_PAGE);
  else if (g_str_equal (action_name, "win.zoom"))
    ih_pdf_view_set_zoom (self->view, g_variant_get_double (param));
  else if (g_str_equal (action_name, "win.find-next"))
    ih_pdf_view_find_next (self->view);
  else if (g_str_equal (action_name, "win.find-previous"))
    ih_pdf_view_find_previous (self->view);
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  IhPaperWindow *self = IH_PAPER_WINDOW (widget);

  if (self->document == NULL)
    return;
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
go_to_page_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  IhPaperWindow *self = IH_PAPER_WINDOW (widget);

  if (self->document == NULL)
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self->page_entry));
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  ih_paper_window_print (IH_PAPER_WINDOW (widget));
}

static void
toggle_sidebar_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  IhPaperWindow *self = IH_PAPER_WINDOW (widget);
  gboolean reveal = !gtk_widget_get_visible (self->sidebar);

  /* A plain box rather than an AdwFlap: libadwaita 1.2's flap draws a
   * sidebar it has not laid out again when revealed after changes */
  gtk_widget_set_visible (self->sidebar, reveal);
  gtk_toggle_button_set_active (self->sidebar_button, reveal);
  if (reveal)
    {
      if (gtk_list_view_get_model (self->thumbnails) == NULL && self->thumb_selection != NULL)
        gtk_list_view_set_model (self->thumbnails, GTK_SELECTION_MODEL (self->thumb_selection));
      sync_thumbnails (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->thumbnails));
    }
}

/*
 * GtkWindow and GObject overrides
 */

static gboolean
ih_paper_window_close_request (GtkWindow *window)
{
  IhPaperWindow *self = IH_PAPER_WINDOW (window);

  g_cancellable_cancel (self->cancellable);
  ih_paper_window_save_state (self);
  return GTK_WINDOW_CLASS (ih_paper_window_parent_class)->close_request (window);
}

static void
ih_paper_window_dispose (GObject *object)
{
  IhPaperWindow *self = (IhPaperWindow *) object;

  if (self->save_source != 0)
    ih_paper_window_save_state (self);
  g_cancellable_cancel (self->cancellable);
  if (self->thumbnails != NULL)
    gtk_list_view_set_model (self->thumbnails, NULL);
  g_clear_object (&self->thumb_selection);

  gtk_widget_dispose_template (GTK_WIDGET (self), IH_TYPE_PAPER_WINDOW);

  G_OBJECT_CLASS (ih_paper_window_parent_class)->dispose (object);
}

static void
ih_paper_window_finalize (GObject *object)
{
  IhPaperWindow *self = (IhPaperWindow *) object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->document);
  g_clear_object (&self->print_document);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->wanted_find, g_free);
  g_clear_pointer (&self->find_text, g_free);

  G_OBJECT_CLASS (ih_paper_window_parent_class)->finalize (object);
}

static void
ih_paper_window_class_init (IhPaperWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ih_paper_window_dispose;
  object_class->finalize = ih_paper_window_finalize;
  window_class->close_request = ih_paper_window_close_request;

  g_type_ensure (IH_TYPE_PDF_VIEW);

  /* Pulls the resources out of the static library */
  g_assert (ih_get_resource () != NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/insighthub/InsightHub/ui/ih-paper-window.ui");
  gtk_widget_class_bind_template_child (widget_class, IhPaperWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, IhPaperWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, IhPaperWindow, page_box);
  gtk_widget_class_bind_template_child (widget_class, IhPaperWindow, page_entry);
  gtk_widget_class_bind_template_child (widget_class, IhPaperWindow, n_pages_label);
  gtk_widget_class_bind_template_child (widget_class, IhPaperWindow, find_button);
  gtk_widget_class_bind_template_child (widget_class, IhPaperWindow, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, IhPaperWindow, zoom_squeezer);
  gtk_widget_class_bind_template_child (widget_class, IhPaperWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, IhPaperWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, IhPaperWindow, match_label);
  gtk_widget_class_bind_template_child (widget_class, IhPaperWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, IhPaperWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, IhPaperWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, IhPaperWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, IhPaperWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, IhPaperWindow, thumbnails);
  gtk_widget_class_bind_template_child (widget_class, IhPaperWindow, outline_stack);
  gtk_widget_class_bind_template_child (widget_class, IhPaperWindow, outline_list);
  gtk_widget_class_bind_template_child (widget_class, IhPaperWindow, view);
  gtk_widget_class_bind_template_callback (widget_class, page_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_next_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_previous_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, thumbnail_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, outline_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, view_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, view_action);
  gtk_widget_class_install_action (widget_class, "win.fit-width", NULL, view_action);
  gtk_widget_class_install_action (widget_class, "win.fit-page", NULL, view_action);
  gtk_widget_class_install_action (widget_class, "win.zoom", "d", view_action);
  gtk_widget_class_install_action (widget_class, "win.find-next", NULL, view_action);
  gtk_widget_class_install_action (widget_class, "win.find-previous", NULL, view_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.go-to-page", NULL, go_to_page_action);
  gtk_widget_class_install_action (widget_class, "win.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL, toggle_sidebar_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "win.fit-width", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "win.fit-width", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "win.find-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.find-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_G, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.find-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.go-to-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "win.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
ih_paper_window_init (IhPaperWindow *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->wanted_page = -1;

  g_object_bind_property (self->find_button, "active", self->search_bar, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled",
                           G_CALLBACK (search_mode_cb), self, G_CONNECT_SWAPPED);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (search_key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), controller);

  g_signal_connect_object (self->view, "notify::page", G_CALLBACK (view_page_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "notify::n-pages", G_CALLBACK (view_page_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "notify::zoom", G_CALLBACK (view_zoom_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "notify::n-matches", G_CALLBACK (view_matches_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "notify::current-match", G_CALLBACK (view_matches_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "notify::find-busy", G_CALLBACK (view_matches_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_set_visible (self->page_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->zoom_squeezer), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->find_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->sidebar_button), FALSE);
}
