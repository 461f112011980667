#!/usr/bin/env bash
# What the agent adds to each class load (issue 17: the servlet-hierarchy matcher's cost per class
# load, in a class loader that sees the servlet API, as a Spring Boot or Tomcat application's does).
#
# Runs io.jvmwatchdog.bench.ClassLoadCost (loads every class of the given jars in a fresh loader, not
# linked, not initialised) without an agent, with agent/target/watchdog.jar, and, if OTHER_AGENT names
# another build of the agent jar (an older commit's, to compare), with that one: RUNS rounds, the
# order rotated per round. Prints the median CPU ns per class of each and the difference to none.
# The default jars are the Tomcat 11, Spring 7 and servlet API lines the agent's unit tests copy
# (agent/target/unit-libraries), some 2,400 classes in a loader that sees jakarta.servlet.
#
# Needs: mvn -B -q package -DskipTests (agent jar, benchmarks.jar; the unit-libraries come with
#   mvn -B -q test-compile -pl agent)
# Usage: bench/class-load-cost.sh [--smoke] [--runs N] [jar or directory...]
# Environment: JAVA (default java), RUNS (default 7), OTHER_AGENT (a second agent jar), AGENT_OPTIONS
#   (default timeout=3m).
# Exits 1 when a run failed, 2 on bad usage or a missing build.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

java=${JAVA:-java}
runs=${RUNS:-7}
agent_options=${AGENT_OPTIONS:-timeout=3m}
usage="usage: bench/class-load-cost.sh [--smoke] [--runs N] [jar or directory...]"
jars=()
while (($#)); do
    case $1 in
        --smoke) runs=1 ;;
        --runs) runs=${2:?$usage}; shift ;;
        -h|--help) echo "$usage"; exit 0 ;;
        -*) echo "$usage" >&2; exit 2 ;;
        *) jars+=("$1") ;;
    esac
    shift
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "runs must be a positive integer: $runs" >&2; exit 2; }
libs=agent/target/unit-libraries
if ((${#jars[@]} == 0)); then
    jars=("$libs/tomcat-11.0.27" "$libs/spring-7.0.10" "$libs/jakarta.servlet-6.0.0")
fi
require_built agent/target/watchdog.jar bench/target/benchmarks.jar "${jars[@]}"

setups=(none watchdog)
[[ -n ${OTHER_AGENT:-} ]] && { require_built "$OTHER_AGENT"; setups+=(other); }
print_header "$java" "$runs round(s) of: ${setups[*]}; agent options $agent_options; jars: ${jars[*]}"

tmp=$(mktemp -d bench/target/scratch.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

run() { # $1: setup; appends "cpu wall" to $tmp/$1
    local agent=()
    case $1 in
        watchdog) agent=("-javaagent:agent/target/watchdog.jar=$agent_options") ;;
        other) agent=("-javaagent:$OTHER_AGENT=$agent_options") ;;
    esac
    local out
    out=$("$java" -Xshare:auto "${agent[@]}" -cp bench/target/benchmarks.jar io.jvmwatchdog.bench.ClassLoadCost "${jars[@]}" \
        2> "$tmp/err") || { echo "FAILED: $1" >&2; tail -n 20 "$tmp/err" >&2; exit 1; }
    out=$(grep '^classes ' <<< "$out")
    echo "$out" > "$tmp/last"
    awk '{print $6, $8}' <<< "$out" >> "$tmp/$1"
}

for ((r = 0; r < runs; r++)); do
    for ((i = 0; i < ${#setups[@]}; i++)); do
        run "${setups[(i + r) % ${#setups[@]}]}"
    done
done

echo "$(cat "$tmp/last" | awk '{print $2, "classes,", $4, "failed to load (absent optional dependencies)"}')"
read -r none_med _ <<< "$(awk '{print $1}' "$tmp/none" | stats)"
for s in "${setups[@]}"; do
    read -r med min max <<< "$(awk '{print $1}' "$tmp/$s" | stats)"
    printf '%-9s cpu ns per class: median %s (%s-%s); added to none: %s\n' "$s" "$med" "$min" "$max" \
        "$(awk -v a="$med" -v b="$none_med" 'BEGIN {print a - b}')"
done
