// Public API of the compliance area; exported from lib/index.ts.
export * from './types';
export * from './checks';
export * from './remediation';
export * from './plugin';
