// #/student: the class this browser joined, on its own browser node (see web/src/classroom/).
import { useCallback } from 'react';
import { browserPorts, type ClassroomPorts } from '../classroom/ports.js';
import { StudentView } from '../classroom/StudentView.js';
import type { KeyValueStorage } from '../classroom/storage.js';
import { useStudentSession } from '../classroom/useStudentSession.js';
import { Loading } from '../components/ui.js';

const defaultStorage = (): KeyValueStorage => window.localStorage;

export function StudentPage({
  ports = browserPorts,
  storage = defaultStorage(),
}: {
  ports?: ClassroomPorts;
  storage?: KeyValueStorage;
}) {
  const { cls, snapshot, session } = useStudentSession(ports, storage);
  const pay = useCallback(
    (to: string, amount: bigint) => {
      if (!session) return Promise.reject(new Error('the class node is not running'));
      return session.pay(to, amount);
    },
    [session],
  );
  if (!cls) {
    return (
      <div className="page" data-testid="student-none">
        <h1>No class yet</h1>
        <p>
          This browser has not joined a class. Open the join link your teacher shows (it starts a node here).
        </p>
      </div>
    );
  }
  if (!snapshot) return <Loading what="Opening your class" />;
  return <StudentView snapshot={snapshot} onPay={pay} onMineOne={() => session?.mineOne()} />;
}
