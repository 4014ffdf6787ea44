using JoeCash.Scheduler.Configuration;
using JoeCash.Scheduler.Hosting;
using JoeCash.Scheduler.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>The command line: configuration, services and the verbs.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var verbose = args.Contains("--verbose");
        var serve = args.FirstOrDefault() == "serve";
        ServiceCollection services;
        IConfiguration configuration;
        try
        {
            configuration = SchedulerServices.BuildConfiguration();
            SchedulerServices.CheckShape(configuration);
            services = new ServiceCollection();
            services.AddLogging(logging => logging
                .AddConfiguration(configuration.GetSection("Logging"))
                .AddSimpleConsole(o => o.SingleLine = true)
                .AddFilter(level => level >= LogLevel.Warning));
            // Logs go to stderr so tables and JSON on stdout stay clean for pipes.
            services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            // 'serve' builds its own host with its own composition root: its verb container needs none of the shared services.
            if (!serve)
            {
                services.AddSchedulerCore(configuration);
            }

            var console = AnsiConsole.Console;
            if (Console.IsOutputRedirected)
            {
                // Piped into a file or a test: don't wrap tables at the 80 columns Spectre assumes without a terminal.
                console.Profile.Width = 240;
            }

            services.AddSingleton(console);
            services.AddSingleton<Output>();
            // Fail fast on a bad configuration, naming the key, before any verb runs. 'serve' builds its
            // own host and checks the same there (ServeCommand), before the host starts.
            if (!serve)
            {
                using var probe = services.BuildServiceProvider();
                // Every options class registered with ValidateOnStart, and the templates.
                probe.GetRequiredService<IStartupValidator>().Validate();
                _ = probe.GetRequiredService<Mail.TemplateCatalog>();
            }
        }
        catch (Exception e) when (e is ConfigurationException or OptionsValidationException or InvalidDataException or FormatException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"error: {ConfigurationMessage(e)}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        var app = new CommandApp(new TypeRegistrar(services, validate: !serve));
        app.Configure(Configure);
        try
        {
            return await app.RunAsync(args).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OptionsValidationException or ConfigurationException)
        {
            var message = e is ConfigurationException ? e.Message : $"The configuration is invalid: {e.Message}";
            await Console.Error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (CommandAppException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (StorageErrors.Describe(e, StoragePath(configuration)) is { } storage)
        {
            // One line that says what, which file and what to do; the trace only when asked for.
            await Console.Error.WriteLineAsync($"error: {storage.Message}{(verbose ? Environment.NewLine + e : "")}").ConfigureAwait(false);
            return storage.Fault == StorageFault.Busy ? ExitCodes.Failure : ExitCodes.BadInput;
        }
        catch (Mail.MailLoginRefusedException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}{(verbose ? Environment.NewLine + e : "")}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await Console.Error.WriteLineAsync(verbose
                ? $"unexpected failure: {e}"
                : $"unexpected failure: {e.GetType().Name}: {e.Message} (run again with --verbose for the details)").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    /// <summary>The database as named in error messages (worked out only when one is written).</summary>
    private static string StoragePath(IConfiguration configuration) =>
        (configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions()).DisplayName();

    /// <summary>The configuration's own words; a JSON syntax error names the file and the position.</summary>
    private static string ConfigurationMessage(Exception e) =>
        e is InvalidDataException { InnerException: { } inner } ? $"{e.Message} {inner.Message}" : e.Message;

    private static void Configure(IConfigurator config)
    {
        config.SetApplicationName("joecash-scheduler");
        config.PropagateExceptions();
        config.Settings.StrictParsing = true;
        config.AddCommand<ServeCommand>("serve").WithDescription("Run the service: deliver invitations (and, later, reminders and agendas) until stopped.");
        config.AddCommand<MigrateCommand>("migrate").WithDescription("Create or update the database schema.");
        config.AddCommand<CopyToPostgresCommand>("copy-to-postgres").WithDescription("Copy the SQLite database into an empty PostgreSQL database (target from JOECASH_COPY_TARGET) and prove the copy table by table.");
        config.AddCommand<DemoCommand>("demo").WithDescription("Create demo technicians and shops and book a few appointments (safe to run again).");
        config.AddCommand<TypesCommand>("types").WithDescription("List the appointment types.");
        config.AddBranch("technician", b =>
        {
            b.SetDescription("Technicians: list, add, time off, calendar feed.");
            b.AddCommand<TechnicianListCommand>("list").WithDescription("List technicians.");
            b.AddCommand<TechnicianAddCommand>("add").WithDescription("Add a technician.");
            b.AddCommand<TechnicianEditCommand>("edit").WithDescription("Change a technician (name, email, zone, state, hours, types, daily cap, active); the rest stays.");
            b.AddCommand<TimeOffCommand>("time-off").WithDescription("Record time off for a technician.");
            b.AddCommand<FeedCommand>("feed").WithDescription("The technician's personal calendar feed URL (webcal); --rotate makes a new one.");
        });
        config.AddBranch("customer", b =>
        {
            b.SetDescription("Shops: list, add, import, history.");
            b.AddCommand<CustomerListCommand>("list").WithDescription("List shops.");
            b.AddCommand<CustomerAddCommand>("add").WithDescription("Add or update a shop.");
            b.AddCommand<CustomerImportCommand>("import").WithDescription("Import shops from a German Excel CSV export (all or nothing).");
            b.AddCommand<CustomerHistoryCommand>("history").WithDescription("A shop's appointments, newest first, a page at a time.");
        });
        config.AddCommand<SlotsCommand>("slots").WithDescription("Find free slots for an appointment type.")
            .WithExample("slots", "--type", "fault", "--from", "2026-12-01", "--days", "5");
        config.AddCommand<BookCommand>("book").WithDescription("Book an appointment.")
            .WithExample("book", "--customer", "K10001", "--type", "fault", "--at", "2026-12-01T10:00");
        config.AddCommand<RescheduleCommand>("reschedule").WithDescription("Move an appointment to another time.");
        config.AddCommand<CancelCommand>("cancel").WithDescription("Cancel an appointment.");
        config.AddCommand<ShowCommand>("show").WithDescription("Show one appointment with its audit trail.");
        config.AddCommand<NewLinkCommand>("new-link").WithDescription("Send one of the shop's addresses a new link to its appointment page (the previous one stops working).");
        config.AddCommand<OutcomeCommand>("outcome").WithDescription("Record what became of an appointment that has begun: done, no-show or follow-up.")
            .WithExample("outcome", "12", "done", "--minutes", "45", "--note", "Drucker neu eingerichtet");
        config.AddBranch("billing", b =>
        {
            b.SetDescription("Billing: the billable sessions done in a month, for invoicing.");
            b.AddCommand<BillingExportCommand>("export").WithDescription("Export a month's billable sessions (German Excel CSV or JSON); leaves an audit line.")
                .WithExample("billing", "export", "--month", "2026-12");
        });
        config.AddCommand<AgendaCommand>("agenda").WithDescription("One technician's day, in their time zone.");
        config.AddBranch("mail", b =>
        {
            b.SetDescription("The outbox: list, send, retry.");
            b.AddCommand<MailListCommand>("list").WithDescription("List outgoing messages (pending, sent, failed).");
            b.AddCommand<MailSendCommand>("send").WithDescription("Deliver what is due now, once.");
            b.AddCommand<MailRetryCommand>("retry").WithDescription("Queue a failed message again.");
        });
        config.AddBranch("replies", b =>
        {
            b.SetDescription("The shops' calendar answers (accept, decline, propose a new time).");
            b.AddCommand<RepliesListCommand>("list").WithDescription("List the answers read and what became of each.");
            b.AddCommand<RepliesImportCommand>("import").WithDescription("Apply answers saved as .eml files, as the service's reader would.");
        });
        config.AddBranch("staff", b =>
        {
            b.SetDescription("Staff accounts for the web pages and the API: add, reset, sign out, API keys.");
            b.AddCommand<StaffListCommand>("list").WithDescription("List staff accounts.");
            b.AddCommand<StaffAddCommand>("add").WithDescription("Add an account (technician, dispatcher or admin); prints its password once.")
                .WithExample("staff", "add", "--role", "admin", "--email", "chef@example.com", "--name", "Chef");
            b.AddCommand<StaffResetCommand>("reset-password").WithDescription("Set a new password, lift a lockout and end every session of the account.");
            b.AddCommand<StaffSignOutCommand>("sign-out").WithDescription("End every session of an account (a lost phone).");
            b.AddBranch("api-key", k =>
            {
                k.SetDescription("API keys for scripts (Authorization: Bearer).");
                k.AddCommand<ApiKeyAddCommand>("add").WithDescription("Create a key; prints it once.");
                k.AddCommand<ApiKeyListCommand>("list").WithDescription("List an account's keys.");
                k.AddCommand<ApiKeyRevokeCommand>("revoke").WithDescription("Revoke a key.");
            });
        });
        config.AddBranch("proposal", b =>
        {
            b.SetDescription("The shops' counter-proposals (\"propose new time\").");
            b.AddCommand<ProposalListCommand>("list").WithDescription("List open proposals.");
            b.AddCommand<ProposalAcceptCommand>("accept").WithDescription("Move the appointment to the proposed time.");
            b.AddCommand<ProposalDeclineCommand>("decline").WithDescription("Tell the shop the appointment stays as it is.");
        });
    }
}
