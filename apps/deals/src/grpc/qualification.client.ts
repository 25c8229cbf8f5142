import { Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { QualificationDecision, QualificationServiceClient, type GetQualificationResponse } from '@crm/contracts';
import { DependencyUnavailableError, PreconditionFailedError } from '@crm/errors';
import { bearerToken } from '@crm/service-runtime';
import type { QualificationCheck } from '../application/deal-opening';

// QualificationService.GetQualification over gRPC, answering the one question deals asks: is this lead
// qualified? An unknown lead is not qualified (FAILED_PRECONDITION); a peer that cannot answer in time is
// UNAVAILABLE, so the caller knows to retry rather than fix its request.
export class QualificationGateway implements QualificationCheck {
  private readonly client: QualificationServiceClient;

  constructor(
    private readonly address: string,
    private readonly timeoutMs: number,
    credentials: ConstructorParameters<typeof QualificationServiceClient>[1],
    token: string,
  ) {
    this.client = new QualificationServiceClient(address, credentials, { interceptors: [bearerToken(token)] });
  }

  async requireQualified(leadId: string): Promise<void> {
    const response = await this.getQualification(leadId);
    const decision = response.qualification?.decision ?? QualificationDecision.QUALIFICATION_DECISION_UNSPECIFIED;
    if (decision !== QualificationDecision.QUALIFICATION_DECISION_QUALIFIED) {
      const name = QualificationDecision[decision] ?? String(decision);
      throw new PreconditionFailedError(
        `lead ${leadId} is not qualified (qualification decision: ${name.replace('QUALIFICATION_DECISION_', '').toLowerCase()})`,
      );
    }
  }

  close(): void {
    this.client.close();
  }

  private getQualification(leadId: string): Promise<GetQualificationResponse> {
    return new Promise((resolve, reject) => {
      this.client.getQualification(
        { leadId },
        new Metadata(),
        { deadline: Date.now() + this.timeoutMs },
        (err: ServiceError | null, res: GetQualificationResponse) => {
          if (!err) return resolve(res);
          if (err.code === GrpcStatus.NOT_FOUND) {
            return reject(new PreconditionFailedError(`lead ${leadId} is not qualified: qualification knows no such lead`));
          }
          reject(
            new DependencyUnavailableError(
              `qualification service at ${this.address} could not answer (${GrpcStatus[err.code]}: ${err.details}); retry later`,
            ),
          );
        },
      );
    });
  }
}
