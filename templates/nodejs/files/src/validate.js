/** Checks what a client sent: { title: 1-200 characters, done?: boolean }. */
export function validateItem(body) {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return { error: "body must be a JSON object" };
  }
  const { title, done = false } = body;
  if (typeof title !== "string" || title.length < 1 || title.length > 200) {
    return { error: "title must be a string of 1-200 characters" };
  }
  if (typeof done !== "boolean") {
    return { error: "done must be true or false" };
  }
  return { value: { title, done } };
}
