import { consumerNames } from '@crm/contracts';

// The durable name of the consumer of qualification's and deals' events: names its queue, dead-letter queue and inbox.
export const leadStatusConsumer = consumerNames['lead-intake'];
