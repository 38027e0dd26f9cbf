import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Admin, ResourcePatternTypes, type AclEntry } from 'kafkajs';
import { allTopics, BUS_SERVICES, busAccess, busTopicsOf, BusService } from '@tally/contracts';

/** A principal's SASL login (the shape of KafkaSasl in libs/messaging, which this library may not import). */
export interface KafkaCredentials {
  mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain';
  username: string;
  password: string;
}

/** The SASL user of a service's principal: `tally-<service>` (as Strimzi's KafkaUsers of the Helm chart). */
export function busUsername(service: BusService, prefix = 'tally-'): string {
  return `${prefix}${service}`;
}

/**
 * Every ACL of one service's principal, from busAccess(): Read on what it consumes, Write on what it
 * produces, Describe on both, Create on those topics only (services create their own topics when
 * missing, with the configured replication), Read on its consumer groups by prefix. An idempotent
 * producer needs nothing more: Write on a topic allows InitProducerId (Kafka 2.8+).
 */
export function busAcls(service: BusService, username = busUsername(service)): AclEntry[] {
  const access = busAccess(service);
  const entry = (resourceType: AclResourceTypes, resourceName: string, operation: AclOperationTypes, patternType = ResourcePatternTypes.LITERAL): AclEntry => ({
    resourceType,
    resourceName,
    resourcePatternType: patternType,
    principal: `User:${username}`,
    host: '*',
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  });
  return [
    ...access.reads.flatMap((topic) => [
      entry(AclResourceTypes.TOPIC, topic, AclOperationTypes.READ),
      entry(AclResourceTypes.TOPIC, topic, AclOperationTypes.DESCRIBE),
    ]),
    ...access.writes.flatMap((topic) => [
      entry(AclResourceTypes.TOPIC, topic, AclOperationTypes.WRITE),
      entry(AclResourceTypes.TOPIC, topic, AclOperationTypes.DESCRIBE),
    ]),
    ...busTopicsOf(service).map((topic) => entry(AclResourceTypes.TOPIC, topic, AclOperationTypes.CREATE)),
    ...access.groupPrefixes.flatMap((prefix) => [
      entry(AclResourceTypes.GROUP, prefix, AclOperationTypes.READ, ResourcePatternTypes.PREFIXED),
      entry(AclResourceTypes.GROUP, prefix, AclOperationTypes.DESCRIBE, ResourcePatternTypes.PREFIXED),
    ]),
  ];
}

/**
 * Grants every service's principal its ACLs and creates every topic of allTopics() that is missing
 * (those no service uses yet too, such as the command topics' dead letters), through an admin client
 * of a super user. Idempotent: the broker keeps one copy of an ACL created twice. Run before the
 * services start (LocalStack does; docker compose runs `node dist/libs/testing/src/bus-provisioning.js`).
 */
export async function provisionBusAccess(
  admin: Admin,
  options: { usernamePrefix?: string; replicationFactor?: number; minInsyncReplicas?: number } = {},
): Promise<{ acls: number; topicsCreated: number }> {
  const acl = BUS_SERVICES.flatMap((service) => busAcls(service, busUsername(service, options.usernamePrefix)));
  await admin.createAcls({ acl });
  const existing = new Set(await admin.listTopics());
  const missing = allTopics().filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    const { replicationFactor = 1, minInsyncReplicas = 1 } = options;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: 3,
        replicationFactor,
        configEntries: [{ name: 'min.insync.replicas', value: String(minInsyncReplicas) }],
      })),
    });
  }
  // The first group lookup makes the broker create __consumer_offsets (50 partitions): done here,
  // once, rather than by six services at once, each of whose consumers would crash meanwhile.
  await admin.describeGroups(['tally-bus-provisioning']);
  return { acls: acl.length, topicsCreated: missing.length };
}

/**
 * `node dist/libs/testing/src/bus-provisioning.js`: provisions as KAFKA_USERNAME (a super user) on
 * KAFKA_BROKERS, topics with KAFKA_REPLICATION_FACTOR and KAFKA_MIN_INSYNC_REPLICAS (default 1).
 */
async function main(): Promise<void> {
  const { Kafka, logLevel } = await import('kafkajs');
  const env = process.env;
  const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
  if (!env.KAFKA_USERNAME || !env.KAFKA_PASSWORD) throw new Error('KAFKA_USERNAME and KAFKA_PASSWORD (a super user of the broker) are required');
  const mechanism = (env.KAFKA_SASL_MECHANISM ?? 'scram-sha-512') as 'scram-sha-512';
  const kafka = new Kafka({
    clientId: 'tally-bus-provisioning',
    brokers,
    logLevel: logLevel.WARN,
    sasl: { mechanism, username: env.KAFKA_USERNAME, password: env.KAFKA_PASSWORD },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const done = await provisionBusAccess(admin, {
      usernamePrefix: env.KAFKA_USERNAME_PREFIX,
      replicationFactor: Number(env.KAFKA_REPLICATION_FACTOR ?? 1),
      minInsyncReplicas: Number(env.KAFKA_MIN_INSYNC_REPLICAS ?? 1),
    });
    console.log(JSON.stringify({ level: 'info', service: 'bus-provisioning', msg: 'ACLs and topics provisioned', ...done, brokers }));
  } finally {
    await admin.disconnect();
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(JSON.stringify({ level: 'fatal', service: 'bus-provisioning', msg: 'provisioning failed', error: err.message }));
    process.exit(1);
  });
}
