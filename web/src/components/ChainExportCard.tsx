// The chain as a file (GET /api/v1/chain/export, operator): saved from the page so a lesson's chain can
// be shared and replayed with `hashline chain import`. The download goes through the API client, so a
// node that needs its token gets it.
import { useState } from 'react';
import { api, errorText } from '../api/client.js';
import { Card } from './ui.js';

const FALLBACK_NAME = 'hashline-chain.hlchain';

/** The file name the node suggests in Content-Disposition. */
function fileNameOf(res: Response): string {
  const disposition = res.headers.get('content-disposition') ?? '';
  return /filename="([^"]+)"/.exec(disposition)?.[1] ?? FALLBACK_NAME;
}

export function ChainExportCard() {
  const [state, setState] = useState<{ busy: boolean; message?: string }>({ busy: false });
  const download = async () => {
    setState({ busy: true, message: 'Preparing the chain file…' });
    try {
      const res = await api.exportChain({ query: {} });
      const name = fileNameOf(res);
      // The whole file in the page, then saved: fine for a class's chain (a 5,000-block chain of
      // small blocks is a few MB); a larger one is better exported with `hashline chain export`.
      const url = URL.createObjectURL(await res.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setState({ busy: false, message: `Saved ${name}.` });
    } catch (err) {
      setState({ busy: false, message: errorText(err) });
    }
  };
  return (
    <Card title="Share this chain" testId="chain-export">
      <p className="muted">
        The active chain as a chain file. Another node takes it with{' '}
        <code>hashline chain import FILE [--pace SECONDS]</code>, which checks the whole file first and then
        submits block after block, so a class can watch the chain grow.
      </p>
      <button type="button" className="btn" disabled={state.busy} onClick={() => void download()}>
        Download the chain
      </button>
      {state.message && <p className="muted">{state.message}</p>}
    </Card>
  );
}
