using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Cli;

namespace JoeCash.Scheduler.Cli;

/// <summary>Lets Spectre.Console.Cli build its commands from Microsoft's service container.</summary>
/// <remarks>
/// <paramref name="validate"/>: check on build that every registered service (every verb's) can be constructed. Off for
/// <c>serve</c>, whose container holds none of the shared services: it builds the service's own host.
/// </remarks>
internal sealed class TypeRegistrar(IServiceCollection services, bool validate = true) : ITypeRegistrar
{
    public ITypeResolver Build() => new TypeResolver(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = validate, ValidateScopes = true }));

    public void Register(Type service, Type implementation) => services.AddSingleton(service, implementation);

    public void RegisterInstance(Type service, object implementation) => services.AddSingleton(service, implementation);

    public void RegisterLazy(Type service, Func<object> factory) => services.AddSingleton(service, _ => factory());

    private sealed class TypeResolver(ServiceProvider provider) : ITypeResolver, IDisposable
    {
        public object? Resolve(Type? type) => type is null ? null : provider.GetService(type);

        public void Dispose() => provider.Dispose();
    }
}
