import { PreconditionFailedError, ValidationError } from '@crm/errors';
import { loseDeal, moveStage, probabilityOf, reopenDeal, winDeal } from './deal-lifecycle';
import { money } from './money';
import { salesPipeline, openedDeal } from './test-fixtures';

const t = (minute: number) => new Date(Date.UTC(2026, 10, 28, 10, minute));
const reasons = ['price', 'timing', 'other'];
const opened = () => openedDeal(t(0));
const actor = 'ana via crm-console';

describe('deal stage machine', () => {
  it('moves forwards and backwards, keeping entry and exit times of every stage', () => {
    const proposal = moveStage(opened(), salesPipeline, 'proposal_sent', t(1), actor);
    const back = moveStage(proposal, salesPipeline, 'contacted', t(2), actor);
    expect(back.stage).toBe('contacted');
    expect(back.version).toBe(3);
    expect(back.idleSince).toEqual(t(2));
    expect(back.stageHistory).toEqual([
      { stage: 'qualified', enteredAt: t(0), exitedAt: t(1), closedAs: null, enteredBy: 'system' },
      { stage: 'proposal_sent', enteredAt: t(1), exitedAt: t(2), closedAs: null, enteredBy: actor },
      { stage: 'contacted', enteredAt: t(2), exitedAt: null, closedAs: null, enteredBy: actor },
    ]);
    expect(probabilityOf(back, salesPipeline)).toBe(20);
  });

  it('refuses a stage of no pipeline stage, and the stage the deal is already in', () => {
    expect(() => moveStage(opened(), salesPipeline, 'nowhere', t(1), actor)).toThrow(ValidationError);
    expect(() => moveStage(opened(), salesPipeline, 'qualified', t(1), actor)).toThrow(PreconditionFailedError);
  });

  it('wins with a final amount, closing the current stage as won', () => {
    const won = winDeal(moveStage(opened(), salesPipeline, 'negotiation', t(1), actor), money('EUR', 250_000n), t(3), actor);
    expect(won).toMatchObject({
      status: 'won',
      value: { amountMinor: 250_000n },
      valueNeedsEstimate: false,
      closedAt: t(3),
      closedBy: actor,
    });
    expect(won.stageHistory.at(-1)).toEqual({ stage: 'negotiation', enteredAt: t(1), exitedAt: t(3), closedAs: 'won', enteredBy: actor });
    expect(probabilityOf(won, salesPipeline)).toBe(100);
  });

  it('wins without a final amount keeping the value and its estimation flag', () => {
    const won = winDeal(opened(), undefined, t(1), actor);
    expect(won).toMatchObject({ value: { currency: 'EUR', amountMinor: 0n }, valueNeedsEstimate: true });
  });

  it('loses only for a configured reason, whatever its case, with a note', () => {
    expect(() => loseDeal(opened(), '  ', '', reasons, t(1), actor)).toThrow(ValidationError);
    expect(() => loseDeal(opened(), 'bad luck', '', reasons, t(1), actor)).toThrow(ValidationError);
    expect(() => loseDeal(opened(), 'price', 'x'.repeat(2001), reasons, t(1), actor)).toThrow(ValidationError);
    const lost = loseDeal(opened(), ' Price ', ' 20% over budget ', reasons, t(1), actor);
    expect(lost).toMatchObject({ status: 'lost', lostReason: 'price', lostNote: '20% over budget', closedAt: t(1) });
    expect(lost.stageHistory.at(-1)).toMatchObject({ exitedAt: t(1), closedAs: 'lost' });
    expect(probabilityOf(lost, salesPipeline)).toBe(0);
  });

  it('changes nothing on a closed deal', () => {
    const won = winDeal(opened(), undefined, t(1), actor);
    expect(() => moveStage(won, salesPipeline, 'contacted', t(2), actor)).toThrow(PreconditionFailedError);
    expect(() => winDeal(won, undefined, t(2), actor)).toThrow(PreconditionFailedError);
    expect(() => loseDeal(won, 'price', '', reasons, t(2), actor)).toThrow(PreconditionFailedError);
  });

  it('reopens a lost deal in the stage it closed in, keeping the history of how it closed', () => {
    const lost = loseDeal(moveStage(opened(), salesPipeline, 'contacted', t(1), actor), 'timing', 'next quarter', reasons, t(2), actor);
    const reopened = reopenDeal(lost, salesPipeline, t(3), actor);
    expect(reopened).toMatchObject({
      status: 'open',
      stage: 'contacted',
      closedAt: null,
      closedBy: '',
      lostReason: '',
      lostNote: '',
      idleSince: t(3),
      version: 4,
    });
    expect(reopened.stageHistory.map((v) => [v.stage, v.closedAs, v.exitedAt])).toEqual([
      ['qualified', null, t(1)],
      ['contacted', 'lost', t(2)],
      ['contacted', null, null],
    ]);
    expect(probabilityOf(reopened, salesPipeline)).toBe(20);
    expect(() => reopenDeal(reopened, salesPipeline, t(4), actor)).toThrow(PreconditionFailedError);
  });

  it('reopens in the first stage when the stage it closed in was removed since', () => {
    const won = winDeal(moveStage(opened(), salesPipeline, 'negotiation', t(1), actor), undefined, t(2), actor);
    const shorter = { ...salesPipeline, stages: salesPipeline.stages.slice(0, 2) };
    expect(reopenDeal(won, shorter, t(3), actor).stage).toBe('qualified');
  });
});

describe('money', () => {
  it('takes integer minor units in an ISO 4217 currency only', () => {
    expect(money('EUR', '9007199254740993').amountMinor).toBe(9007199254740993n);
    expect(() => money('eur', 1)).toThrow(ValidationError);
    expect(() => money('EUR', '12.5')).toThrow(ValidationError);
    expect(() => money('EUR', -1)).toThrow(ValidationError);
    expect(money('EUR', 10n ** 16n).amountMinor).toBe(10n ** 16n);
    expect(() => money('EUR', 10n ** 16n + 1n)).toThrow(ValidationError);
  });
});
