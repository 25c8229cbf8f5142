import { AlreadyExistsError, ConcurrencyConflictError, NotFoundError, PreconditionFailedError } from '@crm/errors';
import type { Logger } from '@crm/logging';
import { defaultRuleSet, type RuleSet } from '../domain/rule-set';
import { nextRevision, type RuleSetRevision } from '../domain/rule-set-revision';
import { parseRuleSet } from '../domain/rule-set.schema';
import type { RuleSetRepository } from '../store/rule-set.repository';

export interface ReplaceRuleSet {
  // Not yet validated: it comes from a request.
  ruleSet: unknown;
  actor: string;
  reason: string;
  expectedActiveVersion: string;
}

// The stored rule set versions and the one in force. Every copy of the service checks which version is in force
// at most `cacheMs` after it last did, so a replacement reaches every copy within that time (at once on this one).
export class RuleSetCatalog {
  private cached?: { revision: RuleSetRevision; until: number };
  private loading?: Promise<RuleSet>;
  private generation = 0;

  constructor(
    private readonly ruleSets: RuleSetRepository,
    private readonly cacheMs: number,
    private readonly logger: Logger,
    private readonly now: () => Date,
  ) {}

  // Stores the default rule set as the first version when none is stored; racing copies agree through the unique keys.
  async seedDefault(): Promise<RuleSetRevision> {
    const existing = await this.ruleSets.active();
    if (existing) return existing;
    const seeded = nextRevision(null, defaultRuleSet, 'system', 'default rule set shipped with the service', this.now());
    if ((await this.ruleSets.insert(seeded)) === 'inserted')
      this.logger.info({ version: defaultRuleSet.version }, 'default rule set stored');
    return (await this.ruleSets.active()) ?? seeded;
  }

  async inForce(): Promise<RuleSet> {
    if (this.cached && Date.now() < this.cached.until) return this.cached.revision.ruleSet;
    if (!this.loading) {
      const generation = this.generation;
      this.loading = this.revisionInForce()
        .then((revision) => {
          if (generation === this.generation) this.cached = { revision, until: Date.now() + this.cacheMs };
          return revision.ruleSet;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    return this.loading;
  }

  // While the sequence in force is the cached one, the cached revision is reused as it is: the rules are neither
  // read nor validated again, and scoring keeps the keyword lists it parsed for these very condition objects.
  private async revisionInForce(): Promise<RuleSetRevision> {
    const cached = this.cached?.revision;
    if (cached && (await this.ruleSets.activeSequence()) === cached.sequence) return cached;
    return this.seedDefault();
  }

  async get(version: string): Promise<RuleSetRevision> {
    const revision = version === '' ? await this.seedDefault() : await this.ruleSets.find(version);
    if (!revision) throw new NotFoundError('RULE_SET_VERSION_NOT_FOUND', 'rule set version', version);
    return revision;
  }

  list(): Promise<RuleSetRevision[]> {
    return this.ruleSets.list();
  }

  async replace(request: ReplaceRuleSet): Promise<RuleSetRevision> {
    const ruleSet = parseRuleSet(request.ruleSet);
    const current = await this.seedDefault();
    if (request.expectedActiveVersion !== '' && request.expectedActiveVersion !== current.ruleSet.version) {
      throw new PreconditionFailedError(
        'RULE_SET_NOT_IN_FORCE',
        `version ${current.ruleSet.version} is in force, not ${request.expectedActiveVersion}`,
      );
    }
    const revision = nextRevision(current, ruleSet, request.actor, request.reason, this.now());
    const outcome = await this.ruleSets.insert(revision);
    if (outcome === 'version-taken')
      throw new AlreadyExistsError(
        'RULE_SET_VERSION_EXISTS',
        `rule set version ${ruleSet.version} exists; give the new rules a new version`,
      );
    if (outcome === 'sequence-taken') throw new ConcurrencyConflictError('CONCURRENT_UPDATE', 'the rule set was replaced meanwhile; retry');
    this.generation++;
    this.cached = undefined;
    this.logger.info({ version: ruleSet.version, by: request.actor }, 'rule set replaced');
    return revision;
  }
}
