#!/usr/bin/env bash
# Exit 0 if a Kafka broker answers on ${KAFKA_HOST}:${KAFKA_PORT}, else 1.
#
# Usage: deploy/local/kafka-status.sh [-q]   (-q: no output, exit code only)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=kafka-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/kafka-env.sh"

quiet=0
case "${1:-}" in
  -q | --quiet) quiet=1 ;;
  "") ;;
  -h | --help) sed -n '2,4p' "$0"; exit 0 ;;
  *) kafka_die "unknown argument: $1" ;;
esac
say() { ((quiet)) || printf '%s\n' "$*"; }

pid="$(kafka_running_pid || true)"
if kafka_ping; then
  if [[ -n "$pid" ]]; then
    say "running: pid ${pid}, bootstrap ${KAFKA_HOST}:${KAFKA_PORT}, data ${KAFKA_DATA_DIR}"
  else
    say "a Kafka broker answers on ${KAFKA_HOST}:${KAFKA_PORT}, but it is not the one managed by these scripts"
  fi
  exit 0
fi
if [[ -n "$pid" ]]; then
  say "not ready: broker pid ${pid} is running but ${KAFKA_HOST}:${KAFKA_PORT} does not answer (starting up or wedged; see ${KAFKA_SERVER_LOG})"
else
  say "not running"
fi
exit 1
