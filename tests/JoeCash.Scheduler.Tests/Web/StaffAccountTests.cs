using JoeCash.Scheduler.Staff;
using JoeCash.Scheduler.Tests.Infrastructure;
using NodaTime;
using NodaTime.Testing;

namespace JoeCash.Scheduler.Tests.Web;

/// <summary>Staff accounts over a real SQLite file: what is refused, the lockout, resets, API keys.</summary>
public sealed class StaffAccountTests
{
    private static readonly Instant Start = Instant.FromUtc(2026, 12, 1, 8, 0);

    private static async Task<(SchedulerHost Host, FakeClock Clock)> HostAsync()
    {
        var clock = new FakeClock(Start);
        return (await SchedulerHost.StartAsync(clock: clock), clock);
    }

    [Fact]
    public async Task An_account_needs_a_valid_address_a_known_role_and_for_technicians_their_technician()
    {
        var (host, _) = await HostAsync();
        await using var _ = host;
        var staff = host.Get<StaffService>();
        Assert.Contains("email address", (await staff.AddAsync(new StaffForm("not-an-address", "X", "admin", null), "test")).Error);
        Assert.Contains("'boss' is not a role", (await staff.AddAsync(new StaffForm("a@example.com", "X", "boss", null), "test")).Error);
        Assert.Contains("needs the technician", (await staff.AddAsync(new StaffForm("a@example.com", "X", "technician", null), "test")).Error);
        Assert.Contains("no technician '999'", (await staff.AddAsync(new StaffForm("a@example.com", "X", "technician", "999"), "test")).Error);
        Assert.Contains("at least 12 characters", (await staff.AddAsync(new StaffForm("a@example.com", "X", "admin", null, "short"), "test")).Error);
        Assert.Equal(0, await staff.CountAsync());

        var technician = await host.AddTechnicianAsync("Anna Berger");
        var created = await staff.AddAsync(new StaffForm("Anna.Berger@Example.com", "Anna", "technician", technician.ToString(System.Globalization.CultureInfo.InvariantCulture)), "test");
        Assert.True(created.IsSuccess, created.Error);
        Assert.Equal("anna.berger@example.com", created.Value.Account.Login);
        Assert.Equal(technician, created.Value.Account.TechnicianId);
        Assert.Equal(20, created.Value.GeneratedPassword!.Length);
        Assert.Contains("already exists", (await staff.AddAsync(new StaffForm("anna.berger@example.com", "Anna", "admin", null), "test")).Error);
        Assert.Contains("already has an account", (await staff.AddAsync(new StaffForm("other@example.com", "Anna 2", "technician", "anna.berger@joecash.test"), "test")).Error);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one_until_the_lockout_ends_or_a_reset()
    {
        var (host, clock) = await HostAsync();
        await using var _ = host;
        var staff = host.Get<StaffService>();
        const string Password = "correct horse battery staple";
        Assert.True((await staff.AddAsync(new StaffForm("d@example.com", "Dora", "dispatcher", null, Password), "test")).IsSuccess);

        Assert.Equal(SignInOutcome.SignedIn, (await staff.SignInAsync("D@example.com", Password)).Outcome);
        Assert.Equal(SignInOutcome.WrongCredentials, (await staff.SignInAsync("nobody@example.com", Password)).Outcome);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(SignInOutcome.WrongCredentials, (await staff.SignInAsync("d@example.com", "wrong password " + i)).Outcome);
        }

        var fifth = await staff.SignInAsync("d@example.com", "wrong again");
        Assert.Equal(SignInOutcome.LockedOut, fifth.Outcome);
        Assert.Equal(Start + Duration.FromMinutes(15), fifth.LockedUntil);
        Assert.Equal(SignInOutcome.LockedOut, (await staff.SignInAsync("d@example.com", Password)).Outcome);

        clock.Advance(Duration.FromMinutes(16));
        Assert.Equal(SignInOutcome.SignedIn, (await staff.SignInAsync("d@example.com", Password)).Outcome);

        for (var i = 0; i < 5; i++)
        {
            await staff.SignInAsync("d@example.com", "wrong " + i);
        }

        var stampBefore = (await staff.FindByLoginAsync("d@example.com"))!.SecurityStamp;
        var reset = await staff.ResetPasswordAsync("d@example.com", null, "test");
        Assert.True(reset.IsSuccess, reset.Error);
        Assert.NotEqual(stampBefore, reset.Value.Account.SecurityStamp);
        Assert.Equal(SignInOutcome.WrongCredentials, (await staff.SignInAsync("d@example.com", Password)).Outcome);
        Assert.Equal(SignInOutcome.SignedIn, (await staff.SignInAsync("d@example.com", reset.Value.GeneratedPassword)).Outcome);
    }

    [Fact]
    public async Task An_api_key_is_shown_once_stored_hashed_acts_as_its_account_and_stops_when_revoked()
    {
        var (host, _) = await HostAsync();
        await using var _ = host;
        var staff = host.Get<StaffService>();
        var keys = host.Get<ApiKeyService>();
        await staff.AddAsync(new StaffForm("d@example.com", "Dora", "dispatcher", null), "test");

        var created = await keys.CreateAsync("d@example.com", "ERP import", "test");
        Assert.True(created.IsSuccess, created.Error);
        Assert.StartsWith(ApiKeyService.Prefix, created.Value.Secret, StringComparison.Ordinal);
        Assert.True(created.Value.Secret.Length >= ApiKeyService.Prefix.Length + 43, "256 bits in base64url");

        await using (var connection = await host.Database.OpenAsync())
        {
            var stored = await Dapper.SqlMapper.ExecuteScalarAsync<byte[]>(connection, "SELECT key_hash FROM api_keys");
            Assert.Equal(32, stored!.Length);
            Assert.DoesNotContain(created.Value.Secret, System.Text.Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        }

        Assert.Equal("d@example.com", (await keys.AuthenticateAsync(created.Value.Secret))?.Login);
        Assert.Null(await keys.AuthenticateAsync(created.Value.Secret + "x"));
        Assert.Null(await keys.AuthenticateAsync("jck_" + new string('A', 43)));
        Assert.Null(await keys.AuthenticateAsync("not a key"));

        Assert.Contains("no active key 99", (await keys.RevokeAsync("d@example.com", 99, "test")).Error);
        Assert.True((await keys.RevokeAsync("d@example.com", created.Value.Key.Id, "test")).IsSuccess);
        Assert.Null(await keys.AuthenticateAsync(created.Value.Secret));
        var listed = await keys.ListAsync("d@example.com");
        Assert.NotNull(Assert.Single(listed.Value).RevokedAt);
    }

    [Fact]
    public async Task A_key_revoked_by_another_process_is_refused_once_the_remembered_answer_is_older_than_the_cache_time()
    {
        var (host, clock) = await HostAsync();
        await using var _ = host;
        var keys = host.Get<ApiKeyService>();
        await host.Get<StaffService>().AddAsync(new StaffForm("d@example.com", "Dora", "dispatcher", null), "test");
        var created = await keys.CreateAsync("d@example.com", "ERP import", "test");
        Assert.Equal("d@example.com", (await keys.AuthenticateAsync(created.Value.Secret))?.Login);

        // As the command line or another node would: straight in the database, this instance is not told.
        await using (var connection = await host.Database.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE api_keys SET revoked_at = last_used_at");
        }

        clock.Advance(ApiKeyService.CacheFor - Duration.FromMilliseconds(1));
        Assert.NotNull(await keys.AuthenticateAsync(created.Value.Secret));
        Assert.Null(await keys.AuthenticateAsync(created.Value.Secret + "x"));
        clock.Advance(Duration.FromMilliseconds(1));
        Assert.Null(await keys.AuthenticateAsync(created.Value.Secret));
        clock.Advance(Duration.FromMinutes(1));
        Assert.Null(await keys.AuthenticateAsync(created.Value.Secret));
    }

    [Fact]
    public async Task Requests_of_one_key_whose_remembered_answer_ran_out_together_are_answered_while_one_of_them_waits_for_the_writer()
    {
        var (host, clock) = await HostAsync();
        await using var _ = host;
        var keys = host.Get<ApiKeyService>();
        await host.Get<StaffService>().AddAsync(new StaffForm("d@example.com", "Dora", "dispatcher", null), "test");
        var created = await keys.CreateAsync("d@example.com", "ERP import", "test");
        Assert.Equal("d@example.com", (await keys.AuthenticateAsync(created.Value.Secret))?.Login);

        // The remembered answer has run out and the "last used" stamp is due, while another writer holds the file.
        clock.Advance(Duration.FromMinutes(2));
        await using var writer = await host.Database.OpenAsync();
        await Dapper.SqlMapper.ExecuteAsync(writer, "BEGIN IMMEDIATE");
        var requests = Enumerable.Range(0, 16).Select(_ => Task.Run(() => keys.AuthenticateAsync(created.Value.Secret))).ToList();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (requests.Count(r => r.IsCompleted) < requests.Count - 1 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        // Only the request that asked the database waits for the stamp; the others have their answer.
        Assert.Equal(requests.Count - 1, requests.Count(r => r.IsCompletedSuccessfully && r.Result?.Login == "d@example.com"));
        await Dapper.SqlMapper.ExecuteAsync(writer, "ROLLBACK");
        Assert.All(await Task.WhenAll(requests), account => Assert.Equal("d@example.com", account?.Login));
        await using var connection = await host.Database.OpenAsync();
        Assert.Equal(clock.GetCurrentInstant(), await Dapper.SqlMapper.ExecuteScalarAsync<Instant>(connection, "SELECT last_used_at FROM api_keys"));
    }
}
