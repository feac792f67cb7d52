// A spending policy's fragments as an indented tree (pre-order, each with its nesting level). With
// `used` flags (a spend's witness), the branch the witness took is highlighted and the rest dimmed.
export interface FragmentView {
  readonly depth: number;
  readonly type: string;
  readonly text: string;
  readonly used?: boolean;
}

/** A fragment's own line: leaves in full (keys and hashes shortened), combinators by name and arity. */
export function fragmentLine(f: FragmentView): string {
  const short = (hex: string) => `${hex.slice(0, 8)}…${hex.slice(-4)}`;
  if (f.type === 'and') return 'and — both of these';
  if (f.type === 'or') return 'or — either of these';
  if (f.type === 'thresh') {
    const k = /^thresh\((\d+),/.exec(f.text)?.[1] ?? '?';
    return `thresh — any ${k} of these`;
  }
  return f.text.replace(/[0-9a-f]{64}/g, short);
}

export function PolicyTree({ fragments, testId }: { fragments: readonly FragmentView[]; testId?: string }) {
  const base = Math.min(...fragments.map((f) => f.depth));
  const marked = fragments.some((f) => f.used !== undefined);
  return (
    <ul className="policy-tree" data-testid={testId}>
      {fragments.map((f, i) => {
        const state = !marked ? '' : f.used ? ' used' : ' unused';
        return (
          <li
            // Pre-order position is the fragment's identity in this list.
            // biome-ignore lint/suspicious/noArrayIndexKey: fragments repeat their text (two pk of one key)
            key={i}
            className={`policy-fragment${state}`}
            style={{ paddingLeft: `${0.5 + (f.depth - base) * 1.25}rem` }}
            title={f.text}
            data-used={f.used === undefined ? undefined : String(f.used)}
          >
            <code>{fragmentLine(f)}</code>
            {marked && f.used && <span className="policy-used-mark"> ✓ used</span>}
          </li>
        );
      })}
    </ul>
  );
}
