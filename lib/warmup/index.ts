// Public API of the warmup area; exported from lib/index.ts.
export {};
