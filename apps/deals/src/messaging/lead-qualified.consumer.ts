import { consumerNames } from '@crm/contracts';

// The durable name of the consumer of lead.qualified (and lead.erased): names its queue, dead-letter queue and inbox
// records.
export const leadQualifiedConsumer = consumerNames.deals;
