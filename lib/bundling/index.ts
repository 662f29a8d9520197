// Public API of the bundling area; exported from lib/index.ts.
export {};
