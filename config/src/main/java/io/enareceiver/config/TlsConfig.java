package io.enareceiver.config;

import java.nio.file.Path;

/**
 * {@code exporters.otlp.tls}. Paths are resolved against the config file's directory.
 *
 * @param insecure send without TLS even to an https endpoint (default false)
 * @param caFile CA bundle to trust instead of the system's, or null
 * @param certFile client certificate for mutual TLS, or null (given together with keyFile)
 * @param keyFile client key for mutual TLS, or null
 */
public record TlsConfig(boolean insecure, Path caFile, Path certFile, Path keyFile) {}
