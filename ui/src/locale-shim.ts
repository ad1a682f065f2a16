// Imported first: a system with LANG=C (minimal installs, containers, CI) gives the webview
// the language tag "C", which Intl rejects; libraries that format numbers with
// navigator.language when they load (uPlot) would then stop the whole window from starting.
// Such a tag is replaced by Polish, the window's first language.
function usable(tag: string | undefined): boolean {
  if (!tag) return false;
  try {
    new Intl.NumberFormat(tag);
    return true;
  } catch {
    return false;
  }
}

if (typeof navigator !== "undefined" && !usable(navigator.language)) {
  Object.defineProperty(navigator, "language", { value: "pl-PL", configurable: true });
  Object.defineProperty(navigator, "languages", { value: ["pl-PL", "en-GB"], configurable: true });
}

export {};
