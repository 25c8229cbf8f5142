import type { Model } from 'mongoose';
import { insertIfAbsent } from '@crm/persistence';
import type { RuleSetRevision } from '../domain/rule-set-revision';
import { parseRuleSet } from '../domain/rule-set.schema';
import type { RuleSetDocument } from './rule-set.model';

function toRevision(doc: RuleSetDocument): RuleSetRevision {
  const { _id, sequence, qualifyAt, disqualifyBelow, rules, createdBy, createdAt, reason } = doc;
  return { ruleSet: parseRuleSet({ version: _id, qualifyAt, disqualifyBelow, rules }), sequence, createdBy, createdAt, reason };
}

export type InsertOutcome = 'inserted' | 'version-taken' | 'sequence-taken';

export class RuleSetRepository {
  constructor(private readonly ruleSets: Model<RuleSetDocument>) {}

  async active(): Promise<RuleSetRevision | null> {
    const [doc] = await this.ruleSets.find().sort({ sequence: -1 }).limit(1).lean<RuleSetDocument[]>();
    return doc ? toRevision(doc) : null;
  }

  // Only the sequence in force, unvalidated: revisions never change, so an unchanged sequence means unchanged rules.
  async activeSequence(): Promise<number | null> {
    const [doc] = await this.ruleSets.find({}, { sequence: 1 }).sort({ sequence: -1 }).limit(1).lean<Pick<RuleSetDocument, 'sequence'>[]>();
    return doc?.sequence ?? null;
  }

  async find(version: string): Promise<RuleSetRevision | null> {
    const doc = await this.ruleSets.findById(version).lean<RuleSetDocument>();
    return doc ? toRevision(doc) : null;
  }

  // Newest first.
  async list(): Promise<RuleSetRevision[]> {
    const docs = await this.ruleSets.find().sort({ sequence: -1 }).lean<RuleSetDocument[]>();
    return docs.map(toRevision);
  }

  async insert(revision: RuleSetRevision): Promise<InsertOutcome> {
    const { ruleSet, ...meta } = revision;
    const document = {
      _id: ruleSet.version,
      qualifyAt: ruleSet.qualifyAt,
      disqualifyBelow: ruleSet.disqualifyBelow,
      rules: ruleSet.rules,
      ...meta,
    };
    if (await insertIfAbsent(this.ruleSets, document)) return 'inserted';
    return (await this.ruleSets.exists({ _id: ruleSet.version })) ? 'version-taken' : 'sequence-taken';
  }
}
