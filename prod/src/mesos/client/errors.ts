/** A call the master refused: the HTTP status and Mesos's own text (e.g. `Framework is not subscribed`). */
export class MesosCallError extends Error {
  constructor(
    readonly callType: string,
    readonly status: number,
    readonly body: string,
    readonly url: string,
  ) {
    super(`Mesos refused ${callType} with ${status} at ${url}: ${body.trim() || '(empty body)'}`);
    this.name = 'MesosCallError';
  }
}

/** A call made while the client has no subscription (no framework id or stream id to send yet). */
export class NotSubscribedError extends Error {
  constructor(callType: string, state: string) {
    super(`Cannot send ${callType}: the scheduler client is ${state}, not subscribed`);
    this.name = 'NotSubscribedError';
  }
}

/** The master could not be reached or its stream broke: a transport failure, retried by the client. */
export class MesosConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MesosConnectionError';
  }
}
