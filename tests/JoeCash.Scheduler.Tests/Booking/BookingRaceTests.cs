using Dapper;
using JoeCash.Scheduler.Booking;
using JoeCash.Scheduler.Storage;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Booking;

/// <summary>Many bookers, one slot, a real SQLite file, the same BookingService the command line uses.</summary>
public abstract class BookingRaceTests(StorageProvider provider) : ProviderSuite(provider)
{
    public sealed class OnSqlite() : BookingRaceTests(StorageProvider.Sqlite);

    public sealed class OnPostgres() : BookingRaceTests(StorageProvider.PostgreSQL);

    private const int Bookers = 32;
    private const int Rounds = 20;

    [Fact]
    public async Task BookAsync_ThirtyTwoBookersRaceForOneSlot_ExactlyOneWinsEveryRound()
    {
        await using var host = await StartHostAsync();
        await host.AddTechnicianAsync("Anna Berger");
        for (var i = 0; i < Bookers; i++)
        {
            await host.AddCustomerAsync($"K{i:000}");
        }

        for (var round = 0; round < Rounds; round++)
        {
            // Each round a fresh slot: four per working day, a week apart, all clear of each other.
            var start = host.NextWorkingDayAt(8 + (round % 4 * 2), weeksAhead: 3 + (round / 4));
            // An async gate: no pool thread blocks, so all 32 are really waiting when it opens.
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = Enumerable.Range(0, Bookers).Select(i => Task.Run(async () =>
            {
                await go.Task;
                return await host.Booking.BookAsync(new BookingRequest($"K{i:000}", "fault", "1", start, null, false, $"booker-{i}"));
            })).ToArray();
            go.SetResult();
            var outcomes = await Task.WhenAll(attempts);

            var winners = outcomes.Where(o => o.Succeeded).ToArray();
            Assert.Single(winners);
            Assert.All(outcomes.Where(o => !o.Succeeded), o =>
            {
                Assert.Equal(RefusalKind.Conflict, o.Refusal!.Kind);
                Assert.Equal(winners[0].Appointment!.Id, o.Refusal.ConflictingAppointmentId);
            });
        }

        await using var connection = await host.Database.OpenAsync();
        Assert.Equal(Rounds, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM appointments"));
        Assert.Equal(Rounds, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM appointment_audit"));
    }
}
