// Splits a long list of tree children into nested pages, so that no tree node ever has more than
// PAGE_SIZE children: a realm with 262,144 DATA granules shows 4 ranges of 65,536, each of 256
// ranges of 256 granules, and only the pages the user opens are ever built. Pure (no `vscode`).

/** Most children one tree node gets; VS Code renders a few hundred rows without effort. */
export const PAGE_SIZE = 256;

/** The page span for `count` items: the smallest power of PAGE_SIZE that leaves at most PAGE_SIZE pages. */
export function pageSpan(count: number, pageSize = PAGE_SIZE): number {
  let span = 1;
  while (Math.ceil(count / span) > pageSize) span *= pageSize;
  return span;
}

export interface PageOf<T> {
  /** First and last item (positions in the whole list, inclusive). */
  from: number;
  to: number;
  /** The page's own children (items or sub-pages), computed when asked. */
  children: () => T[];
}

/**
 * The children for positions [start, start + count) of a list: the items themselves when they
 * fit in one page, else pages (made by `page`), each of which pages its own part the same way.
 */
export function paged<T>(count: number, item: (position: number) => T, page: (p: PageOf<T>) => T, start = 0, pageSize = PAGE_SIZE): T[] {
  const out: T[] = [];
  if (count <= 0) return out;
  const span = pageSpan(count, pageSize);
  if (span === 1) {
    for (let k = 0; k < count; k++) out.push(item(start + k));
    return out;
  }
  for (let off = 0; off < count; off += span) {
    const n = Math.min(span, count - off);
    const from = start + off;
    out.push(page({ from, to: from + n - 1, children: () => paged(n, item, page, from, pageSize) }));
  }
  return out;
}
