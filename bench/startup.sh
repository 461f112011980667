#!/usr/bin/env bash
# The agent's startup cost (the issue "Cheap enough to leave on everywhere": a hello world's premain to
# main at most 100 ms later than without the agent; the instrumentation fully active within 1 s).
#
# Runs Hello (its first line of main prints the wall clock in microseconds) alternately without and with
# -javaagent:agent/target/watchdog.jar=timeout=3m, RUNS times each, with the JVM's default settings
# (CDS as the JVM has it: -Xshare:auto). For each run: launch-to-main, from the script's clock read just
# before the launch to the instant main printed, and the whole process's wall time. Then RUNS more runs
# with the agent of `Hello --stay 3000`, which lives long enough for a background installation to finish:
# the agent says so on stderr ("instrumentation active ... <N> ms after JVM start"), and the script
# reports the median of N, or n/a when the agent prints no such line. Prints medians, spreads (min-max)
# and the difference watchdog - none.
#
# Needs: mvn -B -q package -DskipTests   (builds agent/target/watchdog.jar and bench/target/benchmarks.jar)
# Usage: bench/startup.sh [--smoke] [--runs N]     (default 10 runs each; --smoke: 2 runs each)
# Environment: JAVA (default java; e.g. JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java), RUNS,
#   AGENT_OPTIONS (default timeout=3m; e.g. timeout=3m,install=background to install off the path to main).
# Exits 1 when a run failed, 2 on bad usage or a missing build; not when a target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

java=${JAVA:-java}
runs=${RUNS:-10}
agent_options=${AGENT_OPTIONS:-timeout=3m}
stay_ms=3000
usage="usage: bench/startup.sh [--smoke] [--runs N]"
while (($#)); do
    case $1 in
        --smoke) runs=2 ;;
        --runs) runs=${2:?$usage}; shift ;;
        -h|--help) echo "$usage"; exit 0 ;;
        *) echo "$usage" >&2; exit 2 ;;
    esac
    shift
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "runs must be a positive integer: $runs" >&2; exit 2; }

agent=agent/target/watchdog.jar
jar=bench/target/benchmarks.jar
require_built "$agent" "$jar"

print_header "$java" "$runs run(s) each; agent options $agent_options"

# Scratch files under bench/target (build output, ignored by git), out of the way of a shared /tmp.
tmp=$(mktemp -d bench/target/scratch.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# The wall clock in microseconds. bash's EPOCHREALTIME costs no process (date +%s%N would fork one,
# a millisecond or so, between the clock read and the launch); the separator follows the locale.
now_us() {
    if [[ -n ${EPOCHREALTIME:-} ]]; then
        echo "${EPOCHREALTIME/[.,]/}"
    else
        echo $(($(date +%s%N) / 1000))
    fi
}

# One launch; sets `launch_us`, `wall_us` and leaves the JVM's stderr in $tmp/err.
launch() { # $@: JVM options and Hello's arguments
    local out t0 t1
    if [[ -n ${EPOCHREALTIME:-} ]]; then
        t0=${EPOCHREALTIME/[.,]/}
        out=$("$java" "$@" 2> "$tmp/err") || fail "the JVM exited with status $?: $java $*"
        t1=${EPOCHREALTIME/[.,]/}
    else
        t0=$(now_us)
        out=$("$java" "$@" 2> "$tmp/err") || fail "the JVM exited with status $?: $java $*"
        t1=$(now_us)
    fi
    out=$(head -n 1 <<< "$out")
    [[ $out =~ ^[0-9]+$ ]] || fail "Hello printed no time: '$out'"
    launch_us=$((out - t0))
    wall_us=$((t1 - t0))
}

fail() {
    echo "FAILED: $1" >&2
    [[ -s $tmp/err ]] && tail -n 20 "$tmp/err" | sed 's/^/    /' >&2
    exit 1
}

ms() { awk -v us="$1" 'BEGIN {printf "%.1f", us / 1000}'; }

none=(-cp "$jar" io.jvmwatchdog.bench.load.Hello)
watched=("-javaagent:$agent=$agent_options" -cp "$jar" io.jvmwatchdog.bench.load.Hello)
none_launch=() none_wall=() wd_launch=() wd_wall=() notes=()
for ((i = 1; i <= runs; i++)); do
    # Alternate which goes first, so that neither always runs right after the other's exit.
    for which in $( ((i % 2)) && echo "none watchdog" || echo "watchdog none"); do
        if [[ $which == none ]]; then
            launch "${none[@]}"
            none_launch+=("$launch_us") none_wall+=("$wall_us")
        else
            launch "${watched[@]}"
            wd_launch+=("$launch_us") wd_wall+=("$wall_us")
            # With the agent's jar on the boot class path, a JDK 17 JVM shares only boot classes (CDS).
            grep -q 'Sharing is only supported for boot loader classes' "$tmp/err" \
                && notes=("with the agent, the JVM warns: $(grep -m1 'Sharing is only' "$tmp/err")")
        fi
    done
    printf 'run %2d: launch-to-main  none %7s ms, watchdog %7s ms   process wall  none %7s ms, watchdog %7s ms\n' "$i" \
        "$(ms "${none_launch[-1]}")" "$(ms "${wd_launch[-1]}")" "$(ms "${none_wall[-1]}")" "$(ms "${wd_wall[-1]}")"
done

active_ms=()
for ((i = 1; i <= runs; i++)); do
    launch "${watched[@]}" --stay "$stay_ms"
    line=$(grep -m1 'instrumentation active' "$tmp/err" || true)
    if [[ $line =~ ([0-9]+)\ ms\ after\ JVM\ start ]]; then
        active_ms+=("${BASH_REMATCH[1]}")
        printf 'stay run %2d: instrumentation active %s ms after JVM start\n' "$i" "${BASH_REMATCH[1]}"
    else
        printf 'stay run %2d: no "instrumentation active ... ms after JVM start" line on stderr\n' "$i"
    fi
done

row() { # $1: label, $2: launch-to-main values, $3: wall values (us, space-separated)
    local lm llo lhi wm wlo whi
    read -r lm llo lhi < <(tr ' ' '\n' <<< "$2" | stats)
    read -r wm wlo whi < <(tr ' ' '\n' <<< "$3" | stats)
    printf '%-16s %14s %17s %12s %17s\n' "$1" "$(ms "$lm")" "$(ms "$llo")-$(ms "$lhi")" \
        "$(ms "$wm")" "$(ms "$wlo")-$(ms "$whi")"
}
echo
printf '%-16s %14s %17s %12s %17s\n' "(ms, $runs runs)" "launch-to-main" "min-max" "process wall" "min-max"
row none "${none_launch[*]}" "${none_wall[*]}"
row watchdog "${wd_launch[*]}" "${wd_wall[*]}"
read -r nl _ _ < <(printf '%s\n' "${none_launch[@]}" | stats)
read -r wl _ _ < <(printf '%s\n' "${wd_launch[@]}" | stats)
read -r nw _ _ < <(printf '%s\n' "${none_wall[@]}" | stats)
read -r ww _ _ < <(printf '%s\n' "${wd_wall[@]}" | stats)
added=$(awk -v a="$wl" -v b="$nl" 'BEGIN {printf "%.1f", (a - b) / 1000}')
printf '%-16s %14s %17s %12s\n' "watchdog - none" "$added" "" "$(awk -v a="$ww" -v b="$nw" 'BEGIN {printf "%.1f", (a - b) / 1000}')"
if ((${#active_ms[@]})); then
    read -r am alo ahi < <(printf '%s\n' "${active_ms[@]}" | stats)
    active="median $am ms after JVM start (min-max $alo-$ahi, ${#active_ms[@]} of $runs runs)"
    active_verdict=$(awk -v a="$am" 'BEGIN {print (a <= 1000 ? "met" : "MISSED")}')
else
    active="n/a (no run printed the line)" active_verdict=n/a
fi
echo "instrumentation active: $active"
for note in "${notes[@]+"${notes[@]}"}"; do echo "note: $note"; done
echo "targets: added launch-to-main <= 100 ms: $(awk -v a="$added" 'BEGIN {print (a <= 100 ? "met" : "MISSED")}') ($added ms);" \
    "active within 1 s: $active_verdict"
