// Public API of the observability area; exported from lib/index.ts.
export {};
