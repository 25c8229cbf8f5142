import { aCapture, aLead } from './lead.fixture';
import { maxCustomAttributes, maxTouchpoints, mergeCapture, touchpointOfRequest } from './lead-merge';

const later = new Date(Date.UTC(2026, 10, 29, 9, 0));

describe('merging a capture into the lead of the same person', () => {
  const older = aLead({ name: 'Ana Pérez', company: 'Acme', interest: 'CRM', message: 'first', tags: ['demo'], priority: 'high' });

  it('keeps what the lead holds, fills what it lacks, unites tags and adds a touchpoint', () => {
    const { lead, changedFields } = mergeCapture(
      older,
      aCapture({
        name: 'A. P.',
        company: 'Other',
        phone: '+34600000000',
        jobTitle: 'CTO',
        interest: 'ERP',
        message: 'second',
        tags: ['demo', 'webinar'],
        priority: 'low',
      }),
      'facebook',
      later,
      '',
      ['phone:+34600000000'],
    );
    expect(lead).toMatchObject({
      name: 'Ana Pérez',
      company: 'Acme',
      interest: 'CRM',
      message: 'first',
      priority: 'high',
      phone: '+34600000000',
      jobTitle: 'CTO',
    });
    expect(lead.source.channel).toBe('web-form');
    expect(lead.tags).toEqual(['demo', 'webinar']);
    expect(lead.touchpoints.map((t) => [t.channel, t.message, t.interest])).toEqual([
      ['web-form', 'first', 'CRM'],
      ['facebook', 'second', 'ERP'],
    ]);
    expect(lead.identityKeys).toEqual(['email:ana@acme.io', 'phone:+34600000000']);
    expect(lead).toMatchObject({ version: 2, updatedAt: later, createdAt: older.createdAt, status: 'new' });
    expect(changedFields.sort()).toEqual(['job_title', 'phone', 'tags', 'touchpoints']);
  });

  it('changes only the touchpoints when the capture adds nothing new', () => {
    expect(mergeCapture(older, aCapture({ tags: ['demo'] }), 'web-form', later, '', []).changedFields).toEqual(['touchpoints']);
  });

  it('takes consent given later, and keeps consent given before', () => {
    const consenting = aCapture({ consent: { given: true, givenAt: null, text: 'Acepto' } });
    expect(mergeCapture(older, consenting, 'web-form', later, '', []).lead.consent).toEqual({
      given: true,
      givenAt: later,
      text: 'Acepto',
    });
    const given = mergeCapture(older, consenting, 'web-form', later, '', []).lead;
    expect(mergeCapture(given, aCapture(), 'web-form', new Date(), '', []).lead.consent).toEqual(given.consent);
  });

  it('fills unknown hints and new custom attributes without overwriting known ones, up to the bound', () => {
    const known = aLead({ hints: { budget: null, timelineDays: 30, companySize: '', decisionRole: '' }, customAttributes: { a: '1' } });
    const { lead, changedFields } = mergeCapture(
      known,
      aCapture({
        hints: { budget: { currency: 'EUR', amountMinor: 100 }, timelineDays: 90, companySize: '11-50', decisionRole: 'user' },
        customAttributes: { a: '2', b: '3' },
      }),
      'web-form',
      later,
      '',
      [],
    );
    expect(lead.hints).toEqual({
      budget: { currency: 'EUR', amountMinor: 100 },
      timelineDays: 30,
      companySize: '11-50',
      decisionRole: 'user',
    });
    expect(lead.customAttributes).toEqual({ a: '1', b: '3' });
    expect(changedFields).toEqual(expect.arrayContaining(['hints', 'custom_attributes']));

    const full = aLead({ customAttributes: Object.fromEntries(Array.from({ length: maxCustomAttributes }, (_, i) => [`k${i}`, 'v'])) });
    expect(
      Object.keys(mergeCapture(full, aCapture({ customAttributes: { extra: 'x' } }), 'web-form', later, '', []).lead.customAttributes),
    ).toHaveLength(maxCustomAttributes);
  });

  it('treats attribute names like Object members as plain names', () => {
    const { lead } = mergeCapture(older, aCapture({ customAttributes: { constructor: 'x', toString: 'y' } }), 'web-form', later, '', []);
    expect(lead.customAttributes).toEqual({ constructor: 'x', toString: 'y' });
  });

  it('bounds the touchpoints, keeping the first and the most recent', () => {
    let lead = older;
    for (let i = 1; i <= maxTouchpoints + 5; i++) lead = mergeCapture(lead, aCapture({ message: `m${i}` }), 'web-form', later, '', []).lead;
    expect(lead.touchpoints).toHaveLength(maxTouchpoints);
    expect(lead.touchpoints[0].message).toBe('first');
    expect(lead.touchpoints.at(-1)?.message).toBe(`m${maxTouchpoints + 5}`);
    expect(lead.touchpoints[1].message).toBe('m7');
  });

  it('recognises the touchpoint of an earlier request by its Idempotency-Key, and never an empty key', () => {
    const merged = mergeCapture(older, aCapture(), 'web-form', later, 'web-form:k1', []).lead;
    expect(touchpointOfRequest(merged, 'web-form:k1')?.at).toEqual(later);
    expect(touchpointOfRequest(merged, 'web-form:k2')).toBeUndefined();
    expect(touchpointOfRequest(merged, '')).toBeUndefined();
  });
});
