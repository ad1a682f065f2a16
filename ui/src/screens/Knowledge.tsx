// Wiedza: search over remembered facts and past conversations (the memory's own search, so
// inflection does not matter and "wczoraj" searches by day), with source, date and tags; add
// a fact and forget one, both ordinary runs through the memory tools.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { AgentClient } from "../client/agent-client";
import { ErrorLine, ToolRuns, localTime, useLoad, useToolRuns } from "./common";

export function Knowledge({ client }: { client: AgentClient }) {
  const { t, i18n } = useTranslation();
  const [query, setQuery] = useState("");
  const [asked, setAsked] = useState("");
  const [fact, setFact] = useState("");
  const [tags, setTags] = useState("");
  const entries = useLoad(() => client.listKnowledge(asked || undefined, 100), [client, asked]);
  const runs = useToolRuns(client, () => entries.reload());

  const search = (e: FormEvent) => {
    e.preventDefault();
    setAsked(query.trim());
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    const content = fact.trim();
    if (!content) return;
    const tagList = tags
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean);
    void runs.start(t("knowledge.addCommand", { fact: content }), "memory_save", { content, tags: tagList }).then((id) => {
      if (id) {
        setFact("");
        setTags("");
      }
    });
  };

  return (
    <section className="screen knowledge" aria-labelledby="knowledge-title">
      <div className="screen-head">
        <h2 id="knowledge-title">{t("knowledge.title")}</h2>
      </div>
      <form className="search-row" onSubmit={search} role="search">
        <label htmlFor="knowledge-query" className="visually-hidden">
          {t("knowledge.query")}
        </label>
        <input
          id="knowledge-query"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder={t("knowledge.queryPlaceholder")}
          data-testid="knowledge-query"
        />
        <button className="primary" type="submit" data-testid="knowledge-search">
          {t("knowledge.search")}
        </button>
      </form>
      <form className="add-row" onSubmit={add}>
        <label htmlFor="knowledge-fact" className="visually-hidden">
          {t("knowledge.fact")}
        </label>
        <input
          id="knowledge-fact"
          value={fact}
          onChange={(e) => setFact(e.target.value)}
          placeholder={t("knowledge.factPlaceholder")}
          data-testid="knowledge-fact"
        />
        <label htmlFor="knowledge-tags" className="visually-hidden">
          {t("knowledge.tags")}
        </label>
        <input id="knowledge-tags" value={tags} onChange={(e) => setTags(e.target.value)} placeholder={t("knowledge.tagsPlaceholder")} />
        <button className="secondary" type="submit" data-testid="knowledge-add">
          {t("knowledge.add")}
        </button>
      </form>
      <ErrorLine error={entries.error ?? runs.error} />
      <ToolRuns runs={runs.runs} client={client} />
      <p className="muted" aria-live="polite">
        {asked ? t("knowledge.found", { count: entries.data?.length ?? 0, query: asked }) : t("knowledge.newest")}
      </p>
      <ul className="entries" data-testid="knowledge-entries">
        {(entries.data ?? []).map((entry) => (
          <li key={`${entry.source}-${entry.id}`} className={`entry ${entry.source}`} data-testid="knowledge-entry" data-source={entry.source}>
            <div className="entry-head">
              <span className={`badge ${entry.source === "knowledge" ? "done" : "running"}`}>{t(`knowledge.source.${entry.source}`)}</span>
              <span className="muted">{localTime(entry.when, i18n.language)}</span>
              {entry.tags.map((tag) => (
                <span key={tag} className="tag">
                  #{tag}
                </span>
              ))}
              {entry.source === "knowledge" && (
                <button
                  className="link danger-link"
                  onClick={() => void runs.start(t("knowledge.forgetCommand", { fact: entry.text }), "memory_forget", { id: entry.id })}
                  aria-label={t("knowledge.forgetLabel", { fact: entry.text })}
                >
                  {t("knowledge.forget")}
                </button>
              )}
            </div>
            <p className="entry-text">{entry.text}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
