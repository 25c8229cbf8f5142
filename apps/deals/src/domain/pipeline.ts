import { ValidationError, type FieldViolation } from '@crm/errors';

// A stage of a pipeline: labels in Spanish and English, a win probability and how long a deal may sit idle in it.
export interface Stage {
  id: string;
  label: { es: string; en: string };
  // Win probability in percent, 0 to 100.
  probability: number;
  // Days without activity after which an open deal here is stale (rotting); 0 means never.
  rottingDays: number;
}

// What a person defines of a pipeline; the store adds identity, version and times.
export interface PipelineDefinition {
  name: string;
  stages: Stage[];
  // Days from opening to the expected close date.
  cycleDays: number;
  // Lower-case interests and source channels this pipeline takes (the pipeline rule).
  interests: string[];
  sourceChannels: string[];
}

export interface Pipeline extends PipelineDefinition {
  id: string;
  isDefault: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  // Who created it ("system" for the seeded default) and who made its latest change.
  createdBy: string;
  updatedBy: string;
}

export const defaultPipelineId = 'sales';

// The sales pipeline that ships, seeded at start-up when missing.
export const defaultSalesPipeline: PipelineDefinition = {
  name: 'Ventas / Sales',
  cycleDays: 30,
  interests: [],
  sourceChannels: [],
  stages: [
    { id: 'qualified', label: { es: 'Calificado', en: 'Qualified' }, probability: 10, rottingDays: 7 },
    { id: 'contacted', label: { es: 'Contactado', en: 'Contacted' }, probability: 20, rottingDays: 7 },
    { id: 'proposal_sent', label: { es: 'Propuesta enviada', en: 'Proposal sent' }, probability: 50, rottingDays: 14 },
    { id: 'negotiation', label: { es: 'Negociación', en: 'Negotiation' }, probability: 75, rottingDays: 14 },
  ],
};

export function findStage(pipeline: PipelineDefinition, stageId: string): Stage | undefined {
  return pipeline.stages.find((stage) => stage.id === stageId);
}

// The pipeline rule: the first pipeline (in creation order) that takes the lead's interest or source channel,
// else the default one.
export function choosePipeline<P extends Pipeline>(pipelines: P[], lead: { interest: string; sourceChannel: string }): P | undefined {
  const interest = lead.interest.trim().toLowerCase();
  const channel = lead.sourceChannel.trim().toLowerCase();
  const matching = pipelines.find(
    (p) => !p.isDefault && ((interest !== '' && p.interests.includes(interest)) || (channel !== '' && p.sourceChannels.includes(channel))),
  );
  return matching ?? pipelines.find((p) => p.isDefault);
}

const idPattern = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const maxStages = 30;
const maxCycleDays = 3650;
// The pipeline rule's lists: every pipeline is read on every opening, so they are kept short.
const maxRuleEntries = 100;
const maxRuleEntryLength = 100;

// Trimmed, lower-case and without repeats; too many entries or too long a one is named in `violations`.
function normalisedList(violations: FieldViolation[], field: string, values: string[]): string[] {
  const list = [...new Set(values.map((v) => v.trim().toLowerCase()).filter(Boolean))];
  if (list.length > maxRuleEntries) violations.push({ field, rule: 'max', message: `may have at most ${maxRuleEntries} entries` });
  values.forEach((v, i) => {
    if (v.trim().length > maxRuleEntryLength)
      violations.push({ field: `${field}[${i}]`, rule: 'length', message: `must have at most ${maxRuleEntryLength} characters` });
  });
  return list;
}

// Checks and normalises a pipeline definition; every problem is named in one ValidationError.
export function validatePipeline(definition: PipelineDefinition): PipelineDefinition {
  const violations: FieldViolation[] = [];
  const name = definition.name.trim();
  if (name === '' || name.length > 120) violations.push({ field: 'name', rule: 'length', message: 'must have 1 to 120 characters' });
  if (definition.stages.length === 0) violations.push({ field: 'stages', rule: 'required', message: 'needs at least one stage' });
  if (definition.stages.length > maxStages)
    violations.push({ field: 'stages', rule: 'max', message: `may have at most ${maxStages} stages` });
  const seen = new Set<string>();
  const stages = definition.stages.map((stage, i) => {
    const field = `stages[${i}]`;
    const id = stage.id.trim();
    if (!idPattern.test(id))
      violations.push({ field: `${field}.id`, rule: 'pattern', message: 'must be lower-case letters, digits, "-" or "_" (at most 64)' });
    else if (seen.has(id)) violations.push({ field: `${field}.id`, rule: 'unique', message: `"${id}" is used by another stage` });
    seen.add(id);
    const es = stage.label.es.trim();
    const en = stage.label.en.trim();
    if (es === '' && en === '')
      violations.push({ field: `${field}.label`, rule: 'required', message: 'needs a Spanish or an English label' });
    if (!Number.isInteger(stage.probability) || stage.probability < 0 || stage.probability > 100) {
      violations.push({ field: `${field}.probability`, rule: 'range', message: 'must be a whole number from 0 to 100' });
    }
    if (!Number.isInteger(stage.rottingDays) || stage.rottingDays < 0 || stage.rottingDays > maxCycleDays) {
      violations.push({ field: `${field}.rotting_days`, rule: 'range', message: `must be a whole number from 0 to ${maxCycleDays}` });
    }
    return { id, label: { es: es || en, en: en || es }, probability: stage.probability, rottingDays: stage.rottingDays };
  });
  if (!Number.isInteger(definition.cycleDays) || definition.cycleDays < 1 || definition.cycleDays > maxCycleDays) {
    violations.push({ field: 'cycle_days', rule: 'range', message: `must be a whole number from 1 to ${maxCycleDays}` });
  }
  const interests = normalisedList(violations, 'interests', definition.interests);
  const sourceChannels = normalisedList(violations, 'source_channels', definition.sourceChannels);
  if (violations.length > 0) throw new ValidationError('PIPELINE_INVALID', violations);
  return { name, stages, cycleDays: definition.cycleDays, interests, sourceChannels };
}

export function isPipelineId(id: string): boolean {
  return idPattern.test(id);
}

// Stages of `before` that `after` no longer has: open deals must not be left in them.
export function removedStages(before: PipelineDefinition, after: PipelineDefinition): string[] {
  return before.stages.filter((stage) => !findStage(after, stage.id)).map((stage) => stage.id);
}
