// Public API of the cost model; exported from lib/index.ts.
export { ColdStartCost, ColdStartCostEstimate, ColdStartCostProps, LambdaPriceOverrides, StrategyCost, TrafficProfile } from './estimate';
export { FunctionCostEstimateOptions } from './at-synth';
