import mongoose from 'mongoose';
import { encodeEvent, type EventType } from '@crm/contracts';
import type { ReceivedEvent } from '@crm/messaging';
import { preparedAndCast } from '@crm/testing';
import { DealStory } from './support/deal-story';
import { funnelEvents, type ContractEvent } from './support/funnel-events';
import { applyDealSnapshot, emptyDealView } from '../src/domain/deal-view';
import { applyDealToJourney, applyFunnelEvent, emptyJourney, type LeadJourney } from '../src/domain/lead-journey';
import { toDealSnapshot } from '../src/wire/deal-snapshot.mapper';
import { toFunnelEvent } from '../src/wire/funnel-events.mapper';
import { dealViewModel } from '../src/store/deal-view.model';
import { DealViewRepository } from '../src/store/deal-view.repository';
import { loggedEventModel } from '../src/store/event-log.model';
import { loggedEventDocument } from '../src/store/event-log.repository';
import { leadJourneyModel } from '../src/store/lead-journey.model';
import { LeadJourneyRepository } from '../src/store/lead-journey.repository';

const at = new Date('2026-03-02T09:00:00Z');
const later = (minutes: number) => new Date(at.getTime() + minutes * 60_000);
const received = ({ type, payload }: ContractEvent, n: number): ReceivedEvent<EventType> => ({
  id: `event-${n}`,
  type,
  payload,
  occurredAt: later(n),
  producer: 'test',
  deliveryCount: 0,
  body: encodeEvent(type, payload as never),
});

// Reporting writes these documents as they are built (see insertPrepared): each must be stored as its schema would
// have cast it.
describe('reporting documents as stored', () => {
  const connection = mongoose.createConnection();
  const story = new DealStory('lead-1', 'web-form', later(10), '150000').move('contacted', later(20)).win(later(30));
  const events = [
    funnelEvents.captured('lead-1', 'web-form', at),
    funnelEvents.qualified('lead-1', 'web-form', later(5)),
    ...story.events,
  ].map(received);

  it('an event kept in the log', () => {
    for (const event of events) {
      const { prepared, cast } = preparedAndCast(loggedEventModel(connection), loggedEventDocument(event, later(40)));
      expect(prepared).toEqual(cast);
    }
  });

  it('a lead journey, first written with the figures it owes', () => {
    const repository = new LeadJourneyRepository(leadJourneyModel(connection));
    let journey: LeadJourney = emptyJourney('lead-1');
    for (const event of events) {
      const step = toFunnelEvent(event);
      const snapshot = toDealSnapshot(event);
      journey = (step && applyFunnelEvent(journey, step)) ?? journey;
      journey = (snapshot && applyDealToJourney(journey, snapshot)) ?? journey;
    }
    expect(journey.deal?.stageVisits.length).toBe(2);
    const { fields, pending } = repository.documents.prepareWrite('lead-1', 1, undefined, journey);
    expect(pending?.deltas.length).toBeGreaterThan(1);
    const { prepared, cast } = preparedAndCast(leadJourneyModel(connection), { _id: 'lead-1', ...fields });
    expect(prepared).toEqual(cast);
  });

  it('a deal view, first written with the figures it owes', () => {
    const repository = new DealViewRepository(dealViewModel(connection));
    const view = events.reduce((current, event) => {
      const snapshot = toDealSnapshot(event);
      return (snapshot && applyDealSnapshot(current, snapshot)) ?? current;
    }, emptyDealView('deal-of-lead-1'));
    const { fields } = repository.documents.prepareWrite('deal-of-lead-1', 1, undefined, view);
    const { prepared, cast } = preparedAndCast(dealViewModel(connection), { _id: 'deal-of-lead-1', ...fields });
    expect(prepared).toEqual(cast);
  });
});
