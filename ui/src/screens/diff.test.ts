import { describe, expect, it } from "vitest";

import { splitRows, unifiedRows } from "./diff";

const DIFF = "--- a.ini\n+++ a.ini\n@@ -1,3 +1,3 @@\n host=x\n-port=80\n+port=8080\n+debug=1\n";

describe("diff rows", () => {
  it("numbers unified lines before and after", () => {
    const rows = unifiedRows(DIFF);
    expect(rows.map((r) => r.kind)).toEqual(["hunk", "same", "del", "add", "add"]);
    expect(rows[2]).toEqual({ kind: "del", text: "port=80", old: 2 });
    expect(rows[4]).toEqual({ kind: "add", text: "debug=1", new: 3 });
  });

  it("pairs removed and added lines side by side", () => {
    const rows = splitRows(DIFF);
    expect(rows[2].left?.text).toBe("port=80");
    expect(rows[2].right?.text).toBe("port=8080");
    expect(rows[3].left).toBeUndefined();
    expect(rows[3].right).toEqual({ line: 3, text: "debug=1", added: true });
  });
});

describe("system samples", () => {
  it("keeps a minute of samples and turns byte counters into KiB/s", async () => {
    const { addSample, noSamples, WINDOW } = await import("./System");
    const metrics = (received: number) => ({
      cpu: { usage_percent: 50, cores: [{ name: "cpu0", usage_percent: 40, frequency_mhz: 1 }], load: { one: 0, five: 0, fifteen: 0 } },
      memory: { total_bytes: 1000, used_bytes: 250, available_bytes: 750, swap_total_bytes: 0, swap_used_bytes: 0 },
      network: [{ interface: "eth0", received_bytes: received, transmitted_bytes: 0 }],
    });
    let s = addSample(noSamples, metrics(0), 100);
    s = addSample(s, metrics(2048), 102);
    expect(s.received).toEqual([0, 1]);
    expect(s.memory).toEqual([25, 25]);
    expect(s.cores[0]).toEqual([40, 40]);
    for (let i = 0; i < WINDOW + 5; i++) s = addSample(s, metrics(2048), 103 + i);
    expect(s.at.length).toBe(WINDOW);
  });
});
