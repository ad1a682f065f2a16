import { describe, expect, it } from "vitest";

import { allowedRoles } from "./Permissions";

describe("the role from the window", () => {
  it("offers only the role in force and stricter ones", () => {
    expect(allowedRoles("owner")).toEqual(["owner", "developer", "viewer"]);
    expect(allowedRoles("developer")).toEqual(["developer", "viewer"]);
    expect(allowedRoles("viewer")).toEqual(["viewer"]);
    expect(allowedRoles("nieznana")).toEqual(["owner", "developer", "viewer"]);
  });
});
