import {
  DealServiceClient,
  LeadServiceClient,
  ListDealsRequest,
  QualificationServiceClient,
  ReportingServiceClient,
  type Deal,
  type Funnel,
  type Lead,
  type Qualification,
} from '@crm/contracts';
import { Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { asCaller, insecure, unaryCall } from '@crm/testing';
import type { ServiceFleet } from './service-fleet';

const deadline = () => ({ deadline: Date.now() + 10_000 });

// gRPC clients of the first copy of each service (the addresses stay the same across restarts).
export class SystemClients {
  private readonly leads: LeadServiceClient;
  private readonly qualifications: QualificationServiceClient;
  private readonly deals: DealServiceClient;
  private readonly reporting: ReportingServiceClient;

  constructor(fleet: ServiceFleet, copy = 0) {
    this.leads = new LeadServiceClient(fleet.copies['lead-intake'][copy].grpcAddress, insecure(), asCaller());
    this.qualifications = new QualificationServiceClient(fleet.copies.qualification[copy].grpcAddress, insecure(), asCaller());
    this.deals = new DealServiceClient(fleet.copies.deals[copy].grpcAddress, insecure(), asCaller());
    this.reporting = new ReportingServiceClient(fleet.copies.reporting[copy].grpcAddress, insecure(), asCaller());
  }

  async lead(id: string): Promise<Lead | undefined> {
    return notFoundAsUndefined(
      unaryCall<{ lead?: Lead }>((done) => this.leads.getLead({ id }, new Metadata(), deadline(), done)).then((r) => r.lead),
    );
  }

  async qualification(leadId: string): Promise<Qualification | undefined> {
    return notFoundAsUndefined(
      unaryCall<{ qualification?: Qualification }>((done) =>
        this.qualifications.getQualification({ leadId }, new Metadata(), deadline(), done),
      ).then((r) => r.qualification),
    );
  }

  async dealsOf(leadId: string): Promise<Deal[]> {
    const response = await unaryCall<{ deals: Deal[] }>((done) =>
      this.deals.listDeals(ListDealsRequest.fromPartial({ leadId }), new Metadata(), deadline(), done),
    );
    return response.deals;
  }

  async funnel(): Promise<Funnel | undefined> {
    const response = await unaryCall<{ funnel?: Funnel }>((done) =>
      this.reporting.getFunnel({ from: undefined, to: undefined, source: '' }, new Metadata(), deadline(), done),
    );
    return response.funnel;
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
