import type { EventLogRepository } from '../store/event-log.repository';
import type { Projector } from './projector';

export interface RebuildResult {
  events: number;
  elapsedMs: number;
}

// Empties every projection and replays the event log through the same projector the consumer uses. Projections
// converge whatever the order, so events are applied several at a time; the live consumer may keep running (it
// logs before it projects, so an event it takes meanwhile is either replayed here or projected by it).
export async function rebuildProjections(log: EventLogRepository, projector: Projector, concurrency = 16): Promise<RebuildResult> {
  const started = performance.now();
  await projector.clear();
  const inFlight = new Set<Promise<void>>();
  let events = 0;
  for await (const event of log.replay()) {
    const work = projector.apply(projector.factsOf(event)).finally(() => inFlight.delete(work));
    inFlight.add(work);
    events++;
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return { events, elapsedMs: Math.round(performance.now() - started) };
}
