// A lesson object (mutable, from lib/) held across renders: `update` runs an action on it and redraws;
// `restart` replaces it with a fresh one.
import { useCallback, useState } from 'react';

export function useLesson<T>(make: () => T): {
  lesson: T;
  update: <R>(action: (lesson: T) => R) => R;
  restart: () => void;
} {
  const [lesson, setLesson] = useState(make);
  const [, setVersion] = useState(0);
  const update = useCallback(
    <R>(action: (l: T) => R): R => {
      const result = action(lesson);
      setVersion((v) => v + 1);
      return result;
    },
    [lesson],
  );
  const restart = useCallback(() => setLesson(make()), [make]);
  return { lesson, update, restart };
}
