import { Agent, request } from 'node:http';

export interface AddressedAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

// Agents by source address, so requests from one address reuse their connections (as one browser would).
const agents = new Map<string, Agent>();
function agentFor(localAddress: string): Agent {
  let agent = agents.get(localAddress);
  if (!agent) {
    agent = new Agent({ keepAlive: true, localAddress });
    agents.set(localAddress, agent);
  }
  return agent;
}

// A JSON POST sent from `localAddress` as its source: on Linux any 127.x.y.z is a loopback address a test may bind,
// so a test can play many clients.
export function postFromAddress(
  url: string,
  localAddress: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<AddressedAnswer> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: agentFor(localAddress),
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

// Closes the kept-alive connections of every source address used so far.
export function closeAddressedAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}
