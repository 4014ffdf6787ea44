using System.Data;
using Dapper;
using JoeCash.Scheduler.Domain;

namespace JoeCash.Scheduler.Booking;

public static partial class AppointmentSql
{
    /// <summary>
    /// Whether the shop pays for the appointment, as decided at booking: written once, in the booking's transaction, so
    /// that a later change of the shop's contract or of the type's configuration never changes what a past month bills.
    /// </summary>
    public static Task InsertBillingAsync(this IDbConnection connection, long appointmentId, BillingReason reason, IDbTransaction transaction) =>
        connection.ExecuteAsync(
            "INSERT INTO appointment_billing (appointment_id, billable, reason) VALUES (@appointmentId, @billable, @reason)",
            new { appointmentId, billable = reason != BillingReason.Covered, reason = BillingCode(reason) },
            transaction);

    /// <summary>The stored word for a billing reason.</summary>
    public static string BillingCode(BillingReason reason) => reason switch
    {
        BillingReason.Covered => "covered",
        BillingReason.BillableType => "billable-type",
        _ => "no-support-contract",
    };
}
