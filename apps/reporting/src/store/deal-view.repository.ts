import type { Model } from 'mongoose';
import { applyDealSnapshot, emptyDealView, type DealSnapshot, type DealView } from '../domain/deal-view';
import type { BucketFigures } from '../domain/figures';
import { pipelineBucketId, pipelineContribution, type PipelineBucket } from '../domain/pipeline-report';
import type { DealViewDocument } from './deal-view.model';
import { pipelineFiguresModel } from './figure-bucket.model';
import { FigureBuckets } from './figure-buckets.repository';
import { VersionedDocuments } from './versioned-documents';

// The deal views, and the pipeline figures (per pipeline and deal source) kept from them as they change.
export class DealViewRepository {
  readonly documents: VersionedDocuments<DealView>;
  private readonly figures: FigureBuckets<PipelineBucket>;

  constructor(model: Model<DealViewDocument>) {
    this.figures = new FigureBuckets<PipelineBucket>(pipelineFiguresModel(model.db), pipelineBucketId);
    this.documents = new VersionedDocuments<DealView>(model, 'dealId', emptyDealView, [
      { name: 'pipeline', contributionOf: (deal) => [pipelineContribution(deal)], buckets: this.figures },
    ]);
  }

  apply(snapshot: DealSnapshot): Promise<void> {
    return this.documents.apply(snapshot.dealId, (current) => applyDealSnapshot(current, snapshot));
  }

  // The figures of one pipeline, one bucket per deal source.
  pipelineFigures(pipelineId: string): Promise<BucketFigures<PipelineBucket>[]> {
    return this.figures.find({ 'bucket.pipelineId': pipelineId });
  }

  removeAll(): Promise<void> {
    return this.documents.removeAll();
  }
}
