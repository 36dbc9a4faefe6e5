export * from './quota-ledger.js';
