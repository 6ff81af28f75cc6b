#!/usr/bin/env bash
# Builds the runnable jar (skipping tests; `mvn test` runs them) and starts the server.
# Configuration comes from the environment: see "Configuration" in README.md.
set -euo pipefail
cd "$(dirname "$0")"
mvn -q -DskipTests package
exec java -jar target/portone-verify.jar "$@"
