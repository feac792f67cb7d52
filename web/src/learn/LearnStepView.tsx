// One step of the learn path after the basics, loaded on demand so the main bundle stays small.
import { type ComponentType, lazy, Suspense } from 'react';
import { Loading } from '../components/ui.js';
import { href } from '../lib/route.js';
import { LearnNav, StepPager } from './LearnNav.js';
import { stepBySlug } from './lib/steps.js';

export interface StepProps {
  /** A block hash/height or txid from the route, for the inspector and the step-through. */
  readonly arg?: string;
}

const named = <K extends string>(load: () => Promise<Record<K, ComponentType<StepProps>>>, name: K) =>
  lazy(async () => ({ default: (await load())[name] }));

const STEP_COMPONENTS: Record<string, ComponentType<StepProps>> = {
  keys: named(() => import('./keys/KeysStep.js'), 'KeysStep'),
  transactions: named(() => import('./utxo/TransactionsStep.js'), 'TransactionsStep'),
  policies: named(() => import('./policies/PoliciesStep.js'), 'PoliciesStep'),
  coinbase: named(() => import('./coinbase/CoinbaseStep.js'), 'CoinbaseStep'),
  difficulty: named(() => import('./difficulty/DifficultyStep.js'), 'DifficultyStep'),
  forks: named(() => import('./forks/ForksStep.js'), 'ForksStep'),
  attack: named(() => import('./attack/AttackStep.js'), 'AttackStep'),
  inspect: named(() => import('./inspect/InspectStep.js'), 'InspectStep'),
  validate: named(() => import('./validate/ValidateStep.js'), 'ValidateStep'),
};

export function LearnStepView({ slug, arg }: { slug: string; arg?: string }) {
  const step = stepBySlug(slug);
  const Component = STEP_COMPONENTS[slug];
  if (!step || !Component) {
    return (
      <div className="page learn">
        <h1>No such step</h1>
        <p>
          There is no learn step called <code>{slug}</code>. <a href={href.learn()}>Start at step 1</a>.
        </p>
        <LearnNav current="" />
      </div>
    );
  }
  return (
    <div className="page learn" data-testid={`learn-step-${slug}`}>
      <h1>
        {step.label === 'Tool' ? '' : `${step.label} · `}
        {step.title}
      </h1>
      <LearnNav current={slug} />
      <Suspense fallback={<Loading what="Loading the step" />}>
        <Component arg={arg} />
      </Suspense>
      <StepPager current={slug} />
    </div>
  );
}
