// Step 5: a key pair, a signature that breaks when one character of the message changes, and an
// address derived from the public key whose checksum catches a one-letter typo.
import { useMemo, useState } from 'react';
import { toHex } from '../../../../src/core/bytes.js';
import { generateKeyPair, type KeyPair } from '../../../../src/crypto/ed25519.js';
import { keyFromText, signText, verifyText } from '../lib/keys.js';
import { HexLine, Verdict } from '../ui.js';
import { AddressSection } from './AddressSection.js';

const START_MESSAGE = 'Pay Bob 10 HL';

export function KeysStep() {
  const [seedText, setSeedText] = useState('my first Hashline key');
  const [random, setRandom] = useState<KeyPair | null>(null);
  const keys = useMemo(() => random ?? keyFromText(seedText), [random, seedText]);
  const [message, setMessage] = useState(START_MESSAGE);
  const signature = useMemo(() => signText(message, keys.privateKey), [message, keys]);
  const [received, setReceived] = useState(START_MESSAGE);
  const valid = verifyText(keys.publicKey, received, signature);

  return (
    <>
      <section className="card learn-section learn-step" aria-labelledby="keys-pair">
        <h2 id="keys-pair">A key pair</h2>
        <p>
          A private key is 32 random bytes; the public key is computed from it (Ed25519), never the other way
          round. Here the private key is the SHA-256 of a phrase so you can get the same one back — a real
          wallet draws it at random.
        </p>
        <div className="learn-controls">
          <div className="field">
            <label htmlFor="keys-seed">Phrase</label>
            <input
              id="keys-seed"
              value={random ? '' : seedText}
              placeholder={random ? '(random key)' : ''}
              onChange={(e) => {
                setRandom(null);
                setSeedText(e.target.value);
              }}
              data-testid="keys-seed"
            />
          </div>
          <button
            type="button"
            className="btn"
            onClick={() => setRandom(generateKeyPair())}
            data-testid="keys-random"
          >
            New random key
          </button>
        </div>
        <HexLine label="Private key (keep secret)" testId="keys-private">
          {toHex(keys.privateKey)}
        </HexLine>
        <HexLine label="Public key (share it)" testId="keys-public">
          {toHex(keys.publicKey)}
        </HexLine>
      </section>

      <section className="card learn-section learn-step" aria-labelledby="keys-sign">
        <h2 id="keys-sign">Sign, then change one character</h2>
        <p>
          Signing combines the message with the private key. Anyone holding the public key can check the
          signature, but nobody can make one without the private key — and it fits only this exact message.
        </p>
        <div className="learn-grid">
          <div className="learn-box">
            <div className="field">
              <label htmlFor="keys-message">Message the owner signs</label>
              <textarea
                id="keys-message"
                rows={2}
                value={message}
                onChange={(e) => setMessage(e.target.value)}
                data-testid="keys-message"
              />
            </div>
            <HexLine label="Signature (64 bytes)" testId="keys-signature">
              {toHex(signature)}
            </HexLine>
          </div>
          <div className={`learn-box ${valid ? 'ok' : 'bad'}`}>
            <div className="field">
              <label htmlFor="keys-received">Message as received (edit it)</label>
              <textarea
                id="keys-received"
                rows={2}
                value={received}
                onChange={(e) => setReceived(e.target.value)}
                data-testid="keys-received"
              />
            </div>
            <Verdict
              ok={valid}
              okText="signature verifies"
              code="bad-signature"
              message="the signature does not match this message and public key"
              testId="keys-verify"
            />
            <div className="row">
              <button type="button" className="btn btn-small" onClick={() => setReceived(message)}>
                Copy the signed message
              </button>
            </div>
          </div>
        </div>
      </section>

      <AddressSection publicKey={keys.publicKey} />
    </>
  );
}
