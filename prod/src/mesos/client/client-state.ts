/**
 * The client's states, as in mesos-go's httpsched: disconnected -> subscribing -> subscribed, and
 * closed when stopped or refused for good. The table decides; scheduler-client.ts acts.
 *
 *   disconnected --connect--> subscribing --subscribed--> subscribed
 *        ^                        |                           |
 *        +---------lost-----------+------------lost-----------+
 *   any --close--> closed --start--> disconnected
 */
export type ClientState = 'disconnected' | 'subscribing' | 'subscribed' | 'closed';
export type ClientInput = 'connect' | 'subscribed' | 'lost' | 'close' | 'start';

const TABLE: Readonly<Record<ClientState, Partial<Record<ClientInput, ClientState>>>> = {
  disconnected: { connect: 'subscribing', close: 'closed' },
  subscribing: { subscribed: 'subscribed', lost: 'disconnected', close: 'closed' },
  subscribed: { lost: 'disconnected', close: 'closed' },
  closed: { start: 'disconnected', close: 'closed' },
};

/** The next state, or undefined when the input makes no sense in this state. */
export function nextState(state: ClientState, input: ClientInput): ClientState | undefined {
  return TABLE[state][input];
}
