// Public API of the profile area; exported from lib/index.ts.
// Internal entry points (not part of the jsii API): profileAtSynth in ./at-synth (called by
// OptimizedPythonFunction), runProfileCommand in ./cli (the `profile` subcommand of the CLI).
export * from './types';
export { InitProfiler } from './profiler';
