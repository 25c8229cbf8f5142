import { onHandlingFailure } from './retry-policy';

const policy = { maxDeliveries: 4, baseDelayMs: 100, maxDelayMs: 300 };

describe('onHandlingFailure', () => {
  it('retries with an exponential delay capped at the maximum', () => {
    expect(onHandlingFailure(policy, 0, false)).toEqual({ action: 'retry', delayMs: 100 });
    expect(onHandlingFailure(policy, 1, false)).toEqual({ action: 'retry', delayMs: 200 });
    expect(onHandlingFailure(policy, 2, false)).toEqual({ action: 'retry', delayMs: 300 });
  });

  it('dead-letters on the last allowed delivery', () => {
    expect(onHandlingFailure(policy, 3, false)).toEqual({ action: 'dead-letter' });
    expect(onHandlingFailure(policy, 7, false)).toEqual({ action: 'dead-letter' });
  });

  it('dead-letters a permanent failure at once', () => {
    expect(onHandlingFailure(policy, 0, true)).toEqual({ action: 'dead-letter' });
  });

  it('never retries when a single delivery is allowed', () => {
    expect(onHandlingFailure({ ...policy, maxDeliveries: 1 }, 0, false)).toEqual({ action: 'dead-letter' });
  });
});
