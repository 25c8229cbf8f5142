export * from './api-keys';
export * from './named-secrets.schema';
export * from './scopes';
export * from './bearer-tokens';
