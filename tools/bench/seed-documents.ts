import { randomUUID } from 'node:crypto';
import { decodeEvent, type EventType } from '@crm/contracts';
import type { OutgoingEvent, ReceivedEvent } from '@crm/messaging';
import { identityKeysOf } from '../../apps/lead-intake/src/domain/contact-identity';
import { captureLead, noHints, type Lead, type LeadCapture } from '../../apps/lead-intake/src/domain/lead';
import { applyQualificationDecision, markConverted } from '../../apps/lead-intake/src/domain/lead-status';
import { leadCaptured } from '../../apps/lead-intake/src/wire/lead-events.builder';
import { fromFirstScoring } from '../../apps/qualification/src/domain/qualification';
import { defaultRuleSet } from '../../apps/qualification/src/domain/rule-set';
import { scoreLead } from '../../apps/qualification/src/domain/scoring';
import { decisionEvents } from '../../apps/qualification/src/wire/decision-events.builder';
import { leadSnapshotFrom } from '../../apps/qualification/src/messaging/lead-snapshot.mapper';
import { openDeal, roundRobinOwner } from '../../apps/deals/src/domain/open-deal';
import { defaultPipelineId, defaultSalesPipeline, type Pipeline } from '../../apps/deals/src/domain/pipeline';
import { dealOpened } from '../../apps/deals/src/wire/deal-events.builder';
import { applyDealSnapshot, emptyDealView } from '../../apps/reporting/src/domain/deal-view';
import { cohortContribution, type CohortBucket } from '../../apps/reporting/src/domain/cohort-figures';
import { cycleContribution, type CycleBucket } from '../../apps/reporting/src/domain/cycle-figures';
import type { BucketFigures } from '../../apps/reporting/src/domain/figures';
import { applyDealToJourney, applyFunnelEvent, emptyJourney } from '../../apps/reporting/src/domain/lead-journey';
import { pipelineContribution, type PipelineBucket } from '../../apps/reporting/src/domain/pipeline-report';
import { toDealSnapshot } from '../../apps/reporting/src/wire/deal-snapshot.mapper';
import { toFunnelEvent } from '../../apps/reporting/src/wire/funnel-events.mapper';
import { seededPhone } from './bench-leads';

// The stored state of one lead after the headline flow ran for it, built with the services' own domain code and
// event builders, so the seeded documents have exactly the shapes (and events) the services would have written:
// three of four leads qualify and get their deal (the lead converted), one in four is disqualified.
export interface SeedDocuments {
  lead: Record<string, unknown>;
  identities: Record<string, unknown>[];
  qualification: Record<string, unknown>;
  deal?: Record<string, unknown>;
  events: Record<string, unknown>[];
  journey: Record<string, unknown>;
  dealView?: Record<string, unknown>;
  // What the lead and its deal add to reporting's figure buckets.
  figures: { cohort: BucketFigures<CohortBucket>; cycle: BucketFigures<CycleBucket>; pipeline?: BucketFigures<PipelineBucket> };
}

const channels = ['web-form', 'facebook', 'landing-page'];
const noOutbox = { outbox: [], outboxPending: false, outboxClaimedUntil: null, outboxClaimToken: null };

export const seedPipeline = (at: Date): Pipeline => ({
  id: defaultPipelineId,
  ...defaultSalesPipeline,
  isDefault: true,
  version: 1,
  createdBy: 'system',
  updatedBy: 'system',
  createdAt: at,
  updatedAt: at,
});

function capture(tag: string, i: number, qualifies: boolean): LeadCapture {
  const blank = {
    campaign: '',
    medium: '',
    referrer: '',
    landingPageUrl: '',
    utmSource: '',
    utmMedium: '',
    utmCampaign: '',
    utmTerm: '',
    utmContent: '',
  };
  return {
    name: `Seeded Lead ${i}`,
    email: qualifies ? `seed-${tag}-${i}@borealis-tech.io` : `seed-${tag}-${i}@gmail.com`,
    phone: qualifies ? seededPhone(i) : '',
    company: qualifies ? 'Borealis Tech' : '',
    jobTitle: '',
    interest: qualifies ? 'ERP' : '',
    message: '',
    tags: [],
    priority: qualifies ? 'high' : 'low',
    source: blank,
    consent: { given: false, givenAt: null, text: '' },
    hints: noHints,
    customAttributes: {},
  };
}

function received(event: OutgoingEvent, producer: string): ReceivedEvent<EventType> {
  const type = event.type;
  return {
    id: event.id,
    type,
    payload: decodeEvent(type, event.body),
    occurredAt: event.occurredAt,
    producer,
    deliveryCount: 0,
    body: event.body,
  };
}

function stored({ id, ...state }: Lead): Record<string, unknown> {
  return { _id: id, ...state, ...noOutbox };
}

export function seedDocuments(tag: string, i: number, capturedAt: Date, pipeline: Pipeline): SeedDocuments {
  const qualifies = i % 4 !== 3;
  const channel = channels[i % channels.length];
  const later = (seconds: number) => new Date(capturedAt.getTime() + seconds * 1000);
  const keys = identityKeysOf(capture(tag, i, qualifies));
  const captured = captureLead(randomUUID(), capture(tag, i, qualifies), channel, capturedAt, keys);
  const capturedEvent = leadCaptured(captured);
  const protoLead = decodeEvent('lead.captured', capturedEvent.body).lead;
  if (!protoLead) throw new Error('lead.captured without its lead');

  const snapshot = leadSnapshotFrom(protoLead, capturedAt);
  const qualification = fromFirstScoring(snapshot.facts, snapshot.encoded, scoreLead(snapshot.facts, defaultRuleSet, later(2)));
  const [decisionEvent] = decisionEvents(qualification);
  let lead = applyQualificationDecision(captured, qualification.decision, qualification.decidedAt, later(3)) ?? captured;
  const events: Array<[OutgoingEvent, string]> = [
    [capturedEvent, 'lead-intake'],
    [decisionEvent, 'qualification'],
  ];

  let deal: SeedDocuments['deal'];
  let pipelineFigures: SeedDocuments['figures']['pipeline'];
  let dealView: SeedDocuments['dealView'];
  if (qualification.decision === 'qualified') {
    const opened = openDeal(
      randomUUID(),
      { leadId: lead.id, name: lead.name, company: lead.company, interest: lead.interest, sourceChannel: channel },
      { pipelineId: pipeline.id, pipeline, assignment: roundRobinOwner([], 0), openedBy: 'system' },
      { currency: 'EUR', valueByInterest: {} },
      later(4),
    );
    const openedEvent = dealOpened(opened, pipeline);
    events.push([openedEvent, 'deals']);
    lead = markConverted(lead, opened.id, later(5)) ?? lead;
    const { id: dealId, ...dealState } = opened;
    deal = { _id: dealId, ...dealState, activities: [], ...noOutbox };
    const view = applyDealSnapshot(emptyDealView(dealId), toDealSnapshot(received(openedEvent, 'deals'))!)!;
    pipelineFigures = pipelineContribution(view);
    const { dealId: _dealId, ...viewState } = view;
    dealView = { _id: dealId, ...viewState, version: 1 };
  }

  // The journey as the projection folds these events (a deal event's snapshot too), one version per change.
  let journey = emptyJourney(lead.id);
  let version = 0;
  for (const [event, producer] of events) {
    const message = received(event, producer);
    const afterEvent = applyFunnelEvent(journey, toFunnelEvent(message)!) ?? journey;
    const snapshot = toDealSnapshot(message);
    const next = (snapshot && applyDealToJourney(afterEvent, snapshot)) ?? afterEvent;
    if (next !== journey) {
      journey = next;
      version++;
    }
  }
  const { leadId: _leadId, ...journeyState } = journey;
  const { leadId: _qLeadId, ...qualificationState } = qualification;

  return {
    lead: stored(lead),
    identities: keys.map((key) => ({ _id: key, leadId: lead.id, claimedAt: capturedAt })),
    qualification: { _id: lead.id, ...qualificationState, snapshot: Buffer.from(qualification.snapshot), ...noOutbox },
    deal,
    events: events.map(([e, producer]) => ({
      _id: e.id,
      type: e.type,
      occurredAt: e.occurredAt,
      producer,
      body: e.body,
      loggedAt: e.occurredAt,
    })),
    journey: { _id: lead.id, ...journeyState, version },
    dealView,
    figures: { cohort: cohortContribution(journey), cycle: cycleContribution(journey), pipeline: pipelineFigures },
  };
}
