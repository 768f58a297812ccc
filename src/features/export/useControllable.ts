/**
 * A value that is controlled when the parent passes it (value + onChange) and
 * local UI state otherwise, so panels work standalone and wired to the store.
 */
import { useCallback, useRef, useState } from 'react';

export function useControllable<T>(value: T | undefined, onChange: ((v: T) => void) | undefined, initial: T): [T, (v: T) => void] {
  const [local, setLocal] = useState<T>(initial);
  const current = value !== undefined ? value : local;
  // one setter for the component's life, calling the latest props: memoized children (Toggle) then
  // skip the re-renders of a panel that redraws on every pan or zoom step
  const latest = useRef({ value, onChange });
  latest.current = { value, onChange };
  const set = useCallback((v: T) => {
    if (latest.current.value === undefined) setLocal(v);
    latest.current.onChange?.(v);
  }, []);
  return [current, set];
}
