import { QualificationServiceService, type QualificationServiceServer } from '@crm/contracts';
import { ValidationError } from '@crm/errors';
import type { Logger } from '@crm/logging';
import { unary, type GrpcServiceBinding } from '@crm/service-runtime';
import type { QualificationCommands } from '../application/qualification-commands';
import { decisionFromProto, toProtoQualification } from './qualification.mapper';

export function qualificationServiceBinding(deps: { commands: QualificationCommands; logger: Logger }): GrpcServiceBinding {
  const { commands, logger } = deps;
  const implementation: QualificationServiceServer = {
    getQualification: unary(logger, async (req) => ({ qualification: toProtoQualification(await commands.get(req.leadId)) })),
    qualifyLead: unary(logger, async (req) => {
      const decision = decisionFromProto(req.decision);
      if (!decision) throw new ValidationError([{ field: 'decision', rule: 'enum', message: 'must be QUALIFIED or DISQUALIFIED' }]);
      return { qualification: toProtoQualification(await commands.decide(req.leadId, decision, req.reason, req.actor)) };
    }),
  };
  return { name: 'crm.v1.QualificationService', definition: QualificationServiceService, implementation };
}
