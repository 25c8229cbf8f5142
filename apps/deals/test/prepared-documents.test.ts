import mongoose from 'mongoose';
import { preparedAndCast } from '@crm/testing';
import { openDeal } from '../src/domain/open-deal';
import { aLead, salesPipeline } from '../src/domain/test-fixtures';
import { dealOpened } from '../src/wire/deal-events.builder';
import { dealModel } from '../src/store/deal.model';
import { openedDealDocument } from '../src/store/deal.repository';

// The opening writes its document as is (see insertPrepared): it must be what the schema would make of it.
describe('an opened deal as stored', () => {
  const model = dealModel(mongoose.createConnection());
  const at = new Date('2026-11-28T23:30:00Z');
  const claim = { token: 'token-1', until: new Date('2026-11-28T23:30:05Z') };
  const choice = {
    pipelineId: 'sales',
    pipeline: salesPipeline,
    assignment: { owner: 'ana', reason: 'round-robin 1 of 2' },
    openedBy: 'system',
  };

  it.each([
    ['with a default value', openDeal('d1', aLead, choice, { currency: 'EUR', valueByInterest: { crm: 1_500_000n } }, at)],
    [
      'needing an estimate, by hand',
      openDeal(
        'd2',
        { ...aLead, interest: '' },
        { ...choice, openedBy: 'ana', title: 'Big one' },
        { currency: 'EUR', valueByInterest: {} },
        at,
      ),
    ],
  ])('is stored as its schema would cast it, %s', (_name, deal) => {
    const document = openedDealDocument(deal, [dealOpened(deal, salesPipeline)], claim);
    const { prepared, cast } = preparedAndCast(model, document);
    expect(prepared).toEqual(cast);
  });
});
