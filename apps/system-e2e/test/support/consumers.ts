import { leadQualifiedConsumer } from '../../../deals/src/messaging/lead-qualified.consumer';
import { leadStatusConsumer } from '../../../lead-intake/src/messaging/lead-status.consumer';
import { leadEventsConsumer } from '../../../qualification/src/messaging/lead-events.consumer';
import { funnelConsumer } from '../../../reporting/src/messaging/funnel.consumer';

export const serviceNames = ['lead-intake', 'qualification', 'deals', 'reporting'] as const;
export type ServiceName = (typeof serviceNames)[number];

// Each service's durable consumer (its queue, dead-letter queue and inbox records), as the services name them.
export const consumerOf: Record<ServiceName, string> = {
  'lead-intake': leadStatusConsumer,
  qualification: leadEventsConsumer,
  deals: leadQualifiedConsumer,
  reporting: funnelConsumer,
};
