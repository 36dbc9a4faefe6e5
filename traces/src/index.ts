export * from './format/line-parser.js';
export * from './format/record.js';
export { toJobConfig } from './format/to-job-config.js';
export { isGzipFile, readLines } from './io/lines.js';
export * from './io/reader.js';
export { TraceWriter } from './io/writer.js';
