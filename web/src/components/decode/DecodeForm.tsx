// The paste box: hex of a block, header or transaction (or a height, block hash or txid to fetch).
import { type FormEvent, useEffect, useState } from 'react';
import type { DecodeKind } from './useDecode.js';

export function DecodeForm(props: { initial?: string; onDecode: (text: string, kind?: DecodeKind) => void }) {
  const [text, setText] = useState(props.initial ?? '');
  const [kind, setKind] = useState<DecodeKind | ''>('');
  useEffect(() => setText(props.initial ?? ''), [props.initial]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) props.onDecode(text, kind || undefined);
  };
  return (
    <form className="card decode-form" onSubmit={submit}>
      <div className="field">
        <label htmlFor="decode-hex">
          Hex of a block, a header or a transaction — or a height, block hash or txid
        </label>
        <textarea
          id="decode-hex"
          rows={5}
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          placeholder="0100000000000000…"
          data-testid="decode-input"
        />
      </div>
      <div className="decode-actions">
        <div className="field">
          <label htmlFor="decode-kind">It is</label>
          <select
            id="decode-kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as DecodeKind | '')}
            data-testid="decode-kind"
          >
            <option value="">detect</option>
            <option value="block">a block</option>
            <option value="header">a header</option>
            <option value="tx">a transaction</option>
          </select>
        </div>
        <button type="submit" className="btn btn-primary" data-testid="decode-go">
          Decode
        </button>
      </div>
    </form>
  );
}
