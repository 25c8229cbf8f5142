export * from './mongo-connection';
export * from './cursor-page';
