/**
 * Browser-neutral part of the visualizer: the run-output types and the pure data transforms the
 * page uses. Node-side delivery (report.html, `borealis viz`) is `@borealis/visualizer/node`.
 */

export { decodeHostMatrix, encodeBase64, type HostMatrix, reduceHostMatrix } from './data/host-matrix.js';
export type * from './data/payload.js';
export type * from './data/run-files.js';
export { parseTimeSeries, type TimeSeries } from './data/timeseries.js';
// The report writers are also reachable from the package root, for callers that resolve
// `@borealis/visualizer` at run time (sim's report step). The page never imports this file.
export { writeComparisonReport, writeReport } from './node/index.js';
export { cdfFromQuantiles, quantilesOf } from './transforms/cdf.js';
export { peakKeepingIndices, peakKeepingRows } from './transforms/downsample.js';
export { lifecycleRows } from './transforms/lifecycle.js';
export { stackTiers } from './transforms/stack-tiers.js';
