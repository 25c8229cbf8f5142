import { status, type sendUnaryData, type ServerUnaryCall, type ServiceError } from '@grpc/grpc-js';
import { LeadServiceService } from '@crm/contracts';
import { refusingUndecodableRequests } from './undecodable-requests';

describe('refusingUndecodableRequests', () => {
  const handled: unknown[] = [];
  const handler = (call: ServerUnaryCall<unknown, unknown>, done: sendUnaryData<unknown>) => {
    handled.push(call.request);
    done(null, {});
  };
  const { definition, implementation } = refusingUndecodableRequests(LeadServiceService, { getLead: handler, listLeads: handler });

  // Decodes the bytes as grpc-js would, then runs the guarded handler; the error it answered with, if any.
  function serve(method: 'getLead' | 'listLeads', bytes: Buffer): Promise<Partial<ServiceError> | null> {
    const request = definition[method].requestDeserialize(bytes);
    type Handler = (call: { request: unknown }, done: (err: Partial<ServiceError> | null) => void) => void;
    return new Promise((resolve) => (implementation[method] as unknown as Handler)({ request }, (err) => resolve(err)));
  }

  beforeEach(() => handled.splice(0));

  it('answers INVALID_ARGUMENT to bytes that do not decode, without calling the handler', async () => {
    // Field 1 announces 5 bytes and none follow.
    expect(await serve('getLead', Buffer.from([0x0a, 0x05]))).toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(handled).toEqual([]);
  });

  it('answers INVALID_ARGUMENT to a Timestamp past what a Date holds', async () => {
    // ListLeadsRequest.created_from (field 9) with seconds = 2^62.
    const createdFrom = Buffer.from([0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]);
    const err = await serve('listLeads', Buffer.concat([Buffer.from([0x4a, createdFrom.length]), createdFrom]));
    expect(err).toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringContaining('createdFrom') });
    expect(handled).toEqual([]);
  });

  it('passes a request that decodes to the handler', async () => {
    expect(await serve('getLead', Buffer.from([0x0a, 0x01, 0x78]))).toBeNull();
    expect(handled).toEqual([{ id: 'x' }]);
  });
});
