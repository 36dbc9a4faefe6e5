export * from './quota-ledger.js';
export * from './quota-scope.js';
