package io.jvmwatchdog.core.base;

/** Stack frames in words, as every report, event and status of the agent writes them. */
public final class Frames {

    private Frames() {
    }

    /**
     * One frame as {@code jstack} prints it: {@code java.lang.Thread.sleep(java.base@17.0.15/Native Method)}.
     * ({@link StackTraceElement#toString()} puts the loader and module first, which dump tools do not expect.)
     */
    public static String jstack(StackTraceElement f) {
        StringBuilder sb = new StringBuilder(96).append(f.getClassName()).append('.').append(f.getMethodName()).append('(');
        if (f.getModuleName() != null) {
            sb.append(f.getModuleName());
            if (f.getModuleVersion() != null) {
                sb.append('@').append(f.getModuleVersion());
            }
            sb.append('/');
        }
        if (f.isNativeMethod()) {
            sb.append("Native Method");
        } else if (f.getFileName() == null) {
            sb.append("Unknown Source");
        } else {
            sb.append(f.getFileName());
            if (f.getLineNumber() >= 0) {
                sb.append(':').append(f.getLineNumber());
            }
        }
        return sb.append(')').toString();
    }
}
