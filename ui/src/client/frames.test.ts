import { describe, expect, it } from "vitest";

import { FrameParser } from "./frames";

function frame(bytes: number[], width: number, height: number): Uint8Array {
  const out = new Uint8Array(12 + bytes.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, bytes.length);
  view.setUint32(4, width);
  view.setUint32(8, height);
  out.set(bytes, 12);
  return out;
}

describe("the live view's frame stream", () => {
  it("cuts frames out of chunks of any size", () => {
    const stream = new Uint8Array([...frame([0xff, 0xd8, 1], 800, 600), ...frame([0xff, 0xd8, 2, 3], 1280, 720)]);
    const parser = new FrameParser();
    const got = [...parser.push(stream.slice(0, 5)), ...parser.push(stream.slice(5, 17)), ...parser.push(stream.slice(17))];
    expect(got.map((f) => [f.width, f.height, [...f.jpeg]])).toEqual([
      [800, 600, [0xff, 0xd8, 1]],
      [1280, 720, [0xff, 0xd8, 2, 3]],
    ]);
  });
});
