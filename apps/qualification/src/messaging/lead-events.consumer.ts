import { consumerNames } from '@crm/contracts';

// The durable name of the consumer of lead-intake's events: names its queue, dead-letter queue and inbox records.
export const leadEventsConsumer = consumerNames.qualification;
