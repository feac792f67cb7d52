// The explorer's search: height, block hash, txid or address. Hands the query to the search route.
import { type FormEvent, useState } from 'react';
import { href } from '../lib/route.js';
import { classifySearch } from '../lib/search.js';

export function SearchBox({ initial = '' }: { initial?: string }) {
  const [query, setQuery] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q = classifySearch(query);
    if (q.kind === 'invalid') {
      setProblem(q.reason);
      return;
    }
    setProblem(null);
    window.location.hash = href.search(query.trim());
  };
  return (
    <search className="search">
      <form className="search-form" onSubmit={submit}>
        <label htmlFor="search-input" className="sr-only">
          Search by block height, block hash, txid or address
        </label>
        <input
          id="search-input"
          data-testid="search-input"
          type="search"
          placeholder="Block height, block hash, txid or address"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={problem !== null}
          aria-describedby={problem ? 'search-problem' : undefined}
        />
        <button type="submit" className="btn btn-primary" data-testid="search-submit">
          Search
        </button>
        {problem && (
          <p id="search-problem" className="field-error" data-testid="search-problem">
            {problem}
          </p>
        )}
      </form>
    </search>
  );
}
