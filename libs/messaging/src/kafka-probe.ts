import type { LoggerService } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import { KafkaConnection, kafkaClientConfig } from './kafka-client';

/** A readiness check that answers fast: no retries, short timeouts, reconnects after a failure. */
export class KafkaProbe {
  private readonly admin: Admin;
  private connected = false;

  constructor(connection: KafkaConnection, logger: LoggerService) {
    this.admin = new Kafka({
      ...kafkaClientConfig({ ...connection, clientId: `${connection.clientId}-probe` }, logger),
      connectionTimeout: 1000,
      requestTimeout: 1500,
      retry: { retries: 0 },
    }).admin();
  }

  async check(): Promise<void> {
    try {
      if (!this.connected) {
        await this.admin.connect();
        this.connected = true;
      }
      await this.admin.describeCluster();
    } catch (err) {
      // A half-open admin client can keep failing: start from scratch next time.
      this.connected = false;
      await this.admin.disconnect().catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.connected) await this.admin.disconnect();
    this.connected = false;
  }
}
