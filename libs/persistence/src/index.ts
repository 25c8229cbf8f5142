export * from './mongo-connection';
export * from './cursor-page';
export * from './write-helpers';
export * from './store-availability';
export * from './batched-collection';
