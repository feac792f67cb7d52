// "Why was this refused": the rule code, the check that failed, what exactly failed, and the rule's
// sentence from docs/protocol.md, as the node gives them.
import type { RefusalJson } from '../../api/types.js';
import { Badge, Card, Fact, Facts } from '../ui.js';

/** The protocol's sentences mark names with backticks; show those as code. */
function Sentence({ text }: { text: string }) {
  return (
    <>
      {text.split('`').map((part, i) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed sentence.
        i % 2 === 1 ? <code key={i}>{part}</code> : <span key={i}>{part}</span>,
      )}
    </>
  );
}

export function RefusalCard({ refusal }: { refusal: RefusalJson }) {
  return (
    <Card title="Why the node would refuse it" testId="decode-refusal">
      <Facts>
        <Fact label="Rule">
          <span data-testid="refusal-code">
            <Badge kind="bad">{refusal.code}</Badge>
          </span>{' '}
          <span className="muted small">({refusal.level})</span>
        </Fact>
        <Fact label="Check that failed">
          <span data-testid="refusal-check">{refusal.check}</span>
        </Fact>
        <Fact label="What failed">
          <span data-testid="refusal-message">{refusal.message}</span>
        </Fact>
        <Fact label="The protocol says">
          <blockquote className="protocol-sentence" data-testid="refusal-sentence">
            <Sentence text={refusal.sentence} />
          </blockquote>
          <span className="muted small">{refusal.source}</span>
        </Fact>
      </Facts>
      {refusal.malleated && (
        <p className="hint">
          A corrupted copy: the body is not the one the header commits to, so a correct copy of the same block
          may still exist and the node does not condemn its hash.
        </p>
      )}
    </Card>
  );
}
