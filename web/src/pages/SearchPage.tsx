// Resolves a search to a page: heights and addresses directly; a 64-hex string is tried as a block hash,
// then as a txid.
import { useEffect, useState } from 'react';
import { ApiError, api, errorText } from '../api/client.js';
import type { BlocksJson } from '../api/types.js';
import { SearchBox } from '../components/SearchBox.js';
import { Loading } from '../components/ui.js';
import { href } from '../lib/route.js';
import { classifySearch } from '../lib/search.js';

const RECENT_BLOCKS = 500;

/** True when the resource exists, false on 404; other failures throw. */
async function exists(path: string): Promise<boolean> {
  try {
    await api.get(path);
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return false;
    throw err;
  }
}

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
          // Recent blocks first, then transactions, then any block: an existing recent block or a txid
          // never costs a failed (404) request.
          const recent = await api.get<BlocksJson>(`/api/v1/blocks?limit=${RECENT_BLOCKS}`);
          if (recent.blocks.some((b) => b.hash === q.hash)) return go(href.block(q.hash));
          if (await exists(`/api/v1/tx/${q.hash}`)) return go(href.tx(q.hash));
          if (await exists(`/api/v1/blocks/${q.hash}`)) return go(href.block(q.hash));
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
