export * from './generated/crm/v1/money';
export * from './generated/crm/v1/lead';
export * from './generated/crm/v1/lead_service';
export * from './generated/crm/v1/qualification';
export * from './generated/crm/v1/qualification_service';
export * from './generated/crm/v1/deal';
export * from './generated/crm/v1/deal_service';
export * from './generated/crm/v1/reporting';
export * from './generated/crm/v1/events';
export * from './event-catalog';
export * from './personal-data';
export * from './enum-codec';
export * from './descriptor-set';
// google.rpc's error model: a refusal's reason travels as an ErrorInfo in the grpc-status-details-bin trailer.
export { Status as RpcStatus } from './generated/google/rpc/status';
export { ErrorInfo } from './generated/google/rpc/error_details';
export { Any } from './generated/google/protobuf/any';
