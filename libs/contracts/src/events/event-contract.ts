import { EventEnvelope, envelopeProblems } from '../envelope';
import { Shape, shapeProblems } from '../schema';
import { Topic } from '../topics';

/** One event type at one version: its topic and the shape of its data. */
export interface EventContract<TData> {
  type: string;
  version: number;
  topic: Topic;
  shape: Shape;
  /** Phantom field that carries the data type; never set. */
  readonly _data?: TData;
}

export function defineEvent<TData>(contract: Omit<EventContract<TData>, '_data'>): EventContract<TData> {
  return contract;
}

export type DataOf<C> = C extends EventContract<infer T> ? T : never;

/** Problems with an envelope against its contract; empty when it is valid. */
export function eventProblems(contract: EventContract<unknown>, envelope: unknown): string[] {
  const problems = envelopeProblems(envelope);
  if (problems.length > 0) return problems;
  const e = envelope as EventEnvelope;
  if (e.type !== contract.type) return [`type ${e.type} is not ${contract.type}`];
  if (e.version !== contract.version) return [`version ${e.version} of ${e.type} is not supported`];
  return shapeProblems(contract.shape, e.data);
}
