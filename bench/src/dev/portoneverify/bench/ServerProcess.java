package dev.portoneverify.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar portone-verify.jar} in a child process, as a shop runs it, with its output going
 * straight to a file (a pipe that nobody drains would stall the server once its buffer fills, and
 * reading it line by line in the driver costs CPU the server should have). It stays apart from the
 * tests' {@code testsupport.ServerProcess}, which reads every line through a pipe because a test asserts
 * on them, since it needs more: the time from spawn to the first HTTP answer, and the child's CPU time,
 * RSS and thread count from {@code /proc}.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://localhost:(\\d+)");
    private static final long CLOCK_TICKS_PER_SECOND = 100;   // USER_HZ on Linux

    private final Process process;
    private final Path log;
    private final int port;
    private final long startupNanos;
    private final long startupCpuNanos;

    private ServerProcess(Process process, Path log, int port, long startupNanos) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.startupNanos = startupNanos;
        this.startupCpuNanos = cpuNanos();
    }

    /**
     * Starts the jar and returns once it answered its first HTTP request (any status); the time from
     * spawning the JVM to that answer is {@link #startupMillis()}.
     */
    static ServerProcess start(Path jar, List<String> javaOptions, Map<String, String> env, Path log)
            throws IOException, InterruptedException {
        return start(defaultJava(), jar, javaOptions, env, log);
    }

    /** The driver's own {@code bin/java}. */
    static Path defaultJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** {@link #start(Path, List, Map, Path)} on the {@code java} binary given. */
    static ServerProcess start(Path java, Path jar, List<String> javaOptions, Map<String, String> env, Path log)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(javaOptions);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        builder.redirectOutput(log.toFile());
        long spawned = System.nanoTime();
        Process process = builder.start();

        long deadline = spawned + TimeUnit.SECONDS.toNanos(30);
        int port = 0;
        try (RandomAccessFile output = new RandomAccessFile(log.toFile(), "r")) {
            StringBuilder seen = new StringBuilder();
            byte[] buffer = new byte[8192];
            while (port == 0) {
                int n = output.read(buffer);
                if (n > 0) {
                    seen.append(new String(buffer, 0, n, UTF_8));
                    Matcher m = LISTENING.matcher(seen);
                    if (m.find()) {
                        port = Integer.parseInt(m.group(1));
                    }
                    continue;
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the server did not start:\n" + seen);
                }
                Thread.sleep(1);
            }
        }
        while (true) {
            try (Http1Connection probe = new Http1Connection(port, 5_000)) {
                probe.get("/orders/startup-probe");
                break;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the server logged its port but does not answer: " + notYet);
                }
                Thread.sleep(1);
            }
        }
        return new ServerProcess(process, log, port, System.nanoTime() - spawned);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    double startupMillis() {
        return startupNanos / 1e6;
    }

    /** CPU time the JVM used until its first answer: the part of start-up a faster machine, not a quieter one, would shorten. */
    double startupCpuMillis() {
        return startupCpuNanos / 1e6;
    }

    /** Peak resident set size since the process started (VmHWM), in KiB. */
    long peakRssKib() {
        return statusField("VmHWM:");
    }

    long rssKib() {
        return statusField("VmRSS:");
    }

    long threads() {
        return statusField("Threads:");
    }

    /** User plus system CPU time the server has used so far. */
    long cpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // the command name (field 2) may hold spaces; count fields after its closing parenthesis
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);   // utime, stime
            return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        } catch (IOException e) {
            return -1;
        }
    }

    private long statusField(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process has gone
        }
        return -1;
    }

    /** "running", or how the process ended. */
    String state() {
        return process.isAlive() ? "running" : "exited with " + process.exitValue();
    }

    List<String> log() {
        try {
            return Files.readAllLines(log, UTF_8);
        } catch (IOException e) {
            return List.of("(log unreadable: " + e + ")");
        }
    }

    /** SIGTERM, as a shop's service manager stops it; SIGKILL if it is still there after 10 seconds. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
