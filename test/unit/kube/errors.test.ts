// describeError: the one line the operator, the evaluator and the TypeScript API log or report
// for a failed Kubernetes call, whichever layer of client-node produced it.
import { describe, expect, it } from "vitest";
import { describeError } from "../../../kube/errors.ts";

describe("describeError", () => {
  it("takes the API server's Status message from an ApiException body, with the code", () => {
    const error = Object.assign(new Error("HTTP-Code: 404\nMessage: Unknown API Status Code!\nBody: ..."), {
      code: 404,
      body: JSON.stringify({ kind: "Status", message: 'namespaces "shop" not found' }),
    });
    expect(describeError(error)).toBe('404: namespaces "shop" not found');
  });

  it("keeps the first line of an Error and adds its cause", () => {
    const error = new Error("request to https://127.0.0.1:1/api failed\nwith a dump", {
      cause: new Error("connect ECONNREFUSED 127.0.0.1:1"),
    });
    expect(describeError(error)).toBe("request to https://127.0.0.1:1/api failed (connect ECONNREFUSED 127.0.0.1:1)");
  });

  it("reads a plain object's message, status code or code, else prints it as JSON", () => {
    expect(describeError({ kind: "Status", message: "too old resource version", code: 410 })).toBe(
      "too old resource version",
    );
    expect(describeError({ statusCode: 503 })).toBe("503");
    expect(describeError({ reason: "Gone" })).toBe('{"reason":"Gone"}');
    expect(describeError("plain text")).toBe("plain text");
  });
});
