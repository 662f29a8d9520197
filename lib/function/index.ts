// Public API of the function area; exported from lib/index.ts.
export {};
