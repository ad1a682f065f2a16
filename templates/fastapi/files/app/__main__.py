"""Runs the server: `python -m app` (host and port from APP_HOST / APP_PORT)."""

import uvicorn

from app.config import Settings


def main() -> None:
    settings = Settings.from_env()
    uvicorn.run("app.main:app", host=settings.host, port=settings.port, log_config=None)


if __name__ == "__main__":
    main()
