/**
 * Harness for the end-to-end tests: real processes (the test collector, a Prometheus) on loopback
 * ports of their own, with their output kept under {@code target/e2e/} and shown when a wait fails.
 *
 * <p>Entry points: {@link io.enareceiver.it.harness.PrometheusProcess}, {@link
 * io.enareceiver.it.harness.CollectorProcess}, {@link io.enareceiver.it.harness.Poll}. Anything
 * absent (binary not built, Prometheus not installed) skips the test with the command that fixes it,
 * or fails it when CI sets {@code -Dena.requireRoot=true}.
 */
package io.enareceiver.it.harness;
