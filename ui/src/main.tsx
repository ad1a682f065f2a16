import "./locale-shim";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { BrowserApp } from "./BrowserApp";
import "./i18n";
import "./styles.css";

// Inside the desktop app the core answers through Tauri; in a browser, through `dark8 serve`.
const desktop = "__TAURI_INTERNALS__" in window;

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(<StrictMode>{desktop ? <App /> : <BrowserApp />}</StrictMode>);
}
