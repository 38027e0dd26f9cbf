#!/usr/bin/env bash
# One node of docker-compose.yml's Kafka cluster (KRaft, broker + controller), secured like
# deploy/local: SASL/SCRAM-SHA-512 for clients and between brokers, SASL/PLAIN on the controller
# listener, StandardAuthorizer with no access without an ACL. Runs in the apache/kafka image.
#
# From the environment (docker-compose.yml): NODE_ID, CLUSTER_ID, CONTROLLER_QUORUM_VOTERS, and the
# passwords KAFKA_ADMIN_PASSWORD, KAFKA_CONTROLLER_PASSWORD and KAFKA_<SERVICE>_PASSWORD. The SCRAM
# users are created when the storage is first formatted; the ACLs by the kafka-acls one-off service.
set -euo pipefail

: "${NODE_ID:?}" "${CLUSTER_ID:?}" "${CONTROLLER_QUORUM_VOTERS:?}" "${KAFKA_ADMIN_PASSWORD:?}" "${KAFKA_CONTROLLER_PASSWORD:?}"
services="gateway identity ledger fraud analytics notification"
config=/tmp/server.properties
umask 077
cat >"$config" <<EOF
process.roles=broker,controller
node.id=${NODE_ID}
controller.quorum.voters=${CONTROLLER_QUORUM_VOTERS}
listeners=INTERNAL://0.0.0.0:19092,CONTROLLER://0.0.0.0:9093
advertised.listeners=INTERNAL://$(hostname):19092
inter.broker.listener.name=INTERNAL
controller.listener.names=CONTROLLER
listener.security.protocol.map=INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
log.dirs=/var/lib/kafka/data

sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.internal.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="tally-admin" password="${KAFKA_ADMIN_PASSWORD}";
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="tally-controller" password="${KAFKA_CONTROLLER_PASSWORD}" user_tally-controller="${KAFKA_CONTROLLER_PASSWORD}";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:tally-admin;User:tally-controller

# Three nodes: every topic (internal ones too) has three replicas and accepts a write on two.
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
default.replication.factor=3
min.insync.replicas=2
num.partitions=3
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
EOF

scram=(--add-scram "SCRAM-SHA-512=[name=tally-admin,password=${KAFKA_ADMIN_PASSWORD}]")
for service in $services; do
  var="KAFKA_$(printf '%s' "$service" | tr '[:lower:]' '[:upper:]')_PASSWORD"
  [[ -n "${!var:-}" ]] || { echo "${var} is required" >&2; exit 1; }
  scram+=(--add-scram "SCRAM-SHA-512=[name=tally-${service},password=${!var}]")
done
/opt/kafka/bin/kafka-storage.sh format --ignore-formatted --cluster-id "$CLUSTER_ID" --config "$config" "${scram[@]}"

# For the healthcheck and for `docker compose exec kafka-1 /opt/kafka/bin/kafka-topics.sh --command-config /tmp/admin.properties ...`.
cat >/tmp/admin.properties <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="tally-admin" password="${KAFKA_ADMIN_PASSWORD}";
EOF
exec /opt/kafka/bin/kafka-server-start.sh "$config"
