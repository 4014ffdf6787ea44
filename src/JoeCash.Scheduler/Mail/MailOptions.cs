using Microsoft.Extensions.Options;
using MimeKit;

namespace JoeCash.Scheduler.Mail;

/// <summary>How an SMTP connection is secured.</summary>
public enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
}

/// <summary>The "Mail" section: the support mailbox, the SMTP server (or the pickup folder), retries.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>The support mailbox: sender of every email and ORGANIZER of every invitation; replies go here.</summary>
    public string From { get; set; } = "support@joecash.test";

    public string FromName { get; set; } = "JoeCash Support";

    /// <summary>Where messages go as .eml files while no SMTP host is configured.</summary>
    public string PickupDirectory { get; set; } = "data/pickup";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The support mailbox read for the shops' answers; without a host, <see cref="RepliesDirectory"/> is read instead.</summary>
    public ImapOptions Imap { get; set; } = new();

    /// <summary>Where saved answers (.eml) are read from while no IMAP host is configured; done files move to subfolders.</summary>
    public string RepliesDirectory { get; set; } = "data/replies";

    /// <summary>Shown in every invitation: how to start RustDesk on the till.</summary>
    public string RustDeskHelpUrl { get; set; } = "https://joecash.test/hilfe/fernwartung-rustdesk";

    /// <summary>Phone number shops can call about an appointment.</summary>
    public string SupportPhone { get; set; } = "+49 30 1234567";

    public int AlarmMinutesBefore { get; set; } = 15;

    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// SMTP connections the dispatcher sends over at once. While one waits for the server's answer, the others send: three
    /// sent 10,000 reminders in 3.7 s where two took 4.5–4.8 s and four 3.4 s (the benchmark README's <c>reminders</c>);
    /// a hosted mail service may limit how many connections an account opens at once.
    /// </summary>
    public int Connections { get; set; } = 3;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a dispatcher's claim on a batch holds: another node (or this one after a restart under another name)
    /// takes over a dead dispatcher's unsent messages when it runs out. It must outlast sending one batch, or a slow
    /// mail server makes two nodes send the same message.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A message that still cannot be delivered this long after it was written is marked failed.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(2);

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Smtp.Host);

    public bool UsesImap => !string.IsNullOrWhiteSpace(Imap.Host);

    public MailboxAddress Sender => new(FromName, From);
}

/// <summary>The "Mail:Smtp" section. Secrets come from the environment (JOECASH_Mail__Smtp__Password), never from the repository.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string? Username { get; set; }

    public string? Password { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>The "Mail:Imap" section. The password comes from the environment (JOECASH_Mail__Imap__Password).</summary>
public sealed class ImapOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 993;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.SslOnConnect;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The folder the answers arrive in.</summary>
    public string Folder { get; set; } = "INBOX";

    /// <summary>Where applied answers go (created if missing).</summary>
    public string ProcessedFolder { get; set; } = "Processed";

    /// <summary>Where answers that were not applied go, for a person (created if missing).</summary>
    public string ReviewFolder { get; set; } = "Review";

    /// <summary>How often to look when the server offers no IDLE (and how often the drop folder is read).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>IDLE is renewed this often (servers drop an IDLE after 30 minutes).</summary>
    public TimeSpan IdleRenewal { get; set; } = TimeSpan.FromMinutes(9);

    /// <summary>Answers read and applied per transaction.</summary>
    public int BatchSize { get; set; } = 200;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Checks the "Mail" section at start-up, naming the key at fault.</summary>
public sealed class MailOptionsValidator : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!MailboxAddress.TryParse(options.From, out var from) || from.Address != options.From || !options.From.Contains('@', StringComparison.Ordinal))
        {
            errors.Add($"Mail:From: '{options.From}' is not an email address.");
        }

        if (options.FromName.Any(char.IsControl))
        {
            errors.Add("Mail:FromName must not contain control characters.");
        }

        if (options.ClaimLease < TimeSpan.FromSeconds(5))
        {
            errors.Add($"Mail:ClaimLease: {options.ClaimLease} is too short; a claim must outlast sending one batch (at least 00:00:05).");
        }

        if (options.Smtp.Port is < 1 or > 65535)
        {
            errors.Add($"Mail:Smtp:Port: {options.Smtp.Port} is not a TCP port.");
        }

        if (options.UsesSmtp && string.IsNullOrEmpty(options.Smtp.Username) != string.IsNullOrEmpty(options.Smtp.Password))
        {
            errors.Add("Mail:Smtp:Username and Mail:Smtp:Password go together (set the password in JOECASH_Mail__Smtp__Password).");
        }

        if (!Uri.TryCreate(options.RustDeskHelpUrl, UriKind.Absolute, out var help) || help.Scheme is not ("https" or "http"))
        {
            errors.Add($"Mail:RustDeskHelpUrl: '{options.RustDeskHelpUrl}' is not an http(s) address.");
        }

        if (options.UsesImap && string.IsNullOrEmpty(options.Imap.Username) != string.IsNullOrEmpty(options.Imap.Password))
        {
            errors.Add("Mail:Imap:Username and Mail:Imap:Password go together (set the password in JOECASH_Mail__Imap__Password).");
        }

        if (options.Imap.Port is < 1 or > 65535)
        {
            errors.Add($"Mail:Imap:Port: {options.Imap.Port} is not a TCP port.");
        }

        if (options.Imap.BatchSize is < 1 or > 10_000)
        {
            errors.Add($"Mail:Imap:BatchSize: {options.Imap.BatchSize} must be between 1 and 10000.");
        }

        if (options.Imap.PollInterval <= TimeSpan.Zero || options.Imap.IdleRenewal <= TimeSpan.Zero || options.Imap.IdleRenewal > TimeSpan.FromMinutes(29))
        {
            errors.Add("Mail:Imap:PollInterval must be positive and Mail:Imap:IdleRenewal between 0 and 29 minutes.");
        }

        var folders = new[] { options.Imap.Folder, options.Imap.ProcessedFolder, options.Imap.ReviewFolder };
        if (folders.Any(f => string.IsNullOrWhiteSpace(f) || f.Any(char.IsControl)) || folders.Distinct(StringComparer.OrdinalIgnoreCase).Count() != 3)
        {
            errors.Add("Mail:Imap:Folder, Mail:Imap:ProcessedFolder and Mail:Imap:ReviewFolder must be three different folder names.");
        }

        if (options.BatchSize is < 1 or > 10_000)
        {
            errors.Add($"Mail:BatchSize: {options.BatchSize} must be between 1 and 10000.");
        }

        if (options.Connections is < 1 or > 16)
        {
            errors.Add($"Mail:Connections: {options.Connections} must be between 1 and 16.");
        }

        if (options.AlarmMinutesBefore is < 0 or > 1440)
        {
            errors.Add($"Mail:AlarmMinutesBefore: {options.AlarmMinutesBefore} must be between 0 and 1440.");
        }

        if (options.PollInterval <= TimeSpan.Zero || options.RetryBaseDelay <= TimeSpan.Zero || options.RetryMaxDelay < options.RetryBaseDelay)
        {
            errors.Add("Mail:PollInterval and Mail:RetryBaseDelay must be positive, Mail:RetryMaxDelay at least Mail:RetryBaseDelay.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
