using System.Data.Common;
using System.Globalization;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Domain;
using NodaTime;

namespace JoeCash.Scheduler.Replies;

/// <summary>
/// The three statements nearly every answer runs — its record, the appointment's answer columns, the
/// audit line — each prepared once per batch and run again with new values, instead of being compiled
/// by SQLite once per answer. The same SQL as <see cref="ReplySql.InsertInboundAsync"/>,
/// <see cref="ReplySql.RecordAnswerAsync"/> and <see cref="AppointmentSql.InsertAuditAsync"/>.
/// Dispose it before the transaction ends.
/// </summary>
internal sealed class AnswerWrites(DbConnection connection, DbTransaction transaction) : IDisposable
{
    private DbCommand? _inbound;
    private DbCommand? _answer;
    private DbCommand? _audit;

    public async Task<long> InsertInboundAsync(InboundRecord record)
    {
        _inbound ??= Command(ReplySql.InsertInboundSql, "MessageKey", "MessageId", "Source", "ReceivedAt", "Sender", "Method", "Uid", "Sequence", "Attendee", "Answer", "AppointmentId", "Outcome", "Reason");
        Set(_inbound, record.MessageKey, record.MessageId, record.Source, record.ReceivedAt.ToUnixTimeMilliseconds(), record.Sender, record.Method, record.Uid, record.Sequence,
            record.Attendee, record.Answer, record.AppointmentId, record.Outcome, record.Reason);
        return Convert.ToInt64(await _inbound.ExecuteScalarAsync().ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    public Task RecordAnswerAsync(long appointmentId, ResponseStatus answer, string by, Instant at)
    {
        _answer ??= Command(ReplySql.RecordAnswerSql, "appointmentId", "response", "by", "at");
        Set(_answer, appointmentId, answer.Code(), by, at.ToUnixTimeMilliseconds());
        return _answer.ExecuteNonQueryAsync();
    }

    public Task InsertAuditAsync(long appointmentId, Instant at, string actor, string action, string detailsJson)
    {
        _audit ??= Command(AppointmentSql.InsertAuditSql, "appointmentId", "at", "actor", "action", "detailsJson");
        Set(_audit, appointmentId, at.ToUnixTimeMilliseconds(), actor, action, detailsJson);
        return _audit.ExecuteNonQueryAsync();
    }

    public void Dispose()
    {
        _inbound?.Dispose();
        _answer?.Dispose();
        _audit?.Dispose();
    }

    private DbCommand Command(string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static void Set(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
