/** Structured logging: one JSON object per line on stdout. */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(level = "info", write = (line) => process.stdout.write(line + "\n")) {
  const threshold = LEVELS[level] ?? LEVELS.info;
  const log = (name) => (message, fields = {}) => {
    if (LEVELS[name] >= threshold) {
      write(JSON.stringify({ time: new Date().toISOString(), level: name, message, ...fields }));
    }
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}
