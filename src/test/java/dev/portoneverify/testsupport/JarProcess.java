package dev.portoneverify.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real runnable jar (built by `mvn package`) in a child process, as a shop runs it. */
public final class JarProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://localhost:(\\d+)");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private volatile int port;

    private JarProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readOutput, "jar-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java -jar portone-verify.jar} with {@code env} and waits until it answers. */
    public static JarProcess start(Map<String, String> env, String... args) throws IOException, InterruptedException {
        String jar = System.getProperty("portoneVerify.jar", "target/portone-verify.jar");
        if (!Files.exists(Path.of(jar))) {
            throw new IllegalStateException(jar + " is missing: run `mvn verify`, which builds it before the *IT tests");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar);
        builder.command().addAll(List.of(args));
        builder.environment().putAll(env);
        // a sandbox-mode jar must not take the fixed default port or write its state into the project
        builder.environment().putIfAbsent("SANDBOX_PORT", "0");
        builder.environment().putIfAbsent("SANDBOX_DATABASE", "memory");
        builder.redirectErrorStream(true);
        JarProcess jarProcess = new JarProcess(builder.start());
        jarProcess.awaitListening();
        return jarProcess;
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://localhost:" + port + path;
    }

    public List<String> output() {
        return List.copyOf(output);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed, as when the machine loses power. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    private void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (port == 0 && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (port == 0) {
            process.destroyForcibly();
            throw new IllegalStateException("the jar did not start:\n" + String.join("\n", output));
        }
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                output.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
        } catch (IOException ignored) {
            // the process was killed
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
