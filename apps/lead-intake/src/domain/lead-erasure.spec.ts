import { eraseLead } from './lead-erasure';
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
