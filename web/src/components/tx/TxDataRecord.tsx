// A transaction's data record: a parsed record, its text, or its bytes.
import type { TxJson } from '../../api/types.js';
import { parseDataRecord } from '../../lib/data-record.js';
import { RecordFacts } from '../TxCells.js';
import { Empty, Fact, Facts } from '../ui.js';

const isDataRecord = (text: string) => parseDataRecord(text) !== null;

export function TxDataRecord({ data }: { data: TxJson['data'] }) {
  if (data.hex === '') return <Empty>No data record.</Empty>;
  return (
    <Facts>
      <RecordFacts text={data.text} />
      {data.text !== null && !isDataRecord(data.text) && (
        <Fact label="Text">
          <q data-testid="tx-data-text">{data.text}</q>
        </Fact>
      )}
      <Fact label="Hex">
        <code className="hash hash-full">{data.hex}</code>
      </Fact>
      <Fact label="Length">{`${data.hex.length / 2} bytes`}</Fact>
    </Facts>
  );
}
