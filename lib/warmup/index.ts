// Public API of the warmup area; exported from lib/index.ts.
export * from './options';
export * from './alias-warmer';
export * from './handler';
export * from './stack-warmer';
