// How fast each peer delivers a block download's answers (bytes a second, smoothed), so that a slow
// peer is asked for what it sends in about a second (DOWNLOAD_LIMITS.batchSeconds): the blocks it holds
// then keep the window's front waiting that long, not the many seconds a full batch takes on its link.

export class DeliveryRates {
  private readonly rates = new Map<string, number>();
  /** When each peer's last answer came (ms): a peer answers its requests one after the other. */
  private readonly lastAnswer = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** An answer of `bytes` to a request sent at `sentAt` (ms), timed from when the peer could start on it. */
  answered(peer: string, sentAt: number, bytes: number): void {
    const now = this.now();
    const from = Math.max(sentAt, this.lastAnswer.get(peer) ?? sentAt);
    this.lastAnswer.set(peer, now);
    const rate = (bytes * 1000) / Math.max(1, now - from);
    const before = this.rates.get(peer);
    this.rates.set(peer, before === undefined ? rate : (before + rate) / 2);
  }

  /** Bytes a second, once the peer has answered. */
  rateOf(peer: string): number | undefined {
    return this.rates.get(peer);
  }
}
