export const leadStatuses = ['new', 'qualifying', 'nurturing', 'qualified', 'disqualified', 'converted'] as const;
export type LeadStatus = (typeof leadStatuses)[number];

export const leadPriorities = ['low', 'medium', 'high'] as const;
export type LeadPriority = (typeof leadPriorities)[number];

export interface LeadSource {
  channel: string;
  campaign: string;
  medium: string;
  referrer: string;
  landingPageUrl: string;
}

// A lead: an initial contact that showed interest through an intake channel, waiting to be qualified.
export interface Lead {
  id: string;
  status: LeadStatus;
  name: string;
  email: string;
  phone: string;
  company: string;
  interest: string;
  message: string;
  tags: string[];
  priority: LeadPriority;
  source: LeadSource;
  dealId: string;
  // When the qualification decision in force was taken; older decisions arriving late are ignored.
  qualificationDecidedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

// What an intake channel sends, already validated.
export interface LeadCapture {
  name: string;
  email: string;
  phone: string;
  company: string;
  interest: string;
  message: string;
  tags: string[];
  priority: LeadPriority;
  source: Omit<LeadSource, 'channel'>;
}

export function captureLead(id: string, capture: LeadCapture, channel: string, now: Date): Lead {
  return {
    id,
    status: 'new',
    ...capture,
    source: { ...capture.source, channel },
    dealId: '',
    qualificationDecidedAt: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}
