using System.Net;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Warden.Features.Notifications;

/// <summary>Sends one delivery over its channel; returns null when the receiver took it, else what went wrong.</summary>
public sealed class AlertSenders(IHttpClientFactory http, IOptions<NotificationOptions> options)
{
    public const string HttpClientName = "warden-alerts";

    public async Task<string?> SendAsync(AlertDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var settings = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, settings.TimeoutSeconds)));
        try
        {
            return delivery.Channel switch
            {
                AlertChannels.Email => await EmailAsync(settings.Smtp, delivery, settings.TimeoutSeconds, timeout.Token),
                AlertChannels.Slack => await PostAsync(settings.Slack, ChatPayloads.Slack(delivery.Title, delivery.Text, delivery.Link).ToJsonString(), timeout.Token),
                AlertChannels.Teams => await PostAsync(settings.Teams, ChatPayloads.Teams(delivery.Title, delivery.Text, delivery.Link).ToJsonString(), timeout.Token),
                _ => $"unknown channel {delivery.Channel}",
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "timed out";
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or SmtpCommandException or SmtpProtocolException
                                       or AuthenticationException or SslHandshakeException or HttpRequestException or MailKit.ServiceNotConnectedException)
        {
            return ex.Message;
        }
    }

    private static async Task<string?> EmailAsync(SmtpOptions smtp, AlertDelivery delivery, int timeoutSeconds, CancellationToken cancellationToken)
    {
        if (!smtp.Enabled)
            return "no SMTP server is configured";
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From));
        message.To.Add(MailboxAddress.Parse(delivery.Recipient));
        message.Subject = "[Warden] " + delivery.Title;
        message.Headers.Add("X-Warden-Alert", delivery.Id);
        message.Headers.Add("X-Warden-Event", delivery.Kind);
        var body = new BodyBuilder
        {
            TextBody = $"{delivery.Title}\n\n{delivery.Text}\n\nOpen in Warden: {delivery.Link}\n",
            HtmlBody = Html(delivery),
        };
        message.Body = body.ToMessageBody();

        using var client = new SmtpClient { Timeout = Math.Max(1, timeoutSeconds) * 1000 };
        var security = Enum.TryParse<SecureSocketOptions>(smtp.Security, ignoreCase: true, out var parsed) ? parsed : SecureSocketOptions.Auto;
        await client.ConnectAsync(smtp.Host!, smtp.Port, security == SecureSocketOptions.Auto ? SecureSocketOptions.StartTlsWhenAvailable : security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.UserName))
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? string.Empty, cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        return null;
    }

    private static string Html(AlertDelivery delivery)
    {
        var html = new StringBuilder();
        html.Append("<h2>").Append(WebUtility.HtmlEncode(delivery.Title)).Append("</h2><table>");
        foreach (var line in delivery.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            html.Append("<tr><th align=\"left\">").Append(WebUtility.HtmlEncode(colon > 0 ? line[..colon] : string.Empty))
                .Append("</th><td>").Append(WebUtility.HtmlEncode(colon > 0 ? line[(colon + 2)..] : line)).Append("</td></tr>");
        }
        html.Append("</table><p><a href=\"").Append(WebUtility.HtmlEncode(delivery.Link)).Append("\">Open in Warden</a></p>");
        return html.ToString();
    }

    private async Task<string?> PostAsync(ChatOptions chat, string json, CancellationToken cancellationToken)
    {
        if (!chat.Enabled)
            return "no webhook is configured for this channel";
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.CreateClient(HttpClientName).PostAsync(new Uri(chat.WebhookUrl!), content, cancellationToken);
        return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
    }
}
