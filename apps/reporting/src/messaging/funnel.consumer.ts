import { consumerNames } from '@crm/contracts';

// The durable name of the consumer of every funnel event: names its queue, dead-letter queue and inbox records.
export const funnelConsumer = consumerNames.reporting;
