import type { EventType } from '@crm/contracts';
import type { EventHandlers, ReceivedEvent } from '@crm/messaging';
import { projectedEventTypes, type Projector } from '../application/projector';
import type { EventLogRepository } from '../store/event-log.repository';

// Every event reporting projects is first kept in the event log (so a rebuild sees it too), then projected.
// An event no retry can fix is refused before it is kept.
export function funnelHandlers(log: EventLogRepository, projector: Projector): EventHandlers {
  const handle = async (event: ReceivedEvent<EventType>) => {
    const facts = projector.factsOf(event);
    await log.keep(event);
    await projector.apply(facts);
  };
  return Object.fromEntries(projectedEventTypes.map((type) => [type, handle])) as EventHandlers;
}
