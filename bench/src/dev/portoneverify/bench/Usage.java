package dev.portoneverify.bench;

/**
 * The benchmark's options, printed by {@code bench/run.sh --help}. A file of its own with no dependency,
 * so that run.sh can print it with {@code java Usage.java} before (and without) building anything.
 */
public final class Usage {
    static final String TEXT = """
            usage: bench/run.sh [--option=value ...]   (each option also as BENCH_<NAME>, e.g. BENCH_LATENCIES=0,50)
              --latencies=0,50,200     PortOne's answer time in ms, one scenario each ...
              --clients=100,1000       ... times each number of concurrent buyers
              --orders=3000            orders completed in the timed phase of each scenario
              --warmup=N               orders completed before the clock starts (default max(clients, orders/2))
              --webhook-share=0.2      webhooks per completed order, for the same payments
              --trivial-millis=3000    how long the trivial endpoint is driven
              --settle-millis=2000     pause after the warm-up, for the JIT
              --stand-in=lean          lean (LeanPortOne) or sandbox (the tests' SimulatedPortOne)
              --database=sqlite        sqlite (a fresh file per scenario) or postgresql (a fresh schema, TEST_DATABASE_URL)
              --java=PATH              the JDK (its home, or its bin/java) that runs the server; default: the driver's
              --server-java-options=.. JVM options for the server, space-separated
              --cold-seconds=10        the cold-start line: a fresh server started as ./run.sh starts it (run.sh's JVM
                                       options), no warm-up, the first N seconds of a sale; 0 leaves it out
              --cold-latency=MS        PortOne's latency for the cold start (default: the largest --latencies)
              --cold-clients=N         buyers for the cold start (default: the largest --clients)
              --profile, --perf        a JFR recording / perf record of the sale (see bench/README.md)
              --timeout-ms=30000       a buyer's time limit, and the server's PORTONE_TIMEOUT_MS
              --jar=target/portone-verify.jar, --out=bench/results   what to run, where to write
              --quick                  0 and 50 ms, 20 buyers, 400 orders, short phases, a 3 s cold start
              --help                   this text, without building anything
            """;

    private Usage() {}

    public static void main(String[] args) {
        System.out.print(TEXT);
    }
}
