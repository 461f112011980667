package io.jvmwatchdog.it;

import io.jvmwatchdog.it.apps.KotlinCoroutinesApp;

/**
 * {@link KotlinCoroutinesIT} on kotlinx-coroutines 1.6, the oldest line the agent's row names (the
 * same method runs every task there), with the same program: it uses no API newer than 1.6.
 */
class KotlinCoroutines16IT extends PoolContract {

    @Override
    JvmProcess.Builder pool() {
        return JvmProcess.app(KotlinCoroutinesApp.class).withJarsIn("kotlinx-coroutines-1.6").withLibraries("kotlin-stdlib");
    }

    @Override
    String unit() {
        return KotlinCoroutinesIT.UNIT;
    }
}
