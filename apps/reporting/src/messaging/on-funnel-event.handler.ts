import type { EventType } from '@crm/contracts';
import type { EventHandlers, ReceivedEvent } from '@crm/messaging';
import type { EventRecorder } from '../application/event-recorder';
import { projectedEventTypes } from '../application/projector';

// Every event type reporting projects goes to the recorder, which logs and then projects it.
export function funnelHandlers(recorder: EventRecorder): EventHandlers {
  const handle = (event: ReceivedEvent<EventType>) => recorder.record(event);
  return Object.fromEntries(projectedEventTypes.map((type) => [type, handle]));
}
