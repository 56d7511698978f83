/* html_page.c - the shared page of the HTML reports (html_page.h) and its stylesheet. */
#include "html_page.h"

/* One stylesheet for every page, so report.html, merge.html and the analysis page look alike.
 * Widths: the page is at most 1240 px; two 600 px charts or three 380 px ones fit a row. */
static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#222;"
    "margin:0 auto;padding:12px 20px 40px;max-width:1240px;line-height:1.4}\n"
    "h1{font-size:20px;margin:0 0 2px}h2{font-size:18px;margin:28px 0 6px;"
    "border-bottom:1px solid #ccc;padding-bottom:3px}h3{font-size:15px;margin:18px 0 6px}\n"
    "p.run-id,p.sub{font-size:13px;margin:0 0 6px;color:#444}p.run-id{font-family:monospace}\n"
    ".banner{padding:3px 10px;border-radius:4px;margin:4px 0;font-size:13px}\n"
    ".banner.emulated{background:#D55E00;color:#fff;font-size:15px}\n"
    ".banner.quick,.banner.dirty{background:#fdf3d8;border:1px solid #E69F00}\n"
    ".facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:12px;"
    "align-items:start}\n"
    ".facts table{font-size:13px}.facts th{text-align:left;color:#555;font-weight:normal;"
    "padding-right:10px;white-space:nowrap}.facts th,.facts td{vertical-align:top}\n"
    ".facts td{overflow-wrap:anywhere}\n"
    ".facts caption{text-align:left;font-weight:bold;padding-bottom:3px}\n"
    "nav{font-size:13px;margin:6px 0}nav a{margin-right:8px}\n"
    ".grid{display:grid;gap:14px 16px;align-items:start}\n"
    ".grid.small{grid-template-columns:repeat(auto-fill,minmax(380px,1fr))}\n"
    ".grid.wide{grid-template-columns:repeat(auto-fill,minmax(600px,1fr))}\n"
    "figure{margin:0}figure svg{max-width:100%;height:auto;display:block}\n"
    "figcaption{font-size:12px;color:#555;margin-top:2px}\n"
    "p.explain{font-size:13px;color:#444;max-width:1000px;margin:4px 0 10px}\n"
    "p.no-data{font-size:13px;color:#666;font-style:italic;border:1px dashed #bbb;"
    "padding:10px 12px;margin:6px 0}\n"
    "details{margin:6px 0}details>summary{cursor:pointer;font-size:15px;font-weight:600;"
    "padding:4px 0}body>details{border-top:1px solid #ccc;margin-top:10px}\n"
    "body>details>summary{font-size:17px;padding:8px 0}\n"
    "table.data{border-collapse:collapse;font-size:12px;width:100%;margin-bottom:8px}\n"
    "table.data th,table.data td{border-bottom:1px solid #e2e2e2;padding:3px 6px;"
    "text-align:left;vertical-align:top}\n"
    "table.data th{background:#f3f3f3;font-weight:600;position:sticky;top:0}\n"
    "table.data td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "table.data td.best{font-weight:bold}\n"
    "table.data tr.skipped td{color:#777;font-style:italic}\n"
    "table.data tr.error td{color:#a40000}\n"
    "table.data tr.first td{border-top:1px solid #bbb}\n"
    "table.data .emu{color:#999;background:#f6f6f6}table.data th.emu{color:#777}\n"
    "table.data td.why{color:#777;font-style:italic;text-align:right;font-size:11px}\n"
    "div.emulated{filter:grayscale(1);opacity:.55;margin-top:6px}\n"
    "td.fail{color:#a40000;font-weight:bold}td.pass{color:#00704f}\n"
    "code{font-size:12px}.swatch{display:inline-block;width:9px;height:9px;margin-right:5px}\n"
    "td.impl{white-space:nowrap}\n"
    "ul.skipped,ul.notes{font-size:13px;max-width:1000px}\n"
    ".overview{display:flex;gap:8px 16px;align-items:flex-start}\n"
    ".overview>div:first-child{flex:none;width:min-content}\n"
    ".overview .side{flex:1 1 340px;min-width:0;display:grid;gap:4px}\n"
    ".overview .side figcaption,.overview .side p{font-size:11px;margin:2px 0}\n"
    "div.limits{display:flex;gap:10px;align-items:flex-start}\n"
    "figure.limits{width:min-content}figure.limits svg{max-width:none}\n";

void html_page_open(FILE *f, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          f);
    html_esc(f, title);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
}

void html_page_close(FILE *f, const char *footer_html)
{
    if (footer_html)
        fprintf(f, "<footer><p class=\"explain\">%s</p></footer>\n", footer_html);
    fputs("</body>\n</html>\n", f);
}

void html_facts_begin(FILE *f) { fputs("<div class=\"facts\">\n", f); }

void html_facts_table_open(FILE *f, const char *caption)
{
    fputs("<table><caption>", f);
    html_esc(f, caption);
    fputs("</caption>\n", f);
}

void html_facts_table_close(FILE *f) { fputs("</table>\n", f); }

void html_facts_end(FILE *f) { fputs("</div>\n", f); }

void html_fact(FILE *f, const char *key, const char *value)
{
    fputs("<tr><th>", f);
    html_esc(f, key);
    fputs("</th><td>", f);
    html_esc(f, value && *value ? value : HTML_EM_DASH);
    fputs("</td></tr>\n", f);
}

void html_nav(FILE *f, const html_link *links, size_t n)
{
    fputs("<nav>Contents:", f);
    for (size_t i = 0; i < n; i++) {
        if (!links[i].id)
            continue;
        fputs(" <a href=\"#", f);
        html_esc(f, links[i].id);
        fputs("\">", f);
        html_esc(f, links[i].label);
        fputs("</a>", f);
    }
    fputs("</nav>\n", f);
}

void html_section_open(FILE *f, const char *id, const char *title)
{
    fputs("<section id=\"", f);
    html_esc(f, id);
    fputs("\">\n<h2>", f);
    html_esc(f, title);
    fputs("</h2>\n", f);
}

void html_section_close(FILE *f) { fputs("</section>\n", f); }

void html_details_open(FILE *f, const char *id, const char *summary, int open)
{
    fputs("<details", f);
    if (id) {
        fputs(" id=\"", f);
        html_esc(f, id);
        fputs("\"", f);
    }
    fputs(open ? " open>\n<summary>" : ">\n<summary>", f);
    html_esc(f, summary);
    fputs("</summary>\n", f);
}

void html_details_close(FILE *f) { fputs("</details>\n", f); }

static void paragraph(FILE *f, const char *cls, const char *text)
{
    fprintf(f, "<p class=\"%s\">", cls);
    html_esc(f, text);
    fputs("</p>\n", f);
}

void html_explain(FILE *f, const char *text) { paragraph(f, "explain", text); }

void html_no_data(FILE *f, const char *text) { paragraph(f, "no-data", text); }

void html_swatch(FILE *f, const char *colour)
{
    fputs("<span class=\"swatch\" style=\"background:", f);
    html_esc(f, colour);
    fputs("\"></span>", f);
}
