export * from './domain-error-code';
export * from './error-reasons';
export * from './domain-error';
