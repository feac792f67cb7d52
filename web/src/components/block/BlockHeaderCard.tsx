// A block's header fields and what its proof of work means.
import type { BlockJson } from '../../api/types.js';
import { formatBits, formatBytes, formatDifficulty, formatTime } from '../../lib/format.js';
import { plural } from '../../lib/plural.js';
import { href } from '../../lib/route.js';
import { AddressLink, Amount, Card, Fact, Facts, HashLink } from '../ui.js';

function leadingZeros(hash: string): number {
  return hash.length - hash.replace(/^0+/, '').length;
}

export function BlockHeaderCard({ block }: { block: BlockJson }) {
  const zeros = leadingZeros(block.hash);
  return (
    <Card title="Header">
      <Facts>
        <Fact label="Hash">
          <code className="hash hash-full pow" data-testid="block-hash">
            <span className="zeros">{block.hash.slice(0, zeros)}</span>
            {block.hash.slice(zeros)}
          </code>
        </Fact>
        <Fact label="Previous block">
          {block.height === 0 ? (
            <span className="muted">none (genesis)</span>
          ) : (
            <HashLink hash={block.previousHash} to={href.block(block.previousHash)} full />
          )}
        </Fact>
        <Fact label="Next block">
          {block.nextHash ? <HashLink hash={block.nextHash} to={href.block(block.nextHash)} full /> : '–'}
        </Fact>
        <Fact label="Time">{`${formatTime(block.time)} (${block.time})`}</Fact>
        <Fact label="Merkle root">
          <HashLink hash={block.merkleRoot} full />
        </Fact>
        <Fact label="Version">{block.version}</Fact>
        <Fact label="Nonce">
          <code data-testid="block-nonce">{block.nonce}</code>
        </Fact>
        <Fact label="Bits">
          <code>{formatBits(block.bits)}</code>
        </Fact>
        <Fact label="Target">
          <code className="hash hash-full">{block.target}</code>
        </Fact>
        <Fact label="Difficulty">{formatDifficulty(block.difficulty)}</Fact>
        <Fact label="Chain work">
          <code className="hash hash-full">{block.chainWork}</code>
        </Fact>
        <Fact label="Size">{formatBytes(block.size)}</Fact>
        <Fact label="Reward">
          <Amount value={block.reward} />
        </Fact>
        <Fact label="Fees">
          <Amount value={block.fees} />
        </Fact>
        <Fact label="Miner">
          <AddressLink address={block.miner} full />
        </Fact>
      </Facts>
      <p className="hint">
        Proof of work: the hash, read as a 256-bit number, is at most the target
        {zeros > 0 && ` — which is why it starts with ${plural(zeros, 'zero')}`}.
      </p>
    </Card>
  );
}
