// Public API of the profile area; exported from lib/index.ts.
export {};
