import mongoose from 'mongoose';
import { preparedAndCast } from '@crm/testing';
import { aLead } from '../src/domain/lead.fixture';
import { leadCaptured } from '../src/wire/lead-events.builder';
import { leadModel } from '../src/store/lead.model';
import { newLeadDocument } from '../src/store/lead.repository';

// The capture writes its document as is (see insertPrepared): it must be what the schema would make of it.
describe('a captured lead as stored', () => {
  const model = leadModel(mongoose.createConnection());
  const claim = { token: 'token-1', until: new Date('2026-12-01T10:00:05Z') };

  it.each([
    ['with every field', aLead()],
    ['with only an e-mail', aLead({ phone: undefined, company: undefined, name: 'Ana' })],
  ])('is stored as its schema would cast it, %s', (_name, lead) => {
    const document = newLeadDocument(
      lead,
      [{ ...leadCaptured(lead), traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }],
      claim,
    );
    const { prepared, cast } = preparedAndCast(model, document);
    expect(prepared).toEqual(cast);
  });
});
