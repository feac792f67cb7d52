// Errors the wallet reports. Each has a stable code (for the CLI, the web app and tests) and a sentence a
// person can act on.

export type WalletErrorCode =
  | 'insufficient-funds'
  | 'tx-too-large'
  | 'bad-amount'
  | 'bad-fee-rate'
  | 'bad-address'
  | 'bad-data'
  | 'bad-coin'
  | 'unknown-key'
  | 'node-unreachable'
  | 'node-error'
  | 'network-mismatch'
  | 'wallet-exists'
  | 'wallet-not-found'
  | 'bad-wallet-file'
  | 'no-password'
  | 'no-mnemonic'
  | 'bad-option'
  | 'cancelled'
  | 'already-confirmed'
  | 'not-your-transaction'
  | 'bad-policy'
  | 'bad-psbt'
  | 'psbt-mismatch'
  | 'psbt-incomplete'
  | 'nothing-to-sign'
  | 'too-large-for-qr';

export class WalletError extends Error {
  override readonly name: string = 'WalletError';
  constructor(
    readonly code: WalletErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The coins cannot pay for the payments plus the fee; both totals are in base units. */
export class InsufficientFundsError extends WalletError {
  override readonly name = 'InsufficientFundsError';
  constructor(
    readonly available: bigint,
    readonly needed: bigint,
    message: string,
  ) {
    super('insufficient-funds', message);
  }
}

/**
 * The node answered with an error: `status` is the HTTP status, `apiCode` the API's error code; `cause`
 * is the API client's ApiError when the error came through it.
 */
export class NodeApiError extends WalletError {
  override readonly name = 'NodeApiError';
  constructor(
    readonly status: number,
    readonly apiCode: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super('node-error', message, options);
  }
}
