#!/usr/bin/env bash
# Run a Kafka CLI tool from the same Maven-fetched classpath as the broker.
#
# Usage: deploy/local/kafka-cli.sh <tool|fully.qualified.MainClass> [args...]
# Tools: topics, console-producer, console-consumer, consumer-groups,
#        get-offsets, broker-api-versions, storage
# Example: deploy/local/kafka-cli.sh topics --bootstrap-server 127.0.0.1:9092 --list
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=kafka-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/kafka-env.sh"

[[ $# -ge 1 && "$1" != -h && "$1" != --help ]] || { sed -n '2,7p' "$0"; exit 0; }
tool="$1"; shift
# Kafka 3.9 main classes (some tools still live in core, others in kafka-tools).
case "$tool" in
  topics) main=org.apache.kafka.tools.TopicCommand ;;
  console-producer) main=kafka.tools.ConsoleProducer ;;
  console-consumer) main=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
  consumer-groups) main=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  get-offsets) main=org.apache.kafka.tools.GetOffsetShell ;;
  broker-api-versions) main=kafka.admin.BrokerApiVersionsCommand ;;
  storage) main=kafka.tools.StorageTool ;;
  *.*) main="$tool" ;;
  *) kafka_die "unknown tool '${tool}' (see --help)" ;;
esac

"${KAFKA_LOCAL_DIR}/kafka-fetch.sh"
java="$(kafka_java)"
exec "$java" -Xmx256m -Dlog4j.configuration="file:${KAFKA_LOCAL_DIR}/kafka/tools-log4j.properties" \
  -cp "${KAFKA_LIBS_DIR}/*" "$main" "$@"
