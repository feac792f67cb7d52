// Small pieces shared by the learn steps: a pass/fail verdict with its rule code, and labelled hex.
import type { ReactNode } from 'react';

/** A rule outcome: green when ok, red with the rule code otherwise. */
export function Verdict(props: {
  ok: boolean;
  okText: ReactNode;
  code?: string;
  message?: string;
  testId: string;
}) {
  return (
    <p
      className="learn-verdict"
      role="status"
      data-testid={props.testId}
      data-ok={props.ok}
      data-code={props.code}
    >
      <span className={props.ok ? 'badge badge-ok' : 'badge badge-bad'}>
        {props.ok ? props.okText : <>refused: {props.code}</>}
      </span>{' '}
      {!props.ok && props.message && <span className="muted small">{props.message}</span>}
    </p>
  );
}

/** A labelled value in monospace that wraps anywhere (hashes, keys, signatures). */
export function HexLine(props: { label: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <div className="learn-hexline">
      <span className="toy-label">{props.label}</span>
      <code className="hash hash-full" data-testid={props.testId}>
        {props.children}
      </code>
    </div>
  );
}
