#!/usr/bin/env bash
# Builds the runnable jar (skipping tests; `mvn test` runs them) and starts the server.
# Configuration comes from the environment: see "Configuration" in README.md.
set -euo pipefail
cd "$(dirname "$0")"
mvn -q -DskipTests package
# Without a heap limit the JVM may size its heap from the machine's memory and keep it: 1,000
# concurrent buyers measured 750-850 MB resident, 450 MB with 256 MB of heap (bench/README.md, issue 5).
exec java -Xmx256m -jar target/portone-verify.jar "$@"
