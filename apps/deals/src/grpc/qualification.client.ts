import {
  QualificationDecision,
  qualificationDecisionCodec,
  QualificationServiceClient,
  type GetQualificationResponse,
} from '@crm/contracts';
import type { GrpcPeer } from '@crm/config';
import { PreconditionFailedError } from '@crm/errors';
import { callPeer, peerClient } from '@crm/service-runtime';
import type { QualificationCheck } from '../application/deal-opening';

// QualificationService.GetQualification over gRPC, answering the one question deals asks: is this lead
// qualified? An unknown lead is not qualified (FAILED_PRECONDITION); a peer that cannot answer in time is
// UNAVAILABLE, so the caller knows to retry rather than fix its request.
export class QualificationGateway implements QualificationCheck {
  private readonly client: QualificationServiceClient;

  constructor(private readonly peer: GrpcPeer) {
    this.client = peerClient(QualificationServiceClient, peer);
  }

  async requireQualified(leadId: string): Promise<void> {
    const response = await callPeer<GetQualificationResponse>(
      this.peer,
      'crm.v1.QualificationService/GetQualification',
      (metadata, options, done) => this.client.getQualification({ leadId }, metadata, options, done),
    );
    if (!response)
      throw new PreconditionFailedError('LEAD_NOT_QUALIFIED', `lead ${leadId} is not qualified: qualification knows no such lead`);
    const decision = response.qualification?.decision ?? QualificationDecision.QUALIFICATION_DECISION_UNSPECIFIED;
    if (decision !== QualificationDecision.QUALIFICATION_DECISION_QUALIFIED) {
      const name =
        qualificationDecisionCodec.fromProto(decision) ??
        (decision === QualificationDecision.QUALIFICATION_DECISION_UNSPECIFIED ? 'unspecified' : String(decision));
      throw new PreconditionFailedError('LEAD_NOT_QUALIFIED', `lead ${leadId} is not qualified (qualification decision: ${name})`);
    }
  }

  close(): void {
    this.client.close();
  }
}
