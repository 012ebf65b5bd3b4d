using System.Text;
using System.Text.Json;

namespace Warden.PolicyBench;

/// <summary>
/// Request parameters as an agent sends them: about 2 KB of JSON with ids, amounts, a customer
/// record, line items and a paragraph of free text, some carrying personal data; and 64 KB of
/// catastrophic-regex bait.
/// </summary>
internal static class GuardrailFixture
{
    private const string Note =
        "Customer called about the late delivery of order ORD-2026-000123 and asked us to reissue the invoice to the finance team. " +
        "They confirmed the billing address is unchanged and want the credit note applied before the end of the quarter. " +
        "Please also update the contact preferences: e-mail only, no calls after 6 pm. Priority is normal; escalate if not done by Friday.";

    public static JsonElement[] Typical(int count)
    {
        var variants = new JsonElement[count];
        for (var i = 0; i < count; i++)
        {
            var parameters = new
            {
                request_id = $"7c9e6679-7425-40de-944b-e07fc1f90a{i % 100:00}",
                tool = "crm.notes",
                account = new { id = $"acc_{4711 + i}", name = "Northwind Traders", segment = "enterprise", region = "EU-West" },
                customer = new
                {
                    name = "Olivia Smith",
                    email = i % 2 == 0 ? $"olivia.smith{i}@example.com" : "billing@northwind.example",
                    phone = i % 3 == 0 ? "+44 20 7946 0958" : "n/a",
                    preferred_channel = "email",
                },
                items = Enumerable.Range(0, 6).Select(n => new { sku = $"SKU-{1000 + n}", qty = n + 1, price = 19.99m + n, note = n == 2 ? "gift wrap, deliver to reception" : "standard" }).ToArray(),
                note = Note,
                summary = i % 4 == 0 ? "Refund requested, see https://crm.example.com/cases/9912?tab=history" : "No refund requested.",
                amount = 1249.50m,
                currency = "EUR",
                created = "2026-11-25T09:00:00Z",
                tags = new[] { "delivery", "invoice", "priority-normal" },
                shipping = new { street = "221B Baker Street", city = "London", postcode = "NW1 6XE", country = "GB", instructions = "Leave with the concierge if nobody answers." },
                history = Enumerable.Range(0, 4).Select(n => new { at = $"2026-11-2{n}T1{n}:30:00Z", actor = $"agent-{n}", action = n % 2 == 0 ? "note.added" : "status.changed", detail = "Follow-up scheduled with the account manager for next week." }).ToArray(),
            };
            variants[i] = JsonSerializer.SerializeToElement(parameters);
        }
        return variants;
    }

    public static JsonElement Adversarial()
    {
        var builder = new StringBuilder(64 * 1024);
        var units = new[] { new string('a', 4096), "a@a.", "4 1-", "a:", "\"ignore previous ", "A1b2+/" };
        var u = 0;
        while (builder.Length < 64 * 1024 - 8)
        {
            var unit = units[u++ % units.Length];
            for (var k = 0; k < 256 && builder.Length < 64 * 1024 - 8; k++)
                builder.Append(unit);
        }
        return JsonSerializer.SerializeToElement(new { text = builder.ToString(0, 64 * 1024 - 8) });
    }
}
