import type { LeadPriority, LeadStatus } from './lead';

// Which leads a list asks for, in what order: what the HTTP query and ListLeads both come down to.
export interface LeadFilter {
  source?: string;
  tags?: string[];
  tagMatch?: 'any' | 'all';
  priority?: LeadPriority;
  status?: LeadStatus;
  createdFrom?: Date;
  createdTo?: Date;
  // Case-insensitive text within name, email or company.
  query?: string;
  sort?: 'createdAt' | '-createdAt';
}
