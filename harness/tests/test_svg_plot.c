/* test_svg_plot.c - svg_plot's charts read back from their SVG: each value lands where the
 * chart's own axis (its tick labels and gridlines) puts it, on linear and log10 axes, heat map
 * colours rise with the value, charts with nothing finite say "no data", text is escaped. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "html_check.h"
#include "svg_plot.h"

/* ---- rendering to a string ------------------------------------------------------------- */

typedef void (*writer)(FILE *, const void *);

static void bar_w(FILE *f, const void *c) { plot_bar_chart_write(f, c); }
static void xy_w(FILE *f, const void *c) { plot_xy_chart_write(f, c); }
static void heat_w(FILE *f, const void *c) { plot_heatmap_write(f, c); }
static void grid_w(FILE *f, const void *c) { plot_grid_write(f, c); }

static char *render(writer w, const void *chart, const char *what)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        perror("open_memstream");
        exit(2);
    }
    w(f, chart);
    fclose(f);
    char why[200];
    CHECK(html_well_formed(buf, why, sizeof why), "%s: not well formed: %s", what, why);
    CHECK(!strncmp(buf, "<svg", 4) && strstr(buf, "</svg>"), "%s: not one <svg> element", what);
    /* a number printed from NaN or an infinity is garbage whatever the chart */
    CHECK(!strstr(buf, "nan") && !strstr(buf, "inf") && !strstr(buf, "NaN"),
          "%s: a non-finite number was printed", what);
    return buf;
}

/* ---- reading the SVG back --------------------------------------------------------------- */

/* The number in attribute name of the tag starting at tag, NAN when absent. */
static double attr(const char *tag, const char *name)
{
    const char *end = strchr(tag, '>');
    char key[40];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *p = strstr(tag, key);
    if (!p || (end && p > end))
        return NAN;
    return strtod(p + strlen(key), NULL);
}

static int attr_is(const char *tag, const char *name, const char *value)
{
    const char *end = strchr(tag, '>');
    char key[80];
    snprintf(key, sizeof key, " %s=\"%s\"", name, value);
    const char *p = strstr(tag, key);
    return p && (!end || p < end);
}

/* The text content of the element starting at tag, into out. */
static void content(const char *tag, char *out, size_t n)
{
    const char *p = strchr(tag, '>');
    size_t k = 0;
    if (p)
        for (p++; *p && *p != '<' && k + 1 < n; p++)
            out[k++] = *p;
    out[k] = '\0';
}

/* An axis as the SVG draws it: (pixel, value) of every labelled tick. */
typedef struct axis {
    size_t n;
    double px[64], value[64];
    int log;
} axis;

static int plain_number(const char *s, double *v)
{
    char *end;
    *v = strtod(s, &end);
    return end != s && *end == '\0';
}

/* The x axis: tick labels are centred on their tick (text-anchor middle, font-size 10). */
static axis x_axis(const char *svg, int log)
{
    axis a = {0, {0}, {0}, log};
    for (const char *p = svg; (p = strstr(p, "<text ")); p++) {
        char s[64];
        double v;
        content(p, s, sizeof s);
        if (attr_is(p, "text-anchor", "middle") && attr_is(p, "font-size", "10") &&
            plain_number(s, &v) && a.n < 64) {
            a.px[a.n] = attr(p, "x");
            a.value[a.n++] = v;
        }
    }
    return a;
}

/* The y axis: a tick label (anchor end, font-size 10) sits beside its gridline, the nearest
 * horizontal line of the grid's colour. */
static axis y_axis(const char *svg, int log)
{
    axis a = {0, {0}, {0}, log};
    const char *grid = strstr(svg, "<g stroke=\"#e3e3e3\"");
    for (const char *p = svg; (p = strstr(p, "<text ")); p++) {
        char s[64];
        double v;
        content(p, s, sizeof s);
        if (!(attr_is(p, "text-anchor", "end") && attr_is(p, "font-size", "10") &&
              plain_number(s, &v)) || a.n >= 64)
            continue;
        double ty = attr(p, "y"), best = NAN;
        const char *g_end = grid ? strstr(grid, "</g>") : NULL;
        for (const char *l = grid; l && l < g_end && (l = strstr(l, "<line ")) && l < g_end; l++)
            if (attr(l, "y1") == attr(l, "y2") &&
                (isnan(best) || fabs(attr(l, "y1") - ty) < fabs(best - ty)))
                best = attr(l, "y1");
        if (!isnan(best) && fabs(best - ty) < 6) {
            a.px[a.n] = best;
            a.value[a.n++] = v;
        }
    }
    return a;
}

/* Where the axis puts v: the line through its first and last ticks (in log10 on a log axis),
 * after checking every tick lies on that line. */
static double axis_map(const axis *a, double v, const char *what)
{
    if (a->n < 2) {
        CHECK(0, "%s: %zu labelled ticks", what, a->n);
        return NAN;
    }
    double t0 = a->log ? log10(a->value[0]) : a->value[0];
    double t1 = a->log ? log10(a->value[a->n - 1]) : a->value[a->n - 1];
    double slope = (a->px[a->n - 1] - a->px[0]) / (t1 - t0);
    for (size_t i = 0; i < a->n; i++) {
        double t = a->log ? log10(a->value[i]) : a->value[i];
        CHECK(fabs(a->px[0] + (t - t0) * slope - a->px[i]) < 0.15,
              "%s: tick %g at %.1f px, not on the axis's %s line", what, a->value[i], a->px[i],
              a->log ? "log10" : "linear");
    }
    double t = a->log ? log10(v) : v;
    return a->px[0] + (t - t0) * slope;
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* ---- bar charts ------------------------------------------------------------------------- */

static const plot_style blue = {"#0072B2", PLOT_MARKER_CIRCLE};

/* The right end of every bar of colour (x + width), in order. */
static size_t bar_ends(const char *svg, const char *colour, double *ends, size_t max)
{
    size_t n = 0;
    for (const char *p = svg; (p = strstr(p, "<rect ")) && n < max; p++)
        if (attr_is(p, "fill", colour) && attr_is(p, "height", "10"))
            ends[n++] = attr(p, "x") + attr(p, "width");
    return n;
}

static void test_bars(plot_scale_kind kind, const double *v, size_t n, const char *what)
{
    const char *names[] = {"first", "second", "third", "fourth"};
    plot_series se[4];
    for (size_t i = 0; i < n; i++)
        se[i] = (plot_series){names[i], blue, NULL, &v[i], 1, NULL};
    const char *cat = "case";
    plot_bar_chart c = {"bars", "value", "ns", 1, &cat, n, se, NULL, kind, NAN, NULL, 500};
    char *svg = render(bar_w, &c, what);
    axis a = x_axis(svg, kind == PLOT_LOG10);
    double ends[8];
    size_t nb = bar_ends(svg, blue.colour, ends, 8);
    CHECK(nb == n, "%s: %zu bars for %zu values", what, nb, n);
    for (size_t i = 0; i < nb && i < n; i++) {
        double want = axis_map(&a, v[i], what);
        CHECK(fabs(ends[i] - want) < 0.2, "%s: bar of %g ends at %.1f px, its axis puts it at "
              "%.2f", what, v[i], ends[i], want);
    }
    /* the tooltip gives the exact value and unit */
    char tip[64];
    snprintf(tip, sizeof tip, "first \xE2\x80\x94 case: %.9g ns</title>", v[0]);
    CHECK(strstr(svg, tip) != NULL, "%s: no tooltip '%s'", what, tip);
    free(svg);
}

/* ---- x-y charts ------------------------------------------------------------------------- */

static void test_xy(int lines)
{
    const char *what = lines ? "log-log lines" : "scatter";
    /* values inside [0.001, 10000]: the axes label them as plain numbers */
    double x[] = {1, 30, 1000, 5}, y[] = {0.02, 0.5, 40, 0};
    plot_series se = {"a<b & \"c\"", blue, x, y, 4, NULL};
    plot_xy_chart c = {"x<y", "position", "error", NULL, "u", PLOT_LOG10, PLOT_LOG10, 1, &se,
                       lines, !lines, 1, 0, NULL, 600, 320};
    char *svg = render(xy_w, &c, what);
    axis ax = x_axis(svg, 1), ay = y_axis(svg, 1);
    size_t k = 0;
    for (const char *p = svg; (p = strstr(p, "<circle ")); p++) {
        if (attr(p, "r") != 4.0 || k >= 4)
            continue; /* the legend's marker comes last, outside the plot */
        double cx = attr(p, "cx"), cy = attr(p, "cy");
        if (y[k] > 0) {
            CHECK(fabs(cx - axis_map(&ax, x[k], what)) < 0.2 &&
                      fabs(cy - axis_map(&ay, y[k], what)) < 0.2,
                  "%s: point (%g, %g) at (%.1f, %.1f), its axes put it at (%.2f, %.2f)", what,
                  x[k], y[k], cx, cy, axis_map(&ax, x[k], what), axis_map(&ay, y[k], what));
            CHECK(attr_is(p, "fill", blue.colour), "%s: point %zu not filled", what, k);
        } else {
            /* 0 on a log axis: hollow, on the bottom edge (below the lowest tick) */
            CHECK(attr_is(p, "fill", "#fff") && cy >= ay.px[0] - 0.05,
                  "%s: the zero is not a hollow marker on the bottom edge", what);
        }
        k++;
    }
    CHECK(k == 4, "%s: %zu markers for 4 points", what, k);
    if (lines) {
        /* the polyline joins the same pixels, breaking nowhere: every value is finite */
        const char *pl = strstr(svg, "<polyline ");
        CHECK(pl && count(svg, "<polyline ") == 1, "%s: one line expected", what);
        if (pl) {
            const char *pts = strstr(pl, "points=\"") + 8;
            double px = strtod(pts, NULL);
            CHECK(fabs(px - axis_map(&ax, x[0], what)) < 0.2, "%s: line starts at %.1f", what,
                  px);
        }
    } else {
        CHECK(count(svg, "<polyline") == 0, "%s: a scatter has no lines", what);
    }
    CHECK(strstr(svg, "a&lt;b &amp; &quot;c&quot;") && !strstr(svg, "a<b"),
          "%s: the series name is not escaped", what);
    CHECK(strstr(svg, "<title>x&lt;y</title>") != NULL, "%s: the title is not escaped", what);
    free(svg);
}

/* ---- heat maps -------------------------------------------------------------------------- */

static double luminance(const char *hex)
{
    unsigned r, g, b;
    if (sscanf(hex, "#%2x%2x%2x", &r, &g, &b) != 3)
        return NAN;
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/* The fill of the heat-map cell whose run starts at (x, y), from the paths' subpaths. */
static int cell_fill(const char *svg, double x, double y, char out[8])
{
    for (const char *p = svg; (p = strstr(p, "<path fill=\"")); p++) {
        const char *d = strstr(p, " d=\""), *end = d ? strchr(d + 4, '"') : NULL;
        for (const char *m = d; m && (m = strchr(m, 'M')) && m < end; m++) {
            double mx, my;
            if (sscanf(m, "M%lf %lf", &mx, &my) == 2 && fabs(mx - x) < 0.01 &&
                fabs(my - y) < 0.01) {
                memcpy(out, p + 12, 7);
                out[7] = '\0';
                return 1;
            }
        }
    }
    return 0;
}

static void test_heatmap(void)
{
    /* 2 rows x 4 columns, distinct values; row 0 is drawn at the bottom */
    const double v[] = {0, 1, 2, 3, 4, 5, 6, 7};
    plot_heatmap h = {"heat", "offset", "query", "score", 2, 4, v, 0, 7, 200};
    char *svg = render(heat_w, &h, "heat map");
    /* the frame rect gives the cell area: x, y (top), width */
    const char *frame = NULL;
    for (const char *p = svg; (p = strstr(p, "<rect ")); p++)
        if (attr_is(p, "fill", "none")) {
            frame = p;
            break;
        }
    CHECK(frame != NULL, "heat map: no frame");
    if (frame) {
        double ml = attr(frame, "x"), top = attr(frame, "y"), cw = attr(frame, "width") / 4;
        double last = -1;
        for (int i = 0; i < 8; i++) {
            int row = i / 4, col = i % 4;
            char fill[8];
            /* each cell is its own run (all values differ) */
            int found = cell_fill(svg, ml + col * cw, top + (1 - row) * cw, fill);
            CHECK(found, "heat map: no cell at row %d col %d", row, col);
            if (!found)
                continue;
            double lum = luminance(fill);
            CHECK(lum > last, "heat map: value %g is not lighter than the one below it (%s)",
                  v[i], fill);
            last = lum;
            if (i == 0)
                CHECK(!strcmp(fill, "#440154"), "heat map: lo is %s, not viridis' first", fill);
            if (i == 7)
                CHECK(!strcmp(fill, "#fde725"), "heat map: hi is %s, not viridis' last", fill);
        }
    }
    free(svg);

    /* a NaN cell is left blank: one fewer cell drawn, the others unchanged */
    double w[] = {0, NAN, 2, 3, 4, 5, INFINITY, 7};
    h.values = w;
    svg = render(heat_w, &h, "heat map with NaN and inf");
    size_t cells = 0;
    for (const char *p = svg; (p = strstr(p, "<path fill=\"")); p++)
        cells += count(strstr(p, " d=\""), "z") - count(strstr(p, "\"/>"), "z");
    CHECK(cells == 6, "heat map: %zu cells drawn for 6 finite values", cells);
    free(svg);
}

/* ---- grid ------------------------------------------------------------------------------- */

static void test_grid(void)
{
    const char *rows[] = {"apply/T=<4096>", "decode"}, *cols[] = {"scalar", "avx2", "avx512"};
    const char *heads[] = {"rotary & co", "rotary & co"};
    const double v[] = {0.05, 0.4, 0.9, 0.2, NAN, 1.3};
    const char *notes[] = {NULL, NULL, NULL, NULL, "skipped: needs <avx2>", NULL};
    const unsigned char marked[] = {0, 0, 1, 0, 0, 0};
    plot_grid g = {"limits", "% of the limit", "x", 2, 3, rows, cols, heads, v, notes, marked,
                   0, 1, 100, 22, 12, 0, 0};
    char *svg = render(grid_w, &g, "grid");
    double last = -1;
    const double order[] = {0.05, 0.2, 0.4, 0.9, 1.3};
    for (int k = 0; k < 5; k++) {
        char key[64];
        snprintf(key, sizeof key, "data-value=\"%.9g\"", order[k]);
        const char *p = strstr(svg, key);
        CHECK(p != NULL, "grid: no cell of value %g", order[k]);
        if (!p)
            continue;
        while (p > svg && strncmp(p, "<rect ", 6))
            p--;
        char fill[8];
        const char *fp = strstr(p, "fill=\"");
        memcpy(fill, fp + 6, 7);
        fill[7] = '\0';
        double lum = luminance(fill);
        /* above hi (1.3 > 1) takes the top colour, as 0.9 nearly does */
        CHECK(lum > last || (order[k] > 1 && lum >= last), "grid: %g not lighter (%s)",
              order[k], fill);
        last = lum;
    }
    CHECK(strstr(svg, ">130</text>") && strstr(svg, ">5</text>"),
          "grid: cells do not show value x 100");
    CHECK(strstr(svg, "skipped: needs &lt;avx2&gt;") && !strstr(svg, "<avx2>"),
          "grid: the note is not escaped or not shown");
    CHECK(strstr(svg, "apply/T=&lt;4096&gt;") && strstr(svg, "rotary &amp; co"),
          "grid: row labels or headings not escaped");
    CHECK(count(svg, "stroke=\"#D55E00\"") == 1, "grid: the marked cell is not outlined once");
    CHECK(strstr(svg, "<title>rotary &amp; co/decode, avx512: 1.3 x</title>") != NULL,
          "grid: a cell's tooltip does not name its row, column and value");
    free(svg);
}

/* ---- nothing to draw -------------------------------------------------------------------- */

static void test_no_data(void)
{
    const double bad[] = {NAN, INFINITY, -INFINITY};
    plot_series se = {"s", blue, bad, bad, 3, NULL};
    const char *cats[] = {"a", "b", "c"};
    plot_bar_chart b = {"empty & bars", "v", NULL, 3, cats, 1, &se, NULL, PLOT_AUTO, NAN, NULL,
                        400};
    plot_xy_chart x = {"empty xy", "x", "y", NULL, NULL, PLOT_LOG10, PLOT_LOG10, 1, &se, 1, 0, 1,
                       0, NULL, 400, 300};
    plot_heatmap h = {"empty heat", NULL, NULL, NULL, 1, 3, bad, NAN, NAN, 100};
    const char *rl[] = {"r"}, *cl[] = {"a", "b", "c"};
    plot_grid g = {"empty grid", NULL, NULL, 1, 3, rl, cl, NULL, bad, NULL, NULL, 0, 1, 100, 20,
                   12, 0, 0};
    plot_bar_chart none = b;
    none.n_categories = 0;
    none.n_series = 0;
    struct {
        writer w;
        const void *c;
        const char *what;
    } t[] = {{bar_w, &b, "bars of NaN and inf"},
             {bar_w, &none, "bars without series"},
             {xy_w, &x, "x-y of NaN and inf"},
             {heat_w, &h, "heat map of NaN and inf"},
             {grid_w, &g, "grid of NaN and inf"}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char *svg = render(t[i].w, t[i].c, t[i].what);
        CHECK(strstr(svg, ">no data</text>") != NULL, "%s: no \"no data\"", t[i].what);
        CHECK(count(svg, "<polyline") == 0 && count(svg, "<circle") == 0 &&
                  count(svg, "<path") == 0,
              "%s: drew marks with nothing to draw", t[i].what);
        free(svg);
    }
    /* the title is escaped there too */
    char *svg = render(bar_w, &b, "empty bars");
    CHECK(strstr(svg, "empty &amp; bars") && !strstr(svg, "empty & bars"),
          "no-data title not escaped");
    free(svg);
}

/* ---- scales ----------------------------------------------------------------------------- */

static void test_scales(void)
{
    plot_range r;
    plot_range_init(&r);
    plot_range_add(&r, 3);
    plot_range_add(&r, 450);
    plot_range_add(&r, NAN);
    plot_range_add(&r, INFINITY);
    plot_scale s;
    plot_scale_fit(&s, PLOT_AUTO, &r, 0);
    CHECK(s.kind == PLOT_LOG10 && s.lo == 1 && s.hi == 1000,
          "3..450 should fit log10 [1, 1000], got kind %d [%g, %g]", (int)s.kind, s.lo, s.hi);
    s.px_lo = 100;
    s.px_hi = 400;
    CHECK(fabs(plot_scale_map(&s, 10) - 200) < 1e-9 && fabs(plot_scale_map(&s, 100) - 300) < 1e-9,
          "log10 map: 10 -> %g, 100 -> %g", plot_scale_map(&s, 10), plot_scale_map(&s, 100));
    CHECK(plot_scale_map(&s, 0) == 100 && plot_scale_map(&s, -5) == 100,
          "log10 map of <= 0 is not the axis edge");
    plot_scale_fit(&s, PLOT_LINEAR, &r, 1);
    CHECK(s.kind == PLOT_LINEAR && s.lo == 0 && s.hi >= 450 && s.step > 0,
          "linear fit with zero: [%g, %g] step %g", s.lo, s.hi, s.step);
}

int main(void)
{
    const double lin[] = {0.5, 2.5, 7};
    const double lg[] = {3, 40, 900};
    test_bars(PLOT_LINEAR, lin, 3, "linear bars");
    test_bars(PLOT_LOG10, lg, 3, "log10 bars");
    test_xy(1);
    test_xy(0);
    test_heatmap();
    test_grid();
    test_no_data();
    test_scales();
    return tests_exit_code("test_svg_plot");
}
