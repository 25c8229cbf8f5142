import { Schema, type Connection, type Model } from 'mongoose';
import type { Rule } from '../domain/rule-set';

// One document per version of the rule set, never changed once written; the highest sequence is in force.
export interface RuleSetDocument {
  _id: string;
  sequence: number;
  qualifyAt: number;
  disqualifyBelow: number;
  rules: Rule[];
  createdBy: string;
  createdAt: Date;
  reason: string;
}

const ruleSetSchema = new Schema<RuleSetDocument>(
  {
    // The version: a unique id, so a version cannot be reused.
    _id: { type: String, required: true },
    // Unique: two copies replacing the same version in force at once cannot both win.
    sequence: { type: Number, required: true, unique: true },
    qualifyAt: { type: Number, required: true },
    disqualifyBelow: { type: Number, required: true },
    // Validated by the domain's schema when written and when read.
    rules: { type: Schema.Types.Mixed, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    reason: { type: String, default: '' },
  },
  { versionKey: false, collection: 'rule_sets' },
);

export function ruleSetModel(connection: Connection): Model<RuleSetDocument> {
  return connection.model<RuleSetDocument>('RuleSet', ruleSetSchema);
}
