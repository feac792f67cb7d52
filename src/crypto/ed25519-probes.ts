// Signatures on which Ed25519 verifiers are known to differ, with the rule's answer (docs/protocol.md,
// "Signature acceptance rule"). The node runs each candidate verifier on them before trusting it, so a
// library whose acceptance set changed under it (say, a libsodium that checks the cofactored equation)
// is passed over instead of splitting consensus. Taken from test/unit/crypto/ed25519-vectors.ts.

export interface RuleProbe {
  readonly name: string;
  readonly publicKey: string;
  readonly message: string;
  readonly signature: string;
  readonly valid: boolean;
}

export const RULE_PROBES: readonly RuleProbe[] = [
  {
    name: 'an honest signature',
    publicKey: '8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c',
    message: '360b4d5f94b98fa4416c1c66b81b38fa03006c4b2c9a000f5931a6ce99ba83d6',
    signature:
      '0b6fd47b186a873752224a2dfe35a8b86ca4cccd85b9c48991b1aa7834174bcdf2775054d1e9026be436d7d991d8812d988704ab8b759dca3a07aa7dbc5db509',
    valid: true,
  },
  {
    name: 'S + L',
    publicKey: '8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c',
    message: '360b4d5f94b98fa4416c1c66b81b38fa03006c4b2c9a000f5931a6ce99ba83d6',
    signature:
      '0b6fd47b186a873752224a2dfe35a8b86ca4cccd85b9c48991b1aa7834174bcddf4b46b1eb4c15c3bad3ce7c70d26042988704ab8b759dca3a07aa7dbc5db519',
    valid: false,
  },
  {
    name: 'small-order A, small-order R, S = 0',
    publicKey: '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
    message: '65481a287b6d123c5d75da964e717f202fdc1acd4298b24da4fdcc5f1cc061ca',
    signature:
      'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa0000000000000000000000000000000000000000000000000000000000000000',
    valid: false,
  },
  {
    name: 'mixed-order A, [k]T ≠ 0',
    publicKey: '9ad20821de2e011f7651f620a37aa166772464c5b97e62647eccb10433cbb65e',
    message: '65481a287b6d123c5d75da964e717f202fdc1acd4298b24da4fdcc5f1cc061ca',
    signature:
      'd78f612514ace86fc28b4a268e81211fad7fb5c1886e8ca81e00512aeed0ddb5803e65b36048d53786e785793849cbfa081b885eb9e7cdebbf092e22fba4450e',
    valid: false,
  },
  {
    name: 'mixed-order A, k a multiple of 8',
    publicKey: '9ad20821de2e011f7651f620a37aa166772464c5b97e62647eccb10433cbb65e',
    message: '360b4d5f94b98fa4416c1c66b81b38fa03006c4b2c9a000f5931a6ce99ba83d6',
    signature:
      'd78f612514ace86fc28b4a268e81211fad7fb5c1886e8ca81e00512aeed0ddb5337e619e2ffa0a0cb316979d7a2add4e0150b5646c0bcba778f0abfd39f0bc0f',
    valid: true,
  },
  {
    name: 'prime-order A, R = [r]B + T',
    publicKey: '6e7a1cdd29b0b78fd13af4c5598feff4ef2a97166e3ca6f2e4fbfccd80505bf1',
    message: 'b53616820ad7f351e770d2e083b1626f85e72899b2d845cfdc931915f19f049b',
    signature:
      'b26b5814d9d7b8cf4c6ee920689bc72515dcf47ff0c5bed2dbedebae8449c43a28aa289b288fba739925b3b3c43fe32ada6f521a93dae8e403c12296abc33703',
    valid: false,
  },
  {
    name: 'R = identity (canonical), S = k·a',
    publicKey: '8a875fff1eb38451577acd5afee405456568dd7c89e090863a0557bc7af49f17',
    message: '2d6173cbad41591a1f29bb19aed532ec6dac5b209dd5d3be7462322acba4bc73',
    signature:
      '010000000000000000000000000000000000000000000000000000000000000072daa5456a10a9bc355ab001eb67d41ebd257d5c3d3e9c27f2b30175e7435300',
    valid: true,
  },
];
