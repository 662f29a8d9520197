// Public API of the concurrency area; exported from lib/index.ts.
export {};
