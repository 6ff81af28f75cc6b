#!/usr/bin/env bash
# Starts the server from target/portone-verify.jar, building it first only when needed: when the
# jar or its class-data archive is missing (a fresh clone), or when pom.xml, anything under src/main
# or schema*.sql changed since the jar was built. Otherwise it starts at once (no rebuild, no
# self-test), so fixing a typo in a variable costs nothing.
# `./run.sh --build` rebuilds anyway. The build skips the tests (`mvn verify` runs them), runs the
# jar's self-test once and records a class-data archive from it (pom.xml).
# Maven runs in batch mode without colours, and .mvn/jvm.config (-Djansi.noreset=true) stops the
# colour resets Maven 3.8 writes on exit even then, so `./run.sh > server.log` holds plain text only.
# Configuration comes from the environment: see "Configuration" in README.md.
set -euo pipefail
cd "$(dirname "$0")"
jar=target/portone-verify.jar
build=false
if [ "${1:-}" = "--build" ]; then
  build=true
  shift
elif [ ! -f "$jar" ] || [ ! -f target/portone-verify.jsa ] || [ -n "$(find pom.xml src/main schema*.sql -newer "$jar" -print -quit 2>/dev/null)" ]; then
  build=true
fi
if [ "$build" = true ]; then
  mvn -B -q --no-transfer-progress -Dstyle.color=never -DskipTests package
fi
# Without a heap limit the JVM may size its heap from the machine's memory and keep it: 1,000
# concurrent buyers measured 750-850 MB resident, 450 MB with 256 MB of heap (bench/README.md, issue 5).
# The archive lets the JVM map the classes the self-test loaded instead of reading them from the jar:
# the first request is answered about a third sooner (docs/operations.md, "Checking a jar").
exec java -Xmx256m -XX:SharedArchiveFile=target/portone-verify.jsa -jar "$jar" "$@"
