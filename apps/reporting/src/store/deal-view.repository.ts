import type { Model } from 'mongoose';
import { applyDealSnapshot, emptyDealView, type DealSnapshot, type DealView } from '../domain/deal-view';
import type { DealViewDocument } from './deal-view.model';
import { VersionedDocuments } from './versioned-documents';

export class DealViewRepository {
  private readonly documents: VersionedDocuments<DealView>;

  constructor(private readonly model: Model<DealViewDocument>) {
    this.documents = new VersionedDocuments<DealView>(model, 'dealId', emptyDealView);
  }

  apply(snapshot: DealSnapshot): Promise<void> {
    return this.documents.apply(snapshot.dealId, (current) => applyDealSnapshot(current, snapshot));
  }

  // The deals of one source and pipeline when given, and of the given leads only when `leadIds` is set.
  find(filter: { source?: string; pipelineId?: string; leadIds?: string[] }): Promise<DealView[]> {
    return this.documents.find({
      ...(filter.source ? { source: filter.source } : {}),
      ...(filter.pipelineId ? { pipelineId: filter.pipelineId } : {}),
      ...(filter.leadIds ? { leadId: { $in: filter.leadIds } } : {}),
    });
  }

  async hasPipeline(pipelineId: string): Promise<boolean> {
    return (await this.model.exists({ pipelineId })) !== null;
  }

  removeAll(): Promise<void> {
    return this.documents.removeAll();
  }
}
