// An approval inline in its step: the whole operation (command line, diff, URLs, paths, risk,
// the Polish reason) and the four answers. The first waiting card answers Alt+T / Alt+S /
// Alt+Z / Alt+N from anywhere in the window without taking the focus from the composer.
// Alt alone, never AltGr: on a Polish keyboard AltGr+S is "ś" (Linux reports AltGraph, Windows
// Ctrl+Alt), so those keys keep typing letters.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";

import { AgentError, type AgentClient } from "../client/agent-client";
import type { GrantScope, PendingApproval } from "../protocol";
import { COMPOSER_ID } from "./Composer";

/** "program:git" -> "git", "host:docs.rs" -> "docs.rs", "dir:src" -> "katalog src". */
export function targetLabel(target: string, t: TFunction): string {
  const [kind, ...rest] = target.split(":");
  const value = rest.join(":").replaceAll("+", ", ");
  if (kind === "dir") return t("approval.targetDir", { dir: value });
  if (kind === "program" || kind === "host" || kind === "line") return value;
  return target === "*" ? t("approval.targetAny") : target;
}

/** The answer a shortcut gives, by the key's physical position (any layout). */
export function shortcutAnswer(
  e: Pick<KeyboardEvent, "altKey" | "ctrlKey" | "metaKey" | "shiftKey" | "code" | "getModifierState">,
): { approved: boolean; grant: GrantScope } | undefined {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.getModifierState("AltGraph")) return undefined;
  switch (e.code) {
    case "KeyT":
      return { approved: true, grant: "once" };
    case "KeyS":
      return { approved: true, grant: "session" };
    case "KeyZ":
      return { approved: true, grant: "always" };
    case "KeyN":
      return { approved: false, grant: "once" };
    default:
      return undefined;
  }
}

export function ApprovalCard(props: { pending: PendingApproval; client: AgentClient; first: boolean }) {
  const { pending, client, first } = props;
  const { t } = useTranslation();
  const { request } = pending;
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const reasonRef = useRef(reason);
  reasonRef.current = reason;
  const target = request.grant_target;

  const answer = (approved: boolean, grant: GrantScope = "once") =>
    client
      .answerApproval(request.id, {
        approved,
        grant,
        reason: approved ? undefined : reasonRef.current || undefined,
      })
      .catch((e: unknown) => setError(e instanceof AgentError ? `${e.message} ${e.hint}` : String(e)));
  const answerRef = useRef(answer);
  answerRef.current = answer;

  useEffect(() => {
    if (!first) return;
    const onKey = (e: KeyboardEvent) => {
      const shortcut = shortcutAnswer(e);
      if (!shortcut) return;
      // A grant beyond this call exists only where the core offers one.
      if (shortcut.grant !== "once" && !target) return;
      e.preventDefault();
      void answerRef.current(shortcut.approved, shortcut.grant);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [first, target]);

  return (
    <div
      className={first ? "approval first" : "approval"}
      role="group"
      aria-label={t("approval.label")}
      data-testid="approval"
    >
      <p className="approval-title">
        {t("approval.title")} <code>{request.call.tool}</code>{" "}
        <span className={`risk ${request.risk}`}>{t(`risk.${request.risk}`)}</span>
      </p>
      {request.command_line && <pre className="output">$ {request.command_line}</pre>}
      {request.preview && (
        <pre className="output diff" data-testid="approval-preview">
          {request.preview.split("\n").map((line, i) => (
            <span
              key={i}
              className={
                line.startsWith("+") && !line.startsWith("+++")
                  ? "add"
                  : line.startsWith("-") && !line.startsWith("---")
                    ? "del"
                    : undefined
              }
            >
              {line}
              {"\n"}
            </span>
          ))}
        </pre>
      )}
      {request.urls.map((url) => (
        <p key={url} className="muted">
          → {url}
        </p>
      ))}
      {request.paths.map((path) => (
        <p key={path} className="muted">
          {t("approval.file", { path })}
        </p>
      ))}
      <p className="muted">{t("approval.reason", { reason: request.reason })}</p>
      {!request.auto_approvable && <p className="muted">{t("approval.everyTime")}</p>}
      <div className="approval-actions">
        <button className="primary" onClick={() => void answer(true)} data-testid="allow-once" aria-keyshortcuts="Alt+T">
          {t("approval.allowOnce")}
          {first && <kbd>Alt+T</kbd>}
        </button>
        {target && (
          <>
            <button className="secondary" onClick={() => void answer(true, "session")} data-testid="allow-session" aria-keyshortcuts="Alt+S">
              {t("approval.allowSession")}
              {first && <kbd>Alt+S</kbd>}
            </button>
            <button className="secondary" onClick={() => void answer(true, "always")} data-testid="allow-always" aria-keyshortcuts="Alt+Z">
              {t("approval.allowAlways", { target: targetLabel(target, t) })}
              {first && <kbd>Alt+Z</kbd>}
            </button>
          </>
        )}
        <input
          className="reason"
          aria-label={t("approval.denyReason")}
          placeholder={t("approval.denyReason")}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              void answer(false);
            } else if (e.key === "Escape") {
              document.getElementById(COMPOSER_ID)?.focus();
            }
          }}
        />
        <button className="danger" onClick={() => void answer(false)} data-testid="deny" aria-keyshortcuts="Alt+N">
          {t("approval.deny")}
          {first && <kbd>Alt+N</kbd>}
        </button>
      </div>
      {first && <p className="muted shortcuts">{t("approval.shortcuts")}</p>}
      {error && <p className="problem">{error}</p>}
    </div>
  );
}
