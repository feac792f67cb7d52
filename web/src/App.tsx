// The shell: header with navigation, the node-unreachable banner, and the page for the current hash route.
import { lazy, Suspense, useEffect, useState } from 'react';
import { NodeProvider, useNode } from './api/node.js';
import { href, parseRoute, type Route } from './lib/route.js';
import { AddressPage } from './pages/AddressPage.js';
import { BlockPage } from './pages/BlockPage.js';
import { ClassPage } from './pages/ClassPage.js';
import { DecodePage } from './pages/DecodePage.js';
import { ExplorerPage } from './pages/ExplorerPage.js';
import { JoinPage } from './pages/JoinPage.js';
import { LearnPage } from './pages/LearnPage.js';
import { MinerPage } from './pages/MinerPage.js';
import { NetworkPage } from './pages/NetworkPage.js';
import { SearchPage } from './pages/SearchPage.js';
import { TxPage } from './pages/TxPage.js';
import { WalletPage } from './pages/WalletPage.js';

// The browser node's pages load on demand: their bundle holds libp2p and the whole chain (~900 kB).
const StudentPage = lazy(() => import('./pages/StudentPage.js').then((m) => ({ default: m.StudentPage })));
const TabNodePage = lazy(() => import('./pages/TabNodePage.js').then((m) => ({ default: m.TabNodePage })));

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => {
      setRoute(parseRoute(window.location.hash));
      window.scrollTo(0, 0);
    };
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

const NAV = [
  { key: 'explorer', label: 'Explorer', to: href.explorer() },
  { key: 'miner', label: 'Miner', to: href.miner() },
  { key: 'network', label: 'Network', to: href.network() },
  { key: 'wallet', label: 'Wallet', to: href.wallet() },
  { key: 'learn', label: 'Learn', to: href.learn() },
  { key: 'decode', label: 'Decode', to: href.decode() },
] as const;

const EXPLORER_PAGES = new Set(['explorer', 'block', 'tx', 'address', 'search', 'not-found']);

function Header({ route }: { route: Route }) {
  const { status, reachable } = useNode();
  const [open, setOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: close the phone menu whenever the page changes.
  useEffect(() => setOpen(false), [route]);
  const active = EXPLORER_PAGES.has(route.page) ? 'explorer' : route.page;
  return (
    <header className="topbar">
      <div className="topbar-inner">
        <a className="brand" href={href.explorer()}>
          <span className="brand-mark" aria-hidden="true">
            #
          </span>
          Hashline
        </a>
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={open}
          aria-controls="main-nav"
          onClick={() => setOpen((o) => !o)}
          data-testid="menu-toggle"
        >
          {open ? 'Close' : 'Menu'}
        </button>
        <nav id="main-nav" className={open ? 'nav open' : 'nav'} aria-label="Main">
          {NAV.map((item) => (
            <a
              key={item.key}
              href={item.to}
              className={active === item.key ? 'nav-link active' : 'nav-link'}
              aria-current={active === item.key ? 'page' : undefined}
              data-testid={`nav-${item.key}`}
            >
              {item.label}
            </a>
          ))}
        </nav>
        <div className="node-pill" data-testid="node-pill" title={status ? `tip ${status.tip}` : undefined}>
          <span
            className={reachable === false ? 'dot-status bad' : reachable ? 'dot-status ok' : 'dot-status'}
          />
          {status ? (
            <>
              {status.networkId ? `${status.network}-${status.networkId}` : status.network} ·{' '}
              <span data-testid="tip-height">#{status.height}</span>
            </>
          ) : reachable === false ? (
            'offline'
          ) : (
            'connecting'
          )}
        </div>
      </div>
    </header>
  );
}

function UnreachableBanner() {
  const { reachable, refresh } = useNode();
  if (reachable !== false) return null;
  return (
    <div className="banner" role="alert" data-testid="node-unreachable">
      <strong>The node cannot be reached.</strong> Is it running? The page retries every few seconds; the
      Learn page works offline.{' '}
      <button type="button" className="btn btn-small banner-action" onClick={refresh}>
        Retry now
      </button>
    </div>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'explorer':
      return <ExplorerPage />;
    case 'block':
      return <BlockPage id={route.id} />;
    case 'tx':
      return <TxPage txid={route.txid} />;
    case 'address':
      return <AddressPage address={route.address} />;
    case 'search':
      return <SearchPage query={route.query} />;
    case 'miner':
      return <MinerPage />;
    case 'network':
      return <NetworkPage />;
    case 'wallet':
      return <WalletPage />;
    case 'learn':
      return <LearnPage step={route.step} arg={route.arg} />;
    case 'decode':
      return <DecodePage input={route.input} />;
    case 'tab-node':
      return (
        <Suspense fallback={<p>Loading the node…</p>}>
          <TabNodePage net={route.net} peers={route.peers} />
        </Suspense>
      );
    case 'class':
      return <ClassPage token={route.token} />;
    case 'join':
      return <JoinPage query={route.query} />;
    case 'student':
      return (
        <Suspense fallback={<p>Loading the node…</p>}>
          <StudentPage />
        </Suspense>
      );
    case 'not-found':
      return (
        <div className="page">
          <h1>Page not found</h1>
          <p>
            There is nothing at <code>{route.path}</code>. <a href={href.explorer()}>Back to the explorer</a>.
          </p>
        </div>
      );
  }
}

export function App() {
  const route = useRoute();
  useEffect(() => {
    const titles: Record<string, string> = {
      explorer: 'Explorer',
      block: 'Block',
      tx: 'Transaction',
      address: 'Address',
      search: 'Search',
      miner: 'Miner',
      network: 'Network',
      wallet: 'Wallet',
      learn: 'Learn',
      'not-found': 'Not found',
      decode: 'Decode',
      'tab-node': 'Node in this tab',
      class: 'Classroom',
      join: 'Join a class',
      student: 'My class',
    };
    document.title = `${titles[route.page]} · Hashline`;
  }, [route]);
  return (
    <NodeProvider>
      <button type="button" className="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <Header route={route} />
      <UnreachableBanner />
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
      <footer className="footer">
        Hashline · proof-of-work blockchain node · keys never leave this browser
      </footer>
    </NodeProvider>
  );
}
