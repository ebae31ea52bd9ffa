#!/usr/bin/env bash
# Builds the trimmed Java runtime that runs ena-receiver: jdeps lists the JDK modules the jar
# uses, jlink copies only those. The container image (deploy/Dockerfile) and the runtime test
# (io.enareceiver.it.deploy.RuntimeImageTest) both call this script, so the module list logic
# exists once.
#
#   deploy/build-runtime.sh JAR [OUTPUT_DIR]
#
# OUTPUT_DIR defaults to integration-tests/target/runtime and is replaced. The jdeps and jlink of
# $JAVA_HOME (else the ones on PATH) are used: jlink links the modules of the JDK it runs on, so
# run it on the target platform's JDK (the Dockerfile does, in a stage built for the target).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar=${1:?usage: build-runtime.sh JAR [OUTPUT_DIR]}
out=${2:-$here/../integration-tests/target/runtime}
[ -f "$jar" ] || { echo "build-runtime.sh: no jar at $jar (build it with ./mvnw -pl receiver -am package)" >&2; exit 2; }

if [ -n "${JAVA_HOME:-}" ]; then bin="$JAVA_HOME/bin/"; else bin=""; fi

# Modules jdeps cannot see because they are only reached through reflection or ServiceLoader:
#   jdk.unsupported  sun.misc.Unsafe, looked up reflectively by protobuf and the OTLP exporter's
#                    HTTP stack for fast paths.
EXTRA_MODULES=${ENA_EXTRA_MODULES:-jdk.unsupported}

# --multi-release picks the class versions the JVM will load from the shaded multi-release jar;
# --ignore-missing-deps: optional dependencies of shaded libraries (compile-time annotations,
# optional integrations) are not in the jar and are never loaded.
modules=$("${bin}jdeps" --ignore-missing-deps --multi-release 25 --print-module-deps "$jar")
modules=$(printf '%s\n' "$modules" ${EXTRA_MODULES//,/ } | tr ',' '\n' | sed '/^$/d' | sort -u | paste -sd, -)

rm -rf "$out"
mkdir -p "$(dirname "$out")"
# No class-data sharing archive (no --generate-cds-archive): jvm.options runs with -Xshare:off.
# Mapping the archive made start-up ~0.1-0.2 s faster but cost ~2.5 MiB of peak RSS on a node that
# runs the agent for days (docs/performance.md), and it would add ~14 MB to the image.
"${bin}jlink" \
  --add-modules "$modules" \
  --strip-debug --no-header-files --no-man-pages --compress zip-6 \
  --output "$out"
echo "$modules" > "$out/ena-receiver.modules"
echo "build-runtime.sh: runtime with modules $modules in $out"
