package dev.portoneverify.robustness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java dev.portoneverify.Main} in a child JVM on the test class path, with every line it writes
 * (stdout and stderr, where slf4j-simple logs) kept. A child process is the one capture that cannot
 * miss a line: whatever logger caches whatever stream, all of it reaches the pipe. It also runs the real
 * composition root, so the SMS go through {@code LogSmsSender} as in production.
 */
final class ServerProcess {
    private static final Pattern LISTENING = Pattern.compile("listening on http://localhost:(\\d+)");
    /** Variables the parent's environment must not leak into the child's configuration. */
    private static final Pattern OURS = Pattern.compile(
            "PORT|DATABASE_.*|PORTONE_.*|AUTO_CANCEL_FORGERIES|RECONCILE_.*|WEBHOOK_.*|PREPARE_AMOUNTS|CONFIRM_PROCESS|SANDBOX.*");

    private final Process process;
    private final Thread reader;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private volatile int port;

    private ServerProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::readOutput, "server-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the child with {@code env} as its whole configuration and {@code jvmOptions} before the main class. */
    static ServerProcess start(Map<String, String> env, List<String> jvmOptions, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        command.addAll(jvmOptions);
        command.add("dev.portoneverify.Main");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> OURS.matcher(name).matches());
        builder.environment().putAll(env);
        try {
            return new ServerProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (bounded) for the "listening on" line; fails with everything the child said if it never comes. */
    ServerProcess awaitListening() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (port == 0 && process.isAlive() && System.nanoTime() < deadline) {
            pause(20);
        }
        if (port == 0) {
            process.destroyForcibly();
            throw new IllegalStateException("the server did not start:\n" + String.join("\n", output));
        }
        return this;
    }

    /** Waits (bounded) until some line matches; true if one did. */
    boolean awaitLine(Predicate<String> line, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            if (output.stream().anyMatch(line)) {
                return true;
            }
            pause(10);
        }
        return false;
    }

    /** Waits (bounded) for the child to exit by itself and returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the process did not exit:\n" + String.join("\n", output));
        }
        reader.join(5_000);
        return process.exitValue();
    }

    int port() {
        return port;
    }

    String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** Every line written so far; after {@link #stop()}, every line. */
    List<String> output() {
        return List.copyOf(output);
    }

    /** SIGKILL, as a crash or the OOM killer ends it: nothing of the process runs any more. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        reader.join(5_000);
    }

    /** SIGTERM, as an operator stops it: the shutdown hook runs and its last lines are kept. */
    void stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        reader.join(5_000);
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                output.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
        } catch (IOException ignored) {
            // the process is gone; what it wrote before is kept
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
