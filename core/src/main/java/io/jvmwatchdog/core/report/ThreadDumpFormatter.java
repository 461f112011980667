package io.jvmwatchdog.core.report;

import io.jvmwatchdog.core.base.Frames;
import io.jvmwatchdog.core.jvm.ThreadDumper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.LockInfo;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Formats a dump in the layout of {@code jstack -l}, so that the thread-dump tools people already use
 * read it: a quoted header line per thread, the {@code java.lang.Thread.State} line, {@code at} frames
 * with their lock lines, and the "Locked ownable synchronizers" section. Offenders get a
 * {@code [STUCK ...]} tag at the end of their header line, where parsers tolerate extra text.
 */
public final class ThreadDumpFormatter {

    private ThreadDumpFormatter() {
    }

    /**
     * The dump with the offenders (the threads {@code marks} names) first, then every other thread in
     * the JVM's order, cut before the thread that would take it past {@code maxChars}, with a line that
     * says how many threads were left out: a dump of thousands of deep stacks is tens of megabytes,
     * and whoever reads it needs the part that is there to be whole. (Reports write it with
     * {@link #write}, which never holds the whole text; this is its pure-function form.)
     *
     * @param marks thread id to the tag text for offenders (e.g. {@code STUCK 3m 2s running})
     * @param synchronizers whether the dump listed ownable synchronizers (without them, the
     *     "Locked ownable synchronizers" section would claim "None" for every thread: it is left out,
     *     as {@code jstack} without {@code -l} leaves it out)
     * @param ending a line that ends the dump (the threads a stopped dump did not read), or null
     */
    public static String format(String header, List<ThreadInfo> infos, Map<Long, String> marks, boolean synchronizers,
                                long maxChars, String ending) {
        StringBuilder sb = new StringBuilder((int) Math.min(maxChars, infos.size() * 512L + header.length()));
        try {
            write(sb, header, infos, marks, synchronizers, maxChars, ending);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return sb.toString();
    }

    /**
     * The same, written to {@code out} thread by thread, so a dump bound for a file is never held
     * whole in memory.
     */
    public static void write(Appendable out, String header, List<ThreadInfo> infos, Map<Long, String> marks,
                             boolean synchronizers, long maxChars, String ending) throws IOException {
        out.append(header).append('\n');
        long written = header.length() + 1;
        List<ThreadInfo> ordered = offendersFirst(infos, marks.keySet());
        StringBuilder one = new StringBuilder(4096);
        for (int i = 0; i < ordered.size(); i++) {
            ThreadInfo info = ordered.get(i);
            one.setLength(0);
            appendThread(one, info, marks.get(info.getThreadId()), synchronizers);
            if (written + one.length() > maxChars) {
                out.append(omitted(ordered.size() - i, maxChars));
                break;
            }
            out.append(one);
            written += one.length();
        }
        if (ending != null) {
            out.append("\n").append(ending).append('\n');
        }
    }

    /** The line that ends a cut dump. */
    static String omitted(int threads, long maxChars) {
        String size = maxChars >= 1024 * 1024 ? maxChars / (1024 * 1024) + " MiB" : maxChars / 1024 + " KiB";
        return "\n... " + threads + " thread(s) omitted: the dump is cut at " + size + " ...\n";
    }

    /** The threads of a dump, offenders first (in the dump's order), then the rest; ended threads left out. */
    static List<ThreadInfo> offendersFirst(List<ThreadInfo> infos, Set<Long> offenders) {
        List<ThreadInfo> first = new ArrayList<>();
        List<ThreadInfo> rest = new ArrayList<>(infos.size());
        for (ThreadInfo info : infos) {
            if (info != null) {
                (offenders.contains(info.getThreadId()) ? first : rest).add(info);
            }
        }
        first.addAll(rest);
        return first;
    }

    static void appendThread(StringBuilder sb, ThreadInfo info, String mark, boolean synchronizers) {
        sb.append('\n').append('"').append(info.getThreadName()).append("\" #").append(info.getThreadId());
        if (info.isDaemon()) {
            sb.append(" daemon");
        }
        sb.append(" prio=").append(info.getPriority());
        sb.append(' ').append(headerState(info));
        if (info.isSuspended()) {
            sb.append(" (suspended)");
        }
        if (mark != null) {
            sb.append("  [").append(mark).append(']');
        }
        sb.append('\n');
        sb.append("   java.lang.Thread.State: ").append(info.getThreadState());
        sb.append('\n');
        StackTraceElement[] stack = info.getStackTrace();
        MonitorInfo[] monitors = info.getLockedMonitors();
        for (int depth = 0; depth < stack.length; depth++) {
            sb.append("\tat ").append(Frames.jstack(stack[depth])).append('\n');
            if (depth == 0 && info.getLockInfo() != null) {
                appendWaitLine(sb, info, stack[0]);
            }
            for (MonitorInfo m : monitors) {
                if (m.getLockedStackDepth() == depth) {
                    sb.append("\t- locked ").append(lock(m)).append('\n');
                }
            }
        }
        if (stack.length >= ThreadDumper.MAX_DEPTH) {
            sb.append("\t...\n"); // the dump keeps that many frames (ThreadDumper.MAX_DEPTH)
        }
        if (!synchronizers) {
            return;
        }
        LockInfo[] owned = info.getLockedSynchronizers();
        sb.append("\n   Locked ownable synchronizers:\n");
        if (owned.length == 0) {
            sb.append("\t- None\n");
        } else {
            for (LockInfo s : owned) {
                sb.append("\t- ").append(lock(s)).append('\n');
            }
        }
    }

    private static void appendWaitLine(StringBuilder sb, ThreadInfo info, StackTraceElement top) {
        String lock = lock(info.getLockInfo());
        switch (info.getThreadState()) {
            case BLOCKED:
                sb.append("\t- waiting to lock ").append(lock);
                break;
            case WAITING:
            case TIMED_WAITING:
                boolean objectWait = top.getClassName().equals("java.lang.Object") && top.getMethodName().startsWith("wait");
                sb.append(objectWait ? "\t- waiting on " : "\t- parking to wait for  ").append(lock);
                break;
            default:
                return;
        }
        if (info.getLockOwnerName() != null) {
            sb.append(" owned by \"").append(info.getLockOwnerName()).append("\" #").append(info.getLockOwnerId());
        }
        sb.append('\n');
    }

    private static String headerState(ThreadInfo info) {
        switch (info.getThreadState()) {
            case RUNNABLE: return info.isInNative() ? "runnable (in native)" : "runnable";
            case BLOCKED: return "waiting for monitor entry";
            case WAITING:
            case TIMED_WAITING: return "waiting on condition";
            default: return info.getThreadState().name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static String lock(LockInfo lock) {
        return String.format("<0x%016x> (a %s)", lock.getIdentityHashCode(), lock.getClassName());
    }
}
