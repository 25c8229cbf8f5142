import { captureLead, noHints, type Lead, type LeadCapture } from './lead';

// A minimal valid capture for unit tests, overridable field by field.
export function aCapture(overrides: Partial<LeadCapture> = {}): LeadCapture {
  return {
    name: '',
    email: 'ana@acme.io',
    phone: '',
    company: '',
    jobTitle: '',
    interest: '',
    message: '',
    tags: [],
    priority: 'medium',
    source: {
      campaign: '',
      medium: '',
      referrer: '',
      landingPageUrl: '',
      utmSource: '',
      utmMedium: '',
      utmCampaign: '',
      utmTerm: '',
      utmContent: '',
    },
    consent: { given: false, givenAt: null, text: '' },
    hints: noHints,
    customAttributes: {},
    ...overrides,
  };
}

export function aLead(overrides: Partial<LeadCapture> = {}, at = new Date(Date.UTC(2026, 10, 28, 10, 0))): Lead {
  return captureLead('l1', aCapture(overrides), 'web-form', at, ['email:ana@acme.io']);
}
