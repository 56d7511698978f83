/* svg_plot.h - a small plotting layer for report.html: linear and log10 scales with ticks,
 * grouped horizontal bar charts, line and scatter charts, heat maps of a matrix and labelled
 * grids of values, legends and a colour-blind-friendly style per series, all written as inline SVG to a FILE*. Text is
 * escaped for XML; nothing refers to fonts, styles or scripts outside the SVG, so a report opens
 * offline. */
#ifndef POSENC_SVG_PLOT_H
#define POSENC_SVG_PLOT_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- text ------------------------------------------------------------------------------- */

/* Writes s with & < > " ' replaced by entities and control characters other than tab and
 * newline dropped (XML 1.0 forbids them): safe in element text and in quoted attributes. */
void plot_xml_escape(FILE *f, const char *s);

/* An estimate of the width in pixels of s in a sans-serif font of `size` px, on the wide side
 * so that layouts made with it do not overlap. Counts UTF-8 code points, not bytes. */
double plot_text_width(const char *s, double size);

/* ---- scales ----------------------------------------------------------------------------- */

typedef enum plot_scale_kind {
    PLOT_AUTO,   /* log10 when every value is positive and they span more than PLOT_LOG_SPAN */
    PLOT_LINEAR,
    PLOT_LOG10
} plot_scale_kind;

/* Beyond this ratio of largest to smallest value a linear axis squeezes the small ones into a
 * few pixels, so PLOT_AUTO picks log10. */
#define PLOT_LOG_SPAN 30.0

typedef struct plot_scale {
    plot_scale_kind kind; /* PLOT_LINEAR or PLOT_LOG10 once fitted */
    double lo, hi;        /* the domain, rounded out to ticks (decades on log10) */
    double step;          /* linear: the tick step */
    double px_lo, px_hi;  /* where lo and hi land, in pixels (px_hi < px_lo for a y axis) */
} plot_scale;

/* The values a scale must cover; non-finite values are ignored. */
typedef struct plot_range {
    double min, max, min_positive;
} plot_range;

void plot_range_init(plot_range *r);
void plot_range_add(plot_range *r, double v);

/* Fits the domain of s to r (px_lo and px_hi are the caller's). kind PLOT_AUTO chooses as
 * described above; log10 covers the positive values, rounded out to whole decades; linear rounds
 * out to a 1-2-5 step and includes 0 when include_zero is set (bars start at 0). An empty range
 * gets a default domain. */
void plot_scale_fit(plot_scale *s, plot_scale_kind kind, const plot_range *r, int include_zero);

/* Pixel position of v; on log10, values <= 0 map to px_lo (the axis edge). */
double plot_scale_map(const plot_scale *s, double v);

/* The labelled ticks of a fitted scale: decades on log10 (and 2 and 5 between them when the
 * scale spans two decades or less), the 1-2-5 step on linear. Returns the count written (at
 * most max). */
size_t plot_scale_ticks(const plot_scale *s, double *ticks, size_t max);

/* ---- styles ----------------------------------------------------------------------------- */

enum { PLOT_MARKER_CIRCLE, PLOT_MARKER_SQUARE, PLOT_MARKER_TRIANGLE, PLOT_MARKER_DIAMOND,
       PLOT_MARKER_TRIANGLE_DOWN, PLOT_N_MARKERS };

/* The Okabe-Ito palette without its yellow, which is unreadable as a thin line on white. */
#define PLOT_N_COLOURS 7

typedef struct plot_style {
    const char *colour; /* "#rrggbb" */
    int marker;         /* PLOT_MARKER_* */
} plot_style;

#define PLOT_PALETTE_MAX 64
#define PLOT_KEY_MAX 48

/* Styles for a set of keys (an implementation's backend, say): each key's slot, and so its
 * colour and marker, comes from a hash of its name, so a key looks the same in every report
 * whatever else ran; a key whose slot is taken moves to the next one, preferring a colour no
 * other key has yet, so keys of one report never share both colour and marker. */
typedef struct plot_palette {
    size_t n;
    char keys[PLOT_PALETTE_MAX][PLOT_KEY_MAX];
    int pinned[PLOT_PALETTE_MAX]; /* a slot asked for, or -1 */
    int slot[PLOT_PALETTE_MAX];   /* after plot_palette_assign */
} plot_palette;

void plot_palette_init(plot_palette *p);
/* Adds key (once; longer keys are cut, more than PLOT_PALETTE_MAX keys share the last slot's
 * style). pin >= 0 asks for a fixed slot: slot 0 is black with circles, for a reference. */
void plot_palette_add(plot_palette *p, const char *key, int pin);
/* Gives every key its slot; keys are processed in sorted order so the result depends only on
 * the set of keys. */
void plot_palette_assign(plot_palette *p);
/* The style of key; a key never added gets its hashed style. */
plot_style plot_palette_style(const plot_palette *p, const char *key);

/* ---- charts ----------------------------------------------------------------------------- */

/* One series: a name for the legend and tooltips, its style, and n values. Bar charts read
 * y[c] for category c (x unused); line and scatter charts read (x[i], y[i]). NaN is "no value":
 * no bar, or a break in the line. */
typedef struct plot_series {
    const char *name;
    plot_style style;
    const double *x, *y;
    size_t n;
    const char *const *point_notes; /* x-y charts: what a point's tooltip says in place of its
                                       x value ("positions [0, 10)"); NULL or NULL entries: x */
} plot_series;

/* What a bar chart shows where a series has no value for a category: `shown` beside the axis
 * (short: "skipped"), `tooltip` on hover (the reason). shown NULL: the row is left out. */
typedef struct plot_note {
    const char *shown;
    const char *tooltip;
} plot_note;

/* Horizontal bars, one row per (category, series) with a value or a note. With one category
 * the rows are labelled with the series names (a small multiple: the title names the
 * category); with several, each category gets a heading row and its rows list the series. */
typedef struct plot_bar_chart {
    const char *title;
    const char *value_label;  /* axis label, e.g. "ns per element (log scale)" */
    const char *value_unit;   /* appended to tooltip values, e.g. "ns/element"; may be NULL */
    size_t n_categories;
    const char *const *categories;
    size_t n_series;
    const plot_series *series; /* series[s].y[c]; series[s].n >= n_categories */
    const plot_note *notes;    /* notes[c * n_series + s], or NULL */
    plot_scale_kind scale;
    double reference;          /* a dashed line at this value (1 for ratios), NaN for none */
    const char *reference_label;
    int width;                 /* px; the height follows from the rows */
} plot_bar_chart;

/* A dashed horizontal reference line of an x-y chart, labelled at its right end. */
typedef struct plot_hline {
    double y;
    const char *label;
} plot_hline;

/* Lines with markers (lines = 1) or a scatter (lines = 0). On a log10 axis a value <= 0 (an
 * exact result) is drawn hollow on the axis edge; its tooltip still gives the value. */
typedef struct plot_xy_chart {
    const char *title;
    const char *x_label, *y_label;
    const char *x_unit, *y_unit;  /* for tooltips; may be NULL */
    plot_scale_kind x_scale, y_scale;
    size_t n_series;
    const plot_series *series;
    int lines;
    int label_points;          /* write each series' name beside its points (scatter) */
    int legend;
    size_t n_hlines;
    const plot_hline *hlines;
    int width, height;
} plot_xy_chart;

/* Write one chart as an <svg> element. Errors show up in ferror(f). A chart with nothing to
 * draw (no finite value, no note) renders its title over a dashed box saying "no data", never
 * an empty frame; a report may still put a sentence of its own in its place. */
void plot_bar_chart_write(FILE *f, const plot_bar_chart *c);
void plot_xy_chart_write(FILE *f, const plot_xy_chart *c);

/* A matrix as coloured cells: column j left to right, row i bottom to top (origin lower left,
 * as an x-y chart), with a colour scale legend on the right. Colours are viridis in
 * PLOT_HEATMAP_LEVELS steps, which read in grey and under the common colour-vision
 * deficiencies. A matrix larger than PLOT_HEATMAP_MAX_CELLS a side is drawn as the means of
 * square blocks (the caller's caption says so), which keeps the file small. */
#define PLOT_HEATMAP_LEVELS 32
#define PLOT_HEATMAP_MAX_CELLS 128

typedef struct plot_heatmap {
    const char *title;
    const char *x_label, *y_label;
    const char *value_label;   /* the legend's caption */
    int rows, cols;
    const double *values;      /* rows x cols, row-major; NaN: no value (left blank) */
    double lo, hi;             /* the colour scale's domain; lo >= hi (or NaN): the values' */
    int size;                  /* px of the longer side of the cell area */
} plot_heatmap;

/* The cells a side of the drawing has: n itself, or n cut to PLOT_HEATMAP_MAX_CELLS blocks. */
int plot_heatmap_cells(int n);

/* Renders "no data" when no cell has a finite value. */
void plot_heatmap_write(FILE *f, const plot_heatmap *h);

/* A table of values as coloured cells: a labelled row per item (top to bottom), a labelled
 * column per series (labels turned above the columns), optional bold headings between groups
 * of rows, and the viridis colour scale of the heat map. Each cell's tooltip names its row,
 * column and value (or note); a cell without a value but with a note is grey with a cross, one
 * with neither is left blank. */
typedef struct plot_grid {
    const char *title;
    const char *value_label;          /* the legend's caption */
    const char *value_unit;           /* appended to tooltip values; may be NULL */
    size_t n_rows, n_cols;
    const char *const *row_labels;    /* cut with an ellipsis past max_label_w (full on hover) */
    const char *const *col_labels;
    const char *const *row_groups;    /* a heading before row r where it changes, and the start
                                         of the row's name in tooltips ("heading/label");
                                         NULL: none */
    const double *values;             /* n_rows x n_cols, row-major; NaN or inf: no value */
    const char *const *notes;         /* row-major, why a cell has no value; NULL: none */
    const unsigned char *marked;      /* row-major, cells outlined (dispatch's pick); NULL */
    double lo, hi;                    /* the colour domain; values outside take the end colours;
                                         lo >= hi or not finite: the values' own range */
    double text_scale;                /* cells show round(value x text_scale) (100: percent),
                                         and so does the legend; 0: no text */
    int cell_w, cell_h;               /* px */
    int max_label_w;                  /* px; 0: 260 */
    int no_legend;                    /* 1: no colour scale (a panel beside one that has it) */
} plot_grid;

/* Writes g as an <svg> element; nothing to show (no value and no note) renders "no data". */
void plot_grid_write(FILE *f, const plot_grid *g);

#ifdef __cplusplus
}
#endif

#endif
