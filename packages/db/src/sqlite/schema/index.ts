export * from './users';
export * from './expectations';
export * from './webhook-events';
