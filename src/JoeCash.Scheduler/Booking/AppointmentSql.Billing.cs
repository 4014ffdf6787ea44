using System.Data;
using Dapper;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Storage;

namespace JoeCash.Scheduler.Booking;

public static partial class AppointmentSql
{
    /// <summary>
    /// Whether the shop pays for the appointment, as decided at booking: written once, in the booking's transaction, so
    /// that a later change of the shop's contract or of the type's configuration never changes what a past month bills.
    /// </summary>
    public static Task InsertBillingAsync(this IDbConnection connection, long appointmentId, BillingReason reason, IDbTransaction transaction) =>
        connection.ExecuteAsync(InsertBillingSql, new { appointmentId, billable = reason != BillingReason.Covered, reason = BillingCode(reason) }, transaction);

    /// <summary>The same as <see cref="InsertBillingAsync"/>, queued in the booking's batch.</summary>
    public static void InsertBilling(this StatementBatch batch, long appointmentId, BillingReason reason)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.Execute(InsertBillingSql, ("appointmentId", appointmentId), ("billable", reason != BillingReason.Covered), ("reason", BillingCode(reason)));
    }

    private const string InsertBillingSql = "INSERT INTO appointment_billing (appointment_id, billable, reason) VALUES (@appointmentId, @billable, @reason)";

    /// <summary>The stored word for a billing reason.</summary>
    public static string BillingCode(BillingReason reason) => reason switch
    {
        BillingReason.Covered => "covered",
        BillingReason.BillableType => "billable-type",
        _ => "no-support-contract",
    };
}
