export * from './builders.js';
export * from './defaults.js';
export * from './field-path.js';
export * from './normalize.js';
export * from './schema.js';
export * from './template.js';
export * from './to-input.js';
