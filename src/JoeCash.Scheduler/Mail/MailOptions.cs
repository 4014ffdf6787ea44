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

    /// <summary>Shown in every invitation: how to start RustDesk on the till.</summary>
    public string RustDeskHelpUrl { get; set; } = "https://joecash.test/hilfe/fernwartung-rustdesk";

    /// <summary>Phone number shops can call about an appointment.</summary>
    public string SupportPhone { get; set; } = "+49 30 1234567";

    public int AlarmMinutesBefore { get; set; } = 15;

    public int BatchSize { get; set; } = 200;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A message that still cannot be delivered this long after it was written is marked failed.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(2);

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Smtp.Host);

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

        if (options.BatchSize is < 1 or > 10_000)
        {
            errors.Add($"Mail:BatchSize: {options.BatchSize} must be between 1 and 10000.");
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
