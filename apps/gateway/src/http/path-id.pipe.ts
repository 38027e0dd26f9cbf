import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from '@tally/contracts';

/**
 * A resource id in the path: a UUID, else 404 NOT_FOUND. A malformed id names no resource, and a
 * word where an id goes (GET /v1/transactions/recurring) is a path that does not exist: neither is
 * a 400 "uuid is expected" that tells a prober how routes are matched.
 */
export class PathIdPipe extends ParseUUIDPipe {
  constructor() {
    super({ exceptionFactory: () => new DomainError('NOT_FOUND', 'Not found') });
  }
}
