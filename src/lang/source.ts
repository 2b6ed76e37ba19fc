// Source files, positions and diagnostics shared by every stage of the C front end. Lines and
// columns are 1-based and columns count UTF-16 code units, as editors (and DAP) do.

export interface SrcRange {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Diagnostic {
  range: SrcRange;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** A short stable code, e.g. 'syntax', 'unknown-identifier', 'step-budget'. */
  code?: string;
}

/** A source text with a line table, so offsets turn into line/column cheaply. */
export class SourceFile {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** 1-based line and column of a UTF-16 offset. */
  position(offset: number): { line: number; column: number } {
    const ls = this.lineStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - ls[lo] + 1 };
  }

  range(start: number, end: number): SrcRange {
    const a = this.position(start);
    const b = this.position(Math.max(start, end));
    return { file: this.path, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  /** Offset of a 1-based line's first character (clamped). */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))];
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}

export function formatRange(r: SrcRange): string {
  return `${r.file}:${r.line}:${r.column}`;
}

/** `file:line:col: error: message`, as compilers print it. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${formatRange(d.range)}: ${d.severity}: ${d.message}`;
}

/** Thrown by any stage for a problem at a place in the source; caught and turned into a Diagnostic. */
export class CError extends Error {
  constructor(
    readonly range: SrcRange,
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export const NO_RANGE: SrcRange = { file: '<internal>', line: 1, column: 1, endLine: 1, endColumn: 1 };
