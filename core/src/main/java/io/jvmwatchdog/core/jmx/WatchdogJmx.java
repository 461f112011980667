package io.jvmwatchdog.core.jmx;

import io.jvmwatchdog.core.base.AgentLogging;
import io.jvmwatchdog.core.config.Durations;
import io.jvmwatchdog.core.config.InvalidOptionException;
import io.jvmwatchdog.core.detect.StuckDetector;
import io.jvmwatchdog.core.jvm.BusyThreads;
import io.jvmwatchdog.core.model.Offender;
import io.jvmwatchdog.core.model.ThreadSample;
import io.jvmwatchdog.core.report.ReportText;
import io.jvmwatchdog.core.watch.Watchdog;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanNotificationInfo;
import javax.management.MalformedObjectNameException;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;

/** The watchdog's MXBean, and the source of its JMX notifications. */
public final class WatchdogJmx extends NotificationBroadcasterSupport implements WatchdogMXBean {

    public static final String OBJECT_NAME = "io.jvmwatchdog:type=Watchdog";
    /** One notification type per event of the events file. */
    public static final String[] NOTIFICATION_TYPES = {"io.jvmwatchdog.stuck", "io.jvmwatchdog.recovered",
        "io.jvmwatchdog.interrupted", "io.jvmwatchdog.startup-timeout", "io.jvmwatchdog.watchdog-stuck",
        "io.jvmwatchdog.shutdown-timeout"};

    private final AtomicLong sequence = new AtomicLong();
    private volatile Watchdog watchdog;

    public WatchdogJmx() {
        super(new MBeanNotificationInfo(NOTIFICATION_TYPES, Notification.class.getName(),
                "A watchdog event; the user data is the event as a JSON object, as in the events file"));
    }

    /** The watchdog this bean shows; set once both exist (the watchdog reports through this bean). */
    public void watch(Watchdog watchdog) {
        this.watchdog = watchdog;
    }

    public static ObjectName objectName() {
        try {
            return new ObjectName(OBJECT_NAME);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Registers in the platform MBean server. Never from premain: see {@link JmxRegistration}. */
    void register() throws Exception {
        ManagementFactory.getPlatformMBeanServer().registerMBean(this, objectName());
    }

    /** Sends one notification; without listeners it costs next to nothing. */
    void send(String type, String message, String json) {
        Notification n = new Notification(type, OBJECT_NAME, sequence.incrementAndGet(), System.currentTimeMillis(),
                message);
        n.setUserData(json);
        sendNotification(n);
    }

    @Override
    public String getOptions() {
        return watchdog.options().toString();
    }

    @Override
    public String getTimeout() {
        return Durations.toOption(watchdog.options().timeout());
    }

    @Override
    public void setTimeout(String timeout) {
        try {
            watchdog.reconfigure(watchdog.options().toBuilder().set("timeout", timeout).build());
        } catch (InvalidOptionException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        AgentLogging.logger().info("JVM Watchdog: timeout set to {} through JMX", getTimeout());
    }

    @Override
    public String getAction() {
        return watchdog.options().action().optionValue();
    }

    @Override
    public void setAction(String action) {
        try {
            watchdog.reconfigure(watchdog.options().toBuilder().set("action", action).build());
        } catch (InvalidOptionException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        AgentLogging.logger().info("JVM Watchdog: action set to {} through JMX", getAction());
    }

    @Override
    public long getStuckDetected() {
        return watchdog.counters().stuckDetected();
    }

    @Override
    public long getRecovered() {
        return watchdog.counters().recovered();
    }

    @Override
    public long getStartupTimeouts() {
        return watchdog.counters().startupTimeouts();
    }

    @Override
    public long getWatchdogStuck() {
        return watchdog.counters().watchdogStuck();
    }

    @Override
    public long getDroppedReportBytes() {
        return AgentLogging.sink().droppedBytes();
    }

    @Override
    public long getPasses() {
        return watchdog.counters().passes();
    }

    @Override
    public long getLastPassMicros() {
        return watchdog.counters().lastPassMicros();
    }

    @Override
    public long getAgentPauseMillis() {
        return TimeUnit.NANOSECONDS.toMillis(watchdog.pauses().totalNanos());
    }

    @Override
    public long getAgentPauseMillisLastMinute() {
        return TimeUnit.NANOSECONDS.toMillis(watchdog.pauses().spentInWindowNanos());
    }

    @Override
    public long getJvmStalls() {
        return watchdog.counters().jvmStalls();
    }

    @Override
    public double getJvmStoppedPercent() {
        int permille = watchdog.stoppedPermille();
        return permille < 0 ? -1 : permille / 10.0;
    }

    @Override
    public int getStuckThreads() {
        return watchdog.offenders().size();
    }

    @Override
    public List<BusyThreadInfo> getUnwatchedBusyThreads() {
        List<BusyThreadInfo> list = new ArrayList<>();
        for (BusyThreads.Busy b : watchdog.unwatchedBusy()) {
            list.add(new BusyThreadInfo(b.name(), b.threadId(), b.cpuPercent(), TimeUnit.NANOSECONDS.toMillis(b.busyNanos()),
                    b.suggestedEntry(), b.topFrames()));
        }
        return list;
    }

    @Override
    public List<OffenderInfo> getOffenders() {
        List<OffenderInfo> list = new ArrayList<>();
        for (Offender o : watchdog.offenders()) {
            ThreadSample s = o.sample();
            list.add(new OffenderInfo(s.name(), s.threadId(), s.virtual(), s.jvmState().name(), o.reason().id(),
                    TimeUnit.NANOSECONDS.toMillis(o.stuckNanos()), s.entry(), s.waitsOn(),
                    o.starvedPool() == null ? null : o.starvedPool().toString()));
        }
        return list;
    }

    @Override
    public List<WatchedThreadInfo> getWatchedThreads() {
        List<WatchedThreadInfo> list = new ArrayList<>();
        for (StuckDetector.Watched w : watchdog.watched()) {
            ThreadSample s = w.sample();
            list.add(new WatchedThreadInfo(ReportText.threadLabel(s), s.threadId(), s.virtual(),
                    s.jvmState() + " (" + s.activity().label() + ")", TimeUnit.NANOSECONDS.toMillis(w.inStateNanos()),
                    s.entry(), w.stuckReason() == null ? null
                            : w.stuckReason().id()));
        }
        return list;
    }

    @Override
    public String reportNow() {
        int n = watchdog.reportNow();
        return n == 0 ? "no thread is stuck" : "reported " + n + " stuck thread(s), with a thread dump";
    }

}
