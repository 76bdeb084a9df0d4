// A server that does nothing but answer a constant OFREP-shaped JSON: run at the same fixed
// rate, it shows how much latency the machine and the load generator add by themselves.
//   node bench/http/null-server.ts PORT
import { createServer } from "node:http";

const ANSWER = JSON.stringify({ key: "static-on", reason: "STATIC", variant: "on", value: true, metadata: {} });

if (import.meta.main) {
  const port = Number(process.argv[2]);
  if (!Number.isInteger(port) || port <= 0) {
    process.stderr.write("usage: node bench/http/null-server.ts PORT\n");
    process.exit(2);
  }
  createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.url === "/readyz") return void res.end("ok");
      res.setHeader("content-type", "application/json");
      res.end(ANSWER);
    });
  }).listen(port, "127.0.0.1");
}
