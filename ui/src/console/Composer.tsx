// The command line of the console: history with the arrows, Polish example commands, and the
// status of what runs. It keeps the focus: nothing else in the console takes it away.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

const HISTORY_KEY = "dark8.console.history";

/** The composer's input, for the shortcuts that bring the focus back to it. */
export const COMPOSER_ID = "composer";

export function Composer(props: {
  onSubmit: (command: string) => void;
  busy: number;
  reconnecting: boolean;
  /** Text a launch put here (a link, the tray's quick command), to check and send. */
  prefill?: { text: string; n: number };
}) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const { prefill } = props;
  useEffect(() => {
    if (!prefill) return;
    if (prefill.text) setText(prefill.text);
    document.getElementById(COMPOSER_ID)?.focus();
  }, [prefill]);
  const [history, setHistory] = useState<string[]>(() => {
    try {
      return JSON.parse(localStorage.getItem(HISTORY_KEY) ?? "[]") as string[];
    } catch {
      return [];
    }
  });
  const [cursor, setCursor] = useState<number | null>(null);

  const submit = () => {
    const command = text.trim();
    if (!command) return;
    const next = [...history.filter((h) => h !== command), command].slice(-100);
    setHistory(next);
    localStorage.setItem(HISTORY_KEY, JSON.stringify(next));
    setCursor(null);
    setText("");
    props.onSubmit(command);
  };
  const examples = t("console.examples", { returnObjects: true }) as string[];

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="examples">
        {examples.map((example) => (
          <button
            type="button"
            key={example}
            className="chip"
            onClick={() => {
              setText(example);
              document.getElementById(COMPOSER_ID)?.focus();
            }}
          >
            {example}
          </button>
        ))}
      </div>
      <div className="composer-row">
        <input
          id={COMPOSER_ID}
          autoFocus
          data-testid="composer"
          aria-label={t("console.commandLabel")}
          placeholder={t("console.placeholder")}
          value={text}
          maxLength={4000}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "ArrowUp" && history.length > 0) {
              e.preventDefault();
              const at = cursor === null ? history.length - 1 : Math.max(0, cursor - 1);
              setCursor(at);
              setText(history[at]);
            } else if (e.key === "ArrowDown" && cursor !== null) {
              e.preventDefault();
              const at = cursor + 1;
              setCursor(at < history.length ? at : null);
              setText(at < history.length ? history[at] : "");
            }
          }}
        />
        <button type="submit" className="primary" data-testid="send">
          {t("console.send")}
        </button>
      </div>
      <p className="muted status-line" aria-live="polite">
        {props.reconnecting
          ? t("console.reconnecting")
          : props.busy > 0
            ? t("console.running", { count: props.busy })
            : t("console.idleHint")}
      </p>
    </form>
  );
}
