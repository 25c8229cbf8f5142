export const leadStatuses = ['new', 'qualifying', 'nurturing', 'qualified', 'disqualified', 'converted'] as const;
export type LeadStatus = (typeof leadStatuses)[number];

export const leadPriorities = ['low', 'medium', 'high'] as const;
export type LeadPriority = (typeof leadPriorities)[number];

export const companySizes = ['1-10', '11-50', '51-200', '201-1000', '1000+'] as const;
export type CompanySize = (typeof companySizes)[number];

export const decisionRoles = ['decision-maker', 'influencer', 'user', 'other'] as const;
export type DecisionRole = (typeof decisionRoles)[number];

export const erasureReasons = ['subject-request', 'retention-expired', 'other'] as const;
export type ErasureReason = (typeof erasureReasons)[number];

// When, why and at whose request a lead's person was erased.
export interface LeadErasure {
  at: Date;
  reason: ErasureReason;
  by: string;
}

// Where a lead came from: the intake channel (named by its API key) and optional campaign data.
export interface LeadSource {
  channel: string;
  campaign: string;
  medium: string;
  referrer: string;
  landingPageUrl: string;
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  utmTerm: string;
  utmContent: string;
}

export interface MarketingConsent {
  given: boolean;
  givenAt: Date | null;
  // The exact text the contact was shown.
  text: string;
}

export interface Money {
  currency: string;
  // In the currency's minor unit (cents).
  amountMinor: number;
}

// Facts a channel may collect that help qualify the lead; null / '' when unknown.
export interface QualificationHints {
  budget: Money | null;
  timelineDays: number | null;
  companySize: CompanySize | '';
  decisionRole: DecisionRole | '';
}

export interface StatusChange {
  status: LeadStatus;
  changedAt: Date;
}

// One capture that reached the lead. `requestKey` is the channel's Idempotency-Key, so a replay is recognised.
export interface Touchpoint {
  channel: string;
  at: Date;
  message: string;
  interest: string;
  campaign: string;
  requestKey: string;
}

// A lead: an initial contact that showed interest through an intake channel, waiting to be qualified.
export interface Lead {
  id: string;
  status: LeadStatus;
  name: string;
  email: string;
  phone: string;
  company: string;
  jobTitle: string;
  interest: string;
  message: string;
  tags: string[];
  priority: LeadPriority;
  source: LeadSource;
  consent: MarketingConsent;
  hints: QualificationHints;
  customAttributes: Record<string, string>;
  dealId: string;
  // When the qualification decision in force was taken; older decisions arriving late are ignored.
  qualificationDecidedAt: Date | null;
  statusHistory: StatusChange[];
  touchpoints: Touchpoint[];
  // The identities (normalised e-mail, E.164 phone) that de-duplication claimed for this lead.
  identityKeys: string[];
  createdAt: Date;
  updatedAt: Date;
  // Who made the latest edit (the editing client's name); empty if never edited.
  updatedBy: string;
  // Set once the person was erased: the lead then keeps only facts that are not personal, and reads as gone.
  erasure: LeadErasure | null;
  version: number;
}

// What an intake channel sends, already validated and normalised (e-mail trimmed, phone in E.164).
export interface LeadCapture {
  name: string;
  email: string;
  phone: string;
  company: string;
  jobTitle: string;
  interest: string;
  message: string;
  tags: string[];
  priority: LeadPriority;
  source: Omit<LeadSource, 'channel'>;
  consent: MarketingConsent;
  hints: QualificationHints;
  customAttributes: Record<string, string>;
}

export const noHints: QualificationHints = { budget: null, timelineDays: null, companySize: '', decisionRole: '' };

// Consent a channel reports without its time was given at the capture.
export function consentAsOf(consent: MarketingConsent, now: Date): MarketingConsent {
  return consent.given ? { ...consent, givenAt: consent.givenAt ?? now } : { given: false, givenAt: null, text: consent.text };
}

export function touchpointOf(capture: LeadCapture, channel: string, at: Date, requestKey: string): Touchpoint {
  return { channel, at, message: capture.message, interest: capture.interest, campaign: capture.source.campaign, requestKey };
}

export function captureLead(
  id: string,
  capture: LeadCapture,
  channel: string,
  now: Date,
  identityKeys: string[] = [],
  requestKey = '',
): Lead {
  return {
    id,
    status: 'new',
    ...capture,
    source: { ...capture.source, channel },
    consent: consentAsOf(capture.consent, now),
    dealId: '',
    qualificationDecidedAt: null,
    statusHistory: [{ status: 'new', changedAt: now }],
    touchpoints: [touchpointOf(capture, channel, now, requestKey)],
    identityKeys,
    createdAt: now,
    updatedAt: now,
    updatedBy: '',
    erasure: null,
    version: 1,
  };
}

// A lead carries at most this many tags, however they come (capture, merge, patch).
export const maxTags = 20;

// Both lists' items, each once, in first-seen order.
export function unite(current: string[], more: string[]): string[] {
  return [...new Set([...current, ...more])];
}
