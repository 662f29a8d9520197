// Public API of cdk-python-coldstart. Each feature area lives in its own folder and exports its
// public types through its index.
export * from './bundling';
export * from './function';
export * from './concurrency';
export * from './warmup';
export * from './observability';
export * from './compliance';
export * from './profile';
export * from './cost';
