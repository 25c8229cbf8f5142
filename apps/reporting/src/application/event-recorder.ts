import type { EventType } from '@crm/contracts';
import type { ReceivedEvent } from '@crm/messaging';
import type { EventLogRepository } from '../store/event-log.repository';
import type { Projector } from './projector';

// Every event reporting projects is first kept in the event log (so a rebuild sees it too), then projected.
// An event no retry can fix is refused before it is kept.
export class EventRecorder {
  constructor(
    private readonly log: EventLogRepository,
    private readonly projector: Projector,
  ) {}

  async record(event: ReceivedEvent<EventType>): Promise<void> {
    const facts = this.projector.factsOf(event);
    await this.log.keep(event);
    await this.projector.apply(facts);
  }
}
