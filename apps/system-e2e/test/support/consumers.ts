import { consumerNames, serviceNames, type ServiceName } from '@crm/contracts';

export { serviceNames, type ServiceName };

// Each service's durable consumer (its queue, dead-letter queue and inbox records), as the services name them.
export const consumerOf: Record<ServiceName, string> = consumerNames;
