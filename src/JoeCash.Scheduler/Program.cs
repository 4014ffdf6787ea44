using JoeCash.Scheduler.Cli;

return await CliApp.RunAsync(args).ConfigureAwait(false);
