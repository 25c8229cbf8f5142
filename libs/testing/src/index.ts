export * from './test-infra';
export * from './wait-for';
export * from './free-port';
export * from './broker-probe';
export * from './service-process';
export * from './grpc-client';
export * from './tcp-proxy';
export * from './in-process-service';
