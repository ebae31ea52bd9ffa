package io.enareceiver.config;

import java.nio.file.Path;

/** PLACEHOLDER (drop at merge): the config module owns this record; shape per COMMON.md. */
public record TlsConfig(boolean insecure, Path caFile, Path certFile, Path keyFile) {}
