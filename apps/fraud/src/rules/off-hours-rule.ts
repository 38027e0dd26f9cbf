import { FraudRule, intProblems, RuleOutcome, RuleParameters, ScoredTransaction, unknownKeyProblems, UserHistory } from './fraud-rule';

const hourFormats = new Map<string, Intl.DateTimeFormat>();

/** The hour (0-23) on the wall clock of `timeZone`; an unknown zone reads as UTC. */
export function localHour(at: Date, timeZone: string): { hour: number; timeZone: string } {
  let format = hourFormats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' });
    } catch {
      return localHour(at, 'UTC');
    }
    hourFormats.set(timeZone, format);
  }
  return { hour: Number(format.formatToParts(at).find((p) => p.type === 'hour')?.value), timeZone };
}

/** Held between startHour (inclusive) and endHour (exclusive) in the wallet's time zone; the window may wrap midnight. */
export class OffHoursRule implements FraudRule {
  readonly code = 'off_hours';
  readonly flag = 'OFF_HOURS';
  readonly description = "Between startHour and endHour on the wallet's local clock (the seed: 23:00-05:00)";
  readonly defaultWeight = 20;
  readonly defaultParameters = { startHour: 23, endHour: 5 };

  parameterProblems(p: RuleParameters): string[] {
    return [...unknownKeyProblems(p, this.defaultParameters), ...intProblems(p, 'startHour', 0, 23), ...intProblems(p, 'endHour', 0, 23)];
  }

  async evaluate(tx: ScoredTransaction, _history: UserHistory, p: RuleParameters): Promise<RuleOutcome> {
    const start = p.startHour as number;
    const end = p.endHour as number;
    const { hour, timeZone } = localHour(tx.at, tx.timeZone);
    const hit = start <= end ? hour >= start && hour < end : hour >= start || hour < end;
    return { hit, evidence: { localHour: hour, timeZone, startHour: start, endHour: end } };
  }
}
