using System.Globalization;
using System.Text;
using JoeCash.Scheduler.Domain;

namespace JoeCash.Scheduler.Invoicing;

/// <summary>
/// The export as German Excel opens it without asking: UTF-8 with a byte-order mark, <c>;</c> between fields, CRLF
/// between lines, dates <c>dd.MM.yyyy</c>, times <c>HH:mm</c>, a decimal comma. Every text cell is quoted, and one that
/// a spreadsheet would read as a formula (it begins with = + - @, a tab or a carriage return, also after spaces) gets
/// a leading apostrophe, so it stays text (OWASP's advice against CSV injection).
/// </summary>
public static class BillingCsv
{
    private static readonly string[] Header =
    [
        "Termin", "Kundennummer", "Firma", "Filiale", "Datum", "Beginn", "Ende", "Zeitzone", "Minuten", "Stunden", "Art", "Bezeichnung",
        "Abrechnungsgrund", "Techniker", "Kostenhinweis bestätigt am", "Kostenhinweis bestätigt durch", "Notiz",
    ];

    public static byte[] Write(IReadOnlyList<BillingLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var text = new StringBuilder();
        text.Append(string.Join(';', Header.Select(Text))).Append("\r\n");
        foreach (var line in lines)
        {
            text.Append(string.Join(';', Cells(line))).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static IEnumerable<string> Cells(BillingLine l)
    {
        var invariant = CultureInfo.InvariantCulture;
        yield return l.AppointmentId.ToString(invariant);
        yield return Text(l.CustomerNumber);
        yield return Text(l.Company);
        yield return Text(l.Branch);
        yield return l.Start.ToString("dd.MM.yyyy", invariant);
        yield return l.Start.ToString("HH:mm", invariant);
        yield return l.End.ToString("HH:mm", invariant);
        var startZone = LocalTimeRange.Abbreviation(l.Start, Language.De);
        var endZone = LocalTimeRange.Abbreviation(l.End, Language.De);
        yield return Text(startZone == endZone ? startZone : $"{startZone} bis {endZone}");
        yield return l.Minutes.ToString(invariant);
        yield return Hours(l.Minutes);
        yield return Text(l.TypeKey);
        yield return Text(l.TypeTitle);
        yield return Text(l.Reason switch
        {
            BillingReason.BillableType => "Zusatzleistung",
            BillingReason.NoSupportContract => "ohne Supportvertrag",
            _ => "",
        });
        yield return Text(l.Technician);
        yield return l.AcknowledgedAt is { } at ? at.ToString("dd.MM.yyyy HH:mm", invariant) : "";
        yield return Text(l.AcknowledgedHow switch
        {
            AcknowledgedHow.DispatcherPhone => $"telefonisch bei der Buchung ({l.AcknowledgedBy})",
            AcknowledgedHow.ShopPage => $"Filiale auf ihrer Seite ({ShopName(l.AcknowledgedBy)})",
            _ => "",
        });
        yield return Text(l.Note);
    }

    /// <summary>"1,50": hours with two decimals and a decimal comma.</summary>
    public static string Hours(int minutes) =>
        (minutes / 60m).ToString("0.00", CultureInfo.InvariantCulture).Replace('.', ',');

    /// <summary>The shop's address behind a "shop:" actor, or the recipient as it is.</summary>
    public static string? ShopName(string? by) => by is not null && by.StartsWith("shop:", StringComparison.Ordinal) ? by["shop:".Length..] : by;

    /// <summary>A quoted text cell, safe against formula injection; empty for none.</summary>
    public static string Text(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var first = value.TrimStart(' ');
        var safe = first.Length > 0 && first[0] is '=' or '+' or '-' or '@' or '\t' or '\r' || value[0] is '\t' or '\r' ? "'" + value : value;
        // Excel keeps line breaks inside a quoted cell; CRLF there, as between lines.
        safe = safe.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        return "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
