// Raw bytes as hex, each field in its own colour, with a table naming every field; pointing at a
// row of the table highlights its bytes.
import { useState } from 'react';
import { toHex } from '../../../../src/core/bytes.js';
import type { ByteField } from '../lib/inspect.js';

export function ByteView({
  bytes,
  fields,
  testId,
}: {
  bytes: Uint8Array;
  fields: readonly ByteField[];
  testId: string;
}) {
  const [active, setActive] = useState<number | null>(null);
  return (
    <div className="byteview" data-testid={testId} data-length={bytes.length}>
      <p className="bytes-hex">
        {fields.map((f, i) => (
          <span
            // biome-ignore lint/suspicious/noArrayIndexKey: fields are positional.
            key={i}
            className={`bf bf-${f.kind}${active === i ? ' active' : ''}${f.hashed ? '' : ' unhashed'}`}
            title={`${f.name}: ${f.value}`}
            data-testid={`${testId}-field`}
          >
            {toHex(bytes.slice(f.start, f.start + f.length))}
          </span>
        ))}
      </p>
      <div className="table-wrap">
        <table className="learn-table byte-table">
          <thead>
            <tr>
              <th className="num">Offset</th>
              <th className="num">Bytes</th>
              <th>Field</th>
              <th>Value</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((f, i) => (
              <tr
                // biome-ignore lint/suspicious/noArrayIndexKey: fields are positional.
                key={i}
                className={active === i ? 'active' : undefined}
                onMouseEnter={() => setActive(i)}
                onMouseLeave={() => setActive(null)}
              >
                <td className="num">{f.start}</td>
                <td className="num">{f.length}</td>
                <td>
                  <span className={`bf-swatch bf-${f.kind}`} aria-hidden="true" /> {f.name}
                  {!f.hashed && <span className="muted small"> (not in the txid)</span>}
                </td>
                <td>
                  <code className="hash hash-full">{f.value}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
