/**
 * "Application" classes that the integration tests name in {@code entry=} and {@code ready=}. They
 * live outside {@code io.jvmwatchdog} on purpose, like a user's code would: the agent never
 * instruments classes under {@code io.jvmwatchdog.} (except the API), so a pattern naming
 * {@code io.jvmwatchdog.it.apps.SomeApp#method} would silently never match (see
 * {@code EntryMethodIT#entryInTheWatchdogsOwnNamespace}).
 */
package com.example.itapps;
