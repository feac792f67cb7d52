// Replays the full-block table against any implementation: each instance gives an expected outcome,
// and the implementation's answer is turned into the same shape so a test can compare the two.
import { instanceBytes, type TestInstance } from './generator.js';

/** What an implementation must offer: import raw block bytes, and name its tip. */
export interface BlockSink {
  processBlock(
    bytes: Uint8Array,
  ): Promise<{ status: string; error?: { code: string; readonly malleated?: boolean } }>;
  tipHash(): string;
}

/**
 * A comparable outcome: `accepted`/`invalid`/`orphan`, the rule code (marked when malleated), and
 * the tip when it matters.
 */
export interface Outcome {
  readonly name: string;
  readonly result?: string;
  readonly tip?: string;
}

export function expectedOutcome(t: TestInstance): Outcome {
  switch (t.kind) {
    case 'accept':
      return { name: t.name, result: 'accepted', ...(t.expectTip ? { tip: t.expectTip } : {}) };
    case 'reject':
      return { name: t.name, result: invalidResult(t.code, t.malleated) };
    case 'orphan':
      return { name: t.name, result: 'orphan' };
    case 'tip':
      return { name: t.name, tip: t.hash };
  }
}

export async function observeOutcome(t: TestInstance, sink: BlockSink): Promise<Outcome> {
  if (t.kind === 'tip') return { name: t.name, tip: sink.tipHash() };
  const r = await sink.processBlock(instanceBytes(t));
  const result =
    r.status === 'connected' || r.status === 'side'
      ? 'accepted'
      : r.status === 'invalid'
        ? invalidResult(r.error?.code ?? '(no code)', r.error?.malleated === true)
        : r.status;
  const tip = t.kind === 'accept' && t.expectTip ? { tip: sink.tipHash() } : {};
  return { name: t.name, result, ...tip };
}

const invalidResult = (code: string, malleated: boolean): string =>
  `invalid: ${code}${malleated ? ' (malleated)' : ''}`;
