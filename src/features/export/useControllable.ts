/**
 * A value that is controlled when the parent passes it (value + onChange) and
 * local UI state otherwise, so panels work standalone and wired to the store.
 */
import { useState } from 'react';

export function useControllable<T>(value: T | undefined, onChange: ((v: T) => void) | undefined, initial: T): [T, (v: T) => void] {
  const [local, setLocal] = useState<T>(initial);
  const current = value !== undefined ? value : local;
  const set = (v: T) => {
    if (value === undefined) setLocal(v);
    onChange?.(v);
  };
  return [current, set];
}
