import { describe, expect, it } from "vitest";

import { shortcutAnswer } from "./ApprovalCard";

const key = (code: string, mods: Partial<Record<"altKey" | "ctrlKey" | "metaKey" | "shiftKey" | "altGraph", boolean>>) => ({
  code,
  altKey: mods.altKey ?? false,
  ctrlKey: mods.ctrlKey ?? false,
  metaKey: mods.metaKey ?? false,
  shiftKey: mods.shiftKey ?? false,
  getModifierState: (name: string) => name === "AltGraph" && (mods.altGraph ?? false),
});

describe("approval shortcuts", () => {
  it("answers with Alt and a letter", () => {
    expect(shortcutAnswer(key("KeyT", { altKey: true }))).toEqual({ approved: true, grant: "once" });
    expect(shortcutAnswer(key("KeyS", { altKey: true }))).toEqual({ approved: true, grant: "session" });
    expect(shortcutAnswer(key("KeyZ", { altKey: true }))).toEqual({ approved: true, grant: "always" });
    expect(shortcutAnswer(key("KeyN", { altKey: true }))).toEqual({ approved: false, grant: "once" });
  });

  it("leaves Polish letters typed with AltGr alone (ś, ż, ń)", () => {
    // Windows reports AltGr as Ctrl+Alt, Linux as the AltGraph modifier.
    expect(shortcutAnswer(key("KeyS", { altKey: true, ctrlKey: true }))).toBeUndefined();
    expect(shortcutAnswer(key("KeyZ", { altKey: true, altGraph: true }))).toBeUndefined();
    expect(shortcutAnswer(key("KeyN", {}))).toBeUndefined();
    expect(shortcutAnswer(key("KeyT", { altKey: true, shiftKey: true }))).toBeUndefined();
  });
});
