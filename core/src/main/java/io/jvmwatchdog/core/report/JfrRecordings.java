package io.jvmwatchdog.core.report;

import io.jvmwatchdog.core.report.DumpFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * Keeps the JFR recordings of a JVM the watchdog is about to halt. {@code Runtime.halt} skips JFR's
 * dump on exit, and a recording's last minutes are what shows how the hang came about (the
 * collections, socket reads and lock waits around it).
 */
public final class JfrRecordings {

    private JfrRecordings() {
    }

    /**
     * Dumps every running recording: into {@code dump-dir} as a new owner-only file, or, without
     * {@code dump-dir}, to the file the recording was told to write at exit (what its dump on exit
     * would have done). A file is written under a {@code .part} name and renamed once whole, so a
     * halt that comes first leaves no truncated recording under the final name.
     *
     * @param dumpFiles {@code dump-dir}, or null
     * @return what happened to each recording, one line each, for the log; empty when none runs
     */
    public static List<String> dumpRunning(DumpFiles dumpFiles, Instant time) {
        List<String> said = new ArrayList<>();
        try {
            if (!FlightRecorder.isInitialized()) {
                return said; // no recording was ever started: load nothing more
            }
            for (Recording r : FlightRecorder.getFlightRecorder().getRecordings()) {
                if (r.getState() != RecordingState.RUNNING) {
                    continue;
                }
                String name = "JFR recording \"" + r.getName() + "\" (id " + r.getId() + ")";
                try {
                    Path kept = dump(r, dumpFiles, time);
                    said.add(kept == null ? "JVM Watchdog: " + name + " is lost with the halt: no dump-dir, and it has"
                            + " no file to dump to on exit" : "JVM Watchdog: " + name + " dumped to " + kept + " before the halt");
                } catch (Exception e) {
                    said.add("JVM Watchdog: could not dump " + name + ": " + e);
                }
            }
        } catch (Throwable t) { // NoClassDefFoundError without the jdk.jfr module: nothing to keep
            return said;
        }
        return said;
    }

    private static Path dump(Recording r, DumpFiles dumpFiles, Instant time) throws Exception {
        Path target;
        Path part;
        boolean replace = false; // JFR's own dump on exit overwrites its destination; a dump-dir file is never replaced
        if (dumpFiles != null) {
            try (DumpFiles.Report file = dumpFiles.create(time, "recording-" + r.getId(), ".jfr.part")) {
                part = file.path(); // made owner-only and new; JFR writes into it
            }
            String name = part.getFileName().toString();
            target = part.resolveSibling(name.substring(0, name.length() - ".part".length()));
        } else if (r.getDestination() != null && r.getDumpOnExit()) {
            target = r.getDestination();
            part = target.resolveSibling(target.getFileName() + ".part");
            replace = true;
        } else {
            return null;
        }
        r.dump(part);
        if (replace) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.move(part, target);
        }
        return target;
    }
}
