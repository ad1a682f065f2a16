"""Storage of the items in SQLite (one connection per operation, created lazily)."""

import sqlite3
import threading
from contextlib import closing
from typing import Any

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS items ("
    "id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "title TEXT NOT NULL, "
    "done INTEGER NOT NULL DEFAULT 0)"
)

Item = dict[str, Any]


class Storage:
    """CRUD of items in one SQLite file."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self._path)
        connection.row_factory = sqlite3.Row
        if not self._ready:
            with self._lock:
                connection.execute(SCHEMA)
                connection.commit()
                self._ready = True
        return connection

    @staticmethod
    def _item(row: sqlite3.Row) -> Item:
        return {"id": row["id"], "title": row["title"], "done": bool(row["done"])}

    def all(self) -> list[Item]:
        with closing(self._connect()) as db:
            rows = db.execute("SELECT id, title, done FROM items ORDER BY id").fetchall()
        return [self._item(row) for row in rows]

    def get(self, item_id: int) -> Item | None:
        with closing(self._connect()) as db:
            row = db.execute(
                "SELECT id, title, done FROM items WHERE id = ?", (item_id,)
            ).fetchone()
        return self._item(row) if row else None

    def create(self, title: str, done: bool) -> Item:
        with closing(self._connect()) as db, db:
            cursor = db.execute("INSERT INTO items (title, done) VALUES (?, ?)", (title, done))
            item_id = cursor.lastrowid
        return {"id": item_id, "title": title, "done": done}

    def update(self, item_id: int, title: str, done: bool) -> Item | None:
        with closing(self._connect()) as db, db:
            cursor = db.execute(
                "UPDATE items SET title = ?, done = ? WHERE id = ?", (title, done, item_id)
            )
        return {"id": item_id, "title": title, "done": done} if cursor.rowcount else None

    def delete(self, item_id: int) -> bool:
        with closing(self._connect()) as db, db:
            cursor = db.execute("DELETE FROM items WHERE id = ?", (item_id,))
        return cursor.rowcount > 0
