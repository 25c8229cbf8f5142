import { Agent, request } from 'node:http';

// HTTP load on POST /v1/leads over loopback with keep-alive connections (node:http, lighter than fetch, since the
// generator shares the machine's two cores with what it measures).
export interface Posted {
  leadId: string;
  // performance.now() when the request was due (open loop: its scheduled time, so a slow answer delays no later
  // request and queueing in the generator is not hidden) or sent (closed loop).
  sentAt: number;
}

export interface LoadResult {
  posted: Posted[];
  statuses: Record<string, number>;
  startedAt: number;
  endedAt: number;
  // Open loop: requests not sent because too many were in flight.
  skipped: number;
}

export interface LoadTarget {
  url: string;
  apiKey: string;
  body: (i: number) => Record<string, unknown>;
  onAccepted: (leadId: string) => void;
}

// A request that got no answer reads as its error code (ECONNRESET, timeout, ...) instead of an HTTP status.
function post(agent: Agent, target: LoadTarget, i: number): Promise<{ status: number | string; leadId?: string }> {
  const payload = JSON.stringify(target.body(i));
  return new Promise((resolve) => {
    const req = request(
      `${target.url}/v1/leads`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'x-api-key': target.apiKey },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          let leadId: string | undefined;
          if (status >= 200 && status < 300) {
            try {
              leadId = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: string }).id;
            } catch {
              leadId = undefined;
            }
          }
          resolve({ status, leadId });
        });
        res.on('error', (err: NodeJS.ErrnoException) => resolve({ status: err.code ?? err.message }));
      },
    );
    req.setTimeout(30_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: err.code ?? err.message }));
    req.end(payload);
  });
}

function record(result: LoadResult, target: LoadTarget, answer: { status: number | string; leadId?: string }, sentAt: number): void {
  result.statuses[answer.status] = (result.statuses[answer.status] ?? 0) + 1;
  if (answer.leadId) {
    result.posted.push({ leadId: answer.leadId, sentAt });
    target.onAccepted(answer.leadId);
  }
}

// C clients, each posting its next lead as soon as the previous one is answered, for `durationMs`.
export async function closedLoop(target: LoadTarget, clients: number, durationMs: number, firstIndex: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const result: LoadResult = { posted: [], statuses: {}, startedAt: performance.now(), endedAt: 0, skipped: 0 };
  const deadline = result.startedAt + durationMs;
  let next = firstIndex;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const sentAt = performance.now();
        record(result, target, await post(agent, target, next++), sentAt);
      }
    }),
  );
  result.endedAt = performance.now();
  agent.destroy();
  return result;
}

// `rate` leads per second on a fixed schedule whatever the answers, for `durationMs`; at most `maxInFlight`
// unanswered requests (beyond that a due request is skipped and counted, so the loop stays bounded).
export async function openLoop(
  target: LoadTarget,
  rate: number,
  durationMs: number,
  firstIndex: number,
  maxInFlight = 2000,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const result: LoadResult = { posted: [], statuses: {}, startedAt: performance.now(), endedAt: 0, skipped: 0 };
  const total = Math.round((rate * durationMs) / 1000);
  const inFlight = new Set<Promise<void>>();
  for (let sent = 0; sent < total;) {
    const now = performance.now();
    while (sent < total && result.startedAt + (sent * 1000) / rate <= now) {
      const dueAt = result.startedAt + (sent * 1000) / rate;
      const i = firstIndex + sent++;
      if (inFlight.size >= maxInFlight) {
        result.skipped++;
        continue;
      }
      const call: Promise<void> = post(agent, target, i).then((answer) => {
        record(result, target, answer, dueAt);
        inFlight.delete(call);
      });
      inFlight.add(call);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(inFlight);
  result.endedAt = performance.now();
  agent.destroy();
  return result;
}
