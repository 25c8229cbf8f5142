import { PreconditionFailedError, ValidationError } from '@crm/errors';
import { loseDeal, moveStage, probabilityOf, winDeal } from './deal-lifecycle';
import { money } from './money';
import { openDeal } from './open-deal';
import { defaultSalesPipeline } from './pipeline';

const t = (minute: number) => new Date(Date.UTC(2026, 10, 28, 10, minute));
const opened = () =>
  openDeal(
    'd1',
    { leadId: 'l1', name: 'Ana', company: 'Acme', interest: 'CRM', sourceChannel: 'web-form' },
    { pipeline: defaultSalesPipeline, currency: 'EUR', valueByInterest: {}, owners: [] },
    t(0),
    0,
  );

describe('deal stage machine', () => {
  it('moves forwards and backwards, keeping entry and exit times of every stage', () => {
    const proposal = moveStage(opened(), defaultSalesPipeline, 'proposal_sent', t(1));
    const back = moveStage(proposal, defaultSalesPipeline, 'contacted', t(2));
    expect(back.stage).toBe('contacted');
    expect(back.version).toBe(3);
    expect(back.stageHistory).toEqual([
      { stage: 'qualified', enteredAt: t(0), exitedAt: t(1) },
      { stage: 'proposal_sent', enteredAt: t(1), exitedAt: t(2) },
      { stage: 'contacted', enteredAt: t(2), exitedAt: null },
    ]);
    expect(probabilityOf(back, defaultSalesPipeline)).toBe(20);
  });

  it('refuses a stage of no pipeline stage, and the stage the deal is already in', () => {
    expect(() => moveStage(opened(), defaultSalesPipeline, 'nowhere', t(1))).toThrow(ValidationError);
    expect(() => moveStage(opened(), defaultSalesPipeline, 'qualified', t(1))).toThrow(PreconditionFailedError);
  });

  it('wins with a final amount, closing the current stage', () => {
    const won = winDeal(moveStage(opened(), defaultSalesPipeline, 'negotiation', t(1)), money('EUR', 250_000n), t(3));
    expect(won).toMatchObject({ status: 'won', value: { amountMinor: 250_000n }, valueNeedsEstimate: false, closedAt: t(3) });
    expect(won.stageHistory.at(-1)).toEqual({ stage: 'negotiation', enteredAt: t(1), exitedAt: t(3) });
    expect(probabilityOf(won, defaultSalesPipeline)).toBe(100);
  });

  it('loses only with a reason', () => {
    expect(() => loseDeal(opened(), '  ', t(1))).toThrow(ValidationError);
    const lost = loseDeal(opened(), ' price ', t(1));
    expect(lost).toMatchObject({ status: 'lost', lostReason: 'price', closedAt: t(1) });
    expect(probabilityOf(lost, defaultSalesPipeline)).toBe(0);
  });

  it('changes nothing on a closed deal', () => {
    const won = winDeal(opened(), undefined, t(1));
    expect(() => moveStage(won, defaultSalesPipeline, 'contacted', t(2))).toThrow(PreconditionFailedError);
    expect(() => winDeal(won, undefined, t(2))).toThrow(PreconditionFailedError);
    expect(() => loseDeal(won, 'late', t(2))).toThrow(PreconditionFailedError);
  });
});

describe('money', () => {
  it('takes integer minor units in an ISO 4217 currency only', () => {
    expect(money('EUR', '9007199254740993').amountMinor).toBe(9007199254740993n);
    expect(() => money('eur', 1)).toThrow(ValidationError);
    expect(() => money('EUR', '12.5')).toThrow(ValidationError);
    expect(() => money('EUR', -1)).toThrow(ValidationError);
  });
});
