/** In-memory storage of the items (swap for a database when the data must survive restarts). */
export class Store {
  #items = new Map();
  #nextId = 1;

  all() {
    return [...this.#items.values()];
  }

  get(id) {
    return this.#items.get(id) ?? null;
  }

  create({ title, done }) {
    const item = { id: this.#nextId++, title, done };
    this.#items.set(item.id, item);
    return item;
  }

  update(id, { title, done }) {
    if (!this.#items.has(id)) return null;
    const item = { id, title, done };
    this.#items.set(id, item);
    return item;
  }

  delete(id) {
    return this.#items.delete(id);
  }
}
