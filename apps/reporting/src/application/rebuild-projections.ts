import type { Logger } from '@crm/logging';
import { minimizedBody, type EventLogRepository } from '../store/event-log.repository';
import type { Projector } from './projector';

export interface RebuildResult {
  // Every event read from the log, and how many of them could not be decoded or projected (each one is logged).
  events: number;
  skipped: number;
  // Events kept whole (before bodies were minimized) whose personal data the rebuild removed from the log.
  minimized: number;
  elapsedMs: number;
}

// Empties every projection and replays the event log through the same projector the consumer uses. Projections
// converge whatever the order, so events are applied several at a time; the live consumer may keep running (it
// logs before it projects, so an event it takes meanwhile is either replayed here or projected by it). One bad event
// is skipped, not fatal: stopping there would leave the projections cleared and half rebuilt. A body that still
// holds personal data (kept by an older version) is rewritten without it on the way.
export async function rebuildProjections(
  log: EventLogRepository,
  projector: Projector,
  logger: Logger,
  concurrency = 16,
): Promise<RebuildResult> {
  const started = performance.now();
  await projector.clear();
  const inFlight = new Set<Promise<void>>();
  let events = 0;
  let skipped = 0;
  let minimized = 0;
  const skip = (id: string, err: unknown) => {
    skipped++;
    logger.error({ err, eventId: id }, 'rebuild skipped an event it could not project');
  };
  try {
    for await (const replayed of log.replay()) {
      events++;
      if ('error' in replayed) {
        skip(replayed.id, replayed.error);
        continue;
      }
      const { event } = replayed;
      const work = Promise.resolve()
        .then(async () => {
          await projector.apply(projector.factsOf(event));
          const body = minimizedBody(event);
          if (event.body && !body.equals(event.body)) {
            await log.rewriteBody(event.id, body);
            minimized++;
          }
        })
        .catch((err: unknown) => skip(replayed.id, err))
        .finally(() => inFlight.delete(work));
      inFlight.add(work);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    }
  } finally {
    // Even when reading the log fails, no projection write is left running after this returns.
    await Promise.allSettled(inFlight);
  }
  return { events, skipped, minimized, elapsedMs: Math.round(performance.now() - started) };
}
