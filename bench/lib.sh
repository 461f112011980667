# Shared by the bench scripts (sourced, never run): the build check, the header every run prints,
# and the one statistic they all report.

# Exits 2 with the build command if any of the given files or directories is missing.
require_built() {
    local f
    for f in "$@"; do
        [[ -e $f ]] || { echo "build first: mvn -B -q package -DskipTests (missing $f)" >&2; exit 2; }
    done
}

# The JDK and the machine's state, then $2 (what the run does): figures mean little without them.
print_header() { # $1: java command, $2: description of the run
    echo "== $("$1" -version 2>&1 | paste -sd ' ' -)"
    echo "== nproc $(nproc); load average $(cut -d' ' -f1-3 /proc/loadavg); $2"
}

# "median min max" of the numbers on stdin, one per line; nothing for no numbers.
stats() {
    sort -g | awk '{a[NR] = $1} END {if (NR) printf "%s %s %s\n", (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[1], a[NR]}'
}
