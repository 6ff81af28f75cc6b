package dev.portoneverify.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's CPU time per thread, from {@code jcmd <pid> Thread.print}, which also lists the JVM's
 * own threads (JIT compilers, GC): JFR's execution samples never see those, and under load they
 * can be most of the bill. Two snapshots give the split of the measured phase by kind of thread.
 */
final class ThreadCpu {
    private static final Pattern THREAD = Pattern.compile("^\"([^\"]+)\".*? cpu=([0-9.]+)ms");
    private static final String[][] KINDS = {
            {"JettyServerThreadPool", "request threads (Jetty pool)"},
            {"qtp", "request threads (Jetty pool)"},
            {"ForkJoinPool-", "virtual-thread carriers (request threads on 21+)"},
            {"HttpClient", "JDK HttpClient threads"},
            {"sqlite-group-commit", "SQLite writer (group commit)"},
            {"postgresql-transaction-", "PostgreSQL transaction workers"},
            {"verification-", "continuation pool (a verification's steps)"},
            {"C2 CompilerThread", "JIT compiler (C2)"},
            {"C1 CompilerThread", "JIT compiler (C1)"},
            {"GC Thread", "garbage collector"},
            {"G1 ", "garbage collector"},
            {"VM Thread", "JVM (safepoints, VM operations)"},
    };

    private ThreadCpu() {}

    /** CPU milliseconds per thread name now; empty when jcmd is unavailable. */
    static Map<String, Double> snapshot(long pid) {
        Map<String, Double> threads = new HashMap<>();
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor();
            for (String line : dump.split("\n")) {
                Matcher m = THREAD.matcher(line);
                if (m.find()) {
                    threads.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
                }
            }
        } catch (IOException e) {
            // no jcmd: the split is left out
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return threads;
    }

    /** Percent of the server's CPU between two snapshots, by kind of thread. */
    static Map<String, Double> split(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> byKind = new HashMap<>();
        double total = 0;
        for (Map.Entry<String, Double> t : after.entrySet()) {
            double ms = t.getValue() - before.getOrDefault(t.getKey(), 0.0);
            if (ms > 0) {
                byKind.merge(kind(t.getKey()), ms, Double::sum);
                total += ms;
            }
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        double all = total;
        byKind.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(k -> shares.put(k.getKey(), Math.round(1000 * k.getValue() / all) / 10.0));
        return shares;
    }

    private static String kind(String name) {
        for (String[] k : KINDS) {
            if (name.startsWith(k[0])) {
                return k[1];
            }
        }
        return "other threads";
    }
}
