import { DomainError } from '@tally/contracts';

export interface PageParams {
  limit: number;
  offset: number;
}

/** api-v1's list params: limit 1..100 (default 50), offset ≥ 0 (default 0); anything else is a 400. */
export function pageParams(query: { limit?: unknown; offset?: unknown }): PageParams {
  const problems: Record<string, string> = {};
  const limit = intParam(query.limit, 50);
  const offset = intParam(query.offset, 0);
  if (limit === undefined || limit < 1 || limit > 100) problems.limit = 'must be an integer from 1 to 100';
  if (offset === undefined || offset < 0) problems.offset = 'must be an integer of at least 0';
  if (Object.keys(problems).length > 0) throw new DomainError('VALIDATION_FAILED', 'The list parameters are invalid', problems);
  return { limit: limit as number, offset: offset as number };
}

function intParam(value: unknown, fallback: number): number | undefined {
  if (value === undefined || value === '') return fallback;
  const text = String(value);
  return /^-?\d{1,9}$/.test(text) ? Number(text) : undefined;
}

export interface SortParams {
  /** A column expression taken from the caller's whitelist, never from the request text. */
  column: string;
  direction: 'ASC' | 'DESC';
}

/** api-v1's sortBy / sortOrder against a whitelist of field → column; defaults to the first field, descending. */
export function sortParams(query: { sortBy?: unknown; sortOrder?: unknown }, columns: Record<string, string>): SortParams {
  const fields = Object.keys(columns);
  const sortBy = query.sortBy === undefined ? fields[0] : String(query.sortBy);
  const sortOrder = query.sortOrder === undefined ? 'desc' : String(query.sortOrder);
  const problems: Record<string, string> = {};
  if (!Object.prototype.hasOwnProperty.call(columns, sortBy)) problems.sortBy = `must be one of ${fields.join(', ')}`;
  if (sortOrder !== 'asc' && sortOrder !== 'desc') problems.sortOrder = 'must be asc or desc';
  if (Object.keys(problems).length > 0) throw new DomainError('VALIDATION_FAILED', 'The list parameters are invalid', problems);
  return { column: columns[sortBy], direction: sortOrder === 'asc' ? 'ASC' : 'DESC' };
}
