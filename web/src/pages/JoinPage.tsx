// #/join?net=…&key=…&peer=…: the teacher's join link. Checks the link, asks for a name, creates the
// classroom wallet and stores the class, then opens the student page.
import { type FormEvent, useMemo, useState } from 'react';
import { NAME_MAX_LENGTH, nameProblem, parseJoinLink } from '../classroom/link.js';
import { joinClass, type KeyValueStorage, loadClass } from '../classroom/storage.js';
import { Card } from '../components/ui.js';
import { href } from '../lib/route.js';

export function JoinPage({
  query,
  storage = window.localStorage,
}: {
  query: string;
  storage?: KeyValueStorage;
}) {
  const parsed = useMemo(() => parseJoinLink(query), [query]);
  const joined = useMemo(() => loadClass(storage), [storage]);
  const [name, setName] = useState(() =>
    joined && parsed.ok && joined.net === parsed.link.net ? joined.name : '',
  );
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!parsed.ok) {
    return (
      <div className="page join-page">
        <h1>Join a class</h1>
        <div className="alert alert-error" role="alert" data-testid="join-error">
          <strong>This join link is broken:</strong> {parsed.problem}.
        </div>
        <p>Ask your teacher for the link again, or scan the QR code on their screen.</p>
      </div>
    );
  }
  const problem = nameProblem(name);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problem) return;
    try {
      joinClass(storage, parsed.link, name);
      window.location.hash = href.student();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <div className="page join-page">
      <h1>Join class {parsed.link.net}</h1>
      <p className="lead">
        Your browser becomes a node of the class network: no install, nothing to download. It keeps the chain,
        checks every block, and mines when the teacher says so.
      </p>
      <Card title="Your name">
        <form className="form" onSubmit={submit} data-testid="join-form">
          <label className="field">
            <span>The name your classmates see (pay you by)</span>
            <input
              value={name}
              maxLength={NAME_MAX_LENGTH + 8}
              autoComplete="nickname"
              onChange={(e) => setName(e.target.value)}
              onBlur={() => setTouched(true)}
              data-testid="join-name"
            />
          </label>
          {touched && problem && (
            <p className="field-error" role="alert" data-testid="join-name-error">
              {problem}
            </p>
          )}
          <p className="hint">
            A wallet is created for you in this browser. It is a classroom wallet: its recovery phrase is kept
            unencrypted in this browser, for this class only.
          </p>
          <button type="submit" className="btn btn-primary" data-testid="join-submit">
            Join the class
          </button>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
        </form>
      </Card>
      {joined && (
        <p className="muted">
          This browser is already in class <code>{joined.net}</code> as {joined.name}:{' '}
          <a href={href.student()} data-testid="join-resume">
            go back to it
          </a>
          .
        </p>
      )}
    </div>
  );
}
