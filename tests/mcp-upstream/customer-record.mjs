// An upstream with one tool, "customer-record", that answers with personal data both as text and as
// structured content (the same e-mail, card number and IBAN in each), for the output scrubbing tests.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "customer-record", version: "1.0.0" });
server.registerTool("customer-record", {
  description: "A customer's contact and payment details.",
  inputSchema: { id: z.string() },
  outputSchema: { name: z.string(), email: z.string(), card: z.string(), iban: z.string() },
}, async ({ id }) => {
  const record = { name: `Customer ${id}`, email: "olivia.hart@example.com", card: "4111 1111 1111 1111", iban: "DE89 3704 0044 0532 0130 00" };
  return {
    content: [{ type: "text", text: `Customer ${id}: ${record.email}, card ${record.card}, IBAN ${record.iban}` }],
    structuredContent: record,
  };
});
await server.connect(new StdioServerTransport());
