using JoeCash.Scheduler.Domain;

namespace JoeCash.Scheduler.Agenda;

/// <summary>A technician's day as scripts read it: times with the offset of the technician's zone.</summary>
public sealed record AgendaRecord(AgendaTechnicianRecord Technician, string Day, IReadOnlyList<AgendaEntryRecord> Appointments)
{
    public static AgendaRecord From(DayAgenda agenda)
    {
        ArgumentNullException.ThrowIfNull(agenda);
        var technician = agenda.Technician;
        return new(
            new AgendaTechnicianRecord(technician.Id, technician.Name, technician.Zone.Id),
            IsoTime.Day(agenda.Day),
            [.. agenda.Entries.Select(e => new AgendaEntryRecord(
                e.Appointment.Id,
                IsoTime.Local(e.Appointment.Start, technician.Zone),
                IsoTime.Local(e.Appointment.End, technician.Zone),
                e.Customer.DisplayName,
                e.Customer.Number,
                e.Customer.ContactName,
                e.Customer.Phone,
                e.RustDesk?.Value,
                e.Readiness.Code(),
                e.Type.Key,
                Billing.IsBillable(e.Type, e.Customer),
                e.Appointment.Notes,
                e.Appointment.Response.Code(),
                e.Appointment.RespondedAt is { } at ? IsoTime.Local(at, technician.Zone) : null,
                e.Appointment.RespondedBy))]);
    }
}

/// <summary>Whose day it is.</summary>
public sealed record AgendaTechnicianRecord(long Id, string Name, string TimeZone);

/// <summary>One appointment of the day.</summary>
public sealed record AgendaEntryRecord(
    long Id,
    string Start,
    string End,
    string Shop,
    string CustomerNumber,
    string Contact,
    string? Phone,
    string? RustDeskId,
    string RustDesk,
    string Type,
    bool Billable,
    string? Notes,
    string Response,
    string? AnsweredAt,
    string? AnsweredBy);
