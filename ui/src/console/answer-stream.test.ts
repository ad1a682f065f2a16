import { describe, expect, it } from "vitest";

import { streamedAnswer } from "./answer-stream";

describe("the model's answer while it writes", () => {
  const whole = '{"action": "answer", "arguments": {"text": "Rekurencja to \\"wywołanie\\" funkcji\\nprzez nią samą \\u0105."}}';

  it("reads the text out of every prefix of the JSON, growing and never showing JSON", () => {
    let last = "";
    for (let cut = 0; cut <= whole.length; cut++) {
      const streamed = streamedAnswer(whole.slice(0, cut));
      if (streamed.kind === "answer") {
        expect(streamed.text.startsWith(last)).toBe(true);
        expect(streamed.text).not.toContain("{");
        last = streamed.text;
      }
    }
    expect(last).toBe('Rekurencja to "wywołanie" funkcji\nprzez nią samą ą.');
  });

  it("names the tool a model is choosing and does not show its arguments", () => {
    expect(streamedAnswer('{"action": "shell_run", "arguments": {"command": "df -h')).toEqual({
      kind: "tool",
      tool: "shell_run",
    });
    expect(streamedAnswer('{"action": "shell_')).toEqual({ kind: "unknown" });
  });

  it("shows prose as prose", () => {
    expect(streamedAnswer("  Dzień dobry!")).toEqual({ kind: "answer", text: "Dzień dobry!" });
    expect(streamedAnswer("")).toEqual({ kind: "unknown" });
  });
});
