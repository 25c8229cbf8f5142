import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '@crm/persistence';
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
    try {
      await this.ruleSets.create({ _id: ruleSet.version, qualifyAt: ruleSet.qualifyAt, disqualifyBelow: ruleSet.disqualifyBelow, rules: ruleSet.rules, ...meta });
      return 'inserted';
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      return (await this.ruleSets.exists({ _id: ruleSet.version })) ? 'version-taken' : 'sequence-taken';
    }
  }
}
