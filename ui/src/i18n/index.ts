// The window's languages: Polish first, English switchable. One i18next instance for the
// whole window; the choice is kept in localStorage and, through the core's settings, makes
// DARK8's own answers follow it.
import i18next from "i18next";
import { initReactI18next } from "react-i18next";

import { en } from "./en";
import { pl } from "./pl";

/** The languages the window speaks. */
export type Language = "pl" | "en";

export const LANGUAGES: Language[] = ["pl", "en"];

/** Where the user's choice is kept. */
export const LANGUAGE_KEY = "dark8.language";

/** The stored choice, when there is one. */
export function storedLanguage(storage: Pick<Storage, "getItem"> | undefined): Language | undefined {
  const value = storage?.getItem(LANGUAGE_KEY);
  return value === "pl" || value === "en" ? value : undefined;
}

function browserStorage(): Storage | undefined {
  try {
    return typeof localStorage === "undefined" ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

void i18next.use(initReactI18next).init({
  resources: { pl: { translation: pl }, en: { translation: en } },
  lng: storedLanguage(browserStorage()) ?? "pl",
  fallbackLng: "pl",
  returnObjects: true,
  interpolation: { escapeValue: false },
  initAsync: false,
});

/** Switches the window to `language` and remembers it. */
export async function switchLanguage(language: Language): Promise<void> {
  browserStorage()?.setItem(LANGUAGE_KEY, language);
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
}

/** The language the window speaks now. */
export function currentLanguage(): Language {
  return i18next.language === "en" ? "en" : "pl";
}

export const i18n = i18next;
