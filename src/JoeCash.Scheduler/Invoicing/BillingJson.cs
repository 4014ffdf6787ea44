using System.Text.Encodings.Web;
using System.Text.Json;
using JoeCash.Scheduler.Domain;
using NodaTime.Text;

namespace JoeCash.Scheduler.Invoicing;

/// <summary>The export as JSON for scripts: the month, the zone, and per session the same facts as the CSV, times with their offset.</summary>
public static class BillingJson
{
    private static readonly OffsetDateTimePattern Stamp = OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'sso<m>");

    public static byte[] Write(string month, string zone, IReadOnlyList<BillingLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("month", month);
            json.WriteString("zone", zone);
            json.WriteNumber("count", lines.Count);
            json.WriteNumber("minutes", lines.Sum(l => l.Minutes));
            json.WriteStartArray("sessions");
            foreach (var l in lines)
            {
                json.WriteStartObject();
                json.WriteNumber("appointment", l.AppointmentId);
                json.WriteString("customerNumber", l.CustomerNumber);
                json.WriteString("company", l.Company);
                json.WriteString("branch", l.Branch);
                json.WriteString("date", IsoTime.Day(l.Start.Date));
                json.WriteString("start", Stamp.Format(l.Start.ToOffsetDateTime()));
                json.WriteString("end", Stamp.Format(l.End.ToOffsetDateTime()));
                json.WriteNumber("minutes", l.Minutes);
                json.WriteString("type", l.TypeKey);
                json.WriteString("typeTitle", l.TypeTitle);
                json.WriteString("billingReason", l.Reason switch
                {
                    BillingReason.BillableType => "billable-type",
                    BillingReason.NoSupportContract => "no-support-contract",
                    _ => null,
                });
                json.WriteString("technician", l.Technician);
                json.WriteString("costAcknowledgedAt", l.AcknowledgedAt is { } at ? Stamp.Format(at.ToOffsetDateTime()) : null);
                json.WriteString("costAcknowledgedHow", l.AcknowledgedHow switch
                {
                    AcknowledgedHow.DispatcherPhone => "dispatcher-phone",
                    AcknowledgedHow.ShopPage => "shop-page",
                    _ => null,
                });
                json.WriteString("costAcknowledgedBy", l.AcknowledgedBy);
                json.WriteString("note", l.Note);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }
}
