using System.Text.RegularExpressions;
using Dapper;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace JoeCash.Scheduler.Tests.Replies;

/// <summary>
/// A real <c>serve</c> reading a support mailbox of its own in the test Dovecot, sending through the test
/// Postfix, over a database the tests book into. One per test class; every test uses fresh shops and technicians.
/// </summary>
public sealed partial class ReplyEnvironment : IAsyncLifetime
{
    private readonly TempDirectory _folder = new();
    private int _slot;

    public SchedulerHost Host { get; private set; } = null!;

    public ServiceProcess Service { get; private set; } = null!;

    /// <summary>The support mailbox: sender of every email, ORGANIZER of every invitation, where answers go.</summary>
    public string Support { get; } = MailStack.NewAddress("support").Replace("@shop.test", "@joecash.test", StringComparison.Ordinal);

    public Dictionary<string, string> Settings => new(MailStack.SmtpSettings().Select(kv => KeyValuePair.Create(kv.Key, kv.Value!)))
    {
        ["Storage:Path"] = Host.DatabasePath,
        ["Mail:From"] = Support,
        ["Mail:PollInterval"] = "00:00:00.200",
        ["Mail:Imap:Host"] = "127.0.0.1",
        ["Mail:Imap:Port"] = MailStack.ImapPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:Imap:Security"] = "None",
        ["Mail:Imap:Username"] = Support,
        ["Mail:Imap:Password"] = "secret",
        ["Scheduler:TimeZone"] = "Europe/Berlin",
    };

    public async ValueTask InitializeAsync()
    {
        Host = await SchedulerHost.StartAsync(new Dictionary<string, string?> { ["Mail:From"] = Support });
        Service = await ServiceProcess.StartAsync(_folder.FullPath, Settings);
    }

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        await Host.DisposeAsync();
        _folder.Dispose();
    }

    /// <summary>A booked appointment for a fresh shop and technician, and the invitation the shop received through Postfix and Dovecot.</summary>
    public async Task<Booked> BookAsync(string language = "de", string? rustDesk = "732 901 938")
    {
        var shop = MailStack.NewAddress("shop");
        var number = "K" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Host.AddCustomerAsync(number, language, rustDesk ?? "", shop);
        var technicianName = "Tech " + Guid.NewGuid().ToString("N")[..10];
        var technician = await Host.AddTechnicianAsync(technicianName);
        var slot = Interlocked.Increment(ref _slot);
        var start = Host.NextWorkingDayAt(9 + (slot % 7), weeksAhead: 2 + (slot / 7));
        var outcome = await Host.Booking.BookAsync(new BookingRequest(number, "fault", technician.ToString(System.Globalization.CultureInfo.InvariantCulture), start, null, false, "test"));
        Assert.True(outcome.Succeeded, outcome.Refusal?.Message);
        var invitation = (await MailStack.WaitForMessagesAsync(shop, 1)).Single();
        return new Booked(outcome.Appointment!, number, shop, $"{technicianName.ToLowerInvariant().Replace(' ', '.')}@joecash.test", Uid(invitation), invitation);
    }

    public ReplySpec Spec(Booked booked, string partStat = "ACCEPTED", int? sequence = null) =>
        new(booked.Uid, sequence ?? booked.Appointment.Sequence, booked.Shop, "Erika Muster", Support, PartStat: partStat);

    /// <summary>Sends through the test Postfix to the support mailbox, as a shop's mail server would.</summary>
    public static async Task SendAsync(MimeMessage message)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", MailStack.SmtpPort, SecureSocketOptions.None);
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(true);
    }

    /// <summary>Waits until the service has recorded the answer with this Message-ID.</summary>
    public async Task<Inbound> WaitForInboundAsync(string? messageId, TimeSpan? timeout = null)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        while (true)
        {
            await using (var connection = await Host.Database.OpenAsync())
            {
                var rows = (await connection.QueryAsync<Inbound>(
                    "SELECT outcome AS Outcome, reason AS Reason, appointment_id AS AppointmentId FROM inbound_messages WHERE message_id = @messageId",
                    new { messageId })).ToList();
                if (rows.Count > 0)
                {
                    Assert.Single(rows);
                    return rows[0];
                }
            }

            Assert.True(waited.Elapsed < limit, $"no answer {messageId} recorded within the time; serve log:\n{Service.Log}");
            await Task.Delay(100);
        }
    }

    public async Task<Appointment> ReadAsync(long id) => (await Host.Booking.ReadAsync(id))!;

    public async Task<IReadOnlyList<string>> AuditActionsAsync(long id)
    {
        await using var connection = await Host.Database.OpenAsync();
        return [.. await connection.QueryAsync<string>("SELECT action FROM appointment_audit WHERE appointment_id = @id ORDER BY id", new { id })];
    }

    /// <summary>How many messages each folder of the support mailbox holds, and how many of INBOX's are unread.</summary>
    public async Task<(int Inbox, int Unseen, int Processed, int Review)> FoldersAsync()
    {
        using var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", MailStack.ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(Support, "secret");
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        var counts = new List<int>();
        foreach (var name in new[] { "Processed", "Review" })
        {
            try
            {
                var folder = await root.GetSubfolderAsync(name);
                await folder.StatusAsync(StatusItems.Count);
                counts.Add(folder.Count);
            }
            catch (FolderNotFoundException)
            {
                counts.Add(0);
            }
        }

        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var unseen = (await client.Inbox.SearchAsync(SearchQuery.NotSeen)).Count;
        var inbox = client.Inbox.Count;
        await client.DisconnectAsync(true);
        return (inbox, unseen, counts[0], counts[1]);
    }

    private static string Uid(MimeMessage invitation)
    {
        var calendar = invitation.BodyParts.OfType<TextPart>().First(p => p.ContentType.IsMimeType("text", "calendar")).Text;
        return UidLine().Match(calendar.Replace("\r\n ", "", StringComparison.Ordinal)).Groups[1].Value.Trim();
    }

    [GeneratedRegex(@"^UID:(.+)$", RegexOptions.Multiline)]
    private static partial Regex UidLine();
}

/// <summary>An appointment booked for a test, with the shop's address and the invitation it received.</summary>
public sealed record Booked(Appointment Appointment, string Customer, string Shop, string TechnicianEmail, string Uid, MimeMessage Invitation);

/// <summary>A row of inbound_messages.</summary>
public sealed record Inbound
{
    public string Outcome { get; init; } = "";

    public string? Reason { get; init; }

    public long? AppointmentId { get; init; }
}
