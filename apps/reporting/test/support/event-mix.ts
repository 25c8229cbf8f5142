import { DealStory, salesStages } from './deal-story';
import { funnelEvents as e, type ContractEvent } from './funnel-events';

// A fixed pseudo-random sequence, so a failing mix can be reproduced from its seed.
export function randomOf(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

export const mixDays = ['2026-03-02', '2026-03-03', '2026-03-04'];
const sources = ['web-form', 'facebook', 'landing-page'];
const reasons = ['price', 'timing', 'competitor'];
const minute = 60_000;

// The events of `leads` leads over three days and three sources, each lead's own story: captured (or never, for
// some), qualified or disqualified or undecided, its deal moved, won, lost, reopened and closed again; a few deals
// carry another source than their lead. Then delivered as a broker might: shuffled, some twice with the same
// message id and some again under a new one, and some captures last of all.
export function eventMix(seed: number, leads: number): Array<{ event: ContractEvent; messageId: string }> {
  const random = randomOf(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const stories: ContractEvent[][] = [];
  const lateCaptures: ContractEvent[] = [];
  for (let i = 0; i < leads; i++) {
    const leadId = `mix-${seed}-${i}`;
    const source = pick(sources);
    const capturedAt = new Date(Date.parse(`${pick(mixDays)}T00:00:00Z`) + Math.floor(random() * 24 * 60) * minute);
    const at = (minutes: number) => new Date(capturedAt.getTime() + minutes * minute);
    const events: ContractEvent[] = [];
    const roll = random();
    if (roll < 0.15) lateCaptures.push(e.captured(leadId, source, capturedAt));
    else if (roll < 0.9) events.push(e.captured(leadId, source, capturedAt));
    const decision = random();
    if (decision < 0.2) events.push(e.disqualified(leadId, source, at(5)));
    else if (decision < 0.9) {
      events.push(e.qualified(leadId, source, at(5)));
      const dealSource = random() < 0.1 ? 'partner' : source;
      const amount = String(1000 + Math.floor(random() * 1_000_000));
      const story = new DealStory(leadId, dealSource, at(10), amount, random() < 0.3 ? 'USD' : 'EUR');
      const stages = Object.keys(salesStages).slice(1);
      for (let m = 0, moves = Math.floor(random() * 3); m < moves; m++) story.move(stages[m], at(20 + m * 10));
      const close = (when: number) => {
        const outcome = random();
        if (outcome < 0.35) story.win(at(when), random() < 0.5 ? String(Number(amount) + 777) : undefined);
        else if (outcome < 0.7) story.lose(at(when), pick(reasons));
        return outcome < 0.7;
      };
      if (close(60) && random() < 0.4) {
        story.reopen(at(70));
        close(80);
      }
      events.push(...story.events);
    }
    stories.push(events);
  }
  const delivered = shuffle(stories.flat(), random).map((event, n) => ({ event, messageId: `${seed}-${n}` }));
  const again = delivered.filter(() => random() < 0.25).map(({ event }, n) => ({ event, messageId: `${seed}-again-${n}` }));
  const sameId = delivered.filter(() => random() < 0.1);
  const late = lateCaptures.map((event, n) => ({ event, messageId: `${seed}-late-${n}` }));
  return [...shuffle([...delivered, ...again, ...sameId], random), ...late];
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}
