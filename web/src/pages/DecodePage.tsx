// Paste and decode: the hex of a block, a header or a transaction, every field of it, every check the
// node runs on it, and — for one the node would refuse — why, in the protocol's words.
import type { DecodeJson } from '../api/types.js';
import { CheckList } from '../components/decode/CheckList.js';
import { DecodedFields } from '../components/decode/DecodedFields.js';
import { DecodeForm } from '../components/decode/DecodeForm.js';
import { RefusalCard } from '../components/decode/RefusalCard.js';
import { useDecode } from '../components/decode/useDecode.js';
import { Badge, ErrorBox, Loading } from '../components/ui.js';
import { formatBytes } from '../lib/format.js';
import { href } from '../lib/route.js';

const KNOWN: Record<string, string> = {
  active: 'on the active chain',
  side: 'on a side branch',
  invalid: 'known invalid',
  mempool: 'in the mempool',
  confirmed: 'confirmed',
};

function Verdict({ result }: { result: DecodeJson }) {
  const what = result.kind === 'tx' ? 'transaction' : result.kind;
  return (
    <p className="decode-verdict" role="status" data-testid="decode-verdict" data-valid={result.valid}>
      {result.valid ? (
        <Badge kind="ok">the node would accept this {what}</Badge>
      ) : (
        <Badge kind="bad">the node would refuse this {what}</Badge>
      )}{' '}
      <span className="muted">
        {formatBytes(result.size)}
        {result.height !== null && ` · height ${result.height}`}
        {result.known &&
          ` · the node has a ${result.kind === 'tx' ? 'transaction with this txid' : 'block with this hash'}: ${KNOWN[result.known] ?? result.known}`}
      </span>
    </p>
  );
}

/** Hex short enough to travel in a URL to the learn tools (a block of ~50 kB). */
const MAX_LINKED_HEX = 100_000;

/** The inspector takes any decoded bytes; the step-through, a block. */
function LearnLinks({ result, hex }: { result: DecodeJson; hex: string }) {
  if (result.hash === null || hex.length > MAX_LINKED_HEX) return null;
  return (
    <nav className="tool-links" aria-label="Learn tools for these bytes">
      <a className="btn btn-small" href={href.learn('inspect', hex)} data-testid="decode-link-inspect">
        Inspect these bytes
      </a>
      {result.kind === 'block' && (
        <a className="btn btn-small" href={href.learn('validate', hex)} data-testid="decode-link-validate">
          Validate it step by step (and edit it)
        </a>
      )}
    </nav>
  );
}

export function DecodePage({ input }: { input?: string }) {
  const decoded = useDecode(input);
  return (
    <div className="page" data-testid="decode-page">
      <h1>Decode</h1>
      <p className="lead">
        Paste raw hex: the node reads every field and runs the checks it runs on what it receives, without
        storing or relaying anything. Raw hex of any block or transaction is at{' '}
        <code>/api/v1/blocks/:id/raw</code> and <code>/api/v1/tx/:txid/raw</code>.
      </p>
      <DecodeForm initial={input} onDecode={decoded.run} />
      {decoded.state === 'loading' && <Loading what="Decoding" />}
      {decoded.state === 'error' && <ErrorBox error={decoded.error} title="Cannot decode" />}
      {decoded.state === 'done' && (
        <>
          <Verdict result={decoded.result} />
          <LearnLinks result={decoded.result} hex={decoded.hex} />
          {decoded.result.refusal && <RefusalCard refusal={decoded.result.refusal} />}
          <CheckList result={decoded.result} />
          <DecodedFields result={decoded.result} />
        </>
      )}
    </div>
  );
}
