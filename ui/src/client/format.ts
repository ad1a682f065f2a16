// Polish formatting: the plural forms (1 plik, 2 pliki, 5 plików, 1,5 pliku), numbers and
// durations as a Polish reader writes them. English is available for the switch.

/** The four forms of a Polish noun after a number: one, few, many and other (fractions). */
export interface PolishForms {
  one: string;
  few: string;
  many: string;
  other?: string;
}

/** Which Polish form `n` takes (CLDR plural rules for "pl"). */
export function polishPluralCategory(n: number): "one" | "few" | "many" | "other" {
  if (!Number.isInteger(n)) return "other";
  const abs = Math.abs(n);
  if (abs === 1) return "one";
  const last = abs % 10;
  const lastTwo = abs % 100;
  if (last >= 2 && last <= 4 && !(lastTwo >= 12 && lastTwo <= 14)) return "few";
  return "many";
}

const numbers = {
  pl: new Intl.NumberFormat("pl-PL", { maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat("en-GB", { maximumFractionDigits: 2 }),
};

/** `n` written for `lang` ("1 234,5" in Polish with a no-break space). */
export function formatNumber(n: number, lang: "pl" | "en" = "pl"): string {
  return numbers[lang].format(n);
}

/** `n` with its noun: "1 wpis", "4 wpisy", "5 wpisów", "1,5 wpisu". */
export function countPl(n: number, forms: PolishForms): string {
  const category = polishPluralCategory(n);
  const noun = category === "other" ? (forms.other ?? forms.few) : forms[category];
  return `${formatNumber(n)} ${noun}`;
}

/** A duration: "350 ms", "1,2 s", "2 min 5 s". */
export function formatDuration(ms: number, lang: "pl" | "en" = "pl"): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${formatNumber(Math.round(ms / 100) / 10, lang)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

/** Bytes as B, KiB, MiB, GiB or TiB with one decimal, in the window's number format. */
export function formatBytes(bytes: number, lang: "pl" | "en" = "pl"): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : 1;
  const text = new Intl.NumberFormat(lang === "en" ? "en-GB" : "pl-PL", { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
  return `${text} ${units[unit]}`;
}
