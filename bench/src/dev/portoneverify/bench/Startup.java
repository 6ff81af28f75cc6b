package dev.portoneverify.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Start-up alone, repeated: spawns the jar {@code --starts} times (5) with the given JVM options
 * and prints the median and the spread of the time to the first answered request, and of the CPU
 * time spent until then (which a busy machine stretches less than the wall time).
 *
 * <p>Usage: {@code java -cp ... dev.portoneverify.bench.Startup [--starts=5] [--jar=...] [JVM options...]}
 */
public final class Startup {
    private Startup() {}

    public static void main(String[] args) throws Exception {
        int starts = 5;
        Path jar = Path.of("target/portone-verify.jar");
        List<String> javaOptions = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--starts=")) {
                starts = Integer.parseInt(arg.substring(9));
            } else if (arg.startsWith("--jar=")) {
                jar = Path.of(arg.substring(6));
            } else {
                javaOptions.add(arg);
            }
        }
        double[] wall = new double[starts];
        double[] cpu = new double[starts];
        try (LeanPortOne portone = new LeanPortOne()) {
            for (int i = 0; i < starts; i++) {
                Path dir = Files.createTempDirectory("portone-verify-startup");
                Map<String, String> env = new HashMap<>(portone.serverEnv("jdbc:sqlite:" + dir.resolve("shop.db")));
                try (ServerProcess server = ServerProcess.start(jar, javaOptions, env, dir.resolve("server.log"))) {
                    wall[i] = server.startupMillis();
                    cpu[i] = server.startupCpuMillis();
                }
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "start-up %s: median %.0f ms (min %.0f, max %.0f), CPU until then median %.0f ms%n",
                javaOptions.isEmpty() ? "(no JVM options)" : String.join(" ", javaOptions),
                wall[starts / 2], wall[0], wall[starts - 1], cpu[starts / 2]);
    }
}
