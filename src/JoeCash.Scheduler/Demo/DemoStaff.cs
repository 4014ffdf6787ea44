using JoeCash.Scheduler.Staff;

namespace JoeCash.Scheduler.Demo;

/// <summary>The demo accounts and the password they share now.</summary>
public sealed record DemoAccounts(string Dispatcher, IReadOnlyList<string> Technicians, string Password);

/// <summary>
/// Demo sign-in: a dispatcher and one account per demo technician, all with one password that is new on every
/// run (printed by <c>serve</c>), so a demo database never keeps a password anyone could know from the source.
/// </summary>
public sealed class DemoStaff(StaffService staff)
{
    public const string DispatcherLogin = "disposition@joecash.test";
    private const string Actor = "demo";

    public async Task<DemoAccounts> EnsureAsync(CancellationToken cancellationToken = default)
    {
        var password = Secrets.NewPassword();
        await EnsureAsync(new StaffForm(DispatcherLogin, "Disposition (Demo)", "dispatcher", null, password), cancellationToken).ConfigureAwait(false);
        var technicians = new List<string>();
        foreach (var (name, email) in DemoData.TechnicianLogins)
        {
            await EnsureAsync(new StaffForm(email, name, "technician", email, password), cancellationToken).ConfigureAwait(false);
            technicians.Add(email);
        }

        return new DemoAccounts(DispatcherLogin, technicians, password);
    }

    private async Task EnsureAsync(StaffForm form, CancellationToken cancellationToken)
    {
        var result = await staff.FindByLoginAsync(form.Login!, cancellationToken).ConfigureAwait(false) is null
            ? (await staff.AddAsync(form, Actor, cancellationToken: cancellationToken).ConfigureAwait(false)).Error
            : (await staff.ResetPasswordAsync(form.Login!, form.Password, Actor, cancellationToken: cancellationToken).ConfigureAwait(false)).Error;
        if (result is not null)
        {
            throw new InvalidOperationException($"Demo account {form.Login}: {result}");
        }
    }
}
