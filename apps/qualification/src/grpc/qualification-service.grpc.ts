import { z } from 'zod';
import { qualificationDecisionCodec, QualificationServiceService, type QualificationServiceServer } from '@crm/contracts';
import { ValidationError } from '@crm/errors';
import type { Logger } from '@crm/logging';
import { actorOf, parseOrThrow, unary, type GrpcServiceBinding } from '@crm/service-runtime';
import type { QualificationCommands } from '../application/qualification-commands';
import type { RuleSetCatalog } from '../application/rule-set-catalog';
import { toProtoQualification } from './qualification.mapper';
import { qualificationServiceScopes } from './qualification-service.scopes';
import { revisionToProto, ruleSetInputFromProto } from './rule-set.mapper';

const replaceRuleSetRequest = z.object({
  rule_set: z.custom<unknown>((value) => value !== undefined, 'is required'),
  actor: z.string().trim().max(200, 'must be at most 200 characters'),
  reason: z.string().trim().max(500, 'must be at most 500 characters'),
  expected_active_version: z.string().trim().max(64, 'must be at most 64 characters'),
});

export function qualificationServiceBinding(deps: {
  commands: QualificationCommands;
  ruleSets: RuleSetCatalog;
  logger: Logger;
}): GrpcServiceBinding {
  const { commands, ruleSets, logger } = deps;
  const implementation: QualificationServiceServer = {
    getQualification: unary(logger, async (req) => ({ qualification: toProtoQualification(await commands.get(req.leadId)) })),
    qualifyLead: unary(logger, async (req, call) => {
      // An unknown number is as wrong a decision as none: both name DECISION_INVALID.
      const decision = qualificationDecisionCodec.fromProto(req.decision);
      if (!decision)
        throw new ValidationError('DECISION_INVALID', [{ field: 'decision', rule: 'enum', message: 'must be QUALIFIED or DISQUALIFIED' }]);
      return { qualification: toProtoQualification(await commands.decide(req.leadId, decision, req.reason, actorOf(call, req.actor))) };
    }),
    getRuleSet: unary(logger, async (req) => {
      const [revision, active] = await Promise.all([ruleSets.get(req.version.trim()), ruleSets.get('')]);
      return { revision: revisionToProto(revision, active.ruleSet.version) };
    }),
    replaceRuleSet: unary(logger, async (req, call) => {
      const valid = parseOrThrow(replaceRuleSetRequest, {
        rule_set: ruleSetInputFromProto(req.ruleSet),
        actor: req.actor,
        reason: req.reason,
        expected_active_version: req.expectedActiveVersion,
      });
      const revision = await ruleSets.replace({
        ruleSet: valid.rule_set,
        actor: actorOf(call, valid.actor),
        reason: valid.reason,
        expectedActiveVersion: valid.expected_active_version,
      });
      return { revision: revisionToProto(revision, revision.ruleSet.version) };
    }),
    listRuleSetVersions: unary(logger, async () => {
      const revisions = await ruleSets.list();
      return { revisions: revisions.map((r) => revisionToProto(r, revisions[0]?.ruleSet.version ?? '')) };
    }),
  };
  return {
    name: 'crm.v1.QualificationService',
    definition: QualificationServiceService,
    implementation,
    scopes: qualificationServiceScopes,
  };
}
