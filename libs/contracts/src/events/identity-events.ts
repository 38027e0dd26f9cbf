import { Topics } from '../topics';
import { defineEvent } from './event-contract';

export interface UserRegisteredV1 {
  userId: string;
  username?: string | null;
}

export const UserRegisteredV1 = defineEvent<UserRegisteredV1>({
  type: 'user.registered',
  version: 1,
  topic: Topics.identityEvents,
  shape: { userId: 'uuid', username: 'string?' },
});
