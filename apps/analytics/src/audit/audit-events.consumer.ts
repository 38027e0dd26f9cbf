import { Injectable, OnModuleInit } from '@nestjs/common';
import { AdminActionV1 } from '@tally/contracts';
import { Messaging, on } from '@tally/messaging';
import { AuditLogService } from './audit-log.service';

/** Admin actions of every service into the audit log (identity's security events come with the identity consumer). */
@Injectable()
export class AuditEventsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: Messaging,
    private readonly audit: AuditLogService,
  ) {}

  onModuleInit(): void {
    this.messaging.consume('audit', [on(AdminActionV1, (event, manager) => this.audit.onAdminAction(event, manager))]);
  }
}
