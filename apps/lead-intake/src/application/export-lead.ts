import type { DealRecord, Qualification } from '@crm/contracts';
import type { Lead } from '../domain/lead';
import type { LeadIntake } from './lead-intake';

// What the other services hold about a lead, asked of them (over gRPC) for an export. Each answers as its own
// contract says; lead-intake passes their records on without a model of its own.
export interface PersonRecords {
  // Undefined while qualification has not scored the lead.
  qualificationOf(leadId: string): Promise<Qualification | undefined>;
  // The lead's deals, each with its activities.
  dealsOf(leadId: string): Promise<DealRecord[]>;
}

export interface LeadExport {
  exportedAt: Date;
  lead: Lead;
  qualification: Qualification | undefined;
  deals: DealRecord[];
}

// A person's right of access: everything the four services hold about them, in one answer. Reporting holds no
// personal data (its event log is kept without it), so it has nothing to add. An erased lead is gone (410).
export class ExportLead {
  constructor(
    private readonly intake: LeadIntake,
    private readonly records: PersonRecords,
    private readonly now: () => Date,
  ) {}

  async export(leadId: string): Promise<LeadExport> {
    const exportedAt = this.now();
    const lead = await this.intake.get(leadId);
    const [qualification, deals] = await Promise.all([this.records.qualificationOf(lead.id), this.records.dealsOf(lead.id)]);
    return { exportedAt, lead, qualification, deals };
  }
}
