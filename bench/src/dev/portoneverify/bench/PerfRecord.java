package dev.portoneverify.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Linux {@code perf record} on the server process for the measured phase, for what JFR cannot see:
 * CPU spent inside native code (SQLite's C library, the kernel's socket and file paths), which JFR
 * lumps together with threads merely sleeping in native code. Java frames show up as JIT code
 * without names; the shares per library are what matter. Needs {@code perf} (Debian: linux-perf).
 */
final class PerfRecord {
    private final Process perf;
    private final Process stat;
    private final Path data;
    private final Path statOutput;

    private PerfRecord(Process perf, Process stat, Path data, Path statOutput) {
        this.perf = perf;
        this.stat = stat;
        this.data = data;
        this.statOutput = statOutput;
    }

    static PerfRecord start(long pid, Path data) throws IOException, InterruptedException {
        Process perf = new ProcessBuilder("perf", "record", "-q", "-F", "499", "-g", "-p", Long.toString(pid),
                "-o", data.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path statOutput = Path.of(data + ".stat");
        Process stat = new ProcessBuilder("perf", "stat", "-e",
                "task-clock,context-switches,cpu-migrations,page-faults,raw_syscalls:sys_enter", "-p", Long.toString(pid))
                .redirectErrorStream(true).redirectOutput(statOutput.toFile()).start();
        Thread.sleep(300);   // let them attach before the clock starts
        return new PerfRecord(perf, stat, data, statOutput);
    }

    /** Stops recording and writes the report; call while the server still runs (its extracted SQLite library is deleted at exit). */
    String stopAndReport(int requests) throws IOException, InterruptedException {
        for (Process p : List.of(perf, stat)) {
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        StringBuilder out = new StringBuilder("perf of the server during the measured phase (" + requests
                + " requests)\n\n== perf stat\n");
        for (String line : Files.readAllLines(statOutput)) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[0].matches("[0-9,.]+") && !line.contains("seconds")) {
                double value = Double.parseDouble(f[0].replace(",", ""));
                out.append(String.format(java.util.Locale.ROOT, "  %-28s %14.0f  = %10.1f per request%n", f[1], value,
                        value / Math.max(1, requests)));
            }
        }
        Files.deleteIfExists(statOutput);
        for (List<String> report : List.of(
                List.of("--sort", "dso"),
                List.of("--sort", "dso,sym"))) {
            List<String> command = new java.util.ArrayList<>(List.of("perf", "report", "-i", data.toString(),
                    "--no-children", "--stdio", "-q", "-g", "none", "--percent-limit", "0.7"));
            command.addAll(report);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            out.append("\n== perf report ").append(String.join(" ", report)).append('\n').append(text);
        }
        Files.deleteIfExists(data);
        return out.toString();
    }
}
