// Public API of the observability area; exported from lib/index.ts.
export * from './queries';
export * from './filter-patterns';
export * from './metrics';
export * from './metric-filters';
export * from './dashboard';
export * from './powertools';
