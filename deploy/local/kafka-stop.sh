#!/usr/bin/env bash
# Stop the local Kafka broker: SIGTERM (clean controlled shutdown), wait up to
# $KAFKA_STOP_TIMEOUT seconds, then SIGKILL. Exits 0 if it was not running.
#
# Usage: deploy/local/kafka-stop.sh
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=kafka-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/kafka-env.sh"

case "${1:-}" in
  "") ;;
  -h | --help) sed -n '2,5p' "$0"; exit 0 ;;
  *) kafka_die "unknown argument: $1" ;;
esac

# Only ever signal a pid that is verifiably our broker (pid reuse after a
# crash/reboot must not make us kill an unrelated process).
if ! pid="$(kafka_running_pid)"; then
  rm -f "$KAFKA_PID_FILE"
  kafka_log "not running"
  exit 0
fi

kafka_log "stopping broker (pid ${pid}) ..."
kill -TERM "$pid" 2>/dev/null || true
deadline=$((SECONDS + KAFKA_STOP_TIMEOUT))
while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
  sleep 0.5
done
if kill -0 "$pid" 2>/dev/null; then
  kafka_log "still running after ${KAFKA_STOP_TIMEOUT}s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
fi
if kill -0 "$pid" 2>/dev/null; then
  kafka_die "broker (pid ${pid}) did not exit"
fi
rm -f "$KAFKA_PID_FILE"
kafka_log "stopped"
