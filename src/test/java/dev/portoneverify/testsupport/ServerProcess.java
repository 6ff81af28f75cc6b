package dev.portoneverify.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * The server, or one of its commands, in a child JVM: either the runnable jar as a shop runs it
 * ({@link #jar}) or {@code dev.portoneverify.Main} on the test class path ({@link #classpath}). Every
 * line it writes (stdout and stderr, where slf4j-simple logs) is kept: a child process is the one capture
 * that cannot miss a line, whatever logger caches whatever stream. {@code env} is the child's whole
 * configuration: the parent's own PORT, DATABASE_*, PORTONE_* (and the like) never leak into it.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://localhost:(\\d+)");
    private static final Pattern OURS = Pattern.compile(
            "PORT|DATABASE_.*|PORTONE_.*|AUTO_CANCEL_FORGERIES|RECONCILE_.*|WEBHOOK_.*|PREPARE_AMOUNTS|CONFIRM_PROCESS|SANDBOX.*|ADMIN_TOKEN|SMS_.*|SOLAPI_.*");

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

    /** {@code java -jar target/portone-verify.jar args} (built by {@code mvn package}, before the *IT tests). */
    public static ServerProcess jar(Map<String, String> env, String... args) {
        String jar = System.getProperty("portoneVerify.jar", "target/portone-verify.jar");
        if (!Files.exists(Path.of(jar))) {
            throw new IllegalStateException(jar + " is missing: run `mvn verify`, which builds it before the *IT tests");
        }
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar));
        command.addAll(List.of(args));
        // a sandbox-mode jar must not take the fixed default port or write its state into the project
        Map<String, String> all = new java.util.HashMap<>(Map.of("SANDBOX_PORT", "0", "SANDBOX_DATABASE", "memory"));
        all.putAll(env);
        return start(command, all);
    }

    /** {@code java jvmOptions -cp <test class path> dev.portoneverify.Main args}. */
    public static ServerProcess classpath(Map<String, String> env, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path")));
        command.addAll(jvmOptions);
        command.add("dev.portoneverify.Main");
        command.addAll(List.of(args));
        return start(command, env);
    }

    private static ServerProcess start(List<String> command, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> OURS.matcher(name).matches());
        builder.environment().putAll(env);
        try {
            return new ServerProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Waits (bounded) for the "listening on" line; fails with everything the child said if it never comes. */
    public ServerProcess awaitListening() {
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
    public boolean awaitLine(Predicate<String> line, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            if (output.stream().anyMatch(line)) {
                return true;
            }
            pause(10);
        }
        return false;
    }

    /** Waits (at most {@code seconds}) for the child to exit by itself and returns its exit code. */
    public int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the process did not exit within " + seconds + " s:\n" + String.join("\n", output));
        }
        reader.join(5_000);
        return process.exitValue();
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** Every line written so far; after {@link #stop()} or an exit, every line. */
    public List<String> output() {
        return List.copyOf(output);
    }

    /** SIGKILL, as a crash, the OOM killer or a power loss ends it: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        reader.join(5_000);
    }

    /** SIGTERM, as an operator stops it: the shutdown hook runs and its last lines are kept. */
    public void stop() throws InterruptedException {
        if (process.isAlive()) {
            // Process.destroy() also closes our end of the child's output, losing what its shutdown hook
            // writes; the handle sends the same SIGTERM and leaves the pipe to be read to its end
            process.toHandle().destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                kill();
            }
        }
        reader.join(5_000);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
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
