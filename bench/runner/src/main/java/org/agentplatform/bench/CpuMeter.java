package org.agentplatform.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where the machine's CPU went during a phase, from /proc (clock ticks of 1/100 s): each JVM under
 * test, PostgreSQL (postmaster + its backends), the bench JVM itself (WireMock, generators), wrk
 * (a child of the bench JVM), and everything else on the machine (other users of a shared box).
 */
final class CpuMeter {
    private static final double HZ = 100.0;
    private final Map<String, Supplier<Long>> groups = new LinkedHashMap<>();
    private Map<String, Long> start;
    private long[] machineStart;
    private long t0;

    CpuMeter add(String name, Supplier<Long> ticks) {
        groups.put(name, ticks);
        return this;
    }

    void begin() {
        start = snapshot();
        machineStart = machine();
        t0 = System.nanoTime();
    }

    /** name → share of the whole machine (all cores) in percent, plus "other" and "idle". */
    Map<String, Object> end() {
        Map<String, Long> now = snapshot();
        long[] m = machine();
        double seconds = (System.nanoTime() - t0) / 1e9;
        int cpus = Runtime.getRuntime().availableProcessors();
        double capacity = seconds * HZ * cpus;
        Map<String, Object> out = new LinkedHashMap<>();
        long ours = 0;
        for (String k : groups.keySet()) {
            long d = now.get(k) - start.get(k);
            ours += d;
            out.put(k + "_pct", round(100.0 * d / capacity));
        }
        long busy = m[0] - machineStart[0];
        long total = m[1] - machineStart[1];
        out.put("other_processes_pct", round(100.0 * Math.max(0, busy - ours) / Math.max(1, total)));
        out.put("idle_pct", round(100.0 * (total - busy) / Math.max(1, total)));
        out.put("seconds", round(seconds));
        return out;
    }

    private Map<String, Long> snapshot() {
        Map<String, Long> s = new LinkedHashMap<>();
        groups.forEach((k, v) -> s.put(k, v.get()));
        return s;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** utime + stime of a process (all its threads); with children=true also its waited-for children. */
    static long ticks(long pid, boolean children) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return children ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
        } catch (Exception gone) {
            return 0;
        }
    }

    /** Only the waited-for children's time of a process (wrk runs as a child of the bench JVM). */
    static long childTicks(long pid) {
        return ticks(pid, true) - ticks(pid, false);
    }

    static long ppid(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        } catch (Exception e) {
            return -1;
        }
    }

    /** The postmaster and all its backends (live ones, plus the finished ones it waited for). */
    static long processTree(long root) {
        long t = ticks(root, true);
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) dirs::iterator) {
                String n = p.getFileName().toString();
                if (n.chars().allMatch(Character::isDigit) && ppid(Long.parseLong(n)) == root) {
                    t += ticks(Long.parseLong(n), false);
                }
            }
        } catch (Exception ignored) {
            // best effort
        }
        return t;
    }

    /** {busy, total} ticks of the whole machine from /proc/stat. */
    private static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (Exception e) {
            return new long[] {0, 1};
        }
    }
}
