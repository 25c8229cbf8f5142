// What qualification knows of a lead: the snapshot carried by lead-intake's events.
export interface LeadFacts {
  leadId: string;
  name: string;
  email: string;
  phone: string;
  company: string;
  interest: string;
  message: string;
  tags: string[];
  priority: 'low' | 'medium' | 'high' | '';
  sourceChannel: string;
}
