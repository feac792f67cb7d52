// A listening port that is taken, told apart from other start failures so the CLI can name the option.

/** Thrown by start() when the TCP port (or the WebSockets one) is taken. */
export class P2PPortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly option: '--p2p-port' | '--ws-port' = '--p2p-port',
  ) {
    super(
      `${option === '--ws-port' ? 'WebSockets' : 'P2P'} port ${port} is already in use: choose another with ${option}`,
    );
    this.name = 'P2PPortInUseError';
  }
}

/** The WebSockets listener's port is the one taken (libp2p's error names the address). */
export function wsPortTaken(err: unknown, wsPort: number | undefined): boolean {
  if (!wsPort) return false;
  const port = new RegExp(`:${wsPort}(?!\\d)`);
  for (let e = err as { message?: string; cause?: unknown } | undefined; e; e = e.cause as never) {
    if (e.message !== undefined && port.test(e.message)) return true;
  }
  return false;
}

export function isAddrInUse(err: unknown): boolean {
  for (
    let e = err as { code?: string; message?: string; cause?: unknown } | undefined;
    e;
    e = e.cause as never
  ) {
    if (e.code === 'EADDRINUSE' || e.message?.includes('EADDRINUSE')) return true;
  }
  return false;
}
