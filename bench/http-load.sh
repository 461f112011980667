#!/usr/bin/env bash
# An HTTP server under load, with the agent against without it and against the alternatives (the issue
# "Cheap enough to leave on everywhere": target >= 0.98x requests/s and p99 within 5% of no agent).
#
# The same server JVM (LoadServer: the JDK's HttpServer on loopback, 8 handler threads, 1 KB hashed and
# written per request, keep-alive) runs in each configuration:
#   none      no agent
#   watchdog  -javaagent:agent/target/watchdog.jar=timeout=4s   (a watchdog pass every second)
#   otel      the OpenTelemetry Java agent, exporters off (fetched on first use into bench/target/otel)
#   jfr       JFR on with its default settings
#   naive     a thread in the server that calls ThreadMXBean.dumpAllThreads(true, true) every second
# LoadDriver, in a JVM of its own, keeps 16 keep-alive connections busy in a closed loop, warms up, then
# records every request's latency over the measured window. Each round runs every configuration once,
# in an order rotated from round to round so that a shared, noisy machine's drift spreads over all of
# them; the table gives medians over the rounds, their spread and their ratio to `none`, and the server's
# CPU time per request (read from /proc over the measured window): on a shared machine, other processes
# take throughput away from the server but hardly change what a request costs it. Absolute figures are
# not comparable between runs on this machine, ratios within a run are.
#
# Needs: mvn -B -q package -DskipTests   (builds agent/target/watchdog.jar and bench/target/benchmarks.jar)
# Usage: bench/http-load.sh [--smoke] [--rounds R] [--warmup S] [--duration S] [--configs a,b,...]
#   --smoke   1 round, 1 s warm-up, 1 s measured, none and watchdog only, no download (about 10 s)
#   defaults  5 rounds, 5 s warm-up, 10 s measured, all five configurations (about 8 minutes)
# Environment: JAVA (default java; e.g. JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java),
#   ROUNDS, WARMUP, DURATION, CONFIGS, CONNECTIONS (16), SERVER_THREADS (8),
#   SERVER_OPTS (-Xms512m -Xmx512m), OTEL_VERSION (2.33.1), OTEL_JAR (a jar to use instead of fetching).
# Exits 1 when a run failed (a server that did not start, a driver that completed no request or saw
# an error), 2 on bad usage or a missing build; not when a target is missed (the table says so).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

java=${JAVA:-java}
rounds=${ROUNDS:-5}
warmup=${WARMUP:-5}
duration=${DURATION:-10}
configs=${CONFIGS:-none,watchdog,otel,jfr,naive}
connections=${CONNECTIONS:-16}
server_threads=${SERVER_THREADS:-8}
server_opts=${SERVER_OPTS:--Xms512m -Xmx512m}
otel_version=${OTEL_VERSION:-2.33.1}
otel_jar=${OTEL_JAR:-bench/target/otel/opentelemetry-javaagent-$otel_version.jar}
usage="usage: bench/http-load.sh [--smoke] [--rounds R] [--warmup S] [--duration S] [--configs none,watchdog,otel,jfr,naive]"
while (($#)); do
    case $1 in
        --smoke) rounds=1 warmup=1 duration=1 configs=none,watchdog ;;
        --rounds) rounds=${2:?$usage}; shift ;;
        --warmup) warmup=${2:?$usage}; shift ;;
        --duration) duration=${2:?$usage}; shift ;;
        --configs) configs=${2:?$usage}; shift ;;
        -h|--help) echo "$usage"; exit 0 ;;
        *) echo "$usage" >&2; exit 2 ;;
    esac
    shift
done
IFS=, read -r -a order <<< "$configs"
for c in "${order[@]}"; do
    [[ $c =~ ^(none|watchdog|otel|jfr|naive)$ ]] || { echo "unknown configuration '$c'; $usage" >&2; exit 2; }
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "rounds must be a positive integer: $rounds" >&2; exit 2; }

agent=agent/target/watchdog.jar
jar=bench/target/benchmarks.jar
require_built "$agent" "$jar"

print_header "$java" "$rounds round(s) of $configs; warm-up ${warmup} s, measured ${duration} s;" \
    "$connections connections, $server_threads server threads, server options: $server_opts"

if [[ ,$configs, == *,otel,* && ! -f $otel_jar ]]; then
    echo "== fetching the OpenTelemetry Java agent $otel_version into bench/target/otel"
    mvn -B -q dependency:copy -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:$otel_version" \
        -DoutputDirectory=bench/target/otel >&2 || true
    [[ -f $otel_jar ]] || { echo "could not fetch $otel_jar (set OTEL_JAR, or leave otel out of --configs)" >&2; exit 1; }
fi

# Scratch files under bench/target (build output, ignored by git), out of the way of a shared /tmp.
tmp=$(mktemp -d bench/target/scratch.XXXXXX)
server_pid='' driver_pid=''
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
    if [[ -n $driver_pid ]]; then
        kill "$driver_pid" 2>/dev/null || true
        wait "$driver_pid" 2>/dev/null || true
    fi
    if [[ -n $server_pid ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The JVM options that make a configuration (LoadServer's own flag for `naive`).
config_options() { # $1: configuration, $2: run number
    case $1 in
        none) ;;
        watchdog) echo "-javaagent:$agent=timeout=4s" ;;
        otel) echo "-javaagent:$otel_jar -Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none" ;;
        jfr) echo "-XX:StartFlightRecording=filename=$tmp/run$2.jfr,settings=default" ;;
        naive) ;;
    esac
}

fail() { # $1: message, $2: a log to show
    echo "FAILED: $1" >&2
    [[ -f ${2:-} ]] && tail -n 20 "$2" | sed 's/^/    /' >&2
    exit 1
}

# Runs one configuration: starts its server, drives it, stops it. Appends "rps p99 cpu-per-request" to
# results[$1].
declare -A results
run=0
run_one() { # $1: configuration, $2: round
    run=$((run + 1))
    # Files of their own per run, made before the launch: the background server opens its files only
    # once it has forked, so a reused file could still show the previous server's port.
    local config=$1 out=$tmp/server$run.out err=$tmp/server$run.err port='' line
    : > "$out"
    : > "$err"
    local -a options extra=()
    read -r -a options <<< "$server_opts $(config_options "$config" "$run")"
    [[ $config == naive ]] && extra=(--naive-sampler)
    "$java" "${options[@]}" -cp "$jar" io.jvmwatchdog.bench.load.LoadServer --threads "$server_threads" \
        --lifetime $((warmup + duration + 180)) "${extra[@]}" > "$out" 2> "$err" &
    server_pid=$!
    local deadline=$((SECONDS + 90))
    while [[ -z $port ]]; do
        port=$(sed -n 's/^port \([0-9][0-9]*\)$/\1/p' "$out")
        [[ -n $port ]] && break
        kill -0 "$server_pid" 2>/dev/null || fail "the $config server exited before listening" "$err"
        ((SECONDS < deadline)) || fail "the $config server did not listen within 90 s" "$err"
        sleep 0.1
    done
    # In the background and waited for, so that a signal to the script is handled at once.
    timeout $((warmup + duration + 60)) "$java" -XX:+UseSerialGC -Xmx256m -cp "$jar" \
        io.jvmwatchdog.bench.load.LoadDriver --port "$port" --connections "$connections" \
        --warmup "$warmup" --duration "$duration" --server-pid "$server_pid" > "$tmp/driver$run.out" 2> "$tmp/driver$run.err" &
    driver_pid=$!
    wait "$driver_pid" || { cat "$tmp/driver$run.out" >&2; fail "the driver failed against the $config server" "$tmp/driver$run.err"; }
    driver_pid=
    line=$(cat "$tmp/driver$run.out")
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
    local rps p50 p99 cpu server_cpu per_request
    rps=$(sed -n 's/.* rps=\([0-9.]*\).*/\1/p' <<< "$line")
    p50=$(sed -n 's/.* p50_us=\([0-9.]*\).*/\1/p' <<< "$line")
    p99=$(sed -n 's/.* p99_us=\([0-9.]*\).*/\1/p' <<< "$line")
    cpu=$(sed -n 's/.* driver_cpu=\([0-9.]*\).*/\1/p' <<< "$line")
    server_cpu=$(sed -n 's/.* server_cpu=\([-0-9.]*\).*/\1/p' <<< "$line")
    per_request=$(sed -n 's/.* server_cpu_us_per_request=\([-0-9.]*\).*/\1/p' <<< "$line")
    [[ -n $rps && -n $p99 ]] || fail "cannot read the driver's line: $line"
    printf 'round %d  %-9s %9.0f req/s  p50 %6.0f us  p99 %6.0f us  server %5.2f us CPU/req, %.2f cores  driver %.2f cores\n' \
        "$2" "$config" "$rps" "$p50" "$p99" "$per_request" "$server_cpu" "$cpu"
    # A watchdog that reports this healthy server's requests as stuck would be a false positive.
    if [[ $config == watchdog ]] && grep -qiE 'stuck|detected' "$err"; then
        echo "  WARNING: the watchdog reported something during a healthy run:" >&2
        grep -iE 'stuck|detected' "$err" | head -n 5 | sed 's/^/    /' >&2
    fi
    results[$config]+="$rps $p99 $per_request"$'\n'
}

for ((r = 0; r < rounds; r++)); do
    for ((i = 0; i < ${#order[@]}; i++)); do
        run_one "${order[(i + r) % ${#order[@]}]}" $((r + 1))
    done
done

column_stats() { # $1: column of results (1 rps, 2 p99, 3 server CPU per request); prints "median min max"
    awk -v col="$1" 'NF {print $col}' | stats
}
echo
printf '%-9s %9s %13s %8s %8s %9s %11s %9s\n' config "req/s" "spread" "vs none" "p99 us" "p99/none" \
    "CPU us/req" "cpu/none"
base_rps='' base_p99='' base_cpu=''
[[ -n ${results[none]:-} ]] && read -r base_rps _ _ < <(column_stats 1 <<< "${results[none]}") \
    && read -r base_p99 _ _ < <(column_stats 2 <<< "${results[none]}") \
    && read -r base_cpu _ _ < <(column_stats 3 <<< "${results[none]}")
for c in "${order[@]}"; do
    read -r rps lo hi < <(column_stats 1 <<< "${results[$c]}")
    read -r p99 _ _ < <(column_stats 2 <<< "${results[$c]}")
    read -r per_request _ _ < <(column_stats 3 <<< "${results[$c]}")
    ratio=- p99ratio=- cpuratio=-
    if [[ -n $base_rps ]]; then
        ratio=$(awk -v a="$rps" -v b="$base_rps" 'BEGIN {printf "%.3f", a / b}')
        p99ratio=$(awk -v a="$p99" -v b="$base_p99" 'BEGIN {printf "%.3f", a / b}')
        cpuratio=$(awk -v a="$per_request" -v b="$base_cpu" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}')
    fi
    printf '%-9s %9.0f %13s %8s %8.0f %9s %11.2f %9s\n' "$c" "$rps" "$(printf '%.0f-%.0f' "$lo" "$hi")" "$ratio" \
        "$p99" "$p99ratio" "$per_request" "$cpuratio"
    if [[ $c == watchdog && -n $base_rps ]]; then
        watchdog_verdict=$(awk -v r="$ratio" -v p="$p99ratio" -v c="$cpuratio" 'BEGIN {
            printf "%s (req/s %.3f, target >= 0.98; p99 %.3f, target <= 1.05; server CPU per request %.3f)",
                (r >= 0.98 && p <= 1.05 ? "met" : "MISSED"), r, p, c }')
    fi
done
echo "(medians of $rounds round(s); spread is min-max of req/s; CPU us/req is the server's CPU time per request;"
echo " load average now $(cut -d' ' -f1-3 /proc/loadavg))"
[[ -n ${watchdog_verdict:-} ]] && echo "watchdog target: $watchdog_verdict"
exit 0
