// A unified diff as rows to draw: unified (one column, each line marked) or side by side
// (removed lines on the left, added on the right, paired in order within a change).

/** One line of a unified view. */
export interface UnifiedRow {
  kind: "hunk" | "add" | "del" | "same";
  text: string;
  /** Line numbers before and after, when the line has them. */
  old?: number;
  new?: number;
}

/** One row of a side-by-side view. */
export interface SplitRow {
  kind: "hunk" | "change" | "same";
  left?: { line: number; text: string; removed: boolean };
  right?: { line: number; text: string; added: boolean };
  text?: string;
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** The rows of `diff` (file headers left out). */
export function unifiedRows(diff: string): UnifiedRow[] {
  const rows: UnifiedRow[] = [];
  let oldLine = 0;
  let newLine = 0;
  for (const line of diff.split("\n")) {
    if (line.startsWith("--- ") || line.startsWith("+++ ")) continue;
    const hunk = HUNK.exec(line);
    if (hunk) {
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      rows.push({ kind: "hunk", text: line });
    } else if (line.startsWith("+")) {
      rows.push({ kind: "add", text: line.slice(1), new: newLine++ });
    } else if (line.startsWith("-")) {
      rows.push({ kind: "del", text: line.slice(1), old: oldLine++ });
    } else if (line.startsWith(" ")) {
      rows.push({ kind: "same", text: line.slice(1), old: oldLine++, new: newLine++ });
    }
  }
  return rows;
}

/** The rows of `diff` side by side. */
export function splitRows(diff: string): SplitRow[] {
  const out: SplitRow[] = [];
  let removed: UnifiedRow[] = [];
  let added: UnifiedRow[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      const l = removed[i];
      const r = added[i];
      out.push({
        kind: "change",
        left: l && { line: l.old ?? 0, text: l.text, removed: true },
        right: r && { line: r.new ?? 0, text: r.text, added: true },
      });
    }
    removed = [];
    added = [];
  };
  for (const row of unifiedRows(diff)) {
    if (row.kind === "del") removed.push(row);
    else if (row.kind === "add") added.push(row);
    else {
      flush();
      if (row.kind === "hunk") out.push({ kind: "hunk", text: row.text });
      else
        out.push({
          kind: "same",
          left: { line: row.old ?? 0, text: row.text, removed: false },
          right: { line: row.new ?? 0, text: row.text, added: false },
        });
    }
  }
  flush();
  return out;
}
