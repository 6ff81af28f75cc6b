#!/usr/bin/env bash
# The flash-sale benchmark (issue 5): builds the jar and the test classes, then runs
# dev.portoneverify.bench.Benchmark against the real jar. See bench/README.md.
#   bench/run.sh                          full run: PortOne at 0, 50, 200 ms; 100 and 1000 buyers
#   bench/run.sh --quick                  a few seconds, for a smoke test
#   bench/run.sh --latencies=50 --clients=100 --orders=20000 --profile
#   bench/run.sh --java=/usr/lib/jvm/temurin-25-jdk-amd64   the server on another JDK
#   bench/run.sh --help                   every option, without building
# Every option can also come from the environment: BENCH_LATENCIES=0,50 BENCH_ORDERS=5000 ...
set -euo pipefail
cd "$(dirname "$0")/.."

for arg in "$@"; do
  if [ "$arg" = "--help" ] || [ "$arg" = "-h" ]; then
    # source-file mode: no build, no classpath
    exec java bench/src/dev/portoneverify/bench/Usage.java
  fi
done

mvn -B -q -Dstyle.color=never -DskipTests package
mvn -B -q -Dstyle.color=never -Pbench -DskipTests test-compile
classpath_file=target/bench-classpath.txt
mvn -B -q -Dstyle.color=never dependency:build-classpath -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test >/dev/null

# The driver (load generator and PortOne stand-in) gets a fixed heap, so its GC stays small and
# predictable; the server under test runs as a shop runs it: `java -jar`, default JVM settings.
exec java -Xms512m -Xmx2g -XX:+UseParallelGC \
  -cp "target/test-classes:target/classes:$(cat "$classpath_file")" \
  dev.portoneverify.bench.Benchmark "$@"
