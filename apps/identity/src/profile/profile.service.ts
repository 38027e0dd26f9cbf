import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, DomainError, RequestOrigin, UpdateProfilePayload, UserView } from '@tally/contracts';
import { returningRows } from '@tally/database';
import { Messaging } from '@tally/messaging';
import { recordSecurityEvent } from '../audit/security-audit';
import { toUserView } from '../users/user-view';
import { UserRow, UsersRepository } from '../users/users.repository';
import { profileChanges } from './profile-changes';

/** PATCH /v1/me: the caller's name, contact and display settings; each change is in the security audit trail. */
@Injectable()
export class ProfileService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly messaging: Messaging,
  ) {}

  async update(actor: Actor, input: UpdateProfilePayload & RequestOrigin): Promise<UserView> {
    const changes = profileChanges(input);
    if (changes.size === 0) {
      const user = await this.users.findById(actor.userId);
      if (!user) throw new DomainError('NOT_FOUND', 'User not found');
      return toUserView(user);
    }
    const columns = [...changes.keys()];
    try {
      const user = await this.dataSource.transaction(async (manager) => {
        const rows = returningRows<UserRow>(
          await manager.query(
            `UPDATE identity.users SET ${columns.map((column, i) => `${column} = $${i + 2}`).join(', ')}, updated_at = now()
             WHERE id = $1 RETURNING *`,
            [actor.userId, ...changes.values()],
          ),
        );
        if (!rows[0]) throw new DomainError('NOT_FOUND', 'User not found');
        await recordSecurityEvent(manager, {
          userId: actor.userId,
          kind: 'profile_updated',
          sessionId: actor.sessionId,
          apiKeyId: actor.apiKeyId,
          ip: input.ip,
          userAgent: input.userAgent,
        });
        return rows[0];
      });
      this.messaging.published();
      return toUserView(user);
    } catch (err) {
      if ((err as { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw new DomainError('CONFLICT', 'This username is taken', { field: 'username' });
      }
      throw err;
    }
  }
}
