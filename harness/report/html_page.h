/* html_page.h - the page every posenc HTML report is built on (report.html, merge.html, the
 * analysis page): the head with the one shared stylesheet, facts tables, sections, folded
 * details, notes and escaping. No scripts and nothing fetched: a page opens offline. */
#ifndef POSENC_HTML_PAGE_H
#define POSENC_HTML_PAGE_H

#include <stdio.h>

#include "svg_plot.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HTML_EM_DASH "\xE2\x80\x94"

/* s escaped for element text and quoted attributes (plot_xml_escape); NULL writes nothing. */
static inline void html_esc(FILE *f, const char *s) { plot_xml_escape(f, s); }

/* The opening up to and including <body>: doctype, charset, viewport, the title (escaped) and
 * the shared stylesheet. */
void html_page_open(FILE *f, const char *title);

/* The footer (a sentence of HTML, written as given; NULL for none) and the closing tags. */
void html_page_close(FILE *f, const char *footer_html);

/* A block of facts tables side by side: html_facts_begin, then per table
 * html_facts_table_open (its caption, escaped), html_fact rows and html_facts_table_close,
 * and html_facts_end after the last. */
void html_facts_begin(FILE *f);
void html_facts_table_open(FILE *f, const char *caption);
void html_facts_table_close(FILE *f);
void html_facts_end(FILE *f);

/* One row of a facts table: key, and value escaped ("" or NULL as an em dash). */
void html_fact(FILE *f, const char *key, const char *value);

/* A link to a part of the page: its id and what the link says. */
typedef struct html_link {
    const char *id, *label;
} html_link;

/* The page's contents line: a link per entry (id NULL: left out), in order. */
void html_nav(FILE *f, const html_link *links, size_t n);

/* <section id=...><h2>title</h2> (title escaped), and its end. */
void html_section_open(FILE *f, const char *id, const char *title);
void html_section_close(FILE *f);

/* A folded block: <details> (open when `open`) with its summary (escaped) and an optional id
 * (NULL for none), and its end. A browser shows the summary line until it is unfolded. */
void html_details_open(FILE *f, const char *id, const char *summary, int open);
void html_details_close(FILE *f);

/* A paragraph of explanation, and the dashed note that stands where a chart has nothing to
 * draw (an empty frame reads as a broken plot); both escaped. */
void html_explain(FILE *f, const char *text);
void html_no_data(FILE *f, const char *text);

/* A small square of colour before a name in a table, the colour of the name's plots. */
void html_swatch(FILE *f, const char *colour);

#ifdef __cplusplus
}
#endif

#endif
