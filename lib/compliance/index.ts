// Public API of the compliance area; exported from lib/index.ts.
export {};
