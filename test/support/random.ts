// A small seeded random generator (mulberry32) for tests that choose random moments or values and must be
// replayable: print the seed in failure messages, pass it back in to rerun the same choices.

/** Numbers in [0, 1) from a 32-bit seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The seed from an environment variable (to replay a run), else a fresh one. */
export function seedFrom(variable: string): number {
  const given = process.env[variable];
  return given !== undefined && given !== '' ? Number(given) >>> 0 : Math.floor(Math.random() * 2 ** 32);
}
