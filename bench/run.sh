#!/usr/bin/env bash
# Full benchmark runs (the build only smoke-runs them). From the repository's root, after
#   mvn -B -q package -DskipTests
# Usage: bench/run.sh [JMH options and benchmark regexps], e.g. bench/run.sh ProbeCost
# Defaults: 3 forks, 5 warm-up and 10 measured iterations of 1 s. Report ratios against the
# baseline measured in the same run (floorThreadLocalAndTwoStores, plainCall, ExecutorThroughput):
# this machine is shared and noisy, absolute figures are not comparable between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
require_built bench/target/benchmarks.jar agent/target/watchdog.jar
exec java -jar bench/target/benchmarks.jar -f 3 -wi 5 -w 1s -i 10 -r 1s "$@"
