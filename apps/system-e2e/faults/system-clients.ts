import {
  DealServiceClient,
  LeadServiceClient,
  QualificationServiceClient,
  ReportingServiceClient,
  type Deal,
  type DealServiceService,
  type Funnel,
  type Lead,
  type LeadServiceService,
  type Qualification,
  type QualificationServiceService,
  type ReportingServiceService,
} from '@crm/contracts';
import { Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { promiseClient, type PromiseClient } from '@crm/testing';
import type { ServiceFleet } from './service-fleet';

const deadline = () => ({ deadline: Date.now() + 10_000 });

// gRPC clients of the first copy of each service (the addresses stay the same across restarts).
export class SystemClients {
  private readonly leads: PromiseClient<typeof LeadServiceService>;
  private readonly qualifications: PromiseClient<typeof QualificationServiceService>;
  private readonly deals: PromiseClient<typeof DealServiceService>;
  private readonly reporting: PromiseClient<typeof ReportingServiceService>;

  constructor(fleet: ServiceFleet, copy = 0) {
    this.leads = promiseClient(LeadServiceClient, fleet.copies['lead-intake'][copy].grpcAddress);
    this.qualifications = promiseClient(QualificationServiceClient, fleet.copies.qualification[copy].grpcAddress);
    this.deals = promiseClient(DealServiceClient, fleet.copies.deals[copy].grpcAddress);
    this.reporting = promiseClient(ReportingServiceClient, fleet.copies.reporting[copy].grpcAddress);
  }

  async lead(id: string): Promise<Lead | undefined> {
    return notFoundAsUndefined(this.leads.getLead({ id }, new Metadata(), deadline()).then((r) => r.lead));
  }

  async qualification(leadId: string): Promise<Qualification | undefined> {
    return notFoundAsUndefined(this.qualifications.getQualification({ leadId }, new Metadata(), deadline()).then((r) => r.qualification));
  }

  async dealsOf(leadId: string): Promise<Deal[]> {
    return (await this.deals.listDeals({ leadId }, new Metadata(), deadline())).deals;
  }

  async funnel(): Promise<Funnel | undefined> {
    return (await this.reporting.getFunnel({}, new Metadata(), deadline())).funnel;
  }

  close(): void {
    for (const client of [this.leads, this.qualifications, this.deals, this.reporting]) client.close();
  }
}

async function notFoundAsUndefined<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if ((err as ServiceError).code === GrpcStatus.NOT_FOUND) return undefined;
    throw err;
  }
}
