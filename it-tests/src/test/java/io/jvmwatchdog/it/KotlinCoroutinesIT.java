package io.jvmwatchdog.it;

import io.jvmwatchdog.it.apps.KotlinCoroutinesApp;

/**
 * Issue 16 on Kotlin coroutines (the newest line, as the build names it): each task the
 * {@code CoroutineScheduler} behind {@code Dispatchers.Default} and {@code Dispatchers.IO} runs is a
 * {@code CoroutineScheduler.runSafely} unit; a worker with no task parks outside any unit. The spinning
 * coroutine runs on {@code Dispatchers.Default}, the reading one on {@code Dispatchers.IO}.
 */
class KotlinCoroutinesIT extends PoolContract {

    static final String UNIT = "kotlinx.coroutines.scheduling.CoroutineScheduler.runSafely";

    @Override
    JvmProcess.Builder pool() {
        return JvmProcess.app(KotlinCoroutinesApp.class).withLibraries("kotlinx-coroutines-core", "kotlin-stdlib");
    }

    @Override
    String unit() {
        return UNIT;
    }
}
