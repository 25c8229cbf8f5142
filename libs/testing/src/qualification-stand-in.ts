import { Server, ServerCredentials, status, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import {
  Qualification,
  QualificationDecision,
  QualificationServiceService,
  type GetQualificationRequest,
  type GetQualificationResponse,
} from '@crm/contracts';

// A real gRPC server implementing QualificationService, standing in for the qualification service at the network
// boundary: it answers GetQualification from the decisions a test sets.
export class QualificationStandIn {
  readonly decisions = new Map<string, QualificationDecision>();
  calls = 0;

  private constructor(
    private readonly server: Server,
    readonly address: string,
  ) {}

  static async start(): Promise<QualificationStandIn> {
    const server = new Server();
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
    );
    const standIn = new QualificationStandIn(server, `127.0.0.1:${port}`);
    // Only GetQualification: grpc-js answers UNIMPLEMENTED for the methods left out.
    server.addService(QualificationServiceService, {
      getQualification: (
        call: ServerUnaryCall<GetQualificationRequest, GetQualificationResponse>,
        done: sendUnaryData<GetQualificationResponse>,
      ) => {
        standIn.calls += 1;
        const decision = standIn.decisions.get(call.request.leadId);
        if (decision === undefined) return done({ code: status.NOT_FOUND, details: `lead ${call.request.leadId} not found` });
        done(null, { qualification: Qualification.fromPartial({ leadId: call.request.leadId, decision, score: 50 }) });
      },
    });
    return standIn;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
  }
}
