package io.jvmwatchdog.core.report;

import java.lang.management.LockInfo;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.util.Map;

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
     * @param marks thread id to the tag text for offenders (e.g. {@code STUCK 3m 2s running})
     */
    public static String format(String header, ThreadInfo[] infos, Map<Long, String> marks) {
        StringBuilder sb = new StringBuilder(infos.length * 512);
        sb.append(header).append('\n');
        for (ThreadInfo info : infos) {
            if (info != null) {
                appendThread(sb, info, marks.get(info.getThreadId()));
            }
        }
        return sb.toString();
    }

    static void appendThread(StringBuilder sb, ThreadInfo info, String mark) {
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
            sb.append("\tat ").append(ReportText.frame(stack[depth])).append('\n');
            if (depth == 0 && info.getLockInfo() != null) {
                appendWaitLine(sb, info, stack[0]);
            }
            for (MonitorInfo m : monitors) {
                if (m.getLockedStackDepth() == depth) {
                    sb.append("\t- locked ").append(lock(m)).append('\n');
                }
            }
        }
        LockInfo[] synchronizers = info.getLockedSynchronizers();
        sb.append("\n   Locked ownable synchronizers:\n");
        if (synchronizers.length == 0) {
            sb.append("\t- None\n");
        } else {
            for (LockInfo s : synchronizers) {
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
