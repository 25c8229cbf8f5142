import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';

// Client side: sends `authorization: Bearer <token>` with every call. An interceptor rather than call credentials,
// which grpc-js refuses to combine with a plaintext channel.
export function bearerToken(token: string): Interceptor {
  return (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set('authorization', `Bearer ${token}`);
        next(metadata, listener);
      },
    });
}
