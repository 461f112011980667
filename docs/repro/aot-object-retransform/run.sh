#!/usr/bin/env bash
# Reproduces the Java 25 AOT-cache training crash that the watchdog triggered (issue 17): a no-op
# retransformation of java.lang.Object. Usage: docs/repro/aot-object-retransform/run.sh [JAVA_HOME]
set -u
JAVA_HOME="${1:-/usr/lib/jvm/temurin-25-jdk-amd64}"
work=$(mktemp -d)
cd "$(dirname "$0")"
"$JAVA_HOME/bin/javac" -d "$work" RetransformAgent.java Hello.java
printf 'Premain-Class: RetransformAgent\nCan-Retransform-Classes: true\n' > "$work/manifest.txt"
(cd "$work" && "$JAVA_HOME/bin/jar" cfm agent.jar manifest.txt RetransformAgent*.class && "$JAVA_HOME/bin/jar" cf hello.jar Hello.class)
for target in other object; do
  (cd "$work" && rm -f app.aot && "$JAVA_HOME/bin/java" -XX:AOTCacheOutput=app.aot -javaagent:agent.jar=$target \
      -cp hello.jar Hello > "out-$target.txt" 2>&1)
  echo "retransform $target: exit $?, classes skipped: $(grep -c 'Skipping' "$work/out-$target.txt"), $(grep -m1 'Problematic frame' -A1 "$work/out-$target.txt" | tail -1)"
done
echo "(outputs in $work)"
