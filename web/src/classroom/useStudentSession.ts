// The page's handle on a StudentSession: started for the stored class, restarted when the teacher moves
// the class to a new network, stopped when the page goes away.
import { useEffect, useRef, useState } from 'react';
import type { ClassroomPorts } from './ports.js';
import { type StudentSession as Session, StudentSession, type StudentSnapshot } from './session.js';
import { type KeyValueStorage, loadClass, moveClass, type StoredClass } from './storage.js';

/** The hash rate and mining state move without a tip change: the page re-reads them this often. */
const STATUS_POLL_MS = 2_000;

export interface StudentSessionHandle {
  readonly cls: StoredClass | null;
  readonly snapshot: StudentSnapshot | null;
  readonly session: Session | null;
}

export function useStudentSession(ports: ClassroomPorts, storage: KeyValueStorage): StudentSessionHandle {
  const [cls, setCls] = useState<StoredClass | null>(() => loadClass(storage));
  const [snapshot, setSnapshot] = useState<StudentSnapshot | null>(null);
  const sessionRef = useRef<Session | null>(null);

  useEffect(() => {
    if (!cls) return;
    let live = true;
    const session: Session = new StudentSession(
      ports,
      storage,
      cls,
      () => {
        if (live) setSnapshot(session.snapshot());
      },
      (networkId) => {
        if (live) setCls(moveClass(storage, cls, networkId));
      },
    );
    sessionRef.current = session;
    setSnapshot(session.snapshot());
    void session.start();
    const poll = setInterval(() => live && setSnapshot(session.snapshot()), STATUS_POLL_MS);
    return () => {
      live = false;
      clearInterval(poll);
      sessionRef.current = null;
      void session.stop();
    };
  }, [cls, ports, storage]);

  return { cls, snapshot, session: sessionRef.current };
}
