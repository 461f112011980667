#!/usr/bin/env bash
# The agent's startup cost (the issue "Cheap enough to leave on everywhere": a hello world's premain to
# main at most 100 ms later than without the agent; the instrumentation fully active within 1 s; issue
# 17: a real framework application's startup at most 1.05x, with and without class sharing).
#
# Every case launches the same application in each of these setups (--setups picks some):
#   none       no agent
#   bytebuddy  a bare Byte Buddy agent (bench/bare-agent/BareByteBuddyAgent.java: one AgentBuilder, one
#              Advice on ThreadPoolExecutor.execute, nothing appended to the boot class path), built by
#              this script with javac against Byte Buddy's jar in ~/.m2: what Byte Buddy alone costs
#   watchdog   -javaagent:agent/target/watchdog.jar=$AGENT_OPTIONS
#   other      -javaagent:$OTHER_AGENT=$AGENT_OPTIONS: another build of the watchdog (an older commit's
#              jar), to compare two builds in the same rounds
# RUNS rounds; each round launches every setup once, in an order rotated from round to round, so that a
# shared machine's drift spreads over all of them. Each run is timed from the script's clock read just
# before the launch to the instant the application said it was ready (its own wall clock, printed on
# stdout), and as the whole process's wall time. The table gives medians, spreads (min-max) and ratios
# to `none` of the same rounds: the ratio of the medians, and the spread of the per-round ratios.
#
# Cases (--case, comma-separated; default hello):
#   hello    Hello (bench/target/benchmarks.jar), launch to the first line of main, with the JVM's default
#            CDS. Then RUNS more runs with the agent of `Hello --stay 3000`, long enough for a background
#            installation to finish: the agent says so on stderr ("instrumentation active ... <N> ms after
#            JVM start"); the median of N is reported, n/a when no run printed that line.
#   spring   bench/apps/spring-boot-web: Spring Boot 3.5 web (Tomcat, one @RestController) as an
#            executable jar, `java -jar app.jar`, launch to its ApplicationReadyEvent (just after
#            Spring's "Started WebApp in ..."), then it exits by itself
#   quarkus  bench/apps/quarkus-rest: Quarkus 3.33 REST as a fast-jar, `java -jar quarkus-run.jar`,
#            launch to QuarkusApplication.run (after "started in ..."), then it exits by itself
#   cds      the Spring app on JAVA (Java 17) with a dynamic AppCDS archive: made once, without any agent
#            (-XX:ArchiveClassesAtExit), then used by every setup (-XX:SharedArchiveFile). Spring's
#            executable jar loads classes from nested jars, which CDS cannot share, so this case (and
#            aot) runs the jar as Spring extracts it (java -Djarmode=tools -jar app.jar extract).
#   aot      the same on JAVA25 (Java 25) with an AOT cache: one training run per setup, with the same
#            agent as it is then run with (-XX:AOTCacheOutput; none trains without an agent), then the
#            timed runs with -XX:AOTCache. A training run that fails (today the watchdog's crashes the JVM)
#            is reported with its exit status and hs_err file, and that setup's timed runs are skipped.
#   all      hello,spring,quarkus,cds,aot
# In cds and aot, one more run per setup logs class loading (-Xlog:class+load) to count the classes that
# came from the archive ("source: shared objects file"), for the application (every class not of the
# JDK nor of an agent) and for the JDK; the application classes that the archive held for `none` but
# not for an agent are listed in that setup's files. Every case lists the distinct warning lines the
# JVM printed on stderr per setup (e.g. "Sharing is only supported for boot loader classes ...").
# Each run's stdout, stderr and logs are kept in bench/target/startup/<time>-<case>/ (printed at the end;
# the archives and caches too with KEEP_ARCHIVES=1).
#
# Needs: mvn -B -q package -DskipTests   (builds agent/target/watchdog.jar and bench/target/benchmarks.jar)
#   spring, quarkus, cds, aot build their application on first use (mvn -q -f bench/apps/<app>/pom.xml
#   package: downloads the framework once); the bytebuddy setup needs javac and Byte Buddy in ~/.m2
#   (there after the build above).
# Usage: bench/startup.sh [--smoke] [--runs N] [--case hello|spring|quarkus|cds|aot|all[,...]]
#                         [--setups none,bytebuddy,watchdog,other]
#   --smoke  the hello case, 2 runs of none and watchdog (what `mvn verify` runs: nothing to build)
#   default  RUNS=10 for hello, 5 for the other cases; all three setups
# Environment: JAVA (default java; the JVM of hello, spring, quarkus and cds, e.g.
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java), JAVA25 (the JVM of aot, default
#   /usr/lib/jvm/temurin-25-jdk-amd64/bin/java), RUNS, SETUPS,
#   AGENT_OPTIONS (default timeout=3m; e.g. timeout=3m,install=before-main to make main wait for the install),
#   KEEP_ARCHIVES (set: keep the cds archive and the aot caches, else deleted after their case).
# Exits 1 when a run or a training run failed (after finishing every case), 2 on bad usage or a
# missing build; not when a target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

java=${JAVA:-java}
java25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
runs=${RUNS:-}
setups=${SETUPS:-none,bytebuddy,watchdog}
cases=hello
agent_options=${AGENT_OPTIONS:-timeout=3m}
stay_ms=3000
usage="usage: bench/startup.sh [--smoke] [--runs N] [--case hello|spring|quarkus|cds|aot|all[,...]] [--setups none,bytebuddy,watchdog,other]"
while (($#)); do
    case $1 in
        --smoke) runs=2 cases=hello setups=none,watchdog ;;
        --runs) runs=${2:?$usage}; shift ;;
        --case) cases=${2:?$usage}; shift ;;
        --setups) setups=${2:?$usage}; shift ;;
        -h|--help) echo "$usage"; exit 0 ;;
        *) echo "$usage" >&2; exit 2 ;;
    esac
    shift
done
[[ -z $runs || $runs =~ ^[1-9][0-9]*$ ]] || { echo "runs must be a positive integer: $runs" >&2; exit 2; }
[[ $cases == all ]] && cases=hello,spring,quarkus,cds,aot
IFS=, read -r -a case_list <<< "$cases"
for c in "${case_list[@]}"; do
    [[ $c =~ ^(hello|spring|quarkus|cds|aot)$ ]] || { echo "unknown case '$c'; $usage" >&2; exit 2; }
done
IFS=, read -r -a setup_list <<< "$setups"
for s in "${setup_list[@]}"; do
    [[ $s =~ ^(none|bytebuddy|watchdog|other)$ ]] || { echo "unknown setup '$s'; $usage" >&2; exit 2; }
    [[ $s != other || -f ${OTHER_AGENT:-} ]] || { echo "setup 'other' needs OTHER_AGENT, a watchdog jar" >&2; exit 2; }
done
[[ ${setup_list[0]} == none ]] || { echo "the setups must begin with none (the baseline): $setups" >&2; exit 2; }

agent=agent/target/watchdog.jar
jar=bench/target/benchmarks.jar
require_built "$agent" "$jar"

results=bench/target/startup/$(date +%Y%m%d-%H%M%S)
mkdir -p bench/target/startup
failures=()

# The wall clock in microseconds, into `stamp_us`. bash's EPOCHREALTIME costs no process (date +%s%N,
# or a command substitution, would fork one: a millisecond or so between the clock read and the launch).
stamp() {
    if [[ -n ${EPOCHREALTIME:-} ]]; then
        stamp_us=${EPOCHREALTIME/[.,]/}
    else
        stamp_us=$(($(date +%s%N) / 1000))
    fi
}

ms() { awk -v us="$1" 'BEGIN {printf "%.1f", us / 1000}'; }

# True when $1 is missing or older than a file of project directory $2 (target/ aside): build it again.
stale() { # $1: product, $2: project directory
    [[ ! -e $1 ]] || [[ -n $(find "$2" -path "$2/target" -prune -o -type f -newer "$1" -print -quit) ]]
}

build_app() { # $1: app directory under bench/apps, $2: its product
    if stale "$2" "bench/apps/$1"; then
        echo "building bench/apps/$1 (first use downloads its framework) ..." >&2
        mvn -B -q -f "bench/apps/$1/pom.xml" package -DskipTests >&2 \
            || { echo "could not build bench/apps/$1" >&2; exit 2; }
    fi
}

bare_agent=bench/target/bare-agent/bare-bytebuddy-agent.jar
build_bare_agent() {
    stale "$bare_agent" bench/bare-agent || return 0
    local version bb javac dir
    version=$(sed -n 's:.*<bytebuddy.version>\(.*\)</bytebuddy.version>.*:\1:p' pom.xml)
    bb=$HOME/.m2/repository/net/bytebuddy/byte-buddy/$version/byte-buddy-$version.jar
    [[ -f $bb ]] || { echo "build first: mvn -B -q package -DskipTests (missing $bb)" >&2; exit 2; }
    javac=${JAVAC:-javac}
    dir=bench/target/bare-agent
    rm -rf "$dir" && mkdir -p "$dir/classes"
    echo "building $bare_agent ..." >&2
    "$javac" --release 17 -nowarn -cp "$bb" -d "$dir/classes" bench/bare-agent/BareByteBuddyAgent.java
    # Byte Buddy goes into the agent jar as it is (not relocated; the apps here have no Byte Buddy of
    # their own), without its META-INF (manifest, licence, versioned module descriptor).
    (cd "$dir/classes" && unzip -q -o "$bb" -x 'META-INF/*')
    printf 'Premain-Class: BareByteBuddyAgent\nCan-Redefine-Classes: true\nCan-Retransform-Classes: true\n' > "$dir/manifest.txt"
    "${JAR:-jar}" cfm "$bare_agent" "$dir/manifest.txt" -C "$dir/classes" .
}

# The JVM options that make a setup.
setup_options() { # $1: setup; sets `opts`
    case $1 in
        none) opts=() ;;
        bytebuddy) opts=("-javaagent:$bare_agent") ;;
        watchdog) opts=("-javaagent:$agent=$agent_options") ;;
        other) opts=("-javaagent:$OTHER_AGENT=$agent_options") ;;
    esac
}

# One launch: stdout and stderr to $2.out and $2.err; sets `ready_us` (launch to the application's
# ready line, empty when it printed none), `wall_us` and `status`, and records a failed run.
launch() { # $1: java, $2: output path prefix, rest: JVM options and application
    local jvm=$1 out=$2 t0 line
    shift 2
    stamp; t0=$stamp_us
    "$jvm" "$@" > "$out.out" 2> "$out.err" && status=0 || status=$?
    stamp
    wall_us=$((stamp_us - t0))
    line=$(grep -m1 -E '^(BENCH-READY )?[0-9]{13,}$' "$out.out" || true)
    ready_us=
    [[ -n $line ]] && ready_us=$((${line##* } - t0))
    if ((status != 0)) || [[ -z $ready_us ]]; then
        failures+=("$(basename "$out"): exit status $status$([[ -z $ready_us ]] && echo ", no ready line"); $jvm $*")
        echo "FAILED: exit status $status: $jvm $*" >&2
        tail -n 20 "$out.err" | sed 's/^/    /' >&2
        return 1
    fi
}

# The JVM's warnings in a setup's runs, each distinct line once with its count: lines of stderr that say
# warning, and unified-logging warnings ([warning][...]), which the JVM prints on stdout. The class a
# CDS/AOT "Skipping <class>: <reason>" line names is replaced by <class>, so that reasons add up.
warnings_of() { # $@: path prefixes of runs (…/<name> of <name>.out and <name>.err)
    local p
    for p in "$@"; do
        grep -ihE 'warning|sharing is only' "$p.err" 2> /dev/null || true
        grep -hE '^\[[^]]*\]\[warning\]' "$p.out" 2> /dev/null || true
    done | sed -E 's/^\[[0-9.]+s\]//; s/Skipping [^ :]+:/Skipping <class>:/' | sort | uniq -c | sort -rn | head -n 12
}

# Runs the rounds of one case over the setups that are runnable; prints each round and the table.
# Globals in: case_java, case_dir, app (array: what follows the JVM options), extra (associative:
# setup -> more JVM options), skip (associative: setup -> why it is not run).
run_rounds() { # $1: rounds
    local n=$1 i k s order line
    declare -gA ready=() wall=()
    local active=()
    for s in "${setup_list[@]}"; do [[ -z ${skip[$s]:-} ]] && active+=("$s"); done
    for ((i = 1; i <= n; i++)); do
        order=()
        for ((k = 0; k < ${#active[@]}; k++)); do order+=("${active[(k + i - 1) % ${#active[@]}]}"); done
        line=$(printf 'round %2d:' "$i")
        for s in "${order[@]}"; do
            setup_options "$s"
            # shellcheck disable=SC2086
            if launch "$case_java" "$case_dir/$s-$i" "${opts[@]}" ${extra[$s]:-} "${app[@]}"; then
                ready[$s]+="$ready_us " wall[$s]+="$wall_us "
                line+=$(printf '  %s %s ms (wall %s)' "$s" "$(ms "$ready_us")" "$(ms "$wall_us")")
            else
                ready[$s]+="x " wall[$s]+="x "
                line+="  $s FAILED"
            fi
        done
        echo "$line"
    done
    echo
    printf '%-10s %10s %19s %8s %21s %10s %8s\n' "($n rounds)" "ready ms" "min-max" "x none" "per-round x min-max" "wall ms" "x none"
    local base_r base_w
    for s in "${setup_list[@]}"; do
        if [[ -n ${skip[$s]:-} ]]; then
            printf '%-10s %s\n' "$s" "not run: ${skip[$s]}"
            continue
        fi
        table_row "$s" "${ready[$s]}" "${wall[$s]}" "${ready[none]:-}" "${wall[none]:-}"
    done
    for s in "${setup_list[@]}"; do
        [[ -n ${skip[$s]:-} ]] && continue
        local w
        w=$(warnings_of $(ls "$case_dir/$s"-*.out | sed 's/\.out$//'))
        [[ -n $w ]] && { echo "stderr warnings, $s (count, line):"; sed 's/^/  /' <<< "$w"; }
    done
    return 0
}

# One line of the table: medians over the successful runs, the ratio of medians to none's, and the
# spread of the per-round ratios (rounds where both ran).
table_row() { # $1: setup, $2: ready values, $3: wall values, $4, $5: none's (space-separated, x = failed)
    local rm rlo rhi wm ratio_r ratio_w spread nm nw
    read -r rm rlo rhi < <(tr ' ' '\n' <<< "$2" | grep -E '^[0-9]+$' | stats) || true
    read -r wm _ _ < <(tr ' ' '\n' <<< "$3" | grep -E '^[0-9]+$' | stats) || true
    if [[ -z ${rm:-} ]]; then printf '%-10s %s\n' "$1" "every run failed"; return; fi
    read -r nm _ _ < <(tr ' ' '\n' <<< "$4" | grep -E '^[0-9]+$' | stats) || true
    read -r nw _ _ < <(tr ' ' '\n' <<< "$5" | grep -E '^[0-9]+$' | stats) || true
    ratio_r=n/a ratio_w=n/a spread=n/a
    if [[ -n ${nm:-} ]]; then
        ratio_r=$(awk -v a="$rm" -v b="$nm" 'BEGIN {printf "%.3f", a / b}')
        ratio_w=$(awk -v a="$wm" -v b="$nw" 'BEGIN {printf "%.3f", a / b}')
        spread=$(paste -d ' ' <(tr ' ' '\n' <<< "$2") <(tr ' ' '\n' <<< "$4") \
            | awk '$1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ {print $1 / $2}' | stats \
            | awk '{printf "%.3f-%.3f", $2, $3}')
    fi
    printf '%-10s %10s %19s %8s %21s %10s %8s\n' "$1" "$(ms "$rm")" "$(ms "$rlo")-$(ms "$rhi")" "$ratio_r" \
        "$spread" "$(ms "$wm")" "$ratio_w"
}

# A class+load log's classes, "name shared|other" per line; agents' own classes left out.
classes_of() { # $1: log
    sed -nE 's/^\[[^]]*\]\[[^]]*\]\[class,load\] ([^ ]+) source: (.*)$/\1 \2/p' "$1" \
        | grep -vE '^(io\.jvmwatchdog\.(agent|boot|core|shaded)\.|net\.bytebuddy\.|BareByteBuddyAgent)' \
        | awk '{print $1, (index($0, " shared objects file") ? "shared" : "other")}'
}

jdk_class='^(java|javax|jdk|sun|com\.sun)\.'

# One run per setup with -Xlog:class+load; prints, per setup, application and JDK classes loaded and
# how many came from the archive, and writes the lists of classes not from the archive.
count_shared() {
    local s f
    echo "classes from the archive (one run per setup with -Xlog:class+load; agents' own classes not counted):"
    printf '  %-10s %26s %26s\n' setup "application: shared/loaded" "JDK: shared/loaded"
    for s in "${setup_list[@]}"; do
        [[ -n ${skip[$s]:-} ]] && continue
        setup_options "$s"
        f=$case_dir/$s-classload
        # shellcheck disable=SC2086
        if ! launch "$case_java" "$f" "${opts[@]}" ${extra[$s]:-} "-Xlog:class+load:file=$f.log" "${app[@]}"; then
            printf '  %-10s %s\n' "$s" "the run failed"
            continue
        fi
        classes_of "$f.log" > "$f.classes"
        grep -vE "$jdk_class" "$f.classes" | awk '$2 == "other" {print $1}' | sort > "$f.app-not-shared"
        printf '  %-10s %26s %26s\n' "$s" \
            "$(grep -vE "$jdk_class" "$f.classes" | awk '$2 == "shared" {s++} END {printf "%d/%d", s, NR}')" \
            "$(grep -E "$jdk_class" "$f.classes" | awk '$2 == "shared" {s++} END {printf "%d/%d", s, NR}')"
    done
    [[ -f $case_dir/none-classload.classes ]] || return 0
    awk '$2 == "shared" {print $1}' "$case_dir/none-classload.classes" | sort > "$case_dir/none-shared"
    for s in "${setup_list[@]:1}"; do
        f=$case_dir/$s-classload
        [[ -f $f.classes ]] || continue
        # Shared for none, loaded but not from the archive with the agent.
        comm -12 "$case_dir/none-shared" <(awk '$2 == "other" {print $1}' "$f.classes" | sort) > "$f.lost"
        echo "  $s: $(wc -l < "$f.lost") class(es) shared for none came from elsewhere (list: $f.lost); by package:"
        sed -E 's/\.[^.]+$//' "$f.lost" | sort | uniq -c | sort -rn | head -n 8 | sed 's/^/    /'
    done
}

# The Spring app as Spring extracts it for class sharing (java -jar <dir>/app.jar, libraries beside it).
spring_jar=bench/apps/spring-boot-web/target/app.jar
spring_extracted=bench/target/startup-apps/spring-boot-web
extract_spring() {
    build_app spring-boot-web "$spring_jar"
    if [[ ! -e $spring_extracted/app.jar || $spring_jar -nt $spring_extracted/app.jar ]]; then
        rm -rf "$spring_extracted"
        "$java" -Djarmode=tools -jar "$spring_jar" extract --destination "$spring_extracted" > /dev/null
    fi
}

case_header() { # $1: case, $2: java, $3: description
    case_dir=$results-$1
    mkdir -p "$case_dir"
    echo
    echo "===== case $1: $3"
    print_header "$2" "$4 round(s) of ${setup_list[*]}; agent options $agent_options"
}

needs_bare_agent() {
    local s
    for s in "${setup_list[@]}"; do [[ $s == bytebuddy ]] && build_bare_agent; done
    return 0
}

case_hello() {
    local n=${runs:-10} i line
    case_java=$java app=(-cp "$jar" io.jvmwatchdog.bench.load.Hello)
    declare -gA extra=() skip=()
    case_header hello "$java" "Hello, launch to main (JVM default CDS)" "$n"
    run_rounds "$n"
    [[ " ${setup_list[*]} " == *" watchdog "* ]] || return 0
    local active_ms=()
    setup_options watchdog
    for ((i = 1; i <= n; i++)); do
        launch "$java" "$case_dir/watchdog-stay-$i" "${opts[@]}" "${app[@]}" --stay "$stay_ms" || continue
        line=$(grep -m1 'instrumentation active' "$case_dir/watchdog-stay-$i.err" || true)
        if [[ $line =~ ([0-9]+)\ ms\ after\ JVM\ start ]]; then
            active_ms+=("${BASH_REMATCH[1]}")
        fi
    done
    local nm wm added active active_verdict am alo ahi
    read -r nm _ _ < <(tr ' ' '\n' <<< "${ready[none]}" | grep -E '^[0-9]+$' | stats) || true
    read -r wm _ _ < <(tr ' ' '\n' <<< "${ready[watchdog]}" | grep -E '^[0-9]+$' | stats) || true
    if [[ -n ${nm:-} && -n ${wm:-} ]]; then
        added=$(awk -v a="$wm" -v b="$nm" 'BEGIN {printf "%.1f", (a - b) / 1000}')
    else
        added=n/a
    fi
    if ((${#active_ms[@]})); then
        read -r am alo ahi < <(printf '%s\n' "${active_ms[@]}" | stats)
        active="median $am ms after JVM start (min-max $alo-$ahi, ${#active_ms[@]} of $n runs)"
        active_verdict=$(awk -v a="$am" 'BEGIN {print (a <= 1000 ? "met" : "MISSED")}')
    else
        active="n/a (no run printed the line)" active_verdict=n/a
    fi
    echo "watchdog - none, launch-to-main: $added ms; instrumentation active: $active"
    echo "targets: added launch-to-main <= 100 ms: $(awk -v a="$added" 'BEGIN {print (a != "n/a" && a <= 100 ? "met" : "MISSED")}') ($added ms);" \
        "active within 1 s: $active_verdict"
}

case_spring() {
    build_app spring-boot-web "$spring_jar"
    case_java=$java app=(-jar "$spring_jar")
    declare -gA extra=() skip=()
    case_header spring "$java" "Spring Boot web, java -jar app.jar, launch to ApplicationReadyEvent" "${runs:-5}"
    run_rounds "${runs:-5}"
    spring_own_figure
    framework_verdict
}

# Spring's own "(process running for M)", which counts from the JVM's start (not the launcher's).
spring_own_figure() {
    local s v
    for s in "${setup_list[@]}"; do
        [[ -n ${skip[$s]:-} ]] && continue
        v=$(cat "$case_dir/$s"-[0-9]*.out 2> /dev/null | grep -oE 'process running for [0-9.]+' | awk '{print $4}' | stats || true)
        [[ -n $v ]] && echo "Spring's own 'process running for' (s), $s: median min max $v"
    done
    return 0
}

framework_verdict() {
    local nm wm
    read -r nm _ _ < <(tr ' ' '\n' <<< "${ready[none]:-}" | grep -E '^[0-9]+$' | stats) || true
    read -r wm _ _ < <(tr ' ' '\n' <<< "${ready[watchdog]:-}" | grep -E '^[0-9]+$' | stats) || true
    [[ -n ${nm:-} && -n ${wm:-} ]] || return 0
    awk -v a="$wm" -v b="$nm" 'BEGIN {r = a / b; printf "target: watchdog <= 1.05x none: %s (%.3fx)\n", (r <= 1.05 ? "met" : "MISSED"), r}'
}

case_quarkus() {
    local qjar=bench/apps/quarkus-rest/target/quarkus-app/quarkus-run.jar
    build_app quarkus-rest "$qjar"
    case_java=$java app=(-jar "$qjar")
    declare -gA extra=() skip=()
    case_header quarkus "$java" "Quarkus REST fast-jar, java -jar quarkus-run.jar, launch to QuarkusApplication.run" "${runs:-5}"
    run_rounds "${runs:-5}"
    framework_verdict
}

case_cds() {
    extract_spring
    local archive s
    case_java=$java app=(-jar "$spring_extracted/app.jar")
    declare -gA extra=() skip=()
    case_header cds "$java" "Spring Boot web (extracted jar), dynamic AppCDS archive made without an agent" "${runs:-5}"
    archive=$case_dir/spring.jsa
    if launch "$java" "$case_dir/archive" "-XX:ArchiveClassesAtExit=$archive" "${app[@]}" && [[ -f $archive ]]; then
        echo "archive: $archive, $(($(stat -c %s "$archive") / 1048576)) MiB, dumped in $(ms "$wall_us") ms (wall of the run that made it)"
        warnings_of "$case_dir/archive" | sed 's/^/  warning at dump: /'
        for s in "${setup_list[@]}"; do extra[$s]="-XX:SharedArchiveFile=$archive"; done
    else
        echo "archive: could not be made (exit status $status; see $case_dir/archive.err)"
        for s in "${setup_list[@]}"; do skip[$s]="no archive"; done
        return 0
    fi
    count_shared
    echo
    run_rounds "${runs:-5}"
    framework_verdict
}

case_aot() {
    extract_spring
    local cache s
    "$java25" -XX:+PrintFlagsFinal -version 2> /dev/null | grep -q ' AOTCacheOutput ' \
        || { echo "JAVA25=$java25 does not take -XX:AOTCacheOutput (Java 25 needed)" >&2; exit 2; }
    case_java=$java25 app=(-jar "$spring_extracted/app.jar")
    declare -gA extra=() skip=()
    case_header aot "$java25" "Spring Boot web (extracted jar), AOT cache trained with each setup's agent" "${runs:-5}"
    for s in "${setup_list[@]}"; do
        cache=$case_dir/spring-$s.aot
        setup_options "$s"
        if launch "$java25" "$case_dir/train-$s" "${opts[@]}" "-XX:AOTCacheOutput=$cache" \
                "-XX:ErrorFile=$case_dir/hs_err-train-$s-%p.log" "${app[@]}" && [[ -f $cache ]]; then
            echo "training $s: cache $(($(stat -c %s "$cache") / 1048576)) MiB, training and assembly $(ms "$wall_us") ms"
            extra[$s]="-XX:AOTCache=$cache"
        elif ((status == 0)); then
            skip[$s]="training FAILED: exit status 0 but no cache written"
            failures+=("train-$s: exit status 0 but no cache $cache")
            echo "training $s: ${skip[$s]}"
        else
            local hs frame
            hs=$(ls "$case_dir"/hs_err-train-"$s"-*.log 2> /dev/null | head -n 1 || true)
            frame=$( [[ -n $hs ]] && grep -m1 -A1 'Problematic frame' "$hs" | tail -n 1 || true)
            skip[$s]="training FAILED, exit status $status${hs:+, $hs}${frame:+: $frame}"
            echo "training $s: ${skip[$s]}"
        fi
        warnings_of "$case_dir/train-$s" | sed 's/^/  warning at training: /'
    done
    count_shared
    echo
    run_rounds "${runs:-5}"
    framework_verdict
}

needs_bare_agent
for c in "${case_list[@]}"; do
    "case_$c"
    # The archives and caches are 30-50 MiB each: gone once measured, unless asked for.
    [[ -n ${KEEP_ARCHIVES:-} ]] || rm -f "$results-$c"/*.jsa "$results-$c"/*.aot "$results-$c"/*.aot.config
done

echo
echo "outputs: $results-*"
if ((${#failures[@]})); then
    echo "FAILED runs (${#failures[@]}):"
    printf '  %s\n' "${failures[@]}"
    exit 1
fi
