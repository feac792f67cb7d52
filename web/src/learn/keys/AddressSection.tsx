// Public key → SHA-256 → first 20 bytes → bech32m with prefix and checksum; a typo is caught.
import { useEffect, useState } from 'react';
import { NETWORKS, type NetworkName } from '../../../../src/core/params.js';
import { useNode } from '../../api/node.js';
import { checkAddress, deriveAddress, differingIndexes, oneLetterTypo } from '../lib/keys.js';
import { HexLine, Verdict } from '../ui.js';

export function AddressSection({ publicKey }: { publicKey: Uint8Array }) {
  const { status } = useNode();
  const nodeNetwork =
    status?.network && status.network in NETWORKS ? (status.network as NetworkName) : 'main';
  const [network, setNetwork] = useState<NetworkName>(nodeNetwork);
  const prefix = NETWORKS[network].addressPrefix;
  const d = deriveAddress(prefix, publicKey);
  const [typed, setTyped] = useState(d.address);
  const [typoAt, setTypoAt] = useState(0);
  // A new key or network starts the check again from the correct address.
  useEffect(() => setTyped(d.address), [d.address]);
  const check = checkAddress(prefix, typed);
  const diff = typed.length === d.address.length ? differingIndexes(d.address, typed) : new Set<number>();

  return (
    <section className="card learn-section learn-step" aria-labelledby="keys-address">
      <h2 id="keys-address">From public key to address</h2>
      <p>
        An address is not the key itself: it is the first 20 bytes of the key's SHA-256, written in bech32m —
        a prefix naming the network, the hash in a 32-letter alphabet without look-alike characters, and a
        6-character checksum that catches any typo of up to four letters.
      </p>
      <div className="learn-controls">
        <div className="field">
          <label htmlFor="keys-network">Network</label>
          <select
            id="keys-network"
            value={network}
            onChange={(e) => setNetwork(e.target.value as NetworkName)}
            data-testid="keys-network"
          >
            {(Object.keys(NETWORKS) as NetworkName[]).map((n) => (
              <option key={n} value={n}>
                {n} (prefix {NETWORKS[n].addressPrefix})
              </option>
            ))}
          </select>
        </div>
      </div>
      <ol className="learn-derivation">
        <li>
          <HexLine label="1 · Public key (32 bytes)">{d.publicKey}</HexLine>
        </li>
        <li>
          <HexLine label="2 · SHA-256 of it — the first 20 bytes are kept" testId="keys-sha">
            <span className="hl-used">{d.sha256.slice(0, 40)}</span>
            {d.sha256.slice(40)}
          </HexLine>
        </li>
        <li>
          <HexLine label="3 · bech32m: prefix · 1 · key hash · checksum" testId="keys-address">
            <span className="hl-prefix">{d.prefix}</span>1<span className="hl-used">{d.data}</span>
            <span className="hl-checksum">{d.checksum}</span>
          </HexLine>
        </li>
      </ol>
      <div className={`learn-box ${check.ok ? 'ok' : 'bad'}`}>
        <div className="field">
          <label htmlFor="keys-typed">Address as someone typed it</label>
          <input
            id="keys-typed"
            value={typed}
            spellCheck={false}
            onChange={(e) => setTyped(e.target.value.trim())}
            data-testid="keys-typed"
          />
        </div>
        {diff.size > 0 && (
          <code className="hash hash-full" data-testid="keys-typo-view">
            {[...typed].map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: characters of a fixed string, by position.
              <span key={i} className={diff.has(i) ? 'hl-typo' : undefined}>
                {c}
              </span>
            ))}
          </code>
        )}
        <Verdict
          ok={check.ok}
          okText={
            check.ok && check.hash === d.hash ? 'valid address: decodes to the key hash' : 'valid address'
          }
          code="bad-address"
          message={check.ok ? undefined : check.reason}
          testId="keys-address-check"
        />
        <div className="row">
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              setTyped(oneLetterTypo(d.address, typoAt));
              setTypoAt((i) => (i + 7) % 32);
            }}
            data-testid="keys-typo"
          >
            Make a one-letter typo
          </button>
          <button type="button" className="btn btn-small" onClick={() => setTyped(d.address)}>
            Restore
          </button>
        </div>
      </div>
    </section>
  );
}
