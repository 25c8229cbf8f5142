// The durable name of the consumer of qualification's and deals' events: names its queue, dead-letter queue and inbox.
export const leadStatusConsumer = 'lead-intake.lead-status';
