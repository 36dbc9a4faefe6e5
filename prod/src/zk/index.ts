export * from './client.js';
export * from './connect-string.js';
