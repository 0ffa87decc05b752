#!/usr/bin/env bash
# Runs the benchmarks for an older build and the current one alternately (old, new, old, new), so
# that a refactor is measured against the code before it on the same machine in the same hour:
#
#   bash bench/compare-builds.sh REV [ROUNDS]        (default ROUNDS 2)
#
# REV is checked out into a worktree under bench/data/ that shares this checkout's node_modules and
# bench/data (so both builds read the same generated inputs), and built. Each round runs
# heap-dump, pcap-index, then scap-throughput 1024 followed by ui-queries over the index that run
# wrote (an index is written in its own build's schema). Every output goes to
# bench/data/compare-REV/<bench>-<old|new>-<round>.txt; nothing else should run meanwhile.
set -euo pipefail
rev="$1"
rounds="${2:-2}"
root="$(cd "$(dirname "$0")/.." && pwd)"
old="$root/bench/data/build-$rev"
out="$root/bench/data/compare-$rev"
mkdir -p "$out"
if [ ! -d "$old" ]; then
  git -C "$root" worktree add --detach "$old" "$rev" > /dev/null
  ln -s "$root/node_modules" "$old/node_modules"
  mkdir -p "$old/bench" && ln -sfn "$root/bench/data" "$old/bench/data"
fi
(cd "$old" && node scripts/build.mjs --quiet)
(cd "$root" && node scripts/build.mjs --quiet)

run() { # tag dir file args...
  local tag=$1 dir=$2 file=$3; shift 3
  echo "$(date +%T) $tag (load $(cut -d' ' -f1 /proc/loadavg))"
  (cd "$dir" && node "$@") > "$out/$file" 2>&1
}
for i in $(seq "$rounds"); do
  for side in old new; do
    dir=$([ $side = old ] && echo "$old" || echo "$root")
    run "heap $side $i" "$dir" "heap-$side-$i.txt" bench/heap-dump.mjs 1
    run "pcap $side $i" "$dir" "pcap-$side-$i.txt" bench/pcap-index.mjs "$root/bench/data/http-700m.pcap"
  done
  for side in old new; do
    dir=$([ $side = old ] && echo "$old" || echo "$root")
    run "scap $side $i" "$dir" "scap-$side-$i.txt" bench/scap-throughput.mjs 1024 1
    run "ui $side $i" "$dir" "ui-$side-$i.txt" bench/ui-queries.mjs bench/data/synthetic-1024m.scap.sqlite 10
  done
done
echo "outputs in $out; remove the old build with: git worktree remove --force $old"
