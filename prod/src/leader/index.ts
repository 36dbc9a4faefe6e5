export { type ElectionOptions, type ElectionState, LeaderElection } from './election.js';
