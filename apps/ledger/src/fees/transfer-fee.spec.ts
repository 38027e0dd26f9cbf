import fc from 'fast-check';
import { percentageFee } from '@tally/money';
import { EnvReader } from '@tally/bootstrap';
import { parseTransferFeeSpec, readTransferFees as readFromReader, transferFeeRule } from './transfer-fee';

function readTransferFees(env: NodeJS.ProcessEnv) {
  const reader = new EnvReader(env);
  return { fees: readFromReader(reader), problems: reader.problems };
}

describe('transfer fee configuration', () => {
  it('defaults to the seed rule: 0.2 %, at least 0.50, at most 100.00', () => {
    const { fees, problems } = readTransferFees({});
    expect(problems).toEqual([]);
    expect(transferFeeRule('USD', fees)).toEqual({ rate: '0.002', minMinor: 50n, maxMinor: 10000n });
    expect(transferFeeRule('KWD', fees)).toEqual({ rate: '0.002', minMinor: 500n, maxMinor: 100000n });
  });

  it('rounds a bound finer than the minor unit up (0.50 JPY is 1 yen)', () => {
    const { fees } = readTransferFees({});
    expect(transferFeeRule('JPY', fees)).toEqual({ rate: '0.002', minMinor: 1n, maxMinor: 100n });
  });

  it('takes a per-currency rule over the default', () => {
    const { fees, problems } = readTransferFees({ LEDGER_TRANSFER_FEE: '0.5%,1.00,20.00', LEDGER_TRANSFER_FEE_JPY: '0.1%,10,1500' });
    expect(problems).toEqual([]);
    expect(transferFeeRule('EUR', fees)).toEqual({ rate: '0.005', minMinor: 100n, maxMinor: 2000n });
    expect(transferFeeRule('JPY', fees)).toEqual({ rate: '0.001', minMinor: 10n, maxMinor: 1500n });
    expect(percentageFee(1_000_000n, transferFeeRule('JPY', fees))).toBe(1000n);
  });

  it('names each bad variable', () => {
    const { problems } = readTransferFees({ LEDGER_TRANSFER_FEE: '0.2', LEDGER_TRANSFER_FEE_XXX: '1%,1,2', LEDGER_TRANSFER_FEE_USD: '1%,5,2' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/LEDGER_TRANSFER_FEE must/);
    expect(problems.join('\n')).toMatch(/LEDGER_TRANSFER_FEE_XXX must .*: XXX is not a currency Tally supports/);
    expect(problems.join('\n')).toMatch(/LEDGER_TRANSFER_FEE_USD must/);
  });

  it('refuses malformed specs', () => {
    for (const bad of ['', '0.2%', '0.2%,1', 'abc', '-1%,0,1', '0.2%,0.50,100.00,1', '200%,1,2']) expect(parseTransferFeeSpec(bad)).toBeUndefined();
  });

  it('keeps every fee within the configured bounds and never decreasing with the amount', () => {
    const { fees } = readTransferFees({});
    const rule = transferFeeRule('USD', fees);
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: 10n ** 6n }), (amount, more) => {
        const fee = percentageFee(amount, rule);
        expect(fee).toBeGreaterThanOrEqual(rule.minMinor);
        expect(fee).toBeLessThanOrEqual(rule.maxMinor);
        expect(percentageFee(amount + more, rule)).toBeGreaterThanOrEqual(fee);
      }),
    );
  });
});
