// Resolves a search to a page: heights and addresses directly; a 64-hex string is looked up with the
// node's /api/v1/search, which says whether it names a block or a transaction (never a failed request).
import { useEffect, useState } from 'react';
import { api, errorText } from '../api/client.js';
import { SearchBox } from '../components/SearchBox.js';
import { Loading } from '../components/ui.js';
import { href } from '../lib/route.js';
import { classifySearch } from '../lib/search.js';

export function SearchPage({ query }: { query: string }) {
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    const go = (to: string) => {
      if (!cancelled) window.location.replace(to);
    };
    const q = classifySearch(query);
    setProblem(null);
    if (q.kind === 'invalid') setProblem(q.reason);
    else if (q.kind === 'height') go(href.block(q.height));
    else if (q.kind === 'address') go(href.address(q.address));
    else {
      (async () => {
        try {
          const found = await api.search({ query: { q: q.hash } });
          if (found.kind === 'block') return go(href.block(q.hash));
          if (found.kind === 'tx') return go(href.tx(q.hash));
          if (!cancelled) setProblem(`No block or transaction has the hash ${q.hash}.`);
        } catch (err) {
          if (!cancelled) setProblem(errorText(err));
        }
      })();
    }
    return () => {
      cancelled = true;
    };
  }, [query]);
  return (
    <div className="page">
      <h1>Search</h1>
      <SearchBox initial={query} />
      {problem ? (
        <p className="alert alert-error" role="alert" data-testid="search-result">
          {problem}
        </p>
      ) : (
        <Loading what={`Looking up ${query}`} />
      )}
    </div>
  );
}
