import mongoose from 'mongoose';
import { Lead } from '@crm/contracts';
import { preparedAndCast } from '@crm/testing';
import { testLead } from '../src/domain/lead-facts.fixture';
import { fromFirstScoring } from '../src/domain/qualification';
import { defaultRuleSet } from '../src/domain/rule-set';
import { scoreLead } from '../src/domain/scoring';
import { decisionEvents } from '../src/wire/decision-events.builder';
import { qualificationModel } from '../src/store/qualification.model';
import { firstQualificationDocument } from '../src/store/qualification.repository';

// The first decision writes its document as is (see insertPrepared): it must be what the schema would make of it.
describe('a first qualification as stored', () => {
  const model = qualificationModel(mongoose.createConnection());
  const at = new Date('2026-12-01T10:00:00Z');
  const claim = { token: 'token-1', until: new Date('2026-12-01T10:00:05Z') };

  it.each([
    ['qualified', testLead({ email: 'ana@acme.com', company: 'Acme', phone: '1', interest: 'CRM', priority: 'high', updatedAt: at })],
    ['nurturing', testLead({ email: 'ana@gmail.com', company: 'Acme', phone: '1', interest: 'CRM', priority: 'medium', updatedAt: at })],
    ['with few facts', testLead({ email: 'x@gmail.com', updatedAt: at })],
  ])('is stored as its schema would cast it, %s', (_name, lead) => {
    const qualification = fromFirstScoring(
      lead,
      Lead.encode(Lead.fromPartial({ id: lead.leadId, email: lead.email })).finish(),
      scoreLead(lead, defaultRuleSet, at),
    );
    const document = firstQualificationDocument(qualification, decisionEvents(qualification), claim);
    const { prepared, cast } = preparedAndCast(model, document);
    expect(prepared).toEqual(cast);
  });
});
