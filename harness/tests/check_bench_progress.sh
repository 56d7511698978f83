#!/bin/sh
# check_bench_progress.sh POSENC - `posenc bench`'s progress lines against what Google Benchmark
# ran. With POSENC_BENCH_PROGRESS_S=0 the bench prints a line at every new repetition: the
# counts done must run 0, 1, ..., N-1 in order, end with "N of N runs done", and N must equal
# the repetitions gbench.json holds (filter, threads and memory passes included). The context
# block must carry the note on Google Benchmark's debug build, not its bare warning, and the
# summary the bench prints must be summary.md as written (its analysis sections included).
set -u
posenc=$1
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
POSENC_BENCH_PROGRESS_S=0 "$posenc" bench --quick --no-accuracy --encoding alibi \
  --impl scalar --threads 1,2 --filter bloom --out "$dir/run" >"$dir/out" 2>"$dir/err" || {
  echo "bench failed:"; cat "$dir/err"; exit 1; }
ran=$(grep -c '"run_type": "iteration"' "$dir/run/gbench.json")
awk -v ran="$ran" '
  / runs done \(/ { k = $4; n = $6
                    if (k != seen + 0) { print "line " NR ": " k " done, expected " seen; bad = 1 }
                    if (n != ran) { print "line " NR ": total " n ", gbench.json ran " ran; bad = 1 }
                    seen++ }
  / runs done$/   { final = $4 " of " $6 }
  END { if (seen != ran) { print seen " progress lines for " ran " repetitions"; bad = 1 }
        if (final != ran " of " ran) { print "last line: \"" final "\""; bad = 1 }
        exit bad }' "$dir/err" || exit 1
if grep -q 'Library was built as DEBUG' "$dir/err"; then
  echo "Google Benchmark's debug-build warning shown without the note"; exit 1
fi
# stdout: the console table, then summary.md, then the run folder's lines
"${POSENC_PYTHON:-python3}" - "$dir/out" "$dir/run/summary.md" <<'PY' || exit 1
import sys
out, md = (open(p, encoding="utf-8").read() for p in sys.argv[1:3])
if md not in out:
    sys.exit("the summary on stdout differs from summary.md")
if "## " not in md or "nalysis" not in md:
    sys.exit("summary.md lacks the analysis sections")
PY
echo "progress: $ran repetitions counted one by one; stdout carries summary.md"
