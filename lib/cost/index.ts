// Public API of the cost model; exported from lib/index.ts.
// Internal helpers (strategiesOf, formatCostTable, reportCostAtSynth) are imported from their files.
export { ColdStartCost } from './estimate';
export type { ColdStartCostEstimate, ColdStartCostProps, LambdaPriceOverrides, StrategyCost, TrafficProfile } from './estimate';
export type { FunctionCostEstimateOptions } from './at-synth';
