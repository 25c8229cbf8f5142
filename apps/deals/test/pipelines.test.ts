import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import type { PipelineStage } from '@crm/contracts';
import { withReason } from '@crm/testing';
import { DealsUnderTest } from './support/deals-harness';

const stage = (id: string, probability: number, rottingDays = 7): PipelineStage => ({
  id,
  labelEs: `${id} (es)`,
  labelEn: id,
  probability,
  rottingDays,
});

describe('pipelines over gRPC', () => {
  let deals: DealsUnderTest;

  beforeAll(async () => {
    deals = await DealsUnderTest.start();
  });

  afterAll(() => deals.stop());

  it('ships the default sales pipeline, seeded once however often copies start', async () => {
    // Without a pipeline cache, so that the deals this copy opens in later tests follow pipelines created just before.
    await deals.startCopy({ env: { PIPELINE_CACHE_MS: '0' } });
    const { pipelines } = await deals.api.listPipelines();
    expect(pipelines.filter((p) => p.isDefault)).toHaveLength(1);
    const sales = pipelines.find((p) => p.id === 'sales');
    expect(sales?.stages.map((s) => [s.id, s.labelEs, s.labelEn, s.probability])).toEqual([
      ['qualified', 'Calificado', 'Qualified', 10],
      ['contacted', 'Contactado', 'Contacted', 20],
      ['proposal_sent', 'Propuesta enviada', 'Proposal sent', 50],
      ['negotiation', 'Negociación', 'Negotiation', 75],
    ]);
    expect(sales).toMatchObject({ cycleDays: 30, version: '1' });
  });

  it('creates a pipeline that takes leads by interest or source, and opens their deals in it', async () => {
    const { pipeline } = await deals.api.createPipeline({
      id: 'partners',
      name: 'Socios / Partners',
      stages: [stage('intro', 15, 3), stage('pilot', 60, 10)],
      cycleDays: 90,
      interests: ['Partnership'],
      sourceChannels: ['Referral'],
    });
    expect(pipeline).toMatchObject({
      id: 'partners',
      isDefault: false,
      interests: ['partnership'],
      sourceChannels: ['referral'],
      version: '1',
    });
    expect((await deals.api.getPipeline({ id: 'partners' })).pipeline?.name).toBe('Socios / Partners');

    const byInterest = await deals.openedDeal({ interest: 'partnership' });
    expect(byInterest).toMatchObject({ pipelineId: 'partners', stage: 'intro', stageProbability: 15 });
    const bySource = await deals.openedDeal({
      source: {
        channel: 'referral',
        campaign: '',
        medium: '',
        referrer: '',
        landingPageUrl: '',
        utmSource: '',
        utmMedium: '',
        utmCampaign: '',
        utmTerm: '',
        utmContent: '',
      },
    });
    expect(bySource.pipelineId).toBe('partners');
    const other = await deals.openedDeal({ interest: 'CRM' });
    expect(other.pipelineId).toBe('sales');
    const expectedClose = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 90));
    expect(byInterest.expectedCloseDate).toBe(expectedClose.toISOString().slice(0, 10));

    await expect(deals.api.moveDealStage({ dealId: byInterest.id, stage: 'negotiation' })).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
    });
    expect((await deals.api.moveDealStage({ dealId: byInterest.id, stage: 'pilot' })).deal?.stageProbability).toBe(60);
  });

  it('refuses invalid pipelines, naming each problem, and duplicate ids', async () => {
    const invalid = deals.api.createPipeline({ name: '', stages: [stage('a', 120), stage('a', 5)], cycleDays: 0 });
    await expect(invalid).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, metadata: withReason('PIPELINE_INVALID') });
    const err = (await invalid.catch((e: unknown) => e)) as ServiceError;
    const violations = err.metadata.get('field-violation').join(', ');
    for (const named of ['name: ', 'stages[0].probability: ', 'stages[1].id: "a" is used by another stage', 'cycle_days: ']) {
      expect(violations).toContain(named);
    }
    await expect(deals.api.createPipeline({ name: 'No stages', stages: [], cycleDays: 10 })).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
    });
    await expect(deals.api.createPipeline({ id: 'sales', name: 'Again', stages: [stage('a', 5)], cycleDays: 10 })).rejects.toMatchObject({
      code: GrpcStatus.ALREADY_EXISTS,
      metadata: withReason('PIPELINE_EXISTS'),
    });
    await expect(deals.api.getPipeline({ id: 'nope' })).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      metadata: withReason('PIPELINE_NOT_FOUND'),
    });
  });

  it('updates a pipeline with versioning, and refuses to orphan open deals in a removed stage', async () => {
    const { pipeline } = await deals.api.createPipeline({
      name: 'Events',
      stages: [stage('met', 10), stage('demo', 40)],
      cycleDays: 20,
      sourceChannels: ['trade-fair'],
    });
    const id = pipeline!.id;
    const deal = await deals.openedDeal({
      source: {
        channel: 'trade-fair',
        campaign: '',
        medium: '',
        referrer: '',
        landingPageUrl: '',
        utmSource: '',
        utmMedium: '',
        utmCampaign: '',
        utmTerm: '',
        utmContent: '',
      },
    });
    expect(deal.pipelineId).toBe(id);
    await deals.api.moveDealStage({ dealId: deal.id, stage: 'demo' });

    const withoutDemo = {
      id,
      name: 'Events',
      stages: [stage('met', 10), stage('signed', 90)],
      cycleDays: 20,
      sourceChannels: ['trade-fair'],
    };
    await expect(deals.api.updatePipeline({ ...withoutDemo, expectedVersion: '1' })).rejects.toMatchObject({
      code: GrpcStatus.FAILED_PRECONDITION,
      metadata: withReason('STAGE_IN_USE'),
      details: expect.stringContaining('demo'),
    });
    expect((await deals.api.getPipeline({ id })).pipeline?.version).toBe('1');

    const renamed = await deals.api.updatePipeline({
      ...withoutDemo,
      stages: [stage('met', 10), stage('demo', 45), stage('signed', 90)],
      expectedVersion: '1',
    });
    expect(renamed.pipeline).toMatchObject({ version: '2', stages: [{ id: 'met' }, { id: 'demo', probability: 45 }, { id: 'signed' }] });
    expect((await deals.api.getDeal({ id: deal.id })).deal?.stageProbability).toBe(45);
    await expect(deals.api.updatePipeline({ ...withoutDemo, expectedVersion: '1' })).rejects.toMatchObject({
      code: GrpcStatus.ABORTED,
      metadata: withReason('VERSION_MISMATCH'),
    });

    await deals.api.loseDeal({ dealId: deal.id, reason: 'no-budget' });
    const trimmed = await deals.api.updatePipeline({ ...withoutDemo, expectedVersion: '2' });
    expect(trimmed.pipeline?.stages.map((s) => s.id)).toEqual(['met', 'signed']);
    await expect(deals.api.updatePipeline({ id: 'nope', name: 'x', stages: [stage('a', 1)], cycleDays: 1 })).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
    });
  });

  it('caches pipelines per copy: its own changes show at once, another copy sees them once its cache expires', async () => {
    const { api: cached } = await deals.startCopy({ env: { PIPELINE_CACHE_MS: '60000' } });
    await cached.listPipelines();
    await deals.api.createPipeline({ id: 'cached', name: 'Cached', stages: [stage('met', 10)], cycleDays: 20, interests: ['caching'] });
    // A pipeline another copy created is found by id at once, even with a young cache.
    expect((await cached.getPipeline({ id: 'cached' })).pipeline?.version).toBe('1');
    const deal = await deals.openedDeal({ interest: 'caching' });

    await deals.api.updatePipeline({
      id: 'cached',
      name: 'Cached',
      stages: [stage('met', 10), stage('signed', 90)],
      cycleDays: 20,
      interests: ['caching'],
      expectedVersion: '1',
    });
    expect((await deals.api.getPipeline({ id: 'cached' })).pipeline?.version).toBe('2');
    expect((await deals.api.moveDealStage({ dealId: deal.id, stage: 'signed' })).deal?.stageProbability).toBe(90);
    // The copy answers from what it read, for as long as its cache lasts.
    expect((await cached.getPipeline({ id: 'cached' })).pipeline?.version).toBe('1');
    await expect(cached.getPipeline({ id: 'nope' })).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
  });
});
