// Public API of the bundling area; exported from lib/index.ts.
// Internal helpers for other areas (import them from their files, not from here):
// - ./size-guard: checkDeploymentSize (250 MB / 5 layers / budget), measureDirectory
// - ./bundler: DEFAULT_HANDLER_EXCLUDES, LocalPythonBundler (bundling engine)
export * from './options';
export * from './layer';
export * from './handler-code';
export * from './size-report';
