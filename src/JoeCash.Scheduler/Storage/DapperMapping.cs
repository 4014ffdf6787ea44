using System.Data;
using Dapper;
using NodaTime;

namespace JoeCash.Scheduler.Storage;

/// <summary>Dapper's mapping, set once: snake_case columns, and NodaTime instants as the schema's INTEGER milliseconds since the Unix epoch.</summary>
internal static class DapperMapping
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            // Columns are snake_case, properties PascalCase.
            DefaultTypeMap.MatchNamesWithUnderscores = true;
            SqlMapper.AddTypeHandler(new InstantHandler());
            SqlMapper.AddTypeHandler(new NullableInstantHandler());
        }
    }

    private sealed class InstantHandler : SqlMapper.TypeHandler<Instant>
    {
        public override Instant Parse(object value) => Instant.FromUnixTimeMilliseconds(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));

        public override void SetValue(IDbDataParameter parameter, Instant value)
        {
            parameter.DbType = DbType.Int64;
            parameter.Value = value.ToUnixTimeMilliseconds();
        }
    }

    private sealed class NullableInstantHandler : SqlMapper.TypeHandler<Instant?>
    {
        public override Instant? Parse(object value) =>
            value is null or DBNull ? null : Instant.FromUnixTimeMilliseconds(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));

        public override void SetValue(IDbDataParameter parameter, Instant? value)
        {
            parameter.DbType = DbType.Int64;
            parameter.Value = value is { } instant ? instant.ToUnixTimeMilliseconds() : DBNull.Value;
        }
    }
}
