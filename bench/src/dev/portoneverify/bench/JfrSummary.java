package dev.portoneverify.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording says the server's time went: CPU samples by library and by hottest methods,
 * and wall-clock waits (locks, parks, sleeps, socket reads) by the code that waited. Java 17's
 * {@code jfr} tool has no {@code view} command, hence this.
 *
 * <p>Usage: {@code java -cp <test classpath> dev.portoneverify.bench.JfrSummary recording.jfr}
 */
public final class JfrSummary {
    /** First match wins, walking from the sampled frame towards main: the library the time was spent in. */
    private static final String[][] LIBRARIES = {
            {"org.sqlite.", "SQLite (sqlite-jdbc + native)"},
            {"org.jdbi.", "Jdbi"},
            {"com.fasterxml.jackson.", "Jackson"},
            {"org.slf4j.", "logging"},
            {"jdk.internal.net.http.", "JDK HttpClient (to PortOne)"},
            {"java.net.http.", "JDK HttpClient (to PortOne)"},
            {"org.eclipse.jetty.", "Jetty (HTTP server)"},
            {"io.javalin.", "Javalin"},
            {"kotlin.", "Javalin"},
            {"dev.portoneverify.", "portone-verify"},
    };

    private JfrSummary() {}

    public static void main(String[] args) throws IOException {
        System.out.print(summarize(Path.of(args[0]), Instant.MIN, Instant.MAX));
    }

    /** Only events that started within [from, to]: the benchmark's measured phase. */
    static String summarize(Path recording, Instant from, Instant to) {
        try {
            return summarizeOrFail(recording, from, to);
        } catch (IOException e) {
            return "no profile: " + e + "\n";
        }
    }

    private static String summarizeOrFail(Path recording, Instant from, Instant to) throws IOException {
        Profile cpu = new Profile();
        Profile nativeCode = new Profile();
        Map<String, long[]> waits = new HashMap<>();
        int gcCount = 0;
        int compilations = 0;
        long compileNanos = 0;
        Map<String, Integer> compiled = new HashMap<>();
        Duration gcPause = Duration.ZERO;
        Duration longestGc = Duration.ZERO;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                continue;
            }
            String type = e.getEventType().getName();
            switch (type) {
                case "jdk.ExecutionSample" -> cpu.add(frames(e.getStackTrace()));
                case "jdk.NativeMethodSample" -> {
                    List<RecordedFrame> frames = frames(e.getStackTrace());
                    if (!idleNative(frames)) {
                        nativeCode.add(frames);
                    }
                }
                case "jdk.Compilation" -> {
                    compilations++;
                    compileNanos += e.getDuration().toNanos();
                    Object method = e.getValue("method");
                    String name = method instanceof jdk.jfr.consumer.RecordedMethod m
                            ? m.getType().getName() + "." + m.getName() : String.valueOf(method);
                    compiled.merge(name.replaceAll("\\$\\$Lambda\\$[0-9]+/0x[0-9a-f]+", "\\$\\$Lambda")
                            .replaceAll("0x[0-9a-f]+", "0x…"), 1, Integer::sum);
                }
                case "jdk.GarbageCollection" -> {
                    gcCount++;
                    gcPause = gcPause.plus(e.getDuration("sumOfPauses"));
                    if (e.getDuration("longestPause").compareTo(longestGc) > 0) {
                        longestGc = e.getDuration("longestPause");
                    }
                }
                case "jdk.JavaMonitorEnter", "jdk.ThreadPark", "jdk.ThreadSleep", "jdk.SocketRead",
                        "jdk.JavaMonitorWait" -> {
                    List<RecordedFrame> frames = frames(e.getStackTrace());
                    String where = type.substring(4) + " in " + waiter(frames);
                    long[] w = waits.computeIfAbsent(where, k -> new long[2]);
                    w[0]++;
                    w[1] += e.getDuration().toNanos();
                }
                default -> { }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("JFR summary of ").append(recording)
                .append(from == Instant.MIN ? "" : ", from " + from + " to " + to).append('\n');
        cpu.print("jdk.ExecutionSample: threads running Java code (on CPU)", out);
        nativeCode.print("jdk.NativeMethodSample: threads inside native code, on CPU or not (SQLite's busy handler "
                + "sleeps in here; idle selector, accept and socket waits left out)", out);
        out.append(String.format(Locale.ROOT, "%nJIT: %d compilations, %.1f s compiling; most often compiled:%n",
                compilations, compileNanos / 1e9));
        top(compiled, compilations, 15, out);
        out.append(String.format(Locale.ROOT, "%nGC: %d collections, %d ms paused in total, longest pause %d ms%n",
                gcCount, gcPause.toMillis(), longestGc.toMillis()));
        out.append("\nwaits over the JFR threshold (10-20 ms in the profile settings), by total time:\n");
        waits.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(20)
                .forEach(w -> out.append(String.format(Locale.ROOT, "  %8.1f s  %7d x  %s%n", w.getValue()[1] / 1e9,
                        w.getValue()[0], w.getKey())));
        return out.toString();
    }

    /** Stack samples counted three ways. */
    private static final class Profile {
        private final Map<String, Integer> byLibrary = new HashMap<>();
        private final Map<String, Integer> byMethod = new HashMap<>();
        private final Map<String, Integer> byOwnMethod = new HashMap<>();
        private int samples;

        void add(List<RecordedFrame> frames) {
            samples++;
            byLibrary.merge(library(frames), 1, Integer::sum);
            if (!frames.isEmpty()) {
                byMethod.merge(method(frames.get(0)), 1, Integer::sum);
            }
            String own = firstOwn(frames);
            byOwnMethod.merge(own == null ? "(none: server machinery)" : own, 1, Integer::sum);
        }

        void print(String title, StringBuilder out) {
            out.append(String.format(Locale.ROOT, "%n== %s: %d samples%n", title, samples));
            out.append("by library (the innermost non-JDK frame):\n");
            top(byLibrary, samples, 12, out);
            out.append("by sampled method:\n");
            top(byMethod, samples, 20, out);
            out.append("by innermost portone-verify method on the stack:\n");
            top(byOwnMethod, samples, 15, out);
        }
    }

    private static void top(Map<String, Integer> counts, int total, int limit, StringBuilder out) {
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(limit)
                .forEach(c -> out.append(String.format(Locale.ROOT, "  %5.1f%%  %6d  %s%n",
                        100.0 * c.getValue() / Math.max(1, total), c.getValue(), c.getKey())));
    }

    private static List<RecordedFrame> frames(RecordedStackTrace stack) {
        return stack == null ? List.of() : stack.getFrames();
    }

    private static boolean idleNative(List<RecordedFrame> frames) {
        if (frames.isEmpty()) {
            return false;
        }
        String m = method(frames.get(0));
        return m.contains("EPoll.wait") || m.contains("accept") || m.contains("Net.poll") || m.contains("socketRead")
                || m.contains("SocketDispatcher.read") || m.contains("Thread.sleep") || m.contains("Unsafe.park")
                || m.contains("Object.wait");
    }

    private static String library(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            for (String[] lib : LIBRARIES) {
                if (type.startsWith(lib[0])) {
                    return lib[1];
                }
            }
        }
        return "JDK only (GC helpers, JIT, selector, ...)";
    }

    private static String firstOwn(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            if (f.getMethod().getType().getName().startsWith("dev.portoneverify.")) {
                return method(f);
            }
        }
        return null;
    }

    /** The frame that best says who waited: the innermost one of ours or a library's, else the top one. */
    private static String waiter(List<RecordedFrame> frames) {
        Map<String, String> first = new LinkedHashMap<>();
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                return method(f);
            }
            first.putIfAbsent("top", method(f));
        }
        return first.getOrDefault("top", "(no stack)");
    }

    private static String method(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName()
                + (f.getType().equals("Native") ? " [native]" : "");
    }
}
