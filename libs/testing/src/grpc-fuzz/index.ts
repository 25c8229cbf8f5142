export * from './grpc-fuzzer';
export * from './hostile-values';
export * from './wire-bytes';
