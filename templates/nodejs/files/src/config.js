/** Configuration from the environment (APP_* variables). */
export function loadConfig(env = process.env) {
  const port = Number.parseInt(env.APP_PORT ?? "3000", 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`APP_PORT must be a port number, got "${env.APP_PORT}"`);
  }
  return {
    host: env.APP_HOST ?? "127.0.0.1",
    port,
    logLevel: env.APP_LOG_LEVEL ?? "info",
  };
}
