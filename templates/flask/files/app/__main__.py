"""Development server: `python -m app`; in production gunicorn serves `app:create_app()`."""

from app import create_app
from app.config import Settings


def main() -> None:
    settings = Settings.from_env()
    create_app(settings).run(host=settings.host, port=settings.port)


if __name__ == "__main__":
    main()
