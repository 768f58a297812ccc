/** Small pieces shared by the TensorFile implementations. */
import type { ByteSource } from './byteSource.ts';
import { TensorFileError } from './errors.ts';
import type { TensorInfo } from './types.ts';

/** Closes every source that can be closed; close errors are ignored. */
export async function closeAll(sources: readonly ByteSource[]): Promise<void> {
  await Promise.all(sources.map(async (s) => { try { await s.close?.(); } catch { /* already closed */ } }));
}

/** The error for a tensor name the file does not have, listing a few it does. */
export function noSuchTensor(name: string, tensors: readonly TensorInfo[], where: string): TensorFileError {
  const some = tensors.slice(0, 5).map((t) => `"${t.name}"`).join(', ');
  const more = tensors.length > 5 ? ` and ${tensors.length - 5} more` : '';
  return new TensorFileError(
    tensors.length
      ? `${where} has no tensor named "${name}"; it has ${some}${more}.`
      : `${where} has no tensor named "${name}"; it contains no tensors.`,
  );
}
