/* svg_plot.c - the scales, styles and charts of svg_plot.h, written as inline SVG. */
#include "svg_plot.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Text sizes, px. Generic font families only: a named font would have to be fetched or
 * installed, and the layout estimates below assume an ordinary sans-serif. */
#define FONT "font-family=\"sans-serif\""
#define TITLE_SIZE 13.0
#define LABEL_SIZE 11.0
#define TICK_SIZE 10.0

#define GRID_COLOUR "#e3e3e3"
#define AXIS_COLOUR "#777"
#define TEXT_COLOUR "#222"
#define NOTE_COLOUR "#777"

/* ---- text ------------------------------------------------------------------------------- */

void plot_xml_escape(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default:
            if (c >= 0x20 || c == '\t' || c == '\n')
                fputc(c, f);
        }
    }
}

double plot_text_width(const char *s, double size)
{
    double em = 0;
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c & 0xC0) == 0x80)
            continue; /* a UTF-8 continuation byte: part of the previous character */
        if (strchr("il.,:;|!'` ()[]{}/\\", c))
            em += 0.34;
        else if (strchr("MWmw@%", c))
            em += 0.88;
        else if (c >= 'A' && c <= 'Z')
            em += 0.68;
        else
            em += 0.57;
    }
    return em * size;
}

/* A short text for v: %g with `digits` significant digits and a compact exponent ("1.5e6"). */
static void format_number(char *buf, size_t size, double v, int digits)
{
    if (isnan(v)) {
        snprintf(buf, size, "n/a");
        return;
    }
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%.*g", digits, v);
    char *e = strchr(tmp, 'e');
    if (e) {
        /* "1.5e+06" -> "1.5e6", "2e-05" -> "2e-5" */
        char *d = e + 1;
        char sign = *d == '-' ? '-' : 0;
        if (*d == '+' || *d == '-')
            d++;
        while (*d == '0' && d[1])
            d++;
        char exp[8];
        snprintf(exp, sizeof exp, "%s%.5s", sign ? "-" : "", d);
        *e = '\0';
        snprintf(buf, size, "%se%s", tmp, exp);
    } else {
        snprintf(buf, size, "%s", tmp);
    }
}

/* Escaped text of a number, for tooltips: nine digits say more than any timing resolves. */
static void write_value(FILE *f, double v, const char *unit)
{
    char buf[64];
    format_number(buf, sizeof buf, v, 9);
    fputs(buf, f);
    if (unit && *unit) {
        fputc(' ', f);
        plot_xml_escape(f, unit);
    }
}

/* <text> with escaped content; anchor "start", "middle" or "end"; extra: more attributes. */
static void write_text(FILE *f, double x, double y, const char *anchor, double size,
                       const char *extra, const char *s)
{
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%g\"%s%s>", x, y,
            anchor, size, extra ? " " : "", extra ? extra : "");
    plot_xml_escape(f, s);
    fputs("</text>\n", f);
}

/* s cut to at most max_px wide with an ellipsis; returns whether it was cut. */
static int fit_text(char *out, size_t size, const char *s, double font, double max_px)
{
    snprintf(out, size, "%s", s);
    if (plot_text_width(out, font) <= max_px)
        return 0;
    size_t n = strlen(out);
    while (n > 0) {
        do
            n--; /* drop whole UTF-8 characters */
        while (n > 0 && ((unsigned char)out[n] & 0xC0) == 0x80);
        if (n + 4 > size)
            continue;
        memcpy(out + n, "\xE2\x80\xA6", 4); /* U+2026 HORIZONTAL ELLIPSIS */
        if (plot_text_width(out, font) <= max_px)
            break;
    }
    return 1;
}

/* ---- scales ----------------------------------------------------------------------------- */

void plot_range_init(plot_range *r)
{
    r->min = INFINITY;
    r->max = -INFINITY;
    r->min_positive = INFINITY;
}

void plot_range_add(plot_range *r, double v)
{
    if (!isfinite(v))
        return;
    if (v < r->min)
        r->min = v;
    if (v > r->max)
        r->max = v;
    if (v > 0 && v < r->min_positive)
        r->min_positive = v;
}

static double nice_step(double span)
{
    double e = floor(log10(span));
    double f = span / pow(10, e);
    double nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return nf * pow(10, e);
}

void plot_scale_fit(plot_scale *s, plot_scale_kind kind, const plot_range *r, int include_zero)
{
    int empty = !(r->min <= r->max);
    if (kind == PLOT_AUTO)
        kind = !empty && r->min > 0 && r->max / r->min > PLOT_LOG_SPAN ? PLOT_LOG10 : PLOT_LINEAR;
    s->kind = kind;
    s->step = 0;
    if (kind == PLOT_LOG10) {
        if (!isfinite(r->min_positive)) {
            s->lo = 1;
            s->hi = 10;
            return;
        }
        /* the tolerance keeps an exact power of ten from rounding out to the next decade */
        double elo = floor(log10(r->min_positive) + 1e-9);
        double ehi = ceil(log10(r->max) - 1e-9);
        if (ehi <= elo)
            ehi = elo + 1;
        s->lo = pow(10, elo);
        s->hi = pow(10, ehi);
        return;
    }
    double lo = empty ? 0 : r->min, hi = empty ? 1 : r->max;
    if (include_zero) {
        lo = lo < 0 ? lo : 0;
        hi = hi > 0 ? hi : 0;
    }
    if (hi - lo <= 0) {
        double pad = lo != 0 ? fabs(lo) * 0.1 : 1;
        lo -= include_zero && lo >= 0 ? 0 : pad;
        hi += pad;
    }
    s->step = nice_step((hi - lo) / 5);
    s->lo = floor(lo / s->step + 1e-9) * s->step;
    s->hi = ceil(hi / s->step - 1e-9) * s->step;
}

double plot_scale_map(const plot_scale *s, double v)
{
    double t;
    if (s->kind == PLOT_LOG10)
        t = v <= 0 ? 0 : (log10(v) - log10(s->lo)) / (log10(s->hi) - log10(s->lo));
    else
        t = (v - s->lo) / (s->hi - s->lo);
    return s->px_lo + t * (s->px_hi - s->px_lo);
}

static int powers_of_ten(const plot_scale *s);

size_t plot_scale_ticks(const plot_scale *s, double *ticks, size_t max)
{
    size_t n = 0;
    if (s->kind == PLOT_LOG10) {
        long elo = lround(log10(s->lo)), ehi = lround(log10(s->hi));
        /* one or two decades leave too few labels to read a value from: add 2 and 5 */
        int fill = ehi - elo <= 2 && !powers_of_ten(s);
        for (long e = elo; e <= ehi && n < max; e++) {
            double d = pow(10, (double)e);
            ticks[n++] = d;
            if (fill && e < ehi && n + 2 <= max) {
                ticks[n++] = 2 * d;
                ticks[n++] = 5 * d;
            }
        }
        return n;
    }
    for (long i = 0; n < max; i++) {
        double v = s->lo + (double)i * s->step;
        if (v > s->hi + s->step * 1e-6)
            break;
        ticks[n++] = fabs(v) < s->step * 1e-9 ? 0 : v;
    }
    return n;
}

/* Log axes label decades as plain numbers while every tick lies in [0.001, 10000], else all as
 * 10 with a raised exponent: one style per axis reads better than "1000, 10000, 10^5". */
static int powers_of_ten(const plot_scale *s)
{
    return s->kind == PLOT_LOG10 && (s->lo < 1e-3 * 0.999 || s->hi > 1e4 * 1.001);
}

static double tick_label_width(const plot_scale *s, double v)
{
    char buf[64];
    if (powers_of_ten(s)) {
        snprintf(buf, sizeof buf, "%ld", lround(log10(v)));
        return plot_text_width("10", TICK_SIZE) + 0.75 * plot_text_width(buf, TICK_SIZE);
    }
    format_number(buf, sizeof buf, v, 6);
    return plot_text_width(buf, TICK_SIZE);
}

static void write_tick_label(FILE *f, const plot_scale *s, double v, double x, double y,
                             const char *anchor)
{
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%g\" fill=\"%s\">",
            x, y, anchor, TICK_SIZE, TEXT_COLOUR);
    if (powers_of_ten(s)) {
        fprintf(f, "10<tspan dy=\"-0.45em\" font-size=\"75%%\">%ld</tspan>", lround(log10(v)));
    } else {
        char buf[64];
        format_number(buf, sizeof buf, v, 6);
        fputs(buf, f);
    }
    fputs("</text>\n", f);
}

/* The length of one decade of a log axis, px. */
static double decade_px(const plot_scale *s)
{
    return fabs(s->px_hi - s->px_lo) / (log10(s->hi) - log10(s->lo));
}

/* Whether a tick label at pos (px along the axis), `extent` px long along it, keeps a gap to
 * the last one drawn; tick labels are thinned this way when ticks crowd, gridlines are not. */
static int label_fits(double *last_end, double pos, double extent)
{
    if (pos - extent / 2 < *last_end + 6)
        return 0;
    *last_end = pos + extent / 2;
    return 1;
}

/* A horizontal value axis at y from x0 to x1 with gridlines up to y_top. */
static void write_x_axis(FILE *f, const plot_scale *s, double y, double y_top, const char *label,
                         double label_x)
{
    double ticks[64];
    size_t n = plot_scale_ticks(s, ticks, 64);
    fprintf(f, "<g stroke=\"%s\" stroke-width=\"1\">\n", GRID_COLOUR);
    for (size_t i = 0; i < n; i++) {
        double x = plot_scale_map(s, ticks[i]);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x, y_top, x, y);
    }
    fputs("</g>\n", f);
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
            s->px_lo, y, s->px_hi, y, AXIS_COLOUR);
    /* minor ticks at 2..9 of each decade, while there is room for them */
    if (s->kind == PLOT_LOG10 && decade_px(s) >= 40) {
        fprintf(f, "<g stroke=\"%s\">\n", AXIS_COLOUR);
        for (double d = s->lo; d < s->hi * 0.999; d *= 10)
            for (int m = 2; m <= 9; m++) {
                double x = plot_scale_map(s, d * m);
                fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x, y, x,
                        y + 2.5);
            }
        fputs("</g>\n", f);
    }
    double last_end = -1e9;
    for (size_t i = 0; i < n; i++) {
        double x = plot_scale_map(s, ticks[i]);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n", x,
                y, x, y + 4, AXIS_COLOUR);
        if (label_fits(&last_end, x, tick_label_width(s, ticks[i])))
            write_tick_label(f, s, ticks[i], x, y + 15, "middle");
    }
    if (label)
        write_text(f, label_x, y + 31, "middle", LABEL_SIZE, "fill=\"" TEXT_COLOUR "\"", label);
}

/* A vertical value axis at x with gridlines across to x_right. */
static void write_y_axis(FILE *f, const plot_scale *s, double x, double x_right, const char *label,
                         double label_x)
{
    double ticks[64];
    size_t n = plot_scale_ticks(s, ticks, 64);
    fprintf(f, "<g stroke=\"%s\" stroke-width=\"1\">\n", GRID_COLOUR);
    for (size_t i = 0; i < n; i++) {
        double y = plot_scale_map(s, ticks[i]);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x, y, x_right, y);
    }
    fputs("</g>\n", f);
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n", x,
            s->px_lo, x, s->px_hi, AXIS_COLOUR);
    double last_end = -1e9;
    if (s->kind == PLOT_LOG10 && decade_px(s) >= 40) {
        fprintf(f, "<g stroke=\"%s\">\n", AXIS_COLOUR);
        for (double d = s->lo; d < s->hi * 0.999; d *= 10)
            for (int m = 2; m <= 9; m++) {
                double y = plot_scale_map(s, d * m);
                fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x - 2.5,
                        y, x, y);
            }
        fputs("</g>\n", f);
    }
    for (size_t i = 0; i < n; i++) {
        double y = plot_scale_map(s, ticks[i]);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                x - 4, y, x, y, AXIS_COLOUR);
        /* measured upwards: y falls as the value grows */
        if (label_fits(&last_end, -y, TICK_SIZE))
            write_tick_label(f, s, ticks[i], x - 6, y + 3.5, "end");
    }
    if (label) {
        double cy = (s->px_lo + s->px_hi) / 2;
        fprintf(f,
                "<text transform=\"translate(%.1f %.1f) rotate(-90)\" text-anchor=\"middle\" "
                "font-size=\"%g\" fill=\"%s\">",
                label_x, cy, LABEL_SIZE, TEXT_COLOUR);
        plot_xml_escape(f, label);
        fputs("</text>\n", f);
    }
}

/* ---- styles ----------------------------------------------------------------------------- */

/* Okabe & Ito, "Color Universal Design" (2008): black, orange, sky blue, bluish green, blue,
 * vermillion, reddish purple. Told apart under the common colour-vision deficiencies. */
static const char *const colours[PLOT_N_COLOURS] = {
    "#000000", "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7",
};

/* A slot is a (colour, marker) pair: slot k has colour k mod 7 and marker k mod 5; 7 and 5 are
 * coprime, so the 35 slots are the 35 pairs, and neighbouring slots differ in both. */
#define N_SLOTS (PLOT_N_COLOURS * PLOT_N_MARKERS)

static plot_style slot_style(int slot)
{
    plot_style st = {colours[slot % PLOT_N_COLOURS], slot % PLOT_N_MARKERS};
    return st;
}

static uint32_t fnv1a(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

void plot_palette_init(plot_palette *p) { memset(p, 0, sizeof *p); }

void plot_palette_add(plot_palette *p, const char *key, int pin)
{
    for (size_t i = 0; i < p->n; i++)
        if (!strncmp(p->keys[i], key, PLOT_KEY_MAX - 1))
            return;
    if (p->n == PLOT_PALETTE_MAX)
        return;
    snprintf(p->keys[p->n], PLOT_KEY_MAX, "%s", key);
    p->pinned[p->n] = pin >= 0 ? pin % N_SLOTS : -1;
    p->slot[p->n] = (int)(fnv1a(p->keys[p->n]) % N_SLOTS);
    p->n++;
}

static const plot_palette *sort_palette;

static int by_key(const void *a, const void *b)
{
    return strcmp(sort_palette->keys[*(const size_t *)a], sort_palette->keys[*(const size_t *)b]);
}

void plot_palette_assign(plot_palette *p)
{
    size_t order[PLOT_PALETTE_MAX];
    for (size_t i = 0; i < p->n; i++)
        order[i] = i;
    sort_palette = p;
    qsort(order, p->n, sizeof order[0], by_key);
    int taken[N_SLOTS] = {0}, colour_used[PLOT_N_COLOURS] = {0};
    /* pinned keys first, so a hashed key never takes a reference's slot */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < p->n; k++) {
            size_t i = order[k];
            if ((p->pinned[i] >= 0) != (pass == 0))
                continue;
            int start = pass == 0 ? p->pinned[i] : (int)(fnv1a(p->keys[i]) % N_SLOTS);
            int chosen = -1;
            for (int fresh_colour = 1; fresh_colour >= 0 && chosen < 0; fresh_colour--)
                for (int j = 0; j < N_SLOTS && chosen < 0; j++) {
                    int slot = (start + j) % N_SLOTS;
                    if (!taken[slot] && (!fresh_colour || !colour_used[slot % PLOT_N_COLOURS]))
                        chosen = slot;
                }
            if (chosen < 0)
                chosen = start; /* more keys than slots: share */
            taken[chosen] = 1;
            colour_used[chosen % PLOT_N_COLOURS] = 1;
            p->slot[i] = chosen;
        }
    }
}

plot_style plot_palette_style(const plot_palette *p, const char *key)
{
    for (size_t i = 0; i < p->n; i++)
        if (!strncmp(p->keys[i], key, PLOT_KEY_MAX - 1))
            return slot_style(p->slot[i]);
    return slot_style((int)(fnv1a(key) % N_SLOTS));
}

/* A marker of radius r centred on (x, y), filled with the colour (or white when hollow); a white
 * outline keeps it visible on a bar of its own colour. Tooltips go on an enclosing <g>. */
static void write_marker(FILE *f, plot_style st, double x, double y, double r, int hollow,
                         const char *outline)
{
    const char *fill = hollow ? "#fff" : st.colour;
    const char *stroke = hollow ? st.colour : outline;
    double sw = hollow ? 1.5 : 1;
    switch (st.marker) {
    case PLOT_MARKER_SQUARE:
        r *= 0.88; /* a square of the circle's width looks larger */
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"", x - r, y - r,
                2 * r, 2 * r);
        break;
    case PLOT_MARKER_TRIANGLE:
        r *= 1.2;
        fprintf(f, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"", x, y - r, x + r * 0.9,
                y + r * 0.6, x - r * 0.9, y + r * 0.6);
        break;
    case PLOT_MARKER_TRIANGLE_DOWN:
        r *= 1.2;
        fprintf(f, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"", x, y + r, x + r * 0.9,
                y - r * 0.6, x - r * 0.9, y - r * 0.6);
        break;
    case PLOT_MARKER_DIAMOND:
        r *= 1.2;
        fprintf(f, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\"", x, y - r,
                x + r, y, x, y + r, x - r, y);
        break;
    default:
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"", x, y, r);
    }
    fprintf(f, " fill=\"%s\" stroke=\"%s\" stroke-width=\"%g\"/>\n", fill, stroke, sw);
}

static void svg_open(FILE *f, int width, double height, const char *title)
{
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%.0f\" "
            "viewBox=\"0 0 %d %.0f\" role=\"img\" " FONT ">\n",
            width, ceil(height), width, ceil(height));
    if (title && *title) {
        fputs("<title>", f);
        plot_xml_escape(f, title);
        fputs("</title>\n", f);
        write_text(f, 8, 17, "start", TITLE_SIZE, "font-weight=\"bold\" fill=\"" TEXT_COLOUR "\"",
                   title);
    }
}

/* What a chart with nothing to draw renders instead of an empty frame: its title and the words
 * "no data" in a dashed box, so it never reads as a broken plot. */
static void write_no_data(FILE *f, int width, const char *title)
{
    const double h = 70;
    svg_open(f, width, h, title);
    fprintf(f, "<rect class=\"no-data\" x=\"8.5\" y=\"26.5\" width=\"%d\" height=\"36\" "
               "fill=\"none\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>\n",
            width - 17);
    write_text(f, width / 2.0, 49, "middle", LABEL_SIZE,
               "fill=\"" NOTE_COLOUR "\" font-style=\"italic\"", "no data");
    fputs("</svg>\n", f);
}

/* ---- bar chart -------------------------------------------------------------------------- */

enum { ROW_HEADING, ROW_BAR, ROW_NOTE };

typedef struct bar_row {
    int kind;
    size_t c, s;
    double y; /* top */
} bar_row;

#define BAR_ROW_H 15.0
#define BAR_H 10.0
#define HEADING_ROW_H 17.0

void plot_bar_chart_write(FILE *f, const plot_bar_chart *c)
{
    int grouped = c->n_categories > 1;
    size_t max_rows = c->n_categories * (c->n_series + 1);
    bar_row *rows = malloc((max_rows ? max_rows : 1) * sizeof *rows);
    if (!rows) {
        /* the stream's error flag is how the caller learns of failures */
        fputs("<!-- out of memory -->", f);
        return;
    }
    size_t n_rows = 0;
    plot_range range;
    plot_range_init(&range);
    double label_w = 0, value_w = 0;
    for (size_t ci = 0; ci < c->n_categories; ci++) {
        size_t first = n_rows;
        if (grouped)
            rows[n_rows++] = (bar_row){ROW_HEADING, ci, 0, 0};
        for (size_t si = 0; si < c->n_series; si++) {
            double v = c->series[si].y[ci];
            const plot_note *note = c->notes ? &c->notes[ci * c->n_series + si] : NULL;
            int kind = isfinite(v) ? ROW_BAR : note && note->shown ? ROW_NOTE : -1;
            if (kind < 0)
                continue;
            rows[n_rows++] = (bar_row){kind, ci, si, 0};
            double w = plot_text_width(c->series[si].name, LABEL_SIZE) + (grouped ? 10 : 0);
            label_w = w > label_w ? w : label_w;
            if (kind == ROW_BAR) {
                plot_range_add(&range, v);
                char buf[64];
                format_number(buf, sizeof buf, v, 3);
                double vw = plot_text_width(buf, TICK_SIZE);
                value_w = vw > value_w ? vw : value_w;
            }
        }
        if (grouped && n_rows == first + 1)
            n_rows--; /* a category with nothing to show gets no heading either */
    }
    if (!n_rows) {
        free(rows);
        write_no_data(f, c->width > 0 ? c->width : 420, c->title);
        return;
    }
    if (isfinite(c->reference))
        plot_range_add(&range, c->reference);

    const double width = c->width > 0 ? c->width : 420;
    double max_label = width * 0.42;
    double ml = (label_w < max_label ? label_w : max_label) + 14;
    double mr = value_w + 16 > 28 ? value_w + 16 : 28;
    double top = c->title && *c->title ? 28 : 8;
    if (isfinite(c->reference) && c->reference_label)
        top += 12; /* the reference line's label sits above the first row */
    double y = top;
    for (size_t i = 0; i < n_rows; i++) {
        rows[i].y = y;
        y += rows[i].kind == ROW_HEADING ? HEADING_ROW_H : BAR_ROW_H;
    }
    double axis_y = y + 4;
    double height = axis_y + (c->value_label ? 40 : 24);

    plot_scale s;
    plot_scale_fit(&s, c->scale, &range, 1);
    s.px_lo = ml;
    s.px_hi = width - mr;
    double base = plot_scale_map(&s, s.kind == PLOT_LOG10 ? s.lo : 0);

    svg_open(f, (int)width, height, c->title);
    write_x_axis(f, &s, axis_y, top - 4, c->value_label, (s.px_lo + s.px_hi) / 2);
    if (isfinite(c->reference)) {
        double x = plot_scale_map(&s, c->reference);
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\" "
                "stroke-dasharray=\"4 3\"/>\n",
                x, top - 4, x, axis_y);
        if (c->reference_label) {
            /* centred on the line, but kept inside the chart when the line is near an edge */
            double half = plot_text_width(c->reference_label, TICK_SIZE) / 2;
            const char *anchor = x + half > width - 4 ? "end" : x - half < 4 ? "start" : "middle";
            double lx = !strcmp(anchor, "end") ? width - 4 : !strcmp(anchor, "start") ? 4 : x;
            write_text(f, lx, top - 7, anchor, TICK_SIZE, "fill=\"#444\"", c->reference_label);
        }
    }
    for (size_t i = 0; i < n_rows; i++) {
        const bar_row *row = &rows[i];
        char label[256];
        if (row->kind == ROW_HEADING) {
            int cut = fit_text(label, sizeof label, c->categories[row->c], LABEL_SIZE * 1.08,
                               width - 12);
            fprintf(f, "<text x=\"6\" y=\"%.1f\" font-size=\"%g\" font-weight=\"bold\" "
                       "fill=\"" TEXT_COLOUR "\">",
                    row->y + 12, LABEL_SIZE);
            plot_xml_escape(f, label);
            if (cut) {
                fputs("<title>", f);
                plot_xml_escape(f, c->categories[row->c]);
                fputs("</title>", f);
            }
            fputs("</text>\n", f);
            continue;
        }
        const plot_series *se = &c->series[row->s];
        double cy = row->y + BAR_ROW_H / 2;
        int cut = fit_text(label, sizeof label, se->name, LABEL_SIZE, ml - 14);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"%g\" fill=\"%s\">",
                ml - 6, cy + 3.8, LABEL_SIZE, TEXT_COLOUR);
        plot_xml_escape(f, label);
        if (cut) {
            fputs("<title>", f);
            plot_xml_escape(f, se->name);
            fputs("</title>", f);
        }
        fputs("</text>\n", f);
        if (row->kind == ROW_NOTE) {
            const plot_note *note = &c->notes[row->c * c->n_series + row->s];
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%g\" font-style=\"italic\" "
                       "fill=\"" NOTE_COLOUR "\">",
                    ml + 4, cy + 3.5, TICK_SIZE);
            plot_xml_escape(f, note->shown);
            if (note->tooltip) {
                fputs("<title>", f);
                plot_xml_escape(f, note->tooltip);
                fputs("</title>", f);
            }
            fputs("</text>\n", f);
            continue;
        }
        double v = se->y[row->c];
        double x1 = plot_scale_map(&s, v);
        double x0 = x1 < base ? x1 : base, w = fabs(x1 - base);
        if (w < 1)
            w = 1; /* a value at the axis floor still shows as a sliver */
        fprintf(f, "<g><title>");
        plot_xml_escape(f, se->name);
        if (c->categories[row->c] && *c->categories[row->c]) {
            fputs(" \xE2\x80\x94 ", f); /* em dash */
            plot_xml_escape(f, c->categories[row->c]);
        }
        fputs(": ", f);
        write_value(f, v, c->value_unit);
        fprintf(f, "</title>\n<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%g\" "
                   "fill=\"%s\"/>\n",
                x0, cy - BAR_H / 2, w, BAR_H, se->style.colour);
        write_marker(f, se->style, x1, cy, 3.6, 0, "#fff");
        char buf[64];
        format_number(buf, sizeof buf, v, 3);
        /* a white halo keeps the value readable where it crosses a gridline or the reference */
        write_text(f, x1 + 6, cy + 3.5, "start", TICK_SIZE,
                   "fill=\"" TEXT_COLOUR "\" paint-order=\"stroke\" stroke=\"#fff\" "
                   "stroke-width=\"3\"",
                   buf);
        fputs("</g>\n", f);
    }
    fputs("</svg>\n", f);
    free(rows);
}

/* ---- x-y chart -------------------------------------------------------------------------- */

typedef struct box {
    double x0, y0, x1, y1;
} box;

static double overlap(box a, box b)
{
    double w = (a.x1 < b.x1 ? a.x1 : b.x1) - (a.x0 > b.x0 ? a.x0 : b.x0);
    double h = (a.y1 < b.y1 ? a.y1 : b.y1) - (a.y0 > b.y0 ? a.y0 : b.y0);
    return w > 0 && h > 0 ? w * h : 0;
}

/* Where a point's label may go, relative to the point: the first of the least-covered wins, so
 * labels sit to the right unless something is there. */
static const struct {
    double dx, dy; /* the label box's anchor corner offset */
    int anchor;    /* 0 start, 1 middle, 2 end */
} label_spots[] = {
    {7, 0, 0}, {-7, 0, 2}, {0, -11, 1}, {0, 12, 1}, {6, -10, 0}, {6, 10, 0}, {-6, -10, 2},
    {-6, 10, 2},
};

static box label_box(double x, double y, double w, int spot)
{
    const double h = TICK_SIZE + 2;
    double cx = x + label_spots[spot].dx, cy = y + label_spots[spot].dy;
    double x0 = label_spots[spot].anchor == 0 ? cx : label_spots[spot].anchor == 1 ? cx - w / 2
                                                                                   : cx - w;
    return (box){x0, cy - h / 2, x0 + w, cy + h / 2};
}

typedef struct xy_point {
    double px, py;
    int hollow;
    size_t s, i;
} xy_point;

void plot_xy_chart_write(FILE *f, const plot_xy_chart *c)
{
    const double width = c->width > 0 ? c->width : 420;
    const double height = c->height > 0 ? c->height : 300;
    plot_range rx, ry;
    plot_range_init(&rx);
    plot_range_init(&ry);
    size_t n_points = 0;
    for (size_t s = 0; s < c->n_series; s++)
        for (size_t i = 0; i < c->series[s].n; i++) {
            double x = c->series[s].x[i], y = c->series[s].y[i];
            if (!isfinite(x) || !isfinite(y))
                continue;
            plot_range_add(&rx, x);
            plot_range_add(&ry, y);
            n_points++;
        }
    if (!n_points) {
        write_no_data(f, (int)width, c->title);
        return;
    }
    for (size_t h = 0; h < c->n_hlines; h++)
        plot_range_add(&ry, c->hlines[h].y);
    plot_scale sx, sy;
    plot_scale_fit(&sx, c->x_scale, &rx, 0);
    plot_scale_fit(&sy, c->y_scale, &ry, 0);

    /* left margin: the widest y tick label and the rotated axis label */
    double ticks[64], tick_w = 0;
    size_t nt = plot_scale_ticks(&sy, ticks, 64);
    for (size_t i = 0; i < nt; i++) {
        double w = tick_label_width(&sy, ticks[i]);
        tick_w = w > tick_w ? w : tick_w;
    }
    double ml = tick_w + 12 + (c->y_label ? 20 : 0);
    double mr = 16;
    double top = c->title && *c->title ? 28 : 8;

    /* the legend flows in rows above the plot, from the plot's left edge */
    double legend_h = 0;
    double *item_x = NULL, *item_y = NULL;
    if (c->legend && c->n_series) {
        item_x = malloc(c->n_series * sizeof *item_x);
        item_y = malloc(c->n_series * sizeof *item_y);
        if (!item_x || !item_y) {
            free(item_x);
            free(item_y);
            item_x = item_y = NULL;
        } else {
            double lx = ml, ly = top + 8;
            for (size_t s = 0; s < c->n_series; s++) {
                double w = 26 + plot_text_width(c->series[s].name, TICK_SIZE) + 14;
                if (lx + w > width - 8 && lx > ml) {
                    lx = ml;
                    ly += 16;
                }
                item_x[s] = lx;
                item_y[s] = ly;
                lx += w;
            }
            legend_h = ly - top + 10;
        }
    }
    double plot_top = top + legend_h + 8;
    double plot_bottom = height - (c->x_label ? 42 : 26);
    sx.px_lo = ml;
    sx.px_hi = width - mr;
    sy.px_lo = plot_bottom;
    sy.px_hi = plot_top;

    svg_open(f, (int)width, height, c->title);
    write_y_axis(f, &sy, ml, width - mr, c->y_label, 14);
    write_x_axis(f, &sx, plot_bottom, plot_top, c->x_label, (sx.px_lo + sx.px_hi) / 2);
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n", ml,
            plot_top, width - mr, plot_top, GRID_COLOUR);

    /* reference lines; their labels, taken from the lowest up, each at least a line above the
       one below it, so close bounds (3u, 3.5u, 4u) stay readable */
    double label_y[16];
    size_t order[16], nl = 0;
    for (size_t h = 0; h < c->n_hlines; h++) {
        if (!isfinite(c->hlines[h].y))
            continue;
        double y = plot_scale_map(&sy, c->hlines[h].y);
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\" "
                "stroke-width=\"1.2\" stroke-dasharray=\"6 4\"/>\n",
                ml, y, width - mr, y);
        if (c->hlines[h].label && nl < 16) {
            size_t k = nl++;
            while (k > 0 && label_y[k - 1] < y) { /* keep sorted, largest y (lowest) first */
                label_y[k] = label_y[k - 1];
                order[k] = order[k - 1];
                k--;
            }
            label_y[k] = y;
            order[k] = h;
        }
    }
    double below = 1e9;
    for (size_t k = 0; k < nl; k++) {
        double ly = label_y[k] - 4;
        if (ly > below - 12)
            ly = below - 12;
        below = ly;
        write_text(f, width - mr - 4, ly, "end", TICK_SIZE,
                   "fill=\"#444\" paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\"",
                   c->hlines[order[k]].label);
    }

    xy_point *pts = malloc((n_points ? n_points : 1) * sizeof *pts);
    if (!pts) {
        fputs("</svg>\n", f);
        free(item_x);
        free(item_y);
        return;
    }
    size_t np = 0;
    for (size_t s = 0; s < c->n_series; s++)
        for (size_t i = 0; i < c->series[s].n; i++) {
            double x = c->series[s].x[i], y = c->series[s].y[i];
            if (!isfinite(x) || !isfinite(y))
                continue;
            int hollow = (sx.kind == PLOT_LOG10 && x <= 0) || (sy.kind == PLOT_LOG10 && y <= 0);
            pts[np++] = (xy_point){plot_scale_map(&sx, x), plot_scale_map(&sy, y), hollow, s, i};
        }

    /* lines under every marker; a non-finite value breaks its line */
    if (c->lines) {
        size_t k = 0;
        for (size_t s = 0; s < c->n_series; s++) {
            const plot_series *se = &c->series[s];
            int open = 0;
            for (size_t i = 0; i < se->n; i++) {
                int here = k < np && pts[k].s == s && pts[k].i == i;
                if (!here) {
                    if (open)
                        fputs("\"/>\n", f);
                    open = 0;
                    continue;
                }
                if (!open)
                    fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\" "
                               "stroke-linejoin=\"round\" points=\"",
                            se->style.colour);
                fprintf(f, "%s%.1f,%.1f", open ? " " : "", pts[k].px, pts[k].py);
                open = 1;
                k++;
            }
            if (open)
                fputs("\"/>\n", f);
        }
    }
    for (size_t k = 0; k < np; k++) {
        const plot_series *se = &c->series[pts[k].s];
        size_t i = pts[k].i;
        fputs("<g><title>", f);
        plot_xml_escape(f, se->name);
        fputs(" \xE2\x80\x94 ", f);
        if (se->point_notes && se->point_notes[i])
            plot_xml_escape(f, se->point_notes[i]);
        else
            write_value(f, se->x[i], c->x_unit);
        fputs(": ", f);
        write_value(f, se->y[i], c->y_unit);
        fputs("</title>\n", f);
        write_marker(f, se->style, pts[k].px, pts[k].py, 4, pts[k].hollow, "#fff");
        fputs("</g>\n", f);
    }

    /* point labels: each where it covers the least of the other labels, markers and outside */
    if (c->label_points && np) {
        box *placed = malloc(np * sizeof *placed);
        box plot_box = {ml, plot_top, width - mr, plot_bottom};
        for (size_t k = 0; placed && k < np; k++) {
            const char *name = c->series[pts[k].s].name;
            double w = plot_text_width(name, TICK_SIZE);
            int best = 0;
            double best_score = INFINITY;
            for (int spot = 0; spot < (int)(sizeof label_spots / sizeof label_spots[0]);
                 spot++) {
                box b = label_box(pts[k].px, pts[k].py, w, spot);
                double area = (b.x1 - b.x0) * (b.y1 - b.y0);
                double score = 4 * (area - overlap(b, plot_box));
                for (size_t j = 0; j < k; j++)
                    score += overlap(b, placed[j]);
                for (size_t j = 0; j < np; j++) {
                    box m = {pts[j].px - 5, pts[j].py - 5, pts[j].px + 5, pts[j].py + 5};
                    score += overlap(b, m);
                }
                if (score < best_score - 1e-9) {
                    best_score = score;
                    best = spot;
                }
            }
            box b = label_box(pts[k].px, pts[k].py, w, best);
            placed[k] = b;
            const char *anchor = label_spots[best].anchor == 0   ? "start"
                                 : label_spots[best].anchor == 1 ? "middle"
                                                                 : "end";
            double tx = pts[k].px + label_spots[best].dx;
            write_text(f, tx, b.y1 - 2.5, anchor, TICK_SIZE,
                       "fill=\"" TEXT_COLOUR
                       "\" paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\"",
                       name);
        }
        free(placed);
    }

    if (item_x) {
        for (size_t s = 0; s < c->n_series; s++) {
            const plot_series *se = &c->series[s];
            double lx = item_x[s], ly = item_y[s];
            if (c->lines)
                fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                           "stroke-width=\"1.8\"/>\n",
                        lx, ly - 4, lx + 20, ly - 4, se->style.colour);
            write_marker(f, se->style, lx + 10, ly - 4, 4, 0, "#fff");
            write_text(f, lx + 26, ly, "start", TICK_SIZE, "fill=\"" TEXT_COLOUR "\"", se->name);
        }
    }
    fputs("</svg>\n", f);
    free(pts);
    free(item_x);
    free(item_y);
}

/* ---- heat map --------------------------------------------------------------------------- */

/* viridis (van der Walt and Smith, matplotlib 2.0) at nine even stops */
static const unsigned char viridis[9][3] = {
    {0x44, 0x01, 0x54}, {0x47, 0x2d, 0x7b}, {0x3b, 0x52, 0x8b}, {0x2c, 0x72, 0x8e},
    {0x21, 0x91, 0x8c}, {0x28, 0xae, 0x80}, {0x5e, 0xc9, 0x62}, {0xad, 0xdc, 0x30},
    {0xfd, 0xe7, 0x25}};

/* The colour of level k of PLOT_HEATMAP_LEVELS, as "#rrggbb". */
static void level_colour(int k, char out[8])
{
    double t = (double)k / (PLOT_HEATMAP_LEVELS - 1) * 8;
    int a = (int)t < 8 ? (int)t : 7;
    double u = t - a;
    int c[3];
    for (int i = 0; i < 3; i++)
        c[i] = (int)lround(viridis[a][i] + u * (viridis[a + 1][i] - viridis[a][i]));
    snprintf(out, 8, "#%02x%02x%02x", c[0], c[1], c[2]);
}

/* The colour level of v on [lo, hi] (values outside take the end levels), -1 for no value. */
static int level_of(double v, double lo, double hi)
{
    if (!isfinite(v))
        return -1;
    double t = floor((v - lo) / (hi - lo) * PLOT_HEATMAP_LEVELS);
    return t < 0 ? 0 : t >= PLOT_HEATMAP_LEVELS ? PLOT_HEATMAP_LEVELS - 1 : (int)t;
}

int plot_heatmap_cells(int n)
{
    return n > PLOT_HEATMAP_MAX_CELLS ? PLOT_HEATMAP_MAX_CELLS : n;
}

/* A linear scale over exactly [lo, hi], its ticks a 1-2-5 step from lo (cells line up with the
 * axis only when it is not rounded out). */
static plot_scale exact_scale(double lo, double hi, double px_lo, double px_hi)
{
    plot_scale s = {PLOT_LINEAR, lo, hi, nice_step((hi - lo) / 5), px_lo, px_hi};
    return s;
}

/* The colour scale beside a heat map or grid: the levels from lo (bottom) to hi (top) in a bar
 * bar_w wide and h tall at (x, top), ticks at the multiples of a 1-2-5 step labelled in the
 * units of the cells (value x label_scale), the caption turned along the right edge. */
typedef struct colour_legend {
    plot_scale sv;
    double ticks[64];
    size_t nt;
    double x, top, bar_w, h, label_scale, width; /* width: the legend's, bar to caption */
    const char *caption;
} colour_legend;

static colour_legend colour_legend_fit(double lo, double hi, double x, double top, double bar_w,
                                       double h, double label_scale, const char *caption)
{
    colour_legend l = {exact_scale(lo, hi, top + h, top), {0}, 0, x, top, bar_w, h,
                       label_scale > 0 ? label_scale : 1, 0, caption};
    for (double t = ceil(lo / l.sv.step - 1e-9) * l.sv.step;
         t <= hi + l.sv.step * 1e-9 && l.nt < 64; t += l.sv.step)
        l.ticks[l.nt++] = fabs(t) < l.sv.step * 1e-9 ? 0 : t;
    double label_w = 0;
    for (size_t i = 0; i < l.nt; i++) {
        double w = tick_label_width(&l.sv, l.ticks[i] * l.label_scale);
        label_w = w > label_w ? w : label_w;
    }
    l.width = bar_w + 8 + label_w + 8 + (caption ? 18 : 0);
    return l;
}

static void colour_legend_write(FILE *f, const colour_legend *l)
{
    for (int k = 0; k < PLOT_HEATMAP_LEVELS; k++) {
        char colour[8];
        level_colour(k, colour);
        double y1 = l->top + l->h - l->h * k / PLOT_HEATMAP_LEVELS;
        fprintf(f, "<rect x=\"%.1f\" y=\"%.2f\" width=\"%.1f\" height=\"%.2f\" fill=\"%s\" "
                   "shape-rendering=\"crispEdges\"/>\n",
                l->x, y1 - l->h / PLOT_HEATMAP_LEVELS - 0.3, l->bar_w,
                l->h / PLOT_HEATMAP_LEVELS + 0.3, colour);
    }
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
               "stroke=\"%s\"/>\n",
            l->x, l->top, l->bar_w, l->h, AXIS_COLOUR);
    double last_end = -1e9;
    for (size_t i = 0; i < l->nt; i++) {
        double y = plot_scale_map(&l->sv, l->ticks[i]);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                l->x + l->bar_w, y, l->x + l->bar_w + 4, y, AXIS_COLOUR);
        if (label_fits(&last_end, -y, TICK_SIZE))
            write_tick_label(f, &l->sv, l->ticks[i] * l->label_scale, l->x + l->bar_w + 6,
                             y + 3.5, "start");
    }
    if (l->caption) {
        fprintf(f,
                "<text transform=\"translate(%.1f %.1f) rotate(90)\" text-anchor=\"middle\" "
                "font-size=\"%g\" fill=\"%s\">",
                l->x + l->width - 10, l->top + l->h / 2, LABEL_SIZE, TEXT_COLOUR);
        plot_xml_escape(f, l->caption);
        fputs("</text>\n", f);
    }
}

void plot_heatmap_write(FILE *f, const plot_heatmap *h)
{
    const int rows = h->rows > 0 ? h->rows : 0, cols = h->cols > 0 ? h->cols : 0;
    const int nr = plot_heatmap_cells(rows), nc = plot_heatmap_cells(cols);
    /* block means: cell (a, b) averages rows [a rows / nr, (a + 1) rows / nr) and likewise */
    double *cell = malloc(((size_t)nr * (size_t)nc + 1) * sizeof *cell);
    if (!cell) {
        fputs("<!-- out of memory -->", f);
        return;
    }
    plot_range rg;
    plot_range_init(&rg);
    for (int a = 0; a < nr; a++)
        for (int b = 0; b < nc; b++) {
            double sum = 0;
            long n = 0;
            for (long i = (long)a * rows / nr; i < (long)(a + 1) * rows / nr; i++)
                for (long j = (long)b * cols / nc; j < (long)(b + 1) * cols / nc; j++) {
                    double v = h->values[i * cols + j];
                    if (isfinite(v)) {
                        sum += v;
                        n++;
                    }
                }
            cell[(size_t)a * nc + b] = n ? sum / (double)n : NAN;
            plot_range_add(&rg, cell[(size_t)a * nc + b]);
        }
    if (!(rg.min <= rg.max)) {
        free(cell);
        write_no_data(f, (h->size > 0 ? h->size : 360) + 120, h->title);
        return;
    }
    double lo = h->lo, hi = h->hi;
    if (!(lo < hi) || !isfinite(lo) || !isfinite(hi)) {
        lo = rg.min <= rg.max ? rg.min : 0;
        hi = rg.min <= rg.max ? rg.max : 1;
        if (!(lo < hi))
            hi = lo + 1;
    }

    const double side = h->size > 0 ? h->size : 360;
    const double cw = side / (nc > nr ? nc : nr ? nr : 1), pw = cw * nc, ph = cw * nr;
    const double ml = 52 + (h->y_label ? 8 : 0), top = h->title && *h->title ? 30 : 10;
    const double bar_x = ml + pw + 18, bar_w = 14;
    const colour_legend legend =
        colour_legend_fit(lo, hi, bar_x, top, bar_w, ph, 1, h->value_label);
    const double width = bar_x + legend.width;
    const double height = top + ph + (h->x_label ? 42 : 26);

    svg_open(f, (int)ceil(width), height, h->title);
    plot_scale sx = exact_scale(0, cols, ml, ml + pw), sy = exact_scale(0, rows, top + ph, top);
    write_y_axis(f, &sy, ml, ml + pw, h->y_label, 14);
    write_x_axis(f, &sx, top + ph, top, h->x_label, ml + pw / 2);

    /* one path per colour level, a subpath per run of equal cells in a row */
    for (int k = 0; k < PLOT_HEATMAP_LEVELS; k++) {
        char colour[8];
        level_colour(k, colour);
        int open = 0;
        for (int a = 0; a < nr; a++) {
            double y = top + ph - (a + 1) * cw;
            for (int b = 0; b < nc;) {
                const int lv = level_of(cell[(size_t)a * nc + b], lo, hi);
                int e = b + 1;
                while (e < nc && level_of(cell[(size_t)a * nc + e], lo, hi) == lv)
                    e++;
                if (lv == k) {
                    if (!open)
                        fprintf(f, "<path fill=\"%s\" shape-rendering=\"crispEdges\" d=\"", colour);
                    open = 1;
                    /* a hair wider than the cells, so no seam shows between runs */
                    fprintf(f, "M%.2f %.2fh%.2fv%.2fh%.2fz", ml + b * cw, y, (e - b) * cw + 0.3,
                            cw + 0.3, -((e - b) * cw + 0.3));
                }
                b = e;
            }
        }
        if (open)
            fputs("\"/>\n", f);
    }
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
               "stroke=\"%s\"/>\n",
            ml, top, pw, ph, AXIS_COLOUR);

    colour_legend_write(f, &legend);
    fputs("</svg>\n", f);
    free(cell);
}

/* ---- grid: a table of values as coloured cells ------------------------------------------ */

#define GRID_HEADING_H 15.0

/* Black text on the light end of viridis, white on the dark end. */
static const char *text_on_level(int k)
{
    return k >= PLOT_HEATMAP_LEVELS * 11 / 20 ? "#000" : "#fff";
}

/* 1 when row r of g starts a group: its heading goes above it. */
static int grid_heading_at(const plot_grid *g, size_t r)
{
    const char *const *h = g->row_groups;
    return h && h[r] && (r == 0 || !h[r - 1] || strcmp(h[r], h[r - 1]));
}

void plot_grid_write(FILE *f, const plot_grid *g)
{
    size_t n_values = 0, n_labelled = 0;
    for (size_t i = 0; i < g->n_rows * g->n_cols; i++) {
        n_values += isfinite(g->values[i]) != 0;
        n_labelled += g->notes && g->notes[i];
    }
    const double cw = g->cell_w > 0 ? g->cell_w : 24, ch = g->cell_h > 0 ? g->cell_h : 14;
    if (!n_values && !n_labelled) {
        write_no_data(f, (int)(cw * (double)g->n_cols) + 160, g->title);
        return;
    }
    double lo = g->lo, hi = g->hi;
    if (!(lo < hi) || !isfinite(lo) || !isfinite(hi)) {
        plot_range rg;
        plot_range_init(&rg);
        for (size_t i = 0; i < g->n_rows * g->n_cols; i++)
            plot_range_add(&rg, g->values[i]);
        lo = rg.min <= rg.max ? rg.min : 0;
        hi = rg.min <= rg.max && rg.max > lo ? rg.max : lo + 1;
    }
    double label_w = 0, col_w = 0;
    for (size_t r = 0; r < g->n_rows; r++) {
        double w = plot_text_width(g->row_labels[r], TICK_SIZE);
        label_w = w > label_w ? w : label_w;
    }
    for (size_t c = 0; c < g->n_cols; c++) {
        double w = plot_text_width(g->col_labels[c], TICK_SIZE);
        col_w = w > col_w ? w : col_w;
    }
    const double max_label = g->max_label_w > 0 ? g->max_label_w : 260;
    label_w = label_w < max_label ? label_w : max_label;
    /* column labels turned to -60 degrees: their height is their width times sin 60 */
    const double top = (g->title && *g->title ? 26 : 6) + col_w * 0.87 + 6;
    const double ml = label_w + 12;
    size_t n_headings = 0;
    for (size_t r = 0; r < g->n_rows; r++)
        n_headings += grid_heading_at(g, r);
    const double ph = ch * (double)g->n_rows + GRID_HEADING_H * (double)n_headings;
    const double pw = cw * (double)g->n_cols;
    const double bar_x = ml + pw + 16, bar_w = 12, bar_h = ph < 240 ? ph : 240;
    const colour_legend legend =
        colour_legend_fit(lo, hi, bar_x, top, bar_w, bar_h, g->text_scale, g->value_label);
    /* the last column's label leans right past the cells by half its length (cos 60) */
    const double lean = ml + cw * ((double)g->n_cols - 0.5) + 3 + col_w * 0.5 + 4;
    double width = g->no_legend ? ml + pw + 8 : bar_x + legend.width;
    width = width > lean ? width : lean;
    const double title_w = g->title ? plot_text_width(g->title, TITLE_SIZE) * 1.05 + 16 : 0;
    width = width > title_w ? width : title_w;
    const double height = top + ph + 8;
    svg_open(f, (int)ceil(width), height, g->title);

    /* column labels, each ending above its column */
    for (size_t c = 0; c < g->n_cols; c++) {
        double x = ml + cw * ((double)c + 0.5) + 3, y = top - 4;
        fprintf(f, "<text transform=\"translate(%.1f %.1f) rotate(-60)\" font-size=\"%g\" "
                   "fill=\"%s\">",
                x, y, TICK_SIZE, TEXT_COLOUR);
        plot_xml_escape(f, g->col_labels[c]);
        fputs("</text>\n", f);
    }
    double y = top;
    for (size_t r = 0; r < g->n_rows; r++) {
        if (grid_heading_at(g, r)) {
            write_text(f, 4, y + GRID_HEADING_H - 3.5, "start", LABEL_SIZE,
                       "font-weight=\"bold\" fill=\"" TEXT_COLOUR "\"", g->row_groups[r]);
            fprintf(f, "<line x1=\"4\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                    y + GRID_HEADING_H - 0.5, ml + pw, y + GRID_HEADING_H - 0.5, GRID_COLOUR);
            y += GRID_HEADING_H;
        }
        char label[256];
        int cut = fit_text(label, sizeof label, g->row_labels[r], TICK_SIZE, label_w);
        fputs("<g>", f);
        if (cut) {
            fputs("<title>", f);
            plot_xml_escape(f, g->row_labels[r]);
            fputs("</title>", f);
        }
        write_text(f, ml - 6, y + ch - 3.5, "end", TICK_SIZE, "fill=\"" TEXT_COLOUR "\"", label);
        fputs("</g>\n", f);
        for (size_t c = 0; c < g->n_cols; c++) {
            const size_t i = r * g->n_cols + c;
            const double v = g->values[i];
            const char *note = g->notes ? g->notes[i] : NULL;
            const int lv = level_of(v, lo, hi);
            const double x = ml + cw * (double)c;
            if (lv < 0 && !note)
                continue; /* no case: left blank */
            fputs("<g><title>", f);
            if (g->row_groups && g->row_groups[r] && *g->row_groups[r]) {
                plot_xml_escape(f, g->row_groups[r]); /* the row's full name: heading/label */
                fputs("/", f);
            }
            plot_xml_escape(f, g->row_labels[r]);
            fputs(", ", f);
            plot_xml_escape(f, g->col_labels[c]);
            fputs(": ", f);
            if (lv >= 0)
                write_value(f, v, g->value_unit);
            else
                plot_xml_escape(f, note);
            fputs("</title>", f);
            char colour[8] = "#eeeeee";
            if (lv >= 0)
                level_colour(lv, colour);
            fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
                       "stroke=\"#fff\" stroke-width=\"1\" data-value=\"",
                    x, y, cw, ch, colour);
            write_value(f, v, NULL);
            fputs("\"/>", f);
            if (g->marked && g->marked[i])
                fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                           "fill=\"none\" stroke=\"#D55E00\" stroke-width=\"2\"/>",
                        x + 1, y + 1, cw - 2, ch - 2);
            if (lv >= 0 && g->text_scale > 0 && cw >= 16) {
                char t[32];
                format_number(t, sizeof t, round(v * g->text_scale), 3);
                fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"9\" "
                           "fill=\"%s\">%s</text>",
                        x + cw / 2, y + ch - 3.5, text_on_level(lv), t);
            } else if (lv < 0) {
                fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"9\" "
                           "fill=\"%s\">&#215;</text>",
                        x + cw / 2, y + ch - 3.5, NOTE_COLOUR);
            }
            fputs("</g>\n", f);
        }
        y += ch;
    }

    if (!g->no_legend)
        colour_legend_write(f, &legend);
    fputs("</svg>\n", f);
}
