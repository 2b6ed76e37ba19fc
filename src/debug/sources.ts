// Sources for the client: files on disk by path; code that is not on disk (the embedded host
// library, realm-lab/host/...) and RMM command listings by sourceReference, served on request.
import * as path from 'node:path';
import { Source } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Listing } from './rmm-frame';

export class Sources {
  private readonly refs = new Map<string, number>();
  private readonly files = new Map<number, string>();
  private readonly texts = new Map<number, string>();

  private ref(key: string): number {
    let ref = this.refs.get(key);
    if (!ref) {
      ref = this.refs.size + 1;
      this.refs.set(key, ref);
    }
    return ref;
  }

  /** A compiled file: by path when on disk, else with a reference the client asks back for. */
  file(file: string): DebugProtocol.Source {
    if (path.isAbsolute(file)) return new Source(path.basename(file), file);
    const ref = this.ref(`file:${file}`);
    this.files.set(ref, file);
    return new Source(path.basename(file), file, ref);
  }

  listing(l: Listing): DebugProtocol.Source {
    const ref = this.ref(`rmm:${l.text}`);
    this.texts.set(ref, l.text);
    return new Source(`${l.name}.rmm`, `realm-lab/rmm/${l.name}`, ref);
  }

  /** The compiled file a reference stands for. */
  fileOf(ref: number): string | undefined {
    return this.files.get(ref);
  }

  /** The text of a reference: a listing, or a compiled file through `compiledText`. */
  content(ref: number | undefined, file: string | undefined, compiledText: (file: string) => string | undefined): string | undefined {
    if (ref && this.texts.has(ref)) return this.texts.get(ref);
    const f = (ref ? this.files.get(ref) : undefined) ?? file;
    return f ? compiledText(f) : undefined;
  }
}
