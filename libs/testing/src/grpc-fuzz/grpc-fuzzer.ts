import { Client, credentials, status, type ServiceDefinition } from '@grpc/grpc-js';
import fc from 'fast-check';
import { hostileWireBytes } from './wire-bytes';
import { asCaller } from '../grpc-client';

// What a bad request may end with: refused for what it is, or taken when it happens to be valid. UNKNOWN, INTERNAL,
// a lost connection or a deadline would mean the input broke something.
export const acceptableStatuses: readonly status[] = [
  status.OK,
  status.INVALID_ARGUMENT,
  status.NOT_FOUND,
  status.ALREADY_EXISTS,
  status.FAILED_PRECONDITION,
  // A stale expected_version, which generated versions often are.
  status.ABORTED,
  // A message over the server's receive limit.
  status.RESOURCE_EXHAUSTED,
];

export interface CallOutcome {
  code: status;
  details: string;
}

type RequestOf<D> = D extends { requestDeserialize: (bytes: Buffer) => infer Req } ? Req : never;

// One generator of typed requests per method of the service: the compiler insists on every rpc.
export type RequestArbitraries<S extends ServiceDefinition> = { [M in keyof S]: fc.Arbitrary<RequestOf<S[M]>> };

export interface MethodFuzzOptions {
  numRuns: number;
  // The state a rejected request must leave as it was (outbox fields aside, which the relay changes on its own).
  state?: () => Promise<unknown>;
}

// Above grpc.max_receive_message_length (4 MiB) of the servers.
const oversizedBytes = 5 * 1024 * 1024;
// Only a safety net against a hung handler: every call is expected to end long before.
const deadlineMs = 30_000;

// Fuzzes a gRPC service with typed requests of hostile field values, encoded as the generated client encodes them,
// and with bytes of its own (undecodable, wrong wire types, over the size limit). Counts every outcome.
export class GrpcFuzzer<S extends ServiceDefinition> {
  private readonly raw: Client;
  private readonly byStatus = new Map<string, number>();
  private readonly byMethod = new Map<string, Map<string, number>>();
  private typedCalls = 0;
  private rawCalls = 0;
  private refusedByEncoder = 0;
  private unexpected = 0;

  constructor(
    readonly service: string,
    address: string,
    private readonly definition: S,
  ) {
    this.raw = new Client(address, credentials.createInsecure(), asCaller());
  }

  // Sends a typed request encoded as the generated client would; undefined when ts-proto's encoder refuses it.
  async typedCall<M extends keyof S & string>(method: M, request: RequestOf<S[M]>): Promise<CallOutcome | undefined> {
    let body: Buffer;
    try {
      body = this.definition[method].requestSerialize(request);
    } catch {
      this.refusedByEncoder++;
      return undefined;
    }
    const outcome = await this.send(this.definition[method].path, body);
    this.typedCalls++;
    return this.record(method, outcome);
  }

  // Sends these bytes as the request of a method, whatever they decode to.
  async rawCall(method: keyof S & string, body: Buffer): Promise<CallOutcome> {
    const outcome = await this.send(this.definition[method].path, body);
    this.rawCalls++;
    return this.record(method, outcome);
  }

  // numRuns typed requests, as many raw ones derived from them, and one over the size limit; fails on the first
  // outcome outside acceptableStatuses or a rejected request that changed the state.
  async fuzzMethod<M extends keyof S & string>(
    method: M,
    requests: fc.Arbitrary<RequestOf<S[M]>>,
    options: MethodFuzzOptions,
  ): Promise<void> {
    const checked = async (call: () => Promise<CallOutcome | undefined>, shown: () => string) => {
      const before = options.state && (await options.state());
      const outcome = await call();
      if (!outcome) return;
      if (!acceptableStatuses.includes(outcome.code)) {
        throw new Error(`${method} answered ${status[outcome.code]} (${outcome.details}) to ${shown()}`);
      }
      if (options.state && outcome.code !== status.OK) {
        const after = await options.state();
        if (JSON.stringify(after) !== JSON.stringify(before))
          throw new Error(`${method} answered ${status[outcome.code]} but changed the state, for ${shown()}`);
      }
    };
    await fc.assert(
      fc.asyncProperty(requests, (request) =>
        checked(
          () => this.typedCall(method, request),
          () => preview(request),
        ),
      ),
      { numRuns: options.numRuns },
    );
    const encoded = requests.map((request) => {
      try {
        return Buffer.from(this.definition[method].requestSerialize(request));
      } catch {
        return Buffer.alloc(0);
      }
    });
    await fc.assert(
      fc.asyncProperty(hostileWireBytes(encoded), (body) =>
        checked(
          () => this.rawCall(method, body),
          () => `bytes ${preview(body.toString('hex'))}`,
        ),
      ),
      { numRuns: options.numRuns },
    );
    // Field 1 as a 5 MiB string.
    const huge = Buffer.concat([Buffer.from([0x0a, 0x80, 0x80, 0xc0, 0x02]), Buffer.alloc(oversizedBytes, 0x61)]);
    const oversized = await this.rawCall(method, huge);
    if (oversized.code !== status.RESOURCE_EXHAUSTED) throw new Error(`${method} answered ${status[oversized.code]} to a 5 MiB request`);
  }

  // grpc.health.v1.Health/Check for the whole server: true when it answers SERVING.
  async serving(): Promise<boolean> {
    const response = await new Promise<Buffer | undefined>((resolve) =>
      this.raw.makeUnaryRequest(
        '/grpc.health.v1.Health/Check',
        identity,
        identity,
        Buffer.alloc(0),
        { deadline: Date.now() + deadlineMs },
        (err, res) => resolve(err ? undefined : res),
      ),
    );
    // HealthCheckResponse { status = 1 (SERVING) }.
    return response !== undefined && response.equals(Buffer.from([0x08, 0x01]));
  }

  get unexpectedOutcomes(): number {
    return this.unexpected;
  }

  // For the test log: one line with the calls, outcomes by status and those that would mean a defect, then one line
  // per method.
  summary(): string {
    const listed = (counts: Map<string, number>) =>
      [...counts.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, n]) => `${name} ${n}`)
        .join(', ');
    const total =
      `grpc-fuzz ${this.service}: ${this.typedCalls + this.rawCalls} calls (${this.typedCalls} typed, ${this.rawCalls} raw; ` +
      `${this.refusedByEncoder} more refused by the client's encoder): ${listed(this.byStatus)}; unexpected (UNKNOWN, INTERNAL, crash) ${this.unexpected}`;
    return [total, ...[...this.byMethod.entries()].map(([method, counts]) => `  ${method}: ${listed(counts)}`)].join('\n');
  }

  close(): void {
    this.raw.close();
  }

  private send(path: string, body: Buffer): Promise<CallOutcome> {
    return new Promise((resolve) =>
      this.raw.makeUnaryRequest(path, identity, identity, body, { deadline: Date.now() + deadlineMs }, (err) =>
        resolve(err ? { code: err.code, details: err.details } : { code: status.OK, details: '' }),
      ),
    );
  }

  private record(method: string, outcome: CallOutcome): CallOutcome {
    const name = status[outcome.code] ?? String(outcome.code);
    this.byStatus.set(name, (this.byStatus.get(name) ?? 0) + 1);
    const counts = this.byMethod.get(method) ?? new Map<string, number>();
    counts.set(name, (counts.get(name) ?? 0) + 1);
    this.byMethod.set(method, counts);
    if (!acceptableStatuses.includes(outcome.code)) this.unexpected++;
    return outcome;
  }
}

const identity = (b: Buffer) => b;

// A failing request as a short text: huge strings would flood the report.
function preview(value: unknown): string {
  const text =
    JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' && v.length > 120 ? `${v.slice(0, 60)}…(${v.length} chars)` : v)) ??
    String(value);
  return text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text;
}
