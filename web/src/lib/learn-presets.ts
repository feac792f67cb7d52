// The learn page's starting chain, mined in advance at 4 leading zeros so the page opens valid (green)
// without making the browser search ~300,000 hashes first. A unit test re-checks every nonce.
export const LEARN_DIFFICULTY = 4;

export const PRESET_BLOCK = { number: 1, nonce: 12866, data: 'Hello, Hashline' } as const;

export const PRESET_CHAIN: readonly { readonly nonce: number; readonly data: string }[] = [
  { nonce: 52116, data: 'Genesis' },
  { nonce: 78000, data: 'Alice pays Bob 10' },
  { nonce: 74898, data: 'Bob pays Carol 4' },
  { nonce: 64070, data: 'Carol pays Dave 2' },
  { nonce: 56146, data: 'Dave pays Erin 1' },
];
