#!/usr/bin/env bash
# Resolve the Kafka broker's runtime classpath from Maven Central into
# $TALLY_KAFKA_HOME/libs (jars cached in ~/.m2). No-op when already complete.
#
# Usage: deploy/local/kafka-fetch.sh [--force]
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=kafka-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/kafka-env.sh"

force=0
case "${1:-}" in
  --force) force=1 ;;
  "") ;;
  -h | --help) sed -n '2,5p' "$0"; exit 0 ;;
  *) kafka_die "unknown argument: $1" ;;
esac

# The marker records what was fetched, so editing the pom (or the version)
# triggers a re-fetch while an unchanged setup costs no Maven run at all.
want="${KAFKA_VERSION} $(cksum <"$KAFKA_POM")"
if [[ $force -eq 0 && -f "$KAFKA_LIBS_MARKER" && "$(cat "$KAFKA_LIBS_MARKER")" == "$want" ]]; then
  exit 0
fi

command -v mvn >/dev/null 2>&1 || kafka_die "mvn not found (Maven 3.6.3+ is needed to fetch Kafka ${KAFKA_VERSION})"
mkdir -p "$TALLY_KAFKA_HOME"

# Resolve into a temp dir and rename at the end, so an interrupted fetch never
# leaves a half-populated libs/ that looks usable.
tmp="$(mktemp -d "${TALLY_KAFKA_HOME}/libs.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

chmod 755 "$tmp"
mvn_log="${TALLY_KAFKA_HOME}/fetch.log"

kafka_log "fetching Apache Kafka ${KAFKA_VERSION} from Maven Central into ${KAFKA_LIBS_DIR} (first time: ~1 min) ..."
# -B: batch mode, never prompts; runtime scope = exactly what the broker needs.
# Output goes to a log (shown on failure): even with -q, some Maven 3.8 builds
# print stray ANSI escape codes.
if ! mvn -B -q -Dstyle.color=never \
  -f "$KAFKA_POM" \
  -Dkafka.version="$KAFKA_VERSION" \
  dependency:copy-dependencies \
  -DincludeScope=runtime \
  -DoutputDirectory="$tmp" \
  </dev/null >"$mvn_log" 2>&1; then
  tail -n 40 "$mvn_log" >&2
  kafka_die "Maven could not resolve Kafka ${KAFKA_VERSION} (network / ~/.m2 settings?); full log: ${mvn_log}"
fi

# Sanity check: both entry points we use must be there.
for jar in "kafka_2.13-${KAFKA_VERSION}.jar" "kafka-clients-${KAFKA_VERSION}.jar" "reload4j-*.jar"; do
  compgen -G "${tmp}/${jar}" >/dev/null || kafka_die "fetched classpath is missing ${jar}"
done
printf '%s\n' "$want" >"${tmp}/$(basename "$KAFKA_LIBS_MARKER")"

# A concurrent fetch may have finished first; keep whichever is complete.
if [[ -f "$KAFKA_LIBS_MARKER" && "$(cat "$KAFKA_LIBS_MARKER")" == "$want" && $force -eq 0 ]]; then
  exit 0
fi
if [[ -e "$KAFKA_LIBS_DIR" ]]; then
  # Only ever delete a libs dir this script created (it carries the marker).
  [[ -f "$KAFKA_LIBS_MARKER" ]] || kafka_die "${KAFKA_LIBS_DIR} exists but was not created by this script; remove it manually"
  rm -rf "$KAFKA_LIBS_DIR"
fi
mv "$tmp" "$KAFKA_LIBS_DIR"
trap - EXIT
kafka_log "Kafka ${KAFKA_VERSION}: $(find "$KAFKA_LIBS_DIR" -name '*.jar' | wc -l | tr -d ' ') jars ready in ${KAFKA_LIBS_DIR}"
