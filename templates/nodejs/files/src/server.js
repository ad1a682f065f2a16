/** Starts the server with configuration from the environment; stops cleanly on SIGTERM. */
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";
import { createLogger } from "./logger.js";

const config = loadConfig();
const logger = createLogger(config.logLevel);
const server = createApp({ logger }).listen(config.port, config.host, () => {
  logger.info("listening", { host: config.host, port: config.port });
});

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    logger.info("stopping", { signal });
    server.close(() => process.exit(0));
  });
}
