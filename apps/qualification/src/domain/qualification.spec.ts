import { ValidationError } from '@crm/errors';
import { defaultRuleSet } from './rule-set';
import {
  decideByHand,
  fromFirstScoring,
  manualDecision,
  maxActorLength,
  maxHistory,
  maxReasonLength,
  rescore,
  type Qualification,
} from './qualification';
import type { Decision } from './scoring';
import { scoreLead } from './scoring';
import { testLead } from './lead-facts.fixture';

const t0 = new Date('2026-12-01T10:00:00Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const snapshot = (n: number) => Uint8Array.of(n);

// Scores 50 with the default rule set: nurturing.
const middling = testLead({ email: 'ana@gmail.com', company: 'Acme', phone: '1', interest: 'CRM', priority: 'medium', updatedAt: t0 });

function first(lead = middling): Qualification {
  return fromFirstScoring(lead, snapshot(1), scoreLead(lead, defaultRuleSet, t0));
}

function rescored(current: Qualification, changes: Parameters<typeof testLead>[0], minutes = 5) {
  const lead = { ...current.lead, ...changes, updatedAt: later(minutes) };
  return rescore(current, lead, snapshot(minutes), scoreLead(lead, defaultRuleSet, later(minutes)));
}

describe('first scoring', () => {
  it('takes the automatic decision with its breakdown and starts the history', () => {
    const q = first();
    expect(q).toMatchObject({
      decision: 'nurturing',
      score: 50,
      decidedBy: 'system',
      decidedAt: t0,
      version: 1,
      ruleSetVersion: defaultRuleSet.version,
    });
    expect(q.history).toHaveLength(1);
  });
});

describe('re-scoring a later snapshot', () => {
  it('qualifies a nurturing lead whose new facts reach the threshold, and says so', () => {
    const change = rescored(first(), { decisionRole: 'decision-maker' });
    expect(change?.decided).toBe(true);
    expect(change?.next).toMatchObject({
      decision: 'qualified',
      score: 65,
      decidedBy: 'system',
      decidedAt: later(5),
      version: 2,
      snapshot: snapshot(5),
    });
    expect(change?.next.history.map((s) => s.score)).toEqual([50, 65]);
    expect(change?.next.reason).toContain('decision-maker +15');
  });

  it('keeps nurturing, with the new score, and nothing decided', () => {
    const change = rescored(first(), { tags: ['newsletter'] });
    expect(change).toMatchObject({ decided: false, next: { decision: 'nurturing', score: 50, version: 2 } });
    expect(change?.next.history).toHaveLength(2);
  });

  it('never un-qualifies a qualified lead, though the scoring joins the history', () => {
    const qualified = rescored(first(), { decisionRole: 'decision-maker' })!.next;
    const change = rescored(qualified, { decisionRole: '', company: '', phone: '' }, 10);
    expect(change?.decided).toBe(false);
    expect(change?.next).toMatchObject({ decision: 'qualified', score: 65, decidedAt: later(5), version: 3, snapshot: snapshot(10) });
    expect(change?.next.history.map((s) => [s.score, s.decision])).toEqual([
      [50, 'nurturing'],
      [65, 'qualified'],
      [25, 'nurturing'],
    ]);
  });

  it('never overrides a person: a disqualification by hand sticks through a qualifying score', () => {
    const byHand = decideByHand(first(), manualDecision('disqualified', 'No budget', 'maria@crm.example'), later(1))!;
    const change = rescored(byHand, { decisionRole: 'decision-maker', priority: 'high' });
    expect(change?.decided).toBe(false);
    expect(change?.next).toMatchObject({ decision: 'disqualified', decidedBy: 'maria@crm.example', reason: 'No budget' });
    expect(change?.next.history.at(-1)).toMatchObject({ decision: 'qualified' });
  });

  it('keeps an automatic disqualification: only a person changes a decision made', () => {
    const disqualified = first(testLead({ email: 'x@mailinator.com', updatedAt: t0 }));
    const change = rescored(disqualified, {
      email: 'x@acme-industries.io',
      company: 'Acme',
      phone: '1',
      interest: 'CRM',
      priority: 'high',
    });
    expect(change).toMatchObject({ decided: false, next: { decision: 'disqualified' } });
  });

  it('ignores a snapshot no newer than the stored one', () => {
    const q = first();
    const same = { ...q.lead, decisionRole: 'decision-maker' as const };
    expect(rescore(q, same, snapshot(2), scoreLead(same, defaultRuleSet, later(1)))).toBeUndefined();
    const older = { ...same, updatedAt: later(-1) };
    expect(rescore(q, older, snapshot(2), scoreLead(older, defaultRuleSet, later(1)))).toBeUndefined();
  });
});

describe('the history of scorings', () => {
  // Re-scores `times` repeat submissions; the scoring of submission n is stamped at minute n.
  function resubmitted(times: number): Qualification {
    let q = first();
    for (let n = 1; n <= times; n++) q = rescored(q, { touchpoints: n }, n)!.next;
    return q;
  }
  const minutesOf = (q: Qualification) => q.history.map((s) => (s.scoredAt.getTime() - t0.getTime()) / 60_000);

  it('keeps every scoring up to the bound', () => {
    const q = resubmitted(maxHistory - 1);
    expect(q.history).toHaveLength(maxHistory);
    expect(minutesOf(q)).toEqual(Array.from({ length: maxHistory }, (_, n) => n));
  });

  it('past the bound, keeps the first scoring and the latest ones', () => {
    const q = resubmitted(maxHistory + 1);
    expect(q.history).toHaveLength(maxHistory);
    expect(minutesOf(q)).toEqual([0, ...Array.from({ length: maxHistory - 1 }, (_, n) => n + 3)]);
    expect(q.version).toBe(maxHistory + 2);
  });
});

describe('a person deciding', () => {
  it('overrides the automatic decision; the decision in force again changes nothing', () => {
    const q = first();
    const decided = decideByHand(q, manualDecision('qualified', ' Met at the fair ', ' maria '), later(1));
    expect(decided).toMatchObject({
      decision: 'qualified',
      reason: 'Met at the fair',
      decidedBy: 'maria',
      decidedAt: later(1),
      version: 2,
      score: 50,
    });
    expect(decideByHand(decided!, manualDecision('qualified', 'again', 'pedro'), later(2))).toBeUndefined();
    expect(decideByHand(decided!, manualDecision('disqualified', 'changed my mind', 'maria'), later(2))).toMatchObject({
      decision: 'disqualified',
      version: 3,
    });
  });

  const fieldsRefused = (decision: Decision, reason: string, actor: string) => {
    try {
      manualDecision(decision, reason, actor);
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      return (err as ValidationError).violations.map((v) => `${v.field}: ${v.message}`);
    }
    return [];
  };

  it.each([
    ['nurturing', 'r', 'a', ['decision: a person decides QUALIFIED or DISQUALIFIED']],
    ['qualified', 'r', ' ', ['actor: who decides is required']],
    ['qualified', '', 'a', ['reason: a reason is required']],
    ['qualified', 'r'.repeat(maxReasonLength + 1), 'a', [`reason: must be at most ${maxReasonLength} characters`]],
    ['qualified', 'r', 'a'.repeat(maxActorLength + 1), [`actor: must be at most ${maxActorLength} characters`]],
  ] as const)('refuses decision %s with reason %j by %j', (decision, reason, actor, expected) => {
    expect(fieldsRefused(decision, reason, actor)).toEqual(expected);
  });

  it('accepts a reason and an actor at their bounds, counted after trimming', () => {
    expect(fieldsRefused('qualified', ` ${'r'.repeat(maxReasonLength)} `, ` ${'a'.repeat(maxActorLength)} `)).toEqual([]);
  });
});
