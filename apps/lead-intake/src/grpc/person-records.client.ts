import {
  DealServiceClient,
  ListDealsRequest,
  QualificationServiceClient,
  type DealRecord,
  type GetQualificationResponse,
  type ListActivitiesResponse,
  type ListDealsResponse,
  type Qualification,
} from '@crm/contracts';
import type { GrpcPeer } from '@crm/config';
import { callPeer, peerClient } from '@crm/service-runtime';
import type { PersonRecords } from '../application/export-lead';

// What qualification and deals hold about a lead, read over their gRPC APIs (with the read scope).
export class PersonRecordsClient implements PersonRecords {
  private readonly qualification: QualificationServiceClient;
  private readonly deals: DealServiceClient;

  constructor(
    private readonly qualificationPeer: GrpcPeer,
    private readonly dealsPeer: GrpcPeer,
  ) {
    this.qualification = peerClient(QualificationServiceClient, qualificationPeer);
    this.deals = peerClient(DealServiceClient, dealsPeer);
  }

  async qualificationOf(leadId: string): Promise<Qualification | undefined> {
    const response = await callPeer<GetQualificationResponse>(
      this.qualificationPeer,
      'crm.v1.QualificationService/GetQualification',
      (metadata, options, done) => this.qualification.getQualification({ leadId }, metadata, options, done),
    );
    return response?.qualification;
  }

  async dealsOf(leadId: string): Promise<DealRecord[]> {
    const listed = await callPeer<ListDealsResponse>(this.dealsPeer, 'crm.v1.DealService/ListDeals', (metadata, options, done) =>
      this.deals.listDeals(ListDealsRequest.fromPartial({ leadId, pageSize: 100 }), metadata, options, done),
    );
    return Promise.all(
      (listed?.deals ?? []).map(async (deal) => {
        const activities = await callPeer<ListActivitiesResponse>(
          this.dealsPeer,
          'crm.v1.DealService/ListActivities',
          (metadata, options, done) => this.deals.listActivities({ dealId: deal.id }, metadata, options, done),
        );
        return { deal, activities: activities?.activities ?? [] };
      }),
    );
  }

  close(): void {
    this.qualification.close();
    this.deals.close();
  }
}
