// The learn path's table of contents and the previous/next links of a step.
import { href } from '../lib/route.js';
import { LEARN_STEPS, neighbours } from './lib/steps.js';
import './learn.css';

const stepHref = (slug: string) => (slug === '' ? href.learn() : href.learn(slug));

export function LearnNav({ current }: { current: string }) {
  return (
    <nav className="learn-nav" aria-label="Learn steps" data-testid="learn-nav">
      <ol>
        {LEARN_STEPS.map((s) => (
          <li key={s.slug}>
            <a
              href={stepHref(s.slug)}
              className={s.slug === current ? 'active' : undefined}
              aria-current={s.slug === current ? 'page' : undefined}
              data-testid={`learn-nav-${s.slug || 'basics'}`}
            >
              <span className="learn-nav-label">{s.label}</span> {s.title}
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

export function StepPager({ current }: { current: string }) {
  const { prev, next } = neighbours(current);
  return (
    <nav className="learn-pager" aria-label="Previous and next step">
      {prev ? (
        <a className="btn" href={stepHref(prev.slug)} data-testid="learn-prev">
          ← {prev.label} · {prev.title}
        </a>
      ) : (
        <span />
      )}
      {next && (
        <a className="btn btn-primary" href={stepHref(next.slug)} data-testid="learn-next">
          {next.label} · {next.title} →
        </a>
      )}
    </nav>
  );
}
