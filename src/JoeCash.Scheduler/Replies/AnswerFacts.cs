using JoeCash.Scheduler.Storage;
using System.Data.Common;
using Dapper;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;

namespace JoeCash.Scheduler.Replies;

/// <summary>
/// What a batch of answers needs to know, read in four queries inside the batch's write transaction
/// instead of four per answer: which answers were read before, the appointments their UIDs name, who was
/// invited to each, and the shops. Nothing an answer changes is read from here afterwards (an answer
/// changes an appointment's response and version, never its UID, SEQUENCE, status or shop), and answers
/// recorded during the batch are added, so a message delivered twice into one batch is still seen twice.
/// </summary>
internal sealed class AnswerFacts
{
    private readonly Dictionary<string, InboundRecord> _seen;
    private readonly IReadOnlyDictionary<string, Appointment> _appointments;
    private readonly ILookup<long, string> _invited;
    private readonly IReadOnlyDictionary<long, Customer> _customers;

    private AnswerFacts(
        Dictionary<string, InboundRecord> seen, IReadOnlyDictionary<string, Appointment> appointments, ILookup<long, string> invited, IReadOnlyDictionary<long, Customer> customers)
    {
        _seen = seen;
        _appointments = appointments;
        _invited = invited;
        _customers = customers;
    }

    public static async Task<AnswerFacts> ReadAsync(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<string> keys, IReadOnlyCollection<string> uids)
    {
        var seen = (await connection.QueryAsync<InboundRecord>(
            $"SELECT message_key, outcome, reason, appointment_id FROM inbound_messages WHERE message_key {connection.In("keys")}", new { keys = connection.List(keys) }, transaction).ConfigureAwait(false))
            .ToDictionary(r => r.MessageKey, StringComparer.Ordinal);
        var appointments = uids.Count == 0 ? new Dictionary<string, Appointment>() : await connection.AppointmentsByUidAsync(uids, transaction).ConfigureAwait(false);
        var ids = appointments.Values.Select(a => a.Id).ToArray();
        var invited = (await connection.QueryAsync<(long AppointmentId, string Recipient)>(
            $"SELECT DISTINCT appointment_id, recipient FROM outbox WHERE appointment_id {connection.In("ids")} AND kind IN ('invitation', 'update')", new { ids = connection.List(ids) }, transaction).ConfigureAwait(false))
            .ToLookup(r => r.AppointmentId, r => r.Recipient.ToLowerInvariant());
        var customers = await connection.CustomersByIdAsync(appointments.Values.Select(a => a.CustomerId), transaction).ConfigureAwait(false);
        return new AnswerFacts(seen, appointments, invited, customers);
    }

    public InboundRecord? Seen(string key) => _seen.GetValueOrDefault(key);

    public void Recorded(InboundRecord record) => _seen[record.MessageKey] = record;

    public Appointment? Appointment(string uid) => _appointments.GetValueOrDefault(uid);

    public bool WasInvited(long appointmentId, string address) => _invited[appointmentId].Contains(address, StringComparer.Ordinal);

    public Customer Customer(long id) => _customers[id];
}
