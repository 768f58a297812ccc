/**
 * Which of the files a user picked or dropped make up the checkpoint, and how
 * to collect the files of a dropped folder. No reading of contents here.
 */

const TENSOR_FILE = /\.(safetensors|npy|npz|gguf)$/i;
const INDEX_FILE = /\.safetensors\.index\.json$/i;
const PICKLE_FILE = /\.(bin|pt|pth|ckpt)$/i;

export interface PickedFiles {
  /** the files to open: an index.json first, then name order (shards sort by their -0000N-of- number) */
  files: File[];
  /** how many were left out (config.json, tokenizer files, …) */
  ignored: number;
}

/**
 * Keeps the tensor files of a pick: safetensors/index.json, npy, npz, gguf.
 * A folder with safetensors drops its PyTorch pickles (HF repos often carry
 * both); a pick of only pickles keeps them so the reader can say why they
 * cannot be opened, and a pick of nothing recognisable keeps everything for the
 * same reason.
 */
export function pickCheckpointFiles(all: readonly File[]): PickedFiles {
  let files = all.filter((f) => TENSOR_FILE.test(f.name) || INDEX_FILE.test(f.name));
  if (files.length === 0) files = all.filter((f) => PICKLE_FILE.test(f.name));
  if (files.length === 0) files = [...all];
  // the index first, so a sharded checkpoint is named by it (in links and the file line)
  files = [...files].sort((a, b) => Number(INDEX_FILE.test(b.name)) - Number(INDEX_FILE.test(a.name)) || a.name.localeCompare(b.name, 'en'));
  return { files, ignored: all.length - files.length };
}

/** The subset of the File and Directory Entries API used here (Chromium, Firefox, Safari). */
interface EntryLike {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  file?(ok: (f: File) => void, err: (e: unknown) => void): void;
  createReader?(): { readEntries(ok: (entries: EntryLike[]) => void, err: (e: unknown) => void): void };
}

/** Most files a dropped folder may contribute (a bound on what a drop can make us list). */
const MAX_DROPPED_FILES = 10_000;

async function walk(entry: EntryLike, out: File[], depth: number): Promise<void> {
  if (out.length >= MAX_DROPPED_FILES || depth > 8) return;
  if (entry.isFile && entry.file) {
    out.push(await new Promise<File>((ok, err) => entry.file!(ok, err)));
  } else if (entry.isDirectory && entry.createReader) {
    const reader = entry.createReader();
    // readEntries returns the entries in batches until an empty one
    for (;;) {
      const batch = await new Promise<EntryLike[]>((ok, err) => reader.readEntries(ok, err));
      if (batch.length === 0) break;
      for (const e of batch) await walk(e, out, depth + 1);
      if (out.length >= MAX_DROPPED_FILES) break;
    }
  }
}

/**
 * The files of a drop: folders are walked (DataTransferItem.webkitGetAsEntry);
 * items without an entry (e.g. a synthetic DataTransfer) give their File.
 * Call synchronously from the drop handler: the items are only readable then,
 * so the entries are taken before the first await.
 */
export function filesFromDataTransfer(dt: DataTransfer): Promise<File[]> {
  const entries: EntryLike[] = [];
  const plain: File[] = [];
  for (const item of [...dt.items]) {
    if (item.kind !== 'file') continue;
    const entry = (item as DataTransferItem & { webkitGetAsEntry?(): EntryLike | null }).webkitGetAsEntry?.() ?? null;
    if (entry && entry.isDirectory) entries.push(entry);
    else {
      const f = item.getAsFile();
      if (f) plain.push(f);
    }
  }
  if (entries.length === 0 && plain.length === 0) return Promise.resolve([...dt.files]);
  return (async () => {
    const out = [...plain];
    for (const e of entries) await walk(e, out, 0);
    return out;
  })();
}
