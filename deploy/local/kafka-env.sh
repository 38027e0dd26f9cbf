# shellcheck shell=bash disable=SC2034  # variables are used by the sourcing scripts
# Shared settings + helpers for the local single-node Kafka (KRaft) scripts.
# Sourced by kafka-{fetch,start,stop,status,cli}.sh; not meant to be executed.
#
# Every setting can be overridden from the environment.

# Directory holding these scripts (resolved so they work from any cwd).
KAFKA_LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KAFKA_POM="${KAFKA_LOCAL_DIR}/kafka/pom.xml"

# The pom is the single source of truth for the Kafka version.
KAFKA_VERSION="${TALLY_KAFKA_VERSION:-$(sed -n 's:.*<kafka\.version>\(.*\)</kafka\.version>.*:\1:p' "$KAFKA_POM")}"

# Resolved jars live outside the repo, per version, so switching versions or
# branches never re-downloads more than needed (Maven also caches in ~/.m2).
TALLY_KAFKA_HOME="${TALLY_KAFKA_HOME:-${HOME}/.cache/tally-kafka/${KAFKA_VERSION}}"
KAFKA_LIBS_DIR="${TALLY_KAFKA_HOME}/libs"
KAFKA_LIBS_MARKER="${KAFKA_LIBS_DIR}/.tally-kafka-complete"

# Broker state: config, logs, pidfile and the Kafka log dir (topics + metadata).
KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-${HOME}/.cache/tally-kafka/data}"
KAFKA_CONFIG_DIR="${KAFKA_DATA_DIR}/config"
KAFKA_CONFIG_FILE="${KAFKA_CONFIG_DIR}/server.properties"
KAFKA_LOGS_DIR="${KAFKA_DATA_DIR}/logs"          # broker's own log4j output
KAFKA_SERVER_LOG="${KAFKA_LOGS_DIR}/server.log"
KAFKA_STDOUT_LOG="${KAFKA_LOGS_DIR}/kafka.out"   # JVM stdout/stderr (crashes, early errors)
KAFKA_PID_FILE="${KAFKA_DATA_DIR}/kafka.pid"
# Always a dedicated sub-directory, so wiping it can never hit anything else.
KAFKA_LOG_DIRS="${KAFKA_DATA_DIR}/kraft-combined-logs"

KAFKA_HOST="${KAFKA_HOST:-127.0.0.1}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_NODE_ID=1
# Fixed cluster id: formatting is reproducible and a mismatch means the data
# dir belongs to something else (then it is wiped and reformatted).
KAFKA_CLUSTER_ID="${KAFKA_CLUSTER_ID:-v3jr-jH0SbeeZkYZWWszug}"

# SASL/SCRAM-SHA-512 on the client listener: an admin super user (provisioning: ACLs, topics) and one
# principal per service (ACLs from busAccess() in libs/contracts). The passwords below are fixed
# DEVELOPMENT-ONLY values, known to anyone with this repository: override them with
# KAFKA_ADMIN_PASSWORD and KAFKA_<SERVICE>_PASSWORD; production takes them from a Secret.
KAFKA_ADMIN_USER="tally-admin"
KAFKA_SERVICE_PRINCIPALS="gateway identity ledger fraud analytics notification"
# The broker's own login on the controller listener (SASL/PLAIN: KRaft cannot use SCRAM there).
KAFKA_CONTROLLER_USER="tally-controller"
# Client settings for the CLI tools as the admin (kafka-cli.sh topics --command-config <this> ...).
KAFKA_ADMIN_CLIENT_CONFIG="${KAFKA_CONFIG_DIR}/admin-client.properties"

# The SCRAM user of a principal: admin -> tally-admin, ledger -> tally-ledger.
kafka_user() { printf 'tally-%s\n' "$1"; }
# Its password: KAFKA_<NAME>_PASSWORD, else the dev-only default `tally-<name>-dev-password`.
kafka_password() {
  local var
  var="KAFKA_$(printf '%s' "$1" | tr '[:lower:]' '[:upper:]')_PASSWORD"
  printf '%s\n' "${!var:-tally-$1-dev-password}"
}

KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m}"
# Same GC flags as Kafka's bin/kafka-run-class.sh.
KAFKA_JVM_PERFORMANCE_OPTS="${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true}"
KAFKA_OPTS="${KAFKA_OPTS:-}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

kafka_log() { printf '[kafka] %s\n' "$*" >&2; }
kafka_die() { kafka_log "ERROR: $*"; exit 1; }

# Run "$@" with a time limit; coreutils `timeout` is missing on stock macOS.
kafka_with_timeout() {
  local secs="$1"; shift
  if command -v timeout >/dev/null 2>&1; then
    timeout "$secs" "$@"
    return
  fi
  "$@" &
  local cpid=$! rc=0
  # Watchdog must not hold our stdout, or a caller's $(...) waits for its sleep.
  (sleep "$secs"; kill -TERM "$cpid" 2>/dev/null) >/dev/null 2>&1 &
  local wpid=$!
  wait "$cpid" || rc=$?
  kill "$wpid" 2>/dev/null || true
  wait "$wpid" 2>/dev/null || true
  return "$rc"
}

# Pick a java (JAVA_HOME first) and insist on 11+ (Kafka 3.9 broker minimum).
kafka_java() {
  local java="java" ver major
  if [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]]; then
    java="${JAVA_HOME}/bin/java"
  fi
  command -v "$java" >/dev/null 2>&1 || kafka_die "java not found (need Java 11+; set JAVA_HOME)"
  ver="$("$java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)"
  major="${ver%%.*}"
  if [[ "$major" == 1 ]]; then major="$(echo "$ver" | cut -d. -f2)"; fi  # 1.8.0_x -> 8
  [[ "$major" =~ ^[0-9]+$ && "$major" -ge 11 ]] || kafka_die "Java 11+ required, found '${ver:-unknown}' at $java"
  printf '%s\n' "$java"
}

# True if 127.0.0.1:port accepts TCP connections (bash /dev/tcp, no nc needed).
kafka_port_open() {
  # shellcheck disable=SC2016  # $1/$2 expand in the child bash
  kafka_with_timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "${1:-$KAFKA_HOST}" "${2:-$KAFKA_PORT}" 2>/dev/null
}

# True if the port answers a real Kafka request. Sends ApiVersions v0
# (api_key=18, correlation_id=1, client_id="ping") and expects the response
# header to echo correlation id 1 with error_code 0. Avoids a ~2s JVM launch.
kafka_ping() {
  local hex
  # shellcheck disable=SC2016  # $1/$2 expand in the child bash
  hex="$(kafka_with_timeout 5 bash -c '
      exec 3<>"/dev/tcp/$1/$2" || exit 1
      printf "\000\000\000\016\000\022\000\000\000\000\000\001\000\004ping" >&3
      head -c 10 <&3 | od -An -tx1' _ "$KAFKA_HOST" "$KAFKA_PORT" 2>/dev/null)" || return 1
  hex="${hex//[[:space:]]/}"
  [[ ${#hex} -eq 20 && "${hex:8:12}" == "000000010000" ]]
}

# True if pid is a live JVM running kafka.Kafka with *our* config file
# (guards against pid reuse and against unrelated Kafka brokers).
kafka_is_our_broker() {
  local args
  args="$(ps -ww -p "$1" -o args= 2>/dev/null)" || return 1
  [[ "$args" =~ ^[^[:space:]]*java[[:space:]] && "$args" == *"kafka.Kafka ${KAFKA_CONFIG_FILE}"* ]]
}

# Print the pid of our running broker: from the pidfile, or (if the pidfile
# was lost) by finding a JVM started with our config file. Returns 1 if none.
kafka_running_pid() {
  local pid=""
  if [[ -f "$KAFKA_PID_FILE" ]]; then
    pid="$(tr -cd '0-9' <"$KAFKA_PID_FILE")"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && kafka_is_our_broker "$pid"; then
      printf '%s\n' "$pid"
      return 0
    fi
  fi
  if command -v pgrep >/dev/null 2>&1; then
    for pid in $(pgrep -f -- "kafka.Kafka ${KAFKA_CONFIG_FILE}" 2>/dev/null || true); do
      if kafka_is_our_broker "$pid"; then
        printf '%s\n' "$pid"
        return 0
      fi
    done
  fi
  return 1
}

# Last lines of the broker logs, for error messages.
kafka_log_tail() {
  local n="${1:-40}" f
  for f in "$KAFKA_SERVER_LOG" "$KAFKA_STDOUT_LOG"; do
    if [[ -s "$f" ]]; then
      printf -- '----- last %s lines of %s -----\n' "$n" "$f" >&2
      tail -n "$n" "$f" >&2
    fi
  done
}
