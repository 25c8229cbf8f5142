export type ReadinessCheck = () => Promise<boolean> | boolean;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, boolean>;
}

// The service is ready when every dependency answers: its MongoDB and RabbitMQ, checked for real.
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          return [name, await check()] as const;
        } catch {
          return [name, false] as const;
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    return { ready: entries.every(([, ok]) => ok), checks };
  }
}
