import { Injectable, OnModuleInit } from '@nestjs/common';
import { SecurityEventV1, UserRegisteredV1 } from '@tally/contracts';
import { Messaging, on } from '@tally/messaging';
import { AuditLogService } from '../audit/audit-log.service';
import { PlatformAnalyticsService } from './platform-analytics.service';

/**
 * identity.events for analytics: registrations, and every security event into the audit log (a
 * sign-in also marks the user active that day). One handler per event: the service's inbox is
 * shared by its consumers, so two handlers of one event would see it only once between them.
 */
@Injectable()
export class IdentityEventsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: Messaging,
    private readonly platform: PlatformAnalyticsService,
    private readonly audit: AuditLogService,
  ) {}

  onModuleInit(): void {
    this.messaging.consume('identity', [
      on(UserRegisteredV1, (event, manager) => this.platform.onRegistered(manager, event.data.userId, event.occurredAt)),
      on(SecurityEventV1, async (event, manager) => {
        await this.audit.onSecurityEvent(event, manager);
        if (event.data.kind === 'login_succeeded' && event.data.userId) await this.platform.onSignIn(manager, event.data.userId, event.occurredAt);
      }),
    ]);
  }
}
