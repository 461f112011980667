#!/usr/bin/env bash
# Thread start plus watched tasks, with the agent against without it (issue 5's "at most 1.5x").
#
# Runs ShortLivedThreadsApp (it-tests: 100,000 threads by default, each running three watched tasks)
# alternately without and with -javaagent, RUNS times each, and prints each run's time, the medians
# and their ratio. Interleaving the two keeps a shared, noisy machine's drift out of the ratio.
#
# Needs: mvn -B -q package -DskipTests   (builds agent/target/watchdog.jar and it-tests' classes)
# Usage: bench/threads-cost.sh [RUNS=5] [THREADS=100000] [JAVA=java]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
runs=${1:-5}
threads=${2:-100000}
java=${3:-java}
jar=agent/target/watchdog.jar
classes=it-tests/target/test-classes
require_built "$jar" "$classes"

run() { # $1: extra JVM option (empty for none); prints the loop's nanoseconds
    "$java" -Xmx256m -XX:+UseSerialGC ${1:+"$1"} -cp "$classes" io.jvmwatchdog.it.apps.ShortLivedThreadsApp "$threads" 2>/dev/null \
        | sed -n 's/.*nanos=\([0-9]*\).*/\1/p'
}
median() { stats | cut -d' ' -f1; }

without=() with=()
for ((i = 1; i <= runs; i++)); do
    without+=("$(run "")")
    with+=("$(run "-javaagent:$jar=timeout=3m")")
    printf 'run %d: without %6.2f s, with %6.2f s\n' "$i" "$(bc -l <<< "${without[-1]} / 1000000000")" "$(bc -l <<< "${with[-1]} / 1000000000")"
done
m0=$(printf '%s\n' "${without[@]}" | median)
m1=$(printf '%s\n' "${with[@]}" | median)
printf 'median of %d: without %.2f s, with %.2f s, ratio %.2f (%s threads, %s)\n' "$runs" \
    "$(bc -l <<< "$m0 / 1000000000")" "$(bc -l <<< "$m1 / 1000000000")" "$(bc -l <<< "$m1 / $m0")" "$threads" \
    "$("$java" -version 2>&1 | head -1)"
