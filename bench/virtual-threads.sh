#!/usr/bin/env bash
# Virtual threads at scale (the issue "Virtual threads: watch a million of them"): the agent's memory
# per virtual thread and the cost of a pass over a crowd of them. Java 21+.
#
# Runs VirtualCrowd (N virtual-thread-per-task executor tasks waiting on queues) four times, with
# -XX:+UseSerialGC:
#   none, none + thread-local      without the agent; in the second, each task sets a thread-local of
#                                  its own first (as an application with an MDC or tracing context does);
#   watchdog, watchdog + thread-local   the same with the agent (timeout=4s, a pass a second,
#                                  install=before-main: nothing adopted, so the histogram holds no
#                                  adoption's short-lived states, only the steady ones).
# Memory: once all wait, each run takes a class histogram (jcmd's GC.class_histogram, from inside) and
# prints the bytes of the classes a thread's watchdog state is made of: the agent's VirtualThreadState,
# UnitDetails and state table (ThreadState[]), and the JDK's thread-local maps (map, table, entries),
# which an agent that kept its state in a thread-local would grow. Per thread = (with the agent -
# without) / N in each pair: the first pair, threads without thread-locals of their own; the second,
# threads with one. (The heap as a whole, also printed, moves
# by hundreds of bytes per thread from run to run: the parked threads' stack chunks differ.)
# Pass cost: the agent's own figure per pass (-Dwatchdog.debug=true: "JVM Watchdog pass: <states>
# thread state(s) registered, ... <us> us"), over the passes that saw the whole crowd: median, min, max.
#
# Needs: mvn -B -q package -DskipTests   (agent/target/watchdog.jar and bench/target/benchmarks.jar)
# Usage: bench/virtual-threads.sh [--smoke] [--threads N]   (default 1,000,000; --smoke: 20,000)
# Environment: JAVA (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java), THREADS, STAY (seconds, default 10).
# Exits 1 when a run failed, 2 on bad usage or a missing build.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

java=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
threads=${THREADS:-1000000}
stay=${STAY:-10}
usage="usage: bench/virtual-threads.sh [--smoke] [--threads N]"
while (($#)); do
    case $1 in
        --smoke) threads=20000; stay=3 ;;
        --threads) threads=${2:?$usage}; shift ;;
        -h|--help) echo "$usage"; exit 0 ;;
        *) echo "$usage" >&2; exit 2 ;;
    esac
    shift
done
[[ $threads =~ ^[1-9][0-9]*$ ]] || { echo "threads must be a positive integer: $threads" >&2; exit 2; }
[[ -x $java ]] || command -v "$java" > /dev/null || { echo "no Java 21+ at $java (set JAVA)" >&2; exit 2; }

agent=agent/target/watchdog.jar
jar=bench/target/benchmarks.jar
require_built "$agent" "$jar"
print_header "$java" "$threads virtual threads waiting on queues; $stay s per run"

tmp=$(mktemp -d bench/target/scratch.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# Room for a million parked virtual threads (about 1 KB each with their stacks).
heap=$(( threads / 1000 * 4 + 512 ))m

run() { # $1: name, $2: "agent" or "", $3: "thread-local" or ""
    local out=$tmp/$1.out err=$tmp/$1.err
    local -a opts=(-Xmx"$heap" -XX:+UseSerialGC)
    [[ $2 == agent ]] && opts+=(-Dwatchdog.debug=true -javaagent:"$agent"=timeout=4s,install=before-main)
    if ! "$java" "${opts[@]}" -cp "$jar" io.jvmwatchdog.bench.load.VirtualCrowd "$threads" "$stay" $3 > "$out" 2> "$err"; then
        echo "run $1 failed:" >&2
        tail -20 "$err" >&2
        exit 1
    fi
    # bytes of the counted classes, then the crowd's whole heap
    echo "$(awk '/^histogram:/ {sum += $4} END {print sum + 0}' "$out") $(sed -n 's/^crowd-heap-bytes: //p' "$out")"
    if [[ $2 == agent ]]; then
        awk '/^histogram:/ && /VirtualThreadState/ {print $4}' "$out" > "$tmp/$1.states"
    fi
}

read -r none none_heap <<< "$(run none "" "")"
read -r none_tl none_tl_heap <<< "$(run none-tl "" thread-local)"
read -r with with_heap <<< "$(run watchdog agent "")"
read -r with_tl with_tl_heap <<< "$(run watchdog-tl agent thread-local)"

per_thread() { awk -v a="$1" -v b="$2" -v n="$threads" 'BEGIN {printf "%.1f", (a - b) / n}'; }
echo "heap the crowd holds (noisy), bytes: none $none_heap; none + thread-local $none_tl_heap;" \
     "watchdog $with_heap; watchdog + thread-local $with_tl_heap"
echo "watchdog state (VirtualThreadState) per virtual thread: $(per_thread "$(cat "$tmp/watchdog.states")" 0) B"
echo "agent memory per virtual thread, state and thread-local map: $(per_thread "$with" "$none") B" \
     "(thread had no thread-local map); $(per_thread "$with_tl" "$none_tl") B (thread had its own map already)"

passes() { # pass times (us) of the passes that saw at least the whole crowd
    grep -o 'JVM Watchdog pass: [0-9]* thread state(s) registered, [0-9]* sampled, [0-9]* us' "$1" \
        | awk -v n="$threads" '$4 >= n {print $(NF - 1)}'
}
for r in watchdog watchdog-tl; do
    read -r median min max <<< "$(passes "$tmp/$r.err" | stats)"
    [[ -n ${median:-} ]] || { echo "run $r: no pass saw the whole crowd" >&2; exit 1; }
    echo "pass over $threads idle virtual threads ($r): median $(awk -v u="$median" 'BEGIN {printf "%.1f", u / 1000}') ms" \
         "(min $(awk -v u="$min" 'BEGIN {printf "%.1f", u / 1000}'), max $(awk -v u="$max" 'BEGIN {printf "%.1f", u / 1000}'))," \
         "$(passes "$tmp/$r.err" | wc -l) passes"
done
