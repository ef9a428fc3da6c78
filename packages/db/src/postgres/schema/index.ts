export * from './users';
export * from './expectations';
export * from './webhook-events';
export * from './mutation-rate-limits';
