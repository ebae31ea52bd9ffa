package io.enareceiver.config;

import java.time.Duration;
import java.util.Map;

/** PLACEHOLDER (drop at merge): the config module owns this record; shape per COMMON.md. */
public record OtlpExporterConfig(
    String endpoint,
    String protocol,
    Duration timeout,
    String compression,
    Map<String, String> headers,
    TlsConfig tls) {}
