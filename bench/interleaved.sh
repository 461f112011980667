#!/usr/bin/env bash
# Two JMH benchmarks, one fork at a time, alternating: A B B A A B ... for R rounds, then the median of
# each and their ratio (B/A), with spreads. On a shared, noisy machine JMH's own forks of one benchmark
# run back to back, so drift lands on one side; alternating spreads it over both. Use it for the pairs
# whose ratio is a target: ExecutorThroughput vs ExecutorThroughputWatched (throughput: ratio >= 0.95),
# WatchedCall.plainCall vs WatchedCall.watchedCall (time).
#
# Needs: mvn -B -q package -DskipTests
# Usage: bench/interleaved.sh BENCH_A BENCH_B [ROUNDS]   (exact benchmark names, e.g.
#        io.jvmwatchdog.bench.ExecutorThroughput.emptyTasks; default 5 rounds of 3 warm-up and 5
#        measured iterations of 1 s each). Environment: JAVA, JMH_OPTS (extra JMH options).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
[[ $# -ge 2 ]] || { echo "usage: bench/interleaved.sh BENCH_A BENCH_B [ROUNDS]" >&2; exit 2; }
a=$1 b=$2 rounds=${3:-5}
java=${JAVA:-java}
jar=bench/target/benchmarks.jar
require_built "$jar" agent/target/watchdog.jar
print_header "$java" "$rounds round(s) of $a against $b"

score() { # $1: exact benchmark name; prints its score
    local out
    # shellcheck disable=SC2086
    out=$("$java" -jar "$jar" "^$1\$" -f 1 -wi 3 -w 1s -i 5 -r 1s -rf csv -rff /dev/stdout ${JMH_OPTS:-} 2>&1) \
        || { echo "FAILED: $1" >&2; echo "$out" | tail -20 >&2; exit 1; }
    grep -E "^\"$1\"" <<< "$out" | head -1 | cut -d, -f5
}

as=() bs=()
for ((i = 1; i <= rounds; i++)); do
    if ((i % 2)); then as+=("$(score "$a")"); bs+=("$(score "$b")"); else bs+=("$(score "$b")"); as+=("$(score "$a")"); fi
    printf 'round %d: A %s  B %s\n' "$i" "${as[-1]}" "${bs[-1]}"
done
read -r am alo ahi < <(printf '%s\n' "${as[@]}" | stats)
read -r bm blo bhi < <(printf '%s\n' "${bs[@]}" | stats)
printf 'A %s: median %s (%s-%s)\nB %s: median %s (%s-%s)\nB/A: %s\n' "$a" "$am" "$alo" "$ahi" "$b" "$bm" "$blo" "$bhi" \
    "$(awk -v x="$bm" -v y="$am" 'BEGIN {printf "%.3f", x / y}')"
