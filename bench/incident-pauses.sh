#!/usr/bin/env bash
# The agent's own stop-the-world time per incident, at the sizes of real services (issue 14: "at 1, 4
# and 8 GB live and at 100, 1,000 and 3,000 threads").
#
# Runs ScaleApp (it-tests: a live heap of 24-byte objects, a crowd of threads parked 200 frames deep,
# one pool task spinning) under the agent (timeout=2s), with -Xlog:safepoint, until the first report's
# thread dump is out. From the JVM's safepoint log it sums the safepoints of the VM operations the
# agent causes ("ThreadDump": the offenders' stacks, then the whole-JVM dump; "FindDeadlocks"), and
# prints the total and the longest. Each size runs twice in a row: as the agent does it
# (dump-synchronizers=false, the default), and with dump-synchronizers=true, the jstack -l kind of dump
# the agent used to take first (its ownable synchronizers need a walk of the whole heap): the baseline
# of the same run, for the ratio.
#
# Needs: mvn -B -q package -DskipTests   (agent/target/watchdog.jar and it-tests/target/test-classes)
# Usage: bench/incident-pauses.sh [--smoke]   (--smoke: 256 MB and 100 threads only)
# Environment: JAVA (default java). Memory: the 8 GB run takes about 13 GB.
# Exits 1 when a run failed, 2 on bad usage or a missing build.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

java=${JAVA:-java}
sizes=("1024 100" "4096 100" "8192 100" "1024 1000" "1024 3000")
usage="usage: bench/incident-pauses.sh [--smoke]"
while (($#)); do
    case $1 in
        --smoke) sizes=("256 100") ;;
        -h|--help) echo "$usage"; exit 0 ;;
        *) echo "$usage" >&2; exit 2 ;;
    esac
    shift
done

agent=agent/target/watchdog.jar
classes=it-tests/target/test-classes
require_built "$agent" "$classes/io/jvmwatchdog/it/apps/ScaleApp.class"
print_header "$java" "agent stop-the-world time per incident (ScaleApp spin, timeout=2s)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/incident-pauses.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT

run() { # $1: live MB, $2: threads, $3: dump-synchronizers; prints "total_ms longest_ms count"
    local live=$1 threads=$2 sync=$3 log=$tmp/sp.log err=$tmp/err out=$tmp/out
    rm -f "$log"
    "$java" -Xmx$((live * 3 / 2 + 512))m -Xlog:safepoint=info:file="$log" \
        -javaagent:"$agent"=timeout=2s,period=500ms,dump-synchronizers="$sync" \
        -cp "$classes" io.jvmwatchdog.it.apps.ScaleApp "$live" "$threads" 200 spin > "$out" 2> "$err" &
    local pid=$! waited=0
    # The report is out once its dump is; a second more lets the dump's text reach stderr.
    until grep -q "Full thread dump" "$err"; do
        sleep 1
        waited=$((waited + 1))
        if ! kill -0 "$pid" 2> /dev/null || ((waited > 600)); then
            echo "run $live MB / $threads threads failed:" >&2
            tail -20 "$err" >&2
            exit 1
        fi
    done
    sleep 2
    kill "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    # Only the incident's: ThreadDump (stacks, the dump) and FindDeadlocks, in milliseconds.
    grep -E 'Safepoint "(ThreadDump|FindDeadlocks)"' "$log" | sed -n 's/.*Total: \([0-9]*\) ns.*/\1/p' |
        awk '{sum += $1; if ($1 > max) max = $1; n++} END {printf "%.1f %.1f %d\n", sum / 1e6, max / 1e6, n}'
}

printf "%-9s %-8s %-34s %-34s %s\n" "live" "threads" "agent: total ms (longest, count)" \
    "jstack -l kind: total ms (longest)" "ratio"
for size in "${sizes[@]}"; do
    read -r live threads <<< "$size"
    read -r total longest count <<< "$(run "$live" "$threads" false)"
    read -r base_total base_longest base_count <<< "$(run "$live" "$threads" true)"
    ratio=$(awk -v a="$total" -v b="$base_total" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
    printf "%-9s %-8s %-34s %-34s %s\n" "${live} MB" "$threads" "$total ($longest, $count)" \
        "$base_total ($base_longest)" "$ratio"
done
