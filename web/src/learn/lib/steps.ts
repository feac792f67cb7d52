// The learn path: its steps in order, by the slug in their hash route (#/learn/<slug>).

export interface LearnStep {
  readonly slug: string;
  /** Step number as shown, or a label for the tools after the path. */
  readonly label: string;
  readonly title: string;
}

export const BASICS: LearnStep = { slug: '', label: '1–4', title: 'Hash, block, chain, peers' };

export const LEARN_STEPS: readonly LearnStep[] = [
  BASICS,
  { slug: 'keys', label: '5', title: 'Keys and signatures' },
  { slug: 'transactions', label: '6', title: 'Transactions and the UTXO set' },
  { slug: 'policies', label: '7', title: 'Spending conditions' },
  { slug: 'coinbase', label: '8', title: 'Coinbase, fees and halving' },
  { slug: 'difficulty', label: '9', title: 'Difficulty' },
  { slug: 'forks', label: '10', title: 'Forks and the most work' },
  { slug: 'attack', label: '11', title: 'An attack lab' },
  { slug: 'inspect', label: 'Tool', title: 'Block and transaction inspector' },
  { slug: 'validate', label: 'Tool', title: 'Validation step by step' },
];

/** The step of a slug ('' is steps 1–4), or undefined for an unknown one. */
export const stepBySlug = (slug: string): LearnStep | undefined => LEARN_STEPS.find((s) => s.slug === slug);

/** The steps before and after, for the previous/next links. */
export function neighbours(slug: string): { prev?: LearnStep; next?: LearnStep } {
  const i = LEARN_STEPS.findIndex((s) => s.slug === slug);
  if (i < 0) return {};
  return { prev: LEARN_STEPS[i - 1], next: LEARN_STEPS[i + 1] };
}
