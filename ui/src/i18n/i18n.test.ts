import { afterEach, describe, expect, it } from "vitest";

import { en } from "./en";
import { i18n } from "./index";
import { pl } from "./pl";

/** Every key path of a message tree. */
function keys(tree: object, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "object" && !Array.isArray(value) ? keys(value as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe("the window's languages", () => {
  afterEach(() => i18n.changeLanguage("pl"));

  it("starts in Polish", () => {
    expect(i18n.language).toBe("pl");
    expect(i18n.t("console.send")).toBe("Wykonaj");
  });

  it("uses the four Polish plural forms with Polish numbers", () => {
    const running = (count: number) => i18n.t("console.running", { count });
    expect(running(1)).toBe("W toku: 1 polecenie");
    expect(running(3)).toBe("W toku: 3 polecenia");
    expect(running(5)).toBe("W toku: 5 poleceń");
    expect(running(12)).toBe("W toku: 12 poleceń");
    expect(running(22)).toBe("W toku: 22 polecenia");
    expect(running(1.5)).toBe("W toku: 1,5 polecenia");
    expect(i18n.t("console.showAll", { count: 2000 })).toBe("pokaż wszystko (2000 linii)");
    expect(i18n.t("console.showAll", { count: 12345 }).replace(/\s/g, " ")).toBe("pokaż wszystko (12 345 linii)");
  });

  it("switches to English with English plurals", async () => {
    await i18n.changeLanguage("en");
    expect(i18n.t("console.send")).toBe("Run");
    expect(i18n.t("console.running", { count: 1 })).toBe("Running: 1 command");
    expect(i18n.t("console.running", { count: 5 })).toBe("Running: 5 commands");
    expect(i18n.t("console.showAll", { count: 12345 })).toBe("show all (12,345 lines)");
  });

  it("has every key in both languages", () => {
    expect(keys(en).sort()).toEqual(keys(pl).sort());
  });
});
