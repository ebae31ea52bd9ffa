/** Collector-style YAML configuration of ena-receiver: model, defaults, expansion, validation. */
package io.enareceiver.config;
