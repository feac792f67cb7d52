// Counted nouns: "1 confirmation", "2 confirmations", "0 blocks".

/** `count` and the noun in the right number; `many` for irregular plurals (default: noun + "s"). */
export function plural(count: number | bigint, noun: string, many = `${noun}s`): string {
  const one = typeof count === 'bigint' ? count === 1n || count === -1n : Math.abs(count) === 1;
  return `${count} ${one ? noun : many}`;
}
