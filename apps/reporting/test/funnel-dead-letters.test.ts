import {
  DealOpened,
  DealStageChanged,
  DealWon,
  encodeEvent,
  LeadCaptured,
  LeadDisqualified,
  LeadQualified,
  type EventType,
} from '@crm/contracts';
import { uniqueId, waitFor } from '@crm/testing';
import { funnelConsumer } from '../src/reporting-service';
import { funnelEvents as e } from './support/funnel-events';
import { noFigures, ReportingHarness } from './support/reporting-harness';

const now = new Date('2026-03-02T09:00:00.000Z');

// Events no retry can fix: each lacks the lead it is about.
const withoutLead: Array<[string, EventType, Buffer]> = [
  ['lead.captured without a lead', 'lead.captured', encodeEvent('lead.captured', LeadCaptured.fromPartial({ occurredAt: now }))],
  [
    'lead.captured with an empty lead id',
    'lead.captured',
    encodeEvent('lead.captured', LeadCaptured.fromPartial({ occurredAt: now, lead: { name: 'Ana' } })),
  ],
  [
    'lead.qualified without lead_id',
    'lead.qualified',
    encodeEvent('lead.qualified', LeadQualified.fromPartial({ occurredAt: now, score: 90 })),
  ],
  [
    'lead.disqualified without lead_id',
    'lead.disqualified',
    encodeEvent('lead.disqualified', LeadDisqualified.fromPartial({ occurredAt: now, sourceChannel: 'web-form' })),
  ],
  ['deal.opened without a deal', 'deal.opened', encodeEvent('deal.opened', DealOpened.fromPartial({ occurredAt: now }))],
  [
    'deal.stage_changed without a deal',
    'deal.stage_changed',
    encodeEvent('deal.stage_changed', DealStageChanged.fromPartial({ occurredAt: now, toStage: 'contacted' })),
  ],
  [
    'deal.won whose deal has no lead_id',
    'deal.won',
    encodeEvent('deal.won', DealWon.fromPartial({ occurredAt: now, deal: { id: 'deal-1' } })),
  ],
];

describe('funnel events reporting cannot use', () => {
  let reporting: ReportingHarness;

  beforeAll(async () => {
    reporting = await ReportingHarness.start();
  });

  afterAll(async () => {
    await reporting?.stop();
  });

  const deadLettered = async (messageId: string) =>
    (await reporting.probe.deadLetters(funnelConsumer)).find((m) => m.properties.messageId === messageId);

  it('dead-letters a lead.captured with no lead at once, and keeps consuming what follows', async () => {
    const [, type, body] = withoutLead[0];
    const badId = await reporting.publishBody(type, body);
    await reporting.publish(e.captured(uniqueId('lead-'), 'web-form', now));
    await reporting.settled();

    const dead = await waitFor('the dead letter', () => deadLettered(badId));
    expect(dead.properties.type).toBe('lead.captured');
    // Rejected by the consumer on its first delivery, not after the retries a transient failure gets.
    expect(dead.properties.headers?.['x-first-death-reason']).toBe('rejected');
    expect(await reporting.consumed('retried')).toBe(0);
    expect(await reporting.consumed('dead_lettered')).toBe(1);
    expect(await reporting.funnel()).toEqual({ ...noFigures, leadsCaptured: 1 });
    expect(await reporting.probe.queueDepth(reporting.probe.names.queue(funnelConsumer))).toBe(0);
  });

  it.each(withoutLead.slice(1))('dead-letters a %s', async (_case, type, body) => {
    const before = await reporting.funnel();
    const badId = await reporting.publishBody(type, body, uniqueId('bad-'));
    const goodLead = uniqueId('lead-');
    await reporting.publish(e.captured(goodLead, 'facebook', now));
    await reporting.settled();

    await waitFor('the dead letter', () => deadLettered(badId));
    expect(await reporting.funnel()).toEqual({ ...before, leadsCaptured: before.leadsCaptured + 1 });
  });
});
