export type Priority = 'low' | 'medium' | 'high';
export type DecisionRole = 'decision-maker' | 'influencer' | 'user' | 'other';

export interface Money {
  // ISO 4217, e.g. "EUR".
  currency: string;
  amountMinor: number;
}

// What qualification knows of a lead: the snapshot carried by lead-intake's events, reduced to what rules look at.
export interface LeadFacts {
  leadId: string;
  name: string;
  email: string;
  phone: string;
  company: string;
  interest: string;
  message: string;
  jobTitle: string;
  tags: string[];
  priority: Priority | '';
  sourceChannel: string;
  consentGiven: boolean;
  // The budget the contact stated; null when unknown.
  budget: Money | null;
  // Days until the contact means to buy; 0 when unknown.
  timelineDays: number;
  decisionRole: DecisionRole | '';
  touchpoints: number;
  // When lead-intake last changed the lead: a snapshot older than the one stored is ignored.
  updatedAt: Date;
}
