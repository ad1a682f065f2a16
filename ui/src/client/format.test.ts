import { describe, expect, it } from "vitest";

import { countPl, formatDuration, formatNumber, polishPluralCategory } from "./format";

const wpis = { one: "wpis", few: "wpisy", many: "wpisów", other: "wpisu" };

describe("Polish plural forms", () => {
  it("follows the CLDR rules for Polish", () => {
    expect([1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 102, 112, 0].map(polishPluralCategory)).toEqual([
      "one", "few", "few", "many", "many", "many", "many", "many", "few", "many", "many", "few", "many", "many",
    ]);
    expect(polishPluralCategory(1.5)).toBe("other");
  });

  it("writes counts as a Polish reader expects", () => {
    expect(countPl(1, wpis)).toBe("1 wpis");
    expect(countPl(4, wpis)).toBe("4 wpisy");
    expect(countPl(5, wpis)).toBe("5 wpisów");
    expect(countPl(22, wpis)).toBe("22 wpisy");
    expect(countPl(1.5, wpis)).toBe("1,5 wpisu");
  });
});

describe("numbers and durations", () => {
  it("groups thousands from five digits and uses a decimal comma in Polish", () => {
    // Polish (CLDR minimumGroupingDigits = 2): 1234 stays whole, 12 345 is grouped.
    expect(formatNumber(1234.5)).toBe("1234,5");
    expect(formatNumber(12345.5).replace(/\s/g, " ")).toBe("12 345,5");
    expect(formatNumber(1234.5, "en")).toBe("1,234.5");
  });

  it("shortens durations", () => {
    expect(formatDuration(350)).toBe("350 ms");
    expect(formatDuration(1234)).toBe("1,2 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
  });
});

describe("formatBytes", () => {
  it("picks the unit and writes the decimal comma in Polish", async () => {
    const { formatBytes } = await import("./format");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1,5 KiB");
    expect(formatBytes(3 * 1024 ** 3, "en")).toBe("3.0 GiB");
  });
});
