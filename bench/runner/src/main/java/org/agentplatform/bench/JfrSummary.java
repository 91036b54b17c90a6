package org.agentplatform.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A short text profile from a JFR recording: where CPU samples land (top frame, and the first
 * frame of our own code), and where threads wait (park, monitor, socket read) by the first frame
 * outside the JDK — enough to name the cause of a figure that misses its goal.
 */
final class JfrSummary {
    private JfrSummary() {}

    static String summarise(Path jfr, String title) throws IOException {
        Map<String, Long> topFrame = new HashMap<>();
        Map<String, Long> ownFrame = new HashMap<>();
        Map<String, Long> waitNanos = new HashMap<>();
        Map<String, Long> waitCount = new HashMap<>();
        long samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            String type = e.getEventType().getName();
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = st.getFrames();
            if (type.equals("jdk.ExecutionSample")) {
                samples++;
                topFrame.merge(name(frames.get(0)), 1L, Long::sum);
                String own = first(frames, f -> f.getMethod().getType().getName().startsWith("org.agentplatform"));
                ownFrame.merge(own == null ? "(no org.agentplatform frame: framework/JDK/GC)" : own, 1L, Long::sum);
            } else if (type.equals("jdk.ThreadPark") || type.equals("jdk.JavaMonitorEnter")
                    || type.equals("jdk.SocketRead") || type.equals("jdk.JavaMonitorWait")) {
                String where = first(frames, f -> !isJdk(f.getMethod().getType().getName()));
                if (where == null || where.startsWith("io.netty") && type.equals("jdk.ThreadPark")) {
                    continue; // idle event loops and pool threads parked with nothing to do
                }
                String key = type.substring(4) + " @ " + where;
                waitNanos.merge(key, e.getDuration().toNanos(), Long::sum);
                waitCount.merge(key, 1L, Long::sum);
            }
        }
        StringBuilder out = new StringBuilder("# " + title + " (" + jfr.getFileName() + ", " + samples
                + " CPU samples)\n\n## CPU: top frames\n");
        top(topFrame, 15, samples, out);
        out.append("\n## CPU: first org.agentplatform frame (inclusive)\n");
        top(ownFrame, 15, samples, out);
        out.append("\n## Waiting (park/monitor/socket read ≥ JFR threshold), by first non-JDK frame: total ms, count\n");
        waitNanos.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(15)
                .forEach(en -> out.append(String.format("%10.1f ms %7d  %s%n", en.getValue() / 1e6,
                        waitCount.get(en.getKey()), en.getKey())));
        return out.toString();
    }

    private static void top(Map<String, Long> counts, int n, long total, StringBuilder out) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .forEach(en -> out.append(String.format("%6.1f%% %6d  %s%n", 100.0 * en.getValue() / Math.max(1, total),
                        en.getValue(), en.getKey())));
    }

    private static String first(List<RecordedFrame> frames, Predicate<RecordedFrame> p) {
        for (RecordedFrame f : frames) {
            if (f.isJavaFrame() && p.test(f)) {
                return name(f);
            }
        }
        return null;
    }

    private static boolean isJdk(String type) {
        return type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")
                || type.startsWith("javax.");
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    static void write(Path jfr, String title, Path out) {
        try {
            Files.writeString(out, summarise(jfr, title));
        } catch (Exception e) {
            System.err.println("JFR summary of " + jfr + " failed: " + e);
        }
    }
}
