// Placeholder until the browser node lands: the contract's entry point, refusing to start.
import type { BrowserNode, BrowserNodeOptions } from './types.js';

export async function startBrowserNode(_opts: BrowserNodeOptions): Promise<BrowserNode> {
  throw new Error('the browser node is not built into this version of the web app');
}
