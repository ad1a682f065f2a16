import { describe, expect, it, vi } from "vitest";

describe("the locale shim", () => {
  it("replaces a language tag Intl rejects (LANG=C) and keeps a good one", async () => {
    vi.stubGlobal("navigator", { language: "C", languages: ["C"] });
    await import("./locale-shim?bad");
    expect(navigator.language).toBe("pl-PL");
    expect(() => new Intl.NumberFormat(navigator.language)).not.toThrow();
    vi.stubGlobal("navigator", { language: "en-US", languages: ["en-US"] });
    await import("./locale-shim?good");
    expect(navigator.language).toBe("en-US");
    vi.unstubAllGlobals();
  });
});
