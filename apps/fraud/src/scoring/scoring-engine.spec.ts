import { FraudRule, RuleParameters, ScoredTransaction, UserHistory } from '../rules/fraud-rule';
import { FRAUD_RULES } from '../rules/rule-registry';
import { decide, RuleSetting, scoreTransaction } from './scoring-engine';

const history: UserHistory = { count: async () => 0, amounts: async () => ({ count: 0, sumMinor: 0n }), countSame: async () => 0 };
const tx = { at: new Date('2026-03-10T12:00:00Z') } as ScoredTransaction;

/** A rule that hits when its parameter says so: the engine is tested without any real rule's logic. */
function rule(code: string): FraudRule {
  return {
    code,
    flag: code.toUpperCase(),
    description: code,
    defaultWeight: 20,
    defaultParameters: { hit: true },
    parameterProblems: () => [],
    evaluate: async (_t: ScoredTransaction, _h: UserHistory, p: RuleParameters) => ({ hit: p.hit === true, evidence: { code } }),
  };
}

const setting = (code: string, weight: number, hit = true, enabled = true): RuleSetting => ({ code, weight, enabled, parameters: { hit } });

describe('scoreTransaction', () => {
  const rules = ['a', 'b', 'c', 'd', 'e', 'f'].map(rule);

  it('sums the weights of the rules hit, flags in registry order, with each hit and its evidence', async () => {
    const result = await scoreTransaction(tx, history, rules, [setting('c', 30), setting('a', 20), setting('b', 25, false)]);
    expect(result).toEqual({
      score: 50,
      flags: ['A', 'C'],
      hits: [
        { rule: 'a', flag: 'A', points: 20, evidence: { code: 'a' } },
        { rule: 'c', flag: 'C', points: 30, evidence: { code: 'c' } },
      ],
    });
  });

  it('caps the score at 100', async () => {
    const result = await scoreTransaction(
      tx,
      history,
      rules,
      rules.map((r) => setting(r.code, 40)),
    );
    expect(result.score).toBe(100);
    expect(result.flags).toHaveLength(6);
  });

  it('a rule with weight 0 flags without points; a disabled rule or one without a row does not run', async () => {
    const result = await scoreTransaction(tx, history, rules, [setting('a', 0), setting('b', 20, true, false), setting('zzz', 50)]);
    expect(result).toMatchObject({ score: 0, flags: ['A'] });
  });

  it('the registered rules run with their default rows', async () => {
    const defaults = FRAUD_RULES.map((r) => ({ code: r.code, weight: r.defaultWeight, enabled: true, parameters: r.defaultParameters }));
    const clean = { ...tx, amountMinor: 100n, currency: 'MYR', baseAmountMinor: 100n, baseCurrency: 'MYR', payee: 'Shop', timeZone: 'UTC' };
    expect(await scoreTransaction(clean, history, FRAUD_RULES, defaults)).toEqual({ score: 0, flags: [], hits: [] });
  });
});

describe('decide: bands 60 review, 80 high risk, reject off or at 90', () => {
  const bands = { review: 60, highRisk: 80, reject: null };
  it.each([
    [0, 'approve', 'approve'],
    [59, 'approve', 'approve'],
    [60, 'review', 'review'],
    [79, 'review', 'review'],
    [80, 'review', 'high_risk'],
    [100, 'review', 'high_risk'],
  ])('score %i: %s (%s) with automatic reject off', (score, decision, band) => {
    expect(decide(score, bands)).toEqual({ decision, band });
  });
  it.each([
    [89, 'review', 'high_risk'],
    [90, 'reject', 'reject'],
    [100, 'reject', 'reject'],
  ])('score %i: %s (%s) with reject at 90', (score, decision, band) => {
    expect(decide(score, { ...bands, reject: 90 })).toEqual({ decision, band });
  });
});
