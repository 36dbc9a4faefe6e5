/**
 * Declares a subscription dead when no event (heartbeats included) arrived for `missLimit` heartbeat
 * intervals. Mesos sends HEARTBEAT every 15 s; a stream can go silent with its socket open (a master
 * frozen, a half-open TCP connection), so only a timer on events, not on the socket, notices.
 */
export class HeartbeatWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private limitMs: number;

  constructor(
    private readonly onSilence: (silentMs: number) => void,
    private readonly missLimit = 5,
    intervalSeconds = 15,
  ) {
    this.limitMs = intervalSeconds * 1000 * missLimit;
  }

  /** (Re)starts watching with the interval the master announced in SUBSCRIBED. */
  start(intervalSeconds?: number): void {
    if (intervalSeconds !== undefined && intervalSeconds > 0)
      this.limitMs = intervalSeconds * 1000 * this.missLimit;
    this.stop();
    const limit = this.limitMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onSilence(limit);
    }, limit);
    this.timer.unref();
  }

  /** An event arrived: the stream is alive. */
  beat(): void {
    this.timer?.refresh();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
