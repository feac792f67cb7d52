// Option parsers shared by the command definitions (kept free of heavy imports: see index.ts).

/** A repeatable option: every occurrence is kept, in order. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** An integer option within bounds, with an error that names the option. */
export function intOption(name: string, min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
}
