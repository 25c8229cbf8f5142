// The business time a service started by a test reads (when a lead was captured, a deal moved, a rule set
// replaced): real time plus an offset the test moves forward, so "eight days later" needs no waiting. Leases,
// timeouts and caches keep real time.
export class TestClock {
  private offsetMs = 0;

  readonly now = (): Date => new Date(Date.now() + this.offsetMs);

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
