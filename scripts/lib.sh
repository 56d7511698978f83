# scripts/lib.sh: helpers shared by scripts/setup, scripts/test and scripts/bench (sourced, not run).
# shellcheck shell=bash

# Repository root, whatever folder the calling script was started from.
POSENC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

posenc_jobs() { nproc 2>/dev/null || echo 2; }

# Seconds since the epoch, with fractions where `date` has them.
posenc_now() { date +%s.%N 2>/dev/null || date +%s; }

# posenc_elapsed START: seconds since START, as "12s" or "3m05s".
posenc_elapsed() {
  local s
  s=$(awk -v a="$1" -v b="$(posenc_now)" 'BEGIN { printf "%d", b - a + 0.5 }')
  if [ "$s" -ge 60 ]; then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}

# posenc_prepare_build_dir DIR: a CMake cache left by a checkout in another folder makes cmake
# refuse to configure; such a folder is stale, so it is emptied. A cache of this checkout is kept
# (incremental builds).
posenc_prepare_build_dir() {
  local dir=$1 home
  [ -f "$dir/CMakeCache.txt" ] || return 0
  home=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$dir/CMakeCache.txt")
  if [ -n "$home" ] && [ "$(cd "$home" 2>/dev/null && pwd -P)" != "$(cd "$POSENC_ROOT" && pwd -P)" ]; then
    echo "note: $dir was configured for $home; starting it afresh"
    rm -rf "$dir"
  fi
}
