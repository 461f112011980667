package io.jvmwatchdog.boot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.AbstractOwnableSynchronizer;

/**
 * The thread that holds a {@code java.util.concurrent} lock, read from the lock itself. The JVM names
 * the holder of what a platform thread waits on ({@code ThreadInfo.getLockOwnerId}), not of what a
 * virtual thread waits on; asking it for every thread's held synchronizers instead walks the whole
 * heap inside a safepoint. The lock knows its exclusive owner: one field, read here.
 *
 * <p>The field is private to {@code java.base}: the agent opens {@code java.util.concurrent.locks} to
 * this module (the bootstrap loader's unnamed one, which holds nothing but the boot runtime) and then
 * calls {@link #open()}. Until then, or where that fails, no owner is known. Only reading is offered.
 */
public final class LockOwners {

    private static volatile VarHandle exclusiveOwner;

    private LockOwners() {
    }

    /** Once the package is open to this module: makes the owner readable. @return whether it is */
    public static boolean open() {
        try {
            exclusiveOwner = MethodHandles.privateLookupIn(AbstractOwnableSynchronizer.class, MethodHandles.lookup())
                    .findVarHandle(AbstractOwnableSynchronizer.class, "exclusiveOwnerThread", Thread.class);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** The thread holding {@code lock} exclusively (a {@code ReentrantLock}'s sync, say), or null. */
    public static Thread ownerOf(Object lock) {
        VarHandle owner = exclusiveOwner;
        if (owner == null || !(lock instanceof AbstractOwnableSynchronizer)) {
            return null;
        }
        return (Thread) owner.getOpaque(lock);
    }
}
