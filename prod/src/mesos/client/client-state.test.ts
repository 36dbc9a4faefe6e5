import { describe, expect, it } from 'vitest';
import { type ClientInput, type ClientState, nextState } from './client-state.js';

describe('client states', () => {
  it('subscribes through subscribing, and falls back to disconnected when the stream is lost', () => {
    const path: [ClientInput, ClientState][] = [
      ['connect', 'subscribing'],
      ['subscribed', 'subscribed'],
      ['lost', 'disconnected'],
      ['connect', 'subscribing'],
      ['lost', 'disconnected'],
      ['close', 'closed'],
      ['start', 'disconnected'],
    ];
    let state: ClientState = 'disconnected';
    for (const [input, expected] of path) {
      state = nextState(state, input)!;
      expect(state).toBe(expected);
    }
  });

  it('refuses inputs that make no sense', () => {
    expect(nextState('disconnected', 'subscribed')).toBeUndefined();
    expect(nextState('subscribed', 'connect')).toBeUndefined();
    expect(nextState('closed', 'connect')).toBeUndefined();
  });
});
