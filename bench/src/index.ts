/** The benchmark harness, for suites in other packages' folders of bench/src/suites. */
export { describeMachine, type MachineInfo } from './harness/machine.js';
export { type MicroCase, type MicroFigures, type MicroOptions, micro } from './harness/micro.js';
export { shapeResultFile } from './harness/result-file.js';
export type { BenchSuite, Figures, FigureValue, SuiteContext, SuiteOutput } from './harness/suite.js';
export { formatTable, toRows } from './harness/table.js';
export { collectGarbage, type TimedFigures, timed } from './harness/timed.js';
