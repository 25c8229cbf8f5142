import { ValidationError } from '@crm/errors';
import { choosePipeline, defaultSalesPipeline, removedStages, validatePipeline, type Pipeline, type PipelineDefinition } from './pipeline';
import { salesPipeline } from './test-fixtures';

const stage = (id: string, probability = 50, rottingDays = 7) => ({ id, label: { es: id, en: id }, probability, rottingDays });
const definition = (overrides: Partial<PipelineDefinition> = {}): PipelineDefinition => ({
  name: 'Partners',
  stages: [stage('intro', 10), stage('deal', 80)],
  cycleDays: 60,
  interests: [],
  sourceChannels: [],
  ...overrides,
});

function violationsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.violations.map((v) => `${v.field}:${v.rule}`);
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('pipeline validation', () => {
  it('accepts the default pipeline, with Spanish and English labels', () => {
    expect(validatePipeline(defaultSalesPipeline).stages.map((s) => s.label.es)).toEqual([
      'Calificado',
      'Contactado',
      'Propuesta enviada',
      'Negociación',
    ]);
  });

  it('normalises the rule lists and fills a missing label from the other language', () => {
    const valid = validatePipeline(
      definition({
        interests: [' Partnership ', 'partnership', ''],
        sourceChannels: ['Referral'],
        stages: [{ ...stage('a'), label: { es: '', en: 'A' } }],
      }),
    );
    expect(valid).toMatchObject({ interests: ['partnership'], sourceChannels: ['referral'], stages: [{ label: { es: 'A', en: 'A' } }] });
  });

  it('names every problem: no name, duplicate ids, probabilities out of 0..100, bad cycle', () => {
    expect(
      violationsOf(() =>
        validatePipeline(
          definition({ name: ' ', cycleDays: 0, stages: [stage('a', 101), stage('a', -1), { ...stage('B c'), rottingDays: -1 }] }),
        ),
      ),
    ).toEqual([
      'name:length',
      'stages[0].probability:range',
      'stages[1].id:unique',
      'stages[1].probability:range',
      'stages[2].id:pattern',
      'stages[2].rotting_days:range',
      'cycle_days:range',
    ]);
  });

  it('needs at least one stage, and accepts the edges 0 and 100', () => {
    expect(violationsOf(() => validatePipeline(definition({ stages: [] })))).toEqual(['stages:required']);
    expect(validatePipeline(definition({ stages: [stage('lost-cause', 0), stage('signed', 100)] })).stages).toHaveLength(2);
  });

  it('bounds the rule lists: at most 100 distinct entries of at most 100 characters, naming the field', () => {
    const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    expect(
      validatePipeline(definition({ interests: [...many(100, 'i'), 'I0 '], sourceChannels: ['x'.repeat(100)] })).interests,
    ).toHaveLength(100);
    expect(
      violationsOf(() => validatePipeline(definition({ interests: many(101, 'i'), sourceChannels: ['ok', 'x'.repeat(101)] }))),
    ).toEqual(['interests:max', 'source_channels[1]:length']);
  });

  it('tells which stages a change removes', () => {
    expect(removedStages(definition(), definition({ stages: [stage('deal'), stage('new')] }))).toEqual(['intro']);
    expect(removedStages(definition(), definition())).toEqual([]);
  });
});

describe('pipeline rule', () => {
  const at = (ms: number) => new Date(ms);
  const partners: Pipeline = {
    ...salesPipeline,
    ...definition({ interests: ['partnership'] }),
    id: 'partners',
    isDefault: false,
    createdAt: at(1),
  };
  const events: Pipeline = {
    ...salesPipeline,
    ...definition({ sourceChannels: ['trade-fair'], interests: ['partnership'] }),
    id: 'events',
    isDefault: false,
    createdAt: at(2),
  };
  const all = [salesPipeline, partners, events];

  it('takes the first pipeline that takes the interest (any case) or the source, else the default', () => {
    expect(choosePipeline(all, { interest: ' Partnership', sourceChannel: 'trade-fair' })?.id).toBe('partners');
    expect(choosePipeline(all, { interest: 'CRM', sourceChannel: 'Trade-Fair' })?.id).toBe('events');
    expect(choosePipeline(all, { interest: 'CRM', sourceChannel: 'web-form' })?.id).toBe('sales');
    expect(choosePipeline(all, { interest: '', sourceChannel: '' })?.id).toBe('sales');
  });

  it('finds nothing when there is no default and nothing matches', () => {
    expect(choosePipeline([partners], { interest: 'CRM', sourceChannel: '' })).toBeUndefined();
  });
});
