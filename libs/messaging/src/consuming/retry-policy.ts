// What to do with a message whose handling failed, given how often it was delivered before.
export type FailureAction = { action: 'dead-letter' } | { action: 'retry'; delayMs: number };

export interface RetryPolicy {
  maxDeliveries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export function onHandlingFailure(policy: RetryPolicy, deliveryCount: number, permanent: boolean): FailureAction {
  if (permanent || deliveryCount + 1 >= policy.maxDeliveries) return { action: 'dead-letter' };
  const delayMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** deliveryCount);
  return { action: 'retry', delayMs };
}
