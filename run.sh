#!/usr/bin/env bash
# Builds the runnable jar (skipping the tests; `mvn verify` runs them), which also runs the jar's
# self-test once and records a class-data archive from it (pom.xml), and starts the server.
# Configuration comes from the environment: see "Configuration" in README.md.
set -euo pipefail
cd "$(dirname "$0")"
mvn -q -DskipTests package
# Without a heap limit the JVM may size its heap from the machine's memory and keep it: 1,000
# concurrent buyers measured 750-850 MB resident, 450 MB with 256 MB of heap (bench/README.md, issue 5).
# The archive lets the JVM map the classes the self-test loaded instead of reading them from the jar:
# the first request is answered about a third sooner (README "Checking a jar: the self-test, and a faster start").
exec java -Xmx256m -XX:SharedArchiveFile=target/portone-verify.jsa -jar target/portone-verify.jar "$@"
