// Small presentational pieces shared by the pages.
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { errorText } from '../api/client.js';
import { formatAmount, shortHash } from '../lib/format.js';
import { href } from '../lib/route.js';

export function Card(props: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <section className="card" data-testid={props.testId}>
      {(props.title || props.actions) && (
        <header className="card-head">
          {props.title && <h2>{props.title}</h2>}
          {props.actions && <div className="card-actions">{props.actions}</div>}
        </header>
      )}
      {props.children}
    </section>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted loading" role="status">
      <span className="spinner" aria-hidden="true" /> {what}…
    </p>
  );
}

export function ErrorBox({ error, title }: { error: unknown; title?: string }) {
  return (
    <div className="alert alert-error" role="alert">
      {title && <strong>{title}: </strong>}
      {errorText(error)}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** A hash shortened for the eye, full in the title and link target; `full` shows all of it. */
export function HashLink(props: { hash: string; to?: string; full?: boolean; testId?: string }) {
  const text = props.full ? props.hash : shortHash(props.hash);
  const body = (
    <code className={props.full ? 'hash hash-full' : 'hash'} title={props.hash}>
      {text}
    </code>
  );
  return props.to ? (
    <a href={props.to} data-testid={props.testId}>
      {body}
    </a>
  ) : (
    body
  );
}

export function AddressLink({ address, full }: { address: string | null | undefined; full?: boolean }) {
  if (!address || address === '0') return <span className="muted">coinbase</span>;
  return (
    <a href={href.address(address)} className="address" title={address}>
      {full ? address : shortHash(address, 12, 6)}
    </a>
  );
}

export function Amount({ value, sign, testId }: { value: string | bigint; sign?: boolean; testId?: string }) {
  let text: string;
  try {
    text = formatAmount(value, { sign });
  } catch {
    text = String(value);
  }
  const cls = !sign || /^0\.0+ /.test(text) ? 'amount' : text.startsWith('-') ? 'amount neg' : 'amount pos';
  return (
    <span className={cls} data-testid={testId}>
      {text}
    </span>
  );
}

export function CopyButton({
  text,
  label = 'Copy',
  testId,
}: {
  text: string;
  label?: string;
  testId?: string;
}) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard permission (plain http on another host): select-and-copy fallback.
      const area = document.createElement('textarea');
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setCopied(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setCopied(false), 1500);
  };
  return (
    <button type="button" className="btn btn-small" onClick={copy} data-testid={testId}>
      {copied ? 'Copied ✓' : label}
    </button>
  );
}

/** Two-column facts list: <Facts><Fact label="Hash">…</Fact></Facts>. */
export function Facts({ children }: { children: ReactNode }) {
  return <dl className="facts">{children}</dl>;
}

export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function Stat({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

export function Badge({ kind, children }: { kind: 'ok' | 'warn' | 'bad' | 'info'; children: ReactNode }) {
  return <span className={`badge badge-${kind}`}>{children}</span>;
}
