// The one table of the web app. On a wide screen a plain table; on a phone every row turns into a small
// card listing each column as "LABEL value", so no column is cut off or hidden.
import type { ReactNode } from 'react';

export interface Column<T> {
  /** Header text; also the label of the value on a phone. */
  readonly label: string;
  readonly cell: (row: T) => ReactNode;
  /** Right-aligned figures. */
  readonly num?: boolean;
  /** Tooltip of the cell. */
  readonly title?: (row: T) => string | undefined;
}

interface Props<T> {
  readonly columns: readonly Column<T>[];
  readonly rows: readonly T[];
  readonly rowKey: (row: T) => string;
  readonly rowClass?: (row: T) => string | undefined;
  /** data-testid of every row. */
  readonly rowTestId?: string;
  /** Accessible name of the table. */
  readonly label?: string;
  readonly testId?: string;
}

export function DataTable<T>({ columns, rows, rowKey, rowClass, rowTestId, label, testId }: Props<T>) {
  return (
    <div className="table-wrap">
      <table className="table data-table" aria-label={label} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" className={c.num ? 'num' : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} className={rowClass?.(row)} data-testid={rowTestId}>
              {columns.map((c) => (
                <td
                  key={c.label}
                  className={c.num ? 'num' : undefined}
                  data-label={c.label}
                  title={c.title?.(row)}
                >
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
