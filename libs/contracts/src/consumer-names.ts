// The durable consumer of each service: it names the service's queue, dead-letter queue and inbox records on the
// broker, which operators and tests see, so it is kept here with the events.
export const consumerNames = {
  'lead-intake': 'lead-intake.lead-status',
  qualification: 'qualification.lead-events',
  deals: 'deals.lead-qualified',
  reporting: 'reporting.funnel',
} as const;

export type ServiceName = keyof typeof consumerNames;
export const serviceNames = Object.keys(consumerNames) as ServiceName[];
