package dev.portoneverify.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the machine's CPU went at one instant: the whole machine, the server process, this driver
 * process, and this driver's stand-in threads. Two snapshots give the shares over a phase, so a
 * reader can tell whether the server, the stand-in or the load generator was using up the cores.
 */
record CpuSnapshot(long wallNanos, long machineBusyNanos, long machineTotalNanos, long serverNanos,
                   long driverNanos, Map<Long, Long> standInThreads) {

    private static final long NANOS_PER_TICK = 1_000_000_000L / 100;   // USER_HZ

    static CpuSnapshot take(ServerProcess server, String standInPrefix) {
        long[] machine = machine();
        return new CpuSnapshot(System.nanoTime(), machine[0], machine[1], server.cpuNanos(), processCpuNanos(),
                threadsNamed(standInPrefix));
    }

    /** Percent of one core, over the wall time between {@code this} and {@code later}. */
    record Shares(double serverPct, double standInPct, double driverPct, double machineBusyPct, long serverNanos) {}

    Shares until(CpuSnapshot later) {
        double wall = later.wallNanos - wallNanos;
        long standIn = 0;
        for (Map.Entry<Long, Long> t : later.standInThreads.entrySet()) {
            standIn += t.getValue() - standInThreads.getOrDefault(t.getKey(), 0L);
        }
        long total = later.machineTotalNanos - machineTotalNanos;
        return new Shares(
                100.0 * (later.serverNanos - serverNanos) / wall,
                100.0 * standIn / wall,
                100.0 * (later.driverNanos - driverNanos) / wall,
                total <= 0 ? Double.NaN : 100.0 * (later.machineBusyNanos - machineBusyNanos) / total
                        * Runtime.getRuntime().availableProcessors(),
                later.serverNanos - serverNanos);
    }

    /** Busy and total CPU time of all cores together, from the first line of /proc/stat. */
    private static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {   // user nice system idle iowait irq softirq steal
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {(total - idle) * NANOS_PER_TICK, total * NANOS_PER_TICK};
        } catch (IOException e) {
            return new long[] {0, 0};
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static Map<Long, Long> threadsNamed(String prefix) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(prefix)) {
                long nanos = mx.getThreadCpuTime(info.getThreadId());
                if (nanos >= 0) {
                    cpu.put(info.getThreadId(), nanos);
                }
            }
        }
        return cpu;
    }
}
