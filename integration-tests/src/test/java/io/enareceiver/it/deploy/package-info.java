/**
 * Tests of the deploy/ artifacts: the jlink runtime and jvm.options, the Kubernetes manifests
 * (object model, security settings, kustomize rendering), the AMP rules (promtool), the alert
 * manager definition (amtool) and the Grafana dashboard's queries.
 */
package io.enareceiver.it.deploy;
