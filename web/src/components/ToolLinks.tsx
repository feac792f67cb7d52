// Links from a block or transaction page to the tools that take it apart: the byte inspector, the
// validation step-through and the Decode page (its raw hex, every field, every check).
import { href } from '../lib/route.js';

export function ToolLinks({ id, what }: { id: string; what: 'block' | 'transaction' }) {
  return (
    <nav className="tool-links" aria-label={`Tools for this ${what}`} data-testid="tool-links">
      <a className="btn btn-small" href={href.learn('inspect', id)} data-testid="link-inspect">
        Inspect its bytes
      </a>
      <a className="btn btn-small" href={href.learn('validate', id)} data-testid="link-validate">
        Validate it step by step
      </a>
      <a className="btn btn-small" href={href.decode(id)} data-testid="link-decode">
        Raw hex and decode
      </a>
    </nav>
  );
}
