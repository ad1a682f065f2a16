// The live view's frame stream (`application/vnd.dark8.frames`): per frame a 12-byte header
// (JPEG length, page width, page height; big-endian u32) and the JPEG, in chunks of any size.
import type { BrowserFrame } from "./agent-client";

const HEADER = 12;

/** Cuts a byte stream into frames. */
export class FrameParser {
  private buffer = new Uint8Array(0);

  /** The whole frames `chunk` completes. */
  push(chunk: Uint8Array): BrowserFrame[] {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    const frames: BrowserFrame[] = [];
    let at = 0;
    while (joined.length - at >= HEADER) {
      const view = new DataView(joined.buffer, joined.byteOffset + at, HEADER);
      const length = view.getUint32(0);
      if (joined.length - at - HEADER < length) break;
      frames.push({
        width: view.getUint32(4),
        height: view.getUint32(8),
        jpeg: joined.slice(at + HEADER, at + HEADER + length),
      });
      at += HEADER + length;
    }
    this.buffer = joined.slice(at);
    return frames;
  }
}
