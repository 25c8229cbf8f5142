import { eraseLead, isPastRetention } from './lead-erasure';
import { aLead } from './lead.fixture';

describe('eraseLead', () => {
  const erasure = { at: new Date(Date.UTC(2026, 11, 1, 9, 0)), reason: 'subject-request' as const, by: 'ops' };
  const lead = {
    ...aLead({
      name: 'Ana Pérez',
      phone: '+34600000000',
      company: 'Acme',
      jobTitle: 'CTO',
      message: 'Phone me at noon',
      interest: 'CRM',
      tags: ['vip'],
      priority: 'high',
      customAttributes: { nickname: 'ana' },
      source: {
        campaign: 'spring',
        medium: 'cpc',
        referrer: 'https://x.example/?email=ana@acme.io',
        landingPageUrl: 'https://acme.example/?who=ana',
        utmSource: 'google',
        utmMedium: 'cpc',
        utmCampaign: 'spring',
        utmTerm: '',
        utmContent: '',
      },
      consent: { given: true, givenAt: null, text: 'I agree' },
    }),
    status: 'nurturing' as const,
  };

  it('empties everything that identifies or describes the person, and records the erasure', () => {
    const erased = eraseLead(lead, erasure)!;
    expect(erased).toMatchObject({
      name: '',
      email: '',
      phone: '',
      company: '',
      jobTitle: '',
      message: '',
      customAttributes: {},
      identityKeys: [],
      erasure,
      updatedAt: erasure.at,
      updatedBy: 'ops',
      version: lead.version + 1,
    });
    expect(erased.source).toMatchObject({ referrer: '', landingPageUrl: '' });
    expect(erased.touchpoints.map((t) => t.message)).toEqual(['']);
    expect(JSON.stringify(erased)).not.toMatch(/ana|Pérez|600000000|Acme|CTO|noon/i);
  });

  it('keeps the facts that are no one in particular, so the lead still counts', () => {
    const erased = eraseLead(lead, erasure)!;
    expect(erased).toMatchObject({
      id: lead.id,
      status: 'nurturing',
      statusHistory: lead.statusHistory,
      interest: 'CRM',
      tags: ['vip'],
      priority: 'high',
      createdAt: lead.createdAt,
      hints: lead.hints,
      consent: lead.consent,
    });
    expect(erased.source).toMatchObject({ channel: 'web-form', campaign: 'spring', utmSource: 'google' });
    expect(erased.touchpoints[0]).toMatchObject({ channel: 'web-form', at: lead.createdAt });
  });

  it('changes nothing on a lead erased already', () => {
    const erased = eraseLead(lead, erasure)!;
    expect(eraseLead(erased, { ...erasure, at: new Date(), reason: 'other' })).toBeUndefined();
  });
});

describe('isPastRetention', () => {
  const now = new Date(Date.UTC(2026, 11, 31, 12, 0));
  const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 3600 * 1000);
  const lead = (status: 'new' | 'nurturing' | 'disqualified' | 'qualified' | 'converted', lastTouch: number) => {
    const base = aLead({}, daysAgo(100));
    return { ...base, status, touchpoints: [...base.touchpoints, { ...base.touchpoints[0], at: daysAgo(lastTouch) }] };
  };

  it('holds for a lead that never qualified, from its last touchpoint on', () => {
    expect(isPastRetention(lead('nurturing', 30), 30, now)).toBe(true);
    expect(isPastRetention(lead('disqualified', 31), 30, now)).toBe(true);
    expect(isPastRetention(lead('new', 29), 30, now)).toBe(false);
  });

  it('never holds for a qualified, converted or erased lead', () => {
    expect(isPastRetention(lead('qualified', 90), 30, now)).toBe(false);
    expect(isPastRetention(lead('converted', 90), 30, now)).toBe(false);
    const erased = eraseLead(lead('nurturing', 90), { at: now, reason: 'other', by: 'ops' })!;
    expect(isPastRetention(erased, 30, now)).toBe(false);
  });
});
