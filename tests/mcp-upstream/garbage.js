// An upstream that answers every message on stdin with a line that is not JSON-RPC.
process.stdin.on("data", () => process.stdout.write("this is not JSON-RPC\n"));
