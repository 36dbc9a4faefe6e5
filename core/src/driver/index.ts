export { DriverLoop, type DriverLoopOptions, type StepSource } from './driver-loop.js';
