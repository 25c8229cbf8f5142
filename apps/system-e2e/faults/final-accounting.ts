import mongoose, { type Connection } from 'mongoose';
import { LeadStatus, QualificationDecision } from '@crm/contracts';
import { mongoUrlWithDatabase, sleep, type BrokerProbe } from '@crm/testing';
import type { SentLead } from './lead-stream';
import { consumerNames } from '@crm/contracts';
import { serviceNames, type ServiceFleet } from './service-fleet';
import type { SystemClients } from './system-clients';

export interface Figures {
  sent: number;
  accepted: number;
  gaveUp: number;
  lost: number;
  storedWithout2xx: number;
  stored: number;
  decisions: number;
  qualified: number;
  rescored: number;
  deals: number;
  converted: number;
  counted: number;
  deadLetters: Record<string, number>;
  unrouted: number;
  failures: string[];
}

// Waits until nothing is moving any more: every consumer queue empty and no outbox holding events, twice in a row.
export async function waitUntilSettled(
  mongoUrl: string,
  fleet: ServiceFleet,
  probe: BrokerProbe,
  timeoutMs: number,
): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let quietPolls = 0;
  let last = '';
  while (Date.now() < deadline) {
    const depths = await Promise.all(serviceNames.map((name) => probe.queueDepth(probe.names.queue(consumerNames[name])).catch(() => -1)));
    // A busy or restarting server may not answer this poll: count it as not settled and poll again.
    const pending = await withDatabases(mongoUrl, fleet, async (db) => {
      let total = 0;
      for (const collection of await db.db!.listCollections().toArray())
        total += await db.collection(collection.name).countDocuments({ outboxPending: true });
      return total;
    }).catch(() => [-1]);
    const outboxes = pending.reduce((sum, n) => sum + n, 0);
    last = `queue depths ${depths.join('/')}, outbox documents pending ${outboxes}`;
    quietPolls = depths.every((d) => d === 0) && pending.every((n) => n === 0) ? quietPolls + 1 : 0;
    if (quietPolls >= 2) return undefined;
    await sleep(1000);
  }
  return `not settled after ${timeoutMs} ms: ${last}`;
}

async function withDatabases<T>(mongoUrl: string, fleet: ServiceFleet, use: (db: Connection) => Promise<T>): Promise<T[]> {
  return Promise.all(
    serviceNames.map(async (name) => {
      const connection = await mongoose
        .createConnection(mongoUrlWithDatabase(mongoUrl, fleet.databases[name]), { serverSelectionTimeoutMS: 5000 })
        .asPromise();
      try {
        return await use(connection);
      } finally {
        await connection.close();
      }
    }),
  );
}

async function pooled<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}

// The accounting after the faults, through the services' APIs; the stored leads and the reporting journeys are
// read from the databases, where no API lists them all.
export async function account(
  leads: SentLead[],
  mongoUrl: string,
  fleet: ServiceFleet,
  clients: SystemClients,
  probe: BrokerProbe,
): Promise<Figures> {
  const failures: string[] = [];
  const acceptedIds = new Set(leads.filter((l) => l.acceptedId).map((l) => l.acceptedId!));
  const kindOf = new Map(leads.filter((l) => l.acceptedId).map((l) => [l.acceptedId!, l.kind]));
  const [storedIds, journeyIds] = await readStoredAndCounted(mongoUrl, fleet);
  const storedWithout2xx = [...storedIds].filter((id) => !acceptedIds.has(id));
  const everyId = [...new Set([...acceptedIds, ...storedIds])];

  const checked = await pooled(everyId, 8, async (id) => {
    const [lead, qualification, deals] = await Promise.all([clients.lead(id), clients.qualification(id), clients.dealsOf(id)]);
    return { id, lead, qualification, deals };
  });
  let lost = 0;
  let decisions = 0;
  let qualified = 0;
  let rescored = 0;
  let deals = 0;
  let converted = 0;
  const problems: string[] = [];
  for (const { id, lead, qualification, deals: found } of checked) {
    deals += found.length;
    if (!lead) {
      if (acceptedIds.has(id)) lost++;
      problems.push(`lead ${id}: ${acceptedIds.has(id) ? 'got a 2xx but does not exist' : 'missing'}`);
      continue;
    }
    if (lead.status === LeadStatus.LEAD_STATUS_CONVERTED) converted++;
    const decision = qualification?.decision ?? QualificationDecision.QUALIFICATION_DECISION_UNSPECIFIED;
    if (decision === QualificationDecision.QUALIFICATION_DECISION_UNSPECIFIED) {
      problems.push(`lead ${id}: no qualification decision`);
      continue;
    }
    decisions++;
    if ((qualification?.history.length ?? 0) > 1) rescored++;
    const isQualified = decision === QualificationDecision.QUALIFICATION_DECISION_QUALIFIED;
    if (isQualified) qualified++;
    const kind = kindOf.get(id);
    if (kind === 'qualifying' && !isQualified) problems.push(`lead ${id}: qualifying lead decided ${QualificationDecision[decision]}`);
    if (kind === 'disposable' && isQualified) problems.push(`lead ${id}: disposable-address lead qualified`);
    if (found.length !== (isQualified ? 1 : 0))
      problems.push(`lead ${id}: ${found.length} deal(s), decision ${QualificationDecision[decision]}`);
    if (isQualified && found.length === 1 && (lead.status !== LeadStatus.LEAD_STATUS_CONVERTED || lead.dealId !== found[0].id)) {
      problems.push(`lead ${id}: has deal ${found[0].id} but reads ${LeadStatus[lead.status]} with deal id "${lead.dealId}"`);
    }
  }
  if (problems.length > 0) failures.push(`${problems.length} lead(s) inconsistent, e.g. ${problems.slice(0, 5).join('; ')}`);

  const funnel = await clients.funnel();
  const counted = Number(funnel?.leadsCaptured ?? 0);
  if (counted !== storedIds.size) failures.push(`reporting counts ${counted} leads captured, lead-intake holds ${storedIds.size}`);
  if (Number(funnel?.leadsQualified ?? 0) !== qualified)
    failures.push(`reporting counts ${funnel?.leadsQualified} qualified, qualification decided ${qualified}`);
  if (Number(funnel?.dealsOpened ?? 0) !== deals)
    failures.push(`reporting counts ${funnel?.dealsOpened} deals opened, deals holds ${deals}`);
  const uncounted = everyId.filter((id) => !journeyIds.has(id));
  if (uncounted.length > 0)
    failures.push(`${uncounted.length} lead(s) without a reporting journey, e.g. ${uncounted.slice(0, 3).join(', ')}`);
  if (journeyIds.size !== storedIds.size) failures.push(`reporting holds ${journeyIds.size} journeys for ${storedIds.size} stored leads`);
  if (storedWithout2xx.length > 0)
    failures.push(`${storedWithout2xx.length} lead(s) stored without any 2xx, e.g. ${storedWithout2xx.slice(0, 3).join(', ')}`);

  const deadLetters: Record<string, number> = {};
  for (const name of serviceNames) {
    const letters = await probe.deadLetters(consumerNames[name]);
    deadLetters[consumerNames[name]] = letters.length;
    if (letters.length > 0) {
      const why = letters
        .slice(0, 3)
        .map(
          (m) =>
            `${m.routingKey} (${JSON.stringify(m.properties.headers?.['x-first-death-reason'] ?? m.properties.headers?.['x-death']?.[0]?.reason ?? '?')})`,
        );
      failures.push(`${letters.length} dead letter(s) on ${consumerNames[name]}.dlq: ${why.join(', ')}`);
    }
  }
  const unrouted = await probe.queueDepth(probe.names.unroutedQueue);
  if (unrouted > 0) failures.push(`${unrouted} unrouted event(s)`);

  const unready = (await fleet.readiness()).filter((r) => !r.ready);
  if (unready.length > 0) failures.push(`not ready: ${unready.map((r) => `${r.name}#${r.copy}`).join(', ')}`);

  const streamLeads = leads.filter((l) => !l.probe);
  const gaveUp = streamLeads.filter((l) => !l.acceptedId);
  if (gaveUp.length > 0)
    failures.push(
      `${gaveUp.length} lead(s) never got a 2xx (last answers ${[...new Set(gaveUp.map((l) => String(l.lastStatus)))].join(', ')})`,
    );
  if (lost > 0) failures.push(`${lost} accepted lead(s) lost`);

  return {
    sent: leads.length,
    accepted: acceptedIds.size,
    gaveUp: gaveUp.length,
    lost,
    storedWithout2xx: storedWithout2xx.length,
    stored: storedIds.size,
    decisions,
    qualified,
    rescored,
    deals,
    converted,
    counted,
    deadLetters,
    unrouted,
    failures,
  };
}

async function readStoredAndCounted(mongoUrl: string, fleet: ServiceFleet): Promise<[Set<string>, Set<string>]> {
  const ids = async (database: string, collection: string) => {
    const connection = await mongoose
      .createConnection(mongoUrlWithDatabase(mongoUrl, database), { serverSelectionTimeoutMS: 5000 })
      .asPromise();
    try {
      const documents = await connection
        .collection(collection)
        .find({}, { projection: { _id: 1 } })
        .toArray();
      return new Set(documents.map((d) => String(d._id)));
    } finally {
      await connection.close();
    }
  };
  return Promise.all([ids(fleet.databases['lead-intake'], 'leads'), ids(fleet.databases.reporting, 'lead_journeys')]);
}
