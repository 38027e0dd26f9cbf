/**
 * A deliberately small field checker for message contracts: contracts stay free of framework
 * imports, and producers and consumers run the same checks.
 */
export type BaseRule = 'string' | 'uuid' | 'minor' | 'currency' | 'int' | 'number' | 'boolean' | 'string[]' | 'array' | 'object';
/** `rule?`: the field may be left out (or null). */
export type FieldRule = BaseRule | `${BaseRule}?`;

export type Shape = Record<string, FieldRule>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MINOR = /^-?\d{1,20}$/;
const CURRENCY = /^[A-Z]{3}$/;

function fits(rule: FieldRule, value: unknown): boolean {
  const optional = rule.endsWith('?');
  if (optional && (value === undefined || value === null)) return true;
  const base = optional ? rule.slice(0, -1) : rule;
  switch (base) {
    case 'string':
      return typeof value === 'string';
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'minor':
      return typeof value === 'string' && MINOR.test(value);
    case 'currency':
      return typeof value === 'string' && CURRENCY.test(value);
    case 'int':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return false;
  }
}

export function shapeProblems(shape: Shape, value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return ['data must be an object'];
  const record = value as Record<string, unknown>;
  return Object.entries(shape)
    .filter(([field, rule]) => !fits(rule, record[field]))
    .map(([field, rule]) => `${field} must be ${rule}`);
}
