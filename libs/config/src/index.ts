export * from './load-config';
export * from './env-schemas';
export * from './secret';
export * from './grpc-peer-env';
