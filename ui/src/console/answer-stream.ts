// What the model is writing, readable while it writes. The agent asks small models for one
// JSON object, `{"action": "answer", "arguments": {"text": "…"}}` or a tool call; the tokens
// arrive as pieces of that JSON. This reads the answer's text out of the unfinished object (or
// names the tool being chosen), so the console streams the reply as prose, never as JSON.

/** The model's text so far, as the console shows it. */
export type Streamed =
  | { kind: "answer"; text: string }
  | { kind: "tool"; tool: string }
  | { kind: "unknown" };

/** Reads `modelText` (possibly cut anywhere) as the console should show it. */
export function streamedAnswer(modelText: string): Streamed {
  const trimmed = modelText.trimStart();
  if (trimmed === "") return { kind: "unknown" };
  // A model allowed to write prose writes prose.
  if (!trimmed.startsWith("{") && !trimmed.startsWith("```") && !trimmed.startsWith("<")) {
    return { kind: "answer", text: trimmed };
  }
  const action = stringAfter(trimmed, /"action"\s*:\s*"/);
  if (action === undefined || !action.closed) return { kind: "unknown" };
  if (action.value !== "answer") return { kind: "tool", tool: action.value };
  const text = stringAfter(trimmed, /"text"\s*:\s*"/);
  return text === undefined ? { kind: "answer", text: "" } : { kind: "answer", text: text.value };
}

/** The JSON string that starts after `opening` (which ends at its opening quote), decoded as
 * far as it goes; `closed` when its closing quote arrived. A half-written escape is left out. */
function stringAfter(text: string, opening: RegExp): { value: string; closed: boolean } | undefined {
  const match = opening.exec(text);
  if (!match) return undefined;
  let out = "";
  for (let i = match.index + match[0].length; i < text.length; i++) {
    const c = text[i];
    if (c === '"') return { value: out, closed: true };
    if (c !== "\\") {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) break;
    if (next === "u") {
      const hex = text.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) break;
      out += String.fromCharCode(parseInt(hex, 16));
      i += 5;
      continue;
    }
    out += ({ n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" } as Record<string, string>)[next] ?? next;
    i += 1;
  }
  return { value: out, closed: false };
}
